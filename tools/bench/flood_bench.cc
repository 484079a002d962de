// flood-bench: what a flood of concurrent calls takes from the suite, and
// whether it gives it back. Starts the whole suite on port 0 in --bench_dir,
// loads the reference dataset, then, --rounds times: records every process's
// RSS, floods the gateway from --connections connections with --streams
// calls in flight on each (GetCountryProfile of varying entities, and some
// ListLegislations) for --flood, sampling RSS (peak) and checking health
// from another process (the bystander: a health check every
// --health_interval, a GetCountryProfile every tenth); then waits --settle and
// records RSS again. Each answer counts as OK, shed (RESOURCE_EXHAUSTED or
// UNAVAILABLE), late (DEADLINE_EXCEEDED, or OK after --late_after) or other.
// Run it with `./palermo bench flood`.
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "palermo/gateway/v1/gateway.grpc.pb.h"
#include "services/legislation/client/legislation_client.h"
#include "services/common/tls.h"
#include "tests/support/service_process.h"

ABSL_FLAG(std::string, bench_dir, "", "Empty directory for the databases.");
ABSL_FLAG(int, connections, 100, "Client connections to the gateway.");
ABSL_FLAG(int, streams, 100, "Calls in flight on each connection.");
ABSL_FLAG(absl::Duration, flood, absl::Seconds(20), "Length of each flood.");
ABSL_FLAG(int, rounds, 2, "Floods, one after the other.");
ABSL_FLAG(absl::Duration, call_deadline, absl::Seconds(5),
          "Deadline of each flood call.");
ABSL_FLAG(absl::Duration, late_after, absl::Seconds(1),
          "An OK answer slower than this counts as late.");
ABSL_FLAG(absl::Duration, settle, absl::Seconds(30),
          "Wait after each flood before measuring RSS again.");
ABSL_FLAG(absl::Duration, health_interval, absl::Milliseconds(50),
          "Interval of the health checks made during a flood.");
ABSL_FLAG(std::string, probe, "",
          "Internal: run as the bystander client against this gateway "
          "address for --probe_for, then print what it saw.");
ABSL_FLAG(absl::Duration, probe_for, absl::Seconds(20),
          "Internal: how long the bystander runs.");
ABSL_FLAG(std::vector<std::string>, gateway_flags, {},
          "Extra flags for the gateway only, comma-separated.");
ABSL_FLAG(std::vector<std::string>, server_flags, {},
          "Extra flags for every server, comma-separated (e.g. "
          "--max_inflight_calls=100000 to see the suite without shedding).");

namespace {

namespace gv1 = palermo::gateway::v1;
namespace lv1 = palermo::legislation::v1;
using palermo::test::ServiceProcess;

// Resident set size of `pid`, in MiB (VmRSS of /proc/PID/status).
double RssMib(pid_t pid) {
  std::ifstream in(absl::StrCat("/proc/", pid, "/status"));
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) != 0) continue;
    std::vector<std::string> parts =
        absl::StrSplit(line, ' ', absl::SkipEmpty());
    double kib = 0;
    if (parts.size() >= 2 && absl::SimpleAtod(parts[1], &kib)) {
      return kib / 1024;
    }
  }
  return 0;
}

// A channel of its own connection to `address`, with `credentials`.
std::shared_ptr<grpc::Channel> Connection(
    const std::string& address, int i,
    std::shared_ptr<grpc::ChannelCredentials> credentials) {
  grpc::ChannelArguments args;
  // Its own subchannel, hence its own TCP connection.
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  args.SetInt("palermo.flood_connection", i);
  args.SetMaxReceiveMessageSize(16 << 20);
  return grpc::CreateCustomChannel(address, std::move(credentials), args);
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * v.size()))];
}

struct Tally {
  std::atomic<int64_t> ok{0}, shed{0}, deadline{0}, slow{0}, other{0};
  std::mutex mu;
  std::vector<double> ok_ms;  // guarded by mu
};

// One call slot: issues a call, and the next when it is answered, until the
// flood ends.
class Slot {
 public:
  Slot(gv1::GatewayService::Stub* gateway,
       lv1::LegislationService::Stub* legislation,
       const std::vector<std::string>* names, int seed, absl::Time end,
       Tally* tally, std::atomic<int>* active, absl::Notification* all_done)
      : gateway_(gateway),
        legislation_(legislation),
        names_(names),
        n_(seed),
        end_(end),
        tally_(tally),
        active_(active),
        all_done_(all_done) {}

