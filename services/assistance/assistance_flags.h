// Flags of the assistance service's own: where it serves case records, and
// who may read and write them until case workers' tokens are verified.
#ifndef PALERMO_SERVICES_ASSISTANCE_ASSISTANCE_FLAGS_H_
#define PALERMO_SERVICES_ASSISTANCE_ASSISTANCE_FLAGS_H_

#include <string>

#include "absl/flags/declare.h"

ABSL_DECLARE_FLAG(std::string, case_records_listen);

#endif  // PALERMO_SERVICES_ASSISTANCE_ASSISTANCE_FLAGS_H_
