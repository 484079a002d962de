// The change feed against an in-memory log, driven step by step with a fake
// clock: every change once and in order for every subscription, resumes,
// compaction, heartbeats, a slow watcher bounded and refilled, shutdown.
#include "services/common/change_feed.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "services/common/memory_change_log.h"
#include "services/common/test_support.h"

namespace palermo {
namespace {

using common::v1::WatchChangesRequest;
using common::v1::WatchChangesResponse;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Poll = ChangeSubscription::Poll;

class ChangeFeedTest : public ::testing::Test {
 protected:
  ChangeFeedOptions Options() {
    ChangeFeedOptions options;
    options.clock = [this] { return now_; };
    options.default_heartbeat_interval = absl::Seconds(5);
    return options;
  }

  void Append(int n) {
    for (int i = 0; i < n; ++i) {
      log_.Append(absl::StrCat("things/", ++appended_), 1,
                  common::v1::CHANGE_TYPE_CREATED, now_);
    }
  }

  static WatchChangesRequest After(int64_t sequence) {
    WatchChangesRequest request;
    request.set_after_sequence(sequence);
    return request;
  }

  // Takes every queued event: the changes' sequences, heartbeats as -their
  // current sequence - 1000000.
  static std::vector<int64_t> Drain(ChangeSubscription& s,
                                    absl::Status* end = nullptr) {
    std::vector<int64_t> out;
    WatchChangesResponse event;
    absl::Status status;
    while (true) {
      Poll poll = s.Take(&event, &status);
      if (poll == Poll::kEvent) {
        out.push_back(event.has_change()
                          ? event.change().sequence()
                          : -1000000 - event.heartbeat().current_sequence());
        continue;
      }
      if (poll == Poll::kEnded && end != nullptr) *end = status;
      if (poll == Poll::kEnded && end == nullptr) {
        ADD_FAILURE() << "ended: " << status;
      }
      return out;
    }
  }

  static std::vector<int64_t> Range(int64_t from, int64_t to) {
    std::vector<int64_t> out;
    for (int64_t i = from; i <= to; ++i) out.push_back(i);
    return out;
  }

