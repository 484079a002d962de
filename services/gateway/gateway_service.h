// The gateway's services: GatewayService (composed views) and the public
// methods of every domain service, forwarded to their backends.
#ifndef PALERMO_SERVICES_GATEWAY_GATEWAY_SERVICE_H_
#define PALERMO_SERVICES_GATEWAY_GATEWAY_SERVICE_H_

#include <memory>

#include "palermo/gateway/v1/gateway.grpc.pb.h"
#include "palermo/legislation/v1/legislation.grpc.pb.h"
#include "services/common/entities.h"

namespace palermo::gateway {

class GatewayServiceImpl final : public v1::GatewayService::CallbackService {
 public:
  GatewayServiceImpl(
      const EntityRegistry& entities,
      std::shared_ptr<legislation::v1::LegislationService::Stub> legislation)
      : entities_(entities), legislation_(std::move(legislation)) {}

  grpc::ServerUnaryReactor* GetCountryProfile(
      grpc::CallbackServerContext* context,
      const v1::GetCountryProfileRequest* request,
      v1::CountryProfile* response) override;

 private:
  const EntityRegistry& entities_;
  std::shared_ptr<legislation::v1::LegislationService::Stub> legislation_;
};

// palermo.legislation.v1.LegislationService on the gateway: each method is
// forwarded as is to the legislation service.
class LegislationForwarder final
    : public legislation::v1::LegislationService::CallbackService {
 public:
  explicit LegislationForwarder(
      std::shared_ptr<legislation::v1::LegislationService::Stub> backend)
      : backend_(std::move(backend)) {}

  grpc::ServerUnaryReactor* GetLegislation(
      grpc::CallbackServerContext* context,
      const legislation::v1::GetLegislationRequest* request,
      legislation::v1::Legislation* response) override;
  grpc::ServerUnaryReactor* ListLegislations(
      grpc::CallbackServerContext* context,
      const legislation::v1::ListLegislationsRequest* request,
      legislation::v1::ListLegislationsResponse* response) override;
  grpc::ServerUnaryReactor* CreateLegislation(
      grpc::CallbackServerContext* context,
      const legislation::v1::CreateLegislationRequest* request,
      legislation::v1::Legislation* response) override;
  grpc::ServerUnaryReactor* UpdateLegislation(
      grpc::CallbackServerContext* context,
      const legislation::v1::UpdateLegislationRequest* request,
      legislation::v1::Legislation* response) override;
  grpc::ServerUnaryReactor* DeleteLegislation(
      grpc::CallbackServerContext* context,
      const legislation::v1::DeleteLegislationRequest* request,
      google::protobuf::Empty* response) override;
  grpc::ServerUnaryReactor* ListLegislationRevisions(
      grpc::CallbackServerContext* context,
      const legislation::v1::ListLegislationRevisionsRequest* request,
      legislation::v1::ListLegislationRevisionsResponse* response) override;

 private:
  std::shared_ptr<legislation::v1::LegislationService::Stub> backend_;
};

}  // namespace palermo::gateway

#endif  // PALERMO_SERVICES_GATEWAY_GATEWAY_SERVICE_H_
