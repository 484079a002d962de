#include "services/assistance/assistance_domain.h"

#include <google/protobuf/util/field_mask_util.h>
#include <google/protobuf/util/message_differencer.h>
#include <google/protobuf/util/time_util.h>

#include <map>

#include "absl/random/random.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "services/assistance/names.h"
#include "services/assistance/suppression.h"
#include "services/common/bounds.h"
#include "services/common/filter.h"
#include "services/common/idempotency.h"
#include "services/common/pagination.h"
#include "services/common/status.h"
#include "services/common/validation.h"

namespace palermo::assistance {
namespace {

using google::protobuf::FieldMask;
using google::protobuf::util::FieldMaskUtil;
using google::protobuf::util::TimeUtil;

// The enum value's name without its type prefix: GENDER_FEMALE -> FEMALE.
template <typename Enum>
std::string ShortName(const std::string& full, absl::string_view prefix) {
  absl::string_view name = full;
  absl::ConsumePrefix(&name, prefix);
  return std::string(name);
}

constexpr char kUnknownCitizenship[] = "UNKNOWN";

// The short names of every value of an enum.
std::vector<std::string> AllValues(const google::protobuf::EnumDescriptor* type,
                                   absl::string_view prefix) {
  std::vector<std::string> out;
  for (int i = 0; i < type->value_count(); ++i) {
    out.push_back(ShortName<int>(std::string(type->value(i)->name()), prefix));
  }
  return out;
}

// Every value a case can have on each dimension: every entity of the
// registry, countries and organizations, so that none appears when its
// first case is recorded.
Domains AllDomains(const EntityRegistry& entities) {
  Domains out;
  out[3].push_back(kUnknownCitizenship);
  for (const std::string& code : entities.CountryCodes()) {
    out[0].push_back(absl::StrCat("countries/", code));
    out[3].push_back(code);
  }
  for (const std::string& id : entities.OrganizationIds()) {
    out[0].push_back(absl::StrCat("organizations/", id));
  }
  out[1] = AllValues(v1::Gender_descriptor(), "GENDER_");
  out[2] = AllValues(v1::CaseAgeGroup_descriptor(), "CASE_AGE_GROUP_");
  out[4] = AllValues(v1::ReferralSource_descriptor(), "REFERRAL_SOURCE_");
  return out;
}

}  // namespace

absl::StatusOr<std::set<std::string>> AssistanceDomain::MeasureTypeCodes() {
  absl::StatusOr<std::vector<v1::MeasureType>> all = store_.ListMeasureTypes();
  if (!all.ok()) return all.status();
  std::set<std::string> codes;
  for (const auto& t : *all) codes.insert(t.code());
  return codes;
}

void AssistanceDomain::ValidateMeasure(const v1::Measure& m,
                                       absl::string_view prefix_view,
                                       FieldViolations& v) {
  const std::string prefix(prefix_view);
  auto path = [&prefix](absl::string_view f) { return FieldPath(prefix, f); };
  // An oversized list was named; its elements are not checked one by one.
  if (!ValidateCommonTypes(m, prefix, v)) return;
  absl::StatusOr<std::set<std::string>> codes = MeasureTypeCodes();
  if (!codes.ok()) {
    v.Add(path("measure_type"), std::string(codes.status().message()));
  } else if (!codes->count(m.measure_type())) {
    v.Add(path("measure_type"),
          absl::StrCat("\"", Abbreviate(m.measure_type()),
                       "\" is not in the catalogue (ListMeasureTypes)"));
  }
  if (m.has_duration_days() && m.measure_type() != "REFLECTION_PERIOD") {
    v.Add(path("duration_days"),
          "only a REFLECTION_PERIOD has a length in days");
  } else if (m.has_duration_days() &&
             (m.duration_days() < 1 || m.duration_days() > 3650)) {
    v.Add(path("duration_days"), "must be 1-3650");
  }
  if (m.has_min_duration_months() &&
      m.measure_type() != "TEMPORARY_RESIDENCE") {
    v.Add(path("min_duration_months"),
          "only a TEMPORARY_RESIDENCE has a minimum duration in months");
  } else if (m.has_min_duration_months() &&
             (m.min_duration_months() < 1 || m.min_duration_months() > 240)) {
    v.Add(path("min_duration_months"), "must be 1-240");
  }
  if (m.sources().empty()) {
    v.Add(path("sources"), "each measure needs its provenance");
  }
}

void AssistanceDomain::ValidateCase(const v1::CaseRecord& c,
                                    absl::string_view prefix_view,
                                    FieldViolations& v) {
  const std::string prefix(prefix_view);
  auto path = [&prefix](absl::string_view f) { return FieldPath(prefix, f); };
  if (!ValidateCommonTypes(c, prefix, v)) return;
  v.AddAll(entities_.Resolve(c.entity(), path("entity")).status(),
           path("entity"));
  if (!c.citizenship().empty()) {
    v.AddAll(entities_
                 .Resolve(absl::StrCat("countries/", c.citizenship()),
                          path("citizenship"))
                 .status(),
             path("citizenship"));
  }
  absl::StatusOr<std::set<std::string>> codes = MeasureTypeCodes();
  for (int i = 0; i < c.services_received_size(); ++i) {
    if (codes.ok() && !codes->count(c.services_received(i))) {
      v.Add(ElementPath(path("services_received"), i),
            "not in the measure-type catalogue");
    }
  }
}

AssistanceDomain::AssistanceDomain(AssistanceStore& store,
                                   const EntityRegistry& entities, int64_t k,
                                   Clock clock)
    : store_(store),
      entities_(entities),
      k_(k),
      clock_(clock),
      domains_(AllDomains(entities)),
      measures_(
          store, kMeasuresTable,
          [this](const v1::Measure& m, absl::string_view prefix,
                 FieldViolations& v) { ValidateMeasure(m, prefix, v); },
          clock),
      // A case's idempotency key keeps only its name, so that deleting the
      // case deletes the victim's data (a replay then finds it gone).
      cases_(
          store, kCasesTable,
          [this](const v1::CaseRecord& c, absl::string_view prefix,
                 FieldViolations& v) { ValidateCase(c, prefix, v); },
          clock, KeptResponse::kNameOnly) {}

absl::StatusOr<v1::ListMeasureTypesResponse> AssistanceDomain::ListMeasureTypes(
    const v1::ListMeasureTypesRequest& request) {
  FieldViolations v;
  absl::StatusOr<int> page_size = EffectivePageSize(request.page_size());
  v.AddAll(page_size.status(), "page_size");
  absl::StatusOr<std::string> after =
      DecodePageToken(request.page_token(), "types");
  v.AddAll(after.status(), "page_token");
  if (!v.empty()) return v.ToStatus();
  absl::StatusOr<std::vector<v1::MeasureType>> all = store_.ListMeasureTypes();
  if (!all.ok()) return all.status();
  v1::ListMeasureTypesResponse response;
  PageBudget page(*page_size);
  for (auto& t : *all) {
    if (t.code() <= *after) continue;
    if (!page.Admit(t)) {
      response.set_next_page_token(EncodePageToken(
          "types",
          response.measure_types(response.measure_types_size() - 1).code()));
      break;
    }
    *response.add_measure_types() = std::move(t);
  }
  return response;
}

absl::StatusOr<v1::MeasureType> AssistanceDomain::CreateMeasureType(
    const v1::CreateMeasureTypeRequest& request, int64_t* sequence) {
  v1::MeasureType type = request.measure_type();
  FieldViolations v;
  bool ok = !type.code().empty() && type.code().size() <= 64 &&
            absl::ascii_isupper(static_cast<unsigned char>(type.code()[0]));
  for (char c : type.code()) {
    ok = ok && (absl::ascii_isupper(static_cast<unsigned char>(c)) ||
                absl::ascii_isdigit(static_cast<unsigned char>(c)) || c == '_');
  }
  if (!ok)
    v.Add("measure_type.code",
          "1-64 of A-Z, 0-9 and _, starting with a letter");
  if (type.display_name().empty())
    v.Add("measure_type.display_name", "required");
  ValidateCommonTypes(type, "measure_type", v);
  type.set_name(MeasureTypeName(type.code()));
  ValidateRecordSize(type, "measure_type", v);
  if (!v.empty()) return v.ToStatus();
  absl::StatusOr<WriteResult> created = store_.CreateMeasureType(type);
  if (created.status().code() == absl::StatusCode::kAlreadyExists) {
    return AlreadyExistsError("palermo.assistance.v1.MeasureType", type.name());
  }
  if (!created.ok()) return created.status();
  if (sequence != nullptr) *sequence = created->sequence;
  return type;
}

absl::StatusOr<v1::Measure> AssistanceDomain::GetMeasure(
    const v1::GetMeasureRequest& request) {
  if (absl::Status s = CheckMeasureName(entities_, request.name(), "name");
      !s.ok()) {
    return s;
  }
  return measures_.Get(request.name());
}

absl::StatusOr<v1::ListMeasuresResponse> AssistanceDomain::ListMeasures(
    const v1::ListMeasuresRequest& request) {
  FieldViolations v;
  std::string prefix;
  if (request.parent() != "-") {
    v.AddAll(entities_.Resolve(request.parent(), "parent").status(), "parent");
    prefix = absl::StrCat(request.parent(), kMeasures);
  }
  v1::ListMeasuresResponse response;
  auto page = measures_.ListPage(
      prefix, request.filter(), request.page_size(), request.page_token(),
      absl::StrCat(request.parent(), "\n", request.filter()),
      response.mutable_next_page_token(), std::move(v));
  if (!page.ok()) return page.status();
  for (auto& m : *page) *response.add_measures() = std::move(m);
  return response;
}

absl::StatusOr<v1::Measure> AssistanceDomain::CreateMeasure(
    const v1::CreateMeasureRequest& request, int64_t* sequence) {
  FieldViolations v;
  v.AddAll(entities_.Resolve(request.parent(), "parent").status(), "parent");
  if (!ValidResourceId(request.measure_id())) {
    v.Add("measure_id", "1-63 of a-z, 0-9 and -, starting with a letter");
  }
  ValidateMeasure(request.measure(), "measure", v);
  ValidateRequestId(request.request_id(), v);
  if (!v.empty()) return v.ToStatus();
  v1::Measure measure = request.measure();
  measure.set_name(
      absl::StrCat(request.parent(), kMeasures, request.measure_id()));
  return measures_.Create(
      std::move(measure), "measure", request.request_id(),
      RequestFingerprint("assistance.create-measure", request), sequence);
}

absl::StatusOr<v1::Measure> AssistanceDomain::UpdateMeasure(
    const v1::UpdateMeasureRequest& request, int64_t* sequence) {
  FieldViolations v;
  v.AddAll(
      CheckMeasureName(entities_, request.measure().name(), "measure.name"),
      "measure.name");
  ValidateRequestId(request.request_id(), v);
  if (!v.empty()) return v.ToStatus();
  return measures_.Update(
      request.measure(), request.update_mask(), "measure", request.request_id(),
      RequestFingerprint("assistance.update-measure", request), sequence);
}

absl::Status AssistanceDomain::DeleteMeasure(
    const v1::DeleteMeasureRequest& request, int64_t* sequence) {
  FieldViolations v;
  v.AddAll(CheckMeasureName(entities_, request.name(), "name"), "name");
  ValidateRequestId(request.request_id(), v);
  if (!v.empty()) return v.ToStatus();
  return measures_.Delete(
      request.name(), request.etag(), request.request_id(),
      RequestFingerprint("assistance.delete-measure", request), sequence);
}

absl::StatusOr<v1::CompareEntitiesResponse> AssistanceDomain::CompareEntities(
    const v1::CompareEntitiesRequest& request) {
  FieldViolations v;
  if (request.entities().empty()) v.Add("entities", "name at least one entity");
  for (int i = 0; i < request.entities_size(); ++i) {
    const std::string field = absl::StrCat("entities[", i, "]");
    v.AddAll(entities_.Resolve(request.entities(i), field).status(), field);
  }
  if (!v.empty()) return v.ToStatus();
  const std::set<std::string> wanted(request.measure_types().begin(),
                                     request.measure_types().end());
  // type -> entity index -> measures
  std::map<std::string, std::vector<std::vector<v1::Measure>>> rows;
  for (int e = 0; e < request.entities_size(); ++e) {
    auto measures = measures_.All(absl::StrCat(request.entities(e), kMeasures));
    if (!measures.ok()) return measures.status();
    for (v1::Measure& m : *measures) {
      if (!wanted.empty() && !wanted.count(m.measure_type())) continue;
      auto& row = rows[m.measure_type()];
      row.resize(request.entities_size());
      row[e].push_back(std::move(m));
    }
  }
  for (const std::string& type : wanted)
    rows[type].resize(request.entities_size());
  v1::CompareEntitiesResponse response;
  for (auto& [type, cells] : rows) {
    v1::ComparisonRow* row = response.add_rows();
    row->set_measure_type(type);
    for (int e = 0; e < request.entities_size(); ++e) {
      v1::ComparisonCell* cell = row->add_cells();
      cell->set_entity(request.entities(e));
      for (auto& m : cells[e]) *cell->add_measures() = std::move(m);
    }
  }
  TrimToBytes(&response);
  return response;
}

absl::StatusOr<v1::CaseRecord> AssistanceDomain::CreateCase(
    const v1::CreateCaseRecordRequest& request, int64_t* sequence) {
  FieldViolations v;
  ValidateCase(request.case_record(), "case_record", v);
  ValidateRequestId(request.request_id(), v);
  if (!v.empty()) return v.ToStatus();
  v1::CaseRecord record = request.case_record();
  // A random id: case names reveal nothing, not even an order.
  absl::BitGen bits;
  record.set_name(absl::StrCat(
      kCasesPrefix, absl::StrFormat("%016x%016x", absl::Uniform<uint64_t>(bits),
                                    absl::Uniform<uint64_t>(bits))));
  return cases_.Create(std::move(record), "case_record", request.request_id(),
                       RequestFingerprint("assistance.create-case", request),
                       sequence);
}

absl::StatusOr<v1::CaseRecord> AssistanceDomain::GetCase(
    const v1::GetCaseRecordRequest& request) {
  if (absl::Status s = CheckCaseName(request.name(), "name"); !s.ok()) {
    return s;
  }
  return cases_.Get(request.name());
}

absl::StatusOr<v1::ListCaseRecordsResponse> AssistanceDomain::ListCases(
    const v1::ListCaseRecordsRequest& request) {
  v1::ListCaseRecordsResponse response;
  auto page = cases_.ListPage(
      kCasesPrefix, request.filter(), request.page_size(), request.page_token(),
      request.filter(), response.mutable_next_page_token());
  if (!page.ok()) return page.status();
  for (auto& c : *page) *response.add_case_records() = std::move(c);
  return response;
}

absl::StatusOr<v1::CaseRecord> AssistanceDomain::UpdateCase(
    const v1::UpdateCaseRecordRequest& request, int64_t* sequence) {
  FieldViolations v;
  v.AddAll(CheckCaseName(request.case_record().name(), "case_record.name"),
           "case_record.name");
  ValidateRequestId(request.request_id(), v);
  if (!v.empty()) return v.ToStatus();
  return cases_.Update(request.case_record(), request.update_mask(),
                       "case_record", request.request_id(),
                       RequestFingerprint("assistance.update-case", request),
                       sequence);
}

absl::Status AssistanceDomain::DeleteCase(
    const v1::DeleteCaseRecordRequest& request, int64_t* sequence) {
  FieldViolations v;
  v.AddAll(CheckCaseName(request.name(), "name"), "name");
  ValidateRequestId(request.request_id(), v);
  if (!v.empty()) return v.ToStatus();
  return cases_.Delete(request.name(), request.etag(), request.request_id(),
                       RequestFingerprint("assistance.delete-case", request),
                       sequence);
}

struct AssistanceDomain::Release {
  int64_t number = 0;
  absl::Time cut_time;
  int64_t k = 0;
  ReleaseCells cells;
};

namespace {

// A case's values on the five dimensions, in CaseDimension order.
CellKey TupleOf(const v1::CaseRecord& c) {
  return {
      c.entity(), ShortName<v1::Gender>(v1::Gender_Name(c.gender()), "GENDER_"),
      ShortName<v1::CaseAgeGroup>(v1::CaseAgeGroup_Name(c.age_group()),
                                  "CASE_AGE_GROUP_"),
      c.citizenship().empty() ? kUnknownCitizenship : c.citizenship(),
      ShortName<v1::ReferralSource>(
          v1::ReferralSource_Name(c.referral_source()), "REFERRAL_SOURCE_")};
}

google::protobuf::Timestamp Stamp(absl::Time time) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(time));
}

