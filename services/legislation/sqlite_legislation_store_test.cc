// The SQLite legislation store: the store contract on a fresh file per test
// (two instances on one file stand for two processes), and its migrations:
// a database of schema version 1, from before the change log, opens and
// gains it.
#include "services/legislation/sqlite_legislation_store.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "services/common/sqlite.h"
#include "services/common/test_support.h"
#include "services/legislation/legislation_store_contract.h"

namespace palermo::legislation {
namespace {

class SqliteHarness : public LegislationStoreHarness {
 public:
  SqliteHarness() : dir_(FreshTestDir()) {}
  ~SqliteHarness() override { std::filesystem::remove_all(dir_); }
  absl::StatusOr<std::unique_ptr<LegislationStore>> Open(
      int64_t change_log_retain) override {
    auto store = SqliteLegislationStore::Open((dir_ / "l.db").string(),
                                              change_log_retain);
    if (!store.ok()) return store.status();
    return std::unique_ptr<LegislationStore>(*std::move(store));
  }

 private:
  std::filesystem::path dir_;
};

std::unique_ptr<LegislationStoreHarness> MakeSqliteHarness() {
  return std::make_unique<SqliteHarness>();
}

INSTANTIATE_TEST_SUITE_P(Sqlite, LegislationStoreContract,
                         testing::Values(&MakeSqliteHarness));

// Version 1 as it shipped, before the change log.
constexpr char kVersionOne[] =
    "CREATE TABLE legislation ("
    "  name TEXT PRIMARY KEY,"
    "  revision INTEGER NOT NULL,"
    "  deleted INTEGER NOT NULL DEFAULT 0,"
    "  record BLOB NOT NULL);"
    "CREATE TABLE legislation_revisions ("
    "  name TEXT NOT NULL,"
    "  revision INTEGER NOT NULL,"
    "  change_kind INTEGER NOT NULL,"
    "  actor TEXT NOT NULL,"
    "  change_time_us INTEGER NOT NULL,"
    "  changed_fields TEXT NOT NULL,"
    "  snapshot BLOB NOT NULL,"
    "  PRIMARY KEY (name, revision));"
    "CREATE TABLE requests ("
    "  request_id TEXT PRIMARY KEY,"
    "  fingerprint BLOB NOT NULL,"
    "  response BLOB NOT NULL);";

TEST(SqliteLegislationStoreMigrationTest, AVersionOneDatabaseGainsTheLog) {
  const std::filesystem::path dir = FreshTestDir();
  const std::string path = (dir / "l.db").string();
  v1::Legislation record;
  record.set_name("countries/EST/legislation");
  record.set_notes("from version 1");
  {
    auto old = sqlite::Database::Open(path, {{1, kVersionOne}});
    ASSERT_TRUE(old.ok()) << old.status();
    auto insert = (*old)->Prepare(
        "INSERT INTO legislation(name, revision, deleted, record)"
        " VALUES (?, 1, 0, ?)");
    ASSERT_TRUE(insert.ok()) << insert.status();
    ASSERT_TRUE(
        insert->Bind(1, record.name()).BindBlob(2, record.SerializeAsString())
            .Run()
            .ok());
  }
  auto store = SqliteLegislationStore::Open(path);
  ASSERT_TRUE(store.ok()) << store.status();
  auto got = (*store)->Get(record.name());
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->record.notes(), "from version 1");
  EXPECT_EQ((*store)->Changes().Bounds()->latest, 0);

  Write update;
  update.kind = v1::CHANGE_KIND_UPDATE;
  update.name = record.name();
  update.expected_revision = 1;
  update.record = record;
  update.actor = "tester";
  update.time = absl::Now();
  auto applied = (*store)->Apply(update);
  ASSERT_TRUE(applied.ok()) << applied.status();
  EXPECT_EQ(applied->revision, 2);
  EXPECT_EQ(applied->sequence, 1);
  store->reset();

  auto reopened = sqlite::Database::Open(path, {});
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  auto lock = (*reopened)->Lock();
  EXPECT_EQ(*(*reopened)->SchemaVersion(), 2);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace palermo::legislation
