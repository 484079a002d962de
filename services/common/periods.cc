#include "services/common/periods.h"

#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "services/common/status.h"

namespace palermo {
namespace {

using common::v1::PartialDate;
using common::v1::ReportingPeriod;

const absl::CivilDay kEpoch(1970, 1, 1);

// Length of a period in its end's unit: years, months or days.
int64_t LengthInUnits(const ReportingPeriod& p) {
  const PartialDate& s = p.start();
  const PartialDate& e = p.end();
  switch (e.precision()) {
    case common::v1::DATE_PRECISION_YEAR:
      return e.year() - s.year() + 1;
    case common::v1::DATE_PRECISION_MONTH:
      return (e.year() - s.year()) * 12 + e.month() - s.month() + 1;
    default:
      return LastDay(e) - FirstDay(s) + 1;
  }
}

absl::StatusOr<PartialDate> ParseDate(absl::string_view text) {
  std::vector<absl::string_view> parts = absl::StrSplit(text, '-');
  PartialDate date;
  int values[3] = {0, 0, 0};
  if (parts.empty() || parts.size() > 3) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", Abbreviate(text), "\" is not a date"));
  }
  for (size_t i = 0; i < parts.size(); ++i) {
    if (!absl::SimpleAtoi(parts[i], &values[i])) {
      return absl::InvalidArgumentError(
          absl::StrCat("\"", Abbreviate(text), "\" is not a date"));
    }
  }
  date.set_year(values[0]);
  date.set_month(values[1]);
  date.set_day(values[2]);
  date.set_precision(parts.size() == 1   ? common::v1::DATE_PRECISION_YEAR
                     : parts.size() == 2 ? common::v1::DATE_PRECISION_MONTH
                                         : common::v1::DATE_PRECISION_DAY);
  return date;
}

}  // namespace

int64_t FirstDay(const PartialDate& date) {
  const int month =
      date.precision() == common::v1::DATE_PRECISION_YEAR ? 1 : date.month();
  const int day =
      date.precision() == common::v1::DATE_PRECISION_DAY ? date.day() : 1;
  return absl::CivilDay(date.year(), month, day) - kEpoch;
}

int64_t LastDay(const PartialDate& date) {
  switch (date.precision()) {
    case common::v1::DATE_PRECISION_YEAR:
      return absl::CivilDay(date.year(), 12, 31) - kEpoch;
    case common::v1::DATE_PRECISION_MONTH:
      // The day before the first of the next month.
      return (absl::CivilDay(absl::CivilMonth(date.year(), date.month()) + 1) -
              1) -
             kEpoch;
    default:
      return absl::CivilDay(date.year(), date.month(), date.day()) - kEpoch;
  }
}

DayRange RangeOf(const ReportingPeriod& period) {
  DayRange range;
  if (period.has_start()) range.first = FirstDay(period.start());
  if (period.has_end()) range.last = LastDay(period.end());
  return range;
}

bool SameShape(const ReportingPeriod& a, const ReportingPeriod& b) {
  if (!a.has_start() || !a.has_end() || !b.has_start() || !b.has_end()) {
    return false;
  }
  if (a.start().precision() != b.start().precision() ||
      a.end().precision() != b.end().precision() ||
      a.start().precision() != a.end().precision()) {
    return false;
  }
  // Months must also start on the same calendar month (a July-June year is
  // not a calendar year), except for day precision where length decides.
  if (a.start().precision() == common::v1::DATE_PRECISION_MONTH &&
      a.start().month() != b.start().month()) {
    return false;
  }
  return LengthInUnits(a) == LengthInUnits(b);
}

std::string FormatDate(const PartialDate& date) {
  // Years are 1900-2100 once validated: four digits without padding.
  switch (date.precision()) {
    case common::v1::DATE_PRECISION_YEAR:
      return absl::StrCat(date.year());
    case common::v1::DATE_PRECISION_MONTH:
      return absl::StrCat(date.year(), "-",
                          absl::Dec(date.month(), absl::kZeroPad2));
    default:
      return absl::StrCat(date.year(), "-",
                          absl::Dec(date.month(), absl::kZeroPad2), "-",
                          absl::Dec(date.day(), absl::kZeroPad2));
  }
}

std::string FormatTimePeriod(const ReportingPeriod& period) {
  const std::string start =
      period.has_start() ? FormatDate(period.start()) : "..";
  const std::string end = period.has_end() ? FormatDate(period.end()) : "..";
  if (start == end) return start;
  return absl::StrCat(start, "/", end);
}

absl::StatusOr<ReportingPeriod> ParseTimePeriod(absl::string_view text) {
  ReportingPeriod period;
  std::vector<absl::string_view> ends = absl::StrSplit(text, '/');
  if (ends.size() > 2 || text.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", Abbreviate(text), "\" is not a time period"));
  }
  const absl::string_view start = ends[0];
  const absl::string_view end = ends.size() == 2 ? ends[1] : ends[0];
  if (start != "..") {
    absl::StatusOr<PartialDate> date = ParseDate(start);
    if (!date.ok()) return date.status();
    *period.mutable_start() = *date;
  }
  if (end != "..") {
    absl::StatusOr<PartialDate> date = ParseDate(end);
    if (!date.ok()) return date.status();
    *period.mutable_end() = *date;
  }
  return period;
}

}  // namespace palermo
