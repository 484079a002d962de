// RenderFacts: groups a collection's records by entity (States in collation
// order, then organizations) and states each entity's facts from the message
// catalogue. Observations are in facts_observations.cc; legislation facts,
// measures, coordination records and responses are here.
#include "services/reporting/facts.h"

#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/reflection.h"
#include "services/common/status.h"
#include <set>

#include "absl/strings/match.h"
#include "services/reporting/facts_internal.h"

namespace palermo::reporting {
namespace internal {

absl::StatusOr<MessageArgs> EntityArgs(const std::string& entity,
                                       const EntityNames& names,
                                       const common::v1::PartialDate& date,
                                       Language language) {
  auto name = names.Name(entity, date, language, NameForm::kArticle);
  if (!name.ok()) return name.status();
  auto plural = names.IsPlural(entity, date, language);
  if (!plural.ok()) return plural.status();
  return MessageArgs{{"entity", CapitalizeFirst(*name)},
                     {"number", std::string(*plural ? "plural" : "singular")}};
}

std::string FrenchExcerpt(
    const google::protobuf::RepeatedPtrField<common::v1::Provenance>& sources) {
  for (const auto& source : sources) {
    if (source.excerpt_language() == "fr" && !source.excerpt().empty()) {
      return source.excerpt();
    }
  }
  return "";
}

std::string AsClause(const std::string& text) {
  std::string clause(absl::StripTrailingAsciiWhitespace(text));
  if (!clause.empty() && clause.back() == '.') clause.pop_back();
  if (clause.size() > 1 && absl::ascii_isupper(clause[0]) &&
      !absl::ascii_isupper(clause[1])) {
    clause[0] = absl::ascii_tolower(clause[0]);
  }
  return clause;
}

void AppendSentence(std::string& text, const std::string& sentence) {
  if (sentence.empty()) return;
  if (!text.empty()) text += ' ';
  text += sentence;
}

}  // namespace internal

namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using internal::AppendSentence;
using internal::AsClause;
using internal::With;

// The message type each collection of report-design.md holds.
const std::map<std::string, std::string, std::less<>>& CollectionTypes() {
  static const auto* const kTypes =
      new std::map<std::string, std::string, std::less<>>{
          {"legislations", "palermo.legislation.v1.Legislation"},
          {"observations", "palermo.enforcement.v1.Observation"},
          {"measures", "palermo.assistance.v1.Measure"},
          {"coordination_bodies", "palermo.coordination.v1.CoordinationBody"},
          {"action_plans", "palermo.coordination.v1.ActionPlan"},
          {"referral_mechanisms", "palermo.coordination.v1.ReferralMechanism"},
          {"training_activities", "palermo.coordination.v1.TrainingActivity"},
          {"awareness_campaigns", "palermo.coordination.v1.AwarenessCampaign"},
          {"cooperation_activities",
           "palermo.coordination.v1.CooperationActivity"},
          {"inter_agency_groups", "palermo.coordination.v1.InterAgencyGroup"},
          {"responses", "palermo.reporting.v1.Response"},
      };
  return *kTypes;
}

std::string StringField(const Message& m, const char* name) {
  const FieldDescriptor* f = m.GetDescriptor()->FindFieldByName(name);
  if (f == nullptr || f->is_repeated() ||
      f->type() != FieldDescriptor::TYPE_STRING) {
    return "";
  }
  return m.GetReflection()->GetString(m, f);
}

// The first French excerpt of a record's `sources`, or "".
std::string FrenchExcerptOf(const Message& m) {
  const FieldDescriptor* f = m.GetDescriptor()->FindFieldByName("sources");
  if (f == nullptr || !f->is_repeated() ||
      f->message_type() != common::v1::Provenance::descriptor()) {
    return "";
  }
  const auto* reflection = m.GetReflection();
  for (int i = 0; i < reflection->FieldSize(m, f); ++i) {
    const auto& source = static_cast<const common::v1::Provenance&>(
        reflection->GetRepeatedMessage(m, f, i));
    if (source.excerpt_language() == "fr" && !source.excerpt().empty()) {
      return source.excerpt();
    }
  }
  return "";
}

// The French excerpts of a record's sources that quote the same place of
// the source as its first one, in order, joined: the State's statement as
// the source words it, when its excerpts are consecutive clauses.
std::string FrenchStatementOf(const Message& m, const std::string& opening) {
  const FieldDescriptor* f = m.GetDescriptor()->FindFieldByName("sources");
  if (f == nullptr || !f->is_repeated() ||
      f->message_type() != common::v1::Provenance::descriptor()) {
    return "";
  }
  const auto* reflection = m.GetReflection();
  const common::v1::Provenance* first = nullptr;
  // The place whose excerpt opens with the entity's name, if one does:
  // that is where the source states this record (a list elsewhere only
  // names the entity).
  for (int i = 0; i < reflection->FieldSize(m, f) && !opening.empty(); ++i) {
    const auto& source = static_cast<const common::v1::Provenance&>(
        reflection->GetRepeatedMessage(m, f, i));
    if (source.excerpt_language() == "fr" &&
        absl::StartsWith(source.excerpt(), opening + " ")) {
      first = &source;
      break;
    }
  }
  std::string out;
  bool started = false;  // excerpts are taken from `first` on
  for (int i = 0; i < reflection->FieldSize(m, f); ++i) {
    const auto& source = static_cast<const common::v1::Provenance&>(
        reflection->GetRepeatedMessage(m, f, i));
    if (source.excerpt_language() != "fr" || source.excerpt().empty()) continue;
    if (!started) {
      if (first != nullptr && &source != first) continue;
      first = &source;
      started = true;
    } else if (source.paragraph() != first->paragraph() ||
               source.footnote() != first->footnote() ||
               absl::StrContains(out, source.excerpt())) {
      continue;
    }
    if (!out.empty()) out += ' ';
    out += source.excerpt();
  }
  return out;
}

// The entity a record is about; for an inter-agency group, the organization
// its acronym names, where the registry knows it (`organizations/ICAT`).
std::string EntityOf(const Message& record, const EntityNames& names,
                     const common::v1::PartialDate& date) {
  if (const auto* o = dynamic_cast<const enforcement::v1::Observation*>(&record)) {
    return o->entity();
  }
  if (const auto* r = dynamic_cast<const reporting::v1::Response*>(&record)) {
    return r->entity();
  }
  if (const auto* l = dynamic_cast<const legislation::v1::Legislation*>(&record);
      l != nullptr && !l->entity().name().empty()) {
    return l->entity().name();
  }
  if (const auto* g =
          dynamic_cast<const coordination::v1::InterAgencyGroup*>(&record)) {
    return absl::StrCat("organizations/", g->acronym());
  }
  return EntityOfRecordName(StringField(record, "name"));
}

std::string Yes(bool b) { return b ? "yes" : "no"; }

std::string TreatyStatusKeyword(legislation::v1::TreatyStatus status) {
  switch (status) {
    case legislation::v1::TREATY_STATUS_SIGNED:
      return "signed";
    case legislation::v1::TREATY_STATUS_RATIFIED:
      return "ratified";
    case legislation::v1::TREATY_STATUS_ACCEDED:
      return "acceded";
    case legislation::v1::TREATY_STATUS_RATIFICATION_IN_PROGRESS:
      return "in_progress";
    case legislation::v1::TREATY_STATUS_NOT_PARTY:
      return "not_party";
    case legislation::v1::TREATY_STATUS_SIGNED_OR_RATIFIED:
      return "signed_or_ratified";
    default:
      return "other";
  }
}

absl::Status Append(std::string& text, absl::StatusOr<std::string> sentence) {
  if (!sentence.ok()) return sentence.status();
  AppendSentence(text, *sentence);
  return absl::OkStatus();
}

absl::Status Treaty(std::string& text, const MessageArgs& entity,
                    const legislation::v1::TreatyParticipation& treaty,
                    const char* which, Language language) {
  if (treaty.status() == legislation::v1::TREATY_STATUS_UNSPECIFIED) {
    return absl::OkStatus();
  }
  const common::v1::PartialDate& date =
      treaty.consent_date().year() != 0 ? treaty.consent_date()
                                        : treaty.signature_date();
  return Append(text, FormatMessage(
                          language, "facts.legislation.treaty",
                          With(entity, {{"status", TreatyStatusKeyword(
                                                       treaty.status())},
                                        {"treaty", std::string(which)},
                                        {"has_date", Yes(date.year() != 0)},
                                        {"date", date.year() != 0
                                                     ? FormatDate(date, language)
                                                     : ""}})));
}

absl::Status Law(std::string& text, const MessageArgs& entity,
                 const legislation::v1::Law& law, Language language) {
  if (law.kind() == legislation::v1::LAW_KIND_UNSPECIFIED &&
      law.status() == legislation::v1::LAW_STATUS_UNSPECIFIED) {
    return absl::OkStatus();
  }
  const std::string kind_code(absl::StripPrefix(
      legislation::v1::LawKind_Name(law.kind()), "LAW_KIND_"));
  auto kind = FormatMessage(language, absl::StrCat("law_kind.", kind_code), {});
  if (!kind.ok()) return kind.status();
  std::string status = "other";
  if (law.status() == legislation::v1::LAW_STATUS_IN_FORCE) status = "in_force";
  if (law.status() == legislation::v1::LAW_STATUS_DRAFT) status = "draft";
  if (law.status() == legislation::v1::LAW_STATUS_NONE) status = "none";
  // The title is English free text: only the English report states it.
  const bool title = language == Language::kEnglish && !law.title().empty();
  return Append(
      text, FormatMessage(language, "facts.legislation.law",
                          With(entity, {{"status", status},
                                        {"kind", *kind},
                                        {"has_year", Yes(law.has_year())},
                                        {"year", std::to_string(law.year())},
                                        {"has_title", Yes(title)},
                                        {"title", law.title()}})));
}

std::string Duration(int months, Language language) {
  const bool years = months % 12 == 0;
  const int64_t n = years ? months / 12 : months;
  auto text = FormatMessage(language, "duration",
                            {{"unit", std::string(years ? "years" : "months")},
                             {"n", n},
                             {"count", FormatNumber(n, language)}});
  return text.ok() ? *text : std::to_string(months);
}

// Facts stated of a footnote's group as a whole (the penalty range of
// footnote 5, the provisions of footnote 10's laws) go to `group`, said once
// after the entities' own sentences.
absl::StatusOr<std::string> LegislationSentences(
    const legislation::v1::Legislation& l, const MessageArgs& entity,
    Language language, std::vector<std::string>& group) {
  std::string text;
  if (l.has_protocol()) {
    if (auto s = Treaty(text, entity, l.protocol(), "protocol", language);
        !s.ok()) {
      return s;
    }
  }
  if (l.has_crc_optional_protocol()) {
    if (auto s = Treaty(text, entity, l.crc_optional_protocol(), "crc",
                        language);
        !s.ok()) {
      return s;
    }
  }
  std::vector<const legislation::v1::Law*> laws;
  if (l.has_specific_law()) laws.push_back(&l.specific_law());
  for (const auto& law : l.other_laws()) laws.push_back(&law);
  for (const auto& law : l.protection_laws()) laws.push_back(&law);
  for (const auto* law : laws) {
    if (auto s = Law(text, entity, *law, language); !s.ok()) return s;
    if (law->has_group_provisions()) {
      std::vector<std::string> provisions;
      for (int provision : law->group_provisions().provisions()) {
        auto phrase = FormatMessage(
            language,
            absl::StrCat("provision.",
                         absl::StripPrefix(
                             legislation::v1::ProtectionProvision_Name(
                                 static_cast<legislation::v1::ProtectionProvision>(
                                     provision)),
                             "PROTECTION_PROVISION_")),
            {});
        if (!phrase.ok()) return phrase.status();
        provisions.push_back(*phrase);
      }
      auto sentence = FormatMessage(language, "facts.legislation.group_provisions",
                                    {{"provisions", JoinList(provisions, language)}});
      if (!sentence.ok()) return sentence.status();
      group.push_back(*sentence);
    }
  }
  for (const auto& m : l.implementation_measures()) {
    const std::string kind(absl::StripPrefix(
        legislation::v1::ImplementationMeasureKind_Name(m.kind()),
        "IMPLEMENTATION_MEASURE_KIND_"));
    const std::string status =
        m.status() == legislation::v1::IMPLEMENTATION_STATUS_IN_DEVELOPMENT
            ? "in_development"
            : "in_place";
    if (auto s = Append(
            text, FormatMessage(
                      language, "facts.legislation.implementation",
                      With(entity, {{"kind", kind},
                                    {"status", status},
                                    {"has_since", Yes(m.has_since())},
                                    {"since", m.has_since()
                                                  ? FormatDate(m.since(), language)
                                                  : ""}})));
        !s.ok()) {
      return s;
    }
  }
  const std::pair<const char*, const legislation::v1::BooleanFact*> facts[] = {
      {"domestic_offences",
       l.has_domestic_offences_cover_trafficking()
           ? &l.domestic_offences_cover_trafficking()
           : nullptr},
      {"user_liability", l.has_user_liability() ? &l.user_liability() : nullptr},
      {"money_laundering", l.has_money_laundering_predicate()
                               ? &l.money_laundering_predicate()
                               : nullptr},
  };
  for (const auto& [fact, value] : facts) {
    if (value == nullptr) continue;
    if (auto s = Append(text, FormatMessage(
                                  language, "facts.legislation.boolean",
                                  With(entity, {{"fact", std::string(fact)},
                                                {"value", Yes(value->value())}})));
        !s.ok()) {
      return s;
    }
  }
  if (l.exploitation_coverage().forms_size() > 0) {
    std::vector<std::string> forms;
    for (int form : l.exploitation_coverage().forms()) {
      const std::string code(absl::StripPrefix(
          common::v1::ExploitationForm_Name(
              static_cast<common::v1::ExploitationForm>(form)),
          "EXPLOITATION_FORM_"));
      auto phrase =
          FormatMessage(language, absl::StrCat("exploitation.", code), {});
      if (phrase.ok()) forms.push_back(*phrase);
    }
    if (auto s = Append(text, FormatMessage(
                                  language, "facts.legislation.exploitation",
                                  With(entity, {{"forms", JoinList(forms, language)}})));
        !s.ok()) {
      return s;
    }
  }
  if (l.penalties().has_group_range()) {
    const auto& g = l.penalties().group_range();
    auto sentence = FormatMessage(
        language, "facts.legislation.group_range",
        {{"fine", Yes(g.fine_from())},
         {"has_min", Yes(g.has_min_imprisonment_months())},
         {"min", Duration(g.min_imprisonment_months(), language)},
         {"max", Duration(g.max_imprisonment_months(), language)},
         {"confiscation", Yes(g.confiscation())}});
    if (!sentence.ok()) return sentence.status();
    group.push_back(*sentence);
  }
  const auto& own = l.penalties();
  if (l.has_penalties() &&
      (own.has_fine() || own.has_min_imprisonment_months() ||
       own.has_max_imprisonment_months() || own.has_life_imprisonment() ||
       own.has_confiscation())) {
    const auto& p = l.penalties();
    std::string range = "other";
    if (p.has_min_imprisonment_months() && p.has_max_imprisonment_months()) {
      range = "both";
    } else if (p.has_min_imprisonment_months()) {
      range = "min";
    } else if (p.has_max_imprisonment_months()) {
      range = "max";
    }
    if (auto s = Append(
            text,
            FormatMessage(
                language, "facts.legislation.penalties",
                With(entity,
                     {{"range", range},
                      {"min", Duration(p.min_imprisonment_months(), language)},
                      {"max", Duration(p.max_imprisonment_months(), language)},
                      {"life", Yes(p.life_imprisonment())},
                      {"fine", Yes(p.fine())},
                      {"confiscation", Yes(p.confiscation())}})));
        !s.ok()) {
      return s;
    }
  }
  if (l.has_aggravating_circumstances()) {
    const auto& a = l.aggravating_circumstances();
    std::vector<std::string> circumstances;
    auto add = [&](const char* id, MessageArgs args) {
      auto phrase = FormatMessage(language, id, args);
      if (phrase.ok()) circumstances.push_back(*phrase);
    };
    if (a.minor_victim()) {
      add("aggravating.minor_victim",
          {{"has_age", Yes(a.has_age_of_majority())},
           {"age", std::to_string(a.age_of_majority())}});
    }
    if (a.grave_consequences()) add("aggravating.grave_consequences", {});
    if (a.criminal_group()) add("aggravating.criminal_group", {});
    if (!circumstances.empty()) {
      if (auto s = Append(
              text, FormatMessage(language, "facts.legislation.aggravating",
                                  With(entity, {{"circumstances",
                                                 JoinList(circumstances,
                                                          language)}})));
          !s.ok()) {
        return s;
      }
    }
  }
  return text;
}

// Any other record: what it is (from its collection, or its measure type),
// its period where it has one, and what it says: the French excerpt of its
// source in French (« »), its own English text in English.
// "Afghanistan, Iraq et Serbie (Kosovo)" as locatives: where a training's
// trainees are deployed.
absl::StatusOr<std::string> PlacesSentence(
    const google::protobuf::RepeatedPtrField<coordination::v1::Place>& places,
    const MessageArgs& entity, const EntityNames& names,
    const common::v1::PartialDate& date, Language language) {
  std::vector<std::string> where;
  for (const auto& place : places) {
    auto name = names.Name(place.country(), date, language, NameForm::kLocative);
    if (!name.ok()) return name.status();
    where.push_back(place.locality().empty()
                        ? *name
                        : absl::StrCat(*name, " (", place.locality(), ")"));
  }
  return FormatMessage(language, "facts.record.deployed",
                       With(entity, {{"places", JoinList(where, language)}}));
}

absl::StatusOr<std::string> RecordSentence(absl::string_view collection,
                                           const Message& record,
                                           const MessageArgs& entity,
                                           const EntityNames& names,
                                           const common::v1::PartialDate& date,
                                           Language language) {
  // Structured facts the generic sentence does not carry, said after it.
  std::string extra;
  if (const auto* t =
          dynamic_cast<const coordination::v1::TrainingActivity*>(&record);
      t != nullptr && t->deployment_places_size() > 0) {
    auto places = PlacesSentence(t->deployment_places(), entity, names, date,
                                 language);
    if (!places.ok()) return places.status();
    extra = absl::StrCat(" ", *places);
  }
  std::string measure;
  if (const auto* m = dynamic_cast<const assistance::v1::Measure*>(&record)) {
    auto phrase = FormatMessage(
        language, absl::StrCat("measure_type.", m->measure_type()), {});
    if (absl::IsNotFound(phrase.status())) {
      phrase = FormatMessage(language, "measure_type.other", {});
    }
    if (!phrase.ok()) return phrase.status();
    measure = *phrase;
  }
  std::string period;
  if (const FieldDescriptor* f =
          record.GetDescriptor()->FindFieldByName("period");
      f != nullptr &&
      f->message_type() == common::v1::ReportingPeriod::descriptor()) {
    period = FormatPeriod(static_cast<const common::v1::ReportingPeriod&>(
                              record.GetReflection()->GetMessage(record, f)),
                          language);
  }
  std::string quote;
  if (language == Language::kFrench) {
    // A statement the source words as a sentence about the entity ("El
    // Salvador a signalé l’adoption d’un protocole ...") is that sentence.
    std::string name;
    for (const auto& [key, value] : entity) {
      if (key == "entity") name = std::get<std::string>(value);
    }
    const std::string statement = FrenchStatementOf(record, name);
    if (!name.empty() && absl::StartsWith(statement, name + " ")) {
      return absl::StrCat(
          absl::EndsWith(statement, ".") ? statement
                                         : absl::StrCat(statement, "."),
          extra);
    }
    quote = FrenchExcerptOf(record);
  } else {
    const std::string title = StringField(record, "display_name");
    std::string body;
    // `notes` are the analysts' notes on the data, never published.
    for (const char* field : {"description", "purpose", "mandate"}) {
      body = StringField(record, field);
      if (!body.empty()) break;
    }
    quote = title.empty() ? AsClause(body)
            : body.empty()
                ? title
                : absl::StrCat(title, " (", AsClause(body), ")");
  }
  auto sentence = FormatMessage(
      language, "facts.record",
      With(entity, {{"collection", std::string(collection)},
                    {"measure", measure},
                    {"has_period", Yes(!period.empty())},
                    {"period", period},
                    {"has_quote", Yes(!quote.empty())},
                    {"quote", quote}}));
  if (!sentence.ok()) return sentence;
  return absl::StrCat(*sentence, extra);
}

absl::StatusOr<std::string> ResponseSentence(const reporting::v1::Response& r,
                                             const MessageArgs& entity,
                                             Language language) {
  const auto& date = r.received_date();
  std::string precision = "none";
  if (date.year() != 0) {
    precision = date.day() > 0     ? "day"
                : date.month() > 0 ? "month"
                                   : "year";
  }
  return FormatMessage(
      language, "facts.response",
      With(entity,
           {{"precision", precision},
            {"date", date.year() != 0 ? FormatDate(date, language) : ""}}));
}

}  // namespace

