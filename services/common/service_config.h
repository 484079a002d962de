// The gRPC service config of every channel a Palermo process makes to
// another (MakeChannel, client.h): round_robin over every address the
// target resolves to (dns:///legislation:50052 with two replicas behind the
// name: both), and retries of UNAVAILABLE for the methods without side
// effects, those marked `option idempotency_level = NO_SIDE_EFFECTS;` in
// their .proto, read from the descriptors of the suite's services, throttled
// when failures outrun successes. Writes are never retried: a create
// without request_id would be written twice.
// Pure: builds JSON, makes no channel.
#ifndef PALERMO_SERVICES_COMMON_SERVICE_CONFIG_H_
#define PALERMO_SERVICES_COMMON_SERVICE_CONFIG_H_

#include <google/protobuf/descriptor.h>

#include <string>
#include <vector>

#include "absl/time/time.h"

namespace palermo {

// The services the suite's processes call one another on: the gateway's,
// the five domain services' and every process's AuditService. (Case
// records, CaseRecordService, are called by no process of the suite: their
// schema is not linked here.)
const std::vector<const google::protobuf::ServiceDescriptor*>& SuiteServices();

// How a call without side effects is retried.
struct RetryPolicy {
  // The first attempt included; gRPC takes at most 5.
  int max_attempts = 4;
  // Attempt n+1 waits a random time in [0, min(initial * multiplier^(n-1),
  // max)].
  absl::Duration initial_backoff = absl::Milliseconds(50);
  absl::Duration max_backoff = absl::Milliseconds(500);
  double backoff_multiplier = 2;
};

// The full names ("/pkg.Service/Method") of the methods of `services`
// marked NO_SIDE_EFFECTS, in the order of the descriptors.
std::vector<std::string> MethodsWithoutSideEffects(
    const std::vector<const google::protobuf::ServiceDescriptor*>& services);

// The service config, in JSON (grpc::ChannelArguments::SetServiceConfigJSON):
// round_robin, and `retry` for the methods without side effects of
// `services` (no methodConfig when there are none).
std::string ServiceConfigJson(
    const std::vector<const google::protobuf::ServiceDescriptor*>& services,
    const RetryPolicy& retry = {});

// ServiceConfigJson(SuiteServices()), built once.
const std::string& SuiteServiceConfig();

}  // namespace palermo

#endif  // PALERMO_SERVICES_COMMON_SERVICE_CONFIG_H_
