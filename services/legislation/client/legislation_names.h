// Resource names of the legislation service, written once for the service
// and its clients (the gateway, palermo-load).
#ifndef PALERMO_SERVICES_LEGISLATION_CLIENT_LEGISLATION_NAMES_H_
#define PALERMO_SERVICES_LEGISLATION_CLIENT_LEGISLATION_NAMES_H_

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"

namespace palermo::legislation {

inline constexpr char kLegislationSuffix[] = "/legislation";

// `countries/EST` -> `countries/EST/legislation`.
inline std::string LegislationName(absl::string_view entity_name) {
  return absl::StrCat(entity_name, kLegislationSuffix);
}

// `countries/EST/legislation` -> `countries/EST`; false if the name does not
// end in /legislation.
inline bool EntityOfLegislationName(absl::string_view name,
                                    absl::string_view* entity) {
  *entity = name;
  return absl::ConsumeSuffix(entity, kLegislationSuffix);
}

}  // namespace palermo::legislation

#endif  // PALERMO_SERVICES_LEGISLATION_CLIENT_LEGISLATION_NAMES_H_
