// Recording calls in the audit log (audit_log.h): a server interceptor that
// appends one entry for every write call a server answers, with its
// outcome, whether the handler wrote or refused (a request that does not
// parse, a bad field, a permission refused: each with its code and
// message), and AuditRefusal for a refusal made outside any handler (the
// gateway's own checks).
//
// Appending never fails the call: an append that fails is logged (spdlog)
// and counted (AuditAppendFailures). The entry is appended before the status
// is sent, so a caller that has its answer finds the call in the log.
//
// Not recorded: reads (methods the predicate does not call writes), and
// calls shed by the overload interceptor (overload.h), which are answered
// before any work at all and counted by the host instead: recording each
// would put a durable write on the path meant to stay cheapest.
#ifndef PALERMO_SERVICES_COMMON_AUDIT_INTERCEPTOR_H_
#define PALERMO_SERVICES_COMMON_AUDIT_INTERCEPTOR_H_

#include <google/protobuf/message.h>
#include <grpcpp/server_context.h>
#include <grpcpp/support/server_interceptor.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/common/audit_log.h"

namespace palermo {

// Who made a call, as the audit log records it.
struct AuditCaller {
  std::string subject;
  std::string role;  // a role name (principal.h's RoleName); "" if unknown
};

// The caller of a call, from its context.
using AuditCallerFunction =
    std::function<AuditCaller(const grpc::ServerContextBase&)>;

// The caller as the service believes it (CallerOf, caller.h): its subject
// (the peer's address when anonymous) and role.
AuditCaller CallerAsAudited(const grpc::ServerContextBase& context);

// Whether `method` ("/pkg.Service/Method") writes.
using WriteMethodPredicate = std::function<bool(absl::string_view method)>;

// The default predicate: the RPC's name starts with Create, Update, Delete,
// Upsert, Import or Undelete, or is one of `also` (RPC names, e.g.
// "PublishReport", or full methods).
WriteMethodPredicate WriteMethods(std::vector<std::string> also = {});

// What a request is about: its `name` if set, else its `parent`, else the
// `name` of the first message field that has one ("" if none).
std::string ResourceOf(const google::protobuf::Message& request);

// Appends `entry`; on failure logs the error and counts it. Never fails.
void RecordAudit(AuditLog& log, const AuditEntry& entry);

// Appends failed since the process started.
int64_t AuditAppendFailures();

// For a refusal made outside any audited handler (the gateway refusing a
// token or a role before forwarding): records `method` called by `caller`
// about `resource`, answered `status`, now.
void AuditRefusal(AuditLog& log, absl::string_view method,
                  const AuditCaller& caller, absl::string_view resource,
                  const absl::Status& status);

struct AuditOptions {
  WriteMethodPredicate is_write = WriteMethods();
  AuditCallerFunction caller = CallerAsAudited;
  std::function<absl::Time()> now = absl::Now;
};

// Records every call of a write method in `log` (which outlives the
// server): method, caller, resource (from the request; for a client stream,
// from its first message, which Palermo reads raw: client_stream.h),
// outcome (the status sent, as the interceptors before this one left it:
// install it after ParseErrorInterceptorFactory), and the time the status
// was sent. A call that ends without a status (cancelled by its caller,
// deadline passed) is recorded as CANCELLED when it is destroyed.
class AuditInterceptorFactory
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit AuditInterceptorFactory(AuditLog* log, AuditOptions options = {});
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

 private:
  AuditLog* log_;
  const AuditOptions options_;
};

}  // namespace palermo

#endif  // PALERMO_SERVICES_COMMON_AUDIT_INTERCEPTOR_H_
