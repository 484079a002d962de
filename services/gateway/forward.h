// Forwarding of calls from the gateway to a backend service, without
// blocking a gateway thread: unary calls, client streams and server streams
// (each with the backend's palermo-change-sequence and palermo-served-by
// trailers: ForwardTrailers), and watches. The
// backend's answer, errors and their details included, completes the
// incoming call; the outgoing call takes its deadline and cancellation from
// the incoming one.
#ifndef PALERMO_SERVICES_GATEWAY_FORWARD_H_
#define PALERMO_SERVICES_GATEWAY_FORWARD_H_

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "palermo/common/v1/changes.pb.h"
#include "services/common/client.h"
#include "services/common/client_stream.h"
#include "services/common/overload.h"
#include "services/common/parse_errors.h"
#include "services/common/status.h"
#include "services/gateway/admission.h"

namespace palermo::gateway {

// `start(client_context, request, response, on_done)` issues the backend
// call, typically `stub->async()->Method(...)`, once `admission` let the
// call to `method` through; the backend learns whom it is made for.
template <typename Request, typename Response, typename Start>
grpc::ServerUnaryReactor* Forward(Admission& admission,
                                  absl::string_view method,
                                  grpc::CallbackServerContext* context,
                                  const Request* request, Response* response,
                                  Start start) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  if (WasShed(*context)) {  // already answered: no backend call
    reactor->Finish(grpc::Status::CANCELLED);
    return reactor;
  }
  absl::StatusOr<Principal> who = admission.Admit(*context, method, request);
  if (!who.ok()) {
    reactor->Finish(ToGrpcStatus(who.status()));
    return reactor;
  }
  std::shared_ptr<grpc::ClientContext> outgoing =
      OutgoingContext(context, *who);
  grpc::ClientContext* raw = outgoing.get();
  start(
      raw, request, response,
      [reactor, context, outgoing = std::move(outgoing)](grpc::Status status) {
        ForwardTrailers(*outgoing, *context);
        reactor->Finish(status);
      });
  return reactor;
}

// A client stream: each message read from the caller (as bytes, parsed
// here: ClientStreamReader) is written to the backend, the next read
// starting once the write is done (flow control); the backend's single
// response, status and trailers end the call. An
// import must never be committed from a stream that did not end normally:
// the backend's stream is half-closed only after a clean end of the
// caller's, and cancelled when the caller's fails (cancelled, deadline, size
// limit) or a message does not parse; the caller then gets that message's
// INVALID_ARGUMENT once the backend call is over.
//
// The backend call is held open (AddHold) while operations on it may still
// be started from the caller's side, so that it cannot finish under them.
template <typename Request, typename Response>
class ClientStreamForwarder : public ClientStreamReader<Request>,
                              public grpc::ClientWriteReactor<Request> {
 public:
  using Start = std::function<void(grpc::ClientContext*, Response*,
                                   grpc::ClientWriteReactor<Request>*)>;

  // `admission` (which outlives the call) lets the stream start, then
  // each of its messages through.
  ClientStreamForwarder(Admission& admission, absl::string_view method,
                        grpc::CallbackServerContext* context,
                        grpc::ByteBuffer* response, const Start& start)
      : incoming_(context),
        response_(response),
        admission_(admission),
        method_(method) {
    absl::StatusOr<Principal> who =
        admission.Admit(*context, method, /*request=*/nullptr);
    if (!who.ok()) {  // no backend call
      ClientStreamReader<Request>::Finish(ToGrpcStatus(who.status()));
      return;
    }
    who_ = *std::move(who);
    outgoing_ = OutgoingStreamContext(context, who_);
    start(outgoing_.get(), &backend_response_, this);
    grpc::ClientWriteReactor<Request>::AddHold();
    grpc::ClientWriteReactor<Request>::StartCall();
    ClientStreamReader<Request>::ReadNext();
  }

 private:
  void OnMessage(int, Request message) override {  // from the caller
    std::lock_guard<std::mutex> lock(mu_);
    if (released_) return;
    if (absl::Status refused = admission_.AdmitMessage(who_, method_, message);
        !refused.ok()) {  // like a message that does not parse
      unparsed_ = ToGrpcStatus(refused);
      outgoing_->TryCancel();
      Release();
      return;
    }
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
    ForwardTrailers(*outgoing_, *incoming_);
    ClientStreamReader<Request>::Finish(status);
  }
  void OnCancel() override {
    if (outgoing_) outgoing_->TryCancel();
  }
  void OnDone() override { delete this; }  // caller's side finished

  void Release() {
    if (!released_) {
      released_ = true;
      grpc::ClientWriteReactor<Request>::RemoveHold();
    }
  }

  grpc::CallbackServerContext* incoming_;  // valid until Finish
  grpc::ByteBuffer* response_;
  Admission& admission_;
  const std::string method_;
  Principal who_;
  std::unique_ptr<grpc::ClientContext> outgoing_;  // once admitted
  Response backend_response_;
  Request message_;
  grpc::Status unparsed_;
  std::mutex mu_;
  bool released_ = false;
};

