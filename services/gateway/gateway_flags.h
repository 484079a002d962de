// Command-line flags of the gateway alone: its per-principal rate limit.
// (The flags every process shares are in services/common/flags.h.)
#ifndef PALERMO_SERVICES_GATEWAY_GATEWAY_FLAGS_H_
#define PALERMO_SERVICES_GATEWAY_GATEWAY_FLAGS_H_

#include <cstdint>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"

ABSL_DECLARE_FLAG(double, rate_limit_per_second);
ABSL_DECLARE_FLAG(int32_t, rate_limit_burst);
ABSL_DECLARE_FLAG(int32_t, rate_limit_max_principals);

#endif  // PALERMO_SERVICES_GATEWAY_GATEWAY_FLAGS_H_