  absl::Time now_ = absl::FromUnixSeconds(1700000000);
  MemoryChangeLog log_;
  int appended_ = 0;
};

TEST_F(ChangeFeedTest, EveryChangeOnceInOrderForEverySubscription) {
  ChangeFeedOptions options = Options();
  options.window = 64;
  options.queue_limit = 16;
  ChangeFeed feed(log_, options);
  Append(3);
  std::vector<std::shared_ptr<ChangeSubscription>> subs;
  std::vector<std::vector<int64_t>> seen(8);
  for (int i = 0; i < 8; ++i) {
    auto s = feed.Subscribe(After(0), [] {});
    ASSERT_TRUE(s.ok()) << s.status();
    subs.push_back(*s);
  }
  // Writes interleaved with rounds; subscription i drains every i+1 rounds.
  for (int round = 0; round < 200; ++round) {
    Append(round % 7);
    feed.Step();
    for (int i = 0; i < 8; ++i) {
      if (round % (i + 1) != 0) continue;
      for (int64_t seq : Drain(*subs[i])) seen[i].push_back(seq);
    }
  }
  for (int guard = 0; guard < 1000 && feed.head() < appended_; ++guard) {
    feed.Step();
  }
  for (int guard = 0; guard < 1000; ++guard) {
    feed.Step();
    bool all = true;
    for (int i = 0; i < 8; ++i) {
      for (int64_t seq : Drain(*subs[i])) seen[i].push_back(seq);
      all = all && static_cast<int>(seen[i].size()) >= appended_;
    }
    if (all) break;
  }
  for (int i = 0; i < 8; ++i) {
    EXPECT_EQ(seen[i], Range(1, appended_)) << "subscription " << i;
  }
}

TEST_F(ChangeFeedTest, ResumesAfterTheSequenceGiven) {
  ChangeFeed feed(log_, Options());
  Append(10);
  auto s = feed.Subscribe(After(4), [] {});
  ASSERT_TRUE(s.ok()) << s.status();
  feed.Step();
  EXPECT_EQ(Drain(**s), Range(5, 10));
  Append(2);
  feed.Step();
  EXPECT_EQ(Drain(**s), Range(11, 12));
}

TEST_F(ChangeFeedTest, AfterTheLatestSequenceWaitsForTheNextChange) {
  ChangeFeed feed(log_, Options());
  Append(3);
  auto s = feed.Subscribe(After(3), [] {});
  ASSERT_TRUE(s.ok()) << s.status();
  feed.Step();
  EXPECT_THAT(Drain(**s), ElementsAre());
  Append(1);
  feed.Step();
  EXPECT_THAT(Drain(**s), ElementsAre(4));
}

TEST_F(ChangeFeedTest, FromLatestStartsWithAHeartbeat) {
  ChangeFeed feed(log_, Options());
  Append(6);
  WatchChangesRequest request = After(2);
  request.set_from_latest(true);
  auto s = feed.Subscribe(request, [] {});
  ASSERT_TRUE(s.ok()) << s.status();
  feed.Step();
  EXPECT_THAT(Drain(**s), ElementsAre(-1000006));
  Append(1);
  feed.Step();
  EXPECT_THAT(Drain(**s), ElementsAre(7));
}

TEST_F(ChangeFeedTest, RefusesNegativeAndFutureSequences) {
  ChangeFeed feed(log_, Options());
  Append(3);
  auto negative = feed.Subscribe(After(-1), [] {});
  EXPECT_EQ(negative.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(negative.status()), ElementsAre("after_sequence"));
  auto future = feed.Subscribe(After(4), [] {});
  EXPECT_EQ(future.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(future.status()), ElementsAre("after_sequence"));
  EXPECT_THAT(future.status().message(),
              HasSubstr("latest committed change, 3"));
}

TEST_F(ChangeFeedTest, RefusesHeartbeatIntervalsOutOfRange) {
  ChangeFeed feed(log_, Options());
  for (absl::Duration bad :
       {absl::Milliseconds(99), absl::Hours(1) + absl::Nanoseconds(1),
        absl::Seconds(-1)}) {
    WatchChangesRequest request;
    request.mutable_heartbeat_interval()->set_seconds(
        absl::IDivDuration(bad, absl::Seconds(1), &bad));
    request.mutable_heartbeat_interval()->set_nanos(
        static_cast<int32_t>(absl::ToInt64Nanoseconds(bad)));
    auto s = feed.Subscribe(request, [] {});
    EXPECT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(ViolatedFields(s.status()), ElementsAre("heartbeat_interval"));
  }
  WatchChangesRequest edge;
  edge.mutable_heartbeat_interval()->set_nanos(100000000);
  EXPECT_TRUE(feed.Subscribe(edge, [] {}).ok());
  edge.mutable_heartbeat_interval()->set_seconds(3600);
  edge.mutable_heartbeat_interval()->set_nanos(0);
  EXPECT_TRUE(feed.Subscribe(edge, [] {}).ok());
}

TEST_F(ChangeFeedTest, CompactedSequenceIsOutOfRange) {
  ChangeFeed feed(log_, Options());
  Append(10);
  log_.Compact(4);  // keeps 7..10
  auto old = feed.Subscribe(After(5), [] {});
  EXPECT_EQ(old.status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_THAT(old.status().message(), HasSubstr("compacted up to sequence 6"));
  EXPECT_THAT(old.status().message(), HasSubstr("current_sequence"));
  // Just before the oldest retained entry: nothing was lost.
  auto edge = feed.Subscribe(After(6), [] {});
  ASSERT_TRUE(edge.ok()) << edge.status();
  feed.Step();
  EXPECT_EQ(Drain(**edge), Range(7, 10));
  // 0 is a sequence like any other: 1..6 are gone, so it is refused too
  // (a client resuming from a heartbeat of an empty log must not miss them).
  auto zero = feed.Subscribe(After(0), [] {});
  EXPECT_EQ(zero.status().code(), absl::StatusCode::kOutOfRange);
}

TEST_F(ChangeFeedTest, ALogThatCannotBeReadIsAskedAgainOnlyAfterThePoll) {
  ChangeFeedOptions options = Options();
  options.window = 4;
  ChangeFeed feed(log_, options);
  Append(20);
  feed.Step();  // the window holds the newest only
  auto behind = feed.Subscribe(After(0), [] {});
  ASSERT_TRUE(behind.ok()) << behind.status();
  log_.FailReads(absl::UnavailableError("the database is away"));
  // Nothing to give until the log answers: the feed's thread sleeps until
  // the next poll rather than asking again at once, in a busy loop.
  EXPECT_GE(feed.Step(), now_ + options.poll_interval);
  EXPECT_GE(feed.Step(), now_ + options.poll_interval);
  log_.FailReads(absl::OkStatus());
  now_ += options.poll_interval;
  feed.Step();
  EXPECT_EQ(Drain(**behind), Range(1, 20));
}

TEST_F(ChangeFeedTest, CompactionOvertakingASlowWatcherEndsItOutOfRange) {
  ChangeFeedOptions options = Options();
  options.queue_limit = 4;
  options.window = 4;
  ChangeFeed feed(log_, options);
  auto s = feed.Subscribe(After(0), [] {});
  ASSERT_TRUE(s.ok()) << s.status();
  Append(20);
  for (int i = 0; i < 5; ++i) feed.Step();
  EXPECT_EQ(Drain(**s), Range(1, 4));
  log_.Compact(5);  // 16..20: 5..15 are gone
  feed.Step();
  absl::Status end;
  EXPECT_THAT(Drain(**s, &end), ElementsAre());
  EXPECT_EQ(end.code(), absl::StatusCode::kOutOfRange) << end;
  EXPECT_THAT(end.message(), HasSubstr("compacted up to sequence 15"));
}

TEST_F(ChangeFeedTest, HeartbeatsCarryTheCurrentSequenceWhenIdle) {
  ChangeFeed feed(log_, Options());
  Append(2);
  WatchChangesRequest request = After(0);
  request.mutable_heartbeat_interval()->set_seconds(1);
  auto s = feed.Subscribe(request, [] {});
  ASSERT_TRUE(s.ok()) << s.status();
  const absl::Time start = now_;
  feed.Step();
  EXPECT_EQ(Drain(**s), Range(1, 2));
  now_ += absl::Milliseconds(999);
  EXPECT_EQ(feed.Step(), start + absl::Seconds(1));
  EXPECT_THAT(Drain(**s), ElementsAre());
  now_ += absl::Milliseconds(1);
  feed.Step();
  EXPECT_THAT(Drain(**s), ElementsAre(-1000002));
  // A change restarts the interval.
  now_ += absl::Milliseconds(500);
  Append(1);
  feed.Step();
  EXPECT_THAT(Drain(**s), ElementsAre(3));
  now_ += absl::Milliseconds(999);
  feed.Step();
  EXPECT_THAT(Drain(**s), ElementsAre());
  now_ += absl::Milliseconds(1);
  feed.Step();
  EXPECT_THAT(Drain(**s), ElementsAre(-1000003));
}

TEST_F(ChangeFeedTest, HeartbeatTimeIsTheClocks) {
  ChangeFeed feed(log_, Options());
  auto s = feed.Subscribe(After(0), [] {});
  ASSERT_TRUE(s.ok()) << s.status();
  now_ += absl::Seconds(5);
  feed.Step();
  WatchChangesResponse event;
  absl::Status status;
  ASSERT_EQ((*s)->Take(&event, &status), Poll::kEvent);
  EXPECT_EQ(event.heartbeat().current_sequence(), 0);
  EXPECT_EQ(event.heartbeat().time().seconds(), absl::ToUnixSeconds(now_));
}

TEST_F(ChangeFeedTest, SlowWatcherIsBoundedAndRefilledFromTheLog) {
  ChangeFeedOptions options = Options();
  options.queue_limit = 8;
  options.window = 16;
  options.read_batch = 16;
  ChangeFeed feed(log_, options);
  auto slow = feed.Subscribe(After(0), [] {});
  auto fast = feed.Subscribe(After(0), [] {});
  ASSERT_TRUE(slow.ok() && fast.ok());
  std::vector<int64_t> fast_seen;
  for (int i = 0; i < 10; ++i) {
    Append(10);
    for (int step = 0; step < 2; ++step) {
      feed.Step();
      for (int64_t seq : Drain(**fast)) fast_seen.push_back(seq);
    }
  }
  EXPECT_EQ(fast_seen, Range(1, 100));
  // The slow one holds at most its queue, whatever was committed.
  const int reads_before = log_.reads();
  EXPECT_EQ(Drain(**slow), Range(1, 8));
  std::vector<int64_t> slow_seen = Range(1, 8);
  for (int guard = 0; guard < 100 && slow_seen.size() < 100; ++guard) {
    feed.Step();
    std::vector<int64_t> got = Drain(**slow);
    EXPECT_LE(got.size(), 8u);
    for (int64_t seq : got) slow_seen.push_back(seq);
  }
  EXPECT_EQ(slow_seen, Range(1, 100));
  // 9..84 were behind the window of 16: read from the log.
  EXPECT_GT(log_.reads(), reads_before);
}

TEST_F(ChangeFeedTest, WakesOnlyWhenThereIsSomethingAndNotAfterCancel) {
  ChangeFeed feed(log_, Options());
  int wakes = 0;
  auto s = feed.Subscribe(After(0), [&wakes] { ++wakes; });
  ASSERT_TRUE(s.ok()) << s.status();
  feed.Step();
  EXPECT_EQ(wakes, 0);
  Append(1);
  feed.Step();
  EXPECT_EQ(wakes, 1);
  (*s)->Cancel();
  Append(1);
  feed.Step();
  now_ += absl::Hours(1);
  feed.Step();
  EXPECT_EQ(wakes, 1);
}

TEST_F(ChangeFeedTest, ShutdownEndsWatchesUnavailableAndRefusesNewOnes) {
  ChangeFeed feed(log_, Options());
  Append(3);
  bool woken = false;
  auto s = feed.Subscribe(After(0), [&woken] { woken = true; });
  ASSERT_TRUE(s.ok()) << s.status();
  feed.Step();
  feed.Shutdown();
  EXPECT_TRUE(woken);
  absl::Status end;
  EXPECT_THAT(Drain(**s, &end), ElementsAre());  // queued events dropped
  EXPECT_EQ(end.code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(end.message(), HasSubstr("shutting down"));
  EXPECT_EQ(feed.Subscribe(After(0), [] {}).status().code(),
            absl::StatusCode::kUnavailable);
}

TEST_F(ChangeFeedTest, BoundsTheNumberOfWatches) {
  ChangeFeedOptions options = Options();
  options.max_subscriptions = 2;
  ChangeFeed feed(log_, options);
  auto a = feed.Subscribe(After(0), [] {});
  auto b = feed.Subscribe(After(0), [] {});
  ASSERT_TRUE(a.ok() && b.ok());
  auto c = feed.Subscribe(After(0), [] {});
  EXPECT_EQ(c.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(c.status().message(), HasSubstr("--max_watches"));
  (*a)->Cancel();
  EXPECT_TRUE(feed.Subscribe(After(0), [] {}).ok());
}

// The feed's own thread, woken by the log's listener.
TEST_F(ChangeFeedTest, ItsThreadDeliversWhatTheListenerHints) {
  ChangeFeedOptions options;               // the real clock
  options.poll_interval = absl::Hours(1);  // only the hint can wake it
  ChangeFeed feed(log_, options);
  feed.Start();
  absl::Notification woken;
  std::atomic<bool> once{false};
  auto s = feed.Subscribe(After(0), [&] {
    if (!once.exchange(true)) woken.Notify();
  });
  ASSERT_TRUE(s.ok()) << s.status();
  log_.Append("things/1", 1, common::v1::CHANGE_TYPE_CREATED);
  ASSERT_TRUE(woken.WaitForNotificationWithTimeout(absl::Seconds(30)));
  EXPECT_THAT(Drain(**s), ElementsAre(1));
  (*s)->Cancel();
  feed.Shutdown();
}

}  // namespace
}  // namespace palermo
