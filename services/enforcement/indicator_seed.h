// The indicator code list the enforcement service starts with, as the SQL
// steps that seed it, plain SQL that SQLite and PostgreSQL both run: each
// store's migrations apply them at the same version numbers (2, 3, 4), on
// its own `indicators(code, display_name, description, unit)` table. The
// list is managed through the API afterwards.
#ifndef PALERMO_SERVICES_ENFORCEMENT_INDICATOR_SEED_H_
#define PALERMO_SERVICES_ENFORCEMENT_INDICATOR_SEED_H_

#include <string>
#include <vector>

namespace palermo::enforcement {

// The steps in order: the report's figures (version 2); stocks, which are
// not summed over time, as a `kind` column (3); facts of E/CN.15/2008/6 that
// had no code (4).
const std::vector<std::string>& IndicatorSeedSteps();

}  // namespace palermo::enforcement

#endif  // PALERMO_SERVICES_ENFORCEMENT_INDICATOR_SEED_H_
