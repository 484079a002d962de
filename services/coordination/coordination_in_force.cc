// When a coordination record was in force (coordination_in_force.h).
#include "services/coordination/coordination_in_force.h"

#include "services/common/periods.h"

namespace palermo::coordination {

using common::v1::PartialDate;
using common::v1::ReportingPeriod;

InForce CoversYear(const ReportingPeriod& period, int year) {
  if (!period.has_start() && !period.has_end()) return InForce::kUnknown;
  PartialDate y;
  y.set_year(year);
  y.set_precision(common::v1::DATE_PRECISION_YEAR);
  const DayRange wanted{FirstDay(y), LastDay(y)};
  const DayRange range = RangeOf(period);
  if (!range.Overlaps(wanted)) return InForce::kNo;
  // An open end means still running; an open start means undated.
  return range.open_start() ? InForce::kUnknown : InForce::kYes;
}

bool WithinYear(const ReportingPeriod& period, int year) {
  return period.has_start() && period.has_end() &&
         period.start().year() == year && period.end().year() == year;
}

namespace {

ReportingPeriod Since(const PartialDate& date, bool known) {
  ReportingPeriod p;
  if (known) *p.mutable_start() = date;
  return p;
}

}  // namespace

InForce InForceIn(const v1::CoordinationBody& r, int year) {
  return CoversYear(Since(r.established(), r.has_established()), year);
}
InForce InForceIn(const v1::ActionPlan& r, int year) {
  switch (r.status()) {
    case v1::PLAN_STATUS_IN_PREPARATION:
      return InForce::kNo;
    case v1::PLAN_STATUS_ADOPTED:
      return CoversYear(r.period(), year);
    case v1::PLAN_STATUS_ENDED: {
      // Over, but when is not known: in force only within a dated end.
      const InForce covered = CoversYear(r.period(), year);
      return covered == InForce::kYes && !r.period().has_end()
                 ? InForce::kUnknown
                 : covered;
    }
    default:
      return InForce::kUnknown;
  }
}
InForce InForceIn(const v1::ReferralMechanism& r, int year) {
  switch (r.status()) {
    case v1::MECHANISM_STATUS_IN_PREPARATION:
      return InForce::kNo;
    case v1::MECHANISM_STATUS_OPERATIONAL:
      return CoversYear(Since(r.established(), r.has_established()), year);
    default:
      return InForce::kUnknown;
  }
}

}  // namespace palermo::coordination
