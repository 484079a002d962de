// Resource names of the coordination service, for its clients: the
// collection segments of `{entity}/{collection}/{id}` and of the top-level
// `interAgencyGroups/{id}`.
#ifndef PALERMO_SERVICES_COORDINATION_CLIENT_COORDINATION_NAMES_H_
#define PALERMO_SERVICES_COORDINATION_CLIENT_COORDINATION_NAMES_H_

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace palermo::coordination {

// The parent of the List methods for every entity.
inline constexpr char kEveryEntity[] = "-";

inline constexpr char kCoordinationBodies[] = "coordinationBodies";
inline constexpr char kActionPlans[] = "actionPlans";
inline constexpr char kReferralMechanisms[] = "referralMechanisms";
inline constexpr char kTrainingActivities[] = "trainingActivities";
inline constexpr char kAwarenessCampaigns[] = "awarenessCampaigns";
inline constexpr char kCooperationActivities[] = "cooperationActivities";
inline constexpr char kInterAgencyGroups[] = "interAgencyGroups";

// `countries/HUN`, kActionPlans, `nap-2008` ->
// `countries/HUN/actionPlans/nap-2008`.
inline std::string EntityRecordName(absl::string_view entity,
                                    absl::string_view collection,
                                    absl::string_view id) {
  return absl::StrCat(entity, "/", collection, "/", id);
}

// `icat` -> `interAgencyGroups/icat`.
inline std::string InterAgencyGroupName(absl::string_view id) {
  return absl::StrCat(kInterAgencyGroups, "/", id);
}

}  // namespace palermo::coordination

#endif  // PALERMO_SERVICES_COORDINATION_CLIENT_COORDINATION_NAMES_H_
