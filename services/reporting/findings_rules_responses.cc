// Rules over the cycle's responses: respondents of whom no fact is
// recorded (RESPONDENT_WITHOUT_FACTS), entities with facts but no response
// (FACTS_WITHOUT_RESPONSE), responses after the cut-off (LATE_RESPONSE) and
// responses of unknown date (UNKNOWN_RECEIVED_DATE).
#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "absl/strings/substitute.h"
#include "services/common/periods.h"
#include "services/reporting/findings_internal.h"

namespace palermo::reporting::findings_internal {
namespace {

// The domains of fact record names, in the order legislation,
// enforcement, assistance, coordination, named in French or English.
std::string DomainsOf(const std::vector<std::string>& records, bool french) {
  static constexpr const char* kNames[4][2] = {
      {"legislation", "législation"},
      {"enforcement", "répression"},
      {"assistance", "assistance"},
      {"coordination", "coordination"}};
  bool present[4] = {false, false, false, false};
  for (const std::string& name : records) {
    if (absl::EndsWith(name, "/legislation")) {
      present[0] = true;
    } else if (absl::StrContains(name, "/observations/")) {
      present[1] = true;
    } else if (absl::StrContains(name, "/measures/")) {
      present[2] = true;
    } else {
      present[3] = true;
    }
  }
  std::vector<std::string> out;
  for (int i = 0; i < 4; ++i) {
    if (present[i]) out.push_back(kNames[i][french ? 1 : 0]);
  }
  return absl::StrJoin(out, ", ");
}

void RespondentWithoutFacts(
    const CycleData& data,
    const std::map<std::string, std::vector<std::string>>& facts,
    std::vector<v1::Finding>& out) {
  for (const v1::Response& response : data.responses) {
    const std::string& entity = response.entity();
    if (entity.empty() || facts.count(entity) > 0) continue;
    std::vector<std::string> records = {response.name()};
    // Its records that hold no fact (e.g. a legislation record with notes).
    for (const legislation::v1::Legislation& record : data.legislations) {
      if (EntityOfRecordName(record.name()) == entity) {
        records.push_back(record.name());
      }
    }
    const std::string code = Code(entity);
    out.push_back(MakeFinding(
        kRespondentWithoutFacts, {entity}, records,
        absl::Substitute(
            "$0 a une réponse dans le cycle $1 ($2), mais aucun fait du cycle "
            "n'est enregistré pour $0 dans aucun domaine (législation, "
            "répression, assistance, coordination) : le rapport compte $0 "
            "parmi les répondants sans rien rapporter de sa réponse. Un "
            "dossier de législation qui ne contient que son entité, des notes, "
            "des notes de qualité ou son inscription parmi les répondants "
            "n'est pas un fait.",
            code, data.cycle.name(), response.name()),
        absl::Substitute(
            "$0 has a response in cycle $1 ($2), but no fact of the cycle is "
            "recorded for $0 in any domain (legislation, enforcement, "
            "assistance, coordination): the report lists $0 among the "
            "respondents without reporting anything from its response. A "
            "legislation record holding only its entity, notes, quality notes "
            "or its listing as a respondent is not a fact.",
            code, data.cycle.name(), response.name())));
  }
}

void FactsWithoutResponse(
    const CycleData& data,
    const std::map<std::string, std::vector<std::string>>& facts,
    std::vector<v1::Finding>& out) {
  std::set<std::string> respondents;
  for (const v1::Response& response : data.responses) {
    respondents.insert(response.entity());
  }
  for (const auto& [entity, records] : facts) {
    if (respondents.count(entity) > 0) continue;
    const std::string code = Code(entity);
    out.push_back(MakeFinding(
        kFactsWithoutResponse, {entity}, records,
        absl::Substitute(
            "Des faits du cycle $1 sont enregistrés pour $0 (domaines : $2), "
            "mais le cycle n'a pas de réponse de $0 : le rapport cite $0 sans "
            "le compter parmi les répondants. Enregistrer sa réponse, ou "
            "rattacher ces faits à leur cycle.",
            code, data.cycle.name(), DomainsOf(records, true)),
        absl::Substitute(
            "Facts of cycle $1 are recorded for $0 (domains: $2), but the "
            "cycle has no response from $0: the report cites $0 without "
            "listing it among the respondents. Record its response, or "
            "attach these facts to their cycle.",
            code, data.cycle.name(), DomainsOf(records, false))));
  }
}

// Whether `received` begins after `cutoff` ends (both given).
bool AfterCutoff(const common::v1::PartialDate& received,
                 const common::v1::PartialDate& cutoff) {
  return DateGiven(received) && DateGiven(cutoff) &&
         FirstDay(received) > LastDay(cutoff);
}

void LateResponses(const CycleData& data, std::vector<v1::Finding>& out) {
  const common::v1::PartialDate& cutoff = data.cycle.cutoff_date();
  const std::string cutoff_text =
      DateGiven(cutoff) ? FormatDate(cutoff) : std::string("?");
  for (const v1::Response& response : data.responses) {
    const bool late = response.timeliness() == v1::TIMELINESS_AFTER_CUTOFF ||
                      AfterCutoff(response.received_date(), cutoff);
    if (!late) continue;
    const std::string code = Code(response.entity());
    const std::string received = DateGiven(response.received_date())
                                     ? FormatDate(response.received_date())
                                     : std::string("?");
    out.push_back(MakeFinding(
        kLateResponse, {response.entity()}, {response.name()},
        absl::Substitute(
            "La réponse de $0 ($1) a été reçue le $2, après la date limite de "
            "prise en compte du cycle ($3) : $0 ne figure pas parmi les "
            "répondants du rapport, et les faits de cette réponse ne "
            "devraient pas y figurer.",
            code, response.name(), received, cutoff_text),
        absl::Substitute(
            "The response of $0 ($1) was received on $2, after the cycle's "
            "cut-off ($3): $0 is not among the report's respondents, and the "
            "facts of this response should not be in it.",
            code, response.name(), received, cutoff_text)));
  }
}

void UnknownReceivedDates(const CycleData& data,
                          std::vector<v1::Finding>& out) {
  std::vector<std::string> entities;
  std::vector<std::string> records;
  for (const v1::Response& response : data.responses) {
    if (DateGiven(response.received_date())) continue;
    entities.push_back(response.entity());
    records.push_back(response.name());
  }
  if (records.empty()) return;
  std::sort(entities.begin(), entities.end());
  std::sort(records.begin(), records.end());
  out.push_back(MakeFinding(
      kUnknownReceivedDate, entities, records,
      absl::Substitute(
          "Date de réception inconnue pour les réponses de : $0. Elles sont "
          "comptées parmi les répondants comme si elles étaient arrivées "
          "avant la date limite de prise en compte du cycle $1 ; enregistrer "
          "leur date si elle est connue.",
          JoinCodes(entities), data.cycle.name()),
      absl::Substitute(
          "Received date unknown for the responses of: $0. They are counted "
          "among the respondents as if received by the cut-off of cycle $1; "
          "record their date if it is known.",
          JoinCodes(entities), data.cycle.name())));
}

}  // namespace

void ResponseRules(const CycleData& data, std::vector<v1::Finding>& out) {
  const std::map<std::string, std::vector<std::string>> facts =
      FactRecordsByEntity(data);
  RespondentWithoutFacts(data, facts, out);
  FactsWithoutResponse(data, facts, out);
  LateResponses(data, out);
  UnknownReceivedDates(data, out);
}

}  // namespace palermo::reporting::findings_internal
