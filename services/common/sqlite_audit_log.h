// The audit log (audit_log.h) in a service's SQLite database file, beside
// its store's tables, so that it shares the store's backup; on a connection
// of its own, its migrations recorded in their own table
// (audit_schema_version), apart from the store's numbering.
//
// Table (AuditMigrations):
//   audit_records(sequence INTEGER PRIMARY KEY, method, principal, role,
//                 resource TEXT, code INTEGER, message TEXT,
//                 time_micros INTEGER)
// with triggers that abort any UPDATE or DELETE of it: append-only, whoever
// writes the file through SQLite.
#ifndef PALERMO_SERVICES_COMMON_SQLITE_AUDIT_LOG_H_
#define PALERMO_SERVICES_COMMON_SQLITE_AUDIT_LOG_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/audit_log.h"
#include "services/common/sqlite.h"

namespace palermo {

class SqliteAuditLog : public AuditLog {
 public:
  // Opens (creating if needed) the log in the database file `path`.
  static absl::StatusOr<std::unique_ptr<SqliteAuditLog>> Open(
      const std::string& path);

  absl::StatusOr<int64_t> Append(const AuditEntry& entry) override;
  absl::StatusOr<std::vector<AuditEntry>> List(int64_t before_sequence,
                                               int limit) override;

 private:
  explicit SqliteAuditLog(std::unique_ptr<sqlite::Database> db)
      : db_(std::move(db)) {}
  std::unique_ptr<sqlite::Database> db_;
};

}  // namespace palermo

#endif  // PALERMO_SERVICES_COMMON_SQLITE_AUDIT_LOG_H_
