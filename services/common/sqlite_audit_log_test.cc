// The SQLite audit log: the contract suite on real files, and what is
// SQLite's own: the log lives in the store's file beside the store's tables
// and migrations, neither disturbing the other.
#include "services/common/sqlite_audit_log.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "services/common/audit_log_contract.h"
#include "services/common/sqlite.h"
#include "services/common/test_support.h"

namespace palermo {
namespace {

std::unique_ptr<AuditLog> OpenLog(const std::string& path) {
  auto log = SqliteAuditLog::Open(path);
  EXPECT_TRUE(log.ok()) << log.status();
  if (!log.ok()) return nullptr;
  return *std::move(log);
}

AuditLogUnderTest MakeSqliteLog() {
  const std::string path = (FreshTestDir() / "service.db").string();
  AuditLogUnderTest made;
  made.log = OpenLog(path);
  made.exec = [path](const std::string& sql) -> absl::Status {
    auto db = sqlite::Database::Open(path, {});
    if (!db.ok()) return db.status();
    auto lock = (*db)->Lock();
    return (*db)->Exec(sql);
  };
  made.reopen = [path] { return OpenLog(path); };
  return made;
}

INSTANTIATE_TEST_SUITE_P(Sqlite, AuditLogContract,
                         ::testing::Values(AuditLogImpl{"Sqlite",
                                                        MakeSqliteLog}),
                         AuditLogImpl::Name);

TEST(SqliteAuditLogTest, SharesTheStoresFileWithoutTouchingItsMigrations) {
  const std::string path = (FreshTestDir() / "service.db").string();
  {
    auto store = sqlite::Database::Open(
        path, {{1, "CREATE TABLE things(x)"}, {2, "CREATE TABLE more(y)"}});
    ASSERT_TRUE(store.ok()) << store.status();
  }
  auto log = SqliteAuditLog::Open(path);
  ASSERT_TRUE(log.ok()) << log.status();
  AuditEntry e;
  e.method = "/m";
  ASSERT_TRUE((*log)->Append(e).ok());
  // The store opens again at its own version, its tables intact.
  auto store = sqlite::Database::Open(
      path, {{1, "CREATE TABLE things(x)"}, {2, "CREATE TABLE more(y)"}});
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_EQ(*(*store)->SchemaVersion(), 2);
  auto lock = (*store)->Lock();
  auto count = (*store)->Prepare("SELECT COUNT(*) FROM audit_records");
  ASSERT_TRUE(count.ok()) << count.status();
  ASSERT_TRUE(*count->Step());
  EXPECT_EQ(count->ColumnInt(0), 1);
}

TEST(SqliteAuditLogTest, AReplaceOfARecordIsRefused) {
  // INSERT OR REPLACE deletes without firing the DELETE trigger: the
  // insert trigger refuses any sequence that is not past the last.
  AuditLogUnderTest under_test = MakeSqliteLog();
  AuditEntry e;
  e.method = "/m";
  e.code = 7;
  ASSERT_TRUE(under_test.log->Append(e).ok());
  absl::Status replaced = under_test.exec(
      "INSERT OR REPLACE INTO audit_records(sequence, method, principal, "
      "role, resource, code, message, time_micros) "
      "VALUES (1, '/m', 'x', '', '', 0, '', 0)");
  EXPECT_FALSE(replaced.ok());
  EXPECT_THAT(std::string(replaced.message()),
              ::testing::HasSubstr("append-only"));
  auto listed = under_test.log->List(0, 10);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].code, 7);
  // The log still appends after it.
  EXPECT_TRUE(under_test.log->Append(e).ok());
}

}  // namespace
}  // namespace palermo
