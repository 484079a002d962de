#include "services/coordination/coordination_domain.h"

#include <map>
#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "services/common/bounds.h"
#include "services/common/idempotency.h"
#include "services/common/periods.h"
#include "services/common/validation.h"

namespace palermo::coordination {
namespace {

using common::v1::PartialDate;
using common::v1::ReportingPeriod;

constexpr char kGroupsSegment[] = "interAgencyGroups";

// Whether a record with this period was in force during `year`: kUnknown
// when the source does not date it well enough to tell (no start).
enum class InForce { kYes, kNo, kUnknown };

InForce CoversYear(const ReportingPeriod& period, int year) {
  if (!period.has_start() && !period.has_end()) return InForce::kUnknown;
  PartialDate y;
  y.set_year(year);
  y.set_precision(common::v1::DATE_PRECISION_YEAR);
  const DayRange wanted{FirstDay(y), LastDay(y)};
  const DayRange range = RangeOf(period);
  if (!range.Overlaps(wanted)) return InForce::kNo;
  // An open end means still running; an open start means undated.
  return range.open_start() ? InForce::kUnknown : InForce::kYes;
}

// The entity owning a resource name (`{entity}/{collection}/{id}`); empty
// before the record is named.
std::string OwnerOfName(const std::string& name) {
  const std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  return parts.size() == 4 ? absl::StrCat(parts[0], "/", parts[1]) : "";
}

bool WithinYear(const ReportingPeriod& period, int year) {
  return period.has_start() && period.has_end() &&
         period.start().year() == year && period.end().year() == year;
}

ReportingPeriod Since(const PartialDate& date, bool known) {
  ReportingPeriod p;
  if (known) *p.mutable_start() = date;
  return p;
}

InForce InForceIn(const v1::CoordinationBody& r, int year) {
  return CoversYear(Since(r.established(), r.has_established()), year);
}
InForce InForceIn(const v1::ActionPlan& r, int year) {
  switch (r.status()) {
    case v1::PLAN_STATUS_IN_PREPARATION:
      return InForce::kNo;
    case v1::PLAN_STATUS_ADOPTED:
      return CoversYear(r.period(), year);
    case v1::PLAN_STATUS_ENDED: {
      // Over, but when is not known: in force only within a dated end.
      const InForce covered = CoversYear(r.period(), year);
      return covered == InForce::kYes && !r.period().has_end()
                 ? InForce::kUnknown
                 : covered;
    }
    default:
      return InForce::kUnknown;
  }
}
InForce InForceIn(const v1::ReferralMechanism& r, int year) {
  switch (r.status()) {
    case v1::MECHANISM_STATUS_IN_PREPARATION:
      return InForce::kNo;
    case v1::MECHANISM_STATUS_OPERATIONAL:
      return CoversYear(Since(r.established(), r.has_established()), year);
    default:
      return InForce::kUnknown;
  }
}
template <typename T>
InForce InForceIn(const T& r, int year) {
  return CoversYear(r.period(), year);
}

void ValidatePeriodOrder(const ReportingPeriod& period, const std::string& path,
                         FieldViolations& v) {
  if (period.has_start() && period.has_end() &&
      PartialDateBefore(period.end(), period.start())) {
    v.Add(FieldPath(path, "end"), "before the start");
  }
}

void ValidateCount(bool has, int64_t value, const std::string& path,
                   FieldViolations& v) {
  if (has && (value < 0 || value > 10'000'000'000)) {
    v.Add(path, "must be 0-10000000000");
  }
}

// A United Nations document symbol: components of letters, digits, '.' and
// '-' joined by '/', the first opening with a capital letter
// ("E/CN.15/2008/4", "A/RES/55/25").
bool IsDocumentSymbol(absl::string_view symbol) {
  if (symbol.empty() || symbol.size() > 64 || !absl::ascii_isupper(symbol[0]) ||
      symbol.find('/') == absl::string_view::npos) {
    return false;
  }
  for (absl::string_view part : absl::StrSplit(symbol, '/')) {
    if (part.empty()) return false;
    for (char c : part) {
      if (!absl::ascii_isalnum(c) && c != '.' && c != '-') return false;
    }
  }
  return true;
}

template <typename Values>
void NoRepeats(const Values& values, const std::string& path,
               FieldViolations& v) {
  std::set<typename Values::value_type> seen;
  for (int i = 0; i < values.size(); ++i) {
    if (!seen.insert(values[i]).second) v.Add(ElementPath(path, i), "repeated");
  }
}

}  // namespace

// Per resource type: its table and the segment of its names.
template <>
struct CoordinationDomain::Kind<v1::CoordinationBody> {
  static constexpr char kSegment[] = "coordinationBodies";
  static constexpr auto kMember = &CoordinationDomain::bodies_;
};
template <>
struct CoordinationDomain::Kind<v1::ActionPlan> {
  static constexpr char kSegment[] = "actionPlans";
  static constexpr auto kMember = &CoordinationDomain::plans_;
};
template <>
struct CoordinationDomain::Kind<v1::ReferralMechanism> {
  static constexpr char kSegment[] = "referralMechanisms";
  static constexpr auto kMember = &CoordinationDomain::mechanisms_;
};
template <>
struct CoordinationDomain::Kind<v1::TrainingActivity> {
  static constexpr char kSegment[] = "trainingActivities";
  static constexpr auto kMember = &CoordinationDomain::trainings_;
};
template <>
struct CoordinationDomain::Kind<v1::AwarenessCampaign> {
  static constexpr char kSegment[] = "awarenessCampaigns";
  static constexpr auto kMember = &CoordinationDomain::campaigns_;
};
template <>
struct CoordinationDomain::Kind<v1::CooperationActivity> {
  static constexpr char kSegment[] = "cooperationActivities";
  static constexpr auto kMember = &CoordinationDomain::cooperations_;
};
template <>
struct CoordinationDomain::Kind<v1::InterAgencyGroup> {
  static constexpr char kSegment[] = "interAgencyGroups";
  static constexpr auto kMember = &CoordinationDomain::groups_;
};

CoordinationDomain::CoordinationDomain(RecordStore& store,
                                       const EntityRegistry& entities,
                                       Clock clock)
    : entities_(entities),
      bodies_(
          store, kBodies,
          [this](const auto& r, auto p, auto& v) { Validate(r, p, v); }, clock),
      plans_(
          store, kPlans,
          [this](const auto& r, auto p, auto& v) { Validate(r, p, v); }, clock),
      mechanisms_(
          store, kMechanisms,
          [this](const auto& r, auto p, auto& v) { Validate(r, p, v); }, clock),
      trainings_(
          store, kTrainings,
          [this](const auto& r, auto p, auto& v) { Validate(r, p, v); }, clock),
      campaigns_(
          store, kCampaigns,
          [this](const auto& r, auto p, auto& v) { Validate(r, p, v); }, clock),
      cooperations_(
          store, kCooperations,
          [this](const auto& r, auto p, auto& v) { Validate(r, p, v); }, clock),
      groups_(
          store, kGroups,
          [this](const auto& r, auto p, auto& v) { Validate(r, p, v); },
          clock) {}

template <typename T>
RecordCollection<T>& CoordinationDomain::CollectionOf() {
  return this->*(Kind<T>::kMember);
}

template <typename T>
absl::StatusOr<std::string> CoordinationDomain::OwnerOf(
    absl::string_view name, absl::string_view field) const {
  const std::string segment = absl::StrCat("/", Kind<T>::kSegment, "/");
  if constexpr (std::is_same_v<T, v1::InterAgencyGroup>) {
    absl::string_view id = name;
    if (absl::ConsumePrefix(&id, kGroupsSegment) &&
        absl::ConsumePrefix(&id, "/") && ValidResourceId(id)) {
      return std::string();
    }
    return InvalidField(std::string(field),
                        absl::StrCat("must be ", kGroupsSegment, "/{id}"));
  } else {
    const size_t at = name.find(segment);
    if (at != absl::string_view::npos &&
        entities_.Contains(name.substr(0, at)) &&
        ValidResourceId(name.substr(at + segment.size()))) {
      return std::string(name.substr(0, at));
    }
    return InvalidField(
        std::string(field),
        absl::StrCat("must be {entity}", segment,
                     "{id} with a known entity and an id of a-z, 0-9 and -"));
  }
}

// ---------------------------------------------------------------------------
// Validation.

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

// ---------------------------------------------------------------------------
// Standard methods.

template <typename T>
absl::StatusOr<T> CoordinationDomain::GetIn(const std::string& name) {
  if (auto owner = OwnerOf<T>(name, "name"); !owner.ok()) return owner.status();
  return CollectionOf<T>().Get(name);
}

template <typename T>
absl::StatusOr<std::vector<T>> CoordinationDomain::ListIn(
    const std::string& parent, const std::string& filter, int page_size,
    const std::string& page_token, std::string* next_page_token) {
  std::string prefix;
  FieldViolations v;
  if constexpr (std::is_same_v<T, v1::InterAgencyGroup>) {
    prefix = absl::StrCat(kGroupsSegment, "/");
  } else if (parent != "-") {
    ValidateEntity(parent, "parent", v);
    prefix = absl::StrCat(parent, "/", Kind<T>::kSegment, "/");
  }
  return CollectionOf<T>().ListPage(prefix, filter, page_size, page_token,
                                    absl::StrCat(parent, "\n", filter),
                                    next_page_token, std::move(v));
}

template <typename T, typename Request>
absl::StatusOr<T> CoordinationDomain::CreateIn(const Request& request,
                                               const std::string& parent,
                                               const std::string& id,
                                               const T& input,
                                               absl::string_view record_field,
                                               absl::string_view id_field) {
  FieldViolations v;
  T record = input;
  if constexpr (std::is_same_v<T, v1::InterAgencyGroup>) {
    record.set_name(absl::StrCat(kGroupsSegment, "/", id));
  } else {
    ValidateEntity(parent, "parent", v);
    record.set_name(absl::StrCat(parent, "/", Kind<T>::kSegment, "/", id));
  }
  if (!ValidResourceId(id)) {
    v.Add(std::string(id_field),
          "1-63 of a-z, 0-9 and -, starting with a letter");
  }
  Validate(record, record_field, v);
  ValidateRequestId(request.request_id(), v);
  if (!v.empty()) return v.ToStatus();
  return CollectionOf<T>().Create(
      std::move(record), record_field, request.request_id(),
      RequestFingerprint(
          absl::StrCat("coordination.create.", T::descriptor()->name()),
          request));
}

template <typename T, typename Request>
absl::StatusOr<T> CoordinationDomain::UpdateIn(
    const Request& request, const T& record,
    const google::protobuf::FieldMask& mask, absl::string_view field) {
  FieldViolations v;
  v.AddAll(OwnerOf<T>(record.name(), FieldPath(field, "name")).status(),
           FieldPath(field, "name"));
  ValidateRequestId(request.request_id(), v);
  if (!v.empty()) return v.ToStatus();
  return CollectionOf<T>().Update(
      record, mask, field, request.request_id(),
      RequestFingerprint(
          absl::StrCat("coordination.update.", T::descriptor()->name()),
          request));
}

template <typename T, typename Request>
absl::Status CoordinationDomain::DeleteIn(const Request& request) {
  FieldViolations v;
  v.AddAll(OwnerOf<T>(request.name(), "name").status(), "name");
  ValidateRequestId(request.request_id(), v);
  if (!v.empty()) return v.ToStatus();
  return CollectionOf<T>().Delete(
      request.name(), request.etag(), request.request_id(),
      RequestFingerprint(
          absl::StrCat("coordination.delete.", T::descriptor()->name()),
          request));
}

#define PALERMO_DEFINE_STANDARD_METHODS(T, Ts, field, fields, ParentOf)       \
  absl::StatusOr<v1::T> CoordinationDomain::Get##T(                           \
      const v1::Get##T##Request& r) {                                         \
    return GetIn<v1::T>(r.name());                                            \
  }                                                                           \
  absl::StatusOr<v1::List##Ts##Response> CoordinationDomain::List##Ts(        \
      const v1::List##Ts##Request& r) {                                       \
    v1::List##Ts##Response response;                                          \
    auto page =                                                               \
        ListIn<v1::T>(ParentOf(r), r.filter(), r.page_size(), r.page_token(), \
                      response.mutable_next_page_token());                    \
    if (!page.ok()) return page.status();                                     \
    for (auto& item : *page) *response.add_##fields() = std::move(item);      \
    return response;                                                          \
  }                                                                           \
  absl::StatusOr<v1::T> CoordinationDomain::Create##T(                        \
      const v1::Create##T##Request& r) {                                      \
    return CreateIn(r, ParentOf(r), r.field##_id(), r.field(), #field,        \
                    #field "_id");                                            \
  }                                                                           \
  absl::StatusOr<v1::T> CoordinationDomain::Update##T(                        \
      const v1::Update##T##Request& r) {                                      \
    return UpdateIn(r, r.field(), r.update_mask(), #field);                   \
  }                                                                           \
  absl::Status CoordinationDomain::Delete##T(                                 \
      const v1::Delete##T##Request& r) {                                      \
    return DeleteIn<v1::T>(r);                                                \
  }

