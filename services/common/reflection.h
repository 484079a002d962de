// Server reflection (grpc.reflection.v1alpha, what grpcurl and buf curl
// use), on or off for every process of the suite by --reflection (on by
// default; a deployment may turn it off so that the public port describes
// nothing).
#ifndef PALERMO_SERVICES_COMMON_REFLECTION_H_
#define PALERMO_SERVICES_COMMON_REFLECTION_H_

#include <grpcpp/server_builder.h>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"

ABSL_DECLARE_FLAG(bool, reflection);

namespace palermo {

// Serves reflection on what `builder` builds if --reflection, and not
// otherwise. gRPC's reflection plugin, once linked, adds itself to every
// server; with --reflection=false an option takes it out again.
void ConfigureReflection(grpc::ServerBuilder& builder);

}  // namespace palermo

#endif  // PALERMO_SERVICES_COMMON_REFLECTION_H_
