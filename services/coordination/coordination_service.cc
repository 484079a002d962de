// gRPC handlers of the coordination service (coordination_service.h).
#include "services/coordination/coordination_service.h"

namespace palermo::coordination {

PALERMO_SYNC_STANDARD_HANDLERS(CoordinationServiceImpl, CoordinationBody,
                               CoordinationBodies)
PALERMO_SYNC_STANDARD_HANDLERS(CoordinationServiceImpl, ActionPlan, ActionPlans)
PALERMO_SYNC_STANDARD_HANDLERS(CoordinationServiceImpl, ReferralMechanism,
                               ReferralMechanisms)
PALERMO_SYNC_STANDARD_HANDLERS(CoordinationServiceImpl, TrainingActivity,
                               TrainingActivities)
PALERMO_SYNC_STANDARD_HANDLERS(CoordinationServiceImpl, AwarenessCampaign,
                               AwarenessCampaigns)
PALERMO_SYNC_STANDARD_HANDLERS(CoordinationServiceImpl, CooperationActivity,
                               CooperationActivities)
PALERMO_SYNC_STANDARD_HANDLERS(CoordinationServiceImpl, InterAgencyGroup,
                               InterAgencyGroups)
PALERMO_SYNC_HANDLER(CoordinationServiceImpl, FindEntities,
                     v1::FindEntitiesRequest, v1::FindEntitiesResponse)
PALERMO_SYNC_HANDLER(CoordinationServiceImpl, ListCooperationPartners,
                     v1::ListCooperationPartnersRequest,
                     v1::ListCooperationPartnersResponse)
PALERMO_SYNC_HANDLER(CoordinationServiceImpl, SummarizeTraining,
                     v1::SummarizeTrainingRequest,
                     v1::SummarizeTrainingResponse)
PALERMO_SYNC_HANDLER(CoordinationServiceImpl, GetEntityCoordination,
                     v1::GetEntityCoordinationRequest, v1::EntityCoordination)

}  // namespace palermo::coordination
