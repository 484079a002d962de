// The server runtime every Palermo service and the gateway run in: flags,
// logging, a gRPC server with health, reflection, an access log, message-size
// and keepalive limits, bounds on what overload may take (calls in flight,
// streams per connection, threads, memory; services/common/overload.h), free
// memory given back periodically, and graceful shutdown on SIGTERM or SIGINT.
//
// Typical main():
//   palermo::InitRuntime(argc, argv, "legislation");
//   ... open the store ...
//   auto host = palermo::ServiceHost::Start("0.0.0.0:50052", {{&svc, name}});
//   host->WaitForShutdownSignal();
// A process may serve services on listeners of their own (Listener): the
// assistance service's case records, apart from its public port.
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

// One listening address and the services it hosts. Each listener is a gRPC
// server of its own, with the same limits, interceptors, health (for its own
// services) and reflection; they start and stop together.
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

// Whether what the services depend on (their database server) answers:
// OK, or why not.
using HealthProbe = std::function<absl::Status()>;

// Hosts `services` until SIGINT or SIGTERM; returns the process exit code.
// Everything the services use must outlive the call. With a `probe`, health
// follows it (ServiceHost::FollowProbe).
int Serve(absl::string_view default_listen,
          std::vector<HostedService> services, HealthProbe probe = nullptr);
// The same on several listeners (ServiceHost::Start(listeners)).
int Serve(std::vector<Listener> listeners, HealthProbe probe = nullptr);

// Logs a start-up failure and returns the exit code for it.
int StartupFailed(const absl::Status& status);

class ServiceHost {
 public:
  // Builds and starts the server on --listen, or on `default_listen` when the
  // flag is empty. Health reports NOT_SERVING until SetServing().
  static absl::StatusOr<std::unique_ptr<ServiceHost>> Start(
      absl::string_view default_listen, std::vector<HostedService> services);
  // Builds and starts a server on each of `listeners` (at least one), each on
  // its own address as given: a failure to listen on any stops them all.
  static absl::StatusOr<std::unique_ptr<ServiceHost>> Start(
      std::vector<Listener> listeners);

  // The bound port of the first listener (useful with port 0).
  int port() const { return listeners_.front().port; }
  // Every listener's bound port, in the order of Start's listeners.
  std::vector<int> ports() const;

  // Health SERVING on every listener, for the server and each of its hosted
  // services; writes the ports (ports(), separated by spaces) and a newline
  // to --ready_fd if set.
  void SetServing();

  // Calls `probe` every --health_probe_interval once SERVING: while it
  // fails, health is NOT_SERVING (the calls themselves fail UNAVAILABLE);
  // once it passes again, SERVING.
  void FollowProbe(HealthProbe probe);

  // Blocks until SIGINT or SIGTERM, then calls Shutdown().
  void WaitForShutdownSignal();

  // NOT_SERVING, end the long-lived streams (HostedService::on_shutdown),
  // stop accepting, let in-flight calls finish within --shutdown_grace,
  // then cancel what is left: on every listener at once.
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
  absl::Status Listen(Listener listener);
  void SetHealth(bool serving);
  // Declared before listeners_: their servers' interceptors use it.
  std::unique_ptr<InflightLimiter> limiter_;
  std::vector<Bound> listeners_;
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
