#include "services/gateway/audit_forwarder.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/common/audit_service.h"
#include "services/common/client.h"
#include "services/common/overload.h"
#include "services/common/status.h"

namespace palermo::gateway {

namespace {
constexpr char kGateway[] = "gateway";
}  // namespace

AuditForwarder::AuditForwarder(
    AuditLog& log,
    std::map<std::string, std::shared_ptr<grpc::Channel>> backends,
    Admission& admission)
    : log_(log), admission_(admission) {
  for (auto& [service, channel] : backends) {
    backends_[service] = common::v1::AuditService::NewStub(std::move(channel));
  }
}

grpc::ServerUnaryReactor* AuditForwarder::ListAuditRecords(
    grpc::CallbackServerContext* context,
    const common::v1::ListAuditRecordsRequest* request,
    common::v1::ListAuditRecordsResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  if (WasShed(*context)) {
    reactor->Finish(grpc::Status::CANCELLED);
    return reactor;
  }
  static const std::string kMethod = absl::StrCat(
      "/", common::v1::AuditService::service_full_name(), "/ListAuditRecords");
  absl::StatusOr<Principal> who = admission_.Admit(*context, kMethod, request);
  if (!who.ok()) {
    reactor->Finish(ToGrpcStatus(who.status()));
    return reactor;
  }
  if (request->parent() == AuditParent(kGateway)) {
    absl::StatusOr<common::v1::ListAuditRecordsResponse> page =
        palermo::ListAuditRecords(log_, kGateway, *request);
    if (page.ok()) *response = *std::move(page);
    reactor->Finish(ToGrpcStatus(page.status()));
    return reactor;
  }
  for (auto& [service, stub] : backends_) {
    if (request->parent() != AuditParent(service)) continue;
    std::shared_ptr<grpc::ClientContext> outgoing =
        OutgoingContext(context, *who);
    stub->async()->ListAuditRecords(
        outgoing.get(), request, response,
        [reactor, outgoing](grpc::Status status) { reactor->Finish(status); });
    return reactor;
  }
  std::string known = kGateway;
  for (const auto& [service, stub] : backends_) absl::StrAppend(&known, ", ", service);
  reactor->Finish(ToGrpcStatus(InvalidField(
      "parent", absl::StrCat("must be services/{service}, the service one of ",
                             known, "; got \"", Abbreviate(request->parent()),
                             "\""))));
  return reactor;
}

}  // namespace palermo::gateway
