// Rules over legislation records: set relations the data contradicts
// (RATIFIED_NOT_RECORDED). A source (document, paragraph, footnote) that
// records specific laws not completed for several entities names a set;
// when every other entity of that set with a recorded Protocol status has
// ratified or acceded, the set is one of States that ratified (E/CN.15/2008/6
// fn 2 "ratified, law not completed" is a subset of fn 1 "ratified"), and a
// member whose Protocol status is not ratified contradicts it.
#include <algorithm>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/substitute.h"
#include "services/reporting/findings_internal.h"

namespace palermo::reporting::findings_internal {
namespace {

using legislation::v1::Legislation;
using SourceKey = std::tuple<std::string, int32_t, int32_t>;

bool NotCompleted(legislation::v1::LawStatus status) {
  return status == legislation::v1::LAW_STATUS_DRAFT ||
         status == legislation::v1::LAW_STATUS_NONE;
}

bool Ratified(legislation::v1::TreatyStatus status) {
  return status == legislation::v1::TREATY_STATUS_RATIFIED ||
         status == legislation::v1::TREATY_STATUS_ACCEDED;
}

std::string EntityOf(const Legislation& record) {
  std::string entity = EntityOfRecordName(record.name());
  return entity.empty() ? record.entity().name() : entity;
}

// "DRAFT" from LAW_STATUS_DRAFT.
std::string LawStatusName(legislation::v1::LawStatus status) {
  absl::string_view name = legislation::v1::LawStatus_Name(status);
  absl::ConsumePrefix(&name, "LAW_STATUS_");
  return std::string(name);
}

// "SIGNED" from TREATY_STATUS_SIGNED; "non renseigné" / "not recorded" when
// unset.
std::string TreatyStatusText(legislation::v1::TreatyStatus status,
                             bool french) {
  if (status == legislation::v1::TREATY_STATUS_UNSPECIFIED) {
    return french ? "non renseigné" : "not recorded";
  }
  absl::string_view name = legislation::v1::TreatyStatus_Name(status);
  absl::ConsumePrefix(&name, "TREATY_STATUS_");
  return std::string(name);
}

// "E/CN.15/2008/6, paragraphe 5, note 2".
std::string SourceText(const SourceKey& key, bool french) {
  const auto& [document, paragraph, footnote] = key;
  std::string text = document.empty() ? "?" : document;
  if (paragraph != 0) {
    absl::StrAppend(&text, french ? ", paragraphe " : ", paragraph ",
                    paragraph);
  }
  if (footnote != 0) {
    absl::StrAppend(&text, french ? ", note " : ", footnote ", footnote);
  }
  return text;
}

void Contradiction(const SourceKey& key, const Legislation& record,
                   const std::vector<const Legislation*>& ratified,
                   std::vector<v1::Finding>& out) {
  const std::string entity = EntityOf(record);
  const std::string code = Code(entity);
  std::vector<std::string> records = {record.name()};
  std::vector<std::string> peers;
  for (const Legislation* peer : ratified) {
    records.push_back(peer->name());
    peers.push_back(EntityOf(*peer));
  }
  const std::string law = LawStatusName(record.specific_law().status());
  const legislation::v1::TreatyStatus status = record.protocol().status();
  out.push_back(MakeFinding(
      kRatifiedNotRecorded, {entity}, records,
      absl::Substitute(
          "La loi spécifique contre la traite de $0 est enregistrée comme non "
          "achevée ($1) d'après $2, source qui enregistre aussi les lois "
          "spécifiques de $3, dont le statut à l'égard du Protocole est "
          "RATIFIED ou ACCEDED (aucune autre entité de cette source n'a un "
          "autre statut enregistré). Cette source range donc $0 parmi les "
          "États qui ont ratifié le Protocole, mais le statut de $0 à l'égard "
          "du Protocole est : $4. Enregistrer ce statut tel que la source le "
          "donne, ou corriger la source de la loi.",
          code, law, SourceText(key, true), JoinCodes(peers),
          TreatyStatusText(status, true)),
      absl::Substitute(
          "The specific anti-trafficking law of $0 is recorded as not "
          "completed ($1) from $2, the source that also records the specific "
          "laws of $3, whose Protocol status is RATIFIED or ACCEDED (no other "
          "entity of that source has another recorded status). The source "
          "thus names $0 among States that ratified the Protocol, but the "
          "Protocol status of $0 is: $4. Record that status as the source "
          "gives it, or correct the law's source.",
          code, law, SourceText(key, false), JoinCodes(peers),
          TreatyStatusText(status, false))));
}

}  // namespace

void LegislationRules(const CycleData& data, std::vector<v1::Finding>& out) {
  // Records whose specific law is not completed, per source of that law.
  std::map<SourceKey, std::vector<const Legislation*>> groups;
  for (const Legislation& record : data.legislations) {
    if (!record.has_specific_law() ||
        !NotCompleted(record.specific_law().status())) {
      continue;
    }
    std::vector<SourceKey> seen;
    for (const common::v1::Provenance& source :
         record.specific_law().sources()) {
      SourceKey key{source.document_symbol(), source.paragraph(),
                    source.footnote()};
      if (std::find(seen.begin(), seen.end(), key) != seen.end()) continue;
      seen.push_back(key);
      groups[key].push_back(&record);
    }
  }
  for (const auto& [key, members] : groups) {
    for (const Legislation* member : members) {
      if (Ratified(member->protocol().status())) continue;
      std::vector<const Legislation*> ratified;
      bool contrary = false;
      for (const Legislation* other : members) {
        if (other == member) continue;
        const legislation::v1::TreatyStatus status = other->protocol().status();
        if (Ratified(status)) {
          ratified.push_back(other);
        } else if (status != legislation::v1::TREATY_STATUS_UNSPECIFIED) {
          contrary = true;
        }
      }
      if (!ratified.empty() && !contrary) {
        Contradiction(key, *member, ratified, out);
      }
    }
  }
}

}  // namespace palermo::reporting::findings_internal
