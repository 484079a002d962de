#include "services/gateway/admission.h"

#include <optional>

#include "absl/time/clock.h"
#include "services/common/audit_interceptor.h"

namespace palermo::gateway {

absl::StatusOr<Principal> Admission::Admit(
    const grpc::ServerContextBase& context, absl::string_view method,
    const google::protobuf::Message* request) {
  std::optional<absl::string_view> authorization;
  const auto& metadata = context.client_metadata();
  if (auto it = metadata.find("authorization"); it != metadata.end()) {
    authorization = absl::string_view(it->second.data(), it->second.size());
  }
  absl::StatusOr<Principal> who =
      AuthenticateBearer(verifier_, authorization, absl::Now());
  // A bad token is limited by the caller's address, as a reader is.
  const Principal& caller = who.ok() ? *who : AnonymousReader();
  if (limiter_ != nullptr) {
    const std::string key = RateLimitKey(caller, context.peer());
    if (std::optional<absl::Duration> delay = limiter_->Acquire(key)) {
      absl::Status limited = RateLimitedError(key, *delay);
      std::optional<Access> access = policy_->AccessOf(method);
      if (!access.has_value() || *access != Access::kPublicRead) {
        Audit(caller, method, request, limited);
      }
      return limited;
    }
  }
  absl::Status refusal = who.status();
  if (refusal.ok()) {
    refusal = request != nullptr ? policy_->Authorize(*who, method, *request)
                                 : policy_->AuthorizeMethod(*who, method);
  }
  if (!refusal.ok()) {
    Audit(caller, method, request, refusal);
    return refusal;
  }
  return who;
}

absl::Status Admission::AdmitMessage(const Principal& who,
                                     absl::string_view method,
                                     const google::protobuf::Message& message) {
  absl::Status refusal = policy_->AuthorizeMessage(who, method, message);
  if (!refusal.ok()) Audit(who, method, &message, refusal);
  return refusal;
}

void Admission::Audit(const Principal& who, absl::string_view method,
                      const google::protobuf::Message* request,
                      const absl::Status& refusal) {
  if (audit_ == nullptr) return;
  AuditRefusal(*audit_, method,
               AuditCaller{who.subject, std::string(RoleName(who.role))},
               request != nullptr ? ResourceOf(*request) : "", refusal);
}

}  // namespace palermo::gateway
