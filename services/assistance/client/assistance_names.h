// Resource names of the victim assistance service, for its clients.
#ifndef PALERMO_SERVICES_ASSISTANCE_CLIENT_ASSISTANCE_NAMES_H_
#define PALERMO_SERVICES_ASSISTANCE_CLIENT_ASSISTANCE_NAMES_H_

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace palermo::assistance {

// The parent of ListMeasures for every entity.
inline constexpr char kEveryEntity[] = "-";
// The collection segment of measures: `{entity}/measures/{measure_id}`.
inline constexpr char kMeasuresCollection[] = "measures";

// `countries/EST`, `shelters` -> `countries/EST/measures/shelters`.
inline std::string MeasureName(absl::string_view entity,
                               absl::string_view measure_id) {
  return absl::StrCat(entity, "/", kMeasuresCollection, "/", measure_id);
}

// `SHELTER` -> `measureTypes/SHELTER`.
inline std::string MeasureTypeName(absl::string_view code) {
  return absl::StrCat("measureTypes/", code);
}

}  // namespace palermo::assistance

#endif  // PALERMO_SERVICES_ASSISTANCE_CLIENT_ASSISTANCE_NAMES_H_
