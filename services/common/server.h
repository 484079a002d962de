// The server runtime every Palermo service and the gateway run in: flags,
// logging, a gRPC server with health, reflection, an access log, message-size
// and keepalive limits, bounds on what overload may take (calls in flight,
// streams per connection, threads, memory; services/common/overload.h), free
// memory given back periodically, graceful shutdown on SIGTERM or SIGINT,
// and, given an audit log (HostAudit), every write recorded in it and
// AuditService to read it.
//
// Typical main():
//   palermo::InitRuntime(argc, argv, "legislation");
//   ... open the store ...
//   auto host = palermo::ServiceHost::Start("0.0.0.0:50052", {{&svc, name}});
//   host->WaitForShutdownSignal();
#ifndef PALERMO_SERVICES_COMMON_SERVER_H_
#define PALERMO_SERVICES_COMMON_SERVER_H_

#include <grpcpp/grpcpp.h>

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/common/audit_interceptor.h"
#include "services/common/audit_log.h"
#include "services/common/audit_service.h"
#include "services/common/memory.h"
#include "services/common/overload.h"

namespace palermo {

// Parses flags, sets up logging and blocks SIGINT/SIGTERM in every thread so
// that WaitForShutdownSignal() receives them. Call first in main(); exits the
// process on bad flags.
void InitRuntime(int argc, char** argv, absl::string_view service_name);

// A service to host, with its full name for the health service.
struct HostedService {
  grpc::Service* service;
  std::string full_name;
  // Called when shutdown starts, before the server stops accepting calls:
  // ends the service's long-lived streams (WatchChanges: ChangeFeed's
  // Shutdown), which would otherwise hold the shutdown for its whole grace.
  std::function<void()> on_shutdown = nullptr;
};

// `--data_dir`/`file_name`, creating the directory if needed.
absl::StatusOr<std::string> DataFile(absl::string_view file_name);

// The audit log a host keeps: with a log, every write call and refused
// write is recorded in it (AuditInterceptorFactory, audit_interceptor.h)
// and the host serves palermo.common.v1.AuditService over it
// (audit_service.h).
struct HostAudit {
  AuditLog* log = nullptr;  // null: no audit; else outlives the host
  // The process's name in "services/{service}"; empty: InitRuntime's.
  std::string service;
  // Who calls (the caller's subject and role), which methods write.
  AuditOptions options;
  // Who may read the log; null: AuditReaderCheckFromFlags(), and with that
  // flag empty, nobody (PERMISSION_DENIED).
  AuditReaderCheck may_read;
};

// Whether what the services depend on (their database server) answers:
// OK, or why not.
using HealthProbe = std::function<absl::Status()>;

// Hosts `services` until SIGINT or SIGTERM; returns the process exit code.
// Everything the services use must outlive the call. With a `probe`, health
// follows it (ServiceHost::FollowProbe).
int Serve(absl::string_view default_listen, std::vector<HostedService> services,
          HealthProbe probe = nullptr, HostAudit audit = {});

// Logs a start-up failure and returns the exit code for it.
int StartupFailed(const absl::Status& status);

class ServiceHost {
 public:
  // Builds and starts the server on --listen, or on `default_listen` when the
  // flag is empty. Health reports NOT_SERVING until SetServing(). With an
  // audit log, also AuditService and the audit interceptor.
  static absl::StatusOr<std::unique_ptr<ServiceHost>> Start(
      absl::string_view default_listen, std::vector<HostedService> services,
      HostAudit audit = {});

  // The bound port (useful with port 0).
  int port() const { return port_; }

  // Health SERVING for the server and each hosted service; writes the port to
  // --ready_fd if set.
  void SetServing();

  // Calls `probe` every --health_probe_interval once SERVING: while it
  // fails, health is NOT_SERVING (the calls themselves fail UNAVAILABLE);
  // once it passes again, SERVING.
  void FollowProbe(HealthProbe probe);

  // Blocks until SIGINT or SIGTERM, then calls Shutdown().
  void WaitForShutdownSignal();

  // NOT_SERVING, end the long-lived streams (HostedService::on_shutdown),
  // stop accepting, let in-flight calls finish within --shutdown_grace,
  // then cancel what is left.
  void Shutdown();

 private:
  ServiceHost() = default;
  void SetHealth(bool serving);
  // Declared before server_: the server's interceptors use it.
  std::unique_ptr<InflightLimiter> limiter_;
  std::unique_ptr<AuditServiceImpl> audit_service_;
  std::unique_ptr<grpc::Server> server_;
  // Gives memory back and reports shed calls, every
  // --memory_release_interval.
  std::unique_ptr<PeriodicTask> housekeeping_;
  std::unique_ptr<PeriodicTask> prober_;
  // Set by SetServing(); the probe flips health only after it.
  std::atomic<bool> serving_{false};
  bool probe_failing_ = false;  // the prober's thread only
  std::vector<HostedService> services_;
  int port_ = 0;
};

}  // namespace palermo

#endif  // PALERMO_SERVICES_COMMON_SERVER_H_
