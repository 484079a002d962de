// enforcement-bench: measures the enforcement statistics service on a fresh,
// durable database, on either store: SQLite (WAL, synchronous=FULL, the
// default) or PostgreSQL (--store=postgres: fsync on, synchronous_commit on;
// on --postgres_dsn, or on a private server that tools/postgres/test-server
// starts in a temporary folder and removes afterwards):
//   1. bulk import throughput: synthetic observations for N entities x Y
//      years x I indicators x 16 breakdowns (total, 3 sexes, 3 age groups,
//      their 9 crossings), sent as atomic batches through ImportObservations;
//   2. aggregate latency: one Aggregate per indicator over every entity and
//      year, broken down by sex, repeated.
// It starts its own enforcement_server on port 0 and stops it afterwards.
// Run it with `./palermo bench`.
#include <stdlib.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "services/common/entities.h"
#include "services/common/flags.h"
#include "services/common/periods.h"
#include "services/common/store_flags.h"
#include "services/common/tls.h"
#include "services/enforcement/client/enforcement_client.h"
#include "tests/support/service_process.h"

ABSL_FLAG(std::string, server, "", "Path of enforcement_server.");
ABSL_FLAG(std::string, target, "",
          "Address of a running enforcement service to measure instead of "
          "starting one (it must have an empty database).");
ABSL_FLAG(std::string, bench_dir, "", "Empty directory for the database.");
ABSL_FLAG(int, entities, 193, "Reporting entities (ISO codes, in order).");
ABSL_FLAG(int, years, 20, "Years per series, from 1990.");
ABSL_FLAG(int, indicators, 16, "Indicators (from the seeded code list).");
ABSL_FLAG(int, batch, 50000, "Observations per atomic import batch.");
ABSL_FLAG(int, streams, 2, "Import batches in flight at a time.");
ABSL_FLAG(int, aggregate_rounds, 5, "Rounds of one Aggregate per indicator.");
ABSL_FLAG(std::string, postgres_test_server, "",
          "Path of tools/postgres/test-server, which starts a private "
          "PostgreSQL server for --store=postgres without --postgres_dsn.");
// --store, --postgres_dsn and --postgres_schema are the services' own
// (services/common/flags.h), passed on to the server.

namespace {

namespace ev1 = palermo::enforcement::v1;

// An enforcement client whose calls each have `timeout`.
palermo::enforcement::EnforcementClient Client(
    const std::shared_ptr<grpc::Channel>& channel, absl::Duration timeout) {
  palermo::CallOptions options;
  options.timeout = timeout;
  return palermo::enforcement::EnforcementClient(channel, options);
}

// Runs `command`; its output's last line, or "" if it failed.
std::string LastLineOf(const std::string& command) {
  FILE* out = popen(command.c_str(), "r");
  if (out == nullptr) return "";
  std::string text;
  std::array<char, 512> buffer;
  while (fgets(buffer.data(), buffer.size(), out) != nullptr) {
    text += buffer.data();
  }
  if (pclose(out) != 0) return "";
  text = std::string(absl::StripTrailingAsciiWhitespace(text));
  const size_t newline = text.rfind('\n');
  return newline == std::string::npos ? text : text.substr(newline + 1);
}

// A private PostgreSQL server in a temporary folder, removed at the end.
class PrivatePostgres {
 public:
  ~PrivatePostgres() {
    if (!dir_.empty()) {
      LastLineOf(absl::StrCat(script_, " destroy ", dir_, " 2>&1"));
    }
  }
  // The DSN of its `postgres` database, or "" if it did not start.
  std::string Start(const std::string& script) {
    script_ = script;
    // Directly under /tmp, so that the server's user (test-server runs it
    // as palermo-pg when run as root) can reach it.
    char dir[] = "/tmp/palermo-bench-pg-XXXXXX";
    if (mkdtemp(dir) == nullptr) return "";
    dir_ = dir;
    return LastLineOf(absl::StrCat(script_, " start ", dir_));
  }