namespace {
template <typename Request>
std::string ParentField(const Request& r) {
  return r.parent();
}
template <typename Request>
std::string NoParent(const Request&) {
  return "";
}
}  // namespace

PALERMO_DEFINE_STANDARD_METHODS(CoordinationBody, CoordinationBodies,
                                coordination_body, coordination_bodies,
                                ParentField)
PALERMO_DEFINE_STANDARD_METHODS(ActionPlan, ActionPlans, action_plan,
                                action_plans, ParentField)
PALERMO_DEFINE_STANDARD_METHODS(ReferralMechanism, ReferralMechanisms,
                                referral_mechanism, referral_mechanisms,
                                ParentField)
PALERMO_DEFINE_STANDARD_METHODS(TrainingActivity, TrainingActivities,
                                training_activity, training_activities,
                                ParentField)
PALERMO_DEFINE_STANDARD_METHODS(AwarenessCampaign, AwarenessCampaigns,
                                awareness_campaign, awareness_campaigns,
                                ParentField)
PALERMO_DEFINE_STANDARD_METHODS(CooperationActivity, CooperationActivities,
                                cooperation_activity, cooperation_activities,
                                ParentField)
PALERMO_DEFINE_STANDARD_METHODS(InterAgencyGroup, InterAgencyGroups,
                                inter_agency_group, inter_agency_groups,
                                NoParent)

