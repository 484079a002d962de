// The rate limit per principal: a burst then a steady rate, a retry delay
// that is enough, one bucket per key, a bounded number of buckets, safe
// under threads; the RESOURCE_EXHAUSTED status and its RetryInfo.
#include "services/gateway/rate_limiter.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/reflection.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "services/common/status.h"
#include "services/gateway/gateway_flags.h"

namespace palermo::gateway {
namespace {

using ::testing::Optional;

class RateLimiterTest : public ::testing::Test {
 protected:
  RateLimiter Make(double per_second, int burst, size_t max_keys = 100) {
    RateLimiterOptions options;
    options.per_second = per_second;
    options.burst = burst;
    options.max_keys = max_keys;
    options.clock = [this] { return now_; };
    return RateLimiter(std::move(options));
  }
  absl::Time now_ = absl::FromUnixSeconds(1700000000);
};

TEST_F(RateLimiterTest, ABurstThenTheSteadyRate) {
  RateLimiter limiter = Make(/*per_second=*/2, /*burst=*/3);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(limiter.Acquire("subject:a"), std::nullopt) << i;
  }
  // Empty: the next token comes in half a second.
  EXPECT_THAT(limiter.Acquire("subject:a"), Optional(absl::Milliseconds(500)));
  now_ += absl::Milliseconds(499);
  EXPECT_THAT(limiter.Acquire("subject:a"), Optional(absl::Milliseconds(1)));
  now_ += absl::Milliseconds(1);
  EXPECT_EQ(limiter.Acquire("subject:a"), std::nullopt);
  EXPECT_NE(limiter.Acquire("subject:a"), std::nullopt);
  // Idle for long: full again, but never above the burst.
  now_ += absl::Hours(1);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(limiter.Acquire("subject:a"), std::nullopt);
  EXPECT_NE(limiter.Acquire("subject:a"), std::nullopt);
}

TEST_F(RateLimiterTest, TheDelayGivenIsEnough) {
  RateLimiter limiter = Make(/*per_second=*/3, /*burst=*/1);
  EXPECT_EQ(limiter.Acquire("k"), std::nullopt);
  std::optional<absl::Duration> wait = limiter.Acquire("k");
  ASSERT_TRUE(wait.has_value());
  EXPECT_EQ(*wait, absl::Milliseconds(334));  // 1/3 s, rounded up
  now_ += *wait;
  EXPECT_EQ(limiter.Acquire("k"), std::nullopt);
}

TEST_F(RateLimiterTest, EachKeyHasItsOwnBucket) {
  RateLimiter limiter = Make(/*per_second=*/1, /*burst=*/1);
  EXPECT_EQ(limiter.Acquire("subject:a"), std::nullopt);
  EXPECT_NE(limiter.Acquire("subject:a"), std::nullopt);
  EXPECT_EQ(limiter.Acquire("subject:b"), std::nullopt);
  EXPECT_EQ(limiter.Acquire("ip:10.0.0.7"), std::nullopt);
  EXPECT_EQ(limiter.key_count(), 3u);
}

TEST_F(RateLimiterTest, ABurstOfZeroIsOneSecondsWorth) {
  EXPECT_EQ(Make(/*per_second=*/5, /*burst=*/0).burst(), 5);
  EXPECT_EQ(Make(/*per_second=*/0.2, /*burst=*/0).burst(), 1);
  EXPECT_EQ(Make(/*per_second=*/5, /*burst=*/7).burst(), 7);
}

TEST_F(RateLimiterTest, KeysAreBoundedAndTheLeastRecentlyUsedGoesFirst) {
  RateLimiter limiter = Make(/*per_second=*/1, /*burst=*/1, /*max_keys=*/3);
  for (const char* key : {"a", "b", "c"}) {
    EXPECT_EQ(limiter.Acquire(key), std::nullopt);
  }
  EXPECT_NE(limiter.Acquire("a"), std::nullopt);  // a is now the most recent
  for (int i = 0; i < 1000; ++i) limiter.Acquire(absl::StrCat("flood-", i));
  EXPECT_EQ(limiter.key_count(), 3u);
  RateLimiter kept = Make(/*per_second=*/1, /*burst=*/1, /*max_keys=*/3);
  for (const char* key : {"a", "b", "c"}) kept.Acquire(key);
  kept.Acquire("a");
  kept.Acquire("d");  // forgets b, the least recently used
  EXPECT_NE(kept.Acquire("a"), std::nullopt);  // still empty: remembered
  EXPECT_NE(kept.Acquire("c"), std::nullopt);
  // b was forgotten, c now: b starts again with a full bucket.
  EXPECT_EQ(kept.Acquire("b"), std::nullopt);
  EXPECT_EQ(kept.key_count(), 3u);
}

TEST_F(RateLimiterTest, ThreadsShareOneBucketExactly) {
  RateLimiter limiter = Make(/*per_second=*/1, /*burst=*/100);
  std::atomic<int> allowed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        if (!limiter.Acquire("subject:shared")) ++allowed;
        limiter.Acquire(absl::StrCat("subject:", i));
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(allowed.load(), 100);  // the clock stood still: the burst alone
}

TEST(RateLimitKeyTest, ASubjectForATokenAnAddressForAnAnonymousReader) {
  EXPECT_EQ(RateLimitKey(Principal{"user-1", Role::kAnalyst, ""},
                         "ipv4:10.0.0.7:5000"),
            "subject:user-1");
  EXPECT_EQ(RateLimitKey(AnonymousReader(), "ipv4:10.0.0.7:5000"),
            "ip:10.0.0.7");
  EXPECT_EQ(RateLimitKey(AnonymousReader(), "ipv4:10.0.0.7:6000"),
            "ip:10.0.0.7");
  EXPECT_EQ(RateLimitKey(AnonymousReader(), "ipv6:[::1]:5000"), "ip:::/64");
  // A host's /64 shares one bucket, whatever address it picks in it.
  EXPECT_EQ(RateLimitKey(AnonymousReader(), "ipv6:[2001:db8:0:7::1]:5000"),
            RateLimitKey(AnonymousReader(), "ipv6:[2001:db8:0:7:abcd::9]:1"));
  EXPECT_NE(RateLimitKey(AnonymousReader(), "ipv6:[2001:db8:0:7::1]:5000"),
            RateLimitKey(AnonymousReader(), "ipv6:[2001:db8:0:8::1]:5000"));
  EXPECT_EQ(RateLimitKey(AnonymousReader(), "ipv6:%5B2001:db8::1%5D:5000"),
            "ip:2001:db8::/64");
  EXPECT_EQ(RateLimitKey(AnonymousReader(), "unix:/tmp/s"), "ip:unix:/tmp/s");
  // A token whose subject is "anonymous" is not the anonymous reader.
  EXPECT_EQ(RateLimitKey(Principal{"anonymous", Role::kAnalyst, ""},
                         "ipv4:10.0.0.7:5000"),
            "subject:anonymous");
}

TEST(RateLimitedErrorTest, ResourceExhaustedWithRetryInfo) {
  absl::Status status =
      RateLimitedError("subject:user-1", absl::Milliseconds(1500));
  EXPECT_EQ(status.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(status.message(),
            "rate limit reached for subject:user-1: retry after 1.5s "
            "(--rate_limit_per_second)");
  grpc::Status on_wire = ToGrpcStatus(status);
  google::rpc::Status rpc;
  ASSERT_TRUE(rpc.ParseFromString(on_wire.error_details()));
  ASSERT_EQ(rpc.details_size(), 1);
  google::rpc::RetryInfo info;
  ASSERT_TRUE(rpc.details(0).UnpackTo(&info));
  EXPECT_EQ(info.retry_delay().seconds(), 1);
  EXPECT_EQ(info.retry_delay().nanos(), 500000000);
}

TEST(RateLimiterFlagsTest, OffAtZeroOtherwiseFromTheFlags) {
  absl::FlagSaver saver;
  EXPECT_EQ(RateLimiter::FromFlags(), nullptr);
  absl::SetFlag(&FLAGS_rate_limit_per_second, 4);
  absl::SetFlag(&FLAGS_rate_limit_burst, 9);
  std::unique_ptr<RateLimiter> limiter = RateLimiter::FromFlags();
  ASSERT_NE(limiter, nullptr);
  EXPECT_EQ(limiter->per_second(), 4);
  EXPECT_EQ(limiter->burst(), 9);
}

}  // namespace
}  // namespace palermo::gateway
