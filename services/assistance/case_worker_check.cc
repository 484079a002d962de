#include "services/assistance/case_worker_check.h"

#include <utility>

#include "absl/time/clock.h"
#include "services/common/caller.h"

namespace palermo::assistance {

AuditCallerFunction CaseWorkerOrCaller(
    std::shared_ptr<const TokenVerifier> verifier) {
  return [verifier = std::move(verifier)](
             const grpc::ServerContextBase& context) -> AuditCaller {
    if (verifier != nullptr) {
      absl::StatusOr<Principal> who =
          AuthenticateCall(verifier.get(), context, absl::Now());
      if (who.ok() && *who != AnonymousReader()) {
        return {who->subject, std::string(RoleName(who->role))};
      }
    }
    return CallerAsAudited(context);
  };
}

CaseWorkerCheck CaseWorkerTokenCheck(
    std::shared_ptr<const TokenVerifier> verifier) {
  if (verifier == nullptr) return RefuseEveryCaller();
  return [verifier = std::move(verifier)](
             const grpc::ServerContextBase& context) -> absl::Status {
    absl::StatusOr<Principal> who =
        AuthenticateCall(verifier.get(), context, absl::Now());
    if (!who.ok()) return who.status();
    return RequireRole(*who, Role::kCaseWorker);
  };
}

}  // namespace palermo::assistance
