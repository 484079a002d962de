// The reporting service's rules (reporting_domain.h).
#include "services/reporting/reporting_domain.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <limits>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/common/bounds.h"
#include "services/common/filter.h"
#include "services/common/idempotency.h"
#include "services/common/limits.h"
#include "services/common/pagination.h"
#include "services/common/periods.h"
#include "services/common/validation.h"
#include "services/reporting/directives.h"
#include "services/reporting/findings.h"
#include "services/reporting/language.h"
#include "services/reporting/client/reporting_names.h"
#include "services/reporting/report.h"

namespace palermo::reporting {
namespace {

using google::protobuf::FieldMask;
using google::protobuf::util::TimeUtil;

bool ValidLanguageTag(absl::string_view tag) {
  if (tag.size() < 2 || tag.size() > 3) return false;
  for (char c : tag) {
    if (c < 'a' || c > 'z') return false;
  }
  return true;
}

void ValidateTexts(
    const google::protobuf::RepeatedPtrField<v1::LocalizedText>& texts,
    const std::string& path, bool required, FieldViolations& v) {
  if (required && texts.empty()) {
    v.Add(path, "required: the text in at least one language");
  }
  std::set<std::string> seen;
  for (int i = 0; i < texts.size(); ++i) {
    const std::string at = ElementPath(path, i);
    if (!ValidLanguageTag(texts[i].language())) {
      v.Add(FieldPath(at, "language"),
            absl::StrCat("\"", Abbreviate(texts[i].language()),
                         "\" is not a BCP 47 language code such as fr or en"));
    } else if (!seen.insert(texts[i].language()).second) {
      v.Add(FieldPath(at, "language"), "given twice");
    }
    if (texts[i].text().empty()) v.Add(FieldPath(at, "text"), "required");
  }
}

// The mask an update applies: the fields it writes (record_collection.h); a path
// naming an output-only field is INVALID_ARGUMENT on its index.
absl::StatusOr<FieldMask> WritableMask(const google::protobuf::Message& input,
                                       const FieldMask& asked,
                                       const std::set<std::string>& output_only) {
  FieldViolations v;
  for (int i = 0; i < asked.paths_size(); ++i) {
    const std::string& path = asked.paths(i);
    if (output_only.count(path.substr(0, path.find('.'))) > 0) {
      v.Add(absl::StrCat("update_mask.paths[", i, "]"),
            absl::StrCat("\"", Abbreviate(path),
                         "\" is output only: the service sets it"));
    }
  }
  if (!v.empty()) return v.ToStatus();
  return WrittenFields(input, asked, output_only);
}

bool MaskHas(const FieldMask& mask, absl::string_view path) {
  for (const std::string& p : mask.paths()) {
    if (p == path) return true;
  }
  return false;
}

const std::set<std::string> kCycleOutputOnly = {"name", "etag", "create_time",
                                                "update_time"};
const std::set<std::string> kResponseOutputOnly = {
    "name", "entity", "timeliness", "etag", "create_time", "update_time"};

}  // namespace

ReportingDomain::ReportingDomain(RecordStore& store,
                                 const EntityRegistry& entities,
                                 const EntityNames& names, FactSource& facts,
                                 Clock clock)
    : store_(store),
      entities_(entities),
      names_(names),
      facts_(facts),
      clock_(clock),
      cycles_(store, kCyclesTable,
              [this](const v1::Cycle& c, absl::string_view p,
                     FieldViolations& v) { Validate(c, p, v); },
              clock),
      responses_(store, kResponsesTable,
                 [this](const v1::Response& r, absl::string_view p,
                        FieldViolations& v) { Validate(r, p, v); },
                 clock),
      blocks_(store, kBlocksTable,
              [this](const v1::NarrativeBlock& b, absl::string_view p,
                     FieldViolations& v) { Validate(b, p, v); },
              clock),
      versions_(store, kVersionsTable,
                [](const v1::ReportVersion&, absl::string_view,
                   FieldViolations&) {},
                clock) {
  versions_.set_max_record_bytes(kMaxReportVersionBytes);
}

// ---------------------------------------------------------------------------
// Validation.

void ReportingDomain::Validate(const v1::Cycle& c, absl::string_view prefix,
                               FieldViolations& v) const {
  if (!ValidateCommonTypes(c, prefix, v)) return;
  const std::string p(prefix);
  if (c.mandate().resolution_symbol().empty()) {
    v.Add(FieldPath(p, "mandate.resolution_symbol"),
          "required, e.g. 2006/27");
  }
  ValidateTexts(c.mandate().adopted_by(), FieldPath(p, "mandate.adopted_by"),
                false, v);
  ValidateTexts(c.mandate().title(), FieldPath(p, "mandate.title"), true, v);
  ValidateTexts(c.requesting_body().names(),
                FieldPath(p, "requesting_body.names"), false, v);
  ValidateTexts(c.receiving_body().names(),
                FieldPath(p, "receiving_body.names"), false, v);
  ValidateTexts(c.session_body().names(), FieldPath(p, "session_body.names"),
                false, v);
  ValidateTexts(c.report_title(), FieldPath(p, "report_title"), false, v);
  if (c.session_number() < 0 || c.session_number() > 1000) {
    v.Add(FieldPath(p, "session_number"), "0 (unknown) to 1000");
  }
  if (!c.has_note_verbale_date()) {
    v.Add(FieldPath(p, "note_verbale_date"),
          "required: the date the note verbale was sent");
  } else {
    if (c.has_deadline() &&
        PartialDateBefore(c.deadline(), c.note_verbale_date())) {
      v.Add(FieldPath(p, "deadline"), "before the note verbale's date");
    }
    if (c.has_cutoff_date() &&
        PartialDateBefore(c.cutoff_date(), c.note_verbale_date())) {
      v.Add(FieldPath(p, "cutoff_date"), "before the note verbale's date");
    }
    if (c.has_document_date() &&
        PartialDateBefore(c.document_date(), c.note_verbale_date())) {
      v.Add(FieldPath(p, "document_date"), "before the note verbale's date");
    }
  }
  if (!c.original_language().empty() &&
      !ValidLanguageTag(c.original_language())) {
    v.Add(FieldPath(p, "original_language"),
          absl::StrCat("\"", Abbreviate(c.original_language()),
                       "\" is not a BCP 47 language code such as en"));
  }
  if (c.status() == v1::CYCLE_STATUS_UNSPECIFIED) {
    v.Add(FieldPath(p, "status"), "required: OPEN, CLOSED or PUBLISHED");
  }
}

void ReportingDomain::Validate(const v1::Response& r, absl::string_view prefix,
                               FieldViolations& v) const {
  if (!ValidateCommonTypes(r, prefix, v)) return;
  const std::string p(prefix);
  if (!r.language().empty() && !ValidLanguageTag(r.language())) {
    v.Add(FieldPath(p, "language"),
          absl::StrCat("\"", Abbreviate(r.language()),
                       "\" is not a BCP 47 language code such as fr"));
  }
  for (int i = 0; i < r.sources_size(); ++i) {
    const std::string cycle = r.name().substr(0, r.name().find("/responses/"));
    if (!r.sources(i).cycle().empty() && r.sources(i).cycle() != cycle) {
      v.Add(FieldPath(ElementPath(FieldPath(p, "sources"), i), "cycle"),
            absl::StrCat("must be the response's cycle, ", cycle));
    }
  }
}

void ReportingDomain::Validate(const v1::NarrativeBlock& b,
                               absl::string_view prefix,
                               FieldViolations& v) const {
  if (!ValidateCommonTypes(b, prefix, v)) return;
  const std::string p(prefix);
  if (b.section() == v1::REPORT_SECTION_UNSPECIFIED) {
    v.Add(FieldPath(p, "section"), "required");
  }
  if (b.kind() == v1::BLOCK_KIND_UNSPECIFIED) {
    v.Add(FieldPath(p, "kind"), "required: PARAGRAPH, HEADING or FOOTNOTE");
  }
  if (!ParseLanguage(b.language(), FieldPath(p, "language")).ok()) {
    v.Add(FieldPath(p, "language"),
          absl::StrCat("\"", Abbreviate(b.language()),
                       "\" is not a report language: fr or en"));
  }
  if (b.position() < 0) v.Add(FieldPath(p, "position"), "must not be negative");
  if (b.text().empty()) {
    v.Add(FieldPath(p, "text"), "required");
  } else if (absl::StatusOr<std::vector<Piece>> pieces =
                 ParseBlockText(b.text(), FieldPath(p, "text"));
             !pieces.ok()) {
    v.AddAll(pieces.status(), FieldPath(p, "text"));
  } else if (b.kind() == v1::BLOCK_KIND_FOOTNOTE) {
    for (const Piece& piece : *pieces) {
      if (piece.is_directive && piece.directive.footnote) {
        v.Add(FieldPath(p, "text"), "a footnote cannot call a footnote");
      }
    }
  }
}

// ---------------------------------------------------------------------------
// Cycles.

absl::StatusOr<v1::Cycle> ReportingDomain::ExistingCycle(
    const std::string& name, absl::string_view field) {
  absl::StatusOr<std::string> parsed = ParseCycleName(name, field);
  if (!parsed.ok()) return parsed.status();
  return cycles_.Get(name);
}

absl::StatusOr<v1::Cycle> ReportingDomain::GetCycle(
    const v1::GetCycleRequest& r) {
  return ExistingCycle(r.name(), "name");
}

absl::StatusOr<v1::ListCyclesResponse> ReportingDomain::ListCycles(
    const v1::ListCyclesRequest& r) {
  v1::ListCyclesResponse response;
  auto page = cycles_.ListPage("cycles/", r.filter(), r.page_size(),
                               r.page_token(), r.filter(),
                               response.mutable_next_page_token());
  if (!page.ok()) return page.status();
  for (auto& c : *page) *response.add_cycles() = std::move(c);
  return response;
}

absl::StatusOr<v1::Cycle> ReportingDomain::CreateCycle(
    const v1::CreateCycleRequest& r, int64_t* sequence) {
  FieldViolations v;
  v1::Cycle cycle = r.cycle();
  if (!ValidResourceId(r.cycle_id())) {
    v.Add("cycle_id", "1-63 of a-z, 0-9 and -, starting with a letter");
  }
  cycle.set_name(CycleName(r.cycle_id()));
  cycle.clear_etag();
  *cycle.mutable_create_time() = TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(clock_()));
  cycle.clear_update_time();
  Validate(cycle, "cycle", v);
  ValidateRequestId(r.request_id(), v);
  if (!v.empty()) return v.ToStatus();
  return cycles_.Create(std::move(cycle), "cycle", r.request_id(),
                        RequestFingerprint("reporting.create.Cycle", r),
                        sequence);
}

