// Small facts about one observation that several of the enforcement domain's
// files ask: whether its status says the value is missing, the status's short
// name, its breakdown, and the as-of time of a request. Internal to the
// enforcement service.
#ifndef PALERMO_SERVICES_ENFORCEMENT_OBSERVATION_FACTS_H_
#define PALERMO_SERVICES_ENFORCEMENT_OBSERVATION_FACTS_H_

#include <google/protobuf/timestamp.pb.h>

#include <optional>
#include <string>

#include "absl/time/time.h"
#include "palermo/enforcement/v1/enforcement.pb.h"

namespace palermo::enforcement {

// What joins the entity and the id of an observation's name.
inline constexpr char kObservations[] = "/observations/";

// Whether `s` says why a figure has no value (so it must have none).
bool IsMissingStatus(v1::ObservationStatus s);

// `s` without its OBSERVATION_STATUS_ prefix: "MISSING".
std::string StatusName(v1::ObservationStatus s);

// Whether `o` has breakdown `b`.
bool SameBreakdown(const v1::Observation& o, const v1::Breakdown& b);

// The breakdown of `o`.
v1::Breakdown BreakdownOf(const v1::Observation& o);

// Whether two periods are stated the same way.
bool SamePeriod(const common::v1::ReportingPeriod& a,
                const common::v1::ReportingPeriod& b);

// The as-of time `t` of a request if it has one (`has`), else none (now).
std::optional<absl::Time> AsOfTimestamp(bool has,
                                        const google::protobuf::Timestamp& t);

}  // namespace palermo::enforcement

#endif  // PALERMO_SERVICES_ENFORCEMENT_OBSERVATION_FACTS_H_
