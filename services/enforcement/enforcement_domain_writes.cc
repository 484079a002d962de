// The enforcement domain's writes: one observation (Upsert) or a stream of
// them (Import), validated, normalised and written as one idempotent batch
// (the protocol of idempotent_write.h), reporting the change log sequence.
#include "services/enforcement/enforcement_domain.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <limits>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "services/common/bounds.h"
#include "services/common/idempotency.h"
#include "services/common/idempotent_write.h"
#include "services/common/status.h"
#include "services/common/validation.h"

namespace palermo::enforcement {
namespace {
using google::protobuf::util::TimeUtil;

// What the store adds to a row it writes, the revision and update time, at
// their largest: a row is measured as it will be stored.
size_t StoreAddedBytes() {
  static const size_t bytes = [] {
    v1::Observation o;
    o.set_revision_id(std::numeric_limits<int64_t>::max());
    o.mutable_update_time()->set_seconds(TimeUtil::kTimestampMaxSeconds);
    o.mutable_update_time()->set_nanos(999999999);
    return o.ByteSizeLong();
  }();
  return bytes;
}

}  // namespace

absl::StatusOr<int64_t> EnforcementDomain::LatestSequence() {
  absl::StatusOr<ChangeBounds> bounds = store_.Changes().Bounds();
  if (!bounds.ok()) return bounds.status();
  return bounds->latest;
}

absl::StatusOr<std::vector<v1::Observation>> EnforcementDomain::WriteRows(
    std::vector<v1::Observation> rows,
    const std::function<std::string(size_t)>& row_path,
    const IdempotentWrite& write, bool respond_with_row,
    std::string* replayed_response, v1::ImportObservationsResponse* response,
    int64_t* sequence) {
  FieldViolations violations;
  ValidateRequestId(write.request_id(), violations);
  if (!violations.empty()) return violations.ToStatus();
  // A request committed before answers at once, as it did the first time,
  // before its rows are checked again (idempotent_write.h, step 2).
  absl::StatusOr<std::optional<std::string>> replay = write.Replay(store_);
  if (!replay.ok()) return replay.status();
  if (replay->has_value()) {
    *replayed_response = **std::move(replay);
    absl::StatusOr<int64_t> latest = LatestSequence();
    if (!latest.ok()) return latest.status();
    *sequence = *latest;
    return rows;
  }
  // Large batches are validated on two threads, each on a contiguous half,
  // so that violations stay in row order.
  constexpr size_t kParallelFrom = 10000;
  const size_t split =
      rows.size() >= kParallelFrom ? rows.size() / 2 : rows.size();
  FieldViolations second_half;
  int reported_rows = 0, second_reported = 0;
  // Every row is validated, so that the counts are right; the violations
  // beyond kMaxViolationsInDetails are only counted (FieldViolations).
  auto validate = [&](size_t from, size_t to, FieldViolations& out,
                      int& reported) {
    for (size_t i = from; i < to; ++i) {
      const int before = out.size();
      Validate(rows[i], row_path(i), out);
      if (out.size() > before) ++reported;
    }
  };
  std::thread helper;
  if (split < rows.size()) {
    helper = std::thread(validate, split, rows.size(), std::ref(second_half),
                         std::ref(second_reported));
  }
  validate(0, split, violations, reported_rows);
  if (helper.joinable()) helper.join();
  violations.Merge(second_half);
  reported_rows += second_reported;
  if (!violations.empty()) {
    return violations.ToStatus(
        absl::StrCat(reported_rows, " invalid row(s), nothing written"));
  }
  for (v1::Observation& o : rows) {
    o.clear_revision_id();
    o.clear_update_time();
    o.DiscardUnknownFields();
    if (o.status() == v1::OBSERVATION_STATUS_UNSPECIFIED) {
      o.set_status(v1::OBSERVATION_STATUS_NORMAL);
    }
    o.set_name(NameOf(o));
  }
  // One figure per series key and batch: a key sent twice is ambiguous.
  absl::flat_hash_map<absl::string_view, size_t> first_row;
  for (size_t i = 0; i < rows.size(); ++i) {
    ValidateRecordBytes(rows[i].ByteSizeLong() + StoreAddedBytes(),
                        row_path(i), violations);
    auto [it, inserted] = first_row.emplace(rows[i].name(), i);
    if (!inserted) {
      violations.Add(row_path(i),
                     absl::StrCat("same series key as ", row_path(it->second),
                                  " (", Abbreviate(rows[i].name()), ")"));
    }
  }
  first_row.clear();
  if (!violations.empty()) {
    return violations.ToStatus(
        "rows too large or repeating a series key, nothing written");
  }
  // Writing in key order keeps the B-tree inserts local; keys are unique.
  // An upsert answers with its row, so its single row stays where it is.
  std::sort(rows.begin(), rows.end(),
            [](const v1::Observation& a, const v1::Observation& b) {
              return a.name() < b.name();
            });
  response->set_received(static_cast<int64_t>(rows.size()));
  auto fill = [&](const BatchOutcome& o) {
    response->set_created(o.created);
    response->set_revised(o.revised);
    response->set_unchanged(o.unchanged);
    *response->mutable_commit_time() =
        TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(o.commit_time));
  };
  std::optional<StoredRequest> earlier;
  absl::StatusOr<BatchOutcome> outcome = store_.WriteBatch(
      rows, clock_(), write.request_id(), write.fingerprint(),
      [&](const BatchOutcome& o) {
        fill(o);
        return respond_with_row ? rows.front().SerializeAsString()
                                : response->SerializeAsString();
      },
      &earlier);
  if (!outcome.ok()) {
    // Committed meanwhile by a concurrent retry? Its answer (step 4).
    absl::StatusOr<std::string> settled =
        write.Settle(store_, outcome.status());
    if (!settled.ok()) return settled.status();
    *replayed_response = *std::move(settled);
    absl::StatusOr<int64_t> latest = LatestSequence();
    if (!latest.ok()) return latest.status();
    *sequence = *latest;
    return rows;
  }
  fill(*outcome);
  *sequence = outcome->sequence;
  if (earlier.has_value()) {
    // The store found the id taken inside its transaction (step 4).
    absl::StatusOr<std::string> answer = write.Answer(*earlier);
    if (!answer.ok()) return answer.status();
    *replayed_response = *std::move(answer);
  }
  return rows;
}

