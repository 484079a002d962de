// gRPC glue of the legislation service: translates requests to the domain and
// its absl::Status to grpc::Status with rich details.
#ifndef PALERMO_SERVICES_LEGISLATION_LEGISLATION_SERVICE_H_
#define PALERMO_SERVICES_LEGISLATION_LEGISLATION_SERVICE_H_

#include "palermo/legislation/v1/legislation.grpc.pb.h"
#include "services/common/change_feed_service.h"
#include "services/legislation/legislation_domain.h"

namespace palermo::legislation {

// Synchronous handlers: each call does blocking SQLite I/O, which belongs on
// the sync server's thread pool rather than on callback threads.
// WatchChanges is a callback method, served from the store's change log.
class LegislationServiceImpl final
    : public WithChangeFeed<
          v1::LegislationService::WithCallbackMethod_WatchChanges<
              v1::LegislationService::Service>> {
 public:
  LegislationServiceImpl(LegislationDomain& domain, ChangeLog& changes)
      : WithChangeFeed(changes), domain_(domain) {}

  grpc::Status GetLegislation(grpc::ServerContext* context,
                              const v1::GetLegislationRequest* request,
                              v1::Legislation* response) override;
  grpc::Status ListLegislations(
      grpc::ServerContext* context, const v1::ListLegislationsRequest* request,
      v1::ListLegislationsResponse* response) override;
  grpc::Status CreateLegislation(grpc::ServerContext* context,
                                 const v1::CreateLegislationRequest* request,
                                 v1::Legislation* response) override;
  grpc::Status UpdateLegislation(grpc::ServerContext* context,
                                 const v1::UpdateLegislationRequest* request,
                                 v1::Legislation* response) override;
  grpc::Status DeleteLegislation(grpc::ServerContext* context,
                                 const v1::DeleteLegislationRequest* request,
                                 google::protobuf::Empty* response) override;
  grpc::Status ListLegislationRevisions(
      grpc::ServerContext* context,
      const v1::ListLegislationRevisionsRequest* request,
      v1::ListLegislationRevisionsResponse* response) override;

 private:
  LegislationDomain& domain_;
};

}  // namespace palermo::legislation

#endif  // PALERMO_SERVICES_LEGISLATION_LEGISLATION_SERVICE_H_
