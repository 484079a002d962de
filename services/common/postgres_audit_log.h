// The audit log (audit_log.h) in a service's PostgreSQL schema, beside its
// store's tables, on a small pool of its own; its migrations are recorded in
// their own table (audit_schema_version), apart from the store's numbering.
//
// Tables (in the schema):
//   audit_records(sequence bigint PRIMARY KEY, method, principal, role,
//                 resource text, code integer, message text,
//                 time timestamptz)
//   audit_counter(id = 1, sequence bigint): its row lock orders the appends,
//                 so that sequences are contiguous in commit order even with
//                 several replicas on one schema.
// Triggers raise an error on any UPDATE, DELETE or TRUNCATE of
// audit_records: append-only, whoever connects.
#ifndef PALERMO_SERVICES_COMMON_POSTGRES_AUDIT_LOG_H_
#define PALERMO_SERVICES_COMMON_POSTGRES_AUDIT_LOG_H_

#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/audit_log.h"
#include "services/common/postgres.h"

namespace palermo {

class PostgresAuditLog : public AuditLog {
 public:
  // Connects with `options` (its dsn and schema: the service's; its
  // migrations table and pool size are the log's own) and migrates.
  static absl::StatusOr<std::unique_ptr<PostgresAuditLog>> Open(
      postgres::Options options);

  absl::StatusOr<int64_t> Append(const AuditEntry& entry) override;
  absl::StatusOr<std::vector<AuditEntry>> List(int64_t before_sequence,
                                               int limit) override;

  postgres::Pool& pool() { return *pool_; }

 private:
  explicit PostgresAuditLog(std::unique_ptr<postgres::Pool> pool)
      : pool_(std::move(pool)) {}
  std::unique_ptr<postgres::Pool> pool_;
};

}  // namespace palermo

#endif  // PALERMO_SERVICES_COMMON_POSTGRES_AUDIT_LOG_H_
