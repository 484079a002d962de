// report-bench's synthetic cycle: one response per State and, for each,
// complete data in every domain (a legislation record with every fact,
// enforcement figures of several indicators and years, assistance measures
// of several types, a record of each of the six coordination collections),
// every source citing the cycle and the State's response. Written through
// the public client libraries, as any client of the gateway would.
#ifndef PALERMO_TOOLS_BENCH_REPORT_BENCH_DATA_H_
#define PALERMO_TOOLS_BENCH_REPORT_BENCH_DATA_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/entities.h"

namespace palermo::bench {

// The ISO 3166-1 alpha-3 codes of the `count` first United Nations Member
// States in iso-codes' order, and in `*which` how they were chosen: the
// registry's codes less those of ISO 3166-1 that are not Member States
// (territories, Antarctica, the observer States), when that leaves exactly
// 193; otherwise simply the registry's first `count` codes.
std::vector<std::string> MemberStateCodes(const EntityRegistry& registry,
                                          int count, std::string* which);

struct SyntheticCounts {
  int responses = 0;
  int legislations_created = 0;
  int legislations_extended = 0;  // a reference record, given the new facts
  int observations = 0;
  int measures = 0;
  int coordination_records = 0;
};

// Creates `cycle_id` and, for each of `codes`, its response and its facts,
// from `threads` threads through `channel` (the gateway). The first failed
// call fails the whole, with its message.
absl::StatusOr<SyntheticCounts> LoadSyntheticCycle(
    std::shared_ptr<grpc::Channel> channel, const std::string& cycle_id,
    const std::vector<std::string>& codes, int threads);

}  // namespace palermo::bench

#endif  // PALERMO_TOOLS_BENCH_REPORT_BENCH_DATA_H_
