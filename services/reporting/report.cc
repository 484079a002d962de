// The report generator (report.h): layout, directives, numbering.
#include "services/reporting/report.h"

#include <openssl/evp.h>
#include <unicode/locid.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <map>
#include <set>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/reflection.h"
#include "services/common/filter.h"
#include "services/common/limits.h"
#include "services/common/status.h"
#include "services/reporting/directives.h"
#include "services/reporting/facts.h"
#include "services/reporting/markdown_html.h"
#include "services/reporting/text.h"

namespace palermo::reporting {
namespace {

using google::protobuf::Message;
using v1::ReportSection;

struct Record {
  const Message* message = nullptr;
  std::string name;
  std::string entity;
  std::string collection;
};

// Where records no directive used are reported.
ReportSection DefaultSection(absl::string_view collection) {
  if (collection == "legislations") return v1::REPORT_SECTION_LEGISLATION;
  if (collection == "observations") return v1::REPORT_SECTION_ENFORCEMENT;
  if (collection == "training_activities") return v1::REPORT_SECTION_TRAINING;
  if (collection == "awareness_campaigns") return v1::REPORT_SECTION_PREVENTION;
  if (collection == "measures") return v1::REPORT_SECTION_ASSISTANCE;
  if (collection == "coordination_bodies" || collection == "action_plans" ||
      collection == "referral_mechanisms") {
    return v1::REPORT_SECTION_COORDINATION;
  }
  if (collection == "cooperation_activities") {
    return v1::REPORT_SECTION_COOPERATION;
  }
  if (collection == "inter_agency_groups") {
    return v1::REPORT_SECTION_TECHNICAL_ASSISTANCE;
  }
  return v1::REPORT_SECTION_UNSPECIFIED;  // responses: the respondents
}

// The List method a reader runs for a collection.
std::string ListMethod(absl::string_view collection) {
  static const auto* methods = new std::map<std::string, std::string>{
      {"legislations",
       "palermo.legislation.v1.LegislationService/ListLegislations"},
      {"observations",
       "palermo.enforcement.v1.EnforcementService/ListObservations"},
      {"measures", "palermo.assistance.v1.AssistanceService/ListMeasures"},
      {"coordination_bodies",
       "palermo.coordination.v1.CoordinationService/ListCoordinationBodies"},
      {"action_plans",
       "palermo.coordination.v1.CoordinationService/ListActionPlans"},
      {"referral_mechanisms",
       "palermo.coordination.v1.CoordinationService/ListReferralMechanisms"},
      {"training_activities",
       "palermo.coordination.v1.CoordinationService/ListTrainingActivities"},
      {"awareness_campaigns",
       "palermo.coordination.v1.CoordinationService/ListAwarenessCampaigns"},
      {"cooperation_activities",
       "palermo.coordination.v1.CoordinationService/"
       "ListCooperationActivities"},
      {"inter_agency_groups",
       "palermo.coordination.v1.CoordinationService/ListInterAgencyGroups"},
      {"responses", "palermo.reporting.v1.ReportingService/ListResponses"},
  };
  auto it = methods->find(std::string(collection));
  return it == methods->end() ? std::string(collection) : it->second;
}

std::string Localized(
    const google::protobuf::RepeatedPtrField<v1::LocalizedText>& texts,
    Language language) {
  const std::string code = LanguageCode(language);
  for (const v1::LocalizedText& t : texts) {
    if (t.language() == code) return t.text();
  }
  return texts.empty() ? "" : texts[0].text();
}

// Whether text appended after `so_far` opens a sentence.
bool AtSentenceStart(absl::string_view so_far) {
  so_far = absl::StripTrailingAsciiWhitespace(so_far);
  if (so_far.empty()) return true;
  const char last = so_far.back();
  return last == '.' || last == '!' || last == '?';
}

// The ICU name of `language_code` in `language` ("anglais", "English").
std::string LanguageDisplayName(const std::string& language_code,
                                Language language) {
  icu::UnicodeString name;
  icu::Locale(language_code.c_str())
      .getDisplayLanguage(icu::Locale(LanguageCode(language).c_str()), name);
  std::string out;
  name.toUTF8String(out);
  return out;
}

struct Paragraph {
  v1::ReportParagraph proto;
  std::vector<v1::ReportFootnote> footnotes;
  bool heading = false;   // an unnumbered sub-heading
  std::string heading_text;
};

struct Section {
  ReportSection section;
  std::vector<Paragraph> items;
};

class Composer {
 public:
  Composer(const CycleData& data, const EntityNames& names, Language language)
      : data_(data), names_(names), language_(language) {
    date_ = data.cycle.has_document_date() ? data.cycle.document_date()
            : data.cycle.has_cutoff_date() ? data.cycle.cutoff_date()
                                           : data.cycle.note_verbale_date();
    Add("legislations", data.legislations);
    Add("observations", data.observations);
    Add("training_activities", data.training_activities);
    Add("awareness_campaigns", data.awareness_campaigns);
    Add("measures", data.measures);
    Add("coordination_bodies", data.coordination_bodies);
    Add("action_plans", data.action_plans);
    Add("referral_mechanisms", data.referral_mechanisms);
    Add("cooperation_activities", data.cooperation_activities);
    Add("inter_agency_groups", data.inter_agency_groups);
    Add("responses", data.responses);
  }

