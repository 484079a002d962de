// Serving one ChangeLog to many watchers, free of gRPC. A ChangeFeed reads
// the log's new entries once (woken by the log's listeners, and polling at
// a bounded interval, as the log is the truth) and hands them to every
// subscription. Each subscription has a bounded queue: a watcher that falls
// behind, or starts from an old sequence, is refilled from the log as it
// drains its queue (at its own pace), so memory stays bounded and nothing
// is lost. A subscription gets a heartbeat carrying the sequence it has
// reached when nothing was queued for it during its heartbeat interval.
// change_feed_service.h serves a feed as WatchChanges.
#ifndef PALERMO_SERVICES_COMMON_CHANGE_FEED_H_
#define PALERMO_SERVICES_COMMON_CHANGE_FEED_H_

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "palermo/common/v1/changes.pb.h"
#include "services/common/change_log.h"

namespace palermo {

inline constexpr absl::Duration kMinHeartbeatInterval = absl::Milliseconds(100);
inline constexpr absl::Duration kMaxHeartbeatInterval = absl::Hours(1);

struct ChangeFeedOptions {
  // Heartbeat interval of a request that sets none.
  absl::Duration default_heartbeat_interval = absl::Seconds(5);
  // How often the log is read without a listener's hint (changes committed
  // by another process, a missed hint).
  absl::Duration poll_interval = absl::Milliseconds(250);
  // Events a subscription queues; past it, it is refilled as it drains.
  int queue_limit = 256;
  // Entries read from the log at once.
  int read_batch = 512;
  // Newest entries kept in memory for every subscription.
  int window = 4096;
  // Most subscriptions at once; more are RESOURCE_EXHAUSTED.
  int max_subscriptions = 1024;
  std::function<absl::Time()> clock = absl::Now;
};

// The options from the flags (--watch_heartbeat_interval, --max_watches).
ChangeFeedOptions ChangeFeedOptionsFromFlags();

// Where a watch starts: the sequence after which changes are streamed, and
// its heartbeat interval. INVALID_ARGUMENT naming `after_sequence` (negative
// or after bounds.latest) or `heartbeat_interval` (outside 100 ms .. 1 h);
// OUT_OF_RANGE when changes after `after_sequence` were compacted.
struct WatchStart {
  // The sequence after which changes are streamed (0 becomes the one
  // before the oldest retained entry).
  int64_t after = 0;
  absl::Duration heartbeat_interval;
  bool from_latest = false;
};
absl::StatusOr<WatchStart> ValidateWatch(
    const common::v1::WatchChangesRequest& request, const ChangeBounds& bounds,
    absl::Duration default_heartbeat_interval);

class ChangeFeed;

// One watcher's view of a feed. Thread-safe.
class ChangeSubscription {
 public:
  enum class Poll { kEvent, kEmpty, kEnded };

  // kEvent: the next event is in *event. kEmpty: none yet; the subscription's
  // wake callback runs once there is one (or it ends). kEnded: every queued
  // event was taken and *status says why the subscription ended.
  Poll Take(common::v1::WatchChangesResponse* event, absl::Status* status);

  // Stops the subscription. Once this returns, its wake callback is not
  // running and never runs again.
  void Cancel();

 private:
  friend class ChangeFeed;
  struct Signal;
  ChangeSubscription(int64_t position, absl::Duration heartbeat_interval,
                     absl::Time now, int queue_limit,
                     std::shared_ptr<Signal> signal,
                     std::function<void()> wake);
  void Wake();

  const absl::Duration heartbeat_interval_;
  const int queue_limit_;
  const std::shared_ptr<Signal> signal_;

  std::mutex mu_;
  std::deque<common::v1::WatchChangesResponse> queue_;
  // The last sequence queued (or the start).
  int64_t position_;
  // When an event was last queued.
  absl::Time last_queued_;
  // Whether entries after position_ were known when the queue filled.
  bool behind_ = false;
  // After a failed read of the log: not read again before then, so that a
  // database that is away is not asked in a busy loop.
  absl::Time retry_after_ = absl::InfinitePast();
  std::optional<absl::Status> end_;
  bool cancelled_ = false;

  std::mutex wake_mu_;
  std::function<void()> wake_;
};

class ChangeFeed {
 public:
  // `log` must outlive the feed.
  ChangeFeed(ChangeLog& log, ChangeFeedOptions options);
  // Shuts down.
  ~ChangeFeed();

  ChangeFeed(const ChangeFeed&) = delete;
  ChangeFeed& operator=(const ChangeFeed&) = delete;

  // Starts the thread that runs Step() whenever the log's listener hints,
  // a subscription needs filling, a heartbeat is due or the poll interval
  // has passed. Without it, the caller runs Step() (tests).
  void Start();

  // Validates `request` (ValidateWatch) against the log's bounds and
  // subscribes. `wake` is called, from the feed's thread and under none of
  // its locks, whenever the subscription may have an event to take or has
  // ended. UNAVAILABLE once shut down; RESOURCE_EXHAUSTED past
  // max_subscriptions.
  absl::StatusOr<std::shared_ptr<ChangeSubscription>> Subscribe(
      const common::v1::WatchChangesRequest& request,
      std::function<void()> wake);

  // One round: reads a batch of new entries, fills every subscription's
  // queue, queues the heartbeats due, wakes the subscriptions that changed.
  // Returns when the next round is due.
  absl::Time Step();

  // Ends every subscription with UNAVAILABLE (its queued events dropped: a
  // watcher resumes from the last sequence it received) and refuses new
  // ones. Stops the thread. Idempotent.
  void Shutdown();

  // The latest sequence the feed has read (for tests and logs).
  int64_t head() const;

 private:
  using Signal = ChangeSubscription::Signal;
  void Run();
  // Reads the entries after head_ into window_; whether a whole batch came.
  bool ReadNew();
  // With no subscription: moves head_ to the log's latest sequence without
  // reading the entries (a bulk import is not read back for nobody), and
  // empties window_; a later subscription reads what it needs from the log.
  void SkipToLatest();
  // Fills `s`; whether it changed (to be woken).
  bool Fill(ChangeSubscription& s, absl::Time now);
  // When `s` next needs a round (a heartbeat).
  absl::Time NextDue(ChangeSubscription& s, absl::Time now);
  // Forgets the cancelled and ended subscriptions; mu_ held.
  void PruneLocked();

  ChangeLog& log_;
  const ChangeFeedOptions options_;
  const std::shared_ptr<Signal> signal_;

  // Held by Step: one round at a time. Guards head_known_ and window_.
  std::mutex step_mu_;
  bool head_known_ = false;
  std::deque<ChangeEntry> window_;

  mutable std::mutex mu_;
  int64_t head_ = 0;
  std::vector<std::shared_ptr<ChangeSubscription>> subscriptions_;
  bool shut_down_ = false;

  std::thread thread_;
};

}  // namespace palermo

#endif  // PALERMO_SERVICES_COMMON_CHANGE_FEED_H_
