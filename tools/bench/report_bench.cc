// report-bench: how long GenerateReport takes. Starts the whole suite on
// port 0 in --bench_dir (tests/support Suite), loads the reference dataset
// with palermo-load, then times GenerateReport through the gateway
// (--rounds calls each) for the reference cycle cycles/ccpcj-17 in French
// and English, Markdown and HTML; then creates the synthetic cycle
// cycles/bench-193 (one response per UN Member State, complete data in
// every domain: report_bench_data.h), times its load, and times its report
// the same way; then the reference report again, now that the suite holds
// the synthetic cycle's facts too (it must not have changed). Beside each
// call through the gateway, the same report made in this process from the
// same data: reading the cycle (the reporting records through the gateway,
// the facts from the four domains as the reporting server reads them,
// GrpcFactSource), then ComposeReport alone, which separates composition
// from the gRPC reads. Every call's status is checked: a failed call fails
// the bench with its message. Run it with `./palermo bench report`.
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "palermo/reporting/v1/reporting.grpc.pb.h"
#include "services/common/entities.h"
#include "services/reporting/client/reporting_client.h"
#include "services/reporting/entity_names.h"
#include "services/reporting/grpc_fact_source.h"
#include "services/reporting/report.h"
#include "tests/support/service_process.h"
#include "tools/bench/report_bench_data.h"

ABSL_FLAG(std::string, bench_dir, "", "Empty directory for the databases.");
ABSL_FLAG(int, rounds, 5, "GenerateReport calls per cycle, language, format.");
ABSL_FLAG(int, states, 193, "States of the synthetic cycle.");
ABSL_FLAG(int, load_threads, 4,
          "Threads writing the synthetic cycle through the gateway.");
ABSL_FLAG(absl::Duration, call_deadline, absl::Seconds(120),
          "Deadline of each GenerateReport call.");
ABSL_FLAG(bool, in_process, true,
          "Also time the in-process read and ComposeReport.");
ABSL_FLAG(std::string, out_dir, "",
          "If set, each report's last round is written there, e.g. "
          "bench-193.fr.html, for a look.");
ABSL_FLAG(std::vector<std::string>, gateway_flags, {},
          "Extra flags for the gateway, comma-separated.");

