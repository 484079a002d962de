// Forwarding of calls from the gateway to a backend service, without
// blocking a gateway thread: unary calls, client streams and server streams.
// The backend's answer, errors and their details included, completes the
// incoming call; the outgoing call takes its deadline and cancellation from
// the incoming one.
#ifndef PALERMO_SERVICES_GATEWAY_FORWARD_H_
#define PALERMO_SERVICES_GATEWAY_FORWARD_H_

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <functional>
#include <memory>
#include <utility>

#include "services/common/client.h"

namespace palermo::gateway {

// `start(client_context, request, response, on_done)` issues the backend
// call, typically `stub->async()->Method(...)`.
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

// A client stream: each message read from the caller is written to the
// backend, the next read starting once the write is done (flow control);
// the backend's single response and status end the call.
template <typename Request, typename Response>
class ClientStreamForwarder : public grpc::ServerReadReactor<Request>,
                              public grpc::ClientWriteReactor<Request> {
 public:
  using Start = std::function<void(grpc::ClientContext*, Response*,
                                   grpc::ClientWriteReactor<Request>*)>;

  ClientStreamForwarder(grpc::CallbackServerContext* context,
                        Response* response, const Start& start)
      : outgoing_(OutgoingContext(context)) {
    start(outgoing_.get(), response, this);
    grpc::ClientWriteReactor<Request>::StartCall();
    grpc::ServerReadReactor<Request>::StartRead(&message_);
  }

  void OnReadDone(bool ok) override {  // from the caller
    if (backend_done_) return;
    if (ok) {
      grpc::ClientWriteReactor<Request>::StartWrite(&message_);
    } else {
      grpc::ClientWriteReactor<Request>::StartWritesDone();
    }
  }
  void OnWriteDone(bool ok) override {  // to the backend
    // A failed write means the backend call is over: OnDone says how.
    if (ok) grpc::ServerReadReactor<Request>::StartRead(&message_);
  }
  void OnDone(const grpc::Status& status) override {  // backend finished
    backend_done_ = true;
    grpc::ServerReadReactor<Request>::Finish(status);
  }
  void OnCancel() override { outgoing_->TryCancel(); }
  void OnDone() override { delete this; }  // caller's side finished

 private:
  std::unique_ptr<grpc::ClientContext> outgoing_;
  Request message_;
  std::atomic<bool> backend_done_{false};
};

// A server stream: each message read from the backend is written to the
// caller, the next read starting once the write is done.
template <typename Request, typename Response>
class ServerStreamForwarder : public grpc::ServerWriteReactor<Response>,
                              public grpc::ClientReadReactor<Response> {
 public:
  using Start = std::function<void(grpc::ClientContext*, const Request*,
                                   grpc::ClientReadReactor<Response>*)>;

  ServerStreamForwarder(grpc::CallbackServerContext* context,
                        const Request* request, const Start& start)
      : outgoing_(OutgoingContext(context)) {
    start(outgoing_.get(), request, this);
    grpc::ClientReadReactor<Response>::StartRead(&message_);
    grpc::ClientReadReactor<Response>::StartCall();
  }

  void OnReadDone(bool ok) override {  // from the backend
    if (ok) grpc::ServerWriteReactor<Response>::StartWrite(&message_);
  }
  void OnWriteDone(bool ok) override {  // to the caller
    if (ok) {
      grpc::ClientReadReactor<Response>::StartRead(&message_);
    } else {
      outgoing_->TryCancel();
    }
  }
  void OnDone(const grpc::Status& status) override {  // backend finished
    grpc::ServerWriteReactor<Response>::Finish(status);
  }
  void OnCancel() override { outgoing_->TryCancel(); }
  void OnDone() override { delete this; }

 private:
  std::unique_ptr<grpc::ClientContext> outgoing_;
  Response message_;
};

}  // namespace palermo::gateway

#endif  // PALERMO_SERVICES_GATEWAY_FORWARD_H_
