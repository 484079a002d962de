// The PostgreSQL enforcement store: the contract suite on a fresh database
// of the run's server per test (postgres_for_test.h), each store on a pool
// of its own (two stores on one database are two processes), and what is
// PostgreSQL's own: the schema is the one named, a second opener finds it
// migrated, and commits NOTIFY another process's store.
#include "services/enforcement/postgres_enforcement_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>

#include "absl/synchronization/notification.h"
#include "services/common/periods.h"
#include "services/enforcement/enforcement_store_contract.h"
#include "tests/support/postgres_for_test.h"

namespace palermo::enforcement {
namespace {

std::string FreshDatabase() {
  absl::StatusOr<std::string> dsn = test::FreshPostgresDatabase();
  EXPECT_TRUE(dsn.ok()) << dsn.status();
  return dsn.ok() ? *dsn : "";
}

postgres::Options OptionsFor(const std::string& dsn) {
  postgres::Options options;
  options.dsn = dsn;
  options.schema = "enforcement";
  options.pool_size = 4;
  return options;
}

std::unique_ptr<EnforcementStore> OpenPostgresStore(
    const std::string& dsn, const ChangeLogOptions& options) {
  auto store = PostgresEnforcementStore::Open(OptionsFor(dsn), options);
  EXPECT_TRUE(store.ok()) << store.status();
  if (!store.ok()) return nullptr;
  return *std::move(store);
}

INSTANTIATE_TEST_SUITE_P(Postgres, EnforcementStoreContract,
                         ::testing::Values(EnforcementStoreImpl{
                             "Postgres", FreshDatabase, OpenPostgresStore}),
                         EnforcementStoreImpl::Name);

TEST(PostgresEnforcementStoreTest, TablesLiveInTheSchemaNamed) {
  const std::string dsn = FreshDatabase();
  ASSERT_FALSE(dsn.empty());
  postgres::Options options = OptionsFor(dsn);
  options.schema = "enforcement_two";
  auto store = PostgresEnforcementStore::Open(options);
  ASSERT_TRUE(store.ok()) << store.status();
  auto conn = postgres::Connection::Open(dsn);
  ASSERT_TRUE(conn.ok()) << conn.status();
  auto tables = (*conn)->Execute(
      "SELECT table_name::text FROM information_schema.tables"
      " WHERE table_schema = 'enforcement_two' ORDER BY table_name");
  ASSERT_TRUE(tables.ok()) << tables.status();
  std::vector<std::string> names;
  for (int i = 0; i < tables->rows(); ++i) names.push_back(tables->Text(i, 0));
  EXPECT_THAT(names, ::testing::ElementsAre(
                         "change_counter", "changes", "indicators",
                         "observations", "requests", "schema_version"));
  // A second opener finds it migrated, and shares its data.
  auto second = PostgresEnforcementStore::Open(options);
  ASSERT_TRUE(second.ok()) << second.status();
  v1::Indicator i;
  i.set_code("SHELTERS");
  i.set_display_name("Shelters");
  i.set_unit("shelters");
  ASSERT_TRUE((*store)->CreateIndicator(i).ok());
  EXPECT_EQ((*second)->CreateIndicator(i).status().code(),
            absl::StatusCode::kAlreadyExists);
}

TEST(PostgresEnforcementStoreTest, ACommitWakesAnotherProcesssListeners) {
  const std::string dsn = FreshDatabase();
  ASSERT_FALSE(dsn.empty());
  auto writer = PostgresEnforcementStore::Open(OptionsFor(dsn));
  auto watcher = PostgresEnforcementStore::Open(OptionsFor(dsn));
  ASSERT_TRUE(writer.ok()) << writer.status();
  ASSERT_TRUE(watcher.ok()) << watcher.status();
  absl::Notification woken;
  std::atomic<bool> once{false};
  (*watcher)->Changes().AddListener([&] {
    if (!once.exchange(true)) woken.Notify();
  });
  v1::Indicator i;
  i.set_code("SHELTERS");
  i.set_display_name("Shelters");
  i.set_unit("shelters");
  ASSERT_TRUE((*writer)->CreateIndicator(i).ok());
  EXPECT_TRUE(woken.WaitForNotificationWithTimeout(absl::Seconds(30)));
  auto changes = (*watcher)->Changes().ReadChanges(0, 10);
  ASSERT_TRUE(changes.ok()) << changes.status();
  ASSERT_EQ(changes->size(), 1u);
  EXPECT_EQ((*changes)[0].resource, "indicators/SHELTERS");
}

v1::Observation NamedRow(const std::string& name, int64_t value) {
  v1::Observation o;
  o.set_name(name);
  o.set_entity("countries/HRV");
  o.set_indicator("VICTIMS_IDENTIFIED");
  *o.mutable_period() = *ParseTimePeriod("2005");
  o.set_value(value);
  return o;
}

// A batch of new names goes straight into the table; should another process
// write one of them between the look-up and the lock, the batch runs again
// staged: a revision of that name, never a second first version.
TEST(PostgresEnforcementStoreTest, ANameWrittenMeanwhileIsRevised) {
  const std::string dsn = FreshDatabase();
  ASSERT_FALSE(dsn.empty());
  auto store = PostgresEnforcementStore::Open(OptionsFor(dsn));
  auto other = PostgresEnforcementStore::Open(OptionsFor(dsn));
  ASSERT_TRUE(store.ok()) << store.status();
  ASSERT_TRUE(other.ok()) << other.status();
  const absl::Time t0 = absl::FromUnixSeconds(1200000000);
  const std::string taken = "countries/HRV/observations/a";
  const std::string fresh = "countries/HRV/observations/b";
  int hooks = 0;
  (*store)->SetBeforeLockForTest([&] {
    if (hooks++ > 0) return;
    std::vector<v1::Observation> rows = {NamedRow(taken, 1)};
    std::optional<StoredRequest> earlier;
    auto written = (*other)->WriteBatch(
        rows, t0, "", "", [](const BatchOutcome&) { return ""; }, &earlier);
    ASSERT_TRUE(written.ok()) << written.status();
    EXPECT_EQ(written->created, 1);
  });
  std::vector<v1::Observation> rows = {NamedRow(taken, 2), NamedRow(fresh, 3)};
  std::optional<StoredRequest> earlier;
  auto written = (*store)->WriteBatch(
      rows, t0, "batch-1", "fp", [](const BatchOutcome&) { return "answer"; },
      &earlier);
  ASSERT_TRUE(written.ok()) << written.status();
  EXPECT_EQ(hooks, 2);  // the batch ran twice
  EXPECT_EQ(written->created, 1);
  EXPECT_EQ(written->revised, 1);
  EXPECT_EQ(written->unchanged, 0);
  EXPECT_EQ(rows[0].revision_id(), 2);
  EXPECT_EQ(rows[1].revision_id(), 1);
  auto revisions = (*store)->Revisions(taken, 0, 10);
  ASSERT_TRUE(revisions.ok()) << revisions.status();
  ASSERT_EQ(revisions->size(), 2u);
  EXPECT_EQ((*revisions)[0].observation().value(), 2);
  EXPECT_EQ((*revisions)[1].observation().value(), 1);
  auto changes = (*store)->Changes().ReadChanges(0, 10);
  ASSERT_TRUE(changes.ok()) << changes.status();
  ASSERT_EQ(changes->size(), 3u);
  EXPECT_EQ((*changes)[0].resource, taken);
  EXPECT_EQ((*changes)[0].type, common::v1::CHANGE_TYPE_CREATED);
  EXPECT_EQ((*changes)[1].resource, taken);
  EXPECT_EQ((*changes)[1].revision, 2);
  EXPECT_EQ((*changes)[1].type, common::v1::CHANGE_TYPE_UPDATED);
  EXPECT_EQ((*changes)[2].resource, fresh);
  EXPECT_EQ((*changes)[2].type, common::v1::CHANGE_TYPE_CREATED);
  EXPECT_EQ(written->sequence, 3);
  // The request is stored once, with the batch that wrote.
  auto request = (*store)->FindRequest("batch-1");
  ASSERT_TRUE(request.ok()) << request.status();
  ASSERT_TRUE(request->has_value());
  EXPECT_EQ((*request)->response, "answer");
}

TEST(PostgresEnforcementStoreTest, AnUnreachableServerIsUnavailable) {
  auto store = PostgresEnforcementStore::Open(
      OptionsFor("postgresql:///postgres?host=/nonexistent/palermo"));
  EXPECT_EQ(store.status().code(), absl::StatusCode::kUnavailable)
      << store.status();
}

}  // namespace
}  // namespace palermo::enforcement
