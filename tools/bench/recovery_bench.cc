// recovery-bench: how soon after a backend is back do country profiles
// become complete again? It starts the whole suite on port 0 (fresh
// databases under --bench_dir), then, each round: SIGKILLs one backend,
// waits until a profile names that section as omitted, keeps it down for
// --down (so the gateway's reconnect backoff grows to its maximum),
// restarts it on the same port, and times from the restart's SERVING to
// the first profile with no omitted section, polling with real
// GetCountryProfile calls. Prints each round and the min, median and max.
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/time/clock.h"
#include "palermo/gateway/v1/gateway.grpc.pb.h"
#include "tests/support/service_process.h"

ABSL_FLAG(std::string, bench_dir, "", "Empty directory for the databases.");
ABSL_FLAG(std::string, service, "coordination",
          "Backend to kill: legislation, enforcement, assistance or "
          "coordination.");
ABSL_FLAG(int, rounds, 10, "Kill and restart rounds.");
ABSL_FLAG(absl::Duration, down, absl::Seconds(3),
          "How long the backend stays down in each round.");
ABSL_FLAG(std::vector<std::string>, gateway_args, {},
          "Extra gateway flags, e.g. --reconnect_backoff_max=2s.");

namespace {

namespace gv1 = palermo::gateway::v1;

// One profile; its omitted sections, or -1 if the call failed.
int Omitted(gv1::GatewayService::Stub& stub) {
  gv1::GetCountryProfileRequest request;
  request.set_name("countries/EST");
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
  gv1::CountryProfile profile;
  if (!stub.GetCountryProfile(&context, request, &profile).ok()) return -1;
  return profile.omitted_sections_size();
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const std::string dir = absl::GetFlag(FLAGS_bench_dir);
  if (dir.empty()) {
    std::fprintf(stderr, "--bench_dir is required\n");
    return 2;
  }
  auto suite =
      palermo::test::Suite::Start(dir, absl::GetFlag(FLAGS_gateway_args));
  if (!suite.ok()) {
    std::fprintf(stderr, "%s\n", suite.status().ToString().c_str());
    return 1;
  }
  const std::string name = absl::GetFlag(FLAGS_service);
  palermo::test::ServiceProcess* backend =
      name == "legislation"    ? (*suite)->legislation.get()
      : name == "enforcement"  ? (*suite)->enforcement.get()
      : name == "assistance"   ? (*suite)->assistance.get()
      : name == "coordination" ? (*suite)->coordination.get()
                               : nullptr;
  if (backend == nullptr) {
    std::fprintf(stderr, "unknown --service=%s\n", name.c_str());
    return 2;
  }
  auto stub = gv1::GatewayService::NewStub((*suite)->gateway->Channel());
  if (Omitted(*stub) != 0) {
    std::fprintf(stderr, "the first profile is not complete\n");
    return 1;
  }
  std::vector<double> ms;
  for (int round = 0; round < absl::GetFlag(FLAGS_rounds); ++round) {
    backend->Kill();
    while (Omitted(*stub) != 1) {
    }
    absl::SleepFor(absl::GetFlag(FLAGS_down));
    absl::Status restarted = backend->Restart();
    if (!restarted.ok()) {
      std::fprintf(stderr, "%s\n", restarted.ToString().c_str());
      return 1;
    }
    const absl::Time serving = absl::Now();
    int partial = 0;
    while (Omitted(*stub) != 0) ++partial;
    ms.push_back(absl::ToDoubleMilliseconds(absl::Now() - serving));
    std::printf(
        "round %d: first complete profile %.1f ms after SERVING (%d "
        "partial profiles before it)\n",
        round + 1, ms.back(), partial);
  }
  std::sort(ms.begin(), ms.end());
  std::printf(
      "%s restarted %zu times, down %s each: min %.1f ms, median %.1f "
      "ms, max %.1f ms\n",
      name.c_str(), ms.size(),
      absl::FormatDuration(absl::GetFlag(FLAGS_down)).c_str(), ms.front(),
      ms[ms.size() / 2], ms.back());
  return 0;
}
