// The enforcement domain's naming: how a series key names an observation,
// and the checks that a name or an entity is one the service knows. The
// other methods live in enforcement_domain_*.cc, one file per concern.
#include "services/enforcement/enforcement_domain.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "services/common/periods.h"
#include "services/common/status.h"
#include "services/common/validation.h"
#include "services/enforcement/observation_facts.h"

namespace palermo::enforcement {
std::string EnforcementDomain::NameOf(const v1::Observation& o) {
  const auto date = [](bool has, const common::v1::PartialDate& d) {
    return has ? FormatDate(d) : std::string("open");
  };
  std::string id = absl::StrCat(
      o.indicator(), "_", date(o.period().has_start(), o.period().start()), "_",
      date(o.period().has_end(), o.period().end()));
  if (o.sex() != v1::SEX_UNSPECIFIED) {
    absl::StrAppend(&id, "_", v1::Sex_Name(o.sex()));
  }
  if (o.age_group() != v1::AGE_GROUP_UNSPECIFIED) {
    absl::StrAppend(&id, "_", v1::AgeGroup_Name(o.age_group()));
  }
  if (o.exploitation_form() != common::v1::EXPLOITATION_FORM_UNSPECIFIED) {
    absl::StrAppend(&id, "_",
                    common::v1::ExploitationForm_Name(o.exploitation_form()));
  }
  if (!o.citizenship().empty()) {
    absl::StrAppend(&id, "_CITIZENSHIP_", o.citizenship());
  }
  return absl::StrCat(o.entity(), kObservations, id);
}

absl::Status EnforcementDomain::CheckEntity(absl::string_view entity,
                                            absl::string_view field) {
  // The common case is checked without building the entity: imports check
  // every row.
  if (entities_.Contains(entity)) return absl::OkStatus();
  return entities_.Resolve(entity, field).status();
}

absl::Status EnforcementDomain::CheckName(absl::string_view name,
                                          absl::string_view field) {
  const size_t at = name.find(kObservations);
  if (at == absl::string_view::npos ||
      at + sizeof(kObservations) - 1 == name.size()) {
    return InvalidField(std::string(field),
                        absl::StrCat("\"", Abbreviate(name),
                                     "\" is not {entity}/observations/{id}"));
  }
  return CheckEntity(name.substr(0, at), field);
}

}  // namespace palermo::enforcement
