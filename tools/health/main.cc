// palermo-health: asks one server for its gRPC health (grpc.health.v1
// Health/Check) over plaintext, the way a container's health check does with
// the --health_listen port of a Palermo process. Exit status 0 when the
// answer is SERVING, 1 for any other answer or no answer within --timeout
// (saying which on stderr), 2 for a bad argument.
//
//   palermo-health [--service=NAME] [--timeout=2s] ADDRESS
#include <grpcpp/grpcpp.h>

#include <cstdio>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/time/time.h"
#include "grpc/health/v1/health.grpc.pb.h"

ABSL_FLAG(std::string, service, "",
          "Service whose health to ask for (empty: the server's overall).");
ABSL_FLAG(absl::Duration, timeout, absl::Seconds(2),
          "How long to wait for the answer, connection included.");

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "palermo-health [--service=NAME] [--timeout=2s] ADDRESS");
  std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  if (args.size() != 2 || args[1][0] == '\0') {
    std::fprintf(stderr, "palermo-health: give one ADDRESS (host:port)\n");
    return 2;
  }
  const absl::Duration timeout = absl::GetFlag(FLAGS_timeout);
  if (timeout <= absl::ZeroDuration()) {
    std::fprintf(stderr, "palermo-health: --timeout must be positive\n");
    return 2;
  }
  const std::string service = absl::GetFlag(FLAGS_service);
  // "127.0.0.1:50060" or "127.0.0.1:50060 (service palermo.x.v1.XService)".
  const std::string address = args[1];
  const std::string asked =
      service.empty() ? address : address + " (service " + service + ")";
  // A refused connection is tried again every 20 ms within --timeout (not
  // after gRPC's default backoff of a second), so that a probe waiting for a
  // starting server sees it as soon as it serves.
  grpc::ChannelArguments channel_args;
  channel_args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 20);
  channel_args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 20);
  channel_args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 20);
  auto stub = grpc::health::v1::Health::NewStub(grpc::CreateCustomChannel(
      address, grpc::InsecureChannelCredentials(), channel_args));
  grpc::ClientContext context;
  context.set_wait_for_ready(true);
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(service);
  grpc::health::v1::HealthCheckResponse response;
  const grpc::Status status = stub->Check(&context, request, &response);
  if (!status.ok()) {
    std::fprintf(stderr, "palermo-health: %s: %s\n", asked.c_str(),
                 status.error_message().c_str());
    return 1;
  }
  if (response.status() != grpc::health::v1::HealthCheckResponse::SERVING) {
    std::fprintf(stderr, "palermo-health: %s: %s\n", asked.c_str(),
                 grpc::health::v1::HealthCheckResponse::ServingStatus_Name(
                     response.status())
                     .c_str());
    return 1;
  }
  return 0;
}