 private:
  std::string script_;
  std::string dir_;
};

double Percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * v.size()))];
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  if (absl::Status s = palermo::ValidateTlsConfig(palermo::TlsConfigFromFlags());
      !s.ok()) {
    std::fprintf(stderr, "%s\n", std::string(s.message()).c_str());
    return 2;
  }
  auto registry = palermo::EntityRegistry::LoadDefault();
  if (!registry.ok()) {
    std::fprintf(stderr, "%s\n", registry.status().ToString().c_str());
    return 1;
  }
  const std::string store = absl::GetFlag(FLAGS_store);
  if (store != "sqlite" && store != "postgres") {
    std::fprintf(stderr, "--store=%s is neither sqlite nor postgres\n",
                 store.c_str());
    return 1;
  }
  std::vector<std::string> server_args = {"--data_dir=" +
                                          absl::GetFlag(FLAGS_bench_dir)};
  PrivatePostgres private_postgres;
  std::string durability = "WAL, synchronous=FULL";
  if (store == "postgres") {
    std::string dsn = absl::GetFlag(FLAGS_postgres_dsn);
    if (dsn.empty()) {
      dsn = private_postgres.Start(absl::GetFlag(FLAGS_postgres_test_server));
      if (dsn.empty()) {
        std::fprintf(stderr,
                     "cannot start a PostgreSQL server with "
                     "--postgres_test_server=%s\n",
                     absl::GetFlag(FLAGS_postgres_test_server).c_str());
        return 1;
      }
      std::printf("PostgreSQL: a private server, %s\n", dsn.c_str());
    }
    server_args.push_back("--store=postgres");
    server_args.push_back("--postgres_dsn=" + dsn);
    if (!absl::GetFlag(FLAGS_postgres_schema).empty()) {
      server_args.push_back("--postgres_schema=" +
                            absl::GetFlag(FLAGS_postgres_schema));
    }
    durability = "PostgreSQL, fsync on, synchronous_commit on";
  }
  std::unique_ptr<palermo::test::ServiceProcess> server;
  std::string address = absl::GetFlag(FLAGS_target);
  if (address.empty()) {
    auto started = palermo::test::ServiceProcess::Start(
        absl::GetFlag(FLAGS_server), server_args);
    if (!started.ok()) {
      std::fprintf(stderr, "%s\n", started.status().ToString().c_str());
      return 1;
    }
    server = *std::move(started);
    address = server->address();
  }
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(64 << 20);
  // The server it started: mutual TLS as in the tests; --target: the
  // --tls_* flags'.
  auto channel = grpc::CreateCustomChannel(
      address,
      server ? server->Credentials() : palermo::SuiteChannelCredentials(),
      args);
  auto listed = Client(channel, absl::Seconds(10)).ListAllIndicators();
  if (!listed.ok()) {
    std::fprintf(stderr, "cannot list indicators: %s\n",
                 listed.status().ToString().c_str());
    return 1;
  }
  const std::vector<ev1::Indicator> indicators = *std::move(listed);
  const int n_indicators = std::min(absl::GetFlag(FLAGS_indicators),
                                    static_cast<int>(indicators.size()));
  std::vector<std::string> entities;
  for (const std::string& code : registry->CountryCodes()) {
    if (static_cast<int>(entities.size()) == absl::GetFlag(FLAGS_entities))
      break;
    entities.push_back(absl::StrCat("countries/", code));
  }
  const int years = absl::GetFlag(FLAGS_years);

  // The 16 breakdowns: total, sexes, age groups and their crossings.
  std::vector<std::pair<ev1::Sex, ev1::AgeGroup>> breakdowns = {
      {ev1::SEX_UNSPECIFIED, ev1::AGE_GROUP_UNSPECIFIED}};
  for (auto sex : {ev1::SEX_MALE, ev1::SEX_FEMALE, ev1::SEX_UNKNOWN}) {
    breakdowns.push_back({sex, ev1::AGE_GROUP_UNSPECIFIED});
  }
  for (auto age :
       {ev1::AGE_GROUP_ADULT, ev1::AGE_GROUP_CHILD, ev1::AGE_GROUP_UNKNOWN}) {
    breakdowns.push_back({ev1::SEX_UNSPECIFIED, age});
    for (auto sex : {ev1::SEX_MALE, ev1::SEX_FEMALE, ev1::SEX_UNKNOWN}) {
      breakdowns.push_back({sex, age});
    }
  }

  // 1. Import. The batches are built first, so that the clock measures the
  // service: from the first message sent to the last batch acknowledged,
  // with --streams batches in flight at a time.
  const int batch_size = absl::GetFlag(FLAGS_batch);
  std::vector<std::vector<ev1::ImportObservationsRequest>> batches;
  int64_t generated = 0;
  auto add = [&](ev1::Observation o) {
    if (generated % batch_size == 0) batches.emplace_back();
    auto& messages = batches.back();
    if (messages.empty() || messages.back().observations_size() == 5000) {
      messages.emplace_back();
      if (messages.size() == 1) {
        messages.back().set_request_id(absl::StrCat("bench-", batches.size()));
      }
    }
    *messages.back().add_observations() = std::move(o);
    ++generated;
  };
  for (const std::string& entity : entities) {
    for (int i = 0; i < n_indicators; ++i) {
      for (int y = 0; y < years; ++y) {
        for (const auto& [sex, age] : breakdowns) {
          ev1::Observation o;
          o.set_entity(entity);
          o.set_indicator(indicators[i].code());
          *o.mutable_period() =
              *palermo::ParseTimePeriod(absl::StrCat(1990 + y));
          o.set_sex(sex);
          o.set_age_group(age);
          o.set_value((y * 7 + i * 3 + static_cast<int>(sex) * 2) % 100);
          auto* s = o.add_sources();
          s->set_document_symbol("BENCH/1");
          s->set_paragraph(1);
          add(std::move(o));
        }
      }
    }
  }
  std::atomic<size_t> next{0};
  std::atomic<int64_t> total{0};
  std::atomic<bool> failed{false};
  auto importer = Client(channel, absl::Minutes(10));
  auto send = [&] {
    for (size_t b = next++; b < batches.size() && !failed; b = next++) {
      auto response = importer.ImportObservations(batches[b]);
      if (!response.ok()) {
        std::fprintf(stderr, "import failed: %s\n",
                     response.status().ToString().c_str());
        failed = true;
        return;
      }
      total += response->created();
    }
  };
  const absl::Time start = absl::Now();
  std::vector<std::thread> senders;
  for (int i = 0; i < absl::GetFlag(FLAGS_streams); ++i)
    senders.emplace_back(send);
  for (auto& t : senders) t.join();
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  if (failed) return 1;
  std::printf(
      "import: %lld observations in %zu atomic batches of up to %d, "
      "%d in flight, %.2f s, %.0f observations/s (%s, durable: %s)\n",
      static_cast<long long>(total.load()), batches.size(), batch_size,
      absl::GetFlag(FLAGS_streams), seconds, total / seconds, store.c_str(),
      durability.c_str());
  batches.clear();

  // 2. Aggregates.
  auto aggregator = Client(channel, absl::Seconds(30));
  std::vector<double> latencies_ms;
  int64_t used = 0;
  for (int round = 0; round < absl::GetFlag(FLAGS_aggregate_rounds); ++round) {
    for (int i = 0; i < n_indicators; ++i) {
      ev1::AggregateRequest request;
      request.set_indicator(indicators[i].code());
      *request.mutable_window() =
          *palermo::ParseTimePeriod(absl::StrCat(1990, "/", 1990 + years - 1));
      request.add_group_by(ev1::DIMENSION_SEX);
      const absl::Time start = absl::Now();
      auto response = aggregator.Aggregate(request);
      latencies_ms.push_back(absl::ToDoubleMilliseconds(absl::Now() - start));
      if (!response.ok()) {
        std::fprintf(stderr, "aggregate failed: %s\n",
                     response.status().ToString().c_str());
        return 1;
      }
      used = 0;
      for (const auto& cell : response->cells())
        used += cell.observation_count();
    }
  }
  auto stop = [&server] { return !server || server->Terminate() == 0 ? 0 : 1; };
  if (latencies_ms.empty()) return stop();
  std::printf(
      "aggregate: %zu requests (one indicator, %zu entities x %d years, "
      "by sex: %lld observations summed each), p50 %.1f ms, p95 %.1f ms, "
      "max %.1f ms\n",
      latencies_ms.size(), entities.size(), years, static_cast<long long>(used),
      Percentile(latencies_ms, 0.5), Percentile(latencies_ms, 0.95),
      *std::max_element(latencies_ms.begin(), latencies_ms.end()));
  return stop();
}
