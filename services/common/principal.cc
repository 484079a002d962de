// Roles, principals and their metadata encoding (principal.h).
#include "services/common/principal.h"

#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "palermo/common/v1/identity.pb.h"
#include "services/common/status.h"

namespace palermo {
namespace {

namespace pb = common::v1;

constexpr struct {
  Role role;
  pb::Role proto;
  const char* name;
} kRoles[] = {
    {Role::kReader, pb::ROLE_READER, "reader"},
    {Role::kAnalyst, pb::ROLE_ANALYST, "analyst"},
    {Role::kFocalPoint, pb::ROLE_FOCAL_POINT, "focal_point"},
    {Role::kCaseWorker, pb::ROLE_CASE_WORKER, "case_worker"},
    {Role::kAdministrator, pb::ROLE_ADMINISTRATOR, "administrator"},
};

constexpr size_t kMaxOrganizationIdBytes = 32;

bool IsOrganizationIdChar(char c) {
  return absl::ascii_isupper(c) || absl::ascii_isdigit(c) || c == '-';
}

absl::Status Unauthenticated(absl::string_view why) {
  return absl::UnauthenticatedError(
      absl::StrCat(kPrincipalMetadataKey, ": ", why));
}

}  // namespace

absl::string_view RoleName(Role role) {
  for (const auto& r : kRoles) {
    if (r.role == role) return r.name;
  }
  return "unknown";
}

absl::StatusOr<Role> ParseRole(absl::string_view name) {
  for (const auto& r : kRoles) {
    if (name == r.name) return r.role;
  }
  return InvalidField(
      "role", absl::StrCat("\"", Abbreviate(name, 32),
                           "\" is not a role (reader, analyst, focal_point, "
                           "case_worker, administrator)"));
}

Principal AnonymousReader() {
  Principal principal;
  principal.subject = "anonymous";
  principal.role = Role::kReader;
  return principal;
}

bool IsWellFormedEntity(absl::string_view entity) {
  if (absl::ConsumePrefix(&entity, "countries/")) {
    return entity.size() == 3 && absl::ascii_isupper(entity[0]) &&
           absl::ascii_isupper(entity[1]) && absl::ascii_isupper(entity[2]);
  }
  if (absl::ConsumePrefix(&entity, "organizations/")) {
    if (entity.empty() || entity.size() > kMaxOrganizationIdBytes) return false;
    for (char c : entity) {
      if (!IsOrganizationIdChar(c)) return false;
    }
    return true;
  }
  return false;
}

namespace {

// Why `principal` is not one the suite can act on, naming the field; empty
// when it is.
struct Problem {
  const char* field = nullptr;
  std::string description;
};
Problem FindProblem(const Principal& principal) {
  if (principal.subject.empty()) return {"subject", "empty"};
  if (principal.subject.size() > kMaxSubjectBytes) {
    return {"subject",
            absl::StrCat("longer than ", kMaxSubjectBytes, " bytes")};
  }
  for (char c : principal.subject) {
    if (c < 0x20 || c > 0x7e) {
      return {"subject", "not printable ASCII"};
    }
  }
  if (principal.role == Role::kFocalPoint) {
    if (principal.entity.empty()) {
      return {"entity", "required for a focal_point"};
    }
    if (!IsWellFormedEntity(principal.entity)) {
      return {"entity",
              "not countries/{3 upper-case letters} or organizations/{id}"};
    }
  } else if (!principal.entity.empty()) {
    return {"entity", absl::StrCat("only a focal_point has one, not a ",
                                   RoleName(principal.role))};
  }
  return {};
}

}  // namespace

absl::Status ValidatePrincipal(const Principal& principal) {
  Problem problem = FindProblem(principal);
  if (problem.field == nullptr) return absl::OkStatus();
  FieldViolations violations;
  violations.Add(problem.field, std::move(problem.description));
  return violations.ToStatus("invalid principal");
}

std::string EncodePrincipal(const Principal& principal) {
  pb::Principal message;
  message.set_subject(principal.subject);
  for (const auto& r : kRoles) {
    if (r.role == principal.role) message.set_role(r.proto);
  }
  message.set_entity(principal.entity);
  return message.SerializeAsString();
}

absl::StatusOr<Principal> DecodePrincipal(absl::string_view value) {
  pb::Principal message;
  if (!message.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
    return Unauthenticated("not a serialized palermo.common.v1.Principal");
  }
  if (!message.GetReflection()->GetUnknownFields(message).empty()) {
    return Unauthenticated("unknown fields in palermo.common.v1.Principal");
  }
  Principal principal;
  bool known_role = false;
  for (const auto& r : kRoles) {
    if (r.proto == message.role()) {
      principal.role = r.role;
      known_role = true;
    }
  }
  if (!known_role) return Unauthenticated("role missing or unknown");
  principal.subject = message.subject();
  principal.entity = message.entity();
  if (Problem problem = FindProblem(principal); problem.field != nullptr) {
    return Unauthenticated(
        absl::StrCat(problem.field, ": ", problem.description));
  }
  return principal;
}

}  // namespace palermo