// A server stream: each message read from the backend is written to the
// caller, the next read starting once the write is done; the backend's
// status and trailers end the call.
template <typename Request, typename Response>
class ServerStreamForwarder : public grpc::ServerWriteReactor<Response>,
                              public grpc::ClientReadReactor<Response> {
 public:
  using Start = std::function<void(grpc::ClientContext*, const Request*,
                                   grpc::ClientReadReactor<Response>*)>;

  ServerStreamForwarder(Admission& admission, absl::string_view method,
                        grpc::CallbackServerContext* context,
                        const Request* request, const Start& start)
      : incoming_(context) {
    absl::StatusOr<Principal> who = admission.Admit(*context, method, request);
    if (!who.ok()) {  // no backend call
      grpc::ServerWriteReactor<Response>::Finish(ToGrpcStatus(who.status()));
      return;
    }
    outgoing_ = OutgoingStreamContext(context, *who);
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
    ForwardTrailers(*outgoing_, *incoming_);
    grpc::ServerWriteReactor<Response>::Finish(status);
  }
  void OnCancel() override {
    if (outgoing_) outgoing_->TryCancel();
  }
  void OnDone() override { delete this; }

 private:
  grpc::CallbackServerContext* incoming_;  // valid until Finish
  std::unique_ptr<grpc::ClientContext> outgoing_;
  Response message_;
};

class WatchForwarder;

// The watches a forwarder has open, ended when the gateway shuts down.
class OpenWatches {
 public:
  // False once closed: the watch is refused.
  bool Add(WatchForwarder* watch);
  void Remove(WatchForwarder* watch);
  // Ends every open watch with UNAVAILABLE and refuses new ones.
  void CloseAll();

 private:
  std::mutex mu_;
  std::set<WatchForwarder*> open_;
  bool closed_ = false;
};

