// Helpers shared by the fact renderers (facts.cc, facts_observations.cc):
// the entity's name as a sentence opens with it, and source quotations.
#ifndef PALERMO_SERVICES_REPORTING_FACTS_INTERNAL_H_
#define PALERMO_SERVICES_REPORTING_FACTS_INTERNAL_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "palermo/common/v1/common.pb.h"
#include "services/reporting/cycle_data.h"
#include "services/reporting/entity_names.h"
#include "services/reporting/language.h"
#include "services/reporting/text.h"

namespace palermo::reporting::internal {

// The arguments every fact sentence takes: `entity` (article form,
// capitalised) and `number` ("plural" or "singular", for verb agreement).
absl::StatusOr<MessageArgs> EntityArgs(const std::string& entity,
                                       const EntityNames& names,
                                       const common::v1::PartialDate& date,
                                       Language language);

// The first French excerpt of `sources`, or "".
std::string FrenchExcerpt(
    const google::protobuf::RepeatedPtrField<common::v1::Provenance>& sources);

// English free text as a clause: first letter lowercased unless the second
// is upper case too ("Includes ..." -> "includes ...", "ICAT" stays).
std::string AsClause(const std::string& text);

// `args` followed by `more`.
inline MessageArgs With(MessageArgs args, MessageArgs more) {
  for (auto& arg : more) args.push_back(std::move(arg));
  return args;
}

// Appends `sentence` to `text`, one space apart.
void AppendSentence(std::string& text, const std::string& sentence);

// Observations (facts_observations.cc): the sentences for one entity's
// observations.
absl::StatusOr<std::string> ObservationSentences(
    const std::vector<const enforcement::v1::Observation*>& observations,
    const MessageArgs& entity, const CycleData& data, const EntityNames& names,
    const common::v1::PartialDate& date, Language language);

}  // namespace palermo::reporting::internal

#endif  // PALERMO_SERVICES_REPORTING_FACTS_INTERNAL_H_