absl::StatusOr<v1::Cycle> ReportingDomain::UpdateCycle(
    const v1::UpdateCycleRequest& r, int64_t* sequence) {
  FieldViolations v;
  v.AddAll(ParseCycleName(r.cycle().name(), "cycle.name").status(),
           "cycle.name");
  ValidateRequestId(r.request_id(), v);
  if (!v.empty()) return v.ToStatus();
  absl::StatusOr<FieldMask> mask =
      WritableMask(r.cycle(), r.update_mask(), kCycleOutputOnly);
  if (!mask.ok()) return mask.status();
  absl::StatusOr<v1::Cycle> updated = cycles_.Update(
      r.cycle(), *mask, "cycle", r.request_id(),
      RequestFingerprint("reporting.update.Cycle", r), sequence);
  if (!updated.ok()) return updated;
  // The responses' timeliness follows the cycle's dates as they are now (a
  // retry's answer may be older).
  absl::StatusOr<v1::Cycle> current = cycles_.Get(updated->name());
  if (!current.ok()) return current.status();
  absl::StatusOr<std::vector<v1::Response>> responses =
      responses_.All(absl::StrCat(updated->name(), "/responses/"));
  if (!responses.ok()) return responses.status();
  for (v1::Response& response : *responses) {
    const v1::Timeliness before = response.timeliness();
    Derive(*current, response);
    if (response.timeliness() == before) continue;
    FieldMask only;
    only.add_paths("timeliness");
    v1::Response change;
    change.set_name(response.name());
    change.set_timeliness(response.timeliness());
    int64_t followed = 0;
    if (auto s = responses_.Update(change, only, "response", "", "",
                                   sequence != nullptr ? &followed : nullptr);
        !s.ok()) {
      return s.status();
    }
    if (sequence != nullptr) *sequence = std::max(*sequence, followed);
  }
  return updated;
}