#undef PALERMO_DEFINE_STANDARD_METHODS

// ---------------------------------------------------------------------------
// Queries.

namespace {

// Matches of one resource type, grouped by entity.
struct Matches {
  std::map<std::string, std::vector<std::string>> in;
  std::map<std::string, std::vector<std::string>> unknown;
};

// The matches of `filter_text` among the records of type T, or the
// filter's violations added to `v`.
template <typename T>
absl::StatusOr<Matches> Match(RecordCollection<T>& collection,
                              const std::string& filter_text, int year,
                              FieldViolations v) {
  absl::StatusOr<Filter> filter = Filter::Compile(filter_text, T::descriptor());
  v.AddAll(filter.status(), "filter");
  if (!v.empty()) return v.ToStatus();
  auto all = collection.All("", &*filter);
  if (!all.ok()) return all.status();
  Matches m;
  for (const T& r : *all) {
    const std::string entity = OwnerOfName(r.name());
    const InForce in_force = year == 0 ? InForce::kYes : InForceIn(r, year);
    if (in_force == InForce::kYes) m.in[entity].push_back(r.name());
    if (in_force == InForce::kUnknown) m.unknown[entity].push_back(r.name());
  }
  // An entity with one resource in force is in, whatever its others.
  for (const auto& [entity, names] : m.in) m.unknown.erase(entity);
  return m;
}

}  // namespace

