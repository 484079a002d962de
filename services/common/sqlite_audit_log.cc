// The audit log in SQLite (sqlite_audit_log.h).
#include "services/common/sqlite_audit_log.h"

#include <algorithm>
#include <limits>
#include <utility>

namespace palermo {
namespace {

std::vector<sqlite::Migration> AuditMigrations() {
  return {{1,
           "CREATE TABLE audit_records ("
           "  sequence INTEGER PRIMARY KEY,"
           "  method TEXT NOT NULL,"
           "  principal TEXT NOT NULL,"
           "  role TEXT NOT NULL,"
           "  resource TEXT NOT NULL,"
           "  code INTEGER NOT NULL,"
           "  message TEXT NOT NULL,"
           "  time_micros INTEGER NOT NULL);"
           "CREATE TRIGGER audit_records_no_update BEFORE UPDATE ON "
           "audit_records BEGIN"
           "  SELECT RAISE(ABORT, 'audit records are append-only');"
           " END;"
           "CREATE TRIGGER audit_records_no_delete BEFORE DELETE ON "
           "audit_records BEGIN"
           "  SELECT RAISE(ABORT, 'audit records are append-only');"
           " END;"},
          // An INSERT OR REPLACE of an existing sequence would replace a
          // record without firing the DELETE trigger: an insert naming its
          // sequence must come after the last record (one naming none, as
          // Append's, has NEW.sequence -1 here).
          {2,
           "CREATE TRIGGER audit_records_append_only BEFORE INSERT ON "
           "audit_records WHEN NEW.sequence > 0 AND NEW.sequence <= "
           "(SELECT COALESCE(MAX(sequence), 0) FROM audit_records) BEGIN"
           "  SELECT RAISE(ABORT, 'audit records are append-only');"
           " END;"}};
}

}  // namespace

absl::StatusOr<std::unique_ptr<SqliteAuditLog>> SqliteAuditLog::Open(
    const std::string& path) {
  auto db =
      sqlite::Database::Open(path, AuditMigrations(), "audit_schema_version");
  if (!db.ok()) return db.status();
  return std::unique_ptr<SqliteAuditLog>(new SqliteAuditLog(*std::move(db)));
}

absl::StatusOr<int64_t> SqliteAuditLog::Append(const AuditEntry& raw) {
  const AuditEntry entry = BoundedAuditEntry(raw);
  auto lock = db_->Lock();
  // One statement, so one implicit transaction: the sequence is the largest
  // plus one under the file's write lock, in commit order across processes.
  auto insert = db_->Prepare(
      "INSERT INTO audit_records(method, principal, role, resource, code,"
      " message, time_micros) VALUES (?, ?, ?, ?, ?, ?, ?)"
      " RETURNING sequence");
  if (!insert.ok()) return insert.status();
  insert->Bind(1, entry.method)
      .Bind(2, entry.principal)
      .Bind(3, entry.role)
      .Bind(4, entry.resource)
      .Bind(5, int64_t{entry.code})
      .Bind(6, entry.message)
      .Bind(7, absl::ToUnixMicros(entry.time));
  absl::StatusOr<bool> row = insert->Step();
  if (!row.ok()) return row.status();
  if (!*row) return absl::InternalError("audit insert returned no sequence");
  const int64_t sequence = insert->ColumnInt(0);
  if (absl::StatusOr<bool> done = insert->Step(); !done.ok()) {
    return done.status();
  }
  return sequence;
}

absl::StatusOr<std::vector<AuditEntry>> SqliteAuditLog::List(
    int64_t before_sequence, int limit) {
  auto lock = db_->Lock();
  auto select = db_->Prepare(
      "SELECT sequence, method, principal, role, resource, code, message,"
      " time_micros FROM audit_records WHERE sequence < ?"
      " ORDER BY sequence DESC LIMIT ?");
  if (!select.ok()) return select.status();
  select
      ->Bind(1, before_sequence > 0 ? before_sequence
                                    : std::numeric_limits<int64_t>::max())
      .Bind(2, int64_t{std::max(limit, 0)});
  std::vector<AuditEntry> out;
  while (true) {
    absl::StatusOr<bool> row = select->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    AuditEntry& e = out.emplace_back();
    e.sequence = select->ColumnInt(0);
    e.method = select->ColumnText(1);
    e.principal = select->ColumnText(2);
    e.role = select->ColumnText(3);
    e.resource = select->ColumnText(4);
    e.code = static_cast<int>(select->ColumnInt(5));
    e.message = select->ColumnText(6);
    e.time = absl::FromUnixMicros(select->ColumnInt(7));
  }
  return out;
}

}  // namespace palermo
