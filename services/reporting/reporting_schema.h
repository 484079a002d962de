// The reporting service's storage schema, for every store dialect: its
// collections (table names in reporting.db) and the explicit migration
// version of each table. The versions are those the positional numbering
// gave databases before they were explicit (1 the requests table, 2 + i the
// i-th collection); a table added later takes the next unused version.
#ifndef PALERMO_SERVICES_REPORTING_REPORTING_SCHEMA_H_
#define PALERMO_SERVICES_REPORTING_REPORTING_SCHEMA_H_

#include "services/common/record_schema.h"

namespace palermo::reporting {

inline constexpr char kCyclesTable[] = "cycles";
inline constexpr char kResponsesTable[] = "responses";
inline constexpr char kBlocksTable[] = "narrative_blocks";
inline constexpr char kVersionsTable[] = "report_versions";

inline RecordSchema ReportingSchema() {
  return {/*requests_version=*/1,
          {
              {2, kCyclesTable},
              {3, kResponsesTable},
              {4, kBlocksTable},
              {5, kVersionsTable},
          },
          /*changes_version=*/6};
}

}  // namespace palermo::reporting

#endif  // PALERMO_SERVICES_REPORTING_REPORTING_SCHEMA_H_
