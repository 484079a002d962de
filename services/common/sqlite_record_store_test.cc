// The SQLite record store: the contract suite on real files, and what is
// SQLite's own (migrations by explicit versions, databases of the old
// positional numbering, a store over a shared database).
#include "services/common/sqlite_record_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

#include "services/common/record_store_contract.h"
#include "services/common/sqlite_requests.h"
#include "services/common/test_support.h"

namespace palermo {
namespace {

using ::testing::ElementsAre;

std::unique_ptr<RecordStore> MakeSqliteStore(const RecordSchema& schema,
                                             const ChangeLogOptions& options) {
  // A fresh directory per test (FreshTestDir names it after the test).
  const std::filesystem::path dir = FreshTestDir();
  auto store =
      SqliteRecordStore::Open((dir / "store.db").string(), schema, options);
  EXPECT_TRUE(store.ok()) << store.status();
  if (!store.ok()) return nullptr;
  return *std::move(store);
}

INSTANTIATE_TEST_SUITE_P(Sqlite, RecordStoreContract,
                         ::testing::Values(RecordStoreImpl{"Sqlite",
                                                           MakeSqliteStore}),
                         RecordStoreImpl::Name);

class SqliteRecordStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = FreshTestDir(); }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Path() const { return (dir_ / "r.db").string(); }

  std::filesystem::path dir_;
};

TEST_F(SqliteRecordStoreTest, ADatabaseOfThePositionalNumberingOpens) {
  // Before explicit versions: 1 the requests table, 2 + i collection i.
  {
    auto old = sqlite::Database::Open(
        Path(), {{1, kRequestsTableSql},
                 {2, SqliteRecordStore::TableSql("things")},
                 {3, SqliteRecordStore::TableSql("others")}});
    ASSERT_TRUE(old.ok()) << old.status();
    auto lock = (*old)->Lock();
    ASSERT_TRUE((*old)
                    ->Exec("INSERT INTO things(name, revision, record) VALUES"
                           " ('things/a', 4, x'6f6e65');"
                           "INSERT INTO requests VALUES ('key-1', x'01',"
                           " x'02');")
                    .ok());
  }
  // The explicit schema says the same numbering, and adds the change log.
  const RecordSchema schema = {1, {{2, "things"}, {3, "others"}}, 4};
  auto store = SqliteRecordStore::Open(Path(), schema);
  ASSERT_TRUE(store.ok()) << store.status();
  auto kept = (*store)->Get("things", "things/a");
  ASSERT_TRUE(kept.ok() && kept->has_value());
  EXPECT_EQ((*kept)->record, "one");
  EXPECT_EQ((*kept)->revision, 4);
  EXPECT_TRUE((*store)->FindRequest("key-1")->has_value());
  auto bounds = (*store)->Changes().Bounds();
  ASSERT_TRUE(bounds.ok()) << bounds.status();
  EXPECT_EQ(bounds->latest, 0);
  auto put = (*store)->Put("things", {"things/a", "two", 5}, 4, "", {});
  ASSERT_TRUE(put.ok()) << put.status();
  EXPECT_EQ(put->revision, 5);
  EXPECT_EQ(put->sequence, 1);
  auto changes = (*store)->Changes().ReadChanges(0, 10);
  ASSERT_EQ(changes->size(), 1u);
  EXPECT_EQ((*changes)[0].type, common::v1::CHANGE_TYPE_UPDATED);
  store->reset();
  // Its schema version is now the change log's.
  auto db = sqlite::Database::Open(Path(), {});
  ASSERT_TRUE(db.ok());
  EXPECT_EQ(*(*db)->SchemaVersion(), 4);
}

TEST_F(SqliteRecordStoreTest, ACollectionAddedLaterGetsItsTableAtItsVersion) {
  {
    auto store = SqliteRecordStore::Open(Path(), {1, {{2, "things"}}, 3});
    ASSERT_TRUE(store.ok()) << store.status();
    ASSERT_TRUE(
        (*store)->Put("things", {"things/a", "one", 1}, 0, "", {}).ok());
  }
  auto store =
      SqliteRecordStore::Open(Path(), {1, {{2, "things"}, {4, "later"}}, 3});
  ASSERT_TRUE(store.ok()) << store.status();
  auto later = (*store)->Put("later", {"later/a", "x", 1}, 0, "", {});
  ASSERT_TRUE(later.ok()) << later.status();
  EXPECT_EQ(later->sequence, 2);  // one log for every collection
  EXPECT_EQ((*(*store)->Get("things", "things/a"))->record, "one");
  EXPECT_EQ((*store)->Get("nowhere", "x").status().code(),
            absl::StatusCode::kInternal);
}

