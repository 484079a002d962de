#include "services/gateway/admission.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/common/caller.h"
#include "services/common/audit_interceptor.h"

namespace palermo::gateway {

absl::StatusOr<Principal> Admission::Admit(
    const grpc::ServerContextBase& context, absl::string_view method,
    const google::protobuf::Message* request) {
  absl::StatusOr<Principal> who =
      AuthenticateCall(verifier_, context, absl::Now());
  // A bad token is limited by the caller's address, as a reader is.
  const Principal& caller = who.ok() ? *who : AnonymousReader();
  if (limiter_ != nullptr) {
    const std::string key = RateLimitKey(caller, context.peer());
    if (std::optional<absl::Duration> delay = limiter_->Acquire(key)) {
      // Counted, not audited one by one: a flood must not become a flood
      // of durable writes.
      limited_.fetch_add(1, std::memory_order_relaxed);
      return RateLimitedError(key, *delay);
    }
  }
  absl::Status refusal = who.status();
  if (refusal.ok()) {
    refusal = request != nullptr ? policy_->Authorize(*who, method, *request)
                                 : policy_->AuthorizeMethod(*who, method);
  }
  if (!refusal.ok()) {
    Audit(caller, context.peer(), method, request, refusal);
    return refusal;
  }
  return who;
}

absl::Status Admission::AdmitMessage(const Principal& who,
                                     absl::string_view method,
                                     const google::protobuf::Message& message) {
  absl::Status refusal = policy_->AuthorizeMessage(who, method, message);
  if (!refusal.ok()) Audit(who, "", method, &message, refusal);
  return refusal;
}

void Admission::Audit(const Principal& who, absl::string_view peer,
                      absl::string_view method,
                      const google::protobuf::Message* request,
                      const absl::Status& refusal) {
  if (audit_ == nullptr) return;
  // An anonymous caller (or one whose token was refused) is known by its
  // address only.
  std::string subject = who.subject;
  if (who == AnonymousReader() && !peer.empty()) {
    subject = absl::StrCat(who.subject, " (", peer, ")");
  }
  AuditRefusal(*audit_, method,
               AuditCaller{std::move(subject), std::string(RoleName(who.role))},
               request != nullptr ? ResourceOf(*request) : "", refusal);
}

}  // namespace palermo::gateway
