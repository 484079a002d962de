// What a valid coordination record is: CoordinationDomain::Validate for each
// record type, every problem with its field path, and the checks of the
// entities, institutions, places and meetings records refer to.
#include "services/coordination/coordination_domain.h"

#include <set>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/common/validation.h"
#include "services/coordination/coordination_names.h"
#include "services/coordination/coordination_validation.h"

namespace palermo::coordination {

void CoordinationDomain::ValidateEntity(absl::string_view entity,
                                        const std::string& path,
                                        FieldViolations& v) const {
  v.AddAll(entities_.Resolve(entity, path).status(), path);
}

void CoordinationDomain::ValidateEntities(
    const google::protobuf::RepeatedPtrField<std::string>& names,
    const std::string& path, const std::string& owner, bool organizations_only,
    FieldViolations& v) const {
  std::set<std::string> seen;
  for (int i = 0; i < names.size(); ++i) {
    const std::string at = ElementPath(path, i);
    ValidateEntity(names[i], at, v);
    if (!seen.insert(names[i]).second) v.Add(at, "repeated");
    if (names[i] == owner) v.Add(at, "the reporting entity itself");
    if (organizations_only && !absl::StartsWith(names[i], "organizations/")) {
      v.Add(at, "must be an organization: organizations/{id}");
    }
  }
}

void CoordinationDomain::ValidateInstitution(const v1::Institution& i,
                                             const std::string& path,
                                             FieldViolations& v) const {
  if (i.kind() == v1::INSTITUTION_KIND_UNSPECIFIED) {
    v.Add(FieldPath(path, "kind"), "required");
  }
  if (!i.entity().empty())
    ValidateEntity(i.entity(), FieldPath(path, "entity"), v);
}

void CoordinationDomain::ValidatePlace(const v1::Place& place,
                                       const std::string& path,
                                       FieldViolations& v) const {
  const std::string country = FieldPath(path, "country");
  if (place.country().empty()) {
    v.Add(country, "required: countries/{alpha3}");
  } else if (!absl::StartsWith(place.country(), "countries/")) {
    v.Add(country, "a State: countries/{alpha3}");
  } else {
    ValidateEntity(place.country(), country, v);
  }
}

void CoordinationDomain::ValidateMeetings(
    const google::protobuf::RepeatedPtrField<v1::GroupMeeting>& meetings,
    const std::string& path, bool require_sources, FieldViolations& v) const {
  for (int m = 0; m < meetings.size(); ++m) {
    const std::string at = ElementPath(path, m);
    ValidateEntities(meetings[m].hosts(), FieldPath(at, "hosts"), "", false,
                     v);
    if (require_sources && meetings[m].sources().empty()) {
      v.Add(FieldPath(at, "sources"), "each meeting needs its provenance");
    }
    if (require_sources && !meetings[m].has_date() &&
        meetings[m].description().empty()) {
      v.Add(FieldPath(at, "date"), "a meeting needs a date or a description");
    }
  }
}

bool CoordinationDomain::ValidateRecord(const google::protobuf::Message& r,
                                        absl::string_view prefix_view,
                                        FieldViolations& v) const {
  const std::string prefix(prefix_view);
  const bool bounded = ValidateCommonTypes(r, prefix, v);
  const auto* d = r.GetDescriptor();
  const auto* refl = r.GetReflection();
  if (refl->GetString(r, d->FindFieldByName("display_name")).empty()) {
    v.Add(FieldPath(prefix, "display_name"), "required");
  }
  if (refl->FieldSize(r, d->FindFieldByName("sources")) == 0) {
    v.Add(FieldPath(prefix, "sources"), "each record needs its provenance");
  }
  return bounded;
}

void CoordinationDomain::Validate(const v1::CoordinationBody& r,
                                  absl::string_view prefix_view,
                                  FieldViolations& v) const {
  const std::string prefix(prefix_view);
  if (!ValidateRecord(r, prefix, v)) return;
  if (r.kind() == v1::BODY_KIND_UNSPECIFIED) {
    v.Add(FieldPath(prefix, "kind"), "required");
  }
  if (r.has_lead_institution()) {
    ValidateInstitution(r.lead_institution(),
                        FieldPath(prefix, "lead_institution"), v);
  }
  for (int i = 0; i < r.member_institutions_size(); ++i) {
    ValidateInstitution(
        r.member_institutions(i),
        ElementPath(FieldPath(prefix, "member_institutions"), i), v);
  }
  if (r.has_unit_count() && (r.unit_count() < 1 || r.unit_count() > 100000)) {
    v.Add(FieldPath(prefix, "unit_count"), "must be 1-100000");
  }
  if (r.has_staff_count() &&
      (r.staff_count() < 1 || r.staff_count() > 10000000)) {
    v.Add(FieldPath(prefix, "staff_count"), "must be 1-10000000");
  }
  ValidateMeetings(r.meetings(), FieldPath(prefix, "meetings"), true, v);
}

void CoordinationDomain::Validate(const v1::ActionPlan& r,
                                  absl::string_view prefix_view,
                                  FieldViolations& v) const {
  const std::string prefix(prefix_view);
  if (!ValidateRecord(r, prefix, v)) return;
  if (r.kind() == v1::PLAN_KIND_UNSPECIFIED) {
    v.Add(FieldPath(prefix, "kind"), "required");
  }
  if (r.has_sequence_number() &&
      (r.sequence_number() < 1 || r.sequence_number() > 100)) {
    v.Add(FieldPath(prefix, "sequence_number"), "must be 1-100");
  }
  if (r.has_duration_years() &&
      (r.duration_years() < 1 || r.duration_years() > 50)) {
    v.Add(FieldPath(prefix, "duration_years"), "must be 1-50");
  }
  ValidatePeriodOrder(r.period(), FieldPath(prefix, "period"), v);
  for (int i = 0; i < r.implementing_institutions_size(); ++i) {
    ValidateInstitution(
        r.implementing_institutions(i),
        ElementPath(FieldPath(prefix, "implementing_institutions"), i), v);
  }
}

void CoordinationDomain::Validate(const v1::ReferralMechanism& r,
                                  absl::string_view prefix_view,
                                  FieldViolations& v) const {
  const std::string prefix(prefix_view);
  if (!ValidateRecord(r, prefix, v)) return;
  if (r.has_drafted_by()) {
    ValidateInstitution(r.drafted_by(), FieldPath(prefix, "drafted_by"), v);
  }
  for (int i = 0; i < r.participating_institutions_size(); ++i) {
    ValidateInstitution(
        r.participating_institutions(i),
        ElementPath(FieldPath(prefix, "participating_institutions"), i), v);
  }
}

void CoordinationDomain::Validate(const v1::TrainingActivity& r,
                                  absl::string_view prefix_view,
                                  FieldViolations& v) const {
  const std::string prefix(prefix_view);
  if (!ValidateRecord(r, prefix, v)) return;
  if (r.has_organizer()) {
    ValidateInstitution(r.organizer(), FieldPath(prefix, "organizer"), v);
  }
  NoRepeats(r.audiences(), FieldPath(prefix, "audiences"), v);
  ValidateCount(r.has_number_trained(), r.number_trained(),
                FieldPath(prefix, "number_trained"), v);
  if (r.number_trained_qualifier() != v1::COUNT_QUALIFIER_UNSPECIFIED &&
      !r.has_number_trained()) {
    v.Add(FieldPath(prefix, "number_trained_qualifier"),
          "qualifies number_trained, which is not set");
  }
  ValidatePeriodOrder(r.period(), FieldPath(prefix, "period"), v);
  ValidateEntities(r.international_partners(),
                   FieldPath(prefix, "international_partners"),
                   OwnerOfName(r.name()), false, v);
  if (r.has_language_count() &&
      (r.language_count() < 1 || r.language_count() > 1000)) {
    v.Add(FieldPath(prefix, "language_count"), "must be 1-1000");
  }
  std::set<std::string> places;
  for (int i = 0; i < r.deployment_places_size(); ++i) {
    const std::string at = ElementPath(FieldPath(prefix, "deployment_places"), i);
    ValidatePlace(r.deployment_places(i), at, v);
    if (!places.insert(r.deployment_places(i).SerializeAsString()).second) {
      v.Add(at, "repeated");
    }
  }
}

void CoordinationDomain::Validate(const v1::AwarenessCampaign& r,
                                  absl::string_view prefix_view,
                                  FieldViolations& v) const {
  const std::string prefix(prefix_view);
  if (!ValidateRecord(r, prefix, v)) return;
  for (int i = 0; i < r.organizers_size(); ++i) {
    ValidateInstitution(r.organizers(i),
                        ElementPath(FieldPath(prefix, "organizers"), i), v);
  }
  NoRepeats(r.channels(), FieldPath(prefix, "channels"), v);
  NoRepeats(r.languages(), FieldPath(prefix, "languages"), v);
  NoRepeats(r.audiences(), FieldPath(prefix, "audiences"), v);
  for (int i = 0; i < r.languages_size(); ++i) {
    const std::string& l = r.languages(i);
    if (l.size() != 2 || !absl::ascii_islower(l[0]) ||
        !absl::ascii_islower(l[1])) {
      v.Add(ElementPath(FieldPath(prefix, "languages"), i),
            "an ISO 639-1 code: two lower-case letters");
    }
  }
  if (r.has_language_count() &&
      (r.language_count() < r.languages_size() || r.language_count() < 1 ||
       r.language_count() > 1000)) {
    v.Add(FieldPath(prefix, "language_count"),
          "must be 1-1000 and at least the languages listed");
  }
  ValidateCount(r.has_people_reached(), r.people_reached(),
                FieldPath(prefix, "people_reached"), v);
  ValidateCount(r.has_materials_distributed(), r.materials_distributed(),
                FieldPath(prefix, "materials_distributed"), v);
  ValidateCount(r.has_cases_publicised(), r.cases_publicised(),
                FieldPath(prefix, "cases_publicised"), v);
  NoRepeats(r.exploitation_forms(), FieldPath(prefix, "exploitation_forms"), v);
  if (r.has_activity_count()) {
    const v1::ActivityCount& c = r.activity_count();
    const std::string at = FieldPath(prefix, "activity_count");
    if (c.count() < 1 || c.count() > 100000) {
      v.Add(FieldPath(at, "count"), "must be 1-100000");
    }
    if (c.unit() == v1::ACTIVITY_UNIT_UNSPECIFIED) {
      v.Add(FieldPath(at, "unit"), "required");
    }
    switch (c.per()) {
      case v1::RECURRENCE_UNSPECIFIED:
      case v1::RECURRENCE_ANNUAL:
      case v1::RECURRENCE_TWICE_A_YEAR:
      case v1::RECURRENCE_QUARTERLY:
        break;
      default:
        v.Add(FieldPath(at, "per"),
              "a count is in all (UNSPECIFIED) or per ANNUAL, TWICE_A_YEAR or "
              "QUARTERLY period");
    }
  }
  ValidatePeriodOrder(r.period(), FieldPath(prefix, "period"), v);
}

void CoordinationDomain::Validate(const v1::CooperationActivity& r,
                                  absl::string_view prefix_view,
                                  FieldViolations& v) const {
  const std::string prefix(prefix_view);
  if (!ValidateRecord(r, prefix, v)) return;
  if (r.kind() == v1::COOPERATION_KIND_UNSPECIFIED) {
    v.Add(FieldPath(prefix, "kind"), "required");
  }
  if (r.partners().empty() && r.unnamed_partners().empty()) {
    v.Add(FieldPath(prefix, "partners"),
          "name the partners, or describe them in unnamed_partners");
  }
  ValidateEntities(r.partners(), FieldPath(prefix, "partners"),
                   OwnerOfName(r.name()), false, v);
  if (r.has_participant_count() &&
      (r.participant_count() < 1 || r.participant_count() > 1000)) {
    v.Add(FieldPath(prefix, "participant_count"), "must be 1-1000");
  }
  ValidatePeriodOrder(r.period(), FieldPath(prefix, "period"), v);
  if (r.has_place()) ValidatePlace(r.place(), FieldPath(prefix, "place"), v);
  NoRepeats(r.document_symbols(), FieldPath(prefix, "document_symbols"), v);
  for (int i = 0; i < r.document_symbols_size(); ++i) {
    if (!IsDocumentSymbol(r.document_symbols(i))) {
      v.Add(ElementPath(FieldPath(prefix, "document_symbols"), i),
            "a United Nations document symbol, e.g. E/CN.15/2008/4");
    }
  }
}

void CoordinationDomain::Validate(const v1::InterAgencyGroup& r,
                                  absl::string_view prefix_view,
                                  FieldViolations& v) const {
  const std::string prefix(prefix_view);
  if (!ValidateRecord(r, prefix, v)) return;
  ValidateEntities(r.members(), FieldPath(prefix, "members"), "", true, v);
  ValidateMeetings(r.meetings(), FieldPath(prefix, "meetings"), false, v);
  if (r.has_meeting_count() &&
      (r.meeting_count() < r.meetings_size() || r.meeting_count() > 100000)) {
    v.Add(FieldPath(prefix, "meeting_count"),
          "at least the meetings listed, at most 100000");
  }
}

}  // namespace palermo::coordination
