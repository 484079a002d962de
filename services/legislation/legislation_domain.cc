#include "services/legislation/legislation_domain.h"

#include <google/protobuf/empty.pb.h>
#include <google/protobuf/util/field_mask_util.h>
#include <google/protobuf/util/message_differencer.h>
#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <set>
#include <tuple>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "services/common/bounds.h"
#include "services/common/filter.h"
#include "services/common/idempotency.h"
#include "services/common/idempotent_write.h"
#include "services/common/pagination.h"
#include "services/common/status.h"
#include "services/common/validation.h"
#include "services/legislation/client/legislation_names.h"

namespace palermo::legislation {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::FieldMask;
using google::protobuf::util::FieldMaskUtil;
using google::protobuf::util::MessageDifferencer;
using google::protobuf::util::TimeUtil;

constexpr int kMaxImprisonmentMonths = 100 * 12;

// Fields the server sets; ignored on input (AIP-203), never in an update mask.
const std::set<std::string>& OutputOnlyFields() {
  static const auto* fields = new std::set<std::string>{
      "name", "entity", "etag", "create_time", "update_time"};
  return *fields;
}

// Top-level fields a client may write, in field-number order.
const std::vector<const FieldDescriptor*>& WritableFields() {
  static const auto* fields = [] {
    auto* out = new std::vector<const FieldDescriptor*>;
    const auto* descriptor = v1::Legislation::descriptor();
    for (int i = 0; i < descriptor->field_count(); ++i) {
      if (!OutputOnlyFields().count(descriptor->field(i)->name())) {
        out->push_back(descriptor->field(i));
      }
    }
    return out;
  }();
  return *fields;
}

bool IsPopulated(const v1::Legislation& l, const FieldDescriptor* f) {
  const auto* r = l.GetReflection();
  return f->is_repeated() ? r->FieldSize(l, f) > 0 : r->HasField(l, f);
}

// Names of the writable top-level fields that differ.
std::vector<std::string> ChangedFields(const v1::Legislation& before,
                                       const v1::Legislation& after) {
  std::vector<std::string> changed;
  for (const FieldDescriptor* f : WritableFields()) {
    FieldMask one;
    one.add_paths(f->name());
    v1::Legislation a, b;
    FieldMaskUtil::MergeMessageTo(before, one, {}, &a);
    FieldMaskUtil::MergeMessageTo(after, one, {}, &b);
    if (!MessageDifferencer::Equals(a, b)) changed.push_back(f->name());
  }
  return changed;
}

Write MakeWrite(v1::ChangeKind kind, int64_t expected_revision,
                const v1::Legislation& record,
                std::vector<std::string> changed_fields,
                absl::string_view actor, absl::Time time,
                const IdempotentWrite& idempotent, std::string response) {
  Write w;
  w.kind = kind;
  w.name = record.name();
  w.expected_revision = expected_revision;
  w.record = record;
  w.changed_fields = std::move(changed_fields);
  w.actor = std::string(actor);
  w.time = time;
  w.request_id = idempotent.request_id();
  w.request = idempotent.Key(std::move(response));
  return w;
}

absl::StatusOr<v1::Legislation> ParseResponse(const std::string& bytes) {
  v1::Legislation out;
  if (!out.ParseFromString(bytes)) {
    return absl::DataLossError("cannot parse a stored response");
  }
  return out;
}

void ClearOutputOnly(v1::Legislation& l) {
  l.clear_name();
  l.clear_entity();
  l.clear_etag();
  l.clear_create_time();
  l.clear_update_time();
}

// Requires every present fact to say where it comes from.
template <typename Fact>
void RequireSources(const Fact& fact, const std::string& path,
                    FieldViolations& v) {
  if (fact.sources().empty()) {
    v.Add(FieldPath(path, "sources"),
          "each fact needs its provenance (document symbol, paragraph or "
          "footnote)");
  }
}

void ValidateTreaty(const v1::TreatyParticipation& t, const std::string& path,
                    FieldViolations& v) {
  RequireSources(t, path, v);
  const bool consented = t.status() == v1::TREATY_STATUS_RATIFIED ||
                         t.status() == v1::TREATY_STATUS_ACCEDED ||
                         t.status() == v1::TREATY_STATUS_SIGNED_OR_RATIFIED;
  if (t.has_consent_date() && !consented) {
    v.Add(FieldPath(path, "consent_date"),
          "a ratification or accession date needs status RATIFIED, ACCEDED "
          "or SIGNED_OR_RATIFIED");
  }
  if (t.has_signature_date() && t.has_consent_date() &&
      PartialDateBefore(t.consent_date(), t.signature_date())) {
    v.Add(FieldPath(path, "consent_date"), "is before signature_date");
  }
}

void ValidateLaw(const v1::Law& law, const std::string& path,
                 FieldViolations& v) {
  RequireSources(law, path, v);
  if (law.has_year() && (law.year() < kMinYear || law.year() > kMaxYear)) {
    v.Add(FieldPath(path, "year"),
          absl::StrCat(law.year(), " is outside ", kMinYear, "-", kMaxYear));
  }
  if (law.has_group_provisions()) {
    const v1::GroupProvisions& g = law.group_provisions();
    const std::string group = FieldPath(path, "group_provisions");
    RequireSources(g, group, v);
    if (g.provisions().empty()) {
      v.Add(FieldPath(group, "provisions"), "at least one provision");
    }
    std::set<int> seen;
    for (int i = 0; i < g.provisions_size(); ++i) {
      if (!seen.insert(g.provisions(i)).second) {
        v.Add(ElementPath(FieldPath(group, "provisions"), i), "repeated");
      }
    }
  }
}

// Imprisonment bounds within 0-kMaxImprisonmentMonths, minimum not above
// maximum; `path` is the message holding them.
template <typename Range>
void ValidateImprisonment(const Range& r, const std::string& path,
                          FieldViolations& v) {
  for (auto [has, months, field] :
       {std::tuple{r.has_min_imprisonment_months(), r.min_imprisonment_months(),
                   "min_imprisonment_months"},
        std::tuple{r.has_max_imprisonment_months(), r.max_imprisonment_months(),
                   "max_imprisonment_months"}}) {
    if (has && (months < 0 || months > kMaxImprisonmentMonths)) {
      v.Add(FieldPath(path, field),
            absl::StrCat(months, " months is outside 0-",
                         kMaxImprisonmentMonths));
    }
  }
  if (r.has_min_imprisonment_months() && r.has_max_imprisonment_months() &&
      r.min_imprisonment_months() > r.max_imprisonment_months()) {
    v.Add(FieldPath(path, "min_imprisonment_months"),
          absl::StrCat("minimum ", r.min_imprisonment_months(),
                       " months is above maximum ",
                       r.max_imprisonment_months()));
  }
}

void ValidateGroupRange(const v1::PenaltyRange& r, const std::string& path,
                        FieldViolations& v) {
  RequireSources(r, path, v);
  ValidateImprisonment(r, path, v);
  if (!r.has_fine_from() && !r.has_min_imprisonment_months() &&
      !r.has_max_imprisonment_months() && !r.has_confiscation()) {
    v.Add(path, "a range states at least one of fine_from, "
                "min_imprisonment_months, max_imprisonment_months, "
                "confiscation");
  }
}

void ValidateImplementationMeasure(const v1::ImplementationMeasure& m,
                                   const std::string& path,
                                   FieldViolations& v) {
  RequireSources(m, path, v);
  if (m.kind() == v1::IMPLEMENTATION_MEASURE_KIND_UNSPECIFIED) {
    v.Add(FieldPath(path, "kind"), "required");
  }
}

bool IsProtectionKind(v1::LawKind kind) {
  return kind == v1::LAW_KIND_WITNESS_PROTECTION ||
         kind == v1::LAW_KIND_VICTIM_PROTECTION ||
         kind == v1::LAW_KIND_WITNESS_OR_VICTIM_PROTECTION;
}

absl::StatusOr<int64_t> RevisionOfToken(absl::string_view token,
                                        absl::string_view query) {
  absl::StatusOr<std::string> last = DecodePageToken(token, query);
  if (!last.ok()) return last.status();
  if (last->empty()) return 0;
  int64_t revision;
  if (!absl::SimpleAtoi(*last, &revision) || revision <= 0) {
    return InvalidField("page_token", "not a revision page token");
  }
  return revision;
}

}  // namespace

