// auth-bench: what authentication costs at the gateway. Starts the whole
// suite (mutual TLS, the gateway verifying the development key's tokens) in
// --bench_dir, then, --rounds times and interleaved so that drift hits each
// alike, runs --clients threads for --seconds each of:
//   read, anonymous:  GetLegislation without a token (admission: no token
//                     to verify, the policy asked);
//   read, token:      the same call with an analyst's ES256 token;
//   write, token:     UpdateLegislation (a new note each time) with it.
// A write cannot go through the gateway without a token, so the cost of
// authenticating one is measured apart, in process: Admission::Admit on the
// same request and token (policy, rate limit off; the token remembered
// after its first check, and checked afresh with ES256 every time), per
// call on one thread, set against the write's cost per call on the
// machine's cores.
// Run it with `./palermo bench auth`.
#include <grpcpp/grpcpp.h>
#include <grpcpp/test/server_context_test_spouse.h>

#include <atomic>
#include <iterator>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "palermo/legislation/v1/legislation.grpc.pb.h"
#include "services/common/entities.h"
#include "services/common/token_verifier.h"
#include "services/gateway/access_policy.h"
#include "services/gateway/admission.h"
#include "tests/support/service_process.h"

ABSL_FLAG(std::string, bench_dir, "", "Empty directory for the databases.");
ABSL_FLAG(int, clients, 8, "Client threads, each with its own connection.");
ABSL_FLAG(absl::Duration, seconds, absl::Seconds(5), "Length of each run.");
ABSL_FLAG(int, rounds, 3, "Rounds of the three runs, interleaved.");

