// Idempotency keys (AIP-155) in a service's SQLite database: each committed
// write that carried a request_id records the request's fingerprint and the
// response it got, in the same transaction, in a table
//   requests(request_id TEXT PRIMARY KEY, fingerprint BLOB, response BLOB).
#ifndef PALERMO_SERVICES_COMMON_IDEMPOTENCY_H_
#define PALERMO_SERVICES_COMMON_IDEMPOTENCY_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/common/sqlite.h"

namespace palermo {

// The DDL of the requests table, for a service's first migration.
inline constexpr char kRequestsTableSql[] =
    "CREATE TABLE requests ("
    "  request_id TEXT PRIMARY KEY,"
    "  fingerprint BLOB NOT NULL,"
    "  response BLOB NOT NULL);";

// An earlier write's key: what was asked, what was answered.
struct StoredRequest {
  std::string fingerprint;
  std::string response;
};

// The request stored under `request_id`, if any. The caller holds the
// database lock.
absl::StatusOr<std::optional<StoredRequest>> FindStoredRequest(
    sqlite::Database& db, absl::string_view request_id);

// Records a request inside the caller's transaction.
absl::Status StoreRequest(sqlite::Database& db, absl::string_view request_id,
                          const StoredRequest& request);

}  // namespace palermo

#endif  // PALERMO_SERVICES_COMMON_IDEMPOTENCY_H_
