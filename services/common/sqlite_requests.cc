// Idempotency keys in SQLite (sqlite_requests.h).
#include "services/common/sqlite_requests.h"

namespace palermo {

absl::StatusOr<std::optional<StoredRequest>> FindStoredRequest(
    sqlite::Database& db, absl::string_view request_id) {
  auto stmt = db.Prepare(
      "SELECT fingerprint, response FROM requests WHERE request_id = ?");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, request_id);
  absl::StatusOr<bool> row = stmt->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::nullopt;
  return StoredRequest{stmt->ColumnBlob(0), stmt->ColumnBlob(1)};
}

absl::Status StoreRequest(sqlite::Database& db, absl::string_view request_id,
                          const StoredRequest& request) {
  auto stmt = db.Prepare(
      "INSERT INTO requests(request_id, fingerprint, response) VALUES (?, ?, "
      "?)");
  if (!stmt.ok()) return stmt.status();
  return stmt->Bind(1, request_id)
      .BindBlob(2, request.fingerprint)
      .BindBlob(3, request.response)
      .Run();
}

}  // namespace palermo
