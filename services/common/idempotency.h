// Idempotency keys (AIP-155) in a service's SQLite database: each committed
// write that carried a request_id records the request's fingerprint and the
// response it got, in the same transaction, in a table
//   requests(request_id TEXT PRIMARY KEY, fingerprint BLOB, response BLOB).
#ifndef PALERMO_SERVICES_COMMON_IDEMPOTENCY_H_
#define PALERMO_SERVICES_COMMON_IDEMPOTENCY_H_

#include <google/protobuf/message.h>
#include <openssl/evp.h>

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/common/sqlite.h"
#include "services/common/status.h"

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

// Adds a violation on `request_id` unless it is empty or 1-128 letters,
// digits, '-', '_' and '.' (a UUID is best).
void ValidateRequestId(absl::string_view request_id,
                       FieldViolations& violations);

// INVALID_ARGUMENT on `request_id`: the id was used for another request.
absl::Status RequestIdReusedError();

// The etag of a record's revision.
std::string EtagFor(int64_t revision);

// SHA-256 of a method name and requests, each serialised deterministically:
// what a retry must repeat exactly. Never holds the request itself, and
// hashes a million-row import without copying it.
std::string RequestFingerprint(absl::string_view method,
                               const google::protobuf::Message& request);
template <typename Messages>
std::string RequestFingerprintOfAll(absl::string_view method,
                                    const Messages& messages);

// The request stored under `request_id`, if any. The caller holds the
// database lock.
absl::StatusOr<std::optional<StoredRequest>> FindStoredRequest(
    sqlite::Database& db, absl::string_view request_id);

// Records a request inside the caller's transaction.
absl::Status StoreRequest(sqlite::Database& db, absl::string_view request_id,
                          const StoredRequest& request);

namespace internal {
void AppendDeterministic(const google::protobuf::Message& message,
                         EVP_MD_CTX* context);
std::string Finish(EVP_MD_CTX* context);
EVP_MD_CTX* Start(absl::string_view method);
}  // namespace internal

template <typename Messages>
std::string RequestFingerprintOfAll(absl::string_view method,
                                    const Messages& messages) {
  EVP_MD_CTX* context = internal::Start(method);
  for (const auto& m : messages) internal::AppendDeterministic(m, context);
  return internal::Finish(context);
}

}  // namespace palermo

#endif  // PALERMO_SERVICES_COMMON_IDEMPOTENCY_H_
