// What a valid observation is: EnforcementDomain::Validate, every problem of
// one row with its field path, written out by hand for the speed a bulk
// import needs.
#include "services/enforcement/enforcement_domain.h"

#include <set>
#include <string>

#include "absl/algorithm/container.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "services/common/bounds.h"
#include "services/common/periods.h"
#include "services/common/status.h"
#include "services/common/validation.h"
#include "services/enforcement/observation_facts.h"

namespace palermo::enforcement {
void EnforcementDomain::Validate(const v1::Observation& o,
                                 absl::string_view prefix_view,
                                 FieldViolations& v) {
  const std::string prefix(prefix_view);
  auto path = [&prefix](absl::string_view f) { return FieldPath(prefix, f); };
  // The checks ValidateCommonTypes makes, written out for the one message a
  // bulk import validates a million times (reflection costs more than the
  // write).
  auto check_enum = [&](bool valid, int number, absl::string_view field,
                        absl::string_view type) {
    if (!valid) {
      v.Add(path(field), absl::StrCat(number, " is not a value of ", type));
    }
  };
  check_enum(v1::Sex_IsValid(o.sex()), o.sex(), "sex",
             "palermo.enforcement.v1.Sex");
  check_enum(v1::AgeGroup_IsValid(o.age_group()), o.age_group(), "age_group",
             "palermo.enforcement.v1.AgeGroup");
  check_enum(common::v1::ExploitationForm_IsValid(o.exploitation_form()),
             o.exploitation_form(), "exploitation_form",
             "palermo.common.v1.ExploitationForm");
  check_enum(v1::ObservationStatus_IsValid(o.status()), o.status(), "status",
             "palermo.enforcement.v1.ObservationStatus");
  if (o.period().has_start()) {
    ValidatePartialDate(o.period().start(), path("period.start"), v);
  }
  if (o.period().has_end()) {
    ValidatePartialDate(o.period().end(), path("period.end"), v);
  }
  const bool sources_bounded =
      CheckElementCount(o.sources_size(), path("sources"), v);
  for (int i = 0; sources_bounded && i < o.sources_size(); ++i) {
    const common::v1::Provenance& source = o.sources(i);
    const std::string item = ElementPath(path("sources"), i);
    ValidateProvenance(source, item, v);
    CheckStringBytes(source.document_symbol(),
                     FieldPath(item, "document_symbol"), v);
    CheckStringBytes(source.excerpt(), FieldPath(item, "excerpt"), v);
    CheckStringBytes(source.excerpt_language(),
                     FieldPath(item, "excerpt_language"), v);
    CheckStringBytes(source.cycle(), FieldPath(item, "cycle"), v);
    CheckStringBytes(source.response(), FieldPath(item, "response"), v);
  }
  const bool destinations_bounded =
      CheckElementCount(o.destinations_size(), path("destinations"), v);
  std::set<std::string> destinations;
  for (int i = 0; destinations_bounded && i < o.destinations_size(); ++i) {
    const std::string item = ElementPath(path("destinations"), i);
    const std::string& code = o.destinations(i);
    if (code.size() != 3 || !absl::c_all_of(code, absl::ascii_isupper)) {
      v.Add(item, absl::StrCat("\"", Abbreviate(code),
                               "\" is not an ISO 3166-1 alpha-3 code"));
    } else if (!destinations.insert(code).second) {
      v.Add(item, absl::StrCat(code, " is listed twice"));
    } else {
      v.AddAll(CheckEntity(absl::StrCat("countries/", code), item), item);
    }
  }
  CheckStringBytes(o.entity(), path("entity"), v);
  CheckStringBytes(o.indicator(), path("indicator"), v);
  CheckStringBytes(o.notes(), path("notes"), v);
  CheckStringBytes(o.citizenship(), path("citizenship"), v);
  v.AddAll(CheckEntity(o.entity(), path("entity")), path("entity"));
  absl::Status codes_error;
  if (!HasIndicator(o.indicator(), &codes_error)) {
    v.Add(path("indicator"),
          codes_error.ok()
              ? absl::StrCat("\"", Abbreviate(o.indicator()),
                             "\" is not in the indicator code list "
                             "(ListIndicators)")
              : std::string(codes_error.message()));
  }
  if (!o.period().has_end()) {
    v.Add(path("period.end"), "required: the last day, month or year covered");
  } else if (o.period().has_start() &&
             LastDay(o.period().end()) < FirstDay(o.period().start())) {
    v.Add(path("period.end"), "is before period.start");
  }
  if (!o.citizenship().empty()) {
    v.AddAll(CheckEntity(absl::StrCat("countries/", o.citizenship()),
                         path("citizenship")),
             path("citizenship"));
  }
  if (o.has_value()) {
    if (o.value() < 0) v.Add(path("value"), "a count cannot be negative");
    if (o.value() > kMaxValue) {
      v.Add(path("value"), absl::StrCat("above ", kMaxValue));
    }
    if (IsMissingStatus(o.status())) {
      v.Add(path("status"),
            absl::StrCat(StatusName(o.status()),
                         " says the value is missing, but a value is given"));
    }
  } else if (!IsMissingStatus(o.status())) {
    v.Add(path("value"),
          "required, unless status says why it is missing (MISSING, "
          "CANNOT_EXIST, NOT_COLLECTED, SUPPRESSED)");
  }
  if (o.sources().empty()) {
    v.Add(path("sources"), "each figure needs its provenance");
  }
}

}  // namespace palermo::enforcement
