#include "services/enforcement/enforcement_domain.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <limits>
#include <map>
#include <set>
#include <thread>
#include <tuple>

#include "absl/algorithm/container.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "services/common/bounds.h"
#include "services/common/idempotency.h"
#include "services/common/pagination.h"
#include "services/common/periods.h"
#include "services/common/status.h"
#include "services/common/validation.h"
#include "services/enforcement/aggregation.h"
#include "services/enforcement/sdmx_csv.h"

namespace palermo::enforcement {
namespace {

// Footnote 9 of E/CN.15/2008/6: figures of different countries are not
// comparable. Carried by every answer that sums figures of several entities.
v1::ComparabilityCaveat ComparabilityCaveat() {
  v1::ComparabilityCaveat caveat;
  caveat.set_english(
      "Very few responses contain detailed information on the number of "
      "cases of trafficking investigated and prosecuted. The figures "
      "provided do not allow the number of cases of trafficking in "
      "different countries to be put into perspective.");
  caveat.set_french(
      "Très peu de réponses contiennent des informations détaillées sur le "
      "nombre de cas de traite ayant fait l’objet d’enquêtes et de "
      "poursuites. Les chiffres fournis ne permettent pas de mettre en "
      "perspective le nombre de cas de traite dans les différents pays.");
  common::v1::Provenance* source = caveat.add_sources();
  source->set_document_symbol("E/CN.15/2008/6");
  source->set_paragraph(10);
  source->set_footnote(9);
  source->set_excerpt(
      "Les chiffres fournis ne permettent pas de mettre en perspective le "
      "nombre de cas de traite dans les différents pays.");
  source->set_excerpt_language("fr");
  return caveat;
}

using google::protobuf::util::TimeUtil;

constexpr char kObservations[] = "/observations/";
constexpr size_t kExportChunkBytes = 64 * 1024;

bool IsMissingStatus(v1::ObservationStatus s) {
  return s == v1::OBSERVATION_STATUS_NOT_COLLECTED ||
         s == v1::OBSERVATION_STATUS_CANNOT_EXIST ||
         s == v1::OBSERVATION_STATUS_MISSING ||
         s == v1::OBSERVATION_STATUS_SUPPRESSED;
}

std::string StatusName(v1::ObservationStatus s) {
  std::string name = v1::ObservationStatus_Name(s);
  absl::string_view short_name = name;
  absl::ConsumePrefix(&short_name, "OBSERVATION_STATUS_");
  return std::string(short_name);
}

bool SameBreakdown(const v1::Observation& o, const v1::Breakdown& b) {
  return o.sex() == b.sex() && o.age_group() == b.age_group() &&
         o.exploitation_form() == b.exploitation_form() &&
         o.citizenship() == b.citizenship();
}

v1::Breakdown BreakdownOf(const v1::Observation& o) {
  v1::Breakdown b;
  b.set_sex(o.sex());
  b.set_age_group(o.age_group());
  b.set_exploitation_form(o.exploitation_form());
  b.set_citizenship(o.citizenship());
  return b;
}

bool SamePeriod(const common::v1::ReportingPeriod& a,
                const common::v1::ReportingPeriod& b) {
  return a.SerializeAsString() == b.SerializeAsString();
}

std::optional<absl::Time> AsOf(const v1::GetObservationRequest& r) {
  if (!r.has_as_of()) return std::nullopt;
  return absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(r.as_of()));
}

std::optional<absl::Time> AsOfTimestamp(bool has,
                                        const google::protobuf::Timestamp& t) {
  if (!has) return std::nullopt;
  return absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(t));
}

}  // namespace

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

bool EnforcementDomain::HasIndicator(const std::string& code,
                                     absl::Status* error,
                                     v1::IndicatorKind* kind) {
  std::lock_guard<std::mutex> lock(indicators_mu_);
  if (indicator_codes_.empty()) {
    absl::StatusOr<std::vector<v1::Indicator>> all = store_.ListIndicators();
    if (!all.ok()) {
      *error = all.status();
      return false;
    }
    for (const auto& i : *all) indicator_codes_[i.code()] = i.kind();
  }
  auto it = indicator_codes_.find(code);
  if (it == indicator_codes_.end()) return false;
  if (kind != nullptr) *kind = it->second;
  return true;
}

absl::Status EnforcementDomain::CheckEntity(absl::string_view entity,
                                            absl::string_view field) {
  // The common case is checked without building the entity: imports check
  // every row.
  if (entities_.Contains(entity)) return absl::OkStatus();
  return entities_.Resolve(entity, field).status();
}

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

