// The idempotent-write protocol, over an in-memory map of keys.
#include "services/common/idempotent_write.h"

#include <gtest/gtest.h>

#include <map>

#include "services/common/test_support.h"

namespace palermo {
namespace {

// The two calls the protocol needs, and a hook that takes a key just before
// the next RecordRequest, as a concurrent retry would.
class Keys {
 public:
  absl::StatusOr<std::optional<StoredRequest>> FindRequest(
      absl::string_view id) {
    auto it = keys_.find(std::string(id));
    if (it == keys_.end()) return std::nullopt;
    return it->second;
  }
  absl::Status RecordRequest(const std::string& id, const StoredRequest& r) {
    if (race_.has_value()) keys_[id] = *std::exchange(race_, std::nullopt);
    if (!keys_.emplace(id, r).second) {
      return absl::AlreadyExistsError("taken");
    }
    return absl::OkStatus();
  }
  void TakeBeforeNextRecord(StoredRequest r) { race_ = std::move(r); }

 private:
  std::map<std::string, StoredRequest> keys_;
  std::optional<StoredRequest> race_;
};

TEST(IdempotentWriteTest, ReplaysTheFirstAnswerOfTheSameRequestOnly) {
  Keys keys;
  IdempotentWrite write("id-1", "fp");
  auto none = write.Replay(keys);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  ASSERT_TRUE(keys.RecordRequest("id-1", write.Key("answer")).ok());
  auto replay = write.Replay(keys);
  ASSERT_TRUE(replay.ok());
  EXPECT_EQ(**replay, "answer");
  auto other = IdempotentWrite("id-1", "other fp").Replay(keys);
  EXPECT_EQ(other.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ViolatedFields(other.status()),
            std::vector<std::string>{"request_id"});
  // Without an id, nothing is looked up or kept.
  IdempotentWrite unkeyed("", "fp");
  EXPECT_FALSE(unkeyed.keyed());
  EXPECT_FALSE(unkeyed.Replay(keys)->has_value());
}

TEST(IdempotentWriteTest, AnswerChecksTheEarlierRequest) {
  IdempotentWrite write("id-1", "fp");
  EXPECT_EQ(*write.Answer({"fp", "first"}), "first");
  EXPECT_EQ(write.Answer({"other", "first"}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(IdempotentWriteTest, ANoOpTakesItsKeyOrAnswersAsWhoTookIt) {
  Keys keys;
  IdempotentWrite write("noop-1", "fp");
  EXPECT_EQ(*write.RecordNoOp(keys, "unchanged"), "unchanged");
  EXPECT_EQ(**write.Replay(keys), "unchanged");
  // Taken meanwhile by a concurrent retry of the same request: its answer.
  IdempotentWrite raced("noop-2", "fp");
  keys.TakeBeforeNextRecord({"fp", "the retry's"});
  EXPECT_EQ(*raced.RecordNoOp(keys, "mine"), "the retry's");
  // By another request: refused.
  IdempotentWrite reused("noop-3", "fp");
  keys.TakeBeforeNextRecord({"another", "x"});
  EXPECT_EQ(reused.RecordNoOp(keys, "mine").status().code(),
            absl::StatusCode::kInvalidArgument);
  // Without an id: the answer, nothing kept.
  EXPECT_EQ(*IdempotentWrite("", "fp").RecordNoOp(keys, "a"), "a");
}

TEST(IdempotentWriteTest, SettleFindsAConcurrentRetrysAnswer) {
  Keys keys;
  IdempotentWrite write("id-1", "fp");
  const absl::Status failure = absl::AlreadyExistsError("exists");
  EXPECT_EQ(write.Settle(keys, failure).status(), failure);
  ASSERT_TRUE(keys.RecordRequest("id-1", write.Key("won")).ok());
  EXPECT_EQ(*write.Settle(keys, failure), "won");
  EXPECT_EQ(IdempotentWrite("", "fp").Settle(keys, failure).status(), failure);
}

TEST(IdempotentWriteTest, RetryOnAbortedRetriesOnlyUnguardedWrites) {
  int calls = 0;
  auto always_aborted = [&]() -> absl::StatusOr<int> {
    ++calls;
    return absl::AbortedError("raced");
  };
  EXPECT_EQ(RetryOnAborted(/*guarded=*/true, always_aborted).status().code(),
            absl::StatusCode::kAborted);
  EXPECT_EQ(calls, 1);
  calls = 0;
  EXPECT_EQ(RetryOnAborted(/*guarded=*/false, always_aborted).status().code(),
            absl::StatusCode::kAborted);
  EXPECT_EQ(calls, kMaxWriteAttempts);
  calls = 0;
  auto third_time = [&]() -> absl::Status {
    return ++calls < 3 ? absl::AbortedError("raced") : absl::OkStatus();
  };
  EXPECT_TRUE(RetryOnAborted(false, third_time).ok());
  EXPECT_EQ(calls, 3);
  calls = 0;
  auto not_found = [&]() -> absl::Status {
    ++calls;
    return absl::NotFoundError("gone");
  };
  EXPECT_EQ(RetryOnAborted(false, not_found).code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace palermo