absl::StatusOr<v1::FindEntitiesResponse> CoordinationDomain::FindEntities(
    const v1::FindEntitiesRequest& request) {
  FieldViolations v;
  const int year = request.in_force_year();
  if (year != 0 && (year < kMinYear || year > kMaxYear)) {
    v.Add("in_force_year",
          absl::StrCat("must be 0 or ", kMinYear, "-", kMaxYear));
  }
  const std::string& f = request.filter();
  absl::StatusOr<Matches> matches;
  switch (request.kind()) {
    case v1::RESOURCE_KIND_COORDINATION_BODY:
      matches = Match(bodies_, f, year, std::move(v));
      break;
    case v1::RESOURCE_KIND_ACTION_PLAN:
      matches = Match(plans_, f, year, std::move(v));
      break;
    case v1::RESOURCE_KIND_REFERRAL_MECHANISM:
      matches = Match(mechanisms_, f, year, std::move(v));
      break;
    case v1::RESOURCE_KIND_TRAINING_ACTIVITY:
      matches = Match(trainings_, f, year, std::move(v));
      break;
    case v1::RESOURCE_KIND_AWARENESS_CAMPAIGN:
      matches = Match(campaigns_, f, year, std::move(v));
      break;
    case v1::RESOURCE_KIND_COOPERATION_ACTIVITY:
      matches = Match(cooperations_, f, year, std::move(v));
      break;
    default:
      // Without a kind the filter cannot be compiled; say so and stop.
      v.Add("kind", "required: the kind of resource to look in");
      return v.ToStatus();
  }
  if (!matches.ok()) return matches.status();
  v1::FindEntitiesResponse response;
  auto fill = [this](const std::map<std::string, std::vector<std::string>>& in,
                     auto* out) {
    for (const auto& [entity, names] : in) {
      v1::EntityMatch* match = out->Add();
      match->set_entity(entity);
      if (auto e = entities_.Resolve(entity, "entity"); e.ok()) {
        match->set_display_name(e->display_name());
      }
      for (const auto& n : names) match->add_resources(n);
    }
  };
  fill(matches->in, response.mutable_entities());
  fill(matches->unknown, response.mutable_undetermined());
  TrimToBytes(&response);
  return response;
}

