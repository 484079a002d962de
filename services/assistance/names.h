// Resource names of the assistance service, parsed in one place: every
// method that takes a name checks it here, so that a malformed one is
// INVALID_ARGUMENT naming the field, never NOT_FOUND.
#ifndef PALERMO_SERVICES_ASSISTANCE_NAMES_H_
#define PALERMO_SERVICES_ASSISTANCE_NAMES_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "services/common/entities.h"
#include "services/common/status.h"
#include "services/common/validation.h"

namespace palermo::assistance {

inline constexpr char kMeasures[] = "/measures/";
inline constexpr char kCasesPrefix[] = "cases/";
// Case ids are 128 random bits in hex.
inline constexpr size_t kCaseIdLength = 32;

// OK if `name` is {entity}/measures/{measure_id} with a known entity;
// otherwise INVALID_ARGUMENT on `field`.
inline absl::Status CheckMeasureName(const EntityRegistry& entities,
                                     absl::string_view name,
                                     absl::string_view field) {
  const size_t at = name.find(kMeasures);
  if (at != absl::string_view::npos && entities.Contains(name.substr(0, at)) &&
      ValidResourceId(name.substr(at + sizeof(kMeasures) - 1))) {
    return absl::OkStatus();
  }
  return InvalidField(std::string(field),
                      absl::StrCat("\"", Abbreviate(name),
                                   "\" is not {entity}/measures/{measure_id}"));
}

// OK if `name` is cases/{case_id}; otherwise INVALID_ARGUMENT on `field`.
inline absl::Status CheckCaseName(absl::string_view name,
                                  absl::string_view field) {
  absl::string_view id = name;
  bool ok =
      absl::ConsumePrefix(&id, kCasesPrefix) && id.size() == kCaseIdLength;
  for (char c : id) {
    ok = ok && (absl::ascii_isdigit(c) || (c >= 'a' && c <= 'f'));
  }
  if (ok) return absl::OkStatus();
  return InvalidField(
      std::string(field),
      absl::StrCat("\"", Abbreviate(name), "\" is not cases/{case_id}"));
}

}  // namespace palermo::assistance

#endif  // PALERMO_SERVICES_ASSISTANCE_NAMES_H_
