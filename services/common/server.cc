#include "services/common/server.h"

#include <grpcpp/health_check_service_interface.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <system_error>
#include <thread>

#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "grpc/health/v1/health.pb.h"
#include "services/common/flags.h"
#include "services/common/logging.h"
#include "services/common/parse_errors.h"
#include "services/common/reflection.h"
#include "services/common/served_by.h"
#include "services/common/tls.h"

ABSL_FLAG(absl::Duration, max_connection_age, absl::InfiniteDuration(),
          "Close each client connection (GOAWAY) after about this long, so "
          "that clients reconnect, resolve the name again and find new "
          "replicas (e.g. 30s); inf: never.");
ABSL_FLAG(absl::Duration, max_connection_age_grace, absl::InfiniteDuration(),
          "After --max_connection_age, how long the calls still in flight on "
          "the closing connection may take before it is cut; inf: as long as "
          "they need.");

namespace palermo {
namespace {

// The name InitRuntime was given, for messages.
std::string& ProcessName() {
  static auto* name = new std::string("palermo");
  return *name;
}

// Takes the builder's plugins away (gRPC adds reflection to every server):
// the health listener serves health and nothing else.
class NoPlugins : public grpc::ServerBuilderOption {
 public:
  void UpdateArguments(grpc::ChannelArguments*) override {}
  void UpdatePlugins(
      std::vector<std::unique_ptr<grpc::ServerBuilderPlugin>>* plugins)
      override {
    plugins->clear();
  }
};

// The health listener's answer to any method but health's. (Also what makes
// gRPC accept a server whose one service, the default health service, is
// added only once it starts.)
class HealthOnly : public grpc::CallbackGenericService {
 public:
  grpc::ServerGenericBidiReactor* CreateReactor(
      grpc::GenericCallbackServerContext* context) override {
    class Refusal : public grpc::ServerGenericBidiReactor {
     public:
      explicit Refusal(const std::string& method) {
        Finish(grpc::Status(
            grpc::StatusCode::UNIMPLEMENTED,
            absl::StrCat(method, ": this port (--health_listen) serves "
                                 "grpc.health.v1.Health only")));
      }
      void OnDone() override { delete this; }
    };
    return new Refusal(context->method());
  }
};

// A duration flag in milliseconds, for a gRPC channel argument: at most
// INT_MAX.
int Milliseconds(absl::Duration d) {
  return static_cast<int>(
      std::min<int64_t>(INT_MAX, absl::ToInt64Milliseconds(d)));
}

sigset_t ShutdownSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

}  // namespace

absl::Status ValidateServerFlags() {
  if (absl::Duration age = absl::GetFlag(FLAGS_max_connection_age);
      age <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--max_connection_age must be positive (inf: no maximum), not ",
        absl::FormatDuration(age)));
  }
  if (absl::Duration grace = absl::GetFlag(FLAGS_max_connection_age_grace);
      grace < absl::ZeroDuration()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--max_connection_age_grace must not be negative (inf: no limit), "
        "not ",
        absl::FormatDuration(grace)));
  }
  return absl::OkStatus();
}

void InitRuntime(int argc, char** argv, absl::string_view service_name) {
  ProcessName() = std::string(service_name);
  absl::SetProgramUsageMessage(
      absl::StrCat("Palermo ", service_name, " server"));
  absl::ParseCommandLine(argc, argv);
  if (absl::Status s = SetUpLogging(service_name); !s.ok()) {
    std::fprintf(stderr, "%s\n", std::string(s.message()).c_str());
    std::exit(2);
  }
  for (const absl::Status& s :
       {ValidateTlsConfig(TlsConfigFromFlags()), ValidateServerFlags()}) {
    if (s.ok()) continue;
    // Logged, so that it is a JSON line under --log_format=json too.
    spdlog::critical("{}: {}", ProcessName(), std::string(s.message()));
    std::exit(2);
  }
  // Blocked before gRPC starts its threads, so only sigwait() sees them. A
  // shell starts background jobs with SIGINT ignored, and an ignored signal
  // is discarded even when blocked: restore the default first.
  signal(SIGINT, SIG_DFL);
  signal(SIGTERM, SIG_DFL);
  sigset_t signals = ShutdownSignals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  // Keep the health messages linked in, so reflection can describe
  // grpc.health.v1.Health (gRPC's own health service does not use them).
  (void)grpc::health::v1::HealthCheckRequest::descriptor();
}

