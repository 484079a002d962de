// Reporting periods as day ranges: overlap and nesting, comparable shapes,
// and their SDMX TIME_PERIOD text. States report calendar years, month
// ranges, partial years and totals that contain yearly figures; every
// comparison here works on the days a period covers.
#ifndef PALERMO_SERVICES_COMMON_PERIODS_H_
#define PALERMO_SERVICES_COMMON_PERIODS_H_

#include <cstdint>
#include <limits>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "palermo/common/v1/common.pb.h"

namespace palermo {

// Inclusive range of days since 1970-01-01. An open start is the lowest
// day, an open end the highest.
struct DayRange {
  int64_t first = std::numeric_limits<int64_t>::min();
  int64_t last = std::numeric_limits<int64_t>::max();

  bool open_start() const {
    return first == std::numeric_limits<int64_t>::min();
  }
  bool open_end() const { return last == std::numeric_limits<int64_t>::max(); }
  bool Overlaps(const DayRange& other) const {
    return first <= other.last && other.first <= last;
  }
  bool Contains(const DayRange& inner) const {
    return first <= inner.first && inner.last <= last;
  }
  bool operator==(const DayRange& o) const {
    return first == o.first && last == o.last;
  }
};

// First and last day of a (valid) partial date.
int64_t FirstDay(const common::v1::PartialDate& date);
int64_t LastDay(const common::v1::PartialDate& date);

// The days a period covers; unset ends are open.
DayRange RangeOf(const common::v1::ReportingPeriod& period);

// Whether two periods have the same shape: the same precision at both ends
// and the same length in their unit (a calendar year and a calendar year,
// July-December and January-June), so that their figures can be compared.
bool SameShape(const common::v1::ReportingPeriod& a,
               const common::v1::ReportingPeriod& b);

// "2005", "2002-07", "2005-03-01".
std::string FormatDate(const common::v1::PartialDate& date);

// SDMX TIME_PERIOD: "2005" for a single period, "2003/2006" or
// "2002-07/2007-10" for a range (ISO 8601 interval), ".." for an open end:
// "../2007-06".
std::string FormatTimePeriod(const common::v1::ReportingPeriod& period);

// Inverse of FormatTimePeriod.
absl::StatusOr<common::v1::ReportingPeriod> ParseTimePeriod(
    absl::string_view text);

}  // namespace palermo

#endif  // PALERMO_SERVICES_COMMON_PERIODS_H_
