// Which replica answered: with --served_by_trailer, every answer of a
// process carries the trailing metadata palermo-served-by (client.h:
// kServedByMetadataKey) = "<hostname>:<port>", the host's name (a
// container's own) and the port the call came in on, so that a caller
// through the gateway sees which replica of a service answered. One server
// interceptor, which ServiceHost adds only when the flag is set; an answer
// that already carries the key (the gateway passing on a backend's) keeps
// the backend's.
#ifndef PALERMO_SERVICES_COMMON_SERVED_BY_H_
#define PALERMO_SERVICES_COMMON_SERVED_BY_H_

#include <grpcpp/support/server_interceptor.h>

#include <atomic>
#include <string>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"

ABSL_DECLARE_FLAG(bool, served_by_trailer);

namespace palermo {

// The host's name (gethostname), "localhost" if it has none.
std::string HostName();

// Adds palermo-served-by to the trailers of every call of one listener.
class ServedByInterceptorFactory
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  ServedByInterceptorFactory() : host_(HostName()) {}

  // The listener's bound port, once known (0 until then).
  void SetPort(int port) { port_.store(port, std::memory_order_relaxed); }

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

 private:
  const std::string host_;
  std::atomic<int> port_{0};
};

}  // namespace palermo

#endif  // PALERMO_SERVICES_COMMON_SERVED_BY_H_