v1::CaseRelease Summary(int64_t number, absl::Time cut_time, int64_t k,
                        const ReleaseCells& cells) {
  v1::CaseRelease out;
  out.set_name(CaseReleaseName(number));
  out.set_number(number);
  *out.mutable_cut_time() = Stamp(cut_time);
  out.set_k(static_cast<int32_t>(k));
  out.set_cell_count(static_cast<int32_t>(cells.size()));
  int32_t hidden = 0;
  for (const auto& [key, value] : cells) hidden += value.hidden;
  out.set_suppressed_cell_count(hidden);
  return out;
}

}  // namespace

absl::StatusOr<std::shared_ptr<const AssistanceDomain::Release>>
AssistanceDomain::LoadRelease(int64_t number) {
  const bool latest = number == 0;
  if (latest) {
    // The cached latest, unless another process cut one since.
    absl::StatusOr<int64_t> newest = store_.LatestCaseReleaseNumber();
    if (!newest.ok()) return newest.status();
    if (*newest == 0) return nullptr;
    std::lock_guard lock(release_mu_);
    if (latest_ && latest_->number == *newest) return latest_;
    number = *newest;
  }
  auto stored = store_.GetCaseRelease(number);
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) return nullptr;
  auto cells = DecodeRelease((*stored)->cells);
  if (!cells.ok()) return cells.status();
  auto release = std::make_shared<Release>(Release{
      (*stored)->number, (*stored)->cut_time, (*stored)->k, *std::move(cells)});
  if (latest) {
    std::lock_guard lock(release_mu_);
    if (!latest_ || latest_->number < release->number) latest_ = release;
  }
  return release;
}

