// How coordination resources are named: the segment of each type's names
// (`{entity}/{segment}/{id}`, inter-agency groups `interAgencyGroups/{id}`),
// the collection holding each type, and the entity owning a name. Internal
// to the coordination service.
#ifndef PALERMO_SERVICES_COORDINATION_COORDINATION_NAMES_H_
#define PALERMO_SERVICES_COORDINATION_COORDINATION_NAMES_H_

#include <string>

#include "services/coordination/coordination_domain.h"

namespace palermo::coordination {

inline constexpr char kGroupsSegment[] = "interAgencyGroups";

// The entity owning a resource name (`{entity}/{collection}/{id}`); empty
// before the record is named.
std::string OwnerOfName(const std::string& name);

// Per resource type: its table and the segment of its names.
template <>
struct CoordinationDomain::Kind<v1::CoordinationBody> {
  static constexpr char kSegment[] = "coordinationBodies";
  static constexpr auto kMember = &CoordinationDomain::bodies_;
};
template <>
struct CoordinationDomain::Kind<v1::ActionPlan> {
  static constexpr char kSegment[] = "actionPlans";
  static constexpr auto kMember = &CoordinationDomain::plans_;
};
template <>
struct CoordinationDomain::Kind<v1::ReferralMechanism> {
  static constexpr char kSegment[] = "referralMechanisms";
  static constexpr auto kMember = &CoordinationDomain::mechanisms_;
};
template <>
struct CoordinationDomain::Kind<v1::TrainingActivity> {
  static constexpr char kSegment[] = "trainingActivities";
  static constexpr auto kMember = &CoordinationDomain::trainings_;
};
template <>
struct CoordinationDomain::Kind<v1::AwarenessCampaign> {
  static constexpr char kSegment[] = "awarenessCampaigns";
  static constexpr auto kMember = &CoordinationDomain::campaigns_;
};
template <>
struct CoordinationDomain::Kind<v1::CooperationActivity> {
  static constexpr char kSegment[] = "cooperationActivities";
  static constexpr auto kMember = &CoordinationDomain::cooperations_;
};
template <>
struct CoordinationDomain::Kind<v1::InterAgencyGroup> {
  static constexpr char kSegment[] = "interAgencyGroups";
  static constexpr auto kMember = &CoordinationDomain::groups_;
};

}  // namespace palermo::coordination

#endif  // PALERMO_SERVICES_COORDINATION_COORDINATION_NAMES_H_