// WatchChanges: the backend's events are written to the caller one at a
// time, the next read starting once the write is done; the backend call is
// cancelled when the caller goes away, and the caller gets the backend's
// status once its last event is written. The outgoing call has no deadline
// of its own (OutgoingWatchContext).
class WatchForwarder
    : public grpc::ServerWriteReactor<common::v1::WatchChangesResponse>,
      public grpc::ClientReadReactor<common::v1::WatchChangesResponse> {
 public:
  using Event = common::v1::WatchChangesResponse;
  using Start = std::function<void(grpc::ClientContext*,
                                   const common::v1::WatchChangesRequest*,
                                   grpc::ClientReadReactor<Event>*)>;

  WatchForwarder(Admission& admission, absl::string_view method,
                 grpc::CallbackServerContext* context,
                 const common::v1::WatchChangesRequest* request,
                 OpenWatches& open, const Start& start)
      : open_(open) {
    if (WasShed(*context)) {
      grpc::ServerWriteReactor<Event>::Finish(grpc::Status::CANCELLED);
      return;
    }
    absl::StatusOr<Principal> who = admission.Admit(*context, method, request);
    if (!who.ok()) {
      grpc::ServerWriteReactor<Event>::Finish(ToGrpcStatus(who.status()));
      return;
    }
    if (!open_.Add(this)) {
      grpc::ServerWriteReactor<Event>::Finish(ShuttingDown());
      return;
    }
    registered_ = true;
    outgoing_ = OutgoingWatchContext(context, *who);
    start(outgoing_.get(), request, this);
    grpc::ClientReadReactor<Event>::StartRead(&message_);
    grpc::ClientReadReactor<Event>::StartCall();
  }

  // Ends the watch: the backend call is cancelled and the caller gets
  // UNAVAILABLE.
  void ShutDown() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      shutting_down_ = true;
    }
    outgoing_->TryCancel();
  }

  void OnReadDone(bool ok) override {  // from the backend
    if (!ok) return;                   // OnDone(status) follows
    std::lock_guard<std::mutex> lock(mu_);
    writing_ = true;
    grpc::ServerWriteReactor<Event>::StartWrite(&message_);
  }
  void OnWriteDone(bool ok) override {  // to the caller
    std::lock_guard<std::mutex> lock(mu_);
    writing_ = false;
    if (backend_done_) {
      grpc::ServerWriteReactor<Event>::Finish(backend_status_);
    } else if (ok) {
      grpc::ClientReadReactor<Event>::StartRead(&message_);
    } else {
      outgoing_->TryCancel();
    }
  }
  void OnDone(const grpc::Status& status) override {  // backend finished
    std::lock_guard<std::mutex> lock(mu_);
    backend_done_ = true;
    backend_status_ = shutting_down_ ? ShuttingDown() : status;
    if (!writing_) grpc::ServerWriteReactor<Event>::Finish(backend_status_);
  }
  void OnCancel() override {
    if (outgoing_) outgoing_->TryCancel();
  }
  void OnDone() override {
    if (registered_) open_.Remove(this);
    delete this;
  }

 private:
  static grpc::Status ShuttingDown() {
    return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                        "the gateway is shutting down; watch again from the "
                        "last sequence received");
  }

  OpenWatches& open_;
  bool registered_ = false;
  std::unique_ptr<grpc::ClientContext> outgoing_;
  Event message_;
  std::mutex mu_;
  bool writing_ = false;
  bool backend_done_ = false;
  bool shutting_down_ = false;
  grpc::Status backend_status_;
};

inline bool OpenWatches::Add(WatchForwarder* watch) {
  std::lock_guard<std::mutex> lock(mu_);
  if (closed_) return false;
  open_.insert(watch);
  return true;
}

inline void OpenWatches::Remove(WatchForwarder* watch) {
  std::lock_guard<std::mutex> lock(mu_);
  open_.erase(watch);
}

inline void OpenWatches::CloseAll() {
  std::lock_guard<std::mutex> lock(mu_);
  closed_ = true;
  // Cancelling only starts the backend call's end: no forwarder is
  // removed (nor deleted) under this lock.
  for (WatchForwarder* watch : open_) watch->ShutDown();
}

// A forwarder's WatchChanges: the backend `Service`'s, called on a channel
// of its own (MakeStreamChannel), so that open watches never hold the
// streams unary calls need.
template <typename Service>
class WatchForwarding {
 public:
  WatchForwarding(std::shared_ptr<grpc::Channel> channel, Admission& admission)
      : stub_(Service::NewStub(std::move(channel))),
        admission_(admission),
        method_(absl::StrCat("/", Service::service_full_name(),
                             "/WatchChanges")) {}

  grpc::ServerWriteReactor<common::v1::WatchChangesResponse>* Forward(
      grpc::CallbackServerContext* context,
      const common::v1::WatchChangesRequest* request) {
    return new WatchForwarder(
        admission_, method_, context, request, open_,
        [this](grpc::ClientContext* ctx,
               const common::v1::WatchChangesRequest* req,
               grpc::ClientReadReactor<common::v1::WatchChangesResponse>*
                   reactor) {
          stub_->async()->WatchChanges(ctx, req, reactor);
        });
  }

  // For HostedService::on_shutdown.
  std::function<void()> EndWatches() {
    return [this] { open_.CloseAll(); };
  }

 private:
  std::unique_ptr<typename Service::Stub> stub_;
  Admission& admission_;
  const std::string method_;
  OpenWatches open_;
};

}  // namespace palermo::gateway

#endif  // PALERMO_SERVICES_GATEWAY_FORWARD_H_
