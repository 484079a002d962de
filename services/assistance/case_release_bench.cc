// case-release-bench: how long cutting a protected case release takes
// (services/assistance/suppression.h), in process, on synthetic cases:
// the first release, then releases one new case apart, each protected
// against every earlier one; and serving the largest table from a release.
#include <chrono>
#include <cstdio>
#include <random>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "services/assistance/suppression.h"

ABSL_FLAG(int, cases, 5000, "Case records.");
ABSL_FLAG(int, entities, 200, "Entities (and citizenships).");
ABSL_FLAG(int, releases, 5, "Releases cut, one new case apart.");
ABSL_FLAG(int, k, 11, "Smallest published count.");

namespace {

double Millis(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double, std::milli>(
             std::chrono::steady_clock::now() - since)
      .count();
}

}  // namespace

int main(int argc, char** argv) {
  using namespace palermo::assistance;
  absl::ParseCommandLine(argc, argv);
  const int entities = absl::GetFlag(FLAGS_entities);
  std::mt19937 random(20261201);
  // Skewed like real data: a few entities and citizenships hold most cases.
  auto skewed = [&](int n) {
    return static_cast<int>(
        std::min({random() % n, random() % n, random() % n}));
  };
  auto random_case = [&] {
    return CellKey{absl::StrCat("countries/E", skewed(entities)),
                   absl::StrCat("G", skewed(4)), absl::StrCat("A", skewed(3)),
                   absl::StrCat("C", skewed(entities)),
                   absl::StrCat("R", skewed(8))};
  };
  // Every value listed, as the service lists every country and enum value.
  Domains domains;
  for (int e = 0; e < entities; ++e) {
    domains[0].push_back(absl::StrCat("countries/E", e));
    domains[3].push_back(absl::StrCat("C", e));
  }
  for (int v = 0; v < 5; ++v) domains[1].push_back(absl::StrCat("G", v));
  for (int v = 0; v < 4; ++v) domains[2].push_back(absl::StrCat("A", v));
  for (int v = 0; v < 9; ++v) domains[4].push_back(absl::StrCat("R", v));
  CaseTuples cases;
  for (int i = 0; i < absl::GetFlag(FLAGS_cases); ++i) ++cases[random_case()];
  std::vector<ReleaseCells> releases;
  releases.reserve(absl::GetFlag(FLAGS_releases));
  for (int r = 0; r < absl::GetFlag(FLAGS_releases); ++r) {
    std::vector<const ReleaseCells*> earlier;
    for (const auto& e : releases) earlier.push_back(&e);
    const auto start = std::chrono::steady_clock::now();
    releases.push_back(
        ProtectRelease(cases, earlier, absl::GetFlag(FLAGS_k), domains));
    const double ms = Millis(start);
    int hidden = 0;
    for (const auto& [key, value] : releases.back()) hidden += value.hidden;
    std::printf("release %d (%zu earlier): %zu cells, %d hidden, %.0f ms\n",
                r + 1, earlier.size(), releases.back().size(), hidden, ms);
    ++cases[random_case()];
  }
  const auto start = std::chrono::steady_clock::now();
  const auto table = TableOf(releases.back(), {0, 3});
  std::printf("serving [ENTITY, CITIZENSHIP] (%zu cells): %.1f ms\n",
              table.size(), Millis(start));
  return 0;
}
