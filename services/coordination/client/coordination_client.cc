// Calls of the coordination client library.
#include "services/coordination/client/coordination_client.h"

#include <string>
#include <utility>

namespace palermo::coordination {

using Stub = v1::CoordinationService::Stub;

CoordinationClient::CoordinationClient(std::shared_ptr<grpc::Channel> channel,
                                       CallOptions options)
    : stub_(v1::CoordinationService::NewStub(std::move(channel))),
      options_(std::move(options)) {}

#define PALERMO_COORDINATION_GET_CREATE(T)                                    \
  absl::StatusOr<v1::T> CoordinationClient::Get##T(absl::string_view name) {  \
    v1::Get##T##Request request;                                              \
    request.set_name(std::string(name));                                      \
    return CallUnary(*stub_, &Stub::Get##T, request, options_);               \
  }                                                                           \
  absl::StatusOr<v1::T> CoordinationClient::Create##T(                        \
      const v1::Create##T##Request& request, int64_t* sequence) {             \
    return CallUnary(*stub_, &Stub::Create##T, request, options_, sequence);  \
  }
#define PALERMO_COORDINATION_COLLECTION(T, Ts, field)                       \
  PALERMO_COORDINATION_GET_CREATE(T)                                        \
  absl::StatusOr<std::vector<v1::T>> CoordinationClient::ListAll##Ts(       \
      absl::string_view parent, absl::string_view filter) {                 \
    v1::List##Ts##Request request;                                          \
    request.set_parent(std::string(parent));                                \
    request.set_filter(std::string(filter));                                \
    return ListAll(                                                         \
        *stub_, &Stub::List##Ts, std::move(request),                        \
        [](v1::List##Ts##Response& page) { return page.mutable_##field(); }, \
        options_);                                                          \
  }

PALERMO_COORDINATION_COLLECTION(CoordinationBody, CoordinationBodies,
                                coordination_bodies)
PALERMO_COORDINATION_COLLECTION(ActionPlan, ActionPlans, action_plans)
PALERMO_COORDINATION_COLLECTION(ReferralMechanism, ReferralMechanisms,
                                referral_mechanisms)
PALERMO_COORDINATION_COLLECTION(TrainingActivity, TrainingActivities,
                                training_activities)
PALERMO_COORDINATION_COLLECTION(AwarenessCampaign, AwarenessCampaigns,
                                awareness_campaigns)
PALERMO_COORDINATION_COLLECTION(CooperationActivity, CooperationActivities,
                                cooperation_activities)
PALERMO_COORDINATION_GET_CREATE(InterAgencyGroup)

#undef PALERMO_COORDINATION_COLLECTION
#undef PALERMO_COORDINATION_GET_CREATE

absl::StatusOr<std::vector<v1::InterAgencyGroup>>
CoordinationClient::ListAllInterAgencyGroups(absl::string_view filter) {
  v1::ListInterAgencyGroupsRequest request;
  request.set_filter(std::string(filter));
  return ListAll(
      *stub_, &Stub::ListInterAgencyGroups, std::move(request),
      [](v1::ListInterAgencyGroupsResponse& page) {
        return page.mutable_inter_agency_groups();
      },
      options_);
}

absl::StatusOr<v1::EntityCoordination>
CoordinationClient::GetEntityCoordination(absl::string_view entity) {
  v1::GetEntityCoordinationRequest request;
  request.set_entity(std::string(entity));
  return CallUnary(*stub_, &Stub::GetEntityCoordination, request, options_);
}

std::unique_ptr<ChangeWatch> CoordinationClient::WatchChanges(
    const common::v1::WatchChangesRequest& request) {
  return std::make_unique<ChangeWatch>(*stub_, request, options_);
}

}  // namespace palermo::coordination
