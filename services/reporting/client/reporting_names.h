// Resource names of the reporting service, for its clients: cycles, their
// responses and narrative blocks, and the filter on a response's entity.
#ifndef PALERMO_SERVICES_REPORTING_CLIENT_REPORTING_NAMES_H_
#define PALERMO_SERVICES_REPORTING_CLIENT_REPORTING_NAMES_H_

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "services/common/filter.h"

namespace palermo::reporting {

// The parent of ListResponses for every cycle.
inline constexpr char kEveryCycle[] = "cycles/-";

// `ccpcj-17` -> `cycles/ccpcj-17`.
inline std::string CycleName(absl::string_view cycle_id) {
  return absl::StrCat("cycles/", cycle_id);
}

// `cycles/ccpcj-17`, `EST` -> `cycles/ccpcj-17/responses/EST`.
inline std::string ResponseName(absl::string_view cycle,
                                absl::string_view entity_id) {
  return absl::StrCat(cycle, "/responses/", entity_id);
}

// `cycles/ccpcj-17`, `intro-1` -> `cycles/ccpcj-17/narrativeBlocks/intro-1`.
inline std::string NarrativeBlockName(absl::string_view cycle,
                                      absl::string_view block_id) {
  return absl::StrCat(cycle, "/narrativeBlocks/", block_id);
}

// The ListResponses filter of one entity's responses:
// `entity = "countries/EST"`.
inline std::string ResponsesOfEntityFilter(absl::string_view entity) {
  return absl::StrCat("entity = ", FilterString(entity));
}

}  // namespace palermo::reporting

#endif  // PALERMO_SERVICES_REPORTING_CLIENT_REPORTING_NAMES_H_
