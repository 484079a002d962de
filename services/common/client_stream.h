// Reading a client stream so that it is all or nothing: every message is
// read as bytes and parsed here, and the end of the stream says whether the
// caller half-closed normally.
//
// gRPC C++ ends a read the same way (ok == false) for a clean half-close, a
// message that does not parse, one over the receive limit, a cancelled call
// and a passed deadline. ClientStreamReader tells them apart:
// - a message that does not parse is reported with its index;
// - at the end, it starts sending the initial metadata: that succeeds only
//   if the call is still alive (the caller half-closed and waits for the
//   answer), and fails if gRPC already cancelled the call (size limit,
//   deadline, cancellation by the caller), which it does before delivering
//   the failed read. Only a clean end may commit.
#ifndef PALERMO_SERVICES_COMMON_CLIENT_STREAM_H_
#define PALERMO_SERVICES_COMMON_CLIENT_STREAM_H_

#include <grpcpp/grpcpp.h>

#include <utility>

#include "services/common/parse_errors.h"

namespace palermo {

template <typename Request>
class ClientStreamReader : public grpc::ServerReadReactor<grpc::ByteBuffer> {
 protected:
  // Reads the next message: OnMessage, OnUnparsed or OnStreamEnd follows.
  void ReadNext() { StartRead(&buffer_); }

  // Message `index` (from 1) was read and parsed. Call ReadNext() for the
  // next, or Finish.
  virtual void OnMessage(int index, Request message) = 0;
  // Message `index` did not parse; `status` says so (INVALID_ARGUMENT).
  virtual void OnUnparsed(grpc::Status status) = 0;
  // No more messages: `clean` if the caller half-closed normally after
  // every message was read; otherwise the call has failed already.
  virtual void OnStreamEnd(bool clean) = 0;

 private:
  void OnReadDone(bool ok) final {
    if (!ok) {
      StartSendInitialMetadata();
      return;
    }
    ++count_;
    Request message;
    if (!ParseByteBuffer(&buffer_, &message)) {
      OnUnparsed(UnparsedStreamMessageStatus(
          count_, Request::descriptor()->full_name()));
      return;
    }
    OnMessage(count_, std::move(message));
  }
  void OnSendInitialMetadataDone(bool ok) final { OnStreamEnd(ok); }

  grpc::ByteBuffer buffer_;
  int count_ = 0;
};

}  // namespace palermo

#endif  // PALERMO_SERVICES_COMMON_CLIENT_STREAM_H_
