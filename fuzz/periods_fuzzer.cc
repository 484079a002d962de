// libFuzzer target: partial dates and reporting periods
// (services/common/periods.h, validation.h). An input is a selector byte,
// then: 0, an SDMX TIME_PERIOD text, parsed and, if it parses, formatted
// back to the same period; 1, a PartialDate as protobuf bytes, validated
// and, if valid, turned into days and text; 2, a ReportingPeriod as protobuf
// bytes, the same for both ends, with overlap and shape against itself.
#include <google/protobuf/util/message_differencer.h>

#include <cstdio>
#include <cstdlib>

#include "fuzz/fuzz_support.h"
#include "services/common/periods.h"
#include "services/common/validation.h"

namespace palermo::fuzz {
namespace {

namespace cv1 = common::v1;
using google::protobuf::util::MessageDifferencer;

void Check(bool ok, const char* what, const google::protobuf::Message& m) {
  if (!ok) {
    std::fprintf(stderr, "periods: %s:\n%s\n", what, m.DebugString().c_str());
    std::abort();
  }
}

// A valid period: formatted, parsed back, and its days ordered.
void CheckPeriod(const cv1::ReportingPeriod& period) {
  const DayRange range = RangeOf(period);
  const std::string text = FormatTimePeriod(period);
  auto parsed = ParseTimePeriod(text);
  Check(parsed.ok(), "a formatted period does not parse", period);
  Check(MessageDifferencer::Equals(*parsed, period),
        "a period does not survive format then parse", period);
  Check(RangeOf(*parsed) == range, "days differ after a round trip", period);
  (void)SameShape(period, period);
  (void)range.Overlaps(range);
}

std::vector<std::string> Seeds() {
  std::vector<std::string> seeds;
  for (const char* text : {"2005", "2003/2006", "2002-07/2007-10", "../2007-06",
                           "2005-03-01", "2004-02-29/..", "2007-01/2007-06"}) {
    seeds.push_back(std::string(1, '\0') + text);
    auto period = ParseTimePeriod(text);
    if (period.ok()) {
      seeds.push_back(std::string(1, '\2') + period->SerializeAsString());
      if (period->has_end()) {
        seeds.push_back(std::string(1, '\1') +
                        period->end().SerializeAsString());
      }
    }
  }
  return seeds;
}

}  // namespace
}  // namespace palermo::fuzz

PALERMO_FUZZ_INITIALIZE(palermo::fuzz::Seeds)

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace palermo;
  using namespace palermo::fuzz;
  if (size == 0) return -1;
  const char* bytes = reinterpret_cast<const char*>(data + 1);
  const int rest = static_cast<int>(size - 1);
  switch (data[0] % 3) {
    case 0: {
      auto period = ParseTimePeriod(absl::string_view(bytes, rest));
      Consume(period.status());
      if (!period.ok()) return 0;
      FieldViolations violations;
      ValidateCommonTypes(*period, "period", violations);
      if (violations.empty()) CheckPeriod(*period);
      return 0;
    }
    case 1: {
      cv1::PartialDate date;
      if (!date.ParseFromArray(bytes, rest)) return -1;
      date.DiscardUnknownFields();  // kept by protobuf, never formatted
      FieldViolations violations;
      ValidatePartialDate(date, "date", violations);
      Consume(violations.ToStatus());
      if (!violations.empty()) return 0;
      Check(FirstDay(date) <= LastDay(date), "a date ends before it starts",
            date);
      cv1::ReportingPeriod single;
      *single.mutable_start() = date;
      *single.mutable_end() = date;
      CheckPeriod(single);
      return 0;
    }
    default: {
      cv1::ReportingPeriod period;
      if (!period.ParseFromArray(bytes, rest)) return -1;
      period.DiscardUnknownFields();
      FieldViolations violations;
      ValidateCommonTypes(period, "period", violations);
      Consume(violations.ToStatus());
      if (violations.empty()) CheckPeriod(period);
      return 0;
    }
  }
}