std::string ListenAddress(absl::string_view default_listen) {
  std::string address = absl::GetFlag(FLAGS_listen);
  if (address.empty()) address = std::string(default_listen);
  return address;
}

absl::StatusOr<std::unique_ptr<ServiceHost>> ServiceHost::Start(
    absl::string_view default_listen, std::vector<HostedService> services,
    HostAudit audit) {
  std::vector<Listener> listeners;
  listeners.push_back({"", ListenAddress(default_listen), std::move(services)});
  return Start(std::move(listeners), std::move(audit));
}

absl::StatusOr<std::unique_ptr<ServiceHost>> ServiceHost::Start(
    std::vector<Listener> listeners, HostAudit audit) {
  if (listeners.empty()) return absl::InvalidArgumentError("no listener");
  grpc::EnableDefaultHealthCheckService(true);
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials =
      ServerCredentialsFromFlags();
  if (!credentials.ok()) return credentials.status();

  std::unique_ptr<ServiceHost> host(new ServiceHost());
  if (audit.log != nullptr) {
    if (audit.service.empty()) audit.service = ProcessName();
    if (!audit.may_read) audit.may_read = AdministratorsOnly();
    host->audit_service_ = std::make_unique<AuditServiceImpl>(
        *audit.log, audit.service, std::move(audit.may_read));
    listeners.front().services.push_back(
        {host->audit_service_.get(),
         common::v1::AuditService::service_full_name()});
  }
  // One bound on calls in flight for the whole process, whichever listener
  // they came in on.
  host->limiter_ = std::make_unique<InflightLimiter>(
      absl::GetFlag(FLAGS_max_inflight_calls));
  absl::Status started;
  for (Listener& listener : listeners) {
    started = host->Listen(std::move(listener), *credentials, audit);
    if (!started.ok()) break;
  }
  if (started.ok()) {
    if (const std::string health = absl::GetFlag(FLAGS_health_listen);
        !health.empty()) {
      started = host->ListenForHealth(health);
    }
  }
  if (!started.ok()) {
    // Stop the listeners already started before the host goes.
    for (Bound& bound : host->listeners_) bound.server->Shutdown();
    return started;
  }
  if (absl::Duration interval = absl::GetFlag(FLAGS_memory_release_interval);
      interval > absl::ZeroDuration()) {
    InflightLimiter* limiter = host->limiter_.get();
    spdlog::info("giving free memory back ({}) every {}", AllocatorName(),
                 absl::FormatDuration(interval));
    host->housekeeping_ = std::make_unique<PeriodicTask>(interval, [limiter] {
      if (int64_t shed = limiter->TakeShedCount(); shed > 0) {
        spdlog::warn("overloaded: shed {} calls (at most {} in flight)", shed,
                     limiter->limit());
      }
      ReleaseFreeMemory();
    });
  }
  return host;
}

