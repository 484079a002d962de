#include "services/common/caller.h"

#include "absl/strings/str_cat.h"
#include "services/common/tls.h"

namespace palermo {

Principal CallerOf(const grpc::ServerContextBase& context) {
  if (PeerIsGateway(context)) {
    const auto& metadata = context.client_metadata();
    auto it = metadata.find(kPrincipalMetadataKey);
    if (it == metadata.end()) return AnonymousReader();
    absl::StatusOr<Principal> principal = DecodePrincipal(
        absl::string_view(it->second.data(), it->second.size()));
    return principal.ok() ? *std::move(principal) : AnonymousReader();
  }
  std::string name = PeerCertificateName(context);
  if (name.empty()) return AnonymousReader();
  Principal suite_process{std::move(name), Role::kReader, ""};
  if (!ValidatePrincipal(suite_process).ok()) return AnonymousReader();
  return suite_process;
}

std::string ActorOf(const grpc::ServerContextBase& context) {
  Principal caller = CallerOf(context);
  if (caller == AnonymousReader()) return context.peer();
  return caller.subject;
}

absl::Status RequireRole(const Principal& who, Role role) {
  if (who.role == role) return absl::OkStatus();
  if (who == AnonymousReader()) {
    return absl::UnauthenticatedError(
        absl::StrCat("this method needs the token of a ", RoleName(role)));
  }
  return absl::PermissionDeniedError(
      absl::StrCat(who.subject, " is a ", RoleName(who.role),
                   "; this method needs a ", RoleName(role)));
}

absl::Status RequireRole(const grpc::ServerContextBase& context, Role role) {
  return RequireRole(CallerOf(context), role);
}

}  // namespace palermo
