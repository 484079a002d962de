// Logging for Palermo binaries: spdlog, as text or one JSON object a line,
// and the one-line-per-RPC access log.
#ifndef PALERMO_SERVICES_COMMON_LOGGING_H_
#define PALERMO_SERVICES_COMMON_LOGGING_H_

#include <grpcpp/support/server_interceptor.h>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace palermo {

// Configures the default spdlog logger from --log_level and --log_format,
// and sends gRPC's own log messages to it.
absl::Status SetUpLogging(absl::string_view service);

// Writes one access-log line: method, peer, status code, duration.
void LogRpc(absl::string_view method, absl::string_view peer, int code,
            absl::Duration duration);

// Server interceptor that calls LogRpc once per RPC, when its status is sent.
class RpcLogInterceptorFactory
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;
};

}  // namespace palermo

#endif  // PALERMO_SERVICES_COMMON_LOGGING_H_
