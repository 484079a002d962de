#include "services/common/server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

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

namespace palermo {
namespace {

// The name InitRuntime was given, for messages.
std::string& ProcessName() {
  static auto* name = new std::string("palermo");
  return *name;
}

sigset_t ShutdownSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

}  // namespace

void InitRuntime(int argc, char** argv, absl::string_view service_name) {
  ProcessName() = std::string(service_name);
  absl::SetProgramUsageMessage(
      absl::StrCat("Palermo ", service_name, " server"));
  absl::ParseCommandLine(argc, argv);
  if (absl::Status s = SetUpLogging(service_name); !s.ok()) {
    std::fprintf(stderr, "%s\n", std::string(s.message()).c_str());
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
    absl::string_view default_listen, std::vector<HostedService> services) {
  std::vector<Listener> listeners;
  listeners.push_back({"", ListenAddress(default_listen), std::move(services)});
  return Start(std::move(listeners));
}

absl::StatusOr<std::unique_ptr<ServiceHost>> ServiceHost::Start(
    std::vector<Listener> listeners) {
  if (listeners.empty()) return absl::InvalidArgumentError("no listener");
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();

  std::unique_ptr<ServiceHost> host(new ServiceHost());
  // One bound on calls in flight for the whole process, whichever listener
  // they came in on.
  host->limiter_ = std::make_unique<InflightLimiter>(
      absl::GetFlag(FLAGS_max_inflight_calls));
  for (Listener& listener : listeners) {
    if (absl::Status s = host->Listen(std::move(listener)); !s.ok()) {
      // Stop the listeners already started before the host goes.
      for (Bound& bound : host->listeners_) bound.server->Shutdown();
      return s;
    }
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

absl::Status ServiceHost::Listen(Listener listener) {
  Bound bound;
  bound.name = std::move(listener.name);
  bound.services = std::move(listener.services);
  const std::string& address = listener.address;

  grpc::ServerBuilder builder;
  builder.AddListeningPort(address, grpc::InsecureServerCredentials(),
                           &bound.port);
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
  interceptors.push_back(std::make_unique<RpcLogInterceptorFactory>());
  builder.experimental().SetInterceptorCreators(std::move(interceptors));

  bound.server = builder.BuildAndStart();
  if (!bound.server || bound.port == 0) {
    if (bound.server) bound.server->Shutdown();
    return absl::UnavailableError(absl::StrCat("cannot listen on ", address));
  }
  bound.server->GetHealthCheckService()->SetServingStatus(false);
  spdlog::info("listening{}{} on {} (port {}); at most {} calls in flight",
               bound.name.empty() ? "" : " for ", bound.name, address,
               bound.port, limiter_->limit());
  listeners_.push_back(std::move(bound));
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
          std::vector<HostedService> services, HealthProbe probe) {
  std::vector<Listener> listeners;
  listeners.push_back({"", ListenAddress(default_listen), std::move(services)});
  return Serve(std::move(listeners), std::move(probe));
}

int Serve(std::vector<Listener> listeners, HealthProbe probe) {
  auto host = ServiceHost::Start(std::move(listeners));
  if (!host.ok()) return StartupFailed(host.status());
  (*host)->SetServing();
  if (probe) (*host)->FollowProbe(std::move(probe));
  (*host)->WaitForShutdownSignal();
  return 0;
}

void ServiceHost::SetHealth(bool serving) {
  for (const Bound& bound : listeners_) {
    auto* health = bound.server->GetHealthCheckService();
    health->SetServingStatus("", serving);
    for (const HostedService& s : bound.services) {
      health->SetServingStatus(s.full_name, serving);
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
  serving_ = true;
  spdlog::info("SERVING");
  if (int fd = absl::GetFlag(FLAGS_ready_fd); fd >= 0) {
    std::string line = absl::StrCat(absl::StrJoin(ports(), " "), "\n");
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
  housekeeping_.reset();
  spdlog::info("stopped");
}

}  // namespace palermo
