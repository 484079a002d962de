// Idempotency keys (idempotency.h) in a service's SQLite database, in a table
//   requests(request_id TEXT PRIMARY KEY, fingerprint BLOB, response BLOB)
// written inside the transaction of the write that carried the key.
#ifndef PALERMO_SERVICES_COMMON_SQLITE_REQUESTS_H_
#define PALERMO_SERVICES_COMMON_SQLITE_REQUESTS_H_

#include <optional>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/common/idempotency.h"
#include "services/common/sqlite.h"

namespace palermo {

// The DDL of the requests table, for a service's migrations.
inline constexpr char kRequestsTableSql[] =
    "CREATE TABLE requests ("
    "  request_id TEXT PRIMARY KEY,"
    "  fingerprint BLOB NOT NULL,"
    "  response BLOB NOT NULL);";

// The request stored under `request_id`, if any. The caller holds the
// database lock.
absl::StatusOr<std::optional<StoredRequest>> FindStoredRequest(
    sqlite::Database& db, absl::string_view request_id);

// Records a request inside the caller's transaction; ALREADY_EXISTS if the
// id is taken.
absl::Status StoreRequest(sqlite::Database& db, absl::string_view request_id,
                          const StoredRequest& request);

}  // namespace palermo

#endif  // PALERMO_SERVICES_COMMON_SQLITE_REQUESTS_H_