absl::StatusOr<v1::ListIndicatorsResponse> EnforcementDomain::ListIndicators(
    const v1::ListIndicatorsRequest& request) {
  FieldViolations violations;
  absl::StatusOr<int> page_size = EffectivePageSize(request.page_size());
  violations.AddAll(page_size.status(), "page_size");
  absl::StatusOr<std::string> after =
      DecodePageToken(request.page_token(), "indicators");
  violations.AddAll(after.status(), "page_token");
  if (!violations.empty()) return violations.ToStatus();
  absl::StatusOr<std::vector<v1::Indicator>> all = store_.ListIndicators();
  if (!all.ok()) return all.status();
  v1::ListIndicatorsResponse response;
  PageBudget page(*page_size);
  for (auto& i : *all) {
    if (i.code() <= *after) continue;
    if (!page.Admit(i)) {
      response.set_next_page_token(EncodePageToken(
          "indicators",
          response.indicators(response.indicators_size() - 1).code()));
      break;
    }
    *response.add_indicators() = std::move(i);
  }
  return response;
}

absl::StatusOr<v1::Indicator> EnforcementDomain::CreateIndicator(
    const v1::CreateIndicatorRequest& request) {
  v1::Indicator indicator = request.indicator();
  FieldViolations violations;
  const std::string& code = indicator.code();
  bool code_ok = !code.empty() && code.size() <= 64 &&
                 absl::ascii_isupper(static_cast<unsigned char>(code[0]));
  for (char c : code) {
    code_ok = code_ok &&
              (absl::ascii_isupper(static_cast<unsigned char>(c)) ||
               absl::ascii_isdigit(static_cast<unsigned char>(c)) || c == '_');
  }
  if (!code_ok) {
    violations.Add("indicator.code",
                   "1-64 of A-Z, 0-9 and _, starting with a letter");
  }
  if (indicator.display_name().empty()) {
    violations.Add("indicator.display_name", "required");
  }
  if (indicator.unit().empty()) violations.Add("indicator.unit", "required");
  ValidateCommonTypes(indicator, "indicator", violations);
  indicator.set_name(absl::StrCat("indicators/", code));
  ValidateRecordSize(indicator, "indicator", violations);
  if (!violations.empty()) return violations.ToStatus();
  absl::Status created = store_.CreateIndicator(indicator);
  if (created.code() == absl::StatusCode::kAlreadyExists) {
    return AlreadyExistsError("palermo.enforcement.v1.Indicator",
                              indicator.name());
  }
  if (!created.ok()) return created;
  std::lock_guard<std::mutex> lock(indicators_mu_);
  indicator_codes_.clear();  // re-read on next use
  return indicator;
}

