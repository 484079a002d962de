// palermo.common.v1.AuditService: administrators read the process's audit
// log (audit_log.h), newest first, in pages, optionally filtered (AIP-160
// over AuditRecord). Hosted by ServiceHost beside the process's services
// when it is given an audit log (server.h).
//
// Who may read is decided by an injected check (the administrator role of
// the caller's principal); without one, every call is refused
// PERMISSION_DENIED. A service hosts it with AdministratorsOnly(): the
// principal the gateway authenticated must be an administrator (caller.h).
#ifndef PALERMO_SERVICES_COMMON_AUDIT_SERVICE_H_
#define PALERMO_SERVICES_COMMON_AUDIT_SERVICE_H_

#include <grpcpp/grpcpp.h>

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "palermo/common/v1/audit.grpc.pb.h"
#include "services/common/audit_log.h"

namespace palermo {

// OK if the caller may read the audit log; PERMISSION_DENIED (or
// UNAUTHENTICATED) otherwise.
using AuditReaderCheck =
    std::function<absl::Status(const grpc::ServerContextBase&)>;

// OK for a caller (CallerOf, caller.h) who is an administrator: one the
// gateway authenticated, since only the gateway's principals are believed;
// UNAUTHENTICATED or PERMISSION_DENIED otherwise.
AuditReaderCheck AdministratorsOnly();

// "services/{service}".
std::string AuditParent(absl::string_view service);

// One page of `log`'s records for `request`, whose parent must be
// AuditParent(`service`): INVALID_ARGUMENT naming `parent`, `page_size`,
// `page_token` or `filter` otherwise. A filtered page may hold fewer records
// than asked while more remain (at most a few thousand records are read per
// call): continue while next_page_token is set.
absl::StatusOr<common::v1::ListAuditRecordsResponse> ListAuditRecords(
    AuditLog& log, absl::string_view service,
    const common::v1::ListAuditRecordsRequest& request);

class AuditServiceImpl final : public common::v1::AuditService::Service {
 public:
  // `log` outlives the service; `service` is this process's name
  // ("legislation"); a null `may_read` refuses everyone.
  AuditServiceImpl(AuditLog& log, std::string service,
                   AuditReaderCheck may_read = nullptr);

  grpc::Status ListAuditRecords(
      grpc::ServerContext* context,
      const common::v1::ListAuditRecordsRequest* request,
      common::v1::ListAuditRecordsResponse* response) override;

 private:
  AuditLog& log_;
  const std::string service_;
  const AuditReaderCheck may_read_;
};

}  // namespace palermo

#endif  // PALERMO_SERVICES_COMMON_AUDIT_SERVICE_H_