absl::Status ReportingDomain::DeleteCycle(const v1::DeleteCycleRequest& r,
                                          int64_t* sequence) {
  FieldViolations v;
  v.AddAll(ParseCycleName(r.name(), "name").status(), "name");
  ValidateRequestId(r.request_id(), v);
  if (!v.empty()) return v.ToStatus();
  for (auto* collection : {kResponses, kBlocks, kVersions}) {
    const std::string prefix = absl::StrCat(r.name(), "/", collection, "/");
    size_t count = 0;
    if (collection == kResponses) {
      auto all = responses_.All(prefix);
      if (!all.ok()) return all.status();
      count = all->size();
    } else if (collection == kBlocks) {
      auto all = blocks_.All(prefix);
      if (!all.ok()) return all.status();
      count = all->size();
    } else {
      auto all = versions_.All(prefix);
      if (!all.ok()) return all.status();
      count = all->size();
    }
    if (count > 0) {
      return absl::FailedPreconditionError(absl::StrCat(
          r.name(), " still has ", count, " ", collection,
          "; delete them first"));
    }
  }
  return cycles_.Delete(r.name(), r.etag(), r.request_id(),
                        RequestFingerprint("reporting.delete.Cycle", r),
                        sequence);
}

// ---------------------------------------------------------------------------
// Responses.

