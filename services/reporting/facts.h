// Sentences stating what an entity reported, one renderer per collection,
// from the message catalogue of each language: the figures of observations
// with their periods as reported (and a figure's note, e.g. Cuba's
// "trafficking or migrant smuggling"), legislation facts, measures,
// coordination records. Used by the report's `{{facts ...}}` directive.
#ifndef PALERMO_SERVICES_REPORTING_FACTS_H_
#define PALERMO_SERVICES_REPORTING_FACTS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "google/protobuf/message.h"
#include "services/reporting/cycle_data.h"
#include "services/reporting/entity_names.h"
#include "services/reporting/language.h"

namespace palermo::reporting {

struct FactsText {
  std::string text;                  // Markdown, one or more sentences
  std::vector<std::string> records;  // the resource names it states
};

// Sentences for `records` (all of one collection, any entities), grouped by
// entity (entities in collation order, each sentence opening with the
// entity's name), as of `date` for names. `collection` is a COLL name of
// report-design.md. Observations are identified by their `name`.
absl::StatusOr<FactsText> RenderFacts(
    absl::string_view collection,
    const std::vector<const google::protobuf::Message*>& records,
    const CycleData& data, const EntityNames& names,
    const common::v1::PartialDate& date, Language language);

}  // namespace palermo::reporting

#endif  // PALERMO_SERVICES_REPORTING_FACTS_H_