  void Start() {
    if (absl::Now() >= end_) {
      if (--*active_ == 0) all_done_->Notify();
      return;
    }
    context_ = std::make_unique<grpc::ClientContext>();
    context_->set_deadline(
        absl::ToChronoTime(absl::Now() + absl::GetFlag(FLAGS_call_deadline)));
    started_ = absl::Now();
    ++n_;
    auto done = [this](grpc::Status s) { Done(s); };
    if (n_ % 10 == 0) {  // one call in ten lists
      list_.set_page_size(10);
      legislation_->async()->ListLegislations(context_.get(), &list_, &listed_,
                                              done);
    } else {
      get_.set_name((*names_)[n_ % names_->size()]);
      gateway_->async()->GetCountryProfile(context_.get(), &get_, &profile_,
                                           done);
    }
  }

 private:
  void Done(const grpc::Status& s) {
    const double ms = absl::ToDoubleMilliseconds(absl::Now() - started_);
    switch (s.error_code()) {
      case grpc::StatusCode::OK:
        if (ms > absl::ToDoubleMilliseconds(absl::GetFlag(FLAGS_late_after))) {
          ++tally_->slow;
        } else {
          ++tally_->ok;
        }
        {
          std::lock_guard<std::mutex> lock(tally_->mu);
          tally_->ok_ms.push_back(ms);
        }
        break;
      case grpc::StatusCode::RESOURCE_EXHAUSTED:
      case grpc::StatusCode::UNAVAILABLE:
        ++tally_->shed;
        break;
      case grpc::StatusCode::DEADLINE_EXCEEDED:
        ++tally_->deadline;
        break;
      default:
        if (tally_->other++ == 0) {
          std::fprintf(stderr, "first other error: %d %s\n", s.error_code(),
                       s.error_message().c_str());
        }
    }
    Start();
  }

  gv1::GatewayService::Stub* gateway_;
  lv1::LegislationService::Stub* legislation_;
  const std::vector<std::string>* names_;
  int n_;
  absl::Time end_;
  Tally* tally_;
  std::atomic<int>* active_;
  absl::Notification* all_done_;
  std::unique_ptr<grpc::ClientContext> context_;
  absl::Time started_;
  gv1::GetCountryProfileRequest get_;
  gv1::CountryProfile profile_;
  lv1::ListLegislationsRequest list_;
  lv1::ListLegislationsResponse listed_;
};

// The bystander: every --health_interval a health check, and every tenth
// time a GetCountryProfile, each with a 5 s deadline.
int Probe(const std::string& address) {
  // The gateway's public port, plaintext as the tests start it; the
  // --tls_* flags if it is not.
  auto channel = Connection(address, -1, palermo::SuiteChannelCredentials());
  auto health = grpc::health::v1::Health::NewStub(channel);
  auto gateway = gv1::GatewayService::NewStub(channel);
  int checks = 0, not_serving = 0, profiles = 0, profiles_ok = 0;
  double health_max = 0, profile_max = 0;
  const absl::Time end = absl::Now() + absl::GetFlag(FLAGS_probe_for);
  for (int i = 0; absl::Now() < end; ++i) {
    auto deadline = absl::ToChronoTime(absl::Now() + absl::Seconds(5));
    grpc::ClientContext context;
    context.set_deadline(deadline);
    grpc::health::v1::HealthCheckResponse response;
    absl::Time t = absl::Now();
    grpc::Status s = health->Check(
        &context, grpc::health::v1::HealthCheckRequest(), &response);
    health_max =
        std::max(health_max, absl::ToDoubleMilliseconds(absl::Now() - t));
    ++checks;
    if (!s.ok() ||
        response.status() != grpc::health::v1::HealthCheckResponse::SERVING) {
      ++not_serving;
    }
    if (i % 10 == 0) {
      grpc::ClientContext profile_context;
      profile_context.set_deadline(deadline);
      gv1::GetCountryProfileRequest get;
      get.set_name("countries/EST");
      gv1::CountryProfile profile;
      t = absl::Now();
      s = gateway->GetCountryProfile(&profile_context, get, &profile);
      profile_max =
          std::max(profile_max, absl::ToDoubleMilliseconds(absl::Now() - t));
      ++profiles;
      if (s.ok()) ++profiles_ok;
    }
    absl::SleepFor(absl::GetFlag(FLAGS_health_interval));
  }
  std::printf(
      "  bystander health: %d checks, %d not SERVING, max %.1f ms\n"
      "  bystander GetCountryProfile: %d of %d OK, max %.0f ms\n",
      checks, not_serving, health_max, profiles_ok, profiles, profile_max);
  return 0;
}