void ReportingDomain::Derive(const v1::Cycle& cycle,
                             v1::Response& response) const {
  absl::StatusOr<ChildName> name =
      ParseChildName(response.name(), kResponses, "name");
  if (name.ok()) response.set_entity(entities_.EntityOfId(name->id));
  // A date at month or year precision covers its days: received "January
  // 2008" is after a cut-off of 24 January 2008 only if all of it is.
  const auto received = [&] { return FirstDay(response.received_date()); };
  if (!response.has_received_date()) {
    response.set_timeliness(v1::TIMELINESS_UNSPECIFIED);
  } else if (cycle.has_deadline() && received() <= LastDay(cycle.deadline())) {
    response.set_timeliness(v1::TIMELINESS_BY_DEADLINE);
  } else if (!cycle.has_cutoff_date() ||
             received() <= LastDay(cycle.cutoff_date())) {
    response.set_timeliness(v1::TIMELINESS_BY_CUTOFF);
  } else {
    response.set_timeliness(v1::TIMELINESS_AFTER_CUTOFF);
  }
}

absl::StatusOr<v1::Response> ReportingDomain::GetResponse(
    const v1::GetResponseRequest& r) {
  absl::StatusOr<ChildName> name = ParseChildName(r.name(), kResponses, "name");
  if (!name.ok()) return name.status();
  return responses_.Get(r.name());
}

