// The server runtime every Palermo service and the gateway run in: flags,
// logging, a gRPC server with health, reflection (unless --reflection=false),
// an access log, message-size and keepalive limits, bounds on what overload
// may take (calls in flight, streams per connection, threads, memory;
// services/common/overload.h), free memory given back periodically,
// graceful shutdown on SIGTERM or SIGINT, mutual TLS from the --tls_* flags
// (services/common/tls.h), with --health_listen health alone on a second,
// plaintext listener, and, given an audit log (HostAudit), every write
// recorded in it and AuditService to read it. Connections may be given a
// maximum age (--max_connection_age), after which the client reconnects,
// resolving its target again and so finding new replicas; with
// --served_by_trailer, every answer names the process that gave it
// (services/common/served_by.h).
//
// Typical main():
//   palermo::InitRuntime(argc, argv, "legislation");
//   ... open the store ...
//   auto host = palermo::ServiceHost::Start("0.0.0.0:50052", {{&svc, name}});
//   host->WaitForShutdownSignal();
#ifndef PALERMO_SERVICES_COMMON_SERVER_H_
#define PALERMO_SERVICES_COMMON_SERVER_H_

#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/grpcpp.h>

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/common/audit_interceptor.h"
#include "services/common/audit_log.h"
#include "services/common/audit_service.h"
#include "services/common/memory.h"
#include "services/common/overload.h"

ABSL_DECLARE_FLAG(absl::Duration, max_connection_age);
ABSL_DECLARE_FLAG(absl::Duration, max_connection_age_grace);

namespace palermo {

// OK, or why the server flags cannot be used, naming the flag: a
// --max_connection_age that is not positive, a negative
// --max_connection_age_grace.
absl::Status ValidateServerFlags();

// Parses flags, sets up logging and blocks SIGINT/SIGTERM in every thread so
// that WaitForShutdownSignal() receives them. Call first in main(); exits the
// process with 2 on bad flags (TLS flags naming files that are missing,
// unreadable, not PEM or not a pair among them; ValidateServerFlags).
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

// One listening address and the services it hosts. Each listener is a gRPC
// server of its own, with the same credentials (--tls_*), limits,
// interceptors (the audit's included), health (for its own services) and
// reflection; they start and stop together.
struct Listener {
  // For the log, e.g. "public", "case records".
  std::string name;
  std::string address;
  std::vector<HostedService> services;
};

// --listen, or `default_listen` when the flag is empty: the address of a
// process's main listener.
std::string ListenAddress(absl::string_view default_listen);

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
  // Who may read the log; null: AdministratorsOnly().
  AuditReaderCheck may_read;
};

// Whether what the services depend on (their database server) answers:
// OK, or why not.
using HealthProbe = std::function<absl::Status()>;

// The health service name that says only that the process is alive: SERVING
// from SetServing() until shutdown whatever the probe says, for liveness
// probes (Kubernetes restarts a container whose liveness fails; a database
// outage must make the service unready, not restart it). Readiness asks
// the server's overall health, "", which follows the probe.
inline constexpr char kLivenessHealthService[] = "palermo.liveness";

// Hosts `services` until SIGINT or SIGTERM; returns the process exit code.
// Everything the services use must outlive the call. With a `probe`, health
// follows it (ServiceHost::FollowProbe).
int Serve(absl::string_view default_listen,
          std::vector<HostedService> services, HealthProbe probe = nullptr,
          HostAudit audit = {});
// The same on several listeners (ServiceHost::Start(listeners)).
int Serve(std::vector<Listener> listeners, HealthProbe probe = nullptr,
          HostAudit audit = {});

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
  // Builds and starts a server on each of `listeners` (at least one), each on
  // its own address as given: a failure to listen on any stops them all.
  // AuditService, if any, is on the first; with --health_listen, health
  // alone on a plaintext listener besides.
  static absl::StatusOr<std::unique_ptr<ServiceHost>> Start(
      std::vector<Listener> listeners, HostAudit audit = {});

  // The bound port of the first listener (useful with port 0).
  int port() const { return listeners_.front().port; }
  // Every listener's bound port, in the order of Start's listeners.
  std::vector<int> ports() const;
  // The --health_listen port; 0 without one.
  int health_port() const { return health_port_; }

  // Health SERVING on every listener, for the server, each of its hosted
  // services and kLivenessHealthService; writes to --ready_fd, if set, the ports (ports(), separated by
  // spaces), then with --health_listen " health:" and its port, and a
  // newline.
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
  // A started listener.
  struct Bound {
    std::string name;
    std::vector<HostedService> services;
    std::unique_ptr<grpc::Server> server;
    int port = 0;
  };

  ServiceHost() = default;
  // Builds and starts `listener`'s server, appended to listeners_.
  absl::Status Listen(Listener listener,
                      const std::shared_ptr<grpc::ServerCredentials>& creds,
                      HostAudit& audit);
  // Starts the --health_listen server.
  absl::Status ListenForHealth(const std::string& address);
  void SetHealth(bool serving);
  // Declared before listeners_: their servers' interceptors use it.
  std::unique_ptr<InflightLimiter> limiter_;
  std::unique_ptr<AuditServiceImpl> audit_service_;
  std::vector<Bound> listeners_;
  // --health_listen's: plaintext, grpc.health.v1.Health only, the same
  // statuses as the listeners'; every other method UNIMPLEMENTED by
  // health_fallback_ (declared first: the server uses it).
  std::unique_ptr<grpc::CallbackGenericService> health_fallback_;
  std::unique_ptr<grpc::Server> health_server_;
  int health_port_ = 0;
  // Gives memory back and reports shed calls, every
  // --memory_release_interval.
  std::unique_ptr<PeriodicTask> housekeeping_;
  std::unique_ptr<PeriodicTask> prober_;
  // Set by SetServing(); the probe flips health only after it.
  std::atomic<bool> serving_{false};
  bool probe_failing_ = false;  // the prober's thread only
};

}  // namespace palermo

#endif  // PALERMO_SERVICES_COMMON_SERVER_H_