namespace {

namespace lv1 = palermo::legislation::v1;
using palermo::Principal;
using palermo::Role;

constexpr char kName[] = "countries/EST/legislation";
// One record per writing thread, so that writers do not conflict.
constexpr const char* kWritten[] = {"EST", "LVA", "LTU", "FIN", "SWE",
                                    "NOR", "DNK", "ISL", "POL", "DEU",
                                    "FRA", "ITA", "ESP", "PRT", "IRL",
                                    "GBR"};
const Principal kAnalyst{"bench-analyst", Role::kAnalyst, ""};

[[noreturn]] void Fail(const std::string& what) {
  std::fprintf(stderr, "auth-bench: %s\n", what.c_str());
  std::exit(1);
}

enum class Kind { kReadAnonymous, kReadToken, kWriteToken };

const char* KindName(Kind kind) {
  switch (kind) {
    case Kind::kReadAnonymous:
      return "read, anonymous";
    case Kind::kReadToken:
      return "read, token";
    case Kind::kWriteToken:
      return "write, token";
  }
  return "";
}

// Calls per second of `kind` from --clients threads for --seconds; exits
// on any failed call.
double Run(const palermo::test::ServiceProcess& gateway, Kind kind) {
  const int clients = absl::GetFlag(FLAGS_clients);
  const absl::Time end = absl::Now() + absl::GetFlag(FLAGS_seconds);
  std::atomic<int64_t> calls{0};
  std::atomic<int64_t> failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < clients; ++t) {
    threads.emplace_back([&, t] {
      auto stub = lv1::LegislationService::NewStub(
          kind == Kind::kReadAnonymous ? gateway.AnonymousChannel()
                                       : gateway.ChannelAs(kAnalyst));
      int64_t n = 0;
      while (absl::Now() < end) {
        grpc::ClientContext context;
        context.set_deadline(
            absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
        lv1::Legislation out;
        grpc::Status status;
        if (kind == Kind::kWriteToken) {
          lv1::UpdateLegislationRequest update;
          update.mutable_legislation()->set_name(absl::StrCat(
              "countries/", kWritten[t % std::size(kWritten)],
              "/legislation"));
          update.mutable_legislation()->set_notes(
              absl::StrCat("note ", t, "-", n));
          update.mutable_update_mask()->add_paths("notes");
          status = stub->UpdateLegislation(&context, update, &out);
        } else {
          lv1::GetLegislationRequest get;
          get.set_name(kName);
          status = stub->GetLegislation(&context, get, &out);
        }
        if (!status.ok()) {
          failed.fetch_add(1);
          std::fprintf(stderr, "auth-bench: %s: %s\n", KindName(kind),
                       status.error_message().c_str());
          return;
        }
        ++n;
      }
      calls.fetch_add(n);
    });
  }
  for (std::thread& t : threads) t.join();
  if (failed.load() > 0) Fail(absl::StrCat(KindName(kind), " failed"));
  return calls.load() / absl::ToDoubleSeconds(absl::GetFlag(FLAGS_seconds));
}

// Microseconds Admission::Admit takes per call on one thread, for the
// write's request and an analyst's token: remembered after its first
// check (`cache`), or checked afresh every time.
double AdmitMicros(bool cache) {
  auto entities = palermo::EntityRegistry::LoadDefault();
  if (!entities.ok()) Fail(entities.status().ToString());
  palermo::TokenVerifierOptions options;
  {
    std::FILE* f = std::fopen(
        (palermo::test::TestCertsDir() + "/jwt-dev.pub").c_str(), "r");
    if (f == nullptr) Fail("cannot read jwt-dev.pub");
    std::string pem;
    char buffer[4096];
    size_t n;
    while ((n = std::fread(buffer, 1, sizeof(buffer), f)) > 0) {
      pem.append(buffer, n);
    }
    std::fclose(f);
    options.public_keys_pem = {pem};
    if (!cache) options.cache_size = 0;
  }
  auto verifier = palermo::TokenVerifier::Create(options);
  if (!verifier.ok()) Fail(verifier.status().ToString());
  palermo::gateway::AccessPolicy policy(*entities);
  palermo::gateway::Admission admission(verifier->get(), &policy, nullptr,
                                        nullptr);
  grpc::ServerContext context;
  grpc::testing::ServerContextTestSpouse spouse(&context);
  spouse.AddClientMetadata(
      "authorization", "Bearer " + palermo::test::TestToken(kAnalyst));
  lv1::UpdateLegislationRequest update;
  update.mutable_legislation()->set_name(kName);
  update.mutable_legislation()->set_notes("note");
  update.mutable_update_mask()->add_paths("notes");
  const std::string method =
      "/palermo.legislation.v1.LegislationService/UpdateLegislation";
  constexpr int kCalls = 20000;
  const absl::Time start = absl::Now();
  for (int i = 0; i < kCalls; ++i) {
    auto who = admission.Admit(context, method, &update);
    if (!who.ok()) Fail(who.status().ToString());
  }
  return absl::ToDoubleMicroseconds(absl::Now() - start) / kCalls;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const std::string dir = absl::GetFlag(FLAGS_bench_dir);
  if (dir.empty()) Fail("--bench_dir is required");
  auto suite = palermo::test::Suite::Start(dir);
  if (!suite.ok()) Fail(suite.status().ToString());
  const palermo::test::ServiceProcess& gateway = *(*suite)->gateway;
  if (absl::GetFlag(FLAGS_clients) > static_cast<int>(std::size(kWritten))) {
    Fail(absl::StrCat("--clients: at most ", std::size(kWritten)));
  }
  for (const char* code : kWritten) {
    auto admin = lv1::LegislationService::NewStub(gateway.Channel());
    lv1::CreateLegislationRequest create;
    create.set_parent(absl::StrCat("countries/", code));
    create.mutable_legislation()->mutable_protocol()->set_status(
        lv1::TREATY_STATUS_RATIFIED);
    auto* source =
        create.mutable_legislation()->mutable_protocol()->add_sources();
    source->set_document_symbol("E/CN.15/2008/6");
    source->set_paragraph(5);
    lv1::Legislation out;
    grpc::ClientContext context;
    grpc::Status status = admin->CreateLegislation(&context, create, &out);
    if (!status.ok()) Fail(status.error_message());
  }
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  std::printf("auth-bench: %d clients, %s a run, %d rounds, %u cores\n",
              absl::GetFlag(FLAGS_clients),
              absl::FormatDuration(absl::GetFlag(FLAGS_seconds)).c_str(),
              absl::GetFlag(FLAGS_rounds), cores);
  double total[3] = {0, 0, 0};
  const Kind kinds[3] = {Kind::kReadAnonymous, Kind::kReadToken,
                         Kind::kWriteToken};
  const int rounds = absl::GetFlag(FLAGS_rounds);
  for (int round = 1; round <= rounds; ++round) {
    for (int k = 0; k < 3; ++k) {
      const double rate = Run(gateway, kinds[k]);
      total[k] += rate;
      std::printf("round %d  %-16s %8.0f calls/s\n", round,
                  KindName(kinds[k]), rate);
    }
  }
  const double anonymous = total[0] / rounds;
  const double token = total[1] / rounds;
  const double write = total[2] / rounds;
  const double admit_us = AdmitMicros(/*cache=*/true);
  const double first_us = AdmitMicros(/*cache=*/false);
  // The write's cost per call on the machine: its cores' time per call.
  const double write_us = 1e6 * cores / write;
  std::printf("\nread, anonymous  %8.0f calls/s (mean of %d rounds)\n",
              anonymous, rounds);
  std::printf("read, token      %8.0f calls/s: authentication costs %.1f%%\n",
              token, 100.0 * (anonymous - token) / anonymous);
  std::printf("write, token     %8.0f calls/s (%.0f us of the cores' time a "
              "call)\n",
              write, write_us);
  std::printf("Admit in process, token remembered: %.1f us a call = %.2f%% "
              "of a write's cost\n",
              admit_us, 100.0 * admit_us / write_us);
  std::printf("Admit in process, token checked afresh (ES256 verify + "
              "policy): %.1f us a call = %.1f%% of a write's cost\n",
              first_us, 100.0 * first_us / write_us);
  return 0;
}
