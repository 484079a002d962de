// Resource names of the enforcement statistics service, for its clients.
#ifndef PALERMO_SERVICES_ENFORCEMENT_CLIENT_ENFORCEMENT_NAMES_H_
#define PALERMO_SERVICES_ENFORCEMENT_CLIENT_ENFORCEMENT_NAMES_H_

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace palermo::enforcement {

// The parent of ListObservations and ExportSdmxCsv for every entity.
inline constexpr char kEveryEntity[] = "-";

// `CASES_INVESTIGATED` -> `indicators/CASES_INVESTIGATED`.
inline std::string IndicatorName(absl::string_view code) {
  return absl::StrCat("indicators/", code);
}

}  // namespace palermo::enforcement

#endif  // PALERMO_SERVICES_ENFORCEMENT_CLIENT_ENFORCEMENT_NAMES_H_
