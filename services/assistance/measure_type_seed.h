// The measure-type catalogue the migrations seed (the report needs it; it
// is managed through the API afterwards), as dialect-neutral SQL inserts
// into measure_types(code, display_name, description).
#ifndef PALERMO_SERVICES_ASSISTANCE_MEASURE_TYPE_SEED_H_
#define PALERMO_SERVICES_ASSISTANCE_MEASURE_TYPE_SEED_H_

#include <string>

namespace palermo::assistance {

// The first catalogue (SQLite migration 2).
std::string InitialMeasureTypesSql();
// Types added since (issue 10: RIGHTS_INFORMATION; SQLite migration 4).
std::string AddedMeasureTypesSql();

}  // namespace palermo::assistance

#endif  // PALERMO_SERVICES_ASSISTANCE_MEASURE_TYPE_SEED_H_