absl::Status AssistanceDomain::LatestSequence(int64_t* sequence) {
  if (sequence == nullptr) return absl::OkStatus();
  absl::StatusOr<ChangeBounds> bounds = store_.Changes().Bounds();
  if (!bounds.ok()) return bounds.status();
  *sequence = bounds->latest;
  return absl::OkStatus();
}

absl::StatusOr<v1::CaseRelease> AssistanceDomain::ReleaseAnswer(
    const std::string& kept) {
  absl::string_view number_text = kept;
  int64_t number = 0;
  if (!absl::ConsumePrefix(&number_text, "caseReleases/") ||
      !absl::SimpleAtoi(number_text, &number) || number < 1) {
    return absl::DataLossError("a release's key names no release");
  }
  auto release = LoadRelease(number);
  if (!release.ok()) return release.status();
  if (*release == nullptr) {
    return absl::DataLossError(absl::StrCat(kept, " is keyed but missing"));
  }
  return Summary((*release)->number, (*release)->cut_time, (*release)->k,
                 (*release)->cells);
}

absl::StatusOr<v1::CaseRelease> AssistanceDomain::CreateCaseRelease(
    const v1::CreateCaseReleaseRequest& request, int64_t* sequence) {
  FieldViolations v;
  ValidateRequestId(request.request_id(), v);
  if (!v.empty()) return v.ToStatus();
  const IdempotentWrite key(
      request.request_id(),
      RequestFingerprint(kCreateCaseReleaseMethod, request));
  std::lock_guard cutting(cut_mu_);
  absl::StatusOr<std::optional<std::string>> replay = key.Replay(store_);
  if (!replay.ok()) return replay.status();
  if (replay->has_value()) {
    if (absl::Status s = LatestSequence(sequence); !s.ok()) return s;
    return ReleaseAnswer(**replay);
  }
  // Another process may cut the same number first: then cut again, over
  // its release too.
  return RetryOnAborted(/*guarded=*/false,
                        [&] { return CutRelease(key, sequence); });
}

