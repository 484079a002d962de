// Outgoing calls from one Palermo service to another: channels with keepalive
// and size limits, over mutual TLS when the --tls_* flags say so
// (services/common/tls.h), spreading calls over every address of their
// target and retrying reads (services/common/service_config.h), and client
// contexts whose deadline derives from the incoming call's.
#ifndef PALERMO_SERVICES_COMMON_CLIENT_H_
#define PALERMO_SERVICES_COMMON_CLIENT_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "services/common/principal.h"

namespace palermo {

// Trailing metadata key of a write's response: the sequence its change got
// in the service's change log (a replay or a no-op: the latest committed
// sequence), so that a client that wrote can ask for data at least that
// fresh. Set with SetChangeSequence (change_feed_service.h), read with
// ChangeSequenceOf (client_call.h).
inline constexpr char kChangeSequenceMetadataKey[] = "palermo-change-sequence";

// Trailing metadata key of every answer of a process started with
// --served_by_trailer (services/common/served_by.h): "<hostname>:<port>",
// the replica that answered. A process passing on another's answer (the
// gateway's forwarders: ForwardTrailers) passes on its value instead.
inline constexpr char kServedByMetadataKey[] = "palermo-served-by";

// Largest error trailers a Palermo client accepts: a rejected bulk import
// names every bad row. Other clients may need to raise their own limit
// (gRPC C++ defaults to 8 KiB; grpc-go, behind buf and grpcurl, to 16 MiB).
inline constexpr int kMaxErrorMetadataBytes = 4 << 20;

// A channel to a process of the suite, with the credentials of the --tls_*
// flags (SuiteChannelCredentials). `address` is a gRPC target: a host and
// port ("legislation:50052", "dns:///legislation:50052": round_robin over
// every address the name resolves to) or a list ("ipv4:127.0.0.1:5001,
// 127.0.0.1:5002": over each, the first's host checked against the
// certificates). Calls without side effects are retried when UNAVAILABLE
// (SuiteServiceConfig).
std::shared_ptr<grpc::Channel> MakeChannel(const std::string& address);

// The same with other credentials (a plaintext public port, a test's own).
std::shared_ptr<grpc::Channel> MakeChannel(
    const std::string& address,
    std::shared_ptr<grpc::ChannelCredentials> credentials);

// A channel of its own connection (not shared with MakeChannel's), for
// long-lived streams: a connection carries at most the server's
// --max_concurrent_streams calls, and open watches must not take the
// places of unary calls.
std::shared_ptr<grpc::Channel> MakeStreamChannel(const std::string& address);

// A client context for a call made on behalf of `incoming`: it is cancelled
// with the incoming call, its deadline is the earlier of the incoming
// deadline and now + --outgoing_timeout, and it carries the principal the
// call is made for (palermo-principal-bin; believed by the callee only when
// this process is the gateway): `principal`, or CallerOf(*incoming).
std::unique_ptr<grpc::ClientContext> OutgoingContext(
    grpc::CallbackServerContext* incoming);
std::unique_ptr<grpc::ClientContext> OutgoingContext(
    grpc::CallbackServerContext* incoming, const Principal& principal);

// The same for a streaming call, bounded by --outgoing_stream_timeout: an
// import or export of a large dataset outlasts a unary call's bound.
std::unique_ptr<grpc::ClientContext> OutgoingStreamContext(
    grpc::CallbackServerContext* incoming, const Principal& principal);

// The same for a watch: cancelled with the incoming call and bound only by
// its deadline (a watch lasts as long as its caller wants).
std::unique_ptr<grpc::ClientContext> OutgoingWatchContext(
    grpc::CallbackServerContext* incoming, const Principal& principal);

// Copies the trailing metadata a Palermo answer carries for its caller
// (palermo-change-sequence, palermo-served-by) from a finished outgoing call
// to the incoming call's trailers.
void ForwardTrailers(const grpc::ClientContext& outgoing,
                     grpc::ServerContextBase& incoming);


}  // namespace palermo

#endif  // PALERMO_SERVICES_COMMON_CLIENT_H_
