// palermo.common.v1.AuditService on the gateway: administrators read any
// process's audit log through the public entry point. `services/gateway`
// is the gateway's own log (its refusals); `services/legislation`,
// `services/enforcement`, ... are forwarded to that service's AuditService,
// which checks again that the principal the gateway sends is an
// administrator.
#ifndef PALERMO_SERVICES_GATEWAY_AUDIT_FORWARDER_H_
#define PALERMO_SERVICES_GATEWAY_AUDIT_FORWARDER_H_

#include <grpcpp/grpcpp.h>

#include <map>
#include <memory>
#include <string>

#include "palermo/common/v1/audit.grpc.pb.h"
#include "services/common/audit_log.h"
#include "services/gateway/admission.h"

namespace palermo::gateway {

class AuditForwarder final : public common::v1::AuditService::CallbackService {
 public:
  // `backends` maps a service's name ("legislation") to a channel to it;
  // `log` is the gateway's own. Both outlive this.
  AuditForwarder(AuditLog& log,
                 std::map<std::string, std::shared_ptr<grpc::Channel>> backends,
                 Admission& admission);

  grpc::ServerUnaryReactor* ListAuditRecords(
      grpc::CallbackServerContext* context,
      const common::v1::ListAuditRecordsRequest* request,
      common::v1::ListAuditRecordsResponse* response) override;

 private:
  AuditLog& log_;
  std::map<std::string, std::unique_ptr<common::v1::AuditService::Stub>>
      backends_;
  Admission& admission_;
};

}  // namespace palermo::gateway

#endif  // PALERMO_SERVICES_GATEWAY_AUDIT_FORWARDER_H_