absl::StatusOr<v1::CaseRelease> AssistanceDomain::CutRelease(
    const IdempotentWrite& key, int64_t* sequence) {
  auto stored = store_.ListCaseReleases();
  if (!stored.ok()) return stored.status();
  std::vector<ReleaseCells> earlier;
  earlier.reserve(stored->size());
  for (const StoredCaseRelease& r : *stored) {
    auto cells = DecodeRelease(r.cells);
    if (!cells.ok()) return cells.status();
    earlier.push_back(*std::move(cells));
  }
  auto cases = cases_.All(kCasesPrefix);
  if (!cases.ok()) return cases.status();
  CaseTuples tuples;
  for (const v1::CaseRecord& c : *cases) ++tuples[TupleOf(c)];
  std::vector<const ReleaseCells*> pointers;
  for (const ReleaseCells& r : earlier) pointers.push_back(&r);
  auto release = std::make_shared<Release>();
  release->number = stored->empty() ? 1 : stored->back().number + 1;
  release->cut_time = clock_();
  release->k = k_;
  release->cells = ProtectRelease(tuples, pointers, k_, domains_);
  absl::StatusOr<WriteResult> added = store_.AddCaseRelease(
      {release->number, release->cut_time, release->k,
       EncodeRelease(release->cells)},
      key.request_id(), key.Key(CaseReleaseName(release->number)));
  if (added.status().code() == absl::StatusCode::kAlreadyExists) {
    return absl::AbortedError(absl::StrCat(CaseReleaseName(release->number),
                                           " was cut concurrently"));
  }
  if (!added.ok()) return added.status();
  if (sequence != nullptr) *sequence = added->sequence;
  if (added->earlier.has_value()) {  // a concurrent retry cut it
    absl::StatusOr<std::string> kept = key.Answer(*added->earlier);
    if (!kept.ok()) return kept.status();
    return ReleaseAnswer(*kept);
  }
  {
    std::lock_guard lock(release_mu_);
    if (!latest_ || latest_->number < release->number) latest_ = release;
  }
  return Summary(release->number, release->cut_time, release->k,
                 release->cells);
}

