// The coordination service's client library: the only door into the
// coordination domain for other code. Typed calls with a deadline, errors
// as absl::Status; for each of the seven collections Get, Create and the
// whole collection (ListAll*, every page).
#ifndef PALERMO_SERVICES_COORDINATION_CLIENT_COORDINATION_CLIENT_H_
#define PALERMO_SERVICES_COORDINATION_CLIENT_COORDINATION_CLIENT_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "palermo/coordination/v1/coordination.grpc.pb.h"
#include "services/common/client_call.h"
#include "services/coordination/client/coordination_names.h"

namespace palermo::coordination {

// Get##T(name), Create##T(request, sequence) (`*sequence`, if asked, the
// sequence of the write's change: ReadChangeSequence, client_call.h), and
// ListAll##Ts(parent, filter): every record of `parent` (an entity, or
// kEveryEntity) matching the AIP-160 `filter`.
#define PALERMO_COORDINATION_COLLECTION(T, Ts)                             \
  absl::StatusOr<v1::T> Get##T(absl::string_view name);                    \
  absl::StatusOr<v1::T> Create##T(const v1::Create##T##Request& request,   \
                                  int64_t* sequence = nullptr);            \
  absl::StatusOr<std::vector<v1::T>> ListAll##Ts(absl::string_view parent, \
                                                 absl::string_view filter = "");

class CoordinationClient {
 public:
  explicit CoordinationClient(std::shared_ptr<grpc::Channel> channel,
                              CallOptions options = {});

  PALERMO_COORDINATION_COLLECTION(CoordinationBody, CoordinationBodies)
  PALERMO_COORDINATION_COLLECTION(ActionPlan, ActionPlans)
  PALERMO_COORDINATION_COLLECTION(ReferralMechanism, ReferralMechanisms)
  PALERMO_COORDINATION_COLLECTION(TrainingActivity, TrainingActivities)
  PALERMO_COORDINATION_COLLECTION(AwarenessCampaign, AwarenessCampaigns)
  PALERMO_COORDINATION_COLLECTION(CooperationActivity, CooperationActivities)

  // Inter-agency groups are not under an entity.
  absl::StatusOr<v1::InterAgencyGroup> GetInterAgencyGroup(
      absl::string_view name);
  absl::StatusOr<v1::InterAgencyGroup> CreateInterAgencyGroup(
      const v1::CreateInterAgencyGroupRequest& request,
      int64_t* sequence = nullptr);
  absl::StatusOr<std::vector<v1::InterAgencyGroup>> ListAllInterAgencyGroups(
      absl::string_view filter = "");

  absl::StatusOr<v1::EntityCoordination> GetEntityCoordination(
      absl::string_view entity);

  // Streams the service's changes (WatchChanges): read until it ends.
  std::unique_ptr<ChangeWatch> WatchChanges(
      const common::v1::WatchChangesRequest& request);

  // The stub, for asynchronous calls (the gateway's forwarding).
  v1::CoordinationService::Stub& stub() { return *stub_; }

 private:
  std::unique_ptr<v1::CoordinationService::Stub> stub_;
  CallOptions options_;
};

#undef PALERMO_COORDINATION_COLLECTION

}  // namespace palermo::coordination

#endif  // PALERMO_SERVICES_COORDINATION_CLIENT_COORDINATION_CLIENT_H_