struct Process {
  std::string name;
  ServiceProcess* process;
  double before = 0, peak = 0, after = 0;
};

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  if (!absl::GetFlag(FLAGS_probe).empty()) {
    return Probe(absl::GetFlag(FLAGS_probe));
  }
  const std::string self = std::filesystem::read_symlink("/proc/self/exe");
  const std::string dir = absl::GetFlag(FLAGS_bench_dir);
  if (dir.empty()) {
    std::fprintf(stderr, "--bench_dir is required\n");
    return 2;
  }
  const std::vector<std::string> extra = absl::GetFlag(FLAGS_server_flags);
  auto start = [&](const char* binary, std::vector<std::string> args) {
    args.insert(args.end(), extra.begin(), extra.end());
    auto p = ServiceProcess::Start(binary, args);
    if (!p.ok()) {
      std::fprintf(stderr, "%s\n", p.status().ToString().c_str());
      std::exit(1);
    }
    return *std::move(p);
  };
  auto legislation =
      start(PALERMO_LEGISLATION_SERVER, {"--data_dir=" + dir + "/legislation"});
  auto enforcement =
      start(PALERMO_ENFORCEMENT_SERVER, {"--data_dir=" + dir + "/enforcement"});
  auto assistance =
      start(PALERMO_ASSISTANCE_SERVER, {"--data_dir=" + dir + "/assistance"});
  auto coordination = start(PALERMO_COORDINATION_SERVER,
                            {"--data_dir=" + dir + "/coordination"});
  std::vector<std::string> gateway_args = {
      "--legislation_address=" + legislation->address(),
      "--enforcement_address=" + enforcement->address(),
      "--assistance_address=" + assistance->address(),
      "--coordination_address=" + coordination->address()};
  for (const std::string& f : absl::GetFlag(FLAGS_gateway_flags)) {
    gateway_args.push_back(f);
  }
  auto gateway = start(PALERMO_GATEWAY_SERVER, gateway_args);
  auto loaded = palermo::test::RunCommand(
      PALERMO_LOAD,
      {"--target=" + gateway->address(),
       std::string("--reference_dir=") + PALERMO_SOURCE_DIR + "/data",
           palermo::test::LoaderTokenFlag()});
  if (!loaded.ok() || loaded->exit_code != 0) {
    std::fprintf(stderr, "loading the reference dataset failed\n");
    return 1;
  }

  // Entities with a record, and a few without (a profile with no sections).
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(
           std::string(PALERMO_SOURCE_DIR) + "/data/legislation")) {
    if (entry.path().extension() != ".json") continue;
    const std::string code = entry.path().stem().string();
    names.push_back(code == "LAS" ? "organizations/LAS"
                                  : absl::StrCat("countries/", code));
  }
  for (const char* code : {"FRA", "DEU", "ITA", "ESP", "USA", "BRA"}) {
    names.push_back(absl::StrCat("countries/", code));
  }
  std::sort(names.begin(), names.end());

  std::vector<Process> processes = {{"gateway", gateway.get()},
                                    {"legislation", legislation.get()},
                                    {"enforcement", enforcement.get()},
                                    {"assistance", assistance.get()},
                                    {"coordination", coordination.get()}};
  const int connections = absl::GetFlag(FLAGS_connections);
  const int streams = absl::GetFlag(FLAGS_streams);
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  std::vector<std::unique_ptr<gv1::GatewayService::Stub>> gateways;
  std::vector<std::unique_ptr<palermo::legislation::LegislationClient>>
      legislations;
  for (int c = 0; c < connections; ++c) {
    channels.push_back(
        Connection(gateway->address(), c, gateway->Credentials()));
    gateways.push_back(gv1::GatewayService::NewStub(channels.back()));
    legislations.push_back(
        std::make_unique<palermo::legislation::LegislationClient>(
            channels.back()));
  }

  std::printf(
      "flood-bench: %d connections x %d streams, %s per flood, "
      "%d entities, server flags: %s\n",
      connections, streams,
      absl::FormatDuration(absl::GetFlag(FLAGS_flood)).c_str(),
      static_cast<int>(names.size()),
      extra.empty() ? "defaults" : absl::StrJoin(extra, " ").c_str());
  if (!absl::GetFlag(FLAGS_gateway_flags).empty()) {
    std::printf("gateway flags: %s\n",
                absl::StrJoin(absl::GetFlag(FLAGS_gateway_flags), " ").c_str());
  }
  for (int round = 1; round <= absl::GetFlag(FLAGS_rounds); ++round) {
    for (Process& p : processes) {
      p.before = RssMib(p.process->pid());
      p.peak = p.before;
    }
    Tally tally;
    std::atomic<int> active{connections * streams};
    absl::Notification flood_done;
    const absl::Time begin = absl::Now();
    const absl::Time end = begin + absl::GetFlag(FLAGS_flood);

    // The bystander: another process, on its own connection.
    std::atomic<bool> stop{false};
    const std::string probe = absl::StrCat(
        "'", self, "' --probe=", gateway->address(),
        " --probe_for=", absl::FormatDuration(absl::GetFlag(FLAGS_flood)),
        " --health_interval=",
        absl::FormatDuration(absl::GetFlag(FLAGS_health_interval)));
    FILE* bystander = popen(probe.c_str(), "r");
    std::thread sampler([&] {
      while (!stop) {
        for (Process& p : processes) {
          p.peak = std::max(p.peak, RssMib(p.process->pid()));
        }
        absl::SleepFor(absl::Milliseconds(100));
      }
    });

    std::vector<std::unique_ptr<Slot>> slots;
    for (int c = 0; c < connections; ++c) {
      for (int s = 0; s < streams; ++s) {
        slots.push_back(std::make_unique<Slot>(
            gateways[c].get(), &legislations[c]->stub(), &names, c * streams + s,
            end, &tally, &active, &flood_done));
      }
    }
    for (auto& slot : slots) slot->Start();
    flood_done.WaitForNotification();
    const double seconds = absl::ToDoubleSeconds(absl::Now() - begin);
    stop = true;
    sampler.join();
    std::string seen;
    char buffer[512];
    while (size_t n = fread(buffer, 1, sizeof(buffer), bystander)) {
      seen.append(buffer, n);
    }
    pclose(bystander);

    absl::SleepFor(absl::GetFlag(FLAGS_settle));
    slots.clear();  // long after their last callback
    for (Process& p : processes) p.after = RssMib(p.process->pid());

    const int64_t late = tally.deadline + tally.slow;
    const int64_t total = tally.ok + tally.shed + late + tally.other;
    auto share = [total](int64_t n) {
      return total == 0 ? 0.0 : 100.0 * static_cast<double>(n) / total;
    };
    std::printf(
        "\nround %d: %lld calls in %.1f s (%.0f/s): OK %lld (%.1f%%), shed "
        "%lld (%.1f%%), late %lld (%.1f%%: %lld deadline exceeded, %lld OK "
        "after %s), other %lld\n",
        round, static_cast<long long>(total), seconds, total / seconds,
        static_cast<long long>(tally.ok.load()), share(tally.ok),
        static_cast<long long>(tally.shed.load()), share(tally.shed),
        static_cast<long long>(late), share(late),
        static_cast<long long>(tally.deadline.load()),
        static_cast<long long>(tally.slow.load()),
        absl::FormatDuration(absl::GetFlag(FLAGS_late_after)).c_str(),
        static_cast<long long>(tally.other.load()));
    std::printf("  answered OK: p50 %.0f ms, p99 %.0f ms, max %.0f ms\n",
                Percentile(tally.ok_ms, 0.5), Percentile(tally.ok_ms, 0.99),
                Percentile(tally.ok_ms, 1.0));
    std::printf("%s", seen.c_str());
    std::printf("  RSS MiB       before   peak  after %s\n",
                absl::FormatDuration(absl::GetFlag(FLAGS_settle)).c_str());
    for (const Process& p : processes) {
      std::printf("  %-12s %7.0f %6.0f %6.0f\n", p.name.c_str(), p.before,
                  p.peak, p.after);
    }
    std::fflush(stdout);
  }
  return 0;
}
