#include "services/gateway/gateway_service.h"

#include "absl/strings/str_cat.h"
#include "services/common/status.h"
#include "services/gateway/forward.h"
#include "services/gateway/profile.h"
#include "services/legislation/names.h"

namespace palermo::gateway {

namespace lv1 = legislation::v1;

grpc::ServerUnaryReactor* GatewayServiceImpl::GetCountryProfile(
    grpc::CallbackServerContext* context,
    const v1::GetCountryProfileRequest* request, v1::CountryProfile* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  absl::StatusOr<common::v1::ReportingEntity> entity =
      entities_.Resolve(request->name(), "name");
  if (!entity.ok()) {
    reactor->Finish(ToGrpcStatus(entity.status()));
    return reactor;
  }
  // Everything the backend call needs outlives it in this one allocation.
  struct Call {
    std::unique_ptr<grpc::ClientContext> context;
    lv1::GetLegislationRequest request;
    lv1::Legislation legislation;
    common::v1::ReportingEntity entity;
  };
  auto call = std::make_shared<Call>();
  call->context = OutgoingContext(context);
  call->request.set_name(legislation::LegislationName(entity->name()));
  call->entity = *std::move(entity);
  legislation_->async()->GetLegislation(
      call->context.get(), &call->request, &call->legislation,
      [reactor, response, call](grpc::Status status) {
        absl::StatusOr<lv1::Legislation> legislation =
            status.ok() ? absl::StatusOr<lv1::Legislation>(call->legislation)
                        : FromGrpcStatus(status);
        absl::StatusOr<v1::CountryProfile> profile =
            ComposeProfile(call->entity, legislation);
        if (profile.ok()) *response = *std::move(profile);
        reactor->Finish(ToGrpcStatus(profile.status()));
      });
  return reactor;
}

// Each forwarded method names its backend method once.
#define PALERMO_FORWARD(Method, Request, Response)                       \
  grpc::ServerUnaryReactor* LegislationForwarder::Method(                \
      grpc::CallbackServerContext* context, const Request* request,      \
      Response* response) {                                              \
    return Forward(context, request, response,                           \
                   [this](auto* ctx, auto* req, auto* resp, auto done) { \
                     backend_->async()->Method(ctx, req, resp,           \
                                               std::move(done));         \
                   });                                                   \
  }

PALERMO_FORWARD(GetLegislation, lv1::GetLegislationRequest, lv1::Legislation)
PALERMO_FORWARD(ListLegislations, lv1::ListLegislationsRequest,
                lv1::ListLegislationsResponse)
PALERMO_FORWARD(CreateLegislation, lv1::CreateLegislationRequest,
                lv1::Legislation)
PALERMO_FORWARD(UpdateLegislation, lv1::UpdateLegislationRequest,
                lv1::Legislation)
PALERMO_FORWARD(DeleteLegislation, lv1::DeleteLegislationRequest,
                google::protobuf::Empty)
PALERMO_FORWARD(ListLegislationRevisions, lv1::ListLegislationRevisionsRequest,
                lv1::ListLegislationRevisionsResponse)

#undef PALERMO_FORWARD

}  // namespace palermo::gateway
