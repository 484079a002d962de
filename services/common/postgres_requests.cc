// Idempotency keys in PostgreSQL (postgres_requests.h).
#include "services/common/postgres_requests.h"

namespace palermo {

absl::StatusOr<std::optional<StoredRequest>> FindStoredRequest(
    postgres::Connection& conn, absl::string_view request_id) {
  absl::StatusOr<postgres::Result> r = conn.Execute(
      "SELECT fingerprint, response FROM requests WHERE request_id = $1",
      {postgres::Param::Text(request_id)});
  if (!r.ok()) return r.status();
  if (r->rows() == 0) return std::nullopt;
  return StoredRequest{r->Bytes(0, 0), r->Bytes(0, 1)};
}

absl::StatusOr<bool> TryStoreRequest(postgres::Connection& conn,
                                     absl::string_view request_id,
                                     const StoredRequest& request) {
  absl::StatusOr<postgres::Result> r = conn.Execute(
      "INSERT INTO requests(request_id, fingerprint, response)"
      " VALUES ($1, $2, $3) ON CONFLICT (request_id) DO NOTHING",
      {postgres::Param::Text(request_id),
       postgres::Param::Bytes(request.fingerprint),
       postgres::Param::Bytes(request.response)});
  if (!r.ok()) return r.status();
  return r->affected() == 1;
}

}  // namespace palermo