absl::StatusOr<std::vector<v1::Observation>> EnforcementDomain::Scan(
    ObservationQuery query, const Filter* filter, PageBudget* page,
    bool* more) {
  std::vector<v1::Observation> out;
  if (more) *more = false;
  // Read in chunks so that a selective filter does not load everything.
  const int chunk = page != nullptr ? std::max(page->max_items() * 2, 100) : 0;
  query.limit = chunk;
  while (true) {
    absl::StatusOr<std::vector<v1::Observation>> rows = store_.Query(query);
    if (!rows.ok()) return rows.status();
    const std::string last = rows->empty() ? "" : rows->back().name();
    for (auto& o : *rows) {
      if (filter != nullptr && !filter->Matches(o)) continue;
      if (page != nullptr && !page->Admit(o)) {
        if (more) *more = true;
        return out;
      }
      out.push_back(std::move(o));
    }
    if (chunk == 0 || static_cast<int>(rows->size()) < chunk) return out;
    query.after_name = last;
  }
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

absl::StatusOr<v1::Observation> EnforcementDomain::Get(
    const v1::GetObservationRequest& request) {
  const std::string& name = request.name();
  if (absl::Status s = CheckName(name, "name"); !s.ok()) return s;
  ObservationQuery query;
  query.name = name;
  query.as_of = AsOf(request);
  absl::StatusOr<std::vector<v1::Observation>> found = store_.Query(query);
  if (!found.ok()) return found.status();
  if (found->empty()) return NotFoundError(kObservationType, name);
  return std::move(found->front());
}

absl::StatusOr<v1::ListObservationsResponse> EnforcementDomain::List(
    const v1::ListObservationsRequest& request) {
  FieldViolations violations;
  ObservationQuery query;
  if (request.parent() != "-") {
    violations.AddAll(CheckEntity(request.parent(), "parent"), "parent");
    query.entity = request.parent();
  }
  absl::StatusOr<Filter> filter =
      Filter::Compile(request.filter(), v1::Observation::descriptor());
  violations.AddAll(filter.status(), "filter");
  if (request.has_overlaps()) {
    ValidateCommonTypes(request.overlaps(), "overlaps", violations);
    query.overlaps = RangeOf(request.overlaps());
  }
  query.as_of = AsOfTimestamp(request.has_as_of(), request.as_of());
  absl::StatusOr<int> page_size = EffectivePageSize(request.page_size());
  violations.AddAll(page_size.status(), "page_size");
  // A token belongs to the query that made it.
  v1::ListObservationsRequest key = request;
  key.clear_page_size();
  key.clear_page_token();
  absl::StatusOr<std::string> after =
      DecodePageToken(request.page_token(), key.SerializeAsString());
  violations.AddAll(after.status(), "page_token");
  if (!violations.empty()) return violations.ToStatus();
  query.after_name = *after;
  bool more = false;
  PageBudget budget(*page_size);
  absl::StatusOr<std::vector<v1::Observation>> page =
      Scan(query, &*filter, &budget, &more);
  if (!page.ok()) return page.status();
  v1::ListObservationsResponse response;
  for (auto& o : *page) *response.add_observations() = std::move(o);
  if (more) {
    response.set_next_page_token(EncodePageToken(
        key.SerializeAsString(),
        response.observations(response.observations_size() - 1).name()));
  }
  return response;
}

namespace {

// What the store adds to a row it writes, the revision and update time, at
// their largest: a row is measured as it will be stored.
size_t StoreAddedBytes() {
  static const size_t bytes = [] {
    v1::Observation o;
    o.set_revision_id(std::numeric_limits<int64_t>::max());
    o.mutable_update_time()->set_seconds(TimeUtil::kTimestampMaxSeconds);
    o.mutable_update_time()->set_nanos(999999999);
    return o.ByteSizeLong();
  }();
  return bytes;
}

}  // namespace

absl::StatusOr<std::vector<v1::Observation>> EnforcementDomain::WriteRows(
    std::vector<v1::Observation> rows,
    const std::function<std::string(size_t)>& row_path,
    const std::string& request_id, const std::string& fingerprint,
    bool respond_with_row, std::string* replayed_response,
    v1::ImportObservationsResponse* response) {
  FieldViolations violations;
  ValidateRequestId(request_id, violations);
  // Large batches are validated on two threads, each on a contiguous half,
  // so that violations stay in row order.
  constexpr size_t kParallelFrom = 10000;
  const size_t split =
      rows.size() >= kParallelFrom ? rows.size() / 2 : rows.size();
  FieldViolations second_half;
  int reported_rows = 0, second_reported = 0;
  // Every row is validated, so that the counts are right; the violations
  // beyond kMaxViolationsInDetails are only counted (FieldViolations).
  auto validate = [&](size_t from, size_t to, FieldViolations& out,
                      int& reported) {
    for (size_t i = from; i < to; ++i) {
      const int before = out.size();
      Validate(rows[i], row_path(i), out);
      if (out.size() > before) ++reported;
    }
  };
  std::thread helper;
  if (split < rows.size()) {
    helper = std::thread(validate, split, rows.size(), std::ref(second_half),
                         std::ref(second_reported));
  }
  validate(0, split, violations, reported_rows);
  if (helper.joinable()) helper.join();
  violations.Merge(second_half);
  reported_rows += second_reported;
  if (!violations.empty()) {
    return violations.ToStatus(
        absl::StrCat(reported_rows, " invalid row(s), nothing written"));
  }
  if (!request_id.empty()) {
    absl::StatusOr<std::optional<StoredRequest>> stored =
        store_.FindRequest(request_id);
    if (!stored.ok()) return stored.status();
    if (stored->has_value()) {
      if ((*stored)->fingerprint != fingerprint) return RequestIdReusedError();
      *replayed_response = (*stored)->response;
      return rows;
    }
  }
  for (v1::Observation& o : rows) {
    o.clear_revision_id();
    o.clear_update_time();
    o.DiscardUnknownFields();
    if (o.status() == v1::OBSERVATION_STATUS_UNSPECIFIED) {
      o.set_status(v1::OBSERVATION_STATUS_NORMAL);
    }
    o.set_name(NameOf(o));
  }
  // One figure per series key and batch: a key sent twice is ambiguous.
  absl::flat_hash_map<absl::string_view, size_t> first_row;
  for (size_t i = 0; i < rows.size(); ++i) {
    ValidateRecordBytes(rows[i].ByteSizeLong() + StoreAddedBytes(),
                        row_path(i), violations);
    auto [it, inserted] = first_row.emplace(rows[i].name(), i);
    if (!inserted) {
      violations.Add(row_path(i),
                     absl::StrCat("same series key as ", row_path(it->second),
                                  " (", Abbreviate(rows[i].name()), ")"));
    }
  }
  first_row.clear();
  if (!violations.empty()) {
    return violations.ToStatus(
        "rows too large or repeating a series key, nothing written");
  }
  // Writing in key order keeps the B-tree inserts local; keys are unique.
  // An upsert answers with its row, so its single row stays where it is.
  std::sort(rows.begin(), rows.end(),
            [](const v1::Observation& a, const v1::Observation& b) {
              return a.name() < b.name();
            });
  response->set_received(static_cast<int64_t>(rows.size()));
  auto fill = [&](const BatchOutcome& o) {
    response->set_created(o.created);
    response->set_revised(o.revised);
    response->set_unchanged(o.unchanged);
    *response->mutable_commit_time() =
        TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(o.commit_time));
  };
  std::optional<StoredRequest> earlier;
  absl::StatusOr<BatchOutcome> outcome = store_.WriteBatch(
      rows, clock_(), request_id, fingerprint,
      [&](const BatchOutcome& o) {
        fill(o);
        return respond_with_row ? rows.front().SerializeAsString()
                                : response->SerializeAsString();
      },
      &earlier);
  if (!outcome.ok()) return outcome.status();
  fill(*outcome);
  if (earlier.has_value()) {
    if (earlier->fingerprint != fingerprint) return RequestIdReusedError();
    *replayed_response = earlier->response;
  }
  return rows;
}

