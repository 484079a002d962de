#include "services/assistance/case_worker_check.h"

#include <optional>
#include <utility>

#include "absl/time/clock.h"
#include "services/common/caller.h"

namespace palermo::assistance {
namespace {

// The `authorization` header's value, if exactly one was sent.
std::optional<absl::string_view> Authorization(
    const grpc::ServerContextBase& context) {
  const auto& metadata = context.client_metadata();
  if (metadata.count("authorization") != 1) return std::nullopt;
  auto it = metadata.find("authorization");
  return absl::string_view(it->second.data(), it->second.size());
}

}  // namespace

AuditCallerFunction CaseWorkerOrCaller(
    std::shared_ptr<const TokenVerifier> verifier) {
  return [verifier = std::move(verifier)](
             const grpc::ServerContextBase& context) -> AuditCaller {
    if (verifier != nullptr) {
      if (std::optional<absl::string_view> authorization =
              Authorization(context)) {
        absl::StatusOr<Principal> who =
            AuthenticateBearer(verifier.get(), authorization, absl::Now());
        if (who.ok()) {
          return {who->subject, std::string(RoleName(who->role))};
        }
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
    const auto& metadata = context.client_metadata();
    if (metadata.count("authorization") > 1) {
      return absl::UnauthenticatedError(
          "more than one authorization header was sent");
    }
    std::optional<absl::string_view> authorization;
    if (auto it = metadata.find("authorization"); it != metadata.end()) {
      authorization = absl::string_view(it->second.data(), it->second.size());
    }
    absl::StatusOr<Principal> who =
        AuthenticateBearer(verifier.get(), authorization, absl::Now());
    if (!who.ok()) return who.status();
    return RequireRole(*who, Role::kCaseWorker);
  };
}

}  // namespace palermo::assistance
