#include "services/assistance/assistance_domain.h"

#include <google/protobuf/util/field_mask_util.h>
#include <google/protobuf/util/message_differencer.h>
#include <google/protobuf/util/time_util.h>

#include <map>
#include <optional>

#include "absl/random/random.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "services/assistance/suppression.h"
#include "services/common/filter.h"
#include "services/common/idempotency.h"
#include "services/common/pagination.h"
#include "services/common/validation.h"

namespace palermo::assistance {
namespace {

using google::protobuf::FieldMask;
using google::protobuf::util::FieldMaskUtil;
using google::protobuf::util::TimeUtil;

constexpr char kMeasureType[] = "palermo.assistance.v1.Measure";
constexpr char kCaseType[] = "palermo.assistance.v1.CaseRecord";
constexpr char kMeasures[] = "/measures/";
constexpr char kCasesPrefix[] = "cases/";

bool ValidId(absl::string_view id) {
  if (id.empty() || id.size() > 63 || !absl::ascii_islower(id[0])) return false;
  for (char c : id) {
    if (!absl::ascii_islower(c) && !absl::ascii_isdigit(c) && c != '-')
      return false;
  }
  return true;
}

// The enum value's name without its type prefix: GENDER_FEMALE -> FEMALE.
template <typename Enum>
std::string ShortName(const std::string& full, absl::string_view prefix) {
  absl::string_view name = full;
  absl::ConsumePrefix(&name, prefix);
  return std::string(name);
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
  ValidateCommonTypes(m, prefix, v);
  absl::StatusOr<std::set<std::string>> codes = MeasureTypeCodes();
  if (!codes.ok()) {
    v.Add(path("measure_type"), std::string(codes.status().message()));
  } else if (!codes->count(m.measure_type())) {
    v.Add(path("measure_type"),
          absl::StrCat("\"", m.measure_type(),
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
  ValidateCommonTypes(c, prefix, v);
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
      v.Add(absl::StrCat(path("services_received"), "[", i, "]"),
            "not in the measure-type catalogue");
    }
  }
}

template <typename Record>
absl::StatusOr<std::pair<Record, int64_t>> AssistanceDomain::Read(
    Collection collection, absl::string_view name, absl::string_view type) {
  absl::StatusOr<std::optional<StoredItem>> item = store_.Get(collection, name);
  if (!item.ok()) return item.status();
  if (!item->has_value() || (*item)->deleted())
    return NotFoundError(type, name);
  Record record;
  if (!record.ParseFromString((*item)->record)) {
    return absl::DataLossError(absl::StrCat("cannot parse stored ", name));
  }
  return std::make_pair(std::move(record), (*item)->revision);
}

template <typename Record>
absl::StatusOr<Record> AssistanceDomain::Write(Collection collection,
                                               Record record,
                                               int64_t expected_revision,
                                               const std::string& request_id,
                                               const std::string& fingerprint) {
  record.DiscardUnknownFields();
  record.set_etag(EtagFor(expected_revision + 1));
  *record.mutable_update_time() =
      TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(clock_()));
  StoredItem item{record.name(), record.SerializeAsString(),
                  expected_revision + 1};
  // A case's idempotency key keeps only its name, so that deleting the case
  // deletes the victim's data (a replay then finds it gone).
  const bool name_only = collection == Collection::kCases;
  std::optional<StoredRequest> earlier;
  absl::Status put = store_.Put(
      collection, item, expected_revision, request_id,
      {fingerprint, name_only ? record.name() : item.record}, &earlier);
  if (!put.ok()) return put;
  if (earlier.has_value()) {
    if (earlier->fingerprint != fingerprint) {
      return RequestIdReusedError();
    }
    if (name_only) {
      auto read = Read<Record>(collection, earlier->response,
                               Record::descriptor()->full_name());
      if (!read.ok()) return read.status();
      return std::move(read->first);
    }
    Record first;
    if (!first.ParseFromString(earlier->response)) {
      return absl::DataLossError("cannot parse a stored response");
    }
    return first;
  }
  return record;
}

template <typename Record>
absl::StatusOr<Record> AssistanceDomain::Update(Collection collection,
                                                const Record& input,
                                                const FieldMask& request_mask,
                                                absl::string_view type,
                                                absl::string_view field) {
  FieldMask mask = request_mask;
  FieldViolations v;
  const std::set<std::string> output_only = {"name", "etag", "update_time"};
  if (mask.paths().empty() ||
      (mask.paths_size() == 1 && mask.paths(0) == "*")) {
    const bool all = !mask.paths().empty();
    mask.clear_paths();
    const auto* d = Record::descriptor();
    for (int i = 0; i < d->field_count(); ++i) {
      const auto* f = d->field(i);
      if (output_only.count(f->name())) continue;
      const auto* r = input.GetReflection();
      const bool set =
          f->is_repeated() ? r->FieldSize(input, f) > 0 : r->HasField(input, f);
      if (all || set) mask.add_paths(f->name());
    }
  }
  for (int i = 0; i < mask.paths_size(); ++i) {
    std::vector<const google::protobuf::FieldDescriptor*> fields;
    if (!FieldMaskUtil::GetFieldDescriptors(Record::descriptor(), mask.paths(i),
                                            &fields) ||
        output_only.count(fields.front()->name())) {
      v.Add(absl::StrCat("update_mask.paths[", i, "]"),
            absl::StrCat("\"", mask.paths(i), "\" is not a writable field"));
    }
  }
  if (!v.empty()) return v.ToStatus();
  auto current = Read<Record>(collection, input.name(), type);
  if (!current.ok()) return current.status();
  if (!input.etag().empty() && input.etag() != current->first.etag()) {
    return EtagMismatchError(input.name(), input.etag(), current->first.etag());
  }
  Record merged = current->first;
  FieldMaskUtil::MergeOptions options;
  options.set_replace_message_fields(true);
  options.set_replace_repeated_fields(true);
  FieldMaskUtil::MergeMessageTo(input, mask, options, &merged);
  if constexpr (std::is_same_v<Record, v1::Measure>) {
    ValidateMeasure(merged, field, v);
  } else {
    ValidateCase(merged, field, v);
  }
  if (!v.empty()) return v.ToStatus();
  absl::StatusOr<Record> written =
      Write(collection, std::move(merged), current->second, "", "");
  if (written.status().code() == absl::StatusCode::kAborted) {
    return EtagMismatchError(input.name(), input.etag(), "(changed meanwhile)");
  }
  return written;
}

absl::Status AssistanceDomain::Remove(Collection collection,
                                      absl::string_view name,
                                      absl::string_view etag,
                                      absl::string_view type) {
  absl::StatusOr<std::optional<StoredItem>> item = store_.Get(collection, name);
  if (!item.ok()) return item.status();
  if (!item->has_value() || (*item)->deleted())
    return NotFoundError(type, name);
  if (!etag.empty() && etag != EtagFor((*item)->revision)) {
    return EtagMismatchError(name, etag, EtagFor((*item)->revision));
  }
  return store_.Delete(collection, name, (*item)->revision);
}

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
  for (auto& t : *all) {
    if (t.code() <= *after) continue;
    if (response.measure_types_size() == *page_size) {
      response.set_next_page_token(EncodePageToken(
          "types", response.measure_types(*page_size - 1).code()));
      break;
    }
    *response.add_measure_types() = std::move(t);
  }
  return response;
}

absl::StatusOr<v1::MeasureType> AssistanceDomain::CreateMeasureType(
    const v1::CreateMeasureTypeRequest& request) {
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
  if (!v.empty()) return v.ToStatus();
  type.set_name(absl::StrCat("measureTypes/", type.code()));
  absl::Status created = store_.CreateMeasureType(type);
  if (created.code() == absl::StatusCode::kAlreadyExists) {
    return AlreadyExistsError("palermo.assistance.v1.MeasureType", type.name());
  }
  if (!created.ok()) return created;
  return type;
}

absl::StatusOr<v1::Measure> AssistanceDomain::GetMeasure(
    const v1::GetMeasureRequest& request) {
  const size_t at = request.name().find(kMeasures);
  if (at == std::string::npos ||
      !entities_.Contains(request.name().substr(0, at))) {
    return InvalidField("name", "must be {entity}/measures/{measure_id}");
  }
  auto read =
      Read<v1::Measure>(Collection::kMeasures, request.name(), kMeasureType);
  if (!read.ok()) return read.status();
  return std::move(read->first);
}

absl::StatusOr<v1::ListMeasuresResponse> AssistanceDomain::ListMeasures(
    const v1::ListMeasuresRequest& request) {
  FieldViolations v;
  std::string prefix;
  if (request.parent() != "-") {
    v.AddAll(entities_.Resolve(request.parent(), "parent").status(), "parent");
    prefix = absl::StrCat(request.parent(), kMeasures);
  }
  absl::StatusOr<Filter> filter =
      Filter::Compile(request.filter(), v1::Measure::descriptor());
  v.AddAll(filter.status(), "filter");
  absl::StatusOr<int> page_size = EffectivePageSize(request.page_size());
  v.AddAll(page_size.status(), "page_size");
  const std::string query =
      absl::StrCat(request.parent(), "\n", request.filter());
  absl::StatusOr<std::string> after =
      DecodePageToken(request.page_token(), query);
  v.AddAll(after.status(), "page_token");
  if (!v.empty()) return v.ToStatus();
  absl::StatusOr<std::vector<StoredItem>> items =
      store_.List(Collection::kMeasures, prefix, *after);
  if (!items.ok()) return items.status();
  v1::ListMeasuresResponse response;
  for (const StoredItem& item : *items) {
    v1::Measure m;
    if (!m.ParseFromString(item.record)) {
      return absl::DataLossError(
          absl::StrCat("cannot parse stored ", item.name));
    }
    if (!filter->Matches(m)) continue;
    if (response.measures_size() == *page_size) {
      response.set_next_page_token(
          EncodePageToken(query, response.measures(*page_size - 1).name()));
      break;
    }
    *response.add_measures() = std::move(m);
  }
  return response;
}

absl::StatusOr<v1::Measure> AssistanceDomain::CreateMeasure(
    const v1::CreateMeasureRequest& request) {
  FieldViolations v;
  v.AddAll(entities_.Resolve(request.parent(), "parent").status(), "parent");
  if (!ValidId(request.measure_id())) {
    v.Add("measure_id", "1-63 of a-z, 0-9 and -, starting with a letter");
  }
  ValidateMeasure(request.measure(), "measure", v);
  ValidateRequestId(request.request_id(), v);
  if (!v.empty()) return v.ToStatus();
  v1::Measure measure = request.measure();
  measure.set_name(
      absl::StrCat(request.parent(), kMeasures, request.measure_id()));
  measure.clear_etag();
  measure.clear_update_time();
  const std::string fingerprint =
      RequestFingerprint("assistance.create-measure", request);
  auto existing = store_.Get(Collection::kMeasures, measure.name());
  if (!existing.ok()) return existing.status();
  const bool live = existing->has_value() && !(*existing)->deleted();
  if (live && request.request_id().empty()) {
    return AlreadyExistsError(kMeasureType, measure.name());
  }
  // Created again after a delete, the revision (and etag) goes on.
  const int64_t revision = existing->has_value() && (*existing)->deleted()
                               ? (*existing)->revision
                               : 0;
  absl::StatusOr<v1::Measure> written =
      Write(Collection::kMeasures, std::move(measure), revision,
            request.request_id(), fingerprint);
  if (written.status().code() == absl::StatusCode::kAborted) {
    return AlreadyExistsError(
        kMeasureType,
        absl::StrCat(request.parent(), kMeasures, request.measure_id()));
  }
  return written;
}

absl::StatusOr<v1::Measure> AssistanceDomain::UpdateMeasure(
    const v1::UpdateMeasureRequest& request) {
  return Update(Collection::kMeasures, request.measure(), request.update_mask(),
                kMeasureType, "measure");
}

absl::Status AssistanceDomain::DeleteMeasure(
    const v1::DeleteMeasureRequest& request) {
  return Remove(Collection::kMeasures, request.name(), request.etag(),
                kMeasureType);
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
    auto items = store_.List(Collection::kMeasures,
                             absl::StrCat(request.entities(e), kMeasures), "");
    if (!items.ok()) return items.status();
    for (const StoredItem& item : *items) {
      v1::Measure m;
      if (!m.ParseFromString(item.record)) continue;
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
  return response;
}

absl::StatusOr<v1::CaseRecord> AssistanceDomain::CreateCase(
    const v1::CreateCaseRecordRequest& request) {
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
  record.clear_etag();
  record.clear_update_time();
  return Write(Collection::kCases, std::move(record), 0, request.request_id(),
               RequestFingerprint("assistance.create-case", request));
}

absl::StatusOr<v1::CaseRecord> AssistanceDomain::GetCase(
    const v1::GetCaseRecordRequest& request) {
  if (!absl::StartsWith(request.name(), kCasesPrefix)) {
    return InvalidField("name", "must be cases/{case_id}");
  }
  auto read =
      Read<v1::CaseRecord>(Collection::kCases, request.name(), kCaseType);
  if (!read.ok()) return read.status();
  return std::move(read->first);
}

absl::StatusOr<v1::ListCaseRecordsResponse> AssistanceDomain::ListCases(
    const v1::ListCaseRecordsRequest& request) {
  FieldViolations v;
  absl::StatusOr<Filter> filter =
      Filter::Compile(request.filter(), v1::CaseRecord::descriptor());
  v.AddAll(filter.status(), "filter");
  absl::StatusOr<int> page_size = EffectivePageSize(request.page_size());
  v.AddAll(page_size.status(), "page_size");
  absl::StatusOr<std::string> after =
      DecodePageToken(request.page_token(), request.filter());
  v.AddAll(after.status(), "page_token");
  if (!v.empty()) return v.ToStatus();
  auto items = store_.List(Collection::kCases, kCasesPrefix, *after);
  if (!items.ok()) return items.status();
  v1::ListCaseRecordsResponse response;
  for (const StoredItem& item : *items) {
    v1::CaseRecord c;
    if (!c.ParseFromString(item.record)) continue;
    if (!filter->Matches(c)) continue;
    if (response.case_records_size() == *page_size) {
      response.set_next_page_token(EncodePageToken(
          request.filter(), response.case_records(*page_size - 1).name()));
      break;
    }
    *response.add_case_records() = std::move(c);
  }
  return response;
}

absl::StatusOr<v1::CaseRecord> AssistanceDomain::UpdateCase(
    const v1::UpdateCaseRecordRequest& request) {
  return Update(Collection::kCases, request.case_record(),
                request.update_mask(), kCaseType, "case_record");
}

absl::Status AssistanceDomain::DeleteCase(
    const v1::DeleteCaseRecordRequest& request) {
  return Remove(Collection::kCases, request.name(), request.etag(), kCaseType);
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
  if (!v.empty()) return v.ToStatus();
  const int64_t k = k_;
  // One entity's table is its row of the all-entities table, suppressed as
  // part of it: served separately, the two could be subtracted.
  google::protobuf::RepeatedField<int> dimensions = request.group_by();
  if (one_entity) dimensions.Add(v1::CASE_DIMENSION_ENTITY);
  std::rotate(dimensions.begin(), dimensions.end() - (one_entity ? 1 : 0),
              dimensions.end());

  auto items = store_.List(Collection::kCases, kCasesPrefix, "");
  if (!items.ok()) return items.status();
  Counts counts;
  for (const StoredItem& item : *items) {
    v1::CaseRecord c;
    if (!c.ParseFromString(item.record)) {
      return absl::DataLossError(
          absl::StrCat("cannot parse stored ", item.name));
    }
    std::vector<std::string> key;
    for (int d : dimensions) {
      switch (d) {
        case v1::CASE_DIMENSION_ENTITY:
          key.push_back(c.entity());
          break;
        case v1::CASE_DIMENSION_GENDER:
          key.push_back(
              ShortName<v1::Gender>(v1::Gender_Name(c.gender()), "GENDER_"));
          break;
        case v1::CASE_DIMENSION_AGE_GROUP:
          key.push_back(ShortName<v1::CaseAgeGroup>(
              v1::CaseAgeGroup_Name(c.age_group()), "CASE_AGE_GROUP_"));
          break;
        case v1::CASE_DIMENSION_CITIZENSHIP:
          key.push_back(c.citizenship().empty() ? "UNKNOWN" : c.citizenship());
          break;
        default:
          key.push_back(ShortName<v1::ReferralSource>(
              v1::ReferralSource_Name(c.referral_source()),
              "REFERRAL_SOURCE_"));
      }
    }
    ++counts[key];
  }
  v1::AggregateCasesResponse response;
  *response.mutable_group_by() = request.group_by();
  response.set_k(static_cast<int32_t>(k));
  if (counts.empty()) return response;
  // Two-way tables keep the margins the one-way tables publish, so that all
  // the tables served agree wherever they overlap.
  std::optional<Margins> margins;
  if (dimensions.size() == 2) {
    Counts first, second;
    for (const auto& [key, count] : counts) {
      first[{key[0]}] += count;
      second[{key[1]}] += count;
    }
    margins =
        MarginsOf(SuppressedTable(first, 1, k), SuppressedTable(second, 1, k));
  }
  for (auto& cell : SuppressedTable(counts, dimensions.size(), k,
                                    margins ? &*margins : nullptr)) {
    if (one_entity) {
      if (cell.keys(0) != request.entity()) continue;
      cell.mutable_keys()->erase(cell.mutable_keys()->begin());
    }
    *response.add_cells() = std::move(cell);
  }
  return response;
}

}  // namespace palermo::assistance
