// A stopgap case-worker check for CaseRecordService, until the gateway's JWT
// verification (services/common/token_verifier.h) decides who is a case
// worker: a call is a case worker's iff it carries `authorization: Bearer
// <secret>`, the secret being the content of a file
// (--case_worker_token_file). Compared in constant time; an error never
// repeats what the caller sent.
#ifndef PALERMO_SERVICES_ASSISTANCE_CASE_WORKER_SECRET_H_
#define PALERMO_SERVICES_ASSISTANCE_CASE_WORKER_SECRET_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/assistance/case_record_service.h"

namespace palermo::assistance {

// OK iff `authorization` (the header's value; nullopt when none was sent) is
// `Bearer <secret>`; UNAUTHENTICATED otherwise. `secret` must not be empty.
absl::Status CheckSharedSecret(absl::string_view secret,
                               std::optional<absl::string_view> authorization);

// The secret in `path` (trailing whitespace dropped): FAILED_PRECONDITION if
// the file cannot be read or holds no secret.
absl::StatusOr<std::string> ReadSharedSecret(const std::string& path);

// A CaseWorkerCheck on the calls' `authorization` metadata (CheckSharedSecret
// against ReadSharedSecret(path), read once); more than one such header is
// refused.
absl::StatusOr<CaseWorkerCheck> SharedSecretCheck(const std::string& path);

}  // namespace palermo::assistance

#endif  // PALERMO_SERVICES_ASSISTANCE_CASE_WORKER_SECRET_H_
