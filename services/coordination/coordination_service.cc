#include "services/coordination/coordination_service.h"

#include "services/common/status.h"

namespace palermo::coordination {

#define PALERMO_HANDLER(Method, Request, Response)                        \
  grpc::Status CoordinationServiceImpl::Method(                           \
      grpc::ServerContext*, const Request* request, Response* response) { \
    return Respond(domain_.Method(*request), response);                   \
  }
#define PALERMO_STANDARD_HANDLERS(T, Ts)                                   \
  PALERMO_HANDLER(Get##T, v1::Get##T##Request, v1::T)                      \
  PALERMO_HANDLER(List##Ts, v1::List##Ts##Request, v1::List##Ts##Response) \
  PALERMO_HANDLER(Create##T, v1::Create##T##Request, v1::T)                \
  PALERMO_HANDLER(Update##T, v1::Update##T##Request, v1::T)                \
  PALERMO_HANDLER(Delete##T, v1::Delete##T##Request, google::protobuf::Empty)

PALERMO_STANDARD_HANDLERS(CoordinationBody, CoordinationBodies)
PALERMO_STANDARD_HANDLERS(ActionPlan, ActionPlans)
PALERMO_STANDARD_HANDLERS(ReferralMechanism, ReferralMechanisms)
PALERMO_STANDARD_HANDLERS(TrainingActivity, TrainingActivities)
PALERMO_STANDARD_HANDLERS(AwarenessCampaign, AwarenessCampaigns)
PALERMO_STANDARD_HANDLERS(CooperationActivity, CooperationActivities)
PALERMO_STANDARD_HANDLERS(InterAgencyGroup, InterAgencyGroups)
PALERMO_HANDLER(FindEntities, v1::FindEntitiesRequest, v1::FindEntitiesResponse)
PALERMO_HANDLER(ListCooperationPartners, v1::ListCooperationPartnersRequest,
                v1::ListCooperationPartnersResponse)
PALERMO_HANDLER(SummarizeTraining, v1::SummarizeTrainingRequest,
                v1::SummarizeTrainingResponse)
PALERMO_HANDLER(GetEntityCoordination, v1::GetEntityCoordinationRequest,
                v1::EntityCoordination)

#undef PALERMO_STANDARD_HANDLERS
#undef PALERMO_HANDLER

}  // namespace palermo::coordination