absl::Status ServiceHost::Listen(
    Listener listener, const std::shared_ptr<grpc::ServerCredentials>& creds,
    HostAudit& audit) {
  Bound bound;
  bound.name = std::move(listener.name);
  bound.services = std::move(listener.services);
  const std::string& address = listener.address;

  grpc::ServerBuilder builder;
  ConfigureReflection(builder);
  builder.AddListeningPort(address, creds, &bound.port);
  builder.SetMaxReceiveMessageSize(
      absl::GetFlag(FLAGS_max_receive_message_bytes));
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS,
                             static_cast<int>(absl::ToInt64Milliseconds(
                                 absl::GetFlag(FLAGS_keepalive_time))));
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS,
                             static_cast<int>(absl::ToInt64Milliseconds(
                                 absl::GetFlag(FLAGS_keepalive_timeout))));
  // Clients may ping idle connections, but no more than every 10 s.
  builder.AddChannelArgument(
      GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS, 10000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  // Connections that age out send clients back to their resolver.
  if (absl::Duration age = absl::GetFlag(FLAGS_max_connection_age);
      age != absl::InfiniteDuration()) {
    builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_MS,
                               Milliseconds(age));
  }
  if (absl::Duration grace = absl::GetFlag(FLAGS_max_connection_age_grace);
      grace != absl::InfiniteDuration()) {
    builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_GRACE_MS,
                               Milliseconds(grace));
  }
  // Overload: one connection cannot open more than so many streams, gRPC's
  // threads and buffers are bounded, and calls beyond --max_inflight_calls
  // are shed at once (OverloadInterceptorFactory).
  builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS,
                             absl::GetFlag(FLAGS_max_concurrent_streams));
  builder.SetResourceQuota(ProcessResourceQuota());
  for (const HostedService& s : bound.services) {
    builder.RegisterService(s.service);
  }
  std::vector<
      std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
      interceptors;
  // First, so that the access log sees the status it rewrites.
  interceptors.push_back(std::make_unique<ParseErrorInterceptorFactory>());
  interceptors.push_back(std::make_unique<OverloadInterceptorFactory>(
      limiter_.get(), ProcessName()));
  // After both: it records the status the first rewrites, and skips the
  // calls the second sheds.
  if (audit.log != nullptr) {
    interceptors.push_back(
        std::make_unique<AuditInterceptorFactory>(audit.log, audit.options));
  }
  interceptors.push_back(std::make_unique<RpcLogInterceptorFactory>());
  // Off the calls' path unless asked for.
  ServedByInterceptorFactory* served_by = nullptr;
  if (absl::GetFlag(FLAGS_served_by_trailer)) {
    auto factory = std::make_unique<ServedByInterceptorFactory>();
    served_by = factory.get();
    interceptors.push_back(std::move(factory));
  }
  builder.experimental().SetInterceptorCreators(std::move(interceptors));

  bound.server = builder.BuildAndStart();
  if (!bound.server || bound.port == 0) {
    if (bound.server) bound.server->Shutdown();
    return absl::UnavailableError(absl::StrCat("cannot listen on ", address));
  }
  if (served_by != nullptr) served_by->SetPort(bound.port);
  bound.server->GetHealthCheckService()->SetServingStatus(false);
  const TlsConfig tls = TlsConfigFromFlags();
  spdlog::info("listening{}{} on {} (port {}, {}); at most {} calls in flight",
               bound.name.empty() ? "" : " for ", bound.name, address,
               bound.port,
               !tls.serves_tls()            ? "plaintext"
               : tls.require_client_cert ? "mutual TLS"
                                         : "TLS",
               limiter_->limit());
  listeners_.push_back(std::move(bound));
  return absl::OkStatus();
}

absl::Status ServiceHost::ListenForHealth(const std::string& address) {
  grpc::ServerBuilder builder;
  builder.AddListeningPort(address, grpc::InsecureServerCredentials(),
                           &health_port_);
  builder.SetOption(std::make_unique<NoPlugins>());
  health_fallback_ = std::make_unique<HealthOnly>();
  builder.RegisterCallbackGenericService(health_fallback_.get());
  builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS, 8);
  health_server_ = builder.BuildAndStart();
  if (!health_server_ || health_port_ == 0) {
    if (health_server_) health_server_->Shutdown();
    health_server_.reset();
    return absl::UnavailableError(
        absl::StrCat("cannot listen on --health_listen=", address));
  }
  health_server_->GetHealthCheckService()->SetServingStatus(false);
  spdlog::info("health alone on {} (port {}, plaintext)", address,
               health_port_);
  return absl::OkStatus();
}

std::vector<int> ServiceHost::ports() const {
  std::vector<int> out;
  for (const Bound& bound : listeners_) out.push_back(bound.port);
  return out;
}

absl::StatusOr<std::string> DataFile(absl::string_view file_name) {
  const std::filesystem::path dir = absl::GetFlag(FLAGS_data_dir);
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot create ", dir.string(), ": ", error.message()));
  }
  return (dir / std::string(file_name)).string();
}

int StartupFailed(const absl::Status& status) {
  spdlog::critical("{}", status.ToString());
  return 1;
}

