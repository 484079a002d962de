// Composition of a country profile from the domain services' answers. Pure
// logic: the gateway's handlers fetch, this decides what the profile says.
#ifndef PALERMO_SERVICES_GATEWAY_PROFILE_H_
#define PALERMO_SERVICES_GATEWAY_PROFILE_H_

#include <vector>

#include "absl/status/statusor.h"
#include "palermo/assistance/v1/assistance.pb.h"
#include "palermo/common/v1/common.pb.h"
#include "palermo/coordination/v1/coordination.pb.h"
#include "palermo/enforcement/v1/enforcement.pb.h"
#include "palermo/gateway/v1/gateway.pb.h"
#include "palermo/legislation/v1/legislation.pb.h"

namespace palermo::gateway {

// What the domain services answered for one entity.
struct ProfileParts {
  absl::StatusOr<legislation::v1::Legislation> legislation;
  absl::StatusOr<std::vector<enforcement::v1::Observation>> observations;
  absl::StatusOr<std::vector<assistance::v1::Measure>> measures =
      std::vector<assistance::v1::Measure>();
  absl::StatusOr<coordination::v1::EntityCoordination> coordination =
      coordination::v1::EntityCoordination();
};

// An entity with no legislation record (NOT_FOUND) or no figures gets a
// profile without that section; any other failure of a section fails the
// profile, naming the section.
absl::StatusOr<v1::CountryProfile> ComposeProfile(
    const common::v1::ReportingEntity& entity, const ProfileParts& parts);

}  // namespace palermo::gateway

#endif  // PALERMO_SERVICES_GATEWAY_PROFILE_H_
