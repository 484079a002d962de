// Requests that do not parse: INVALID_ARGUMENT naming the request type,
// on every method of every Palermo server.
//
// gRPC C++ answers a unary or server-streaming request that does not
// deserialize with INTERNAL (sync API) or an empty UNIMPLEMENTED (callback
// API). ParseErrorInterceptorFactory, installed by ServiceHost, rewrites that
// answer. A client stream reads each message as bytes and parses it itself
// (ClientStreamReader), because gRPC ends a read that does not parse exactly
// as it ends a clean half-close.
#ifndef PALERMO_SERVICES_COMMON_PARSE_ERRORS_H_
#define PALERMO_SERVICES_COMMON_PARSE_ERRORS_H_

#include <grpcpp/grpcpp.h>
#include <grpcpp/support/server_interceptor.h>

#include <string>

#include "absl/strings/string_view.h"

namespace palermo {

// INVALID_ARGUMENT: the request of `method` ("/pkg.Service/Method") does not
// parse as its request type.
grpc::Status UnparsedRequestStatus(absl::string_view method);

// INVALID_ARGUMENT: message `index` (from 1) of a client stream does not
// parse as `type` (a full protobuf message name).
grpc::Status UnparsedStreamMessageStatus(int index, absl::string_view type);

// Rewrites the status of a unary or server-streaming call whose request did
// not deserialize into UnparsedRequestStatus.
class ParseErrorInterceptorFactory
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;
};

// Parses `buffer` (consuming it) into `message`; false if it does not parse.
template <typename Message>
bool ParseByteBuffer(grpc::ByteBuffer* buffer, Message* message) {
  return grpc::SerializationTraits<Message>::Deserialize(buffer, message).ok();
}

// Serializes `message` into `buffer`, for a raw method's response.
template <typename Message>
void SerializeToByteBuffer(const Message& message, grpc::ByteBuffer* buffer) {
  bool own_buffer = false;
  grpc::ByteBuffer out;
  (void)grpc::SerializationTraits<Message>::Serialize(message, &out,
                                                      &own_buffer);
  buffer->Swap(&out);
}

}  // namespace palermo

#endif  // PALERMO_SERVICES_COMMON_PARSE_ERRORS_H_
