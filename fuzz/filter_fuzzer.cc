// libFuzzer target: AIP-160 filters (services/common/filter.h). An input is
// a selector byte choosing the record type, the filter text up to the first
// NUL, then a record of that type as protobuf bytes: the filter is
// compiled, and if it compiles, matched against that record and an empty
// one.
#include <cstring>
#include <memory>

#include "fuzz/fuzz_support.h"
#include "palermo/assistance/v1/assistance.pb.h"
#include "palermo/assistance/v1/case_records.pb.h"
#include "palermo/coordination/v1/coordination.pb.h"
#include "palermo/enforcement/v1/enforcement.pb.h"
#include "palermo/legislation/v1/legislation.pb.h"
#include "palermo/reporting/v1/reporting.pb.h"
#include "services/common/filter.h"

namespace palermo::fuzz {
namespace {

using google::protobuf::Message;

// Record types List methods filter, in selector order.
const std::vector<const Message*>& Types() {
  static const auto* types = new std::vector<const Message*>{
      &legislation::v1::Legislation::default_instance(),
      &enforcement::v1::Observation::default_instance(),
      &assistance::v1::Measure::default_instance(),
      &assistance::v1::CaseRecord::default_instance(),
      &coordination::v1::CoordinationBody::default_instance(),
      &coordination::v1::ActionPlan::default_instance(),
      &coordination::v1::TrainingActivity::default_instance(),
      &coordination::v1::CooperationActivity::default_instance(),
      // ListFindings' filter (reporting_domain.cc): repeated strings and
      // messages, an enum.
      &reporting::v1::Finding::default_instance(),
  };
  return *types;
}

std::string Seed(int type, const std::string& filter, const Message& record) {
  return std::string(1, static_cast<char>(type)) + filter + '\0' +
         record.SerializeAsString();
}

std::vector<std::string> Seeds() {
  std::vector<std::string> seeds;
  auto legislation = ReadReference<legislation::v1::Legislation>("legislation");
  for (const char* filter :
       {"protocol.status = RATIFIED", "penalties:*",
        "protection_laws.kind = WITNESS_OR_VICTIM_PROTECTION",
        "specific_law.status = DRAFT AND protocol.status != RATIFIED",
        "NOT (penalties.max_imprisonment_months > 60 OR -penalties:*)",
        "name = \"countries/EST/legislation\" OR name:countries*"}) {
    for (size_t i = 0; i < legislation.size(); i += 6) {
      seeds.push_back(Seed(0, filter, legislation[i].second));
    }
  }
  auto observations =
      ReadReference<enforcement::v1::ImportObservationsRequest>("enforcement");
  for (const char* filter :
       {"indicator = \"CASES_INVESTIGATED\"", "value >= 10 AND sex = FEMALE",
        "period.start.year < 2005", "status != REPORTED OR notes:*"}) {
    seeds.push_back(Seed(1, filter, observations[0].second.observations(0)));
  }
  auto measures =
      ReadReference<assistance::v1::ListMeasuresResponse>("assistance");
  for (const char* filter : {"measure_type = \"TEMPORARY_RESIDENCE\" AND "
                             "conditional_on_cooperation = false",
                             "providers:* OR NOT provided = true"}) {
    seeds.push_back(Seed(2, filter, measures[0].second.measures(0)));
  }
  auto coordination =
      ReadReference<coordination::v1::EntityCoordination>("coordination");
  for (const auto& [stem, file] : coordination) {
    if (file.coordination_bodies_size() > 0) {
      seeds.push_back(Seed(4, "special_national_mechanism = true",
                           file.coordination_bodies(0)));
    }
    if (file.action_plans_size() > 0) {
      seeds.push_back(Seed(5, "status = ADOPTED AND period.end.year >= 2007",
                           file.action_plans(0)));
    }
  }
  reporting::v1::Finding finding;
  finding.set_rule("RESPONDENT_WITHOUT_FACTS");
  finding.set_severity(reporting::v1::SEVERITY_WARNING);
  finding.add_entities("countries/EST");
  finding.add_records("countries/EST/legislation");
  finding.add_explanations()->set_language("fr");
  for (const char* filter :
       {"rule = \"RESPONDENT_WITHOUT_FACTS\" AND severity = WARNING",
        "entities:countries/EST OR explanations.language = \"en\"",
        "NOT records:* AND -severity = INFO"}) {
    seeds.push_back(Seed(8, filter, finding));
  }
  return seeds;
}

}  // namespace
}  // namespace palermo::fuzz

PALERMO_FUZZ_INITIALIZE(palermo::fuzz::Seeds)

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace palermo::fuzz;
  if (size == 0) return -1;
  const auto& types = Types();
  const google::protobuf::Message& type = *types[data[0] % types.size()];
  const char* text = reinterpret_cast<const char*>(data + 1);
  const size_t rest = size - 1;
  const void* nul = std::memchr(text, '\0', rest);
  const size_t text_size =
      nul == nullptr ? rest : static_cast<const char*>(nul) - text;
  auto filter = palermo::Filter::Compile(absl::string_view(text, text_size),
                                         type.GetDescriptor());
  Consume(filter.status());
  if (!filter.ok()) return 0;
  (void)filter->Matches(type);
  if (nul != nullptr) {
    std::unique_ptr<google::protobuf::Message> record(type.New());
    if (record->ParseFromArray(text + text_size + 1,
                               static_cast<int>(rest - text_size - 1))) {
      (void)filter->Matches(*record);
    }
  }
  return 0;
}
