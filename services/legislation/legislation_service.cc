// gRPC handlers of the legislation service (legislation_service.h).
#include "services/legislation/legislation_service.h"

#include "services/common/caller.h"
#include "services/common/client.h"
#include "services/common/status.h"

namespace palermo::legislation {
grpc::Status LegislationServiceImpl::GetLegislation(
    grpc::ServerContext*, const v1::GetLegislationRequest* request,
    v1::Legislation* response) {
  return Respond(domain_.Get(*request), response);
}

grpc::Status LegislationServiceImpl::ListLegislations(
    grpc::ServerContext*, const v1::ListLegislationsRequest* request,
    v1::ListLegislationsResponse* response) {
  return Respond(domain_.List(*request), response);
}

grpc::Status LegislationServiceImpl::CreateLegislation(
    grpc::ServerContext* context, const v1::CreateLegislationRequest* request,
    v1::Legislation* response) {
  return RespondToWrite(*context, response, [&](int64_t* sequence) {
    return domain_.Create(*request, ActorOf(*context), sequence);
  });
}

grpc::Status LegislationServiceImpl::UpdateLegislation(
    grpc::ServerContext* context, const v1::UpdateLegislationRequest* request,
    v1::Legislation* response) {
  return RespondToWrite(*context, response, [&](int64_t* sequence) {
    return domain_.Update(*request, ActorOf(*context), sequence);
  });
}

grpc::Status LegislationServiceImpl::DeleteLegislation(
    grpc::ServerContext* context, const v1::DeleteLegislationRequest* request,
    google::protobuf::Empty* response) {
  return RespondToWrite(*context, response, [&](int64_t* sequence) {
    return domain_.Delete(*request, ActorOf(*context), sequence);
  });
}

grpc::Status LegislationServiceImpl::ListLegislationRevisions(
    grpc::ServerContext*, const v1::ListLegislationRevisionsRequest* request,
    v1::ListLegislationRevisionsResponse* response) {
  return Respond(domain_.ListRevisions(*request), response);
}

}  // namespace palermo::legislation
