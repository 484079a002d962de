// Resource names of the reporting service, the one place they are made and
// parsed (the service and its clients): `cycles/{cycle}`,
// `cycles/{cycle}/responses/{entity_id}`,
// `cycles/{cycle}/narrativeBlocks/{block}`,
// `cycles/{cycle}/reportVersions/{n}`, and the filter on a response's entity.
#ifndef PALERMO_SERVICES_REPORTING_CLIENT_REPORTING_NAMES_H_
#define PALERMO_SERVICES_REPORTING_CLIENT_REPORTING_NAMES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "services/common/filter.h"
#include "services/common/status.h"
#include "services/common/validation.h"

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

inline constexpr char kCycles[] = "cycles";
inline constexpr char kResponses[] = "responses";
inline constexpr char kBlocks[] = "narrativeBlocks";
inline constexpr char kVersions[] = "reportVersions";

struct ChildName {
  std::string cycle;  // cycles/{cycle}
  std::string id;     // the last segment
};

// `cycles/{id}`, or INVALID_ARGUMENT naming `field`.
inline absl::StatusOr<std::string> ParseCycleName(absl::string_view name,
                                                  absl::string_view field) {
  std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  if (parts.size() != 2 || parts[0] != kCycles || !ValidResourceId(parts[1])) {
    return InvalidField(std::string(field),
                        absl::StrCat("\"", Abbreviate(name),
                                     "\" is not a cycle name: cycles/{cycle}, "
                                     "{cycle} 1-63 of a-z, 0-9 and -, from a "
                                     "letter"));
  }
  return std::string(name);
}

// `cycles/{cycle}/{collection}/{id}`, or INVALID_ARGUMENT naming `field`.
// Response ids are entity codes (EST, LAS, OSRSG-CAAC): ValidResponseId.
inline absl::StatusOr<ChildName> ParseChildName(absl::string_view name,
                                                absl::string_view collection,
                                                absl::string_view field) {
  std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  bool ok = parts.size() == 4 && parts[0] == kCycles &&
            ValidResourceId(parts[1]) && parts[2] == collection &&
            !parts[3].empty() && parts[3].size() <= 63;
  if (ok && collection == kResponses) {
    ok = ValidResponseId(parts[3]);
  } else if (ok && collection == kVersions) {
    for (char c : parts[3]) ok = ok && c >= '0' && c <= '9';
    ok = ok && parts[3][0] != '0';
  } else if (ok) {
    ok = ValidResourceId(parts[3]);
  }
  if (!ok) {
    return InvalidField(
        std::string(field),
        absl::StrCat("\"", Abbreviate(name), "\" is not a name of the form ",
                     "cycles/{cycle}/", collection, "/{id}"));
  }
  return ChildName{absl::StrCat(kCycles, "/", parts[1]), std::string(parts[3])};
}

// The response id of an entity: `countries/EST` -> `EST`,
// `organizations/LAS` -> `LAS`.
inline std::string ResponseIdOf(absl::string_view entity) {
  const size_t slash = entity.rfind('/');
  return std::string(slash == absl::string_view::npos ? entity
                                                      : entity.substr(slash + 1));
}

}  // namespace palermo::reporting

#endif  // PALERMO_SERVICES_REPORTING_CLIENT_REPORTING_NAMES_H_
