// Whether a coordination record was in force during a year, from its period
// or its date of establishment and its status; internal to the coordination
// service (FindEntities and SummarizeTraining ask it).
#ifndef PALERMO_SERVICES_COORDINATION_COORDINATION_IN_FORCE_H_
#define PALERMO_SERVICES_COORDINATION_COORDINATION_IN_FORCE_H_

#include "palermo/common/v1/common.pb.h"
#include "palermo/coordination/v1/coordination.pb.h"

namespace palermo::coordination {

// Whether a record with this period was in force during `year`: kUnknown
// when the source does not date it well enough to tell (no start).
enum class InForce { kYes, kNo, kUnknown };

InForce CoversYear(const common::v1::ReportingPeriod& period, int year);

// Whether `period` starts and ends within `year`.
bool WithinYear(const common::v1::ReportingPeriod& period, int year);

// A body since its establishment; a plan or a mechanism by its status and
// its period; any other record by its period.
InForce InForceIn(const v1::CoordinationBody& r, int year);
InForce InForceIn(const v1::ActionPlan& r, int year);
InForce InForceIn(const v1::ReferralMechanism& r, int year);
template <typename T>
InForce InForceIn(const T& r, int year) {
  return CoversYear(r.period(), year);
}

}  // namespace palermo::coordination

#endif  // PALERMO_SERVICES_COORDINATION_COORDINATION_IN_FORCE_H_