absl::StatusOr<v1::ListResponsesResponse> ReportingDomain::ListResponses(
    const v1::ListResponsesRequest& r) {
  FieldViolations v;
  std::string prefix = "cycles/";
  if (r.parent() != "cycles/-") {
    absl::StatusOr<v1::Cycle> cycle = ExistingCycle(r.parent(), "parent");
    if (!cycle.ok()) return cycle.status();
    prefix = absl::StrCat(r.parent(), "/responses/");
  }
  v1::ListResponsesResponse response;
  auto page = responses_.ListPage(prefix, r.filter(), r.page_size(),
                                  r.page_token(),
                                  absl::StrCat(r.parent(), "\n", r.filter()),
                                  response.mutable_next_page_token());
  if (!page.ok()) return page.status();
  for (auto& item : *page) *response.add_responses() = std::move(item);
  return response;
}

absl::StatusOr<v1::Response> ReportingDomain::CreateResponse(
    const v1::CreateResponseRequest& r, int64_t* sequence) {
  FieldViolations v;
  v1::Response response = r.response();
  absl::StatusOr<std::string> cycle_name = ParseCycleName(r.parent(), "parent");
  v.AddAll(cycle_name.status(), "parent");
  const std::string& entity = r.response().entity();
  if (entity.empty()) {
    v.Add("response.entity", "required: who responded, e.g. countries/EST");
  } else if (!entities_.Contains(entity)) {
    v.Add("response.entity",
          absl::StrCat("\"", Abbreviate(entity),
                       "\" is not a known entity (countries/{alpha3} from "
                       "ISO 3166-1, or organizations/{id})"));
  }
  ValidateRequestId(r.request_id(), v);
  if (!v.empty()) return v.ToStatus();
  absl::StatusOr<v1::Cycle> cycle = cycles_.Get(r.parent());
  if (!cycle.ok()) return cycle.status();
  response.set_name(ResponseName(r.parent(), ResponseIdOf(entity)));
  response.clear_etag();
  response.clear_update_time();
  *response.mutable_create_time() =
      TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(clock_()));
  Derive(*cycle, response);
  Validate(response, "response", v);
  if (!v.empty()) return v.ToStatus();
  return responses_.Create(std::move(response), "response", r.request_id(),
                           RequestFingerprint("reporting.create.Response", r),
                           sequence);
}

absl::StatusOr<v1::Response> ReportingDomain::UpdateResponse(
    const v1::UpdateResponseRequest& r, int64_t* sequence) {
  FieldViolations v;
  absl::StatusOr<ChildName> name =
      ParseChildName(r.response().name(), kResponses, "response.name");
  v.AddAll(name.status(), "response.name");
  ValidateRequestId(r.request_id(), v);
  if (!v.empty()) return v.ToStatus();
  absl::StatusOr<v1::Cycle> cycle = cycles_.Get(name->cycle);
  if (!cycle.ok()) return cycle.status();
  v1::Response input = r.response();
  absl::StatusOr<FieldMask> mask =
      WritableMask(input, r.update_mask(), kResponseOutputOnly);
  if (!mask.ok()) return mask.status();
  // The received date written is the input's: its timeliness follows.
  if (MaskHas(*mask, "received_date")) {
    Derive(*cycle, input);
    mask->add_paths("timeliness");
  }
  return responses_.Update(input, *mask, "response", r.request_id(),
                           RequestFingerprint("reporting.update.Response", r),
                           sequence);
}

absl::Status ReportingDomain::DeleteResponse(
    const v1::DeleteResponseRequest& r, int64_t* sequence) {
  FieldViolations v;
  v.AddAll(ParseChildName(r.name(), kResponses, "name").status(), "name");
  ValidateRequestId(r.request_id(), v);
  if (!v.empty()) return v.ToStatus();
  return responses_.Delete(r.name(), r.etag(), r.request_id(),
                           RequestFingerprint("reporting.delete.Response", r),
                           sequence);
}

// ---------------------------------------------------------------------------
// Narrative blocks.

