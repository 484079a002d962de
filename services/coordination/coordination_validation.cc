// Checks of single values shared by the coordination records' validation
// (coordination_validation.h).
#include "services/coordination/coordination_validation.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"
#include "services/common/periods.h"

namespace palermo::coordination {

using common::v1::ReportingPeriod;

void ValidatePeriodOrder(const ReportingPeriod& period, const std::string& path,
                         FieldViolations& v) {
  if (period.has_start() && period.has_end() &&
      PartialDateBefore(period.end(), period.start())) {
    v.Add(FieldPath(path, "end"), "before the start");
  }
}

void ValidateCount(bool has, int64_t value, const std::string& path,
                   FieldViolations& v) {
  if (has && (value < 0 || value > 10'000'000'000)) {
    v.Add(path, "must be 0-10000000000");
  }
}

bool IsDocumentSymbol(absl::string_view symbol) {
  if (symbol.empty() || symbol.size() > 64 || !absl::ascii_isupper(symbol[0]) ||
      symbol.find('/') == absl::string_view::npos) {
    return false;
  }
  for (absl::string_view part : absl::StrSplit(symbol, '/')) {
    if (part.empty()) return false;
    for (char c : part) {
      if (!absl::ascii_isalnum(c) && c != '.' && c != '-') return false;
    }
  }
  return true;
}

}  // namespace palermo::coordination