namespace {

namespace rv1 = palermo::reporting::v1;
using palermo::reporting::CycleData;

constexpr char kReferenceCycle[] = "cycles/ccpcj-17";
constexpr char kSyntheticCycleId[] = "bench-193";
constexpr double kReferenceAimMs = 1000;
constexpr double kSyntheticAimMs = 10000;

struct Combination {
  const char* language;
  const char* format;
};
constexpr Combination kCombinations[] = {
    {"fr", "markdown"}, {"fr", "html"}, {"en", "markdown"}, {"en", "html"}};

[[noreturn]] void Fail(const std::string& message) {
  std::fprintf(stderr, "report-bench: %s\n", message.c_str());
  std::exit(1);
}

template <typename T>
T OrFail(absl::StatusOr<T> v, const std::string& what) {
  if (!v.ok()) Fail(absl::StrCat(what, ": ", v.status().ToString()));
  return *std::move(v);
}

struct Stats {
  double min = 0, median = 0, max = 0;
};
Stats Summarize(std::vector<double> ms) {
  std::sort(ms.begin(), ms.end());
  if (ms.empty()) return {};
  return {ms.front(), ms[ms.size() / 2], ms.back()};
}

double SecondsSince(absl::Time t) {
  return absl::ToDoubleSeconds(absl::Now() - t);
}

struct Timed {
  std::string label;  // cycle language format
  Stats ms;
  size_t bytes = 0;
  int paragraphs = 0;
  int footnotes = 0;
  std::string sha;
  bool identical = true;  // every round gave the same bytes
};

// --rounds GenerateReport calls through the gateway.
Timed TimeGenerate(palermo::reporting::ReportingClient& client,
                   const std::string& cycle, const Combination& c) {
  Timed t;
  t.label = absl::StrCat(cycle, " ", c.language, " ", c.format);
  std::vector<double> ms;
  for (int round = 0; round < absl::GetFlag(FLAGS_rounds); ++round) {
    const absl::Time start = absl::Now();
    absl::StatusOr<rv1::Report> generated =
        client.GenerateReport(cycle, c.language, c.format);
    ms.push_back(SecondsSince(start) * 1000);
    if (!generated.ok()) {
      Fail(absl::StrCat("GenerateReport ", t.label, ": ",
                        generated.status().ToString()));
    }
    const rv1::Report& report = *generated;
    if (round == 0) {
      t.bytes = report.content().size();
      t.paragraphs = report.paragraphs_size();
      t.footnotes = report.footnotes_size();
      t.sha = report.content_sha256();
    } else if (report.content_sha256() != t.sha) {
      t.identical = false;
    }
    const std::string out_dir = absl::GetFlag(FLAGS_out_dir);
    if (!out_dir.empty() && round + 1 == absl::GetFlag(FLAGS_rounds)) {
      const std::filesystem::path path =
          std::filesystem::path(out_dir) /
          absl::StrCat(std::filesystem::path(cycle).filename().string(), ".",
                       c.language,
                       c.format == std::string("html") ? ".html" : ".md");
      std::filesystem::create_directories(out_dir);
      std::ofstream out(path, std::ios::binary);
      if (!(out << report.content())) Fail("cannot write " + path.string());
    }
  }
  t.ms = Summarize(ms);
  return t;
}

void PrintHeader(const char* title) {
  std::printf("\n%s\n", title);
  std::printf("  %-34s %9s %9s %9s %10s %6s %6s\n", "cycle language format",
              "min ms", "median ms", "max ms", "bytes", "paras", "notes");
}

void PrintRow(const Timed& t) {
  std::printf("  %-34s %9.1f %9.1f %9.1f %10zu %6d %6d%s\n", t.label.c_str(),
              t.ms.min, t.ms.median, t.ms.max, t.bytes, t.paragraphs,
              t.footnotes, t.identical ? "" : "  NOT byte-identical");
}

std::vector<Timed> TimeAll(palermo::reporting::ReportingClient& client,
                           const std::string& cycle, const char* title) {
  PrintHeader(title);
  std::vector<Timed> out;
  for (const Combination& c : kCombinations) {
    out.push_back(TimeGenerate(client, cycle, c));
    PrintRow(out.back());
    std::fflush(stdout);
  }
  return out;
}

// The in-process measure: the cycle's data read as the reporting server
// reads it, then ComposeReport alone, --rounds times per combination.
class InProcess {
 public:
  InProcess(const palermo::test::Suite& suite,
            std::shared_ptr<grpc::Channel> gateway)
      : registry_(OrFail(palermo::EntityRegistry::LoadDefault(),
                         "loading iso-codes")),
        names_(OrFail(palermo::reporting::EntityNames::LoadDefault(registry_),
                      "loading the names table")),
        reporting_(std::move(gateway)),
        facts_(palermo::reporting::DomainChannels{
            suite.legislation->Channel(), suite.enforcement->Channel(),
            suite.assistance->Channel(), suite.coordination->Channel()}) {}

  const palermo::EntityRegistry& registry() const { return registry_; }

