// Composition of a country profile from the domain services' answers. Pure
// logic: the gateway's handlers fetch, this decides what the profile says.
// A profile degrades instead of failing: a section whose service failed, or
// which does not fit in the profile's bound, is left out and named.
#ifndef PALERMO_SERVICES_GATEWAY_PROFILE_H_
#define PALERMO_SERVICES_GATEWAY_PROFILE_H_

#include <cstddef>
#include <vector>

#include "absl/status/statusor.h"
#include "palermo/assistance/v1/assistance.pb.h"
#include "palermo/common/v1/common.pb.h"
#include "palermo/coordination/v1/coordination.pb.h"
#include "palermo/enforcement/v1/enforcement.pb.h"
#include "palermo/gateway/v1/gateway.pb.h"
#include "palermo/legislation/v1/legislation.pb.h"
#include "palermo/reporting/v1/reporting.pb.h"
#include "services/common/limits.h"

namespace palermo::gateway {

// What the domain services answered for one entity.
struct ProfileParts {
  absl::StatusOr<legislation::v1::Legislation> legislation;
  absl::StatusOr<std::vector<enforcement::v1::Observation>> observations;
  absl::StatusOr<std::vector<assistance::v1::Measure>> measures =
      std::vector<assistance::v1::Measure>();
  absl::StatusOr<coordination::v1::EntityCoordination> coordination =
      coordination::v1::EntityCoordination();
  absl::StatusOr<std::vector<reporting::v1::Response>> responses =
      std::vector<reporting::v1::Response>();
};

// The profile of `entity`, at most `max_bytes` serialized. Sections are
// added in the order legislation, enforcement, assistance, coordination,
// responses:
// - legislation NOT_FOUND means "no record": no section, nothing named;
// - any other failure leaves the section out and names it in
//   `omitted_sections` with the service's code and message;
// - a section that would pass the bound is left out (legislation,
//   coordination) or cut to the whole series, measures or responses that
//   fit (enforcement, assistance, responses), and named with RESOURCE_EXHAUSTED and where
//   to read it whole.
v1::CountryProfile ComposeProfile(const common::v1::ReportingEntity& entity,
                                  const ProfileParts& parts,
                                  size_t max_bytes = kMaxResponseBytes);

// The RESOURCE_EXHAUSTED status of a section too large for a profile,
// saying where to read it whole; `detail` says what was left out. For the
// gateway to stop fetching a section that alone passes the bound.
absl::Status SectionTooLarge(v1::ProfileSection section,
                             absl::string_view entity,
                             absl::string_view detail);

}  // namespace palermo::gateway

#endif  // PALERMO_SERVICES_GATEWAY_PROFILE_H_