absl::StatusOr<v1::Observation> EnforcementDomain::Upsert(
    const v1::UpsertObservationRequest& request) {
  std::vector<v1::Observation> rows = {request.observation()};
  std::string replayed;
  v1::ImportObservationsResponse unused;
  absl::StatusOr<std::vector<v1::Observation>> written = WriteRows(
      std::move(rows), [](size_t) { return std::string("observation"); },
      request.request_id(), RequestFingerprint("enforcement.upsert", request),
      /*respond_with_row=*/true, &replayed, &unused);
  if (!written.ok()) return written.status();
  if (!replayed.empty()) {
    // A retried upsert answers as the first one did.
    v1::Observation first;
    if (!first.ParseFromString(replayed)) {
      return absl::DataLossError("cannot parse a stored response");
    }
    return first;
  }
  return std::move(written->front());
}

absl::StatusOr<v1::ImportObservationsResponse> EnforcementDomain::Import(
    const std::string& request_id, std::vector<v1::Observation> rows) {
  const std::string fingerprint =
      RequestFingerprintOfAll("enforcement.import", rows);
  std::string replayed;
  v1::ImportObservationsResponse response;
  absl::StatusOr<std::vector<v1::Observation>> written = WriteRows(
      std::move(rows),
      [](size_t i) { return absl::StrCat("observations[", i, "]"); },
      request_id, fingerprint, /*respond_with_row=*/false, &replayed,
      &response);
  if (!written.ok()) return written.status();
  if (!replayed.empty() && !response.ParseFromString(replayed)) {
    return absl::DataLossError("cannot parse a stored response");
  }
  return response;
}

absl::StatusOr<v1::ImportObservationsResponse> EnforcementDomain::ImportSdmxCsv(
    const v1::ImportSdmxCsvRequest& request) {
  FieldViolations violations;
  std::vector<CsvRow> parsed = ParseSdmxCsv(
      request.csv(),
      [this](absl::string_view area) {
        const std::string country = absl::StrCat("countries/", area);
        return entities_.Resolve(country, "").ok()
                   ? country
                   : absl::StrCat("organizations/", area);
      },
      violations);
  std::vector<int> numbers;
  std::vector<v1::Observation> rows;
  for (CsvRow& row : parsed) {
    numbers.push_back(row.number);
    rows.push_back(std::move(row.observation));
  }
  if (!violations.empty()) {
    // Rows that parsed are validated too, so every problem is reported at
    // once. Otherwise WriteRows validates them, naming them rows[n] too.
    for (size_t i = 0; i < rows.size(); ++i) {
      Validate(rows[i], absl::StrCat("rows[", numbers[i], "]"), violations);
    }
    return violations.ToStatus("invalid SDMX-CSV, nothing written");
  }
  const std::string fingerprint =
      RequestFingerprint("enforcement.import-sdmx-csv", request);
  std::string replayed;
  v1::ImportObservationsResponse response;
  absl::StatusOr<std::vector<v1::Observation>> written = WriteRows(
      std::move(rows),
      [&numbers](size_t i) { return absl::StrCat("rows[", numbers[i], "]"); },
      request.request_id(), fingerprint, /*respond_with_row=*/false, &replayed,
      &response);
  if (!written.ok()) return written.status();
  if (!replayed.empty() && !response.ParseFromString(replayed)) {
    return absl::DataLossError("cannot parse a stored response");
  }
  return response;
}

