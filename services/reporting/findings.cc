// The rule table, RunFindings (every rule, then the order of the findings)
// and the helpers the rules share.
#include "services/reporting/findings.h"

#include <algorithm>
#include <set>
#include <tuple>

#include "absl/strings/str_join.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/reflection.h"
#include "services/reporting/findings_internal.h"

namespace palermo::reporting {
namespace {

namespace fi = findings_internal;

std::vector<RuleInfo> MakeRules() {
  std::vector<RuleInfo> rules = {
      {std::string(fi::kContradictoryCounts), v1::SEVERITY_ERROR,
       "In one entity, breakdown and exactly the same period, a count exceeds "
       "the count it is part of: more persons prosecuted than arrested "
       "(PERSONS_PROSECUTED > PERSONS_ARRESTED), or more trafficking-related "
       "hotline calls than hotline calls (HOTLINE_CALLS_TRAFFICKING > "
       "HOTLINE_CALLS). Equal counts, figures without a value and figures "
       "whose definition differs are not compared.",
       "Pour une même entité, une même ventilation et exactement la même "
       "période, un effectif dépasse celui dont il fait partie : plus de "
       "personnes poursuivies qu'arrêtées (PERSONS_PROSECUTED > "
       "PERSONS_ARRESTED), ou plus d'appels liés à la traite que d'appels "
       "reçus par la ligne d'assistance (HOTLINE_CALLS_TRAFFICKING > "
       "HOTLINE_CALLS). Les effectifs égaux, les chiffres sans valeur et "
       "ceux dont la définition diffère ne sont pas comparés."},
      {std::string(fi::kDefinitionDiffers), v1::SEVERITY_WARNING,
       "A figure whose observation status is DEFINITION_DIFFERS: what it "
       "counts differs from its indicator's definition, so it cannot be "
       "compared or summed with the indicator's other figures.",
       "Un chiffre dont le statut d'observation est DEFINITION_DIFFERS : ce "
       "qu'il compte diffère de la définition de son indicateur ; il ne peut "
       "être ni comparé ni additionné aux autres chiffres de l'indicateur."},
      {std::string(fi::kFactsWithoutResponse), v1::SEVERITY_WARNING,
       "An entity with facts of the cycle in some domain (a legislation "
       "record counts only if it holds a fact other than its entity, notes, "
       "quality notes and listing as a respondent) but no response in the "
       "cycle: it is cited without "
       "being listed among the respondents.",
       "Une entité dont des faits du cycle sont enregistrés dans un domaine "
       "(un dossier de législation ne compte que s'il contient un fait autre "
       "que son entité, ses notes, ses notes de qualité et son inscription "
       "parmi les répondants) mais qui n'a pas "
       "de réponse dans le cycle : elle est citée sans figurer parmi les "
       "répondants."},
      {std::string(fi::kLateResponse), v1::SEVERITY_WARNING,
       "A response whose timeliness is AFTER_CUTOFF, or whose received date "
       "begins after the cycle's cut-off date ends: it is not among the "
       "report's respondents.",
       "Une réponse dont la ponctualité est AFTER_CUTOFF, ou dont la date de "
       "réception commence après la fin de la date limite de prise en compte "
       "du cycle : elle ne figure pas parmi les répondants du rapport."},
      {std::string(fi::kOverlappingPeriods), v1::SEVERITY_WARNING,
       "Two dated figures of one series (entity, indicator, sex, age group, "
       "form of exploitation, citizenship) whose periods share at least one "
       "day, one containing the other or overlapping it (an open end counts "
       "as unbounded): they must not be added up. Periods that touch without "
       "sharing a day do not overlap.",
       "Deux chiffres datés d'une même série (entité, indicateur, sexe, "
       "tranche d'âge, forme d'exploitation, nationalité) dont les périodes "
       "ont au moins un jour en commun, l'une contenant l'autre ou la "
       "chevauchant (une borne ouverte est illimitée) : ils ne doivent pas "
       "être additionnés. Des périodes qui se touchent sans jour commun ne se "
       "chevauchent pas."},
      {std::string(fi::kRatifiedNotRecorded), v1::SEVERITY_ERROR,
       "A specific anti-trafficking law recorded as not completed (DRAFT or "
       "NONE) from the same source (document, paragraph and footnote) as the "
       "specific laws of other entities whose Protocol status is RATIFIED or "
       "ACCEDED, every other entity of that source with a recorded Protocol "
       "status having ratified or acceded, while this entity's Protocol "
       "status is neither: the source groups it among States that ratified "
       "(the set it names is a subset of those that ratified), which its "
       "record contradicts.",
       "Une loi spécifique contre la traite enregistrée comme non achevée "
       "(DRAFT ou NONE) d'après la même source (document, paragraphe et note) "
       "que les lois spécifiques d'autres entités dont le statut à l'égard du "
       "Protocole est RATIFIED ou ACCEDED, toutes les autres entités de cette "
       "source dont le statut est enregistré l'ayant ratifié ou y ayant "
       "adhéré, alors que le statut de cette entité n'est ni l'un ni "
       "l'autre : la source la range parmi les États qui ont ratifié "
       "(l'ensemble qu'elle nomme est inclus dans celui des États qui ont "
       "ratifié), ce que son dossier contredit."},
      {std::string(fi::kRespondentWithoutFacts), v1::SEVERITY_WARNING,
       "An entity with a response in the cycle but no fact of the cycle in "
       "any domain (a legislation record counts only if it holds a fact "
       "other than its entity, notes, quality notes and listing as a "
       "respondent): the report lists it "
       "among the respondents without reporting anything from it.",
       "Une entité qui a une réponse dans le cycle mais aucun fait du cycle "
       "dans aucun domaine (un dossier de législation ne compte que s'il "
       "contient un fait autre que son entité, ses notes, ses notes de "
       "qualité et son inscription parmi les répondants) : le rapport la "
       "compte parmi les répondants sans rien "
       "rapporter de sa réponse."},
      {std::string(fi::kUndatedFigure), v1::SEVERITY_WARNING,
       "A figure with no period, or whose period has neither start nor end.",
       "Un chiffre sans période, ou dont la période n'a ni début ni fin."},
      {std::string(fi::kUnknownReceivedDate), v1::SEVERITY_INFO,
       "Responses whose received date is not known, in one finding: they are "
       "counted among the respondents as if received by the cut-off.",
       "Les réponses dont la date de réception n'est pas connue, en une seule "
       "constatation : elles sont comptées parmi les répondants comme si "
       "elles étaient arrivées avant la date limite de prise en compte."},
  };
  std::sort(rules.begin(), rules.end(),
            [](const RuleInfo& a, const RuleInfo& b) { return a.id < b.id; });
  return rules;
}

// Legislation fields that are no fact: identity, bookkeeping, free text,
// and quality notes.
bool IsFactField(const google::protobuf::FieldDescriptor* field) {
  static const std::set<std::string>* const kNotFacts =
      new std::set<std::string>{
          "name",          "entity", "notes",
          "quality_notes", "etag",   "create_time",          "update_time"};
  return kNotFacts->count(field->name()) == 0;
}

bool HoldsFact(const legislation::v1::Legislation& record) {
  std::vector<const google::protobuf::FieldDescriptor*> fields;
  record.GetReflection()->ListFields(record, &fields);
  return std::any_of(fields.begin(), fields.end(), IsFactField);
}

template <typename Record>
void AddByName(const std::vector<Record>& records,
               std::map<std::string, std::vector<std::string>>& out) {
  for (const Record& record : records) {
    const std::string entity = EntityOfRecordName(record.name());
    if (!entity.empty()) out[entity].push_back(record.name());
  }
}

}  // namespace

namespace findings_internal {

v1::Finding MakeFinding(absl::string_view rule,
                        const std::vector<std::string>& entities,
                        const std::vector<std::string>& records,
                        const std::string& fr, const std::string& en) {
  v1::Finding finding;
  finding.set_rule(std::string(rule));
  for (const RuleInfo& info : Rules()) {
    if (info.id == rule) finding.set_severity(info.severity);
  }
  for (const std::string& entity : entities) {
    if (!entity.empty()) finding.add_entities(entity);
  }
  for (const std::string& record : records) {
    if (!record.empty()) finding.add_records(record);
  }
  v1::LocalizedText* text = finding.add_explanations();
  text->set_language("fr");
  text->set_text(fr);
  text = finding.add_explanations();
  text->set_language("en");
  text->set_text(en);
  return finding;
}

std::string Code(absl::string_view entity) {
  const size_t slash = entity.rfind('/');
  return std::string(
      slash == absl::string_view::npos ? entity : entity.substr(slash + 1));
}

std::string JoinCodes(const std::vector<std::string>& entities) {
  std::vector<std::string> codes;
  codes.reserve(entities.size());
  for (const std::string& entity : entities) codes.push_back(Code(entity));
  return absl::StrJoin(codes, ", ");
}

bool DateGiven(const common::v1::PartialDate& date) { return date.year() != 0; }

std::map<std::string, std::vector<std::string>> FactRecordsByEntity(
    const CycleData& data) {
  std::map<std::string, std::vector<std::string>> out;
  for (const legislation::v1::Legislation& record : data.legislations) {
    if (!HoldsFact(record)) continue;
    std::string entity = EntityOfRecordName(record.name());
    if (entity.empty()) entity = record.entity().name();
    if (!entity.empty()) out[entity].push_back(record.name());
  }
  for (const enforcement::v1::Observation& observation : data.observations) {
    std::string entity = observation.entity();
    if (entity.empty()) entity = EntityOfRecordName(observation.name());
    if (!entity.empty()) out[entity].push_back(observation.name());
  }
  AddByName(data.measures, out);
  AddByName(data.coordination_bodies, out);
  AddByName(data.action_plans, out);
  AddByName(data.referral_mechanisms, out);
  AddByName(data.training_activities, out);
  AddByName(data.awareness_campaigns, out);
  AddByName(data.cooperation_activities, out);
  return out;
}

}  // namespace findings_internal

const std::vector<RuleInfo>& Rules() {
  static const std::vector<RuleInfo>* const kRules =
      new std::vector<RuleInfo>(MakeRules());
  return *kRules;
}

std::vector<v1::Finding> RunFindings(const CycleData& data) {
  std::vector<v1::Finding> findings;
  findings_internal::ResponseRules(data, findings);
  findings_internal::LegislationRules(data, findings);
  findings_internal::EnforcementRules(data, findings);
  auto key = [](const v1::Finding& f) {
    return std::make_tuple(
        f.rule(),
        std::vector<std::string>(f.entities().begin(), f.entities().end()),
        std::vector<std::string>(f.records().begin(), f.records().end()));
  };
  std::stable_sort(findings.begin(), findings.end(),
                   [&](const v1::Finding& a, const v1::Finding& b) {
                     return key(a) < key(b);
                   });
  return findings;
}

}  // namespace palermo::reporting
