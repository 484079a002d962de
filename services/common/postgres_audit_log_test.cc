// The PostgreSQL audit log: the contract suite on a real server, and what
// is PostgreSQL's own: TRUNCATE refused too, and two logs (two replicas) on
// one schema numbering their appends in one contiguous order.
#include "services/common/postgres_audit_log.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "absl/strings/str_cat.h"
#include "services/common/audit_log_contract.h"
#include "tests/support/postgres_for_test.h"

namespace palermo {
namespace {

using ::testing::HasSubstr;

// One database for the binary; a schema of its own per log.
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

postgres::Options FreshOptions() {
  static std::atomic<int> n{0};
  postgres::Options options;
  options.dsn = ContractDsn();
  options.schema = absl::StrCat("audit_", n.fetch_add(1));
  return options;
}

std::unique_ptr<PostgresAuditLog> OpenLog(const postgres::Options& options) {
  if (options.dsn.empty()) return nullptr;
  auto log = PostgresAuditLog::Open(options);
  EXPECT_TRUE(log.ok()) << log.status();
  if (!log.ok()) return nullptr;
  return *std::move(log);
}

absl::Status ExecIn(const postgres::Options& options, const std::string& sql) {
  auto conn = postgres::Connection::Open(options.dsn);
  if (!conn.ok()) return conn.status();
  if (absl::Status s = (*conn)->Exec(absl::StrCat(
          "SET search_path TO ", (*conn)->QuoteIdentifier(options.schema)));
      !s.ok()) {
    return s;
  }
  return (*conn)->Exec(sql);
}

AuditLogUnderTest MakePostgresLog() {
  const postgres::Options options = FreshOptions();
  AuditLogUnderTest made;
  made.log = OpenLog(options);
  made.exec = [options](const std::string& sql) {
    return ExecIn(options, sql);
  };
  made.reopen = [options]() -> std::unique_ptr<AuditLog> {
    return OpenLog(options);
  };
  return made;
}

INSTANTIATE_TEST_SUITE_P(Postgres, AuditLogContract,
                         ::testing::Values(AuditLogImpl{"Postgres",
                                                        MakePostgresLog}),
                         AuditLogImpl::Name);

TEST(PostgresAuditLogTest, TruncateIsRefused) {
  const postgres::Options options = FreshOptions();
  std::unique_ptr<PostgresAuditLog> log = OpenLog(options);
  ASSERT_NE(log, nullptr);
  AuditEntry e;
  e.method = "/m";
  ASSERT_TRUE(log->Append(e).ok());
  absl::Status truncate = ExecIn(options, "TRUNCATE audit_records");
  EXPECT_FALSE(truncate.ok());
  EXPECT_THAT(std::string(truncate.message()), HasSubstr("append-only"));
  absl::StatusOr<std::vector<AuditEntry>> listed = log->List(0, 10);
  ASSERT_TRUE(listed.ok()) << listed.status();
  EXPECT_EQ(listed->size(), 1u);
}

TEST(PostgresAuditLogTest, TwoReplicasOnOneSchemaNumberInOneOrder) {
  const postgres::Options options = FreshOptions();
  std::unique_ptr<PostgresAuditLog> a = OpenLog(options);
  std::unique_ptr<PostgresAuditLog> b = OpenLog(options);
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  constexpr int kEach = 30;
  auto append = [](PostgresAuditLog* log) {
    for (int i = 0; i < kEach; ++i) {
      AuditEntry e;
      e.method = "/m";
      EXPECT_TRUE(log->Append(e).ok());
    }
  };
  std::thread ta(append, a.get());
  std::thread tb(append, b.get());
  ta.join();
  tb.join();
  absl::StatusOr<std::vector<AuditEntry>> listed = a->List(0, 1000);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->size(), 2u * kEach);
  for (int i = 0; i < 2 * kEach; ++i) {
    EXPECT_EQ((*listed)[i].sequence, 2 * kEach - i);
  }
}

}  // namespace
}  // namespace palermo
