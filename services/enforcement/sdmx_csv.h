// SDMX-CSV 2.0 for enforcement observations: one header line
// `STRUCTURE,STRUCTURE_ID,ACTION,<dimensions>,OBS_VALUE,<attributes>` and one
// line per observation. Dimensions: REF_AREA (ISO alpha-3, or an
// organization id), INDICATOR, SEX, AGE, EXPLOITATION_FORM, CITIZENSHIP,
// TIME_PERIOD; attributes: OBS_STATUS (CL_OBS_STATUS letter), COMMENT
// (notes) and SOURCE (provenance as protobuf JSON), so that export then
// import gives back the same observations.
#ifndef PALERMO_SERVICES_ENFORCEMENT_SDMX_CSV_H_
#define PALERMO_SERVICES_ENFORCEMENT_SDMX_CSV_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "palermo/enforcement/v1/enforcement.pb.h"
#include "services/common/status.h"

namespace palermo::enforcement {

inline constexpr char kSdmxStructureId[] = "PALERMO:DF_TIP_ENFORCEMENT(1.0)";

// The header line, with its line break.
std::string SdmxCsvHeader();

// One observation as a line, with its line break.
std::string SdmxCsvLine(const v1::Observation& observation);

// A parsed line: its number (from 1, the first line after the header) and
// its observation.
struct CsvRow {
  int number;
  v1::Observation observation;
};

// Parses a file. Each problem is a violation `rows[<n>].<COLUMN>`; rows with
// problems are left out. `entity_of_area` maps a REF_AREA code to an entity
// name (`countries/EST`, `organizations/LAS`).
std::vector<CsvRow> ParseSdmxCsv(
    absl::string_view text,
    const std::function<std::string(absl::string_view)>& entity_of_area,
    FieldViolations& violations);

// The REF_AREA of every line after the header, in order, without checking
// anything else: which entities an import writes, for the gateway's access
// policy (map each with EntityRegistry::EntityOfId). INVALID_ARGUMENT naming
// `csv` when the text is not CSV or its header is wrong, or `rows[<n>].*`
// when a line has the wrong number of fields.
absl::StatusOr<std::vector<std::string>> SdmxCsvRefAreas(
    absl::string_view text);

}  // namespace palermo::enforcement

#endif  // PALERMO_SERVICES_ENFORCEMENT_SDMX_CSV_H_