  void Measure(const std::string& cycle, const std::vector<Timed>& served) {
    const absl::Time start = absl::Now();
    CycleData data;
    data.cycle = OrFail(reporting_.GetCycle(cycle), "GetCycle " + cycle);
    data.responses =
        OrFail(reporting_.ListAllResponses(cycle), "ListResponses " + cycle);
    data.blocks = OrFail(reporting_.ListAllNarrativeBlocks(cycle),
                         "ListNarrativeBlocks " + cycle);
    const double reporting_ms = SecondsSince(start) * 1000;
    const absl::Time facts_start = absl::Now();
    if (absl::Status s = facts_.Fill(cycle, data); !s.ok()) {
      Fail(absl::StrCat("reading the facts of ", cycle, ": ", s.ToString()));
    }
    const double facts_ms = SecondsSince(facts_start) * 1000;
    const size_t coordination =
        data.coordination_bodies.size() + data.action_plans.size() +
        data.referral_mechanisms.size() + data.training_activities.size() +
        data.awareness_campaigns.size() + data.cooperation_activities.size() +
        data.inter_agency_groups.size();
    std::printf(
        "  in process, reading %s: reporting records (cycle, %zu responses, "
        "%zu blocks; through the gateway) %.1f ms, the four domains' facts "
        "of the cycle (%zu legislation records, %zu observations, %zu "
        "measures, %zu coordination records; GrpcFactSource, direct) %.1f "
        "ms\n",
        cycle.c_str(), data.responses.size(), data.blocks.size(), reporting_ms,
        data.legislations.size(), data.observations.size(),
        data.measures.size(), coordination, facts_ms);
    std::printf("  %-34s %9s %9s %9s  %s\n", "ComposeReport alone", "min ms",
                "median ms", "max ms", "same bytes as GenerateReport");
    for (size_t i = 0; i < std::size(kCombinations); ++i) {
      const Combination& c = kCombinations[i];
      const auto language =
          OrFail(palermo::reporting::ParseLanguage(c.language, "language"),
                 "language");
      const auto format =
          OrFail(palermo::reporting::ParseFormat(c.format, "format"), "format");
      std::vector<double> ms;
      std::string sha;
      for (int round = 0; round < absl::GetFlag(FLAGS_rounds); ++round) {
        const absl::Time t = absl::Now();
        rv1::Report report = OrFail(
            palermo::reporting::ComposeReport(data, names_, language, format),
            absl::StrCat("ComposeReport ", cycle, " ", c.language, " ",
                         c.format));
        ms.push_back(SecondsSince(t) * 1000);
        sha = report.content_sha256();
      }
      const Stats s = Summarize(ms);
      std::printf("  %-34s %9.1f %9.1f %9.1f  %s\n",
                  absl::StrCat(cycle, " ", c.language, " ", c.format).c_str(),
                  s.min, s.median, s.max,
                  i < served.size() && served[i].sha == sha ? "yes" : "NO");
    }
    std::fflush(stdout);
  }