absl::StatusOr<v1::ListCooperationPartnersResponse>
CoordinationDomain::ListCooperationPartners(
    const v1::ListCooperationPartnersRequest& request) {
  FieldViolations v;
  ValidateEntity(request.entity(), "entity", v);
  absl::StatusOr<Filter> filter =
      Filter::Compile(request.filter(), v1::CooperationActivity::descriptor());
  v.AddAll(filter.status(), "filter");
  if (!v.empty()) return v.ToStatus();
  auto all = cooperations_.All("", &*filter);
  if (!all.ok()) return all.status();
  // (partner, direction) -> activities
  std::map<std::pair<std::string, v1::Direction>,
           std::vector<const v1::CooperationActivity*>>
      rows;
  for (const v1::CooperationActivity& a : *all) {
    const std::string owner = OwnerOfName(a.name());
    for (const std::string& p : a.partners()) {
      if (owner == request.entity()) {
        rows[{p, v1::DIRECTION_REPORTED_BY_ENTITY}].push_back(&a);
      } else if (p == request.entity()) {
        rows[{owner, v1::DIRECTION_REPORTED_BY_PARTNER}].push_back(&a);
      }
    }
  }
  v1::ListCooperationPartnersResponse response;
  for (const auto& [key, activities] : rows) {
    v1::CooperationPartner* row = response.add_partners();
    row->set_partner(key.first);
    row->set_direction(key.second);
    if (auto e = entities_.Resolve(key.first, "partner"); e.ok()) {
      row->set_display_name(e->display_name());
    }
    std::set<int> kinds;
    for (const auto* a : activities) {
      row->add_activities(a->name());
      kinds.insert(a->kind());
    }
    for (int k : kinds) row->add_kinds(static_cast<v1::CooperationKind>(k));
  }
  TrimToBytes(&response);
  return response;
}