absl::StatusOr<FactsText> RenderFacts(
    absl::string_view collection,
    const std::vector<const google::protobuf::Message*>& records,
    const CycleData& data, const EntityNames& names,
    const common::v1::PartialDate& date, Language language) {
  auto type = CollectionTypes().find(collection);
  if (type == CollectionTypes().end()) {
    return InvalidField("collection",
                        absl::StrCat("\"", Abbreviate(collection),
                                     "\" is not a collection of the report"));
  }
  // Records by entity; entities ordered States first, each group collated.
  std::map<std::string, std::vector<const Message*>> by_entity;
  for (const Message* record : records) {
    if (record == nullptr || record->GetDescriptor()->full_name() != type->second) {
      return InvalidField("records", absl::StrCat("every record of \"",
                                                  collection, "\" must be a ",
                                                  type->second));
    }
    by_entity[EntityOf(*record, names, date)].push_back(record);
  }
  std::vector<std::string> entities;
  for (const auto& [entity, unused] : by_entity) entities.push_back(entity);
  auto ordered = names.InReportOrder(entities, date, language);
  if (!ordered.ok()) return ordered.status();

  FactsText facts;
  std::vector<std::string> group_sentences;  // said once, after the entities
  std::set<std::string> said;      // a record that says what another said
  for (const std::string& entity : *ordered) {
    auto args = internal::EntityArgs(entity, names, date, language);
    if (!args.ok()) return args.status();
    const std::vector<const Message*>& group = by_entity[entity];
    for (const Message* record : group) {
      facts.records.push_back(StringField(*record, "name"));
    }
    if (collection == "observations") {
      std::vector<const enforcement::v1::Observation*> observations;
      for (const Message* record : group) {
        observations.push_back(
            static_cast<const enforcement::v1::Observation*>(record));
      }
      auto text = internal::ObservationSentences(observations, *args, data,
                                                 names, date, language);
      if (!text.ok()) return text.status();
      AppendSentence(facts.text, *text);
      continue;
    }
    for (const Message* record : group) {
      absl::StatusOr<std::string> text;
      if (collection == "legislations") {
        text = LegislationSentences(
            static_cast<const legislation::v1::Legislation&>(*record), *args,
            language, group_sentences);
      } else if (collection == "responses") {
        text = ResponseSentence(
            static_cast<const reporting::v1::Response&>(*record), *args,
            language);
      } else {
        text = RecordSentence(collection, *record, *args, names, date,
                              language);
      }
      if (!text.ok()) return text.status();
      if (!said.insert(*text).second) continue;
      AppendSentence(facts.text, *text);
    }
  }
  for (const std::string& sentence : group_sentences) {
    if (!said.insert(sentence).second) continue;
    AppendSentence(facts.text, sentence);
  }
  return facts;
}

}  // namespace palermo::reporting
