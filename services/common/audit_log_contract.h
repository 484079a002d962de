// The contract every audit log (audit_log.h) passes, whatever its database:
// a value-parameterised GoogleTest suite over a factory of fresh, empty
// logs. A log's test instantiates it:
//
//   INSTANTIATE_TEST_SUITE_P(Sqlite, AuditLogContract,
//       ::testing::Values(AuditLogImpl{"Sqlite", MakeSqliteLog}),
//       AuditLogImpl::Name);
//
// It covers sequences (1, 2, ... without gaps, also from concurrent
// appenders), every field kept as appended, listing newest first in pages,
// long values abbreviated, the log surviving a reopen, and UPDATE and DELETE
// of its rows refused by the database itself when run through plain SQL.
#ifndef PALERMO_SERVICES_COMMON_AUDIT_LOG_CONTRACT_H_
#define PALERMO_SERVICES_COMMON_AUDIT_LOG_CONTRACT_H_

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include "absl/status/status.h"
#include "services/common/audit_log.h"

namespace palermo {

// A fresh log and what the suite needs around it.
struct AuditLogUnderTest {
  std::unique_ptr<AuditLog> log;
  // Runs `sql` on the log's database (its file, or its schema) on a
  // connection of its own, as any other client of the database would.
  std::function<absl::Status(const std::string& sql)> exec;
  // Opens the same log again (as a restarted process would).
  std::function<std::unique_ptr<AuditLog>()> reopen;
};

struct AuditLogImpl {
  std::string name;
  // A fresh, empty log; `log` null makes the test fail.
  std::function<AuditLogUnderTest()> make;

  static std::string Name(const ::testing::TestParamInfo<AuditLogImpl>& info) {
    return info.param.name;
  }
};

inline void PrintTo(const AuditLogImpl& impl, std::ostream* os) {
  *os << impl.name;
}

class AuditLogContract : public ::testing::TestWithParam<AuditLogImpl> {
 protected:
  void SetUp() override;

  AuditLogUnderTest under_test_;
  AuditLog* log_ = nullptr;
};

}  // namespace palermo

#endif  // PALERMO_SERVICES_COMMON_AUDIT_LOG_CONTRACT_H_
