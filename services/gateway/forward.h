// Forwarding of a unary call from the gateway to a backend service, without
// blocking a gateway thread: the backend's answer, errors and their details
// included, completes the incoming call.
#ifndef PALERMO_SERVICES_GATEWAY_FORWARD_H_
#define PALERMO_SERVICES_GATEWAY_FORWARD_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <utility>

#include "services/common/client.h"

namespace palermo::gateway {

// `start(client_context, request, response, on_done)` issues the backend call,
// typically `stub->async()->Method(...)`. The outgoing context takes its
// deadline and cancellation from `context`.
template <typename Request, typename Response, typename Start>
grpc::ServerUnaryReactor* Forward(grpc::CallbackServerContext* context,
                                  const Request* request, Response* response,
                                  Start start) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  std::shared_ptr<grpc::ClientContext> outgoing = OutgoingContext(context);
  grpc::ClientContext* raw = outgoing.get();
  start(raw, request, response,
        [reactor, outgoing = std::move(outgoing)](grpc::Status status) {
          reactor->Finish(status);
        });
  return reactor;
}

}  // namespace palermo::gateway

#endif  // PALERMO_SERVICES_GATEWAY_FORWARD_H_