absl::StatusOr<v1::SummarizeTrainingResponse>
CoordinationDomain::SummarizeTraining(
    const v1::SummarizeTrainingRequest& request) {
  FieldViolations v;
  std::string prefix;
  if (request.parent() != "-") {
    ValidateEntity(request.parent(), "parent", v);
    prefix = absl::StrCat(request.parent(), "/trainingActivities/");
  }
  absl::StatusOr<Filter> filter =
      Filter::Compile(request.filter(), v1::TrainingActivity::descriptor());
  v.AddAll(filter.status(), "filter");
  if (request.year() != 0 &&
      (request.year() < kMinYear || request.year() > kMaxYear)) {
    v.Add("year", absl::StrCat("must be 0 or ", kMinYear, "-", kMaxYear));
  }
  if (!v.empty()) return v.ToStatus();
  auto all = trainings_.All(prefix, &*filter);
  if (!all.ok()) return all.status();
  v1::SummarizeTrainingResponse response;
  std::map<int, v1::AudienceTotal> totals;
  for (const v1::TrainingActivity& a : *all) {
    if (request.year() != 0 &&
        CoversYear(a.period(), request.year()) != InForce::kYes) {
      continue;
    }
    // A count over several years cannot be split by year: in a year's
    // totals, only an activity held within the year brings its number.
    const bool counted =
        a.has_number_trained() &&
        (request.year() == 0 || WithinYear(a.period(), request.year()));
    const bool more_than = counted && a.number_trained_qualifier() ==
                                          v1::COUNT_QUALIFIER_MORE_THAN;
    response.set_activities(response.activities() + 1);
    if (counted) {
      response.set_activities_with_count(response.activities_with_count() + 1);
      response.set_number_trained(response.number_trained() +
                                  a.number_trained());
      if (more_than) response.set_lower_bound(true);
    }
    for (int audience : a.audiences()) {
      v1::AudienceTotal& t = totals[audience];
      t.set_audience(static_cast<v1::TrainingAudience>(audience));
      t.set_activities(t.activities() + 1);
      if (counted) {
        t.set_activities_with_count(t.activities_with_count() + 1);
        t.set_number_trained(t.number_trained() + a.number_trained());
        if (more_than) t.set_lower_bound(true);
      }
    }
  }
  for (auto& [audience, total] : totals) {
    *response.add_audiences() = std::move(total);
  }
  return response;
}

absl::StatusOr<v1::EntityCoordination>
CoordinationDomain::GetEntityCoordination(
    const v1::GetEntityCoordinationRequest& request) {
  FieldViolations v;
  ValidateEntity(request.entity(), "entity", v);
  if (!v.empty()) return v.ToStatus();
  v1::EntityCoordination out;
  out.set_entity(request.entity());
  auto add = [&](auto& collection, absl::string_view segment,
                 auto* field) -> absl::Status {
    auto all =
        collection.All(absl::StrCat(request.entity(), "/", segment, "/"));
    if (!all.ok()) return all.status();
    for (auto& r : *all) *field->Add() = std::move(r);
    return absl::OkStatus();
  };
  absl::Status s = add(bodies_, Kind<v1::CoordinationBody>::kSegment,
                       out.mutable_coordination_bodies());
  if (s.ok()) {
    s = add(plans_, Kind<v1::ActionPlan>::kSegment, out.mutable_action_plans());
  }
  if (s.ok()) {
    s = add(mechanisms_, Kind<v1::ReferralMechanism>::kSegment,
            out.mutable_referral_mechanisms());
  }
  if (s.ok()) {
    s = add(trainings_, Kind<v1::TrainingActivity>::kSegment,
            out.mutable_training_activities());
  }
  if (s.ok()) {
    s = add(campaigns_, Kind<v1::AwarenessCampaign>::kSegment,
            out.mutable_awareness_campaigns());
  }
  if (s.ok()) {
    s = add(cooperations_, Kind<v1::CooperationActivity>::kSegment,
            out.mutable_cooperation_activities());
  }
  if (!s.ok()) return s;
  v1::ListCooperationPartnersRequest partners_request;
  partners_request.set_entity(request.entity());
  auto partners = ListCooperationPartners(partners_request);
  if (!partners.ok()) return partners.status();
  *out.mutable_cooperation_partners() =
      std::move(*partners->mutable_partners());
  out.set_truncated(partners->truncated());
  auto groups = groups_.All(absl::StrCat(kGroupsSegment, "/"));
  if (!groups.ok()) return groups.status();
  for (auto& g : *groups) {
    bool involved = false;
    for (const auto& m : g.members())
      involved = involved || m == request.entity();
    for (const auto& meeting : g.meetings()) {
      for (const auto& h : meeting.hosts()) {
        involved = involved || h == request.entity();
      }
    }
    if (involved) *out.add_inter_agency_groups() = std::move(g);
  }
  TrimToBytes(&out);
  return out;
}

}  // namespace palermo::coordination
