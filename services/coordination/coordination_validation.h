// Checks of single values that the coordination records' validation shares:
// period order, counts, United Nations document symbols, repeated elements.
// Internal to the coordination service.
#ifndef PALERMO_SERVICES_COORDINATION_COORDINATION_VALIDATION_H_
#define PALERMO_SERVICES_COORDINATION_COORDINATION_VALIDATION_H_

#include <cstdint>
#include <set>
#include <string>

#include "absl/strings/string_view.h"
#include "palermo/common/v1/common.pb.h"
#include "services/common/status.h"
#include "services/common/validation.h"

namespace palermo::coordination {

// A violation on `{path}.end` if the period ends before it starts.
void ValidatePeriodOrder(const common::v1::ReportingPeriod& period,
                         const std::string& path, FieldViolations& v);

// A violation on `path` if a count is set (`has`) and not 0-10000000000.
void ValidateCount(bool has, int64_t value, const std::string& path,
                   FieldViolations& v);

// A United Nations document symbol: components of letters, digits, '.' and
// '-' joined by '/', the first opening with a capital letter
// ("E/CN.15/2008/4", "A/RES/55/25").
bool IsDocumentSymbol(absl::string_view symbol);

// A violation on each element of `values` equal to an earlier one.
template <typename Values>
void NoRepeats(const Values& values, const std::string& path,
               FieldViolations& v) {
  std::set<typename Values::value_type> seen;
  for (int i = 0; i < values.size(); ++i) {
    if (!seen.insert(values[i]).second) v.Add(ElementPath(path, i), "repeated");
  }
}

}  // namespace palermo::coordination

#endif  // PALERMO_SERVICES_COORDINATION_COORDINATION_VALIDATION_H_
