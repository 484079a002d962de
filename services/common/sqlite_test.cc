#include "services/common/sqlite.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "services/common/test_support.h"

namespace palermo::sqlite {
namespace {

class SqliteTest : public testing::Test {
 protected:
  void SetUp() override { dir_ = FreshTestDir(); }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Path() const { return (dir_ / "test.db").string(); }
  std::filesystem::path dir_;
};

const std::vector<Migration> kV1 = {
    {1, "CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER)"}};

TEST_F(SqliteTest, OpensInWalModeAndAppliesMigrationsOnce) {
  {
    auto db = Database::Open(Path(), kV1);
    ASSERT_TRUE(db.ok()) << db.status();
    auto lock = (*db)->Lock();
    EXPECT_EQ(*(*db)->SchemaVersion(), 1);
    auto mode = (*db)->Prepare("PRAGMA journal_mode");
    ASSERT_TRUE(mode.ok());
    ASSERT_TRUE(*mode->Step());
    EXPECT_EQ(mode->ColumnText(0), "wal");
  }
  std::vector<Migration> v2 = kV1;
  v2.push_back({2, "ALTER TABLE t ADD COLUMN note TEXT"});
  auto db = Database::Open(Path(), v2);
  ASSERT_TRUE(db.ok()) << db.status();
  auto lock = (*db)->Lock();
  EXPECT_EQ(*(*db)->SchemaVersion(), 2);
}

TEST_F(SqliteTest, RefusesADatabaseNewerThanTheBinary) {
  ASSERT_TRUE(Database::Open(Path(), {{1, "CREATE TABLE a (x)"},
                                      {2, "CREATE TABLE b (x)"}})
                  .ok());
  EXPECT_EQ(Database::Open(Path(), {{1, "CREATE TABLE a (x)"}}).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(SqliteTest, UncommittedTransactionRollsBack) {
  auto db = Database::Open(Path(), kV1);
  ASSERT_TRUE(db.ok());
  auto lock = (*db)->Lock();
  {
    auto txn = Transaction::Begin(**db);
    ASSERT_TRUE(txn.ok());
    auto insert = (*db)->Prepare("INSERT INTO t(k, v) VALUES (?, ?)");
    ASSERT_TRUE(insert.ok());
    ASSERT_TRUE(insert->Bind(1, "a").Bind(2, int64_t{1}).Run().ok());
  }  // no Commit
  auto count = (*db)->Prepare("SELECT COUNT(*) FROM t");
  ASSERT_TRUE(*count->Step());
  EXPECT_EQ(count->ColumnInt(0), 0);
}

TEST_F(SqliteTest, BoundValuesAreNeverSql) {
  auto db = Database::Open(Path(), kV1);
  ASSERT_TRUE(db.ok());
  auto lock = (*db)->Lock();
  const std::string hostile = "x'); DROP TABLE t; --";
  auto insert = (*db)->Prepare("INSERT INTO t(k, v) VALUES (?, 1)");
  ASSERT_TRUE(insert->Bind(1, hostile).Run().ok());
  auto read = (*db)->Prepare("SELECT k FROM t");
  ASSERT_TRUE(read.ok());
  ASSERT_TRUE(*read->Step());
  EXPECT_EQ(read->ColumnText(0), hostile);
}

TEST_F(SqliteTest, ConstraintViolationIsAlreadyExists) {
  auto db = Database::Open(Path(), kV1);
  auto lock = (*db)->Lock();
  ASSERT_TRUE((*db)->Prepare("INSERT INTO t(k) VALUES ('a')")->Run().ok());
  EXPECT_EQ((*db)->Prepare("INSERT INTO t(k) VALUES ('a')")->Run().code(),
            absl::StatusCode::kAlreadyExists);
}

}  // namespace
}  // namespace palermo::sqlite
