// Client contexts of the domains' client libraries.
#include "services/common/client_call.h"

#include "absl/time/clock.h"
#include "services/common/client.h"

namespace palermo {

std::unique_ptr<grpc::ClientContext> CallContext(const CallOptions& options) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(absl::ToChronoTime(absl::Now() + options.timeout));
  if (!options.actor.empty()) {
    context->AddMetadata(kActorMetadataKey, options.actor);
  }
  return context;
}

}  // namespace palermo
