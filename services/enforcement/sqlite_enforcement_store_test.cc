// The SQLite enforcement store: the contract suite on real files, and what
// is SQLite's own: a database of an earlier version (before the change log)
// opens, keeps its data, and its commit times go on after its versions'.
#include "services/enforcement/sqlite_enforcement_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "services/common/test_support.h"
#include "services/enforcement/enforcement_store_contract.h"
#include "services/enforcement/indicator_seed.h"

namespace palermo::enforcement {
namespace {

std::string FreshSqliteDatabase() {
  return (FreshTestDir() / "enforcement.db").string();
}

std::unique_ptr<EnforcementStore> OpenSqliteStore(
    const std::string& path, const ChangeLogOptions& options) {
  auto store = SqliteEnforcementStore::Open(path, options);
  EXPECT_TRUE(store.ok()) << store.status();
  if (!store.ok()) return nullptr;
  return *std::move(store);
}

INSTANTIATE_TEST_SUITE_P(Sqlite, EnforcementStoreContract,
                         ::testing::Values(EnforcementStoreImpl{
                             "Sqlite", FreshSqliteDatabase, OpenSqliteStore}),
                         EnforcementStoreImpl::Name);

TEST(SqliteEnforcementStoreTest, ADatabaseFromBeforeTheChangeLogOpens) {
  const std::string path = FreshSqliteDatabase();
  // Version 4, as the service left it before issue 11: one observation
  // with two versions, the second committed at 2,000,000 us.
  {
    auto old = sqlite::Database::Open(
        path,
        {{1,
          "CREATE TABLE indicators (code TEXT PRIMARY KEY, display_name TEXT"
          " NOT NULL, description TEXT NOT NULL, unit TEXT NOT NULL);"
          "CREATE TABLE observations (name TEXT NOT NULL, revision INTEGER"
          " NOT NULL, entity TEXT NOT NULL, indicator TEXT NOT NULL,"
          " first_day INTEGER NOT NULL, last_day INTEGER NOT NULL, dims_mask"
          " INTEGER NOT NULL, valid_from_us INTEGER NOT NULL, valid_to_us"
          " INTEGER, record BLOB NOT NULL, PRIMARY KEY (name, revision))"
          " WITHOUT ROWID;"
          "CREATE INDEX observations_by_indicator ON observations(indicator,"
          " dims_mask, name);"
          "CREATE TABLE requests (request_id TEXT PRIMARY KEY, fingerprint"
          " BLOB NOT NULL, response BLOB NOT NULL);"},
         {2, IndicatorSeedSteps()[0]},
         {3, IndicatorSeedSteps()[1]},
         {4, IndicatorSeedSteps()[2]}});
    ASSERT_TRUE(old.ok()) << old.status();
    v1::Observation o;
    o.set_name("countries/HRV/observations/VICTIMS_IDENTIFIED_2005_2005");
    o.set_value(6);
    auto lock = (*old)->Lock();
    auto insert = (*old)->Prepare(
        "INSERT INTO observations VALUES (?, ?, 'countries/HRV',"
        " 'VICTIMS_IDENTIFIED', 0, 0, 0, ?, ?, ?)");
    ASSERT_TRUE(insert.ok()) << insert.status();
    ASSERT_TRUE(insert->Bind(1, o.name())
                    .Bind(2, int64_t{1})
                    .Bind(3, int64_t{1000000})
                    .Bind(4, int64_t{2000000})
                    .BindBlob(5, o.SerializeAsString())
                    .Run()
                    .ok());
    insert->Reset();
    o.set_value(7);
    ASSERT_TRUE(insert->Bind(1, o.name())
                    .Bind(2, int64_t{2})
                    .Bind(3, int64_t{2000000})
                    .BindBlob(5, o.SerializeAsString())
                    .Run()
                    .ok());
  }
  auto store = SqliteEnforcementStore::Open(path);
  ASSERT_TRUE(store.ok()) << store.status();
  ObservationQuery q;
  auto rows = (*store)->Query(q);
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].value(), 7);
  EXPECT_EQ((*rows)[0].revision_id(), 2);
  auto indicators = (*store)->ListIndicators();
  ASSERT_TRUE(indicators.ok()) << indicators.status();
  EXPECT_EQ(indicators->size(), 20u);
  auto bounds = (*store)->Changes().Bounds();
  ASSERT_TRUE(bounds.ok()) << bounds.status();
  EXPECT_EQ(bounds->latest, 0);

  // A clock before the old versions: the next commit still follows them.
  std::vector<v1::Observation> batch(1);
  batch[0].set_name((*rows)[0].name());
  batch[0].set_value(8);
  std::optional<StoredRequest> earlier;
  auto outcome = (*store)->WriteBatch(
      batch, absl::FromUnixMicros(5), "", "",
      [](const BatchOutcome&) { return std::string(); }, &earlier);
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  EXPECT_EQ(outcome->revised, 1);
  EXPECT_EQ(outcome->commit_time, absl::FromUnixMicros(2000001));
  EXPECT_EQ(outcome->sequence, 1);
  EXPECT_EQ(batch[0].revision_id(), 3);
}

}  // namespace
}  // namespace palermo::enforcement