void LegislationDomain::ValidateContent(const v1::Legislation& l,
                                        absl::string_view prefix_view,
                                        FieldViolations& v) {
  const std::string prefix(prefix_view);
  auto path = [&prefix](absl::string_view field) {
    return FieldPath(prefix, field);
  };
  // An oversized list was named; its elements are not checked one by one.
  if (!ValidateCommonTypes(l, prefix, v)) return;

  if (l.has_protocol()) ValidateTreaty(l.protocol(), path("protocol"), v);
  if (l.has_crc_optional_protocol()) {
    ValidateTreaty(l.crc_optional_protocol(), path("crc_optional_protocol"), v);
  }
  if (l.has_domestic_offences_cover_trafficking()) {
    RequireSources(l.domestic_offences_cover_trafficking(),
                   path("domestic_offences_cover_trafficking"), v);
  }
  if (l.has_specific_law()) {
    ValidateLaw(l.specific_law(), path("specific_law"), v);
    const v1::LawKind kind = l.specific_law().kind();
    if (kind != v1::LAW_KIND_UNSPECIFIED &&
        kind != v1::LAW_KIND_ANTI_TRAFFICKING) {
      v.Add(path("specific_law.kind"),
            "the specific law is LAW_KIND_ANTI_TRAFFICKING; put other laws in "
            "other_laws or protection_laws");
    }
  }
  for (int i = 0; i < l.other_laws_size(); ++i) {
    const std::string item = ElementPath(path("other_laws"), i);
    ValidateLaw(l.other_laws(i), item, v);
    if (IsProtectionKind(l.other_laws(i).kind())) {
      v.Add(FieldPath(item, "kind"), "protection laws go in protection_laws");
    }
  }
  for (int i = 0; i < l.quality_notes_size(); ++i) {
    const std::string item = ElementPath(path("quality_notes"), i);
    if (l.quality_notes(i).kind() ==
        common::v1::QUALITY_NOTE_KIND_UNSPECIFIED) {
      v.Add(FieldPath(item, "kind"), "required");
    }
    if (l.quality_notes(i).text().empty()) {
      v.Add(FieldPath(item, "text"), "required");
    }
  }
  for (int i = 0; i < l.protection_laws_size(); ++i) {
    const std::string item = ElementPath(path("protection_laws"), i);
    ValidateLaw(l.protection_laws(i), item, v);
    if (!IsProtectionKind(l.protection_laws(i).kind())) {
      v.Add(FieldPath(item, "kind"),
            "a protection law is WITNESS_PROTECTION, VICTIM_PROTECTION or "
            "WITNESS_OR_VICTIM_PROTECTION");
    }
  }
  if (l.has_exploitation_coverage()) {
    RequireSources(l.exploitation_coverage(), path("exploitation_coverage"), v);
  }
  if (l.has_penalties()) {
    const v1::Penalties& p = l.penalties();
    RequireSources(p, path("penalties"), v);
    ValidateImprisonment(p, path("penalties"), v);
    if (p.has_group_range()) {
      ValidateGroupRange(p.group_range(), path("penalties.group_range"), v);
    }
  }
  if (l.has_aggravating_circumstances()) {
    const auto& a = l.aggravating_circumstances();
    RequireSources(a, path("aggravating_circumstances"), v);
    if (a.has_age_of_majority() &&
        (a.age_of_majority() < 12 || a.age_of_majority() > 21)) {
      v.Add(path("aggravating_circumstances.age_of_majority"),
            absl::StrCat(a.age_of_majority(), " is outside 12-21"));
    }
  }
  if (l.has_user_liability()) {
    RequireSources(l.user_liability(), path("user_liability"), v);
  }
  if (l.has_money_laundering_predicate()) {
    RequireSources(l.money_laundering_predicate(),
                   path("money_laundering_predicate"), v);
  }
  if (l.has_associated_offences()) {
    RequireSources(l.associated_offences(), path("associated_offences"), v);
  }
  for (int i = 0; i < l.implementation_measures_size(); ++i) {
    ValidateImplementationMeasure(
        l.implementation_measures(i),
        ElementPath(path("implementation_measures"), i), v);
  }
}

