// The PostgreSQL legislation store: the store contract on a fresh database
// of the test server (tests/support/postgres_for_test.h), and what only
// PostgreSQL does: listeners woken by another process's commit (NOTIFY), a
// schema of the service's own, and clear errors when the database cannot
// be reached.
#include "services/legislation/postgres_legislation_store.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>

#include "services/legislation/legislation_store_contract.h"
#include "tests/support/postgres_for_test.h"

namespace palermo::legislation {
namespace {

postgres::Options OptionsFor(const std::string& dsn,
                             const std::string& schema = "legislation") {
  postgres::Options options;
  options.dsn = dsn;
  options.schema = schema;
  options.pool_size = 4;
  return options;
}

class PostgresHarness : public LegislationStoreHarness {
 public:
  explicit PostgresHarness(std::string dsn) : dsn_(std::move(dsn)) {}
  absl::StatusOr<std::unique_ptr<LegislationStore>> Open(
      int64_t change_log_retain) override {
    absl::StatusOr<std::unique_ptr<PostgresLegislationStore>> store =
        PostgresLegislationStore::Open(OptionsFor(dsn_), change_log_retain);
    if (!store.ok()) return store.status();
    return std::unique_ptr<LegislationStore>(*std::move(store));
  }

 private:
  std::string dsn_;
};

std::unique_ptr<LegislationStoreHarness> MakePostgresHarness() {
  absl::StatusOr<std::string> dsn = test::FreshPostgresDatabase();
  EXPECT_TRUE(dsn.ok()) << dsn.status();
  if (!dsn.ok()) return nullptr;
  return std::make_unique<PostgresHarness>(*dsn);
}

INSTANTIATE_TEST_SUITE_P(Postgres, LegislationStoreContract,
                         testing::Values(&MakePostgresHarness));

Write Create(const std::string& notes) {
  Write w;
  w.kind = v1::CHANGE_KIND_CREATE;
  w.name = "countries/EST/legislation";
  w.record.set_name(w.name);
  w.record.set_notes(notes);
  w.actor = "tester";
  w.time = absl::Now();
  return w;
}

class PostgresLegislationStoreTest : public testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::string> dsn = test::FreshPostgresDatabase();
    ASSERT_TRUE(dsn.ok()) << dsn.status();
    dsn_ = *dsn;
  }
  std::unique_ptr<PostgresLegislationStore> Open(
      const std::string& schema = "legislation") {
    auto store = PostgresLegislationStore::Open(OptionsFor(dsn_, schema), 100);
    EXPECT_TRUE(store.ok()) << store.status();
    return store.ok() ? *std::move(store) : nullptr;
  }
  std::string dsn_;
};

TEST_F(PostgresLegislationStoreTest, ListenersHearOfAnotherProcessesCommits) {
  auto writer = Open();
  auto watcher = Open();
  ASSERT_TRUE(writer && watcher);
  std::mutex mu;
  std::condition_variable cv;
  int heard = 0;
  watcher->Changes().AddListener([&] {
    std::lock_guard<std::mutex> lock(mu);
    ++heard;
    cv.notify_all();
  });
  ASSERT_TRUE(writer->Apply(Create("a")).ok());
  std::unique_lock<std::mutex> lock(mu);
  // Woken by the NOTIFY at the commit; the deadline only bounds a failure.
  EXPECT_TRUE(cv.wait_for(lock, std::chrono::seconds(30),
                          [&] { return heard > 0; }));
}

TEST_F(PostgresLegislationStoreTest, EachSchemaIsAStoreOfItsOwn) {
  auto one = Open("legislation");
  auto two = Open("legislation_two");
  ASSERT_TRUE(one && two);
  ASSERT_TRUE(one->Apply(Create("a")).ok());
  EXPECT_FALSE(two->Get("countries/EST/legislation")->has_value());
  EXPECT_EQ(two->Changes().Bounds()->latest, 0);
  auto applied = two->Apply(Create("b"));
  ASSERT_TRUE(applied.ok()) << applied.status();
  EXPECT_EQ(applied->sequence, 1);
}

TEST_F(PostgresLegislationStoreTest, AMalformedDsnIsInvalidArgument) {
  auto store = PostgresLegislationStore::Open(
      OptionsFor("host=/tmp dbname=x bogus_option=1"), 100);
  EXPECT_EQ(store.status().code(), absl::StatusCode::kInvalidArgument)
      << store.status();
}

TEST_F(PostgresLegislationStoreTest, AnUnreachableServerIsUnavailable) {
  // A socket folder where no server listens.
  auto store = PostgresLegislationStore::Open(
      OptionsFor("postgresql:///postgres?host=/nonexistent-palermo-socket"),
      100);
  EXPECT_EQ(store.status().code(), absl::StatusCode::kUnavailable)
      << store.status();
}

TEST_F(PostgresLegislationStoreTest, ARetainBelowOneIsRefused) {
  auto store = PostgresLegislationStore::Open(OptionsFor(dsn_), 0);
  EXPECT_EQ(store.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace palermo::legislation