int Serve(absl::string_view default_listen,
          std::vector<HostedService> services, HealthProbe probe,
          HostAudit audit) {
  std::vector<Listener> listeners;
  listeners.push_back({"", ListenAddress(default_listen), std::move(services)});
  return Serve(std::move(listeners), std::move(probe), std::move(audit));
}

int Serve(std::vector<Listener> listeners, HealthProbe probe,
          HostAudit audit) {
  auto host = ServiceHost::Start(std::move(listeners), std::move(audit));
  if (!host.ok()) return StartupFailed(host.status());
  (*host)->SetServing();
  if (probe) (*host)->FollowProbe(std::move(probe));
  (*host)->WaitForShutdownSignal();
  return 0;
}

void ServiceHost::SetHealth(bool serving) {
  for (const Bound& bound : listeners_) {
    for (grpc::Server* server : {bound.server.get(), health_server_.get()}) {
      if (server == nullptr) continue;
      auto* health = server->GetHealthCheckService();
      health->SetServingStatus("", serving);
      for (const HostedService& s : bound.services) {
        health->SetServingStatus(s.full_name, serving);
      }
    }
  }
}

void ServiceHost::FollowProbe(HealthProbe probe) {
  prober_ = std::make_unique<PeriodicTask>(
      absl::GetFlag(FLAGS_health_probe_interval), [this, probe] {
        absl::Status status = probe();
        if (!status.ok() && !probe_failing_) {
          spdlog::error("NOT_SERVING: {}", status.ToString());
        } else if (status.ok() && probe_failing_) {
          spdlog::info("SERVING again");
        }
        probe_failing_ = !status.ok();
        if (serving_) SetHealth(status.ok());
      });
}

void ServiceHost::SetServing() {
  SetHealth(true);
  // Alive from now on: no probe ever sets it back (SetHealth leaves it).
  for (const Bound& bound : listeners_) {
    for (grpc::Server* server : {bound.server.get(), health_server_.get()}) {
      if (server == nullptr) continue;
      server->GetHealthCheckService()->SetServingStatus(kLivenessHealthService,
                                                        true);
    }
  }
  serving_ = true;
  spdlog::info("SERVING");
  if (int fd = absl::GetFlag(FLAGS_ready_fd); fd >= 0) {
    std::string line = absl::StrJoin(ports(), " ");
    if (health_server_) absl::StrAppend(&line, " health:", health_port_);
    line += "\n";
    if (write(fd, line.data(), line.size()) < 0) {
      spdlog::warn("cannot write to --ready_fd={}", fd);
    }
    close(fd);
  }
}

void ServiceHost::WaitForShutdownSignal() {
  sigset_t signals = ShutdownSignals();
  int signal = 0;
  sigwait(&signals, &signal);
  spdlog::info("received {}, shutting down", strsignal(signal));
  // A second signal ends the process at once, without the grace period.
  pthread_sigmask(SIG_UNBLOCK, &signals, nullptr);
  Shutdown();
}

void ServiceHost::Shutdown() {
  prober_.reset();
  serving_ = false;
  // Clients polling health stop routing here before the listeners close.
  for (Bound& bound : listeners_) {
    bound.server->GetHealthCheckService()->Shutdown();
  }
  if (health_server_) health_server_->GetHealthCheckService()->Shutdown();
  for (Bound& bound : listeners_) {
    for (const HostedService& s : bound.services) {
      if (s.on_shutdown) s.on_shutdown();
    }
  }
  // Every listener drains at once, within the same grace.
  const auto deadline =
      absl::ToChronoTime(absl::Now() + absl::GetFlag(FLAGS_shutdown_grace));
  std::vector<std::thread> stopping;
  for (Bound& bound : listeners_) {
    grpc::Server* server = bound.server.get();
    stopping.emplace_back([server, deadline] {
      server->Shutdown(deadline);
      server->Wait();
    });
  }
  for (std::thread& t : stopping) t.join();
  if (health_server_) {
    health_server_->Shutdown(absl::ToChronoTime(absl::Now()));
    health_server_->Wait();
  }
  housekeeping_.reset();
  spdlog::info("stopped");
}

}  // namespace palermo
