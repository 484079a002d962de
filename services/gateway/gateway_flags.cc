// Command-line flags of the gateway alone (gateway_flags.h).
#include "services/gateway/gateway_flags.h"

ABSL_FLAG(double, rate_limit_per_second, 0,
          "Calls per second each principal may make through the gateway on "
          "average (a token's subject; an anonymous reader's IP address); "
          "beyond it calls are refused RESOURCE_EXHAUSTED with a retry delay. "
          "0 turns the limit off.");
ABSL_FLAG(int32_t, rate_limit_burst, 0,
          "Calls a principal may make at once after being idle (the token "
          "bucket's size); 0 means one second's worth of "
          "--rate_limit_per_second, at least 1.");
ABSL_FLAG(int32_t, rate_limit_max_principals, 100000,
          "Principals the rate limit keeps a bucket for; beyond it the least "
          "recently seen is forgotten, so that many callers cannot exhaust "
          "memory.");