absl::StatusOr<v1::Observation> EnforcementDomain::Upsert(
    const v1::UpsertObservationRequest& request, int64_t* sequence) {
  std::vector<v1::Observation> rows = {request.observation()};
  std::string replayed;
  v1::ImportObservationsResponse unused;
  int64_t unused_sequence = 0;
  absl::StatusOr<std::vector<v1::Observation>> written = WriteRows(
      std::move(rows), [](size_t) { return std::string("observation"); },
      IdempotentWrite(request.request_id(),
                      RequestFingerprint("enforcement.upsert", request)),
      /*respond_with_row=*/true, &replayed, &unused,
      sequence != nullptr ? sequence : &unused_sequence);
  if (!written.ok()) return written.status();
  if (!replayed.empty()) {
    // A retried upsert answers as the first one did.
    v1::Observation first;
    if (!first.ParseFromString(replayed)) {
      return absl::DataLossError("cannot parse a stored response");
    }
    return first;
  }
  return std::move(written->front());
}

absl::StatusOr<v1::ImportObservationsResponse> EnforcementDomain::Import(
    const std::string& request_id, std::vector<v1::Observation> rows,
    int64_t* sequence) {
  IdempotentWrite write(request_id,
                        RequestFingerprintOfAll("enforcement.import", rows));
  std::string replayed;
  v1::ImportObservationsResponse response;
  int64_t unused_sequence = 0;
  absl::StatusOr<std::vector<v1::Observation>> written = WriteRows(
      std::move(rows),
      [](size_t i) { return absl::StrCat("observations[", i, "]"); }, write,
      /*respond_with_row=*/false, &replayed, &response,
      sequence != nullptr ? sequence : &unused_sequence);
  if (!written.ok()) return written.status();
  if (!replayed.empty() && !response.ParseFromString(replayed)) {
    return absl::DataLossError("cannot parse a stored response");
  }
  return response;
}

}  // namespace palermo::enforcement
