// Composition of a country profile from the domain services' answers. Pure
// logic: the gateway's handlers fetch, this decides what the profile says.
#ifndef PALERMO_SERVICES_GATEWAY_PROFILE_H_
#define PALERMO_SERVICES_GATEWAY_PROFILE_H_

#include "absl/status/statusor.h"
#include "palermo/common/v1/common.pb.h"
#include "palermo/gateway/v1/gateway.pb.h"
#include "palermo/legislation/v1/legislation.pb.h"

namespace palermo::gateway {

// An entity with no legislation record (NOT_FOUND) gets a profile without
// that section; any other failure of a section fails the profile, naming it.
absl::StatusOr<v1::CountryProfile> ComposeProfile(
    const common::v1::ReportingEntity& entity,
    const absl::StatusOr<legislation::v1::Legislation>& legislation);

}  // namespace palermo::gateway

#endif  // PALERMO_SERVICES_GATEWAY_PROFILE_H_