absl::StatusOr<v1::NarrativeBlock> ReportingDomain::GetNarrativeBlock(
    const v1::GetNarrativeBlockRequest& r) {
  if (auto n = ParseChildName(r.name(), kBlocks, "name"); !n.ok()) {
    return n.status();
  }
  return blocks_.Get(r.name());
}

absl::StatusOr<v1::ListNarrativeBlocksResponse>
ReportingDomain::ListNarrativeBlocks(const v1::ListNarrativeBlocksRequest& r) {
  absl::StatusOr<v1::Cycle> cycle = ExistingCycle(r.parent(), "parent");
  if (!cycle.ok()) return cycle.status();
  v1::ListNarrativeBlocksResponse response;
  auto page = blocks_.ListPage(absl::StrCat(r.parent(), "/narrativeBlocks/"),
                               r.filter(), r.page_size(), r.page_token(),
                               absl::StrCat(r.parent(), "\n", r.filter()),
                               response.mutable_next_page_token());
  if (!page.ok()) return page.status();
  for (auto& b : *page) *response.add_narrative_blocks() = std::move(b);
  return response;
}

absl::StatusOr<v1::NarrativeBlock> ReportingDomain::CreateNarrativeBlock(
    const v1::CreateNarrativeBlockRequest& r, int64_t* sequence) {
  FieldViolations v;
  v.AddAll(ParseCycleName(r.parent(), "parent").status(), "parent");
  if (!ValidResourceId(r.narrative_block_id())) {
    v.Add("narrative_block_id",
          "1-63 of a-z, 0-9 and -, starting with a letter");
  }
  v1::NarrativeBlock block = r.narrative_block();
  block.set_name(NarrativeBlockName(r.parent(), r.narrative_block_id()));
  block.clear_etag();
  block.clear_update_time();
  *block.mutable_create_time() =
      TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(clock_()));
  Validate(block, "narrative_block", v);
  ValidateRequestId(r.request_id(), v);
  if (!v.empty()) return v.ToStatus();
  if (auto cycle = cycles_.Get(r.parent()); !cycle.ok()) return cycle.status();
  return blocks_.Create(std::move(block), "narrative_block", r.request_id(),
                        RequestFingerprint("reporting.create.Block", r),
                        sequence);
}

absl::StatusOr<v1::NarrativeBlock> ReportingDomain::UpdateNarrativeBlock(
    const v1::UpdateNarrativeBlockRequest& r, int64_t* sequence) {
  FieldViolations v;
  v.AddAll(ParseChildName(r.narrative_block().name(), kBlocks,
                          "narrative_block.name")
               .status(),
           "narrative_block.name");
  ValidateRequestId(r.request_id(), v);
  if (!v.empty()) return v.ToStatus();
  absl::StatusOr<FieldMask> mask =
      WritableMask(r.narrative_block(), r.update_mask(), kCycleOutputOnly);
  if (!mask.ok()) return mask.status();
  return blocks_.Update(r.narrative_block(), *mask, "narrative_block",
                        r.request_id(),
                        RequestFingerprint("reporting.update.Block", r),
                        sequence);
}

absl::Status ReportingDomain::DeleteNarrativeBlock(
    const v1::DeleteNarrativeBlockRequest& r, int64_t* sequence) {
  FieldViolations v;
  v.AddAll(ParseChildName(r.name(), kBlocks, "name").status(), "name");
  ValidateRequestId(r.request_id(), v);
  if (!v.empty()) return v.ToStatus();
  return blocks_.Delete(r.name(), r.etag(), r.request_id(),
                        RequestFingerprint("reporting.delete.Block", r),
                        sequence);
}

// ---------------------------------------------------------------------------
// Findings and reports.