  absl::StatusOr<v1::Report> Compose(Format format);

 private:
  template <typename T>
  void Add(const std::string& collection, const std::vector<T>& records) {
    for (const T& r : records) {
      Record rec;
      rec.message = &r;
      rec.name = r.name();
      rec.collection = collection;
      if constexpr (std::is_same_v<T, enforcement::v1::Observation> ||
                    std::is_same_v<T, v1::Response>) {
        rec.entity = r.entity();
      } else {
        rec.entity = EntityOfRecordName(r.name());
      }
      collections_[collection].push_back(std::move(rec));
    }
  }

  absl::StatusOr<std::vector<const Record*>> Query(const Directive& d);
  absl::StatusOr<std::string> Name(const std::string& entity,
                                   NameForm form) const {
    return names_.Name(entity, date_, language_, form);
  }
  // The entities of `records`, States in collation order, then
  // organizations, in `form`.
  absl::StatusOr<std::vector<std::string>> EntityList(
      const std::vector<const Record*>& records, NameForm form) const;
  absl::StatusOr<FactsText> Facts(absl::string_view collection,
                                  const std::vector<const Record*>& records,
                                  absl::string_view filter = "");
  absl::StatusOr<std::string> CycleField(const std::string& field) const;
  absl::StatusOr<std::string> Respondents(v1::ReportParagraph& p);
  // Renders a block's text into `p` (footnote calls appended to `notes`;
  // none allowed when `notes` is null).
  absl::Status RenderText(const v1::NarrativeBlock& block,
                          v1::ReportParagraph& p, std::string& out,
                          std::vector<v1::ReportFootnote>* notes);
  absl::Status MarkUsed(const v1::NarrativeBlock& block);
  absl::StatusOr<std::vector<Paragraph>> AutomaticParagraphs(
      ReportSection section);
  absl::StatusOr<std::string> Message(absl::string_view id,
                                      const MessageArgs& args = {}) const {
    return FormatMessage(language_, id, args);
  }
  // The List call a reader makes for a directive's records (every entity's,
  // the filter as written), and the cycle its sources must name, which the
  // report applies after it.
  std::string Query(const Directive& d, bool) const {
    std::string call = ListMethod(d.argument);
    if (d.argument == "responses") {
      absl::StrAppend(&call, " parent=", FilterString(data_.cycle.name()));
    } else if (d.argument != "legislations" &&
               d.argument != "inter_agency_groups") {
      absl::StrAppend(&call, " parent=\"-\"");
    }
    if (!d.filter.empty()) {
      absl::StrAppend(&call, " filter=", FilterString(d.filter));
    }
    if (d.argument != "responses") {
      absl::StrAppend(&call, " (facts whose sources name ",
                      data_.cycle.name(), ")");
    }
    return call;
  }

