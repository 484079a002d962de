// The PostgreSQL assistance store: the assistance store contract and the
// record store contract on a real server (a schema of its own per test
// database), and what is PostgreSQL's own: a malformed DSN and an
// unreachable server are refused at open, and two domains (as two
// replicas) cutting releases at once on one schema each get a release
// protected against every earlier one.
#include "services/assistance/postgres_assistance_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "services/assistance/assistance_domain.h"
#include "services/assistance/assistance_store_contract.h"
#include "services/common/test_support.h"
#include "tests/support/postgres_for_test.h"

namespace palermo::assistance {
namespace {

// One database for the binary; a schema of its own per fresh store.
std::string ContractDsn() {
  static std::mutex mu;
  static std::string dsn;
  std::lock_guard<std::mutex> lock(mu);
  if (dsn.empty()) {
    absl::StatusOr<std::string> fresh = test::FreshPostgresDatabase();
    EXPECT_TRUE(fresh.ok()) << fresh.status();
    if (fresh.ok()) dsn = *fresh;
  }
  return dsn;
}

std::string FreshSchema() {
  static std::atomic<int> n{0};
  return absl::StrCat("assistance_", n.fetch_add(1));
}

AssistanceStoreImpl::Opener FreshPostgres() {
  const std::string dsn = ContractDsn();
  const std::string schema = FreshSchema();
  return
      [dsn, schema](
          const ChangeLogOptions& options) -> std::unique_ptr<AssistanceStore> {
        if (dsn.empty()) return nullptr;
        auto store = PostgresAssistanceStore::Open({dsn, schema, 8}, options);
        EXPECT_TRUE(store.ok()) << store.status();
        if (!store.ok()) return nullptr;
        return *std::move(store);
      };
}

const AssistanceStoreImpl kPostgres{"Postgres", FreshPostgres};

INSTANTIATE_TEST_SUITE_P(Postgres, AssistanceStoreContract,
                         ::testing::Values(kPostgres),
                         AssistanceStoreImpl::Name);
INSTANTIATE_TEST_SUITE_P(PostgresAssistance, RecordStoreContract,
                         ::testing::Values(RecordsOf(kPostgres)),
                         RecordStoreImpl::Name);

TEST(PostgresAssistanceStoreTest, AMalformedDsnIsInvalidArgument) {
  auto store = PostgresAssistanceStore::Open(
      {"host=/tmp port=notaport x", "assistance", 2});
  EXPECT_EQ(store.status().code(), absl::StatusCode::kInvalidArgument)
      << store.status();
}

TEST(PostgresAssistanceStoreTest, AnUnreachableServerIsUnavailable) {
  const std::string dir = FreshTestDir().string();
  auto store = PostgresAssistanceStore::Open(
      {absl::StrCat("host=", dir, " dbname=none connect_timeout=2"),
       "assistance", 2});
  EXPECT_EQ(store.status().code(), absl::StatusCode::kUnavailable)
      << store.status();
}

TEST(PostgresAssistanceStoreTest, TwoReplicasCuttingAtOnceNumberEveryRelease) {
  AssistanceStoreImpl::Opener open = FreshPostgres();
  std::unique_ptr<AssistanceStore> stores[2] = {open({}), open({})};
  ASSERT_NE(stores[0], nullptr);
  ASSERT_NE(stores[1], nullptr);
  std::unique_ptr<AssistanceDomain> domains[2];
  for (int s = 0; s < 2; ++s) {
    domains[s] = std::make_unique<AssistanceDomain>(*stores[s], TestEntities());
  }
  constexpr int kCuts = 3;  // a cut protects every cell: ~0.5 s
  std::vector<std::string> failures;
  std::mutex mu;
  std::set<int64_t> numbers;
  std::vector<std::thread> threads;
  for (int s = 0; s < 2; ++s) {
    threads.emplace_back([&, s] {
      for (int i = 0; i < kCuts; ++i) {
        v1::CreateCaseReleaseRequest request;
        request.set_request_id(absl::StrCat("cut-", s, "-", i));
        int64_t sequence = 0;
        auto release = domains[s]->CreateCaseRelease(request, &sequence);
        std::lock_guard<std::mutex> lock(mu);
        if (!release.ok()) {
          failures.push_back(release.status().ToString());
          continue;
        }
        numbers.insert(release->number());
        if (sequence < 1) failures.push_back("no sequence");
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_THAT(failures, ::testing::IsEmpty());
  ASSERT_EQ(numbers.size(), static_cast<size_t>(2 * kCuts));
  EXPECT_EQ(*numbers.rbegin(), 2 * kCuts);
  // Each replica's latest is the other's too.
  for (int s = 0; s < 2; ++s) {
    v1::AggregateCasesRequest request;
    request.add_group_by(v1::CASE_DIMENSION_GENDER);
    auto counts = domains[s]->AggregateCases(request);
    ASSERT_TRUE(counts.ok()) << counts.status();
    EXPECT_EQ(counts->release(), 2 * kCuts);
  }
}

}  // namespace
}  // namespace palermo::assistance
