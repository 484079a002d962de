// watch-bench: change feed latency, from a write's commit to a watcher. It
// starts the whole suite on port 0 (fresh databases under --bench_dir),
// opens a WatchChanges on the coordination service (through the gateway,
// or directly with --direct), then makes --writes writes one after another
// (creating coordination bodies) and reads each write's sequence from its
// palermo-change-sequence trailer.
// For every sequence it measures
//   - commit -> watcher: the watcher's receive time minus the change's
//     commit_time (both clocks are this machine's);
//   - write return -> watcher: the receive time minus the time the write's
//     call returned to the writer (negative when the watcher got the change
//     before the writer got its answer; counted as 0 in the percentiles).
// Prints p50, p90, p99 and max of both, and checks that the watcher saw
// every sequence exactly once, in order.
#include <algorithm>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "palermo/coordination/v1/coordination.grpc.pb.h"
#include "services/common/client_call.h"
#include "tests/support/service_process.h"

ABSL_FLAG(std::string, bench_dir, "", "Empty directory for the databases.");
ABSL_FLAG(int, writes, 10000, "Writes to make.");
ABSL_FLAG(bool, direct, false,
          "Watch and write on the coordination service itself, not through "
          "the gateway.");

namespace {

namespace cv1 = palermo::coordination::v1;

cv1::CreateCoordinationBodyRequest Create(int i) {
  cv1::CreateCoordinationBodyRequest request;
  request.set_parent("countries/CZE");
  request.set_coordination_body_id(absl::StrCat("body-", i));
  auto* body = request.mutable_coordination_body();
  body->set_display_name(absl::StrCat("Body ", i));
  body->set_kind(cv1::BODY_KIND_NATIONAL_RAPPORTEUR);
  auto* source = body->add_sources();
  source->set_document_symbol("E/CN.15/2008/6");
  source->set_paragraph(72);
  return request;
}

struct Percentiles {
  absl::Duration p50, p90, p99, max;
};

Percentiles Of(std::vector<absl::Duration> values) {
  std::sort(values.begin(), values.end());
  auto at = [&](double q) {
    return values[std::min(values.size() - 1,
                           static_cast<size_t>(q * values.size()))];
  };
  return {at(0.50), at(0.90), at(0.99), values.back()};
}

std::string Ms(absl::Duration d) {
  return absl::StrCat(absl::ToDoubleMilliseconds(d));
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const std::string dir = absl::GetFlag(FLAGS_bench_dir);
  const int writes = absl::GetFlag(FLAGS_writes);
  if (dir.empty() || writes < 1) {
    std::fprintf(stderr, "--bench_dir is required, --writes at least 1\n");
    return 2;
  }
  auto suite = palermo::test::Suite::Start(dir);
  if (!suite.ok()) {
    std::fprintf(stderr, "%s\n", suite.status().ToString().c_str());
    return 1;
  }
  const bool direct = absl::GetFlag(FLAGS_direct);
  auto channel =
      direct ? (*suite)->coordination->Channel() : (*suite)->gateway->Channel();
  auto writer = cv1::CoordinationService::NewStub(channel);
  // The watcher on a connection of its own, as a separate client would be.
  auto watch_stub = cv1::CoordinationService::NewStub(
      direct ? (*suite)->coordination->DefaultChannel()
             : (*suite)->gateway->DefaultChannel());

  palermo::common::v1::WatchChangesRequest request;
  request.set_from_latest(true);
  palermo::ChangeWatch watch(*watch_stub, request, palermo::CallOptions{});
  palermo::common::v1::WatchChangesResponse event;
  if (!watch.Read(&event) || !event.has_heartbeat()) {
    std::fprintf(stderr, "the watch did not start: %s\n",
                 watch.Finish().ToString().c_str());
    return 1;
  }
  const int64_t start = event.heartbeat().current_sequence();

  // Receive times by sequence, and the changes' commit times.
  std::mutex mu;
  std::vector<absl::Time> received(writes);
  std::vector<absl::Time> committed(writes);
  int in_order = 0;
  bool out_of_order = false;
  std::thread reader([&] {
    palermo::common::v1::WatchChangesResponse e;
    while (in_order < writes && watch.Read(&e)) {
      if (!e.has_change()) continue;
      const absl::Time now = absl::Now();
      std::lock_guard<std::mutex> lock(mu);
      const int64_t index = e.change().sequence() - start - 1;
      if (index != in_order) {
        out_of_order = true;
        break;
      }
      received[index] = now;
      committed[index] =
          absl::FromUnixSeconds(e.change().commit_time().seconds()) +
          absl::Nanoseconds(e.change().commit_time().nanos());
      ++in_order;
    }
  });

  std::vector<absl::Time> returned(writes);
  const absl::Time begin = absl::Now();
  for (int i = 0; i < writes; ++i) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
    cv1::CoordinationBody created;
    const grpc::Status status =
        writer->CreateCoordinationBody(&context, Create(i), &created);
    const absl::Time now = absl::Now();
    if (!status.ok()) {
      std::fprintf(stderr, "write %d failed: %s\n", i,
                   status.error_message().c_str());
      return 1;
    }
    const std::optional<int64_t> sequence = palermo::ChangeSequenceOf(context);
    if (!sequence.has_value() || *sequence != start + i + 1) {
      std::fprintf(stderr, "write %d: trailer sequence %s, expected %lld\n", i,
                   sequence ? absl::StrCat(*sequence).c_str() : "missing",
                   static_cast<long long>(start + i + 1));
      return 1;
    }
    returned[i] = now;
  }
  const absl::Duration elapsed = absl::Now() - begin;
  reader.join();
  watch.Cancel();
  if (out_of_order || in_order != writes) {
    std::fprintf(stderr, "the watcher saw %d of %d changes in order\n",
                 in_order, writes);
    return 1;
  }

  std::vector<absl::Duration> from_commit, from_return;
  int before_return = 0;
  for (int i = 0; i < writes; ++i) {
    from_commit.push_back(
        std::max(absl::ZeroDuration(), received[i] - committed[i]));
    const absl::Duration d = received[i] - returned[i];
    if (d < absl::ZeroDuration()) ++before_return;
    from_return.push_back(std::max(absl::ZeroDuration(), d));
  }
  const Percentiles c = Of(from_commit);
  const Percentiles r = Of(from_return);
  std::printf(
      "watch-bench: %d writes (coordination bodies, %s) in %s (%.0f/s), one "
      "watcher, every change seen once and in order\n",
      writes, direct ? "direct" : "through the gateway",
      absl::FormatDuration(elapsed).c_str(),
      writes / absl::ToDoubleSeconds(elapsed));
  std::printf(
      "commit -> watcher:       p50 %s ms, p90 %s ms, p99 %s ms, max %s ms\n",
      Ms(c.p50).c_str(), Ms(c.p90).c_str(), Ms(c.p99).c_str(),
      Ms(c.max).c_str());
  std::printf(
      "write return -> watcher: p50 %s ms, p90 %s ms, p99 %s ms, max %s ms "
      "(%d of %d changes reached the watcher before their write's "
      "answer reached the writer)\n",
      Ms(r.p50).c_str(), Ms(r.p90).c_str(), Ms(r.p99).c_str(),
      Ms(r.max).c_str(), before_return, writes);
  return 0;
}
