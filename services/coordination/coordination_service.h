// gRPC glue of the coordination service: each handler translates to and
// from CoordinationDomain, which decides.
#ifndef PALERMO_SERVICES_COORDINATION_COORDINATION_SERVICE_H_
#define PALERMO_SERVICES_COORDINATION_COORDINATION_SERVICE_H_

#include "palermo/coordination/v1/coordination.grpc.pb.h"
#include "services/common/change_feed_service.h"
#include "services/common/sync_handlers.h"
#include "services/coordination/coordination_domain.h"

namespace palermo::coordination {

// WatchChanges is a callback method, served from the store's change log.
class CoordinationServiceImpl final
    : public WithChangeFeed<
          v1::CoordinationService::WithCallbackMethod_WatchChanges<
              v1::CoordinationService::Service>> {
 public:
  CoordinationServiceImpl(CoordinationDomain& domain, ChangeLog& changes)
      : WithChangeFeed(changes), domain_(domain) {}
  PALERMO_SYNC_STANDARD(CoordinationBody, CoordinationBodies)
  PALERMO_SYNC_STANDARD(ActionPlan, ActionPlans)
  PALERMO_SYNC_STANDARD(ReferralMechanism, ReferralMechanisms)
  PALERMO_SYNC_STANDARD(TrainingActivity, TrainingActivities)
  PALERMO_SYNC_STANDARD(AwarenessCampaign, AwarenessCampaigns)
  PALERMO_SYNC_STANDARD(CooperationActivity, CooperationActivities)
  PALERMO_SYNC_STANDARD(InterAgencyGroup, InterAgencyGroups)
  PALERMO_SYNC_UNARY(FindEntities, v1::FindEntitiesRequest,
                     v1::FindEntitiesResponse)
  PALERMO_SYNC_UNARY(ListCooperationPartners,
                     v1::ListCooperationPartnersRequest,
                     v1::ListCooperationPartnersResponse)
  PALERMO_SYNC_UNARY(SummarizeTraining, v1::SummarizeTrainingRequest,
                     v1::SummarizeTrainingResponse)
  PALERMO_SYNC_UNARY(GetEntityCoordination, v1::GetEntityCoordinationRequest,
                     v1::EntityCoordination)

 private:
  CoordinationDomain& domain_;
};

}  // namespace palermo::coordination

#endif  // PALERMO_SERVICES_COORDINATION_COORDINATION_SERVICE_H_