TEST_F(SqliteRecordStoreTest, ABinaryOlderThanTheDatabaseRefusesIt) {
  ASSERT_TRUE(
      SqliteRecordStore::Open(Path(), {1, {{2, "things"}, {4, "later"}}, 3})
          .ok());
  EXPECT_EQ(
      SqliteRecordStore::Open(Path(), {1, {{2, "things"}}, 3}).status().code(),
      absl::StatusCode::kFailedPrecondition);
}

TEST_F(SqliteRecordStoreTest, ABadSchemaOrRetainIsRefused) {
  EXPECT_EQ(
      SqliteRecordStore::Open(Path(), {1, {{1, "things"}}, 3}).status().code(),
      absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(
      SqliteRecordStore::Open(Path(), {1, {{2, "Things"}}, 3}).status().code(),
      absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(SqliteRecordStore::Open(Path(), {1, {{2, "things"}}, 3}, {0})
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(SqliteRecordStoreTest, TwoConnectionsToOneFileNumberChangesInOneOrder) {
  // As two processes would: each store has its own connection and lock.
  const RecordSchema schema = {1, {{2, "things"}}, 3};
  auto a = SqliteRecordStore::Open(Path(), schema);
  auto b = SqliteRecordStore::Open(Path(), schema);
  ASSERT_TRUE(a.ok() && b.ok());
  constexpr int kWrites = 30;
  auto write = [&](SqliteRecordStore& store, const std::string& name) {
    for (int i = 0; i < kWrites; ++i) {
      auto put = store.Put("things", {name, "x", i + 1}, i, "", {});
      ASSERT_TRUE(put.ok()) << put.status();
    }
  };
  std::thread other(write, std::ref(**b), "things/b");
  write(**a, "things/a");
  other.join();
  auto changes = (*a)->Changes().ReadChanges(0, 1000);
  ASSERT_TRUE(changes.ok()) << changes.status();
  ASSERT_EQ(changes->size(), 2u * kWrites);
  int64_t last_a = 0, last_b = 0;
  for (size_t i = 0; i < changes->size(); ++i) {
    const ChangeEntry& e = (*changes)[i];
    EXPECT_EQ(e.sequence, static_cast<int64_t>(i) + 1);
    int64_t& last = e.resource == "things/a" ? last_a : last_b;
    EXPECT_EQ(e.revision, last + 1);  // each record's revisions in order
    last = e.revision;
    if (i > 0) {
      EXPECT_GT(e.commit_time, (*changes)[i - 1].commit_time);
    }
  }
  EXPECT_EQ((*b)->Changes().Bounds()->latest, 2 * kWrites);
}

TEST_F(SqliteRecordStoreTest, AStoreOverASharedDatabaseSharesItsLog) {
  auto migrations = SqliteRecordStore::Migrations({1, {{2, "things"}}, 3});
  ASSERT_TRUE(migrations.ok()) << migrations.status();
  migrations->push_back({4, "CREATE TABLE own (x INTEGER);"});
  auto db = sqlite::Database::Open(Path(), *migrations);
  ASSERT_TRUE(db.ok()) << db.status();
  auto store = SqliteRecordStore::Over(**db, {{1, "things"}});
  ASSERT_TRUE(store.ok()) << store.status();
  ASSERT_TRUE((*store)->Put("things", {"things/a", "one", 1}, 0, "", {}).ok());
  // The owner's own write appends to the same log, in its transaction.
  {
    auto lock = (*db)->Lock();
    auto txn = sqlite::Transaction::Begin(**db);
    ASSERT_TRUE(txn.ok());
    ASSERT_TRUE((*db)->Exec("INSERT INTO own VALUES (1)").ok());
    std::vector<ChangeEntry> entries(2);
    entries[0].resource = "own/1";
    entries[1].resource = "own/2";
    auto appended = (*store)->change_log().Append(entries);
    ASSERT_TRUE(appended.ok()) << appended.status();
    EXPECT_EQ(appended->sequence, 3);
    ASSERT_TRUE(txn->Commit().ok());
  }
  auto changes = (*store)->Changes().ReadChanges(0, 10);
  std::vector<std::string> resources;
  for (const ChangeEntry& e : *changes) resources.push_back(e.resource);
  EXPECT_THAT(resources, ElementsAre("things/a", "own/1", "own/2"));
}

}  // namespace
}  // namespace palermo
