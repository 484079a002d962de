// The idempotent-write protocol (AIP-155) every Palermo service follows,
// whatever its store:
//
//  1. The domain validates the request id with the request's other fields
//     (ValidateRequestId, idempotency.h) and fingerprints the request
//     (RequestFingerprint): IdempotentWrite holds both.
//  2. Replay(): a request id committed before answers with the first answer
//     at once, before any other check (a retry's etag is stale by then); an
//     id committed for another request is INVALID_ARGUMENT on `request_id`.
//  3. The write reads the record, checks the caller's etag, merges, and
//     writes guarded by the revision it read (compare-and-swap), storing
//     Key(answer) in the same transaction. RetryOnAborted() redoes it when a
//     concurrent write came between the read and the write and the caller
//     sent no etag (it asked for its fields whatever the version); with an
//     etag, ABORTED is the answer.
//  4. A store that finds the id taken inside its transaction (a concurrent
//     retry committed first) writes nothing and returns the earlier key:
//     Answer() checks it is this request and gives its answer.
//  5. A write that changes nothing writes nothing but records its key all
//     the same (RecordNoOp()), so that a retry gets the same answer even
//     after another write changed the record.
//
// `Store` is any store with
//   StatusOr<optional<StoredRequest>> FindRequest(id)
//   Status RecordRequest(id, const StoredRequest&)  // ALREADY_EXISTS if taken
// (RecordStore, LegislationStore, ...).
#ifndef PALERMO_SERVICES_COMMON_IDEMPOTENT_WRITE_H_
#define PALERMO_SERVICES_COMMON_IDEMPOTENT_WRITE_H_

#include <optional>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/common/idempotency.h"

namespace palermo {

// How often a write without an etag is redone after concurrent writes.
inline constexpr int kMaxWriteAttempts = 8;

class IdempotentWrite {
 public:
  // An empty `request_id`: the write is not idempotent, and every step
  // below is a no-op.
  IdempotentWrite(std::string request_id, std::string fingerprint)
      : request_id_(std::move(request_id)),
        fingerprint_(std::move(fingerprint)) {}

  const std::string& request_id() const { return request_id_; }
  const std::string& fingerprint() const { return fingerprint_; }
  bool keyed() const { return !request_id_.empty(); }

  // The key a write stores with `answer` (what a retry gets).
  StoredRequest Key(std::string answer) const {
    return {fingerprint_, std::move(answer)};
  }

  // Step 2: the first answer if this request was committed before.
  template <typename Store>
  absl::StatusOr<std::optional<std::string>> Replay(Store& store) const;

  // Step 4: the answer of the request a store found under the id.
  absl::StatusOr<std::string> Answer(const StoredRequest& earlier) const;

  // Step 5: records the key of a write that changed nothing, answering
  // `answer`; if the id was taken meanwhile, that request's answer (or
  // INVALID_ARGUMENT if it was another request).
  template <typename Store>
  absl::StatusOr<std::string> RecordNoOp(Store& store,
                                         std::string answer) const;

  // After a write failed (`failure` not OK): the answer of this request if a
  // concurrent retry committed it meanwhile, else `failure`.
  template <typename Store>
  absl::StatusOr<std::string> Settle(Store& store, absl::Status failure) const;

 private:
  std::string request_id_;
  std::string fingerprint_;
};

// Step 3: runs `attempt()` (returning absl::Status or absl::StatusOr<T>)
// until it returns anything but ABORTED: once when `guarded` (the caller
// sent an etag), at most kMaxWriteAttempts times otherwise. The last result,
// ABORTED if every attempt was.
template <typename Attempt>
auto RetryOnAborted(bool guarded, const Attempt& attempt)
    -> decltype(attempt());

// ---------------------------------------------------------------------------
// Implementation.

namespace internal {
inline const absl::Status& StatusOf(const absl::Status& s) { return s; }
template <typename T>
const absl::Status& StatusOf(const absl::StatusOr<T>& s) {
  return s.status();
}
}  // namespace internal

template <typename Store>
absl::StatusOr<std::optional<std::string>> IdempotentWrite::Replay(
    Store& store) const {
  if (!keyed()) return std::nullopt;
  absl::StatusOr<std::optional<StoredRequest>> earlier =
      store.FindRequest(request_id_);
  if (!earlier.ok()) return earlier.status();
  if (!earlier->has_value()) return std::nullopt;
  absl::StatusOr<std::string> answer = Answer(**earlier);
  if (!answer.ok()) return answer.status();
  return *std::move(answer);
}

template <typename Store>
absl::StatusOr<std::string> IdempotentWrite::RecordNoOp(
    Store& store, std::string answer) const {
  if (!keyed()) return answer;
  absl::Status recorded = store.RecordRequest(request_id_, Key(answer));
  if (recorded.ok()) return answer;
  if (recorded.code() != absl::StatusCode::kAlreadyExists) return recorded;
  return Settle(store, recorded);
}

template <typename Store>
absl::StatusOr<std::string> IdempotentWrite::Settle(
    Store& store, absl::Status failure) const {
  if (failure.ok()) return absl::InternalError("Settle after a success");
  if (!keyed()) return failure;
  absl::StatusOr<std::optional<std::string>> replay = Replay(store);
  if (!replay.ok()) return replay.status();
  if (!replay->has_value()) return failure;
  return **std::move(replay);
}

template <typename Attempt>
auto RetryOnAborted(bool guarded, const Attempt& attempt)
    -> decltype(attempt()) {
  for (int i = 1;; ++i) {
    auto result = attempt();
    if (internal::StatusOf(result).code() != absl::StatusCode::kAborted ||
        guarded || i >= kMaxWriteAttempts) {
      return result;
    }
  }
}

}  // namespace palermo

#endif  // PALERMO_SERVICES_COMMON_IDEMPOTENT_WRITE_H_
