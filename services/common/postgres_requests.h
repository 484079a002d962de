// Idempotency keys (idempotency.h) in a service's PostgreSQL schema, in a
// table
//   requests(request_id text PRIMARY KEY, fingerprint bytea, response bytea)
// written inside the transaction of the write that carried the key. The
// primary key makes one id one write even with several processes: a
// concurrent second insert waits for the first's commit, then finds the id
// taken.
#ifndef PALERMO_SERVICES_COMMON_POSTGRES_REQUESTS_H_
#define PALERMO_SERVICES_COMMON_POSTGRES_REQUESTS_H_

#include <optional>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/common/idempotency.h"
#include "services/common/postgres.h"

namespace palermo {

// The DDL of the requests table, for a service's migrations.
inline constexpr char kPostgresRequestsTableSql[] =
    "CREATE TABLE requests ("
    "  request_id text COLLATE \"C\" PRIMARY KEY,"
    "  fingerprint bytea NOT NULL,"
    "  response bytea NOT NULL)";

// The request stored under `request_id`, if any (committed, or the caller's
// transaction's own).
absl::StatusOr<std::optional<StoredRequest>> FindStoredRequest(
    postgres::Connection& conn, absl::string_view request_id);

// Records a request inside the caller's transaction: false, and nothing
// written, if the id is taken (waiting for a concurrent transaction that
// holds it to end first).
absl::StatusOr<bool> TryStoreRequest(postgres::Connection& conn,
                                     absl::string_view request_id,
                                     const StoredRequest& request);

}  // namespace palermo

#endif  // PALERMO_SERVICES_COMMON_POSTGRES_REQUESTS_H_
