// The report generator: lays out a cycle's report from its narrative
// blocks, filling every directive from the cycle's records (README
// "Narrative blocks"), numbers paragraphs and footnotes in order, places
// every record no directive used in an automatic paragraph of its section,
// and renders Markdown or self-contained HTML. Pure: the same CycleData
// gives the same bytes.
#ifndef PALERMO_SERVICES_REPORTING_REPORT_H_
#define PALERMO_SERVICES_REPORTING_REPORT_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "palermo/reporting/v1/reporting.pb.h"
#include "services/reporting/cycle_data.h"
#include "services/reporting/entity_names.h"
#include "services/reporting/language.h"

namespace palermo::reporting {

enum class Format { kMarkdown, kHtml };

// "markdown" or "html"; INVALID_ARGUMENT naming `field` otherwise.
absl::StatusOr<Format> ParseFormat(absl::string_view code,
                                   absl::string_view field);

// The report of `data`'s cycle. FAILED_PRECONDITION when the cycle has no
// response received by its cut-off (or of unknown date); INVALID_ARGUMENT
// when a block's directive does not parse (naming the block).
absl::StatusOr<v1::Report> ComposeReport(const CycleData& data,
                                         const EntityNames& names,
                                         Language language, Format format);

// Lower-case hex SHA-256.
std::string Sha256Hex(absl::string_view bytes);

}  // namespace palermo::reporting

#endif  // PALERMO_SERVICES_REPORTING_REPORT_H_
