// Who calls: the roles of the suite and the principal the gateway
// authenticates (a token's subject, role and, for a focal point, entity).
// A caller without a token is the anonymous reader.
#ifndef PALERMO_SERVICES_COMMON_PRINCIPAL_H_
#define PALERMO_SERVICES_COMMON_PRINCIPAL_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace palermo {

enum class Role { kReader, kAnalyst, kFocalPoint, kCaseWorker, kAdministrator };

struct Principal {
  std::string subject;
  Role role = Role::kReader;
  std::string entity;  // focal point only: "countries/EST"
};

// "reader" "analyst" "focal_point" "case_worker" "administrator".
absl::string_view RoleName(Role role);

// The role a RoleName names; INVALID_ARGUMENT for any other text.
absl::StatusOr<Role> ParseRole(absl::string_view name);

// Subject "anonymous", role kReader.
Principal AnonymousReader();

// The metadata the gateway sends the principal in.
inline constexpr char kPrincipalMetadataKey[] = "palermo-principal-bin";

}  // namespace palermo

#endif  // PALERMO_SERVICES_COMMON_PRINCIPAL_H_
