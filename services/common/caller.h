// Who a call to a suite process is made by, as the process may believe it.
//
// The gateway authenticates the suite's callers (bearer tokens) and passes
// the principal it authenticated to the services in `palermo-principal-bin`
// metadata (principal.h). A service believes that entry only from a peer
// whose verified TLS certificate is the gateway's (PeerIsGateway, tls.h);
// from anyone else it is ignored, whatever it says. Other suite processes
// (the loader, reporting, a test client) are named by their certificate.
//
// The actor recorded in revisions is the caller's subject (ActorOf).
#ifndef PALERMO_SERVICES_COMMON_CALLER_H_
#define PALERMO_SERVICES_COMMON_CALLER_H_

#include <grpcpp/grpcpp.h>

#include <string>
#include <vector>

#include "absl/flags/declare.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/common/principal.h"
#include "services/common/token_verifier.h"

ABSL_DECLARE_FLAG(std::vector<std::string>, writer_identities);

namespace palermo {

// The principal `context`'s call is made for:
//   - from the gateway: the principal it sent (an anonymous reader when it
//     sent none, or one that does not decode);
//   - from another peer with a verified certificate: subject the
//     certificate's name, role reader (a suite process; it writes as
//     itself, and is not an administrator or a case worker);
//   - from a plaintext peer: an anonymous reader.
Principal CallerOf(const grpc::ServerContextBase& context);

// Who made a change: CallerOf's subject, or the peer's address when the
// caller is anonymous.
std::string ActorOf(const grpc::ServerContextBase& context);

// OK when CallerOf(context) has `role`; PERMISSION_DENIED naming the
// subject, its role and the role needed otherwise (UNAUTHENTICATED for an
// anonymous caller).
absl::Status RequireRole(const grpc::ServerContextBase& context, Role role);

// The same for a principal known otherwise (the gateway's own callers).
absl::Status RequireRole(const Principal& who, Role role);

// The principal of a call's bearer token (AuthenticateBearer over its
// `authorization` header): the anonymous reader without one;
// UNAUTHENTICATED for a bad token, or for more than one such header.
absl::StatusOr<Principal> AuthenticateCall(const TokenVerifier* verifier,
                                           const grpc::ServerContextBase& context,
                                           absl::Time now);

// Whether the caller of `context` may write to this service: the gateway
// (which admitted the call: admission.h), or a suite process named in
// --writer_identities (a tool that loads data directly). Any other peer,
// whatever certificate of the suite's CA it holds, is PERMISSION_DENIED:
// writes reach a service through the gateway's policy. A process serving
// plaintext cannot tell its callers apart and takes every write (no TLS
// flags: development only).
absl::Status MayWrite(const grpc::ServerContextBase& context);

}  // namespace palermo

#endif  // PALERMO_SERVICES_COMMON_CALLER_H_
