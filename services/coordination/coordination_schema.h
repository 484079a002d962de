// The coordination service's storage schema, for every store dialect: its
// collections (table names) and the explicit migration version of each
// table. The versions are those the positional numbering gave databases
// before they were explicit (1 the requests table, 2 + i the i-th
// collection); a table added later takes the next unused version.
#ifndef PALERMO_SERVICES_COORDINATION_COORDINATION_SCHEMA_H_
#define PALERMO_SERVICES_COORDINATION_COORDINATION_SCHEMA_H_

#include "services/common/record_schema.h"

namespace palermo::coordination {

inline constexpr char kBodies[] = "coordination_bodies";
inline constexpr char kPlans[] = "action_plans";
inline constexpr char kMechanisms[] = "referral_mechanisms";
inline constexpr char kTrainings[] = "training_activities";
inline constexpr char kCampaigns[] = "awareness_campaigns";
inline constexpr char kCooperations[] = "cooperation_activities";
inline constexpr char kGroups[] = "inter_agency_groups";

inline RecordSchema CoordinationSchema() {
  return {/*requests_version=*/1,
          {
              {2, kBodies},
              {3, kPlans},
              {4, kMechanisms},
              {5, kTrainings},
              {6, kCampaigns},
              {7, kCooperations},
              {8, kGroups},
          },
          /*changes_version=*/9};
}

}  // namespace palermo::coordination

#endif  // PALERMO_SERVICES_COORDINATION_COORDINATION_SCHEMA_H_