absl::Status EnforcementDomain::ExportSdmxCsv(
    const v1::ExportSdmxCsvRequest& request,
    const std::function<bool(std::string)>& sink) {
  FieldViolations violations;
  ObservationQuery query;
  if (request.parent() != "-" && !request.parent().empty()) {
    violations.AddAll(CheckEntity(request.parent(), "parent"), "parent");
    query.entity = request.parent();
  }
  absl::StatusOr<Filter> filter =
      Filter::Compile(request.filter(), v1::Observation::descriptor());
  violations.AddAll(filter.status(), "filter");
  if (!violations.empty()) return violations.ToStatus();
  // One snapshot for the whole export, even while writes go on.
  query.as_of = request.has_as_of() ? AsOfTimestamp(true, request.as_of())
                                    : std::optional<absl::Time>(clock_());
  std::string chunk = SdmxCsvHeader();
  constexpr int kPage = 5000;
  query.limit = kPage;
  while (true) {
    absl::StatusOr<std::vector<v1::Observation>> page = store_.Query(query);
    if (!page.ok()) return page.status();
    for (const auto& o : *page) {
      if (!filter->Matches(o)) continue;
      chunk += SdmxCsvLine(o);
      if (chunk.size() >= kExportChunkBytes) {
        if (!sink(std::move(chunk))) return absl::CancelledError("client gone");
        chunk.clear();
      }
    }
    if (static_cast<int>(page->size()) < kPage) break;
    query.after_name = page->back().name();
  }
  if (!chunk.empty() && !sink(std::move(chunk))) {
    return absl::CancelledError("client gone");
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::ListObservationRevisionsResponse>
EnforcementDomain::ListRevisions(
    const v1::ListObservationRevisionsRequest& request) {
  FieldViolations violations;
  violations.AddAll(CheckName(request.name(), "name"), "name");
  absl::StatusOr<int> page_size = EffectivePageSize(request.page_size());
  violations.AddAll(page_size.status(), "page_size");
  absl::StatusOr<std::string> token =
      DecodePageToken(request.page_token(), request.name());
  violations.AddAll(token.status(), "page_token");
  int64_t before = 0;
  if (token.ok() && !token->empty() && !absl::SimpleAtoi(*token, &before)) {
    violations.Add("page_token", "not a revision token");
  }
  if (!violations.empty()) return violations.ToStatus();
  absl::StatusOr<std::vector<v1::ObservationRevision>> revisions =
      store_.Revisions(request.name(), before, *page_size + 1);
  if (!revisions.ok()) return revisions.status();
  if (revisions->empty() && before == 0) {
    return NotFoundError(kObservationType, request.name());
  }
  v1::ListObservationRevisionsResponse response;
  PageBudget page(*page_size);
  for (auto& r : *revisions) {
    if (!page.Admit(r)) {
      response.set_next_page_token(EncodePageToken(
          request.name(), absl::StrCat(response.revisions(page.items() - 1)
                                           .observation()
                                           .revision_id())));
      break;
    }
    *response.add_revisions() = std::move(r);
  }
  return response;
}

absl::StatusOr<v1::Series> EnforcementDomain::GetSeries(
    const v1::GetSeriesRequest& request) {
  FieldViolations violations;
  violations.AddAll(CheckEntity(request.entity(), "entity"), "entity");
  if (request.indicator().empty()) violations.Add("indicator", "required");
  ValidateCommonTypes(request.breakdown(), "breakdown", violations);
  if (!violations.empty()) return violations.ToStatus();
  ObservationQuery query;
  query.entity = request.entity();
  query.indicator = request.indicator();
  query.as_of = AsOfTimestamp(request.has_as_of(), request.as_of());
  absl::StatusOr<std::vector<v1::Observation>> found = store_.Query(query);
  if (!found.ok()) return found.status();
  v1::Series series;
  series.set_entity(request.entity());
  series.set_indicator(request.indicator());
  *series.mutable_breakdown() = request.breakdown();
  std::vector<v1::Observation> matching;
  for (auto& o : *found) {
    if (SameBreakdown(o, request.breakdown())) matching.push_back(std::move(o));
  }
  std::stable_sort(matching.begin(), matching.end(),
                   [](const v1::Observation& a, const v1::Observation& b) {
                     const DayRange ra = RangeOf(a.period());
                     const DayRange rb = RangeOf(b.period());
                     return std::tie(ra.first, ra.last) <
                            std::tie(rb.first, rb.last);
                   });
  for (auto& o : matching) *series.add_observations() = std::move(o);
  TrimToBytes(&series);
  return series;
}

absl::StatusOr<v1::AggregateResponse> EnforcementDomain::Aggregate(
    const v1::AggregateRequest& request) {
  FieldViolations violations;
  if (request.indicator().empty()) violations.Add("indicator", "required");
  for (int i = 0; i < request.entities_size(); ++i) {
    const std::string field = absl::StrCat("entities[", i, "]");
    violations.AddAll(CheckEntity(request.entities(i), field), field);
  }
  ValidateCommonTypes(request.window(), "window", violations);
  absl::Status codes_error;
  v1::IndicatorKind kind = v1::INDICATOR_KIND_FLOW;
  if (!request.indicator().empty() &&
      !HasIndicator(request.indicator(), &codes_error, &kind)) {
    violations.Add("indicator", codes_error.ok()
                                    ? "not in the indicator code list"
                                    : std::string(codes_error.message()));
  }
  bool by_entity = false;
  int mask = 0;
  for (int i = 0; i < request.group_by_size(); ++i) {
    switch (request.group_by(i)) {
      case v1::DIMENSION_ENTITY:
        by_entity = true;
        break;
      case v1::DIMENSION_SEX:
        mask |= 1;
        break;
      case v1::DIMENSION_AGE_GROUP:
        mask |= 2;
        break;
      case v1::DIMENSION_EXPLOITATION_FORM:
        mask |= 4;
        break;
      case v1::DIMENSION_CITIZENSHIP:
        mask |= 8;
        break;
      default:
        violations.Add(absl::StrCat("group_by[", i, "]"), "not a dimension");
    }
  }
  if (!violations.empty()) return violations.ToStatus();

  const DayRange window = RangeOf(request.window());
  ObservationQuery query;
  query.indicator = request.indicator();
  query.overlaps = window;
  query.dims_mask = mask;
  query.as_of = AsOfTimestamp(request.has_as_of(), request.as_of());
  if (request.entities_size() == 1) query.entity = request.entities(0);
  absl::StatusOr<std::vector<v1::Observation>> found = store_.Query(query);
  if (!found.ok()) return found.status();
  const std::set<std::string> wanted(request.entities().begin(),
                                     request.entities().end());

  // Series: one entity and one breakdown. Figures never cross series.
  std::map<std::pair<std::string, std::string>,
           std::vector<const v1::Observation*>>
      series;
  for (const v1::Observation& o : *found) {
    if (!wanted.empty() && !wanted.count(o.entity())) continue;
    series[{o.entity(), BreakdownOf(o).SerializeAsString()}].push_back(&o);
  }
  v1::AggregateResponse response;
  std::map<std::pair<std::string, std::string>, v1::AggregateCell> cells;
  std::set<std::string> used_entities;
  for (const auto& [key, members] : series) {
    std::vector<Figure> figures;
    for (const v1::Observation* o : members) {
      figures.push_back(
          {RangeOf(o->period()),
           o->has_value() ? std::optional<int64_t>(o->value()) : std::nullopt});
    }
    const Selection selection =
        SelectFigures(figures, window, kind == v1::INDICATOR_KIND_STOCK);
    const std::string cell_entity = by_entity ? key.first : "";
    v1::AggregateCell& cell = cells[{cell_entity, key.second}];
    cell.set_entity(cell_entity);
    cell.mutable_breakdown()->ParseFromString(key.second);
    cell.set_value(cell.value() + selection.sum);
    cell.set_observation_count(cell.observation_count() + selection.count);
    if (by_entity) {
      for (const DayRange& r : selection.covered) {
        common::v1::ReportingPeriod* p = cell.add_covered();
        // The covered range, stated with the periods that make it up.
        for (size_t i = 0; i < members.size(); ++i) {
          if (!selection.used[i]) continue;
          const DayRange mr = RangeOf(members[i]->period());
          const auto& period = members[i]->period();
          if (mr.first == r.first && period.has_start()) {
            *p->mutable_start() = period.start();
          }
          if (mr.last == r.last && period.has_end()) {
            *p->mutable_end() = period.end();
          }
        }
      }
    }
    for (size_t i = 0; i < members.size(); ++i) {
      const v1::Observation& o = *members[i];
      v1::ObservationUse* use = response.add_observations();
      use->set_observation(o.name());
      *use->mutable_period() = o.period();
      if (o.has_value()) use->set_value(o.value());
      use->set_used(selection.used[i]);
      use->set_reason(selection.reason[i]);
      const int conflict = selection.conflicts_with[i];
      switch (selection.reason[i]) {
        case v1::EXCLUSION_REASON_NESTED:
          use->set_explanation(absl::StrCat("its period lies inside that of ",
                                            members[conflict]->name(),
                                            ", which is counted"));
          break;
        case v1::EXCLUSION_REASON_OVERLAPS:
          use->set_explanation(absl::StrCat("its period overlaps that of ",
                                            members[conflict]->name(),
                                            ", which is counted"));
          break;
        case v1::EXCLUSION_REASON_OUTSIDE_WINDOW:
          use->set_explanation(
              "its period extends outside the window and cannot be split");
          break;
        case v1::EXCLUSION_REASON_EARLIER_STOCK:
          use->set_explanation(absl::StrCat(
              "a stock indicator: the later figure ", members[conflict]->name(),
              " stands for the window"));
          break;
        case v1::EXCLUSION_REASON_NO_VALUE:
          use->set_explanation(
              absl::StrCat("no value (status ", StatusName(o.status()), ")"));
          break;
        default:
          break;
      }
      if (selection.used[i]) used_entities.insert(o.entity());
      if (selection.used[i] &&
          (o.status() != v1::OBSERVATION_STATUS_NORMAL || !o.notes().empty())) {
        cell.add_caveats(absl::StrCat(o.name(), ": ", StatusName(o.status()),
                                      o.notes().empty() ? "" : "; ",
                                      o.notes()));
      }
    }
  }
  for (auto& [key, cell] : cells) *response.add_cells() = std::move(cell);
  // Figures of several entities summed: the sum does not compare them.
  if (used_entities.size() > 1) {
    *response.mutable_comparability_caveat() = ComparabilityCaveat();
  }
  TrimToBytes(&response);
  return response;
}

namespace {

// The single observation of a series key, or why there is none.
absl::StatusOr<std::optional<v1::Observation>> FindExact(
    EnforcementStore& store, const std::string& entity,
    const std::string& indicator, const common::v1::ReportingPeriod& period,
    const v1::Breakdown& breakdown) {
  ObservationQuery query;
  query.entity = entity;
  query.indicator = indicator;
  query.overlaps = RangeOf(period);
  absl::StatusOr<std::vector<v1::Observation>> found = store.Query(query);
  if (!found.ok()) return found.status();
  for (auto& o : *found) {
    if (SameBreakdown(o, breakdown) && SamePeriod(o.period(), period)) {
      return std::optional<v1::Observation>(std::move(o));
    }
  }
  return std::optional<v1::Observation>();
}

// Why a figure cannot take part in a comparison, or "".
std::string Unusable(const v1::Observation& o) {
  if (!o.has_value()) {
    return absl::StrCat(o.name(), " has no value (", StatusName(o.status()),
                        ")");
  }
  if (o.status() == v1::OBSERVATION_STATUS_DEFINITION_DIFFERS ||
      o.status() == v1::OBSERVATION_STATUS_BREAK) {
    return absl::StrCat(o.name(), " has status ", StatusName(o.status()),
                        o.notes().empty() ? "" : ": ", o.notes());
  }
  return "";
}

}  // namespace

absl::StatusOr<v1::ComputeChangeResponse> EnforcementDomain::ComputeChange(
    const v1::ComputeChangeRequest& request) {
  FieldViolations violations;
  violations.AddAll(CheckEntity(request.entity(), "entity"), "entity");
  if (request.indicator().empty()) violations.Add("indicator", "required");
  if (!request.has_from_period()) violations.Add("from_period", "required");
  if (!request.has_to_period()) violations.Add("to_period", "required");
  ValidateCommonTypes(request, "", violations);
  if (!violations.empty()) return violations.ToStatus();
  v1::ComputeChangeResponse response;
  auto from = FindExact(store_, request.entity(), request.indicator(),
                        request.from_period(), request.breakdown());
  if (!from.ok()) return from.status();
  auto to = FindExact(store_, request.entity(), request.indicator(),
                      request.to_period(), request.breakdown());
  if (!to.ok()) return to.status();
  if (from->has_value()) *response.mutable_from_observation() = **from;
  if (to->has_value()) *response.mutable_to_observation() = **to;
  std::string reason;
  if (!from->has_value()) {
    reason =
        absl::StrCat("no figure for ", FormatTimePeriod(request.from_period()));
  } else if (!to->has_value()) {
    reason =
        absl::StrCat("no figure for ", FormatTimePeriod(request.to_period()));
  } else if (!(reason = Unusable(**from)).empty() ||
             !(reason = Unusable(**to)).empty()) {
  } else if (!SameShape(request.from_period(), request.to_period())) {
    reason = absl::StrCat("periods ", FormatTimePeriod(request.from_period()),
                          " and ", FormatTimePeriod(request.to_period()),
                          " differ in length or precision");
  } else if (RangeOf(request.from_period())
                 .Overlaps(RangeOf(request.to_period()))) {
    reason = "the periods overlap";
  }
  if (!reason.empty()) {
    response.set_reason(reason);
    return response;
  }
  response.set_comparable(true);
  const int64_t a = (*from)->value();
  const int64_t b = (*to)->value();
  response.set_absolute_change(b - a);
  if (a != 0) response.set_relative_change(static_cast<double>(b - a) / a);
  return response;
}

absl::StatusOr<v1::ComputeRatioResponse> EnforcementDomain::ComputeRatio(
    const v1::ComputeRatioRequest& request) {
  FieldViolations violations;
  violations.AddAll(CheckEntity(request.entity(), "entity"), "entity");
  if (request.numerator().empty()) violations.Add("numerator", "required");
  if (request.denominator().empty()) violations.Add("denominator", "required");
  if (!request.has_period()) violations.Add("period", "required");
  ValidateCommonTypes(request, "", violations);
  if (!violations.empty()) return violations.ToStatus();
  v1::ComputeRatioResponse response;
  auto num = FindExact(store_, request.entity(), request.numerator(),
                       request.period(), request.breakdown());
  if (!num.ok()) return num.status();
  auto den = FindExact(store_, request.entity(), request.denominator(),
                       request.period(), request.breakdown());
  if (!den.ok()) return den.status();
  if (num->has_value()) *response.mutable_numerator_observation() = **num;
  if (den->has_value()) *response.mutable_denominator_observation() = **den;
  std::string reason;
  const std::string period = FormatTimePeriod(request.period());
  if (!num->has_value()) {
    reason = absl::StrCat("no ", request.numerator(), " figure for exactly ",
                          period);
  } else if (!den->has_value()) {
    reason = absl::StrCat("no ", request.denominator(), " figure for exactly ",
                          period);
  } else if (!(reason = Unusable(**num)).empty() ||
             !(reason = Unusable(**den)).empty()) {
  } else if ((*den)->value() == 0) {
    reason = "the denominator is zero";
  }
  if (!reason.empty()) {
    response.set_reason(reason);
    return response;
  }
  response.set_comparable(true);
  response.set_ratio(static_cast<double>((*num)->value()) / (*den)->value());
  return response;
}

absl::StatusOr<v1::GetCoverageResponse> EnforcementDomain::GetCoverage(
    const v1::GetCoverageRequest& request) {
  FieldViolations violations;
  for (int i = 0; i < request.entities_size(); ++i) {
    const std::string field = absl::StrCat("entities[", i, "]");
    violations.AddAll(CheckEntity(request.entities(i), field), field);
  }
  if (!violations.empty()) return violations.ToStatus();
  const std::set<std::string> entities(request.entities().begin(),
                                       request.entities().end());
  const std::set<std::string> indicators(request.indicators().begin(),
                                         request.indicators().end());
  ObservationQuery query;
  query.as_of = AsOfTimestamp(request.has_as_of(), request.as_of());
  if (entities.size() == 1) query.entity = *entities.begin();
  if (indicators.size() == 1) query.indicator = *indicators.begin();
  absl::StatusOr<std::vector<v1::Observation>> found =
      Scan(query, nullptr, nullptr, nullptr);
  if (!found.ok()) return found.status();
  struct Entry {
    std::map<std::pair<int64_t, int64_t>, common::v1::ReportingPeriod> periods;
    int values = 0;
    int missing = 0;
  };
  std::map<std::pair<std::string, std::string>, Entry> entries;
  for (const auto& o : *found) {
    if (!entities.empty() && !entities.count(o.entity())) continue;
    if (!indicators.empty() && !indicators.count(o.indicator())) continue;
    Entry& e = entries[{o.entity(), o.indicator()}];
    const DayRange r = RangeOf(o.period());
    e.periods[{r.first, r.last}] = o.period();
    ++(o.has_value() ? e.values : e.missing);
  }
  v1::GetCoverageResponse response;
  for (auto& [key, e] : entries) {
    v1::CoverageEntry* out = response.add_entries();
    out->set_entity(key.first);
    out->set_indicator(key.second);
    for (auto& [range, period] : e.periods) *out->add_periods() = period;
    out->set_values(e.values);
    out->set_missing(e.missing);
  }
  TrimToBytes(&response);
  return response;
}

}  // namespace palermo::enforcement
