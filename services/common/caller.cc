#include "services/common/caller.h"

#include <algorithm>
#include <optional>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "services/common/tls.h"

ABSL_FLAG(std::vector<std::string>, writer_identities, {},
          "Certificate names of suite processes that may write to this "
          "service directly, besides the gateway (--gateway_identity): e.g. "
          "a tool loading data. Empty: writes come through the gateway only.");

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

absl::StatusOr<Principal> AuthenticateCall(const TokenVerifier* verifier,
                                           const grpc::ServerContextBase& context,
                                           absl::Time now) {
  const auto& metadata = context.client_metadata();
  if (metadata.count("authorization") > 1) {
    return absl::UnauthenticatedError(
        "more than one authorization header was sent");
  }
  std::optional<absl::string_view> authorization;
  if (auto it = metadata.find("authorization"); it != metadata.end()) {
    authorization = absl::string_view(it->second.data(), it->second.size());
  }
  return AuthenticateBearer(verifier, authorization, now);
}

absl::Status MayWrite(const grpc::ServerContextBase& context) {
  if (!TlsConfigFromFlags().serves_tls()) return absl::OkStatus();
  if (PeerIsGateway(context)) return absl::OkStatus();
  const std::string name = PeerCertificateName(context);
  const std::vector<std::string> writers =
      absl::GetFlag(FLAGS_writer_identities);
  if (!name.empty() &&
      std::find(writers.begin(), writers.end(), name) != writers.end()) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError(absl::StrCat(
      "writes reach this service through the gateway only: ",
      name.empty() ? std::string("the caller presented no certificate")
                   : absl::StrCat(name, " is neither the gateway nor in "
                                        "--writer_identities")));
}

}  // namespace palermo
