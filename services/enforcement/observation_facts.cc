// Small facts about one observation shared by the enforcement domain's files.
#include "services/enforcement/observation_facts.h"

#include <google/protobuf/util/time_util.h>

#include "absl/strings/strip.h"

namespace palermo::enforcement {

using google::protobuf::util::TimeUtil;

bool IsMissingStatus(v1::ObservationStatus s) {
  return s == v1::OBSERVATION_STATUS_NOT_COLLECTED ||
         s == v1::OBSERVATION_STATUS_CANNOT_EXIST ||
         s == v1::OBSERVATION_STATUS_MISSING ||
         s == v1::OBSERVATION_STATUS_SUPPRESSED;
}

std::string StatusName(v1::ObservationStatus s) {
  std::string name = v1::ObservationStatus_Name(s);
  absl::string_view short_name = name;
  absl::ConsumePrefix(&short_name, "OBSERVATION_STATUS_");
  return std::string(short_name);
}

bool SameBreakdown(const v1::Observation& o, const v1::Breakdown& b) {
  return o.sex() == b.sex() && o.age_group() == b.age_group() &&
         o.exploitation_form() == b.exploitation_form() &&
         o.citizenship() == b.citizenship();
}

v1::Breakdown BreakdownOf(const v1::Observation& o) {
  v1::Breakdown b;
  b.set_sex(o.sex());
  b.set_age_group(o.age_group());
  b.set_exploitation_form(o.exploitation_form());
  b.set_citizenship(o.citizenship());
  return b;
}

bool SamePeriod(const common::v1::ReportingPeriod& a,
                const common::v1::ReportingPeriod& b) {
  return a.SerializeAsString() == b.SerializeAsString();
}

std::optional<absl::Time> AsOfTimestamp(bool has,
                                        const google::protobuf::Timestamp& t) {
  if (!has) return std::nullopt;
  return absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(t));
}

}  // namespace palermo::enforcement