absl::StatusOr<v1::AggregateCasesResponse> AssistanceDomain::AggregateCases(
    const v1::AggregateCasesRequest& request) {
  FieldViolations v;
  if (request.group_by().empty() || request.group_by_size() > 2) {
    v.Add("group_by", "one or two dimensions");
  }
  std::set<int> seen;
  for (int i = 0; i < request.group_by_size(); ++i) {
    const int d = request.group_by(i);
    if (!v1::CaseDimension_IsValid(d) || d == v1::CASE_DIMENSION_UNSPECIFIED) {
      v.Add(absl::StrCat("group_by[", i, "]"), "not a dimension");
    } else if (!seen.insert(d).second) {
      v.Add(absl::StrCat("group_by[", i, "]"), "repeated");
    }
  }
  const bool one_entity = !request.entity().empty();
  if (one_entity) {
    v.AddAll(entities_.Resolve(request.entity(), "entity").status(), "entity");
    if (request.group_by_size() != 1 ||
        request.group_by(0) == v1::CASE_DIMENSION_ENTITY) {
      v.Add("group_by",
            "with an entity, group by exactly one dimension other than the "
            "entity");
    }
  }
  if (request.release() < 0) {
    v.Add("release", "a release number, or 0 for the latest");
  }
  if (!v.empty()) return v.ToStatus();
  auto release = LoadRelease(request.release());
  if (!release.ok()) return release.status();
  if (*release == nullptr && request.release() != 0) {
    return NotFoundError("palermo.assistance.v1.CaseRelease",
                         absl::StrCat("caseReleases/", request.release()));
  }
  v1::AggregateCasesResponse response;
  *response.mutable_group_by() = request.group_by();
  response.set_k(static_cast<int32_t>(k_));
  if (*release == nullptr) return response;  // release 0: none cut yet
  response.set_k(static_cast<int32_t>((*release)->k));
  response.set_release((*release)->number);
  *response.mutable_release_cut_time() = Stamp((*release)->cut_time);
  // Every table is looked up in the one set of canonical cells: a cell is
  // the same whatever the order asked for, and an entity's table is its row
  // of the [ENTITY, X] table.
  std::vector<int> dimensions;
  for (int d : request.group_by()) dimensions.push_back(d - 1);
  const int fixed =
      one_entity ? static_cast<int>(v1::CASE_DIMENSION_ENTITY) - 1 : -1;
  for (auto& cell :
       TableOf((*release)->cells, dimensions, fixed, request.entity())) {
    *response.add_cells() = std::move(cell);
  }
  return response;
}

}  // namespace palermo::assistance