absl::StatusOr<common::v1::ReportingEntity> LegislationDomain::EntityOfName(
    absl::string_view name, absl::string_view field) const {
  absl::string_view entity;
  if (!EntityOfLegislationName(name, &entity)) {
    return InvalidField(
        std::string(field),
        absl::StrCat("\"", Abbreviate(name),
                     "\" is not countries/{alpha3}/legislation or "
                     "organizations/{id}/legislation"));
  }
  return entities_.Resolve(entity, field);
}

absl::StatusOr<std::string> LegislationDomain::RunWrite(
    const IdempotentWrite& write, bool guarded,
    const std::function<absl::StatusOr<Answer>()>& attempt,
    int64_t* sequence) {
  // The latest committed sequence: what a replay or a no-op reports.
  auto latest = [&](std::string response) -> absl::StatusOr<std::string> {
    if (sequence == nullptr) return response;
    absl::StatusOr<ChangeBounds> bounds = store_.Changes().Bounds();
    if (!bounds.ok()) return bounds.status();
    *sequence = bounds->latest;
    return response;
  };
  absl::StatusOr<std::optional<std::string>> replay = write.Replay(store_);
  if (!replay.ok()) return replay.status();
  if (replay->has_value()) return latest(**std::move(replay));

  absl::StatusOr<Answer> answer = RetryOnAborted(guarded, attempt);
  if (!answer.ok()) {
    absl::StatusOr<std::string> settled =
        write.Settle(store_, answer.status());
    if (!settled.ok()) return settled.status();
    return latest(*std::move(settled));
  }
  if (answer->sequence == 0) return latest(std::move(answer->response));
  if (sequence != nullptr) *sequence = answer->sequence;
  return std::move(answer->response);
}

