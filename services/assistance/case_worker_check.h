// Who may call CaseRecordService: a caller whose bearer token (verified by
// the assistance service itself, token_verifier.h: the gateway never
// forwards case records) names a case worker. No token: UNAUTHENTICATED;
// a valid token of another role: PERMISSION_DENIED; a bad token:
// UNAUTHENTICATED, never repeating it. Without a verifier (no
// --jwt_public_key_files), every call is refused.
#ifndef PALERMO_SERVICES_ASSISTANCE_CASE_WORKER_CHECK_H_
#define PALERMO_SERVICES_ASSISTANCE_CASE_WORKER_CHECK_H_

#include <memory>

#include "services/assistance/case_record_service.h"
#include "services/common/audit_interceptor.h"
#include "services/common/token_verifier.h"

namespace palermo::assistance {

// The check over `verifier` (null: refuse every call), which it keeps.
CaseWorkerCheck CaseWorkerTokenCheck(
    std::shared_ptr<const TokenVerifier> verifier);

// Who the audit log names for a call: the subject and role of a valid
// bearer token (a case worker on the case-records listener), else the
// caller as the service believes it (CallerAsAudited).
AuditCallerFunction CaseWorkerOrCaller(
    std::shared_ptr<const TokenVerifier> verifier);

}  // namespace palermo::assistance

#endif  // PALERMO_SERVICES_ASSISTANCE_CASE_WORKER_CHECK_H_
