// Whether the gateway lets a call through, and as whom: the caller's bearer
// token verified (token_verifier.h), its rate limit taken (rate_limiter.h),
// and the access policy asked (access_policy.h). Every refusal is answered
// before any backend is called, and recorded in the gateway's audit log
// (an anonymous caller, or one whose token was refused, by its address),
// except refusals for the rate limit: those are counted (RateLimited()),
// not audited one by one, so that a flood does not become a flood of
// durable writes.
#ifndef PALERMO_SERVICES_GATEWAY_ADMISSION_H_
#define PALERMO_SERVICES_GATEWAY_ADMISSION_H_

#include <google/protobuf/message.h>
#include <grpcpp/grpcpp.h>

#include <atomic>
#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/common/audit_log.h"
#include "services/common/principal.h"
#include "services/common/token_verifier.h"
#include "services/gateway/access_policy.h"
#include "services/gateway/rate_limiter.h"

namespace palermo::gateway {

class Admission {
 public:
  // `verifier` null: no token is accepted (every caller is an anonymous
  // reader, and writes are refused); `limiter` null: no rate limit;
  // `audit` null: refusals are not recorded. Each must outlive this.
  Admission(const TokenVerifier* verifier, const AccessPolicy* policy,
            RateLimiter* limiter, AuditLog* audit)
      : verifier_(verifier), policy_(policy), limiter_(limiter),
        audit_(audit) {}

  // The principal `context`'s call to `method` ("/pkg.Service/Method") is
  // made for, if it may go on; otherwise the status to answer it with.
  // `request` is the call's request, or null for a client stream (whose
  // messages are then checked by AdmitMessage).
  absl::StatusOr<Principal> Admit(const grpc::ServerContextBase& context,
                                  absl::string_view method,
                                  const google::protobuf::Message* request);

  // Whether `who`, admitted to the client stream `method`, may send
  // `message`; refusals are audited.
  absl::Status AdmitMessage(const Principal& who, absl::string_view method,
                            const google::protobuf::Message& message);

  // Calls refused for the rate limit so far.
  int64_t RateLimited() const {
    return limited_.load(std::memory_order_relaxed);
  }

 private:
  void Audit(const Principal& who, absl::string_view peer,
             absl::string_view method,
             const google::protobuf::Message* request,
             const absl::Status& refusal);

  const TokenVerifier* verifier_;
  const AccessPolicy* policy_;
  RateLimiter* limiter_;
  AuditLog* audit_;
  std::atomic<int64_t> limited_{0};
};

}  // namespace palermo::gateway

#endif  // PALERMO_SERVICES_GATEWAY_ADMISSION_H_