absl::StatusOr<LegislationDomain::Answer> LegislationDomain::Commit(
    const IdempotentWrite& write, const Write& change) {
  absl::StatusOr<ApplyResult> result = store_.Apply(change);
  if (!result.ok()) return result.status();
  if (result->earlier.has_value()) {
    // A concurrent retry committed the same request id first.
    absl::StatusOr<std::string> earlier = write.Answer(*result->earlier);
    if (!earlier.ok()) return earlier.status();
    return Answer{*std::move(earlier), 0};
  }
  return Answer{change.request.response, result->sequence};
}

absl::StatusOr<v1::Legislation> LegislationDomain::Get(
    const v1::GetLegislationRequest& request) {
  if (auto entity = EntityOfName(request.name(), "name"); !entity.ok()) {
    return entity.status();
  }
  absl::StatusOr<StoredRecord> stored = GetLive(request.name());
  if (!stored.ok()) return stored.status();
  return std::move(stored->record);
}

absl::StatusOr<v1::ListLegislationsResponse> LegislationDomain::List(
    const v1::ListLegislationsRequest& request) {
  FieldViolations violations;
  absl::StatusOr<int> page_size = EffectivePageSize(request.page_size());
  violations.AddAll(page_size.status(), "page_size");
  absl::StatusOr<Filter> filter =
      Filter::Compile(request.filter(), v1::Legislation::descriptor());
  violations.AddAll(filter.status(), "filter");
  absl::StatusOr<std::string> after =
      DecodePageToken(request.page_token(), request.filter());
  violations.AddAll(after.status(), "page_token");
  if (!violations.empty()) return violations.ToStatus();

  absl::StatusOr<std::vector<StoredRecord>> all = store_.ListLive("");
  if (!all.ok()) return all.status();
  v1::ListLegislationsResponse response;
  int total = 0;
  PageBudget page(*page_size);
  for (StoredRecord& r : *all) {
    if (!filter->Matches(r.record)) continue;
    ++total;
    if (r.record.name() <= *after) continue;
    if (page.Admit(r.record)) {
      *response.add_legislations() = std::move(r.record);
    } else if (response.next_page_token().empty()) {
      const auto& last =
          response.legislations(response.legislations_size() - 1);
      response.set_next_page_token(
          EncodePageToken(request.filter(), last.name()));
    }
  }
  response.set_total_size(total);
  return response;
}

