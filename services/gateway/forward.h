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
#include <mutex>
#include <utility>

#include "services/common/client.h"
#include "services/common/client_stream.h"
#include "services/common/overload.h"
#include "services/common/parse_errors.h"

namespace palermo::gateway {

// `start(client_context, request, response, on_done)` issues the backend
// call, typically `stub->async()->Method(...)`.
template <typename Request, typename Response, typename Start>
grpc::ServerUnaryReactor* Forward(grpc::CallbackServerContext* context,
                                  const Request* request, Response* response,
                                  Start start) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  if (WasShed(*context)) {  // already answered: no backend call
    reactor->Finish(grpc::Status::CANCELLED);
    return reactor;
  }
  std::shared_ptr<grpc::ClientContext> outgoing = OutgoingContext(context);
  grpc::ClientContext* raw = outgoing.get();
  start(raw, request, response,
        [reactor, outgoing = std::move(outgoing)](grpc::Status status) {
          reactor->Finish(status);
        });
  return reactor;
}

// A client stream: each message read from the caller (as bytes, parsed
// here: ClientStreamReader) is written to the backend, the next read
// starting once the write is done (flow control); the backend's single
// response and status end the call. An import must never be committed from a
// stream that did not end normally: the backend's stream is half-closed only
// after a clean end of the caller's, and cancelled when the caller's fails
// (cancelled, deadline, size limit) or a message does not parse; the caller
// then gets that message's INVALID_ARGUMENT once the backend call is over.
//
// The backend call is held open (AddHold) while operations on it may still
// be started from the caller's side, so that it cannot finish under them.
template <typename Request, typename Response>
class ClientStreamForwarder : public ClientStreamReader<Request>,
                              public grpc::ClientWriteReactor<Request> {
 public:
  using Start = std::function<void(grpc::ClientContext*, Response*,
                                   grpc::ClientWriteReactor<Request>*)>;

  ClientStreamForwarder(grpc::CallbackServerContext* context,
                        grpc::ByteBuffer* response, const Start& start)
      : response_(response), outgoing_(OutgoingStreamContext(context)) {
    start(outgoing_.get(), &backend_response_, this);
    grpc::ClientWriteReactor<Request>::AddHold();
    grpc::ClientWriteReactor<Request>::StartCall();
    ClientStreamReader<Request>::ReadNext();
  }

 private:
  void OnMessage(int, Request message) override {  // from the caller
    std::lock_guard<std::mutex> lock(mu_);
    if (released_) return;
    message_ = std::move(message);
    grpc::ClientWriteReactor<Request>::StartWrite(&message_);
  }
  void OnUnparsed(grpc::Status status) override {
    std::lock_guard<std::mutex> lock(mu_);
    unparsed_ = std::move(status);
    outgoing_->TryCancel();
    Release();
  }
  void OnStreamEnd(bool clean) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (released_) return;
    if (clean) {
      grpc::ClientWriteReactor<Request>::StartWritesDone();
    } else {
      outgoing_->TryCancel();
    }
    Release();
  }
  void OnWriteDone(bool ok) override {  // to the backend
    std::lock_guard<std::mutex> lock(mu_);
    if (ok) {
      ClientStreamReader<Request>::ReadNext();
    } else {
      Release();  // the backend call is over: OnDone says how
    }
  }
  void OnDone(const grpc::Status& status) override {  // backend finished
    if (!unparsed_.ok()) {
      ClientStreamReader<Request>::Finish(unparsed_);
      return;
    }
    if (status.ok()) SerializeToByteBuffer(backend_response_, response_);
    ClientStreamReader<Request>::Finish(status);
  }
  void OnCancel() override { outgoing_->TryCancel(); }
  void OnDone() override { delete this; }  // caller's side finished

  void Release() {
    if (!released_) {
      released_ = true;
      grpc::ClientWriteReactor<Request>::RemoveHold();
    }
  }

  grpc::ByteBuffer* response_;
  std::unique_ptr<grpc::ClientContext> outgoing_;
  Response backend_response_;
  Request message_;
  grpc::Status unparsed_;
  std::mutex mu_;
  bool released_ = false;
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
      : outgoing_(OutgoingStreamContext(context)) {
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
