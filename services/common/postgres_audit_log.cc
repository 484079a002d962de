// The audit log in PostgreSQL (postgres_audit_log.h).
#include "services/common/postgres_audit_log.h"

#include <algorithm>
#include <limits>
#include <utility>

namespace palermo {
namespace {

using postgres::Param;

std::vector<postgres::Migration> AuditMigrations() {
  return {{1,
           "CREATE TABLE audit_records ("
           "  sequence bigint PRIMARY KEY,"
           "  method text NOT NULL,"
           "  principal text NOT NULL,"
           "  role text NOT NULL,"
           "  resource text COLLATE \"C\" NOT NULL,"
           "  code integer NOT NULL,"
           "  message text NOT NULL,"
           "  time timestamptz NOT NULL);"
           "CREATE TABLE audit_counter ("
           "  id integer PRIMARY KEY CHECK (id = 1),"
           "  sequence bigint NOT NULL);"
           "INSERT INTO audit_counter(id, sequence) VALUES (1, 0);"
           "CREATE FUNCTION audit_records_refuse() RETURNS trigger"
           " LANGUAGE plpgsql AS $$ BEGIN"
           "  RAISE EXCEPTION 'audit records are append-only (% refused)',"
           "    TG_OP;"
           " END $$;"
           "CREATE TRIGGER audit_records_append_only"
           " BEFORE UPDATE OR DELETE ON audit_records"
           " FOR EACH ROW EXECUTE FUNCTION audit_records_refuse();"
           "CREATE TRIGGER audit_records_no_truncate"
           " BEFORE TRUNCATE ON audit_records"
           " FOR EACH STATEMENT EXECUTE FUNCTION audit_records_refuse();"}};
}

}  // namespace

absl::StatusOr<std::unique_ptr<PostgresAuditLog>> PostgresAuditLog::Open(
    postgres::Options options) {
  options.migrations_table = "audit_schema_version";
  // Appends are one short statement each: a couple of connections do.
  options.pool_size = std::min(options.pool_size, 2);
  auto pool = postgres::Pool::Open(options, AuditMigrations());
  if (!pool.ok()) return pool.status();
  return std::unique_ptr<PostgresAuditLog>(
      new PostgresAuditLog(*std::move(pool)));
}

absl::StatusOr<int64_t> PostgresAuditLog::Append(const AuditEntry& raw) {
  const AuditEntry entry = BoundedAuditEntry(raw);
  absl::StatusOr<postgres::Pool::Handle> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  // One statement: the counter's row stays locked until it commits, so the
  // next append (from any replica) numbers after it.
  absl::StatusOr<postgres::Result> inserted = (*conn)->Execute(
      "WITH next AS (UPDATE audit_counter SET sequence = sequence + 1"
      " WHERE id = 1 RETURNING sequence)"
      " INSERT INTO audit_records(sequence, method, principal, role,"
      " resource, code, message, time)"
      " SELECT sequence, $1::text, $2::text, $3::text, $4::text,"
      " $5::integer, $6::text, $7::timestamptz FROM next"
      " RETURNING sequence",
      {Param::Text(entry.method), Param::Text(entry.principal),
       Param::Text(entry.role), Param::Text(entry.resource),
       Param::Int(entry.code), Param::Text(entry.message),
       Param::Time(entry.time)});
  if (!inserted.ok()) return inserted.status();
  if (inserted->rows() != 1) {
    return absl::InternalError("audit_counter has no row");
  }
  return inserted->Int(0, 0);
}

absl::StatusOr<std::vector<AuditEntry>> PostgresAuditLog::List(
    int64_t before_sequence, int limit) {
  absl::StatusOr<postgres::Pool::Handle> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  absl::StatusOr<postgres::Result> rows = (*conn)->Execute(
      "SELECT sequence, method, principal, role, resource, code, message,"
      " time FROM audit_records WHERE sequence < $1"
      " ORDER BY sequence DESC LIMIT $2",
      {Param::Int(before_sequence > 0 ? before_sequence
                                      : std::numeric_limits<int64_t>::max()),
       Param::Int(std::max(limit, 0))});
  if (!rows.ok()) return rows.status();
  std::vector<AuditEntry> out;
  out.reserve(rows->rows());
  for (int i = 0; i < rows->rows(); ++i) {
    AuditEntry& e = out.emplace_back();
    e.sequence = rows->Int(i, 0);
    e.method = rows->Text(i, 1);
    e.principal = rows->Text(i, 2);
    e.role = rows->Text(i, 3);
    e.resource = rows->Text(i, 4);
    e.code = static_cast<int>(rows->Int(i, 5));
    e.message = rows->Text(i, 6);
    e.time = rows->Time(i, 7);
  }
  return out;
}

}  // namespace palermo