absl::StatusOr<v1::Legislation> LegislationDomain::Create(
    const v1::CreateLegislationRequest& request, absl::string_view actor,
    int64_t* sequence) {
  FieldViolations violations;
  absl::StatusOr<common::v1::ReportingEntity> entity =
      entities_.Resolve(request.parent(), "parent");
  violations.AddAll(entity.status(), "parent");
  const std::string name = LegislationName(request.parent());
  if (!request.legislation().name().empty() &&
      request.legislation().name() != name) {
    violations.Add("legislation.name",
                   absl::StrCat("must be empty or \"", Abbreviate(name), "\""));
  }
  ValidateContent(request.legislation(), "legislation", violations);
  ValidateRequestId(request.request_id(), violations);
  if (!violations.empty()) return violations.ToStatus();

  const IdempotentWrite write(
      request.request_id(), RequestFingerprint("legislation.create", request));
  // Never redone: a record created meanwhile is ALREADY_EXISTS.
  absl::StatusOr<std::string> answer = RunWrite(
      write, /*guarded=*/true,
      [&]() -> absl::StatusOr<Answer> {
        absl::StatusOr<std::optional<StoredRecord>> existing =
            store_.Get(name);
        if (!existing.ok()) return existing.status();
        if (existing->has_value() && !(*existing)->deleted) {
          return AlreadyExistsError(kLegislationType, name);
        }
        const int64_t revision =
            existing->has_value() ? (*existing)->revision : 0;

        v1::Legislation out = request.legislation();
        ClearOutputOnly(out);
        out.DiscardUnknownFields();
        out.set_name(name);
        *out.mutable_entity() = *entity;
        out.set_etag(EtagFor(revision + 1));
        const absl::Time now = clock_();
        *out.mutable_create_time() =
            TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(now));
        *out.mutable_update_time() = out.create_time();
        FieldViolations size;
        ValidateRecordSize(out, "legislation", size);
        if (!size.empty()) return size.ToStatus();

        std::vector<std::string> populated;
        for (const FieldDescriptor* f : WritableFields()) {
          if (IsPopulated(out, f)) populated.push_back(f->name());
        }
        absl::StatusOr<Answer> created =
            Commit(write, MakeWrite(v1::CHANGE_KIND_CREATE, revision, out,
                                    std::move(populated), actor, now, write,
                                    out.SerializeAsString()));
        // Someone created it between our read and our write.
        if (created.status().code() == absl::StatusCode::kAborted) {
          return AlreadyExistsError(kLegislationType, name);
        }
        return created;
      },
      sequence);
  if (!answer.ok()) return answer.status();
  return ParseResponse(*answer);
}

absl::StatusOr<v1::Legislation> LegislationDomain::Update(
    const v1::UpdateLegislationRequest& request, absl::string_view actor,
    int64_t* sequence) {
  FieldViolations violations;
  const std::string& name = request.legislation().name();
  violations.AddAll(EntityOfName(name, "legislation.name").status(),
                    "legislation.name");
  FieldMask mask = request.update_mask();
  const bool replace_all = mask.paths_size() == 1 && mask.paths(0) == "*";
  if (replace_all || mask.paths().empty()) {
    // "*" replaces every writable field; no mask means every field the
    // request populates (AIP-134).
    mask.clear_paths();
    for (const FieldDescriptor* f : WritableFields()) {
      if (replace_all || IsPopulated(request.legislation(), f)) {
        mask.add_paths(f->name());
      }
    }
  } else {
    for (int i = 0; i < mask.paths_size(); ++i) {
      const std::string& p = mask.paths(i);
      const std::string item = absl::StrCat("update_mask.paths[", i, "]");
      std::vector<const FieldDescriptor*> fields;
      if (!FieldMaskUtil::GetFieldDescriptors(v1::Legislation::descriptor(), p,
                                              &fields)) {
        violations.Add(item, absl::StrCat("\"", Abbreviate(p),
                                          "\" is not a field of Legislation"));
      } else if (OutputOnlyFields().count(fields.front()->name())) {
        violations.Add(item,
                       absl::StrCat("\"", Abbreviate(p), "\" is output only"));
      }
    }
  }
  ValidateRequestId(request.request_id(), violations);
  if (!violations.empty()) return violations.ToStatus();

  const IdempotentWrite write(
      request.request_id(), RequestFingerprint("legislation.update", request));
  const std::string& sent_etag = request.legislation().etag();
  // Without an etag the caller asked for a merge: redone on the revision a
  // concurrent write made.
  bool lost_race = false;
  absl::StatusOr<std::string> answer = RunWrite(
      write, /*guarded=*/!sent_etag.empty(),
      [&]() -> absl::StatusOr<Answer> {
        absl::StatusOr<StoredRecord> current = GetLive(name);
        if (!current.ok()) return current.status();
        if (!sent_etag.empty() && sent_etag != current->record.etag()) {
          return EtagMismatchError(name, sent_etag, current->record.etag());
        }
        v1::Legislation out = current->record;
        FieldMaskUtil::MergeOptions options;
        options.set_replace_message_fields(true);
        options.set_replace_repeated_fields(true);
        FieldMaskUtil::MergeMessageTo(request.legislation(), mask, options,
                                      &out);
        out.DiscardUnknownFields();
        FieldViolations invalid;
        ValidateContent(out, "legislation", invalid);
        if (!invalid.empty()) return invalid.ToStatus();

        std::vector<std::string> changed = ChangedFields(current->record, out);
        if (changed.empty()) {
          // Nothing to write, but the id is taken for this request.
          absl::StatusOr<std::string> recorded =
              write.RecordNoOp(store_, current->record.SerializeAsString());
          if (!recorded.ok()) return recorded.status();
          return Answer{*std::move(recorded), 0};
        }

        const absl::Time now = clock_();
        out.set_etag(EtagFor(current->revision + 1));
        *out.mutable_update_time() =
            TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(now));
        ValidateRecordSize(out, "legislation", invalid);
        if (!invalid.empty()) return invalid.ToStatus();
        absl::StatusOr<Answer> updated =
            Commit(write, MakeWrite(v1::CHANGE_KIND_UPDATE, current->revision,
                                    out, std::move(changed), actor, now, write,
                                    out.SerializeAsString()));
        lost_race = updated.status().code() == absl::StatusCode::kAborted;
        return updated;
      },
      sequence);
  // A concurrent write came between our read and our write, every time.
  if (lost_race && answer.status().code() == absl::StatusCode::kAborted) {
    return ConflictError(name, sent_etag);
  }
  if (!answer.ok()) return answer.status();
  return ParseResponse(*answer);
}

