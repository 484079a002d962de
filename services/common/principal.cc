// Roles and principals (principal.h).
#include "services/common/principal.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "services/common/status.h"

namespace palermo {

absl::string_view RoleName(Role role) {
  switch (role) {
    case Role::kReader:
      return "reader";
    case Role::kAnalyst:
      return "analyst";
    case Role::kFocalPoint:
      return "focal_point";
    case Role::kCaseWorker:
      return "case_worker";
    case Role::kAdministrator:
      return "administrator";
  }
  return "reader";
}

absl::StatusOr<Role> ParseRole(absl::string_view name) {
  for (Role role : {Role::kReader, Role::kAnalyst, Role::kFocalPoint,
                    Role::kCaseWorker, Role::kAdministrator}) {
    if (name == RoleName(role)) return role;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "\"", Abbreviate(name),
      "\" is not a role (reader, analyst, focal_point, case_worker, "
      "administrator)"));
}

Principal AnonymousReader() { return Principal{"anonymous", Role::kReader, ""}; }

}  // namespace palermo