 private:
  palermo::EntityRegistry registry_;
  palermo::reporting::EntityNames names_;
  palermo::reporting::ReportingClient reporting_;
  palermo::reporting::GrpcFactSource facts_;
};

double WorstMedian(const std::vector<Timed>& timed) {
  double worst = 0;
  for (const Timed& t : timed) worst = std::max(worst, t.ms.median);
  return worst;
}

double WorstMax(const std::vector<Timed>& timed) {
  double worst = 0;
  for (const Timed& t : timed) worst = std::max(worst, t.ms.max);
  return worst;
}

void Verdict(const std::string& what, const std::vector<Timed>& timed,
             double aim) {
  const double median = WorstMedian(timed), max = WorstMax(timed);
  std::printf("  %-44s slowest median %8.1f ms, slowest call %8.1f ms: %s\n",
              what.c_str(), median, max,
              max < aim      ? "aim met"
              : median < aim ? "aim met at the median, not by every call"
                             : "aim MISSED");
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const std::string dir = absl::GetFlag(FLAGS_bench_dir);
  if (dir.empty()) Fail("--bench_dir is required");

  absl::Time t = absl::Now();
  auto suite = OrFail(
      palermo::test::Suite::Start(dir, absl::GetFlag(FLAGS_gateway_flags)),
      "starting the suite");
  std::printf("report-bench: suite started in %.2f s (gateway %s), %d rounds\n",
              SecondsSince(t), suite->gateway->address().c_str(),
              absl::GetFlag(FLAGS_rounds));
  t = absl::Now();
  auto loaded = OrFail(
      palermo::test::RunCommand(
          PALERMO_LOAD,
          {"--target=" + suite->gateway->address(),
           std::string("--reference_dir=") + PALERMO_SOURCE_DIR + "/data",
           palermo::test::LoaderTokenFlag()}),
      "running palermo-load");
  if (loaded.exit_code != 0) {
    Fail(absl::StrCat("palermo-load exited with ", loaded.exit_code, ":\n",
                      loaded.errors));
  }
  std::printf("reference data loaded by palermo-load in %.2f s\n",
              SecondsSince(t));

  // Reports can be large: this client takes up to 256 MiB.
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(256 << 20);
  auto channel = grpc::CreateCustomChannel(
      suite->gateway->address(), suite->gateway->Credentials(), args);
  palermo::CallOptions options;
  options.timeout = absl::GetFlag(FLAGS_call_deadline);
  palermo::reporting::ReportingClient client(channel, options);
  std::unique_ptr<InProcess> in_process;
  if (absl::GetFlag(FLAGS_in_process)) {
    in_process = std::make_unique<InProcess>(*suite, channel);
  }

  const std::vector<Timed> reference = TimeAll(
      client, kReferenceCycle,
      "GenerateReport through the gateway, reference cycle (24 respondents)");
  if (in_process) in_process->Measure(kReferenceCycle, reference);

  // The synthetic cycle.
  const auto registry =
      OrFail(palermo::EntityRegistry::LoadDefault(), "loading iso-codes");
  std::string which;
  const std::vector<std::string> codes = palermo::bench::MemberStateCodes(
      registry, absl::GetFlag(FLAGS_states), &which);
  std::printf("\nsynthetic cycle cycles/%s: %zu States, %s\n",
              kSyntheticCycleId, codes.size(), which.c_str());
  t = absl::Now();
  const palermo::bench::SyntheticCounts counts = OrFail(
      palermo::bench::LoadSyntheticCycle(channel, kSyntheticCycleId, codes,
                                         absl::GetFlag(FLAGS_load_threads)),
      "loading the synthetic cycle");
  const double load_s = SecondsSince(t);
  const int records = 1 + counts.responses + counts.legislations_created +
                      counts.legislations_extended + counts.measures +
                      counts.coordination_records;
  std::printf(
      "  loaded through the gateway in %.2f s from %d threads: the cycle, "
      "%d responses, %d legislation records created and %d reference "
      "records given the cycle's facts, %d observations (one import per "
      "State), %d measures, %d coordination records (%d writes and %d "
      "imports, %.0f writes/s)\n",
      load_s, absl::GetFlag(FLAGS_load_threads), counts.responses,
      counts.legislations_created, counts.legislations_extended,
      counts.observations, counts.measures, counts.coordination_records,
      records, counts.responses, (records + counts.responses) / load_s);
  std::fflush(stdout);

  const std::string synthetic = absl::StrCat("cycles/", kSyntheticCycleId);
  const std::vector<Timed> big = TimeAll(
      client, synthetic,
      absl::StrCat("GenerateReport through the gateway, synthetic cycle (",
                   codes.size(), " respondents, no narrative blocks)")
          .c_str());
  if (in_process) in_process->Measure(synthetic, big);

  const std::vector<Timed> again =
      TimeAll(client, kReferenceCycle,
              "GenerateReport through the gateway, reference cycle, with the "
              "synthetic cycle's facts in the suite");
  bool unchanged = true;
  for (size_t i = 0; i < again.size(); ++i) {
    unchanged = unchanged && again[i].sha == reference[i].sha;
  }
  std::printf("  reference report unchanged by the synthetic cycle: %s\n",
              unchanged ? "yes (same SHA-256 in every language and format)"
                        : "NO: its bytes changed");

  std::printf("\naims\n");
  Verdict("reference report < 1 s (before the synthetic)", reference,
          kReferenceAimMs);
  Verdict("reference report < 1 s (beside the synthetic)", again,
          kReferenceAimMs);
  Verdict(absl::StrCat(codes.size(), "-State report < 10 s"), big,
          kSyntheticAimMs);
  return unchanged ? 0 : 1;
}