absl::Status LegislationDomain::Delete(
    const v1::DeleteLegislationRequest& request, absl::string_view actor,
    int64_t* sequence) {
  FieldViolations violations;
  violations.AddAll(EntityOfName(request.name(), "name").status(), "name");
  ValidateRequestId(request.request_id(), violations);
  if (!violations.empty()) return violations.ToStatus();

  const IdempotentWrite write(
      request.request_id(), RequestFingerprint("legislation.delete", request));
  bool lost_race = false;
  absl::StatusOr<std::string> answer = RunWrite(
      write, /*guarded=*/!request.etag().empty(),
      [&]() -> absl::StatusOr<Answer> {
        absl::StatusOr<StoredRecord> current = GetLive(request.name());
        if (!current.ok()) return current.status();
        if (!request.etag().empty() &&
            request.etag() != current->record.etag()) {
          return EtagMismatchError(request.name(), request.etag(),
                                   current->record.etag());
        }
        absl::StatusOr<Answer> deleted = Commit(
            write, MakeWrite(v1::CHANGE_KIND_DELETE, current->revision,
                             current->record, {}, actor, clock_(), write,
                             google::protobuf::Empty().SerializeAsString()));
        lost_race = deleted.status().code() == absl::StatusCode::kAborted;
        return deleted;
      },
      sequence);
  if (lost_race && answer.status().code() == absl::StatusCode::kAborted) {
    return ConflictError(request.name(), request.etag());
  }
  return answer.status();
}

absl::StatusOr<StoredRecord> LegislationDomain::GetLive(
    absl::string_view name) {
  absl::StatusOr<std::optional<StoredRecord>> stored = store_.Get(name);
  if (!stored.ok()) return stored.status();
  if (!stored->has_value() || (*stored)->deleted) {
    return NotFoundError(kLegislationType, name);
  }
  return **std::move(stored);
}

absl::Status LegislationDomain::ConflictError(absl::string_view name,
                                              absl::string_view sent_etag) {
  absl::StatusOr<StoredRecord> current = GetLive(name);
  if (!current.ok()) return current.status();
  return EtagMismatchError(name, sent_etag.empty() ? "(none)" : sent_etag,
                           current->record.etag());
}

absl::StatusOr<v1::ListLegislationRevisionsResponse>
LegislationDomain::ListRevisions(
    const v1::ListLegislationRevisionsRequest& request) {
  FieldViolations violations;
  violations.AddAll(EntityOfName(request.name(), "name").status(), "name");
  absl::StatusOr<int> page_size = EffectivePageSize(request.page_size());
  violations.AddAll(page_size.status(), "page_size");
  absl::StatusOr<int64_t> before =
      RevisionOfToken(request.page_token(), request.name());
  violations.AddAll(before.status(), "page_token");
  if (!violations.empty()) return violations.ToStatus();

  // One more than a page tells whether another page follows.
  absl::StatusOr<std::vector<v1::LegislationRevision>> revisions =
      store_.ListRevisions(request.name(), *before, *page_size + 1);
  if (!revisions.ok()) return revisions.status();
  if (revisions->empty() && *before == 0) {
    return NotFoundError(kLegislationType, request.name());
  }
  v1::ListLegislationRevisionsResponse response;
  PageBudget page(*page_size);
  for (auto& r : *revisions) {
    if (!page.Admit(r)) {
      response.set_next_page_token(EncodePageToken(
          request.name(),
          absl::StrCat(response.revisions(response.revisions_size() - 1)
                           .revision_id())));
      break;
    }
    *response.add_revisions() = std::move(r);
  }
  return response;
}

}  // namespace palermo::legislation
