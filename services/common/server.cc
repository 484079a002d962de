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

#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
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

absl::StatusOr<std::unique_ptr<ServiceHost>> ServiceHost::Start(
    absl::string_view default_listen, std::vector<HostedService> services,
    HostAudit audit) {
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();

  std::string address = absl::GetFlag(FLAGS_listen);
  if (address.empty()) address = std::string(default_listen);

  std::unique_ptr<ServiceHost> host(new ServiceHost());
  host->services_ = std::move(services);
  if (audit.log != nullptr) {
    if (audit.service.empty()) audit.service = ProcessName();
    if (!audit.may_read) audit.may_read = AuditReaderCheckFromFlags();
    host->audit_service_ = std::make_unique<AuditServiceImpl>(
        *audit.log, audit.service, std::move(audit.may_read));
    host->services_.push_back({host->audit_service_.get(),
                               common::v1::AuditService::service_full_name()});
  }

  grpc::ServerBuilder builder;
  builder.AddListeningPort(address, grpc::InsecureServerCredentials(),
                           &host->port_);
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
  host->limiter_ = std::make_unique<InflightLimiter>(
      absl::GetFlag(FLAGS_max_inflight_calls));
  for (const HostedService& s : host->services_) {
    builder.RegisterService(s.service);
  }
  std::vector<
      std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
      interceptors;
  // First, so that the access log sees the status it rewrites.
  interceptors.push_back(std::make_unique<ParseErrorInterceptorFactory>());
  interceptors.push_back(std::make_unique<OverloadInterceptorFactory>(
      host->limiter_.get(), ProcessName()));
  // After both: it records the status the first rewrites, and skips the
  // calls the second sheds.
  if (audit.log != nullptr) {
    interceptors.push_back(std::make_unique<AuditInterceptorFactory>(
        audit.log, std::move(audit.options)));
  }
  interceptors.push_back(std::make_unique<RpcLogInterceptorFactory>());
  builder.experimental().SetInterceptorCreators(std::move(interceptors));

  host->server_ = builder.BuildAndStart();
  if (!host->server_ || host->port_ == 0) {
    return absl::UnavailableError(absl::StrCat("cannot listen on ", address));
  }
  auto* health = host->server_->GetHealthCheckService();
  health->SetServingStatus(false);
  spdlog::info("listening on {} (port {}); at most {} calls in flight", address,
               host->port_, host->limiter_->limit());
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

int Serve(absl::string_view default_listen, std::vector<HostedService> services,
          HealthProbe probe, HostAudit audit) {
  auto host =
      ServiceHost::Start(default_listen, std::move(services), std::move(audit));
  if (!host.ok()) return StartupFailed(host.status());
  (*host)->SetServing();
  if (probe) (*host)->FollowProbe(std::move(probe));
  (*host)->WaitForShutdownSignal();
  return 0;
}

void ServiceHost::SetHealth(bool serving) {
  auto* health = server_->GetHealthCheckService();
  health->SetServingStatus("", serving);
  for (const HostedService& s : services_) {
    health->SetServingStatus(s.full_name, serving);
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
    std::string line = absl::StrCat(port_, "\n");
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
  // Clients polling health stop routing here before the listener closes.
  server_->GetHealthCheckService()->Shutdown();
  for (const HostedService& s : services_) {
    if (s.on_shutdown) s.on_shutdown();
  }
  const absl::Duration grace = absl::GetFlag(FLAGS_shutdown_grace);
  server_->Shutdown(absl::ToChronoTime(absl::Now() + grace));
  server_->Wait();
  housekeeping_.reset();
  spdlog::info("stopped");
}

}  // namespace palermo
