// Who a caller is: the roles of the suite, the principal the gateway
// authenticates (services/common/token_verifier.h), and its encoding in the
// `palermo-principal-bin` metadata entry that carries it from the gateway to
// the services (protos/palermo/common/v1/identity.proto).
#ifndef PALERMO_SERVICES_COMMON_PRINCIPAL_H_
#define PALERMO_SERVICES_COMMON_PRINCIPAL_H_

#include <cstddef>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace palermo {

enum class Role { kReader, kAnalyst, kFocalPoint, kCaseWorker, kAdministrator };

struct Principal {
  std::string subject;
  Role role = Role::kReader;
  std::string entity;  // focal point only: "countries/EST"

  friend bool operator==(const Principal& a, const Principal& b) {
    return a.subject == b.subject && a.role == b.role && a.entity == b.entity;
  }
  friend bool operator!=(const Principal& a, const Principal& b) {
    return !(a == b);
  }
};

// "reader", "analyst", "focal_point", "case_worker", "administrator".
absl::string_view RoleName(Role role);
// The role named `name` (exactly as RoleName spells it); INVALID_ARGUMENT
// listing the known roles otherwise.
absl::StatusOr<Role> ParseRole(absl::string_view name);

// Every caller without a token: subject "anonymous", role reader.
Principal AnonymousReader();

// A subject is 1 to kMaxSubjectBytes printable ASCII characters (space to
// tilde): it is logged, audited and recorded as the actor of revisions.
inline constexpr size_t kMaxSubjectBytes = 256;

// "countries/" and three upper-case letters, or "organizations/" and an id
// of 1 to 32 upper-case letters, digits or '-' (EntityRegistry's forms; the
// entity is not looked up).
bool IsWellFormedEntity(absl::string_view entity);

// OK for a principal the suite can act on: a valid subject, and an entity
// that is well formed for a focal point and empty for every other role.
// INVALID_ARGUMENT naming the field ("subject", "entity") otherwise.
absl::Status ValidatePrincipal(const Principal& principal);

inline constexpr char kPrincipalMetadataKey[] = "palermo-principal-bin";

// The value of kPrincipalMetadataKey for `principal` (a serialized
// palermo.common.v1.Principal).
std::string EncodePrincipal(const Principal& principal);
// The principal EncodePrincipal encoded. UNAUTHENTICATED, saying why and
// never repeating the bytes, when `value` is not a serialized
// palermo.common.v1.Principal (unknown fields included), has no role, or
// fails ValidatePrincipal.
absl::StatusOr<Principal> DecodePrincipal(absl::string_view value);

}  // namespace palermo

#endif  // PALERMO_SERVICES_COMMON_PRINCIPAL_H_