  const CycleData& data_;
  const EntityNames& names_;
  const Language language_;
  common::v1::PartialDate date_;
  std::map<std::string, std::vector<Record>> collections_;
  absl::flat_hash_set<std::string> used_;
  int footnote_number_ = 0;
  bool has_respondents_ = false;  // some paragraph says {{respondents}}
  std::vector<std::unique_ptr<google::protobuf::Message>> owned_;
};

absl::StatusOr<std::vector<const Record*>> Composer::Query(const Directive& d) {
  const google::protobuf::Descriptor* type = CollectionType(d.argument);
  absl::StatusOr<Filter> filter = Filter::Compile(d.filter, type);
  if (!filter.ok()) return filter.status();
  std::vector<const Record*> out;
  for (const Record& r : collections_[d.argument]) {
    if (filter->Matches(*r.message)) out.push_back(&r);
  }
  return out;
}

absl::StatusOr<std::vector<std::string>> Composer::EntityList(
    const std::vector<const Record*>& records, NameForm form) const {
  std::set<std::string> distinct;
  for (const Record* r : records) {
    if (!r->entity.empty()) distinct.insert(r->entity);
  }
  auto ordered = names_.InReportOrder(
      std::vector<std::string>(distinct.begin(), distinct.end()), date_,
      language_);
  if (!ordered.ok()) return ordered.status();
  std::vector<std::string> out;
  for (const std::string& entity : *ordered) {
    absl::StatusOr<std::string> name = Name(entity, form);
    if (!name.ok()) return name.status();
    out.push_back(*std::move(name));
  }
  return out;
}

// The field paths a filter names (`user_liability.value`,
// `implementation_measures.kind`), other than name and entity.
std::vector<std::vector<std::string>> PathsNamed(
    absl::string_view filter, const google::protobuf::Descriptor* type) {
  std::vector<std::vector<std::string>> paths;
  size_t i = 0;
  while (i < filter.size()) {
    const char c = filter[i];
    if (c == '"') {  // skip a quoted value
      const size_t end = filter.find('"', i + 1);
      i = end == absl::string_view::npos ? filter.size() : end + 1;
      continue;
    }
    if (absl::ascii_isalpha(c) || c == '_') {
      size_t j = i;
      while (j < filter.size() && (absl::ascii_isalnum(filter[j]) ||
                                   filter[j] == '_' || filter[j] == '.')) {
        ++j;
      }
      std::vector<std::string> path =
          absl::StrSplit(filter.substr(i, j - i), '.', absl::SkipEmpty());
      if (!path.empty() && path[0] != "name" && path[0] != "entity" &&
          type->FindFieldByName(path[0]) != nullptr) {
        paths.push_back(std::move(path));
      }
      i = j;
      continue;
    }
    ++i;
  }
  return paths;
}

bool HasSources(const google::protobuf::Descriptor* d) {
  const auto* f = d->FindFieldByName("sources");
  return f != nullptr && f->is_repeated() &&
         f->message_type() == common::v1::Provenance::descriptor();
}

// Within `m`, keeps of the field `path[at]` only the fact `path[at+1]`
// names, when that is a fact of its own (a message with sources: the group
// range of penalties, the group provisions of a law).
void KeepNamedFact(Message& m, const std::vector<std::string>& path,
                   size_t at) {
  if (at + 1 >= path.size()) return;
  const auto* field = m.GetDescriptor()->FindFieldByName(path[at]);
  if (field == nullptr ||
      field->type() != google::protobuf::FieldDescriptor::TYPE_MESSAGE) {
    return;
  }
  const auto* inner = field->message_type()->FindFieldByName(path[at + 1]);
  if (inner == nullptr ||
      inner->type() != google::protobuf::FieldDescriptor::TYPE_MESSAGE ||
      !HasSources(inner->message_type())) {
    return;
  }
  const auto* reflection = m.GetReflection();
  auto keep_only = [&](Message& container) {
    const auto* d = container.GetDescriptor();
    for (int f = 0; f < d->field_count(); ++f) {
      if (d->field(f) != inner) {
        container.GetReflection()->ClearField(&container, d->field(f));
      }
    }
  };
  if (field->is_repeated()) {
    for (int e = 0; e < reflection->FieldSize(m, field); ++e) {
      keep_only(*reflection->MutableRepeatedMessage(&m, field, e));
    }
  } else if (reflection->HasField(m, field)) {
    keep_only(*reflection->MutableMessage(&m, field));
  }
}

absl::StatusOr<FactsText> Composer::Facts(
    absl::string_view collection, const std::vector<const Record*>& records,
    absl::string_view filter) {
  std::vector<const google::protobuf::Message*> messages;
  // A legislation record holds all of an entity's legislation facts: a
  // directive states those its filter names (all if it names none): the
  // fields it names; of a repeated field, the elements that make the record
  // match; of a path ending on a fact of its own, that fact alone.
  std::vector<std::vector<std::string>> paths;
  std::set<std::string> fields;
  const auto* type = legislation::v1::Legislation::descriptor();
  if (collection == "legislations") {
    paths = PathsNamed(filter, type);
    for (const auto& path : paths) fields.insert(path[0]);
  }
  absl::StatusOr<Filter> compiled = Filter::Compile(filter, type);
  for (const Record* r : records) {
    if (fields.empty() || !compiled.ok()) {
      messages.push_back(r->message);
      continue;
    }
    auto trimmed = std::make_unique<legislation::v1::Legislation>(
        static_cast<const legislation::v1::Legislation&>(*r->message));
    const auto* reflection = trimmed->GetReflection();
    for (int f = 0; f < type->field_count(); ++f) {
      const auto* field = type->field(f);
      if (field->name() == "name" || field->name() == "entity") continue;
      if (fields.count(field->name()) == 0) {
        reflection->ClearField(trimmed.get(), field);
        continue;
      }
      if (!field->is_repeated() ||
          field->type() != google::protobuf::FieldDescriptor::TYPE_MESSAGE) {
        continue;
      }
      // Keep the elements that make the record match on their own.
      std::vector<int> keep;
      for (int e = 0; e < reflection->FieldSize(*trimmed, field); ++e) {
        legislation::v1::Legislation alone = *trimmed;
        const auto* ar = alone.GetReflection();
        ar->ClearField(&alone, field);
        ar->AddMessage(&alone, field)
            ->CopyFrom(reflection->GetRepeatedMessage(*trimmed, field, e));
        if (compiled->Matches(alone)) keep.push_back(e);
      }
      if (keep.empty()) continue;  // matched through another clause
      int kept = 0;
      for (int e : keep) {
        if (e != kept) reflection->SwapElements(trimmed.get(), field, kept, e);
        ++kept;
      }
      while (reflection->FieldSize(*trimmed, field) > kept) {
        reflection->RemoveLast(trimmed.get(), field);
      }
    }
    for (const auto& path : paths) KeepNamedFact(*trimmed, path, 0);
    messages.push_back(trimmed.get());
    owned_.push_back(std::move(trimmed));
  }
  return RenderFacts(collection, messages, data_, names_, date_, language_);
}

absl::StatusOr<std::string> Composer::CycleField(
    const std::string& field) const {
  const v1::Cycle& c = data_.cycle;
  if (field == "resolution_symbol") return c.mandate().resolution_symbol();
  if (field == "resolution_title") {
    return Localized(c.mandate().title(), language_);
  }
  if (field == "adopted_by") return Localized(c.mandate().adopted_by(), language_);
  if (field == "note_verbale_date") {
    return FormatDate(c.note_verbale_date(), language_);
  }
  if (field == "deadline") return FormatDate(c.deadline(), language_);
  if (field == "cutoff_date") return FormatDate(c.cutoff_date(), language_);
  if (field == "session") {
    return Message("cycle.session",
                   {{"ordinal", SpelloutOrdinal(c.session_number(), language_)}});
  }
  if (field == "session_body") {
    return Localized(c.session_body().names(), language_);
  }
  if (field == "document_symbol") return c.document_symbol();
  return absl::InvalidArgumentError(absl::StrCat("unknown cycle field ", field));
}

// Responses received by the cut-off, or of unknown date.
bool Counted(const v1::Response& r) {
  return r.timeliness() != v1::TIMELINESS_AFTER_CUTOFF;
}

absl::StatusOr<std::string> Composer::Respondents(v1::ReportParagraph& p) {
  std::vector<const Record*> counted;
  int64_t states = 0, organizations = 0;
  for (const Record& r : collections_["responses"]) {
    const auto& response = static_cast<const v1::Response&>(*r.message);
    used_.insert(r.name);
    if (!Counted(response)) continue;
    counted.push_back(&r);
    p.add_records(r.name);
    (EntityNames::IsState(r.entity) ? states : organizations) += 1;
  }
  p.add_queries(absl::StrCat(ListMethod("responses"), " parent=\"",
                             data_.cycle.name(),
                             "\" filter=\"timeliness != AFTER_CUTOFF\""));
  absl::StatusOr<std::vector<std::string>> names =
      EntityList(counted, NameForm::kBare);
  if (!names.ok()) return names.status();
  return Message("respondents",
                 {{"states", states},
                  {"states_text", FormatNumber(states, language_)},
                  {"both", std::string(states > 0 && organizations > 0
                                           ? "yes"
                                           : "no")},
                  {"organizations", organizations},
                  {"organizations_text", FormatNumber(organizations, language_)},
                  {"list", JoinList(*names, language_)}});
}

absl::Status Composer::MarkUsed(const v1::NarrativeBlock& block) {
  absl::StatusOr<std::vector<Piece>> pieces =
      ParseBlockText(block.text(), block.name());
  if (!pieces.ok()) return pieces.status();
  for (const Piece& piece : *pieces) {
    if (!piece.is_directive) continue;
    const Directive& d = piece.directive;
    if (d.kind == Directive::Kind::kBlock) {
      // A footnote block's records are used where a paragraph calls it.
      const std::string wanted =
          absl::StrCat(data_.cycle.name(), "/narrativeBlocks/", d.argument);
      for (const v1::NarrativeBlock& b : data_.blocks) {
        if (b.name() == wanted && b.kind() == v1::BLOCK_KIND_FOOTNOTE &&
            &b != &block) {
          if (absl::Status s = MarkUsed(b); !s.ok()) return s;
        }
      }
      continue;
    }
    if (d.kind == Directive::Kind::kRespondents) has_respondents_ = true;
    if (d.kind != Directive::Kind::kList && d.kind != Directive::Kind::kFacts) {
      continue;
    }
    absl::StatusOr<std::vector<const Record*>> records = Query(d);
    if (!records.ok()) return records.status();
    for (const Record* r : *records) used_.insert(r->name);
  }
  return absl::OkStatus();
}

absl::Status Composer::RenderText(const v1::NarrativeBlock& block,
                                  v1::ReportParagraph& p, std::string& out,
                                  std::vector<v1::ReportFootnote>* notes) {
  absl::StatusOr<std::vector<Piece>> pieces =
      ParseBlockText(block.text(), block.name());
  if (!pieces.ok()) return pieces.status();
  for (const Piece& piece : *pieces) {
    if (!piece.is_directive) {
      absl::StrAppend(&out, piece.text);
      continue;
    }
    const Directive& d = piece.directive;
    const bool opens = AtSentenceStart(out);
    std::string text;
    std::vector<std::string> records;
    std::string query;
    switch (d.kind) {
      case Directive::Kind::kCycleField: {
        absl::StatusOr<std::string> v = CycleField(d.argument);
        if (!v.ok()) return v.status();
        text = *v;
        break;
      }
      case Directive::Kind::kRespondents: {
        absl::StatusOr<std::string> v = Respondents(p);
        if (!v.ok()) return v.status();
        text = *v;
        break;
      }
      case Directive::Kind::kList:
      case Directive::Kind::kFacts: {
        absl::StatusOr<std::vector<const Record*>> found = Query(d);
        if (!found.ok()) return found.status();
        for (const Record* r : *found) records.push_back(r->name);
        query = Query(d, true);
        if (d.kind == Directive::Kind::kList) {
          const NameForm form = d.footnote ? NameForm::kBare
                                : d.form == Directive::ListForm::kArticle
                                    ? NameForm::kArticle
                                : d.form == Directive::ListForm::kLocative
                                    ? NameForm::kLocative
                                    : NameForm::kBare;
          absl::StatusOr<std::vector<std::string>> names =
              EntityList(*found, form);
          if (!names.ok()) return names.status();
          text = JoinList(*names, language_);
          if (d.footnote && !text.empty()) absl::StrAppend(&text, ".");
        } else {
          absl::StatusOr<FactsText> facts = Facts(d.argument, *found, d.filter);
          if (!facts.ok()) return facts.status();
          text = facts->text;
        }
        break;
      }
      case Directive::Kind::kBlock: {
        const v1::NarrativeBlock* note = nullptr;
        const std::string wanted =
            absl::StrCat(data_.cycle.name(), "/narrativeBlocks/", d.argument);
        for (const v1::NarrativeBlock& b : data_.blocks) {
          if (b.name() == wanted) note = &b;
        }
        if (note == nullptr || note->kind() != v1::BLOCK_KIND_FOOTNOTE) {
          return absl::FailedPreconditionError(absl::StrCat(
              block.name(), " calls footnote block ", d.argument,
              ", which is not a FOOTNOTE block of the cycle"));
        }
        v1::ReportParagraph inner;
        if (absl::Status s = RenderText(*note, inner, text, nullptr); !s.ok()) {
          return s;
        }
        for (const std::string& r : inner.records()) records.push_back(r);
        for (const std::string& q : inner.queries()) query = q;
        p.add_blocks(note->name());
        break;
      }
    }
    if (d.footnote) {
      if (notes == nullptr) {
        return absl::FailedPreconditionError(absl::StrCat(
            block.name(), ": a footnote cannot call another footnote"));
      }
      v1::ReportFootnote note;
      note.set_number(++footnote_number_);
      note.set_text(text);
      for (const std::string& r : records) note.add_records(r);
      if (!query.empty()) note.add_queries(query);
      notes->push_back(std::move(note));
      absl::StrAppend(&out, "[^", footnote_number_, "]");
    } else {
      if (opens) text = CapitalizeFirst(text);
      if (out.size() + text.size() > kMaxReportVersionBytes) {
        return absl::ResourceExhaustedError(absl::StrCat(
            block.name(), " states more than ", kMaxReportVersionBytes,
            " bytes (kMaxReportVersionBytes)"));
      }
      absl::StrAppend(&out, text);
      for (const std::string& r : records) p.add_records(r);
      if (!query.empty()) p.add_queries(query);
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<Paragraph>> Composer::AutomaticParagraphs(
    ReportSection section) {
  // Unused records of the section's collections, by entity.
  std::map<std::string, std::map<std::string, std::vector<const Record*>>>
      by_entity;  // entity -> collection -> records
  for (const std::string& collection : CollectionNames()) {
    if (DefaultSection(collection) != section) continue;
    for (const Record& r : collections_[collection]) {
      if (used_.contains(r.name)) continue;
      by_entity[r.entity][collection].push_back(&r);
    }
  }
  std::vector<std::string> named;
  for (const auto& [entity, unused] : by_entity) {
    if (!entity.empty()) named.push_back(entity);
  }
  absl::StatusOr<std::vector<std::string>> ordered =
      names_.InReportOrder(named, date_, language_);
  if (!ordered.ok()) return ordered.status();
  std::vector<std::string> entities = *std::move(ordered);
  if (by_entity.count("") > 0) entities.push_back("");
  std::vector<Paragraph> out;
  for (const std::string& entity : entities) {
    Paragraph p;
    std::string text;
    for (const std::string& collection : CollectionNames()) {
      auto it = by_entity[entity].find(collection);
      if (it == by_entity[entity].end()) continue;
      absl::StatusOr<FactsText> facts = Facts(collection, it->second);
      if (!facts.ok()) return facts.status();
      if (!text.empty() && !facts->text.empty()) absl::StrAppend(&text, " ");
      absl::StrAppend(&text, facts->text);
      for (const Record* r : it->second) {
        p.proto.add_records(r->name);
        used_.insert(r->name);
      }
    }
    if (text.empty()) continue;
    p.proto.set_text(text);
    out.push_back(std::move(p));
  }
  return out;
}

std::string RangeText(int first, int last) {
  return first == last ? absl::StrCat(first) : absl::StrCat(first, "-", last);
}

absl::StatusOr<v1::Report> Composer::Compose(Format format) {
  bool any = false;
  for (const v1::Response& r : data_.responses) any = any || Counted(r);
  if (!any) {
    return absl::FailedPreconditionError(absl::StrCat(
        data_.cycle.name(),
        " has no response received by its cut-off (or of unknown date): "
        "there is nothing to report"));
  }
  const std::string code = LanguageCode(language_);
  std::vector<const v1::NarrativeBlock*> blocks;
  for (const v1::NarrativeBlock& b : data_.blocks) {
    if (b.language() == code) blocks.push_back(&b);
  }
  std::stable_sort(blocks.begin(), blocks.end(),
                   [](const v1::NarrativeBlock* a, const v1::NarrativeBlock* b) {
                     return std::make_pair(a->position(), a->name()) <
                            std::make_pair(b->position(), b->name());
                   });
  for (const v1::NarrativeBlock* b : blocks) {
    if (b->kind() == v1::BLOCK_KIND_FOOTNOTE) continue;  // where called
    if (absl::Status s = MarkUsed(*b); !s.ok()) return s;
  }
  const bool has_respondents = has_respondents_;

  std::vector<Section> sections;
  int number = 0;
  size_t composed = 0;  // bytes of paragraphs so far
  for (int s = v1::REPORT_SECTION_INTRODUCTION;
       s <= v1::REPORT_SECTION_CONCLUSIONS; ++s) {
    Section section{static_cast<ReportSection>(s), {}};
    auto number_it = [&](Paragraph& p) {
      p.proto.set_number(++number);
      p.proto.set_section(section.section);
      for (v1::ReportFootnote& f : p.footnotes) f.set_paragraph(number);
    };
    if (s == v1::REPORT_SECTION_RESULTS && !has_respondents) {
      Paragraph p;
      absl::StatusOr<std::string> text = Respondents(p.proto);
      if (!text.ok()) return text.status();
      p.proto.set_text(*text);
      number_it(p);
      section.items.push_back(std::move(p));
    }
    for (const v1::NarrativeBlock* b : blocks) {
      if (b->section() != s || b->kind() == v1::BLOCK_KIND_FOOTNOTE) continue;
      Paragraph p;
      std::string text;
      p.proto.add_blocks(b->name());
      if (absl::Status st = RenderText(*b, p.proto, text, &p.footnotes);
          !st.ok()) {
        return st;
      }
      composed += text.size();
      if (composed > kMaxReportVersionBytes) {
        return absl::ResourceExhaustedError(absl::StrCat(
            "the report of ", data_.cycle.name(), " passes ",
            kMaxReportVersionBytes, " bytes (kMaxReportVersionBytes) at ",
            b->name()));
      }
      if (b->kind() == v1::BLOCK_KIND_HEADING) {
        p.heading = true;
        p.heading_text = text;
      } else {
        p.proto.set_text(text);
        number_it(p);
      }
      section.items.push_back(std::move(p));
    }
    absl::StatusOr<std::vector<Paragraph>> automatic =
        AutomaticParagraphs(section.section);
    if (!automatic.ok()) return automatic.status();
    for (Paragraph& p : *automatic) {
      p.proto.set_section(section.section);
      number_it(p);
      section.items.push_back(std::move(p));
    }
    sections.push_back(std::move(section));
  }

  // The document.
  const v1::Cycle& c = data_.cycle;
  std::string md;
  absl::StatusOr<std::string> distribution = Message("report.distribution");
  absl::StatusOr<std::string> original = Message(
      "report.original_language",
      {{"language", LanguageDisplayName(c.original_language(), language_)}});
  absl::StatusOr<std::string> session = CycleField("session");
  absl::StatusOr<std::string> subtitle = Message(
      "report.subtitle",
      {{"body", Localized(c.requesting_body().names(), language_)}});
  absl::StatusOr<std::string> contents = Message("report.contents");
  absl::StatusOr<std::string> paragraphs_word = Message("report.paragraphs");
  for (const auto* s : {&distribution, &original, &session, &subtitle,
                        &contents, &paragraphs_word}) {
    if (!s->ok()) return s->status();
  }
  // The masthead says what the cycle knows, and leaves out what it does not
  // (a date, a session, a requesting body) rather than printing it empty.
  if (!c.document_symbol().empty()) {
    absl::StrAppend(&md, "**", c.document_symbol(), "**\n\n");
  }
  absl::StrAppend(&md, *distribution, "  \n");
  if (c.has_document_date()) {
    absl::StrAppend(&md, FormatDate(c.document_date(), language_), "  \n");
  }
  if (!c.original_language().empty()) {
    absl::StrAppend(&md, *original, "\n\n");
  } else {
    absl::StrAppend(&md, "\n");
  }
  const std::string session_body = Localized(c.session_body().names(), language_);
  if (!session_body.empty() || c.session_number() > 0) {
    absl::StrAppend(&md, "**", session_body, "**");
    if (c.session_number() > 0) {
      absl::StrAppend(&md, "  \n", CapitalizeFirst(*session));
    }
    absl::StrAppend(&md, "\n\n");
  }
  std::string title = Localized(c.report_title(), language_);
  if (title.empty()) title = Localized(c.mandate().title(), language_);
  if (title.empty()) title = c.document_symbol().empty() ? c.name()
                                                         : c.document_symbol();
  absl::StrAppend(&md, "# ", title, "\n\n");
  if (!Localized(c.requesting_body().names(), language_).empty()) {
    absl::StrAppend(&md, "**", *subtitle, "**\n\n");
  }

  // Contents, with each section's paragraph range.
  absl::StrAppend(&md, "## ", *contents, "\n\n");
  absl::StrAppend(&md, "| | ", *paragraphs_word, " |\n|---|---|\n");
  std::vector<std::string> headings;
  for (size_t i = 0; i < sections.size(); ++i) {
    absl::StatusOr<std::string> heading = Message(absl::StrCat(
        "report.section.", v1::ReportSection_Name(sections[i].section)));
    if (!heading.ok()) return heading.status();
    headings.push_back(*heading);
  }
  auto range_of = [&](size_t from, size_t to) -> std::pair<int, int> {
    int first = 0, last = 0;
    for (size_t i = from; i < to; ++i) {
      for (const Paragraph& p : sections[i].items) {
        if (p.heading) continue;
        if (first == 0) first = p.proto.number();
        last = p.proto.number();
      }
    }
    return {first, last};
  };
  const auto is_sub = [](ReportSection s) {
    return s >= v1::REPORT_SECTION_LEGISLATION &&
           s <= v1::REPORT_SECTION_COOPERATION;
  };
  for (size_t i = 0; i < sections.size(); ++i) {
    const ReportSection s = sections[i].section;
    // II covers its own paragraphs and those of A-G.
    const size_t to = s == v1::REPORT_SECTION_RESULTS
                          ? i + 1 + (v1::REPORT_SECTION_COOPERATION -
                                     v1::REPORT_SECTION_RESULTS)
                          : i + 1;
    auto [first, last] = range_of(i, std::min(to, sections.size()));
    if (first == 0 && s != v1::REPORT_SECTION_RESULTS) continue;
    absl::StrAppend(&md, "| ", is_sub(s) ? "&emsp;" : "", headings[i], " | ",
                    first == 0 ? "" : RangeText(first, last), " |\n");
  }
  absl::StrAppend(&md, "\n");

  v1::Report report;
  for (size_t i = 0; i < sections.size(); ++i) {
    const Section& section = sections[i];
    const bool empty = range_of(i, i + 1).first == 0;
    if (empty && section.section != v1::REPORT_SECTION_RESULTS) continue;
    absl::StrAppend(&md, is_sub(section.section) ? "### " : "## ", headings[i],
                    "\n\n");
    for (const Paragraph& p : section.items) {
      if (p.heading) {
        absl::StrAppend(&md, "#### ", p.heading_text, "\n\n");
        continue;
      }
      absl::StrAppend(&md, p.proto.number(), ". ", p.proto.text(), "\n\n");
      for (const v1::ReportFootnote& f : p.footnotes) {
        absl::StrAppend(&md, "[^", f.number(), "]: ", f.text(), "\n\n");
        *report.add_footnotes() = f;
      }
      *report.add_paragraphs() = p.proto;
    }
  }

  if (md.size() > kMaxReportVersionBytes) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "the report of ", c.name(), " would take ", md.size(),
        " bytes, more than ", kMaxReportVersionBytes,
        " (kMaxReportVersionBytes): its blocks state too much"));
  }
  report.set_cycle(c.name());
  report.set_language(code);
  report.set_format(format == Format::kHtml ? "html" : "markdown");
  if (format == Format::kHtml) {
    absl::StatusOr<std::string> body = MarkdownToHtml(md);
    if (!body.ok()) return body.status();
    report.set_content(HtmlDocument(
        absl::StrCat(c.document_symbol(), " — ", title), code, *body));
  } else {
    report.set_content(std::move(md));
  }
  report.set_content_sha256(Sha256Hex(report.content()));
  return report;
}

}  // namespace

absl::StatusOr<Format> ParseFormat(absl::string_view code,
                                   absl::string_view field) {
  if (code == "markdown") return Format::kMarkdown;
  if (code == "html") return Format::kHtml;
  return InvalidField(std::string(field),
                      absl::StrCat("\"", Abbreviate(code),
                                   "\" is not a format: markdown or html"));
}

absl::StatusOr<v1::Report> ComposeReport(const CycleData& data,
                                         const EntityNames& names,
                                         Language language, Format format) {
  Composer composer(data, names, language);
  return composer.Compose(format);
}

std::string Sha256Hex(absl::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(),
             nullptr);
  return absl::BytesToHexString(absl::string_view(
      reinterpret_cast<const char*>(digest), length));
}

}  // namespace palermo::reporting
