// Idempotency keys (AIP-155): each committed write that carried a request_id
// records the request's fingerprint and the response it got, in the same
// transaction, in its store's requests table (sqlite_requests.h,
// postgres_requests.h). Here: the key's shape, request id validation, etags
// and fingerprints. The protocol that uses them: idempotent_write.h.
#ifndef PALERMO_SERVICES_COMMON_IDEMPOTENCY_H_
#define PALERMO_SERVICES_COMMON_IDEMPOTENCY_H_

#include <google/protobuf/message.h>
#include <openssl/evp.h>

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/common/status.h"

namespace palermo {

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