absl::StatusOr<CycleData> ReportingDomain::Collect(const std::string& cycle) {
  CycleData data;
  absl::StatusOr<v1::Cycle> c = cycles_.Get(cycle);
  if (!c.ok()) return c.status();
  data.cycle = *std::move(c);
  auto responses = responses_.All(absl::StrCat(cycle, "/responses/"));
  if (!responses.ok()) return responses.status();
  data.responses = *std::move(responses);
  auto blocks = blocks_.All(absl::StrCat(cycle, "/narrativeBlocks/"));
  if (!blocks.ok()) return blocks.status();
  data.blocks = *std::move(blocks);
  if (absl::Status s = facts_.Fill(cycle, data); !s.ok()) return s;
  return data;
}

absl::StatusOr<v1::ListFindingsResponse> ReportingDomain::ListFindings(
    const v1::ListFindingsRequest& r) {
  FieldViolations v;
  v.AddAll(ParseCycleName(r.parent(), "parent").status(), "parent");
  absl::StatusOr<Filter> filter =
      Filter::Compile(r.filter(), v1::Finding::descriptor());
  v.AddAll(filter.status(), "filter");
  if (!v.empty()) return v.ToStatus();
  absl::StatusOr<CycleData> data = Collect(r.parent());
  if (!data.ok()) return data.status();
  v1::ListFindingsResponse response;
  PageBudget budget(std::numeric_limits<int>::max(), kMaxResponseBytes);
  for (v1::Finding& f : RunFindings(*data)) {
    if (!filter->Matches(f)) continue;
    if (!budget.Admit(f)) {
      response.set_truncated(true);
      break;
    }
    *response.add_findings() = std::move(f);
  }
  return response;
}

absl::StatusOr<v1::Report> ReportingDomain::Generate(
    const std::string& cycle, const std::string& language,
    const std::string& format, FieldViolations v) {
  absl::StatusOr<Language> lang = ParseLanguage(language, "language");
  v.AddAll(lang.status(), "language");
  absl::StatusOr<Format> fmt = ParseFormat(format, "format");
  v.AddAll(fmt.status(), "format");
  if (!v.empty()) return v.ToStatus();
  absl::StatusOr<CycleData> data = Collect(cycle);
  if (!data.ok()) return data.status();
  return ComposeReport(*data, names_, *lang, *fmt);
}

absl::StatusOr<v1::Report> ReportingDomain::GenerateReport(
    const v1::GenerateReportRequest& r) {
  FieldViolations v;
  v.AddAll(ParseCycleName(r.cycle(), "cycle").status(), "cycle");
  if (!r.has_as_of()) return Generate(r.cycle(), r.language(), r.format(), v);
  // As published at `as_of`: the latest version of this language and format
  // created at or before it.
  v.AddAll(ParseLanguage(r.language(), "language").status(), "language");
  v.AddAll(ParseFormat(r.format(), "format").status(), "format");
  if (!v.empty()) return v.ToStatus();
  if (auto c = cycles_.Get(r.cycle()); !c.ok()) return c.status();
  auto versions = versions_.All(absl::StrCat(r.cycle(), "/reportVersions/"));
  if (!versions.ok()) return versions.status();
  const v1::ReportVersion* best = nullptr;
  for (const v1::ReportVersion& version : *versions) {
    if (version.report().language() != r.language() ||
        version.report().format() != r.format() ||
        version.create_time() > r.as_of()) {
      continue;
    }
    // The latest: by time, then by number (n of .../reportVersions/n).
    const auto later = [](const v1::ReportVersion& a,
                          const v1::ReportVersion& b) {
      if (a.create_time() != b.create_time()) {
        return a.create_time() > b.create_time();
      }
      return a.name().size() != b.name().size()
                 ? a.name().size() > b.name().size()
                 : a.name() > b.name();
    };
    if (best == nullptr || later(version, *best)) best = &version;
  }
  if (best == nullptr) {
    return absl::FailedPreconditionError(absl::StrCat(
        "no ", r.language(), " ", r.format(), " version of ", r.cycle(),
        " was published at or before ", TimeUtil::ToString(r.as_of()),
        " (CreateReportVersion publishes one)"));
  }
  v1::Report report = best->report();
  *report.mutable_as_of() = r.as_of();
  return report;
}

