// Outgoing calls from one Palermo service to another: channels with keepalive
// and size limits, and client contexts whose deadline derives from the
// incoming call's.
#ifndef PALERMO_SERVICES_COMMON_CLIENT_H_
#define PALERMO_SERVICES_COMMON_CLIENT_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

namespace palermo {

// Metadata key naming who made a change, forwarded by the gateway. Until
// token auth lands it is the caller's word, recorded as such.
inline constexpr char kActorMetadataKey[] = "palermo-actor";

// Largest error trailers a Palermo client accepts: a rejected bulk import
// names every bad row. Other clients may need to raise their own limit
// (gRPC C++ defaults to 8 KiB; grpc-go, behind buf and grpcurl, to 16 MiB).
inline constexpr int kMaxErrorMetadataBytes = 4 << 20;

std::shared_ptr<grpc::Channel> MakeChannel(const std::string& address);

// A client context for a call made on behalf of `incoming`: it is cancelled
// with the incoming call, its deadline is the earlier of the incoming
// deadline and now + --outgoing_timeout, and it carries the actor.
std::unique_ptr<grpc::ClientContext> OutgoingContext(
    grpc::CallbackServerContext* incoming);

// The same for a streaming call, bounded by --outgoing_stream_timeout: an
// import or export of a large dataset outlasts a unary call's bound.
std::unique_ptr<grpc::ClientContext> OutgoingStreamContext(
    grpc::CallbackServerContext* incoming);

// Who is calling: the palermo-actor metadata if sent, otherwise the peer.
std::string ActorOf(const grpc::ServerContextBase& context);

}  // namespace palermo

#endif  // PALERMO_SERVICES_COMMON_CLIENT_H_
