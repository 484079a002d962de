// libFuzzer target: the SDMX-CSV parser (services/enforcement/sdmx_csv.h).
// An input is a CSV file. Each row parsed without a problem and whose
// observation passes the shared checks is written back as a line, which
// must parse again to the same observation (export then import is
// lossless).
#include <google/protobuf/util/message_differencer.h>

#include <cstdio>
#include <cstdlib>

#include "fuzz/fuzz_support.h"
#include "services/common/entities.h"
#include "services/common/validation.h"
#include "services/enforcement/sdmx_csv.h"

namespace palermo::fuzz {
namespace {

namespace v1 = enforcement::v1;

// As EnforcementDomain::ImportSdmxCsv maps REF_AREA.
std::string EntityOfArea(absl::string_view area) {
  const std::string country = absl::StrCat("countries/", area);
  return Entities().Contains(country) ? country
                                      : absl::StrCat("organizations/", area);
}

std::vector<std::string> Seeds() {
  std::vector<std::string> seeds;
  for (const auto& [stem, file] :
       ReadReference<v1::ImportObservationsRequest>("enforcement")) {
    std::string csv = enforcement::SdmxCsvHeader();
    for (const auto& o : file.observations()) {
      csv += enforcement::SdmxCsvLine(o);
    }
    seeds.push_back(csv);
  }
  return seeds;
}

}  // namespace
}  // namespace palermo::fuzz

PALERMO_FUZZ_INITIALIZE(palermo::fuzz::Seeds)

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace palermo::fuzz;
  palermo::FieldViolations violations;
  const auto rows = palermo::enforcement::ParseSdmxCsv(
      absl::string_view(reinterpret_cast<const char*>(data), size),
      EntityOfArea, violations);
  Consume(violations.ToStatus());
  for (const auto& row : rows) {
    palermo::FieldViolations checks;
    palermo::ValidateCommonTypes(row.observation, "", checks);
    if (!checks.empty()) continue;
    const std::string again =
        palermo::enforcement::SdmxCsvHeader() +
        palermo::enforcement::SdmxCsvLine(row.observation);
    palermo::FieldViolations again_violations;
    const auto reparsed = palermo::enforcement::ParseSdmxCsv(
        again, EntityOfArea, again_violations);
    if (reparsed.size() != 1 ||
        !google::protobuf::util::MessageDifferencer::Equals(
            reparsed[0].observation, row.observation)) {
      std::fprintf(stderr,
                   "row %d does not survive export then import:\n%s\n%s\n",
                   row.number, row.observation.DebugString().c_str(),
                   again_violations.ToStatus().ToString().c_str());
      std::abort();
    }
  }
  return 0;
}