absl::StatusOr<v1::ReportVersion> ReportingDomain::CreateReportVersion(
    const v1::CreateReportVersionRequest& r, int64_t* sequence) {
  FieldViolations v;
  v.AddAll(ParseCycleName(r.parent(), "parent").status(), "parent");
  ValidateRequestId(r.request_id(), v);
  const std::string fingerprint =
      RequestFingerprint("reporting.create.ReportVersion", r);
  // A retry gets its first answer whatever the data has become since.
  if (v.empty() && !r.request_id().empty()) {
    absl::StatusOr<std::optional<StoredRequest>> earlier =
        store_.FindRequest(r.request_id());
    if (!earlier.ok()) return earlier.status();
    if (earlier->has_value()) {
      v1::ReportVersion replayed;  // not written: the stored answer is
      replayed.set_name(absl::StrCat(r.parent(), "/reportVersions/1"));
      return versions_.Create(std::move(replayed), "report", r.request_id(),
                              fingerprint, sequence);
    }
  }
  absl::StatusOr<v1::Report> report =
      Generate(r.parent(), r.language(), r.format(), std::move(v));
  if (!report.ok()) return report.status();
  for (int attempt = 0;; ++attempt) {
    auto versions = versions_.All(absl::StrCat(r.parent(), "/reportVersions/"));
    if (!versions.ok()) return versions.status();
    v1::ReportVersion version;
    version.set_name(absl::StrCat(r.parent(), "/reportVersions/",
                                  versions->size() + 1));
    *version.mutable_report() = *report;
    *version.mutable_create_time() =
        TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(clock_()));
    absl::StatusOr<v1::ReportVersion> created =
        versions_.Create(std::move(version), "report", r.request_id(),
                         fingerprint, sequence);
    if (created.status().code() != absl::StatusCode::kAlreadyExists ||
        attempt == 3) {
      return created;
    }
  }
}

absl::StatusOr<v1::ReportVersion> ReportingDomain::GetReportVersion(
    const v1::GetReportVersionRequest& r) {
  if (auto n = ParseChildName(r.name(), kVersions, "name"); !n.ok()) {
    return n.status();
  }
  return versions_.Get(r.name());
}

absl::StatusOr<v1::ListReportVersionsResponse>
ReportingDomain::ListReportVersions(const v1::ListReportVersionsRequest& r) {
  absl::StatusOr<v1::Cycle> cycle = ExistingCycle(r.parent(), "parent");
  if (!cycle.ok()) return cycle.status();
  auto versions = versions_.All(absl::StrCat(r.parent(), "/reportVersions/"));
  if (!versions.ok()) return versions.status();
  std::sort(versions->begin(), versions->end(),
            [](const v1::ReportVersion& a, const v1::ReportVersion& b) {
              return a.name().size() != b.name().size()
                         ? a.name().size() > b.name().size()
                         : a.name() > b.name();
            });
  absl::StatusOr<int> size = EffectivePageSize(r.page_size());
  FieldViolations v;
  v.AddAll(size.status(), "page_size");
  const std::string bound = absl::StrCat("reportVersions\n", r.parent());
  absl::StatusOr<std::string> after = DecodePageToken(r.page_token(), bound);
  v.AddAll(after.status(), "page_token");
  if (!v.empty()) return v.ToStatus();
  v1::ListReportVersionsResponse response;
  bool started = after->empty();
  for (v1::ReportVersion& version : *versions) {
    if (!started) {
      started = version.name() == *after;
      continue;
    }
    if (response.report_versions_size() == *size) {
      response.set_next_page_token(EncodePageToken(
          bound, response.report_versions(*size - 1).name()));
      break;
    }
    version.mutable_report()->clear_content();
    version.mutable_report()->clear_paragraphs();
    version.mutable_report()->clear_footnotes();
    *response.add_report_versions() = std::move(version);
  }
  return response;
}

}  // namespace palermo::reporting
