// The change feed: one reader of the log, many bounded subscriptions.
#include "services/common/change_feed.h"

#include <google/protobuf/util/time_util.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/flags.h"
#include "services/common/status.h"

namespace palermo {

using common::v1::WatchChangesRequest;
using common::v1::WatchChangesResponse;

// Wakes the feed's thread: a hint, a subscription to fill, shutdown. Shared
// with the log's listener, which may outlive the feed.
struct ChangeSubscription::Signal {
  std::mutex mu;
  std::condition_variable cv;
  bool pending = false;
  bool stop = false;

  void Notify() {
    {
      std::lock_guard<std::mutex> lock(mu);
      pending = true;
    }
    cv.notify_one();
  }
};

ChangeFeedOptions ChangeFeedOptionsFromFlags() {
  ChangeFeedOptions options;
  options.default_heartbeat_interval =
      std::clamp(absl::GetFlag(FLAGS_watch_heartbeat_interval),
                 kMinHeartbeatInterval, kMaxHeartbeatInterval);
  options.max_subscriptions = absl::GetFlag(FLAGS_max_watches);
  return options;
}

absl::StatusOr<WatchStart> ValidateWatch(const WatchChangesRequest& request,
                                         const ChangeBounds& bounds,
                                         absl::Duration default_interval) {
  WatchStart start;
  start.heartbeat_interval = default_interval;
  FieldViolations violations;
  if (request.has_heartbeat_interval()) {
    const auto& d = request.heartbeat_interval();
    const absl::Duration interval =
        absl::Seconds(d.seconds()) + absl::Nanoseconds(d.nanos());
    const bool valid = d.nanos() > -1000000000 && d.nanos() < 1000000000 &&
                       !(d.seconds() > 0 && d.nanos() < 0) &&
                       !(d.seconds() < 0 && d.nanos() > 0);
    if (!valid || interval < kMinHeartbeatInterval ||
        interval > kMaxHeartbeatInterval) {
      violations.Add("heartbeat_interval",
                     absl::StrCat("must be from 100 ms to 1 hour, not ",
                                  absl::FormatDuration(interval)));
    }
    start.heartbeat_interval = interval;
  }
  if (request.from_latest()) {
    start.from_latest = true;
    start.after = bounds.latest;
  } else if (request.after_sequence() < 0) {
    violations.Add("after_sequence", absl::StrCat("must not be negative, not ",
                                                  request.after_sequence()));
  } else if (request.after_sequence() > bounds.latest) {
    violations.Add(
        "after_sequence",
        absl::StrCat("sequence ", request.after_sequence(),
                     " is after the latest committed change, ", bounds.latest));
  } else {
    start.after = request.after_sequence();
  }
  if (!violations.empty()) return violations.ToStatus();
  // 0 is a sequence like any other (the one before the first change): once
  // change 1 is compacted, a watch from 0 would miss it, so it is refused
  // as any other compacted sequence is.
  if (!start.from_latest && start.after < bounds.oldest - 1) {
    return absl::OutOfRangeError(absl::StrCat(
        "the change log was compacted up to sequence ", bounds.oldest - 1,
        ": changes after ", start.after,
        " are gone; re-read the data, then watch from the current_sequence "
        "of a heartbeat (from_latest)"));
  }
  return start;
}

namespace {

absl::Status CompactedWhileWatching(int64_t position, int64_t compacted) {
  return absl::OutOfRangeError(absl::StrCat(
      "the change log was compacted up to sequence ", compacted,
      " while this watch had reached ", position,
      "; re-read the data, then watch from the current_sequence of a "
      "heartbeat (from_latest)"));
}

WatchChangesResponse Heartbeat(int64_t sequence, absl::Time now) {
  WatchChangesResponse event;
  event.mutable_heartbeat()->set_current_sequence(sequence);
  *event.mutable_heartbeat()->mutable_time() =
      google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(
          absl::ToUnixMicros(now));
  return event;
}

}  // namespace

ChangeSubscription::ChangeSubscription(int64_t position,
                                       absl::Duration heartbeat_interval,
                                       absl::Time now, int queue_limit,
                                       std::shared_ptr<Signal> signal,
                                       std::function<void()> wake)
    : heartbeat_interval_(heartbeat_interval),
      queue_limit_(queue_limit),
      signal_(std::move(signal)),
      position_(position),
      last_queued_(now),
      wake_(std::move(wake)) {}

ChangeSubscription::Poll ChangeSubscription::Take(WatchChangesResponse* event,
                                                  absl::Status* status) {
  bool refill = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (queue_.empty()) {
      if (!end_.has_value()) return Poll::kEmpty;
      *status = *end_;
      return Poll::kEnded;
    }
    *event = std::move(queue_.front());
    queue_.pop_front();
    // Half drained while the log holds more: ask for more now rather than
    // at the next poll.
    if (behind_ && static_cast<int>(queue_.size()) <= queue_limit_ / 2) {
      behind_ = false;
      refill = true;
    }
  }
  if (refill) signal_->Notify();
  return Poll::kEvent;
}

void ChangeSubscription::Cancel() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    cancelled_ = true;
    queue_.clear();
  }
  std::lock_guard<std::mutex> lock(wake_mu_);
  wake_ = nullptr;
}

void ChangeSubscription::Wake() {
  std::lock_guard<std::mutex> lock(wake_mu_);
  if (wake_) wake_();
}

ChangeFeed::ChangeFeed(ChangeLog& log, ChangeFeedOptions options)
    : log_(log),
      options_(std::move(options)),
      signal_(std::make_shared<Signal>()) {
  std::weak_ptr<Signal> signal = signal_;
  log_.AddListener([signal] {
    if (auto s = signal.lock()) s->Notify();
  });
}

ChangeFeed::~ChangeFeed() { Shutdown(); }

void ChangeFeed::Start() {
  thread_ = std::thread([this] { Run(); });
}

void ChangeFeed::Run() {
  while (true) {
    const absl::Time due = Step();
    std::unique_lock<std::mutex> lock(signal_->mu);
    const absl::Duration wait = due - options_.clock();
    if (!signal_->pending && !signal_->stop && wait > absl::ZeroDuration()) {
      signal_->cv.wait_for(lock, absl::ToChronoNanoseconds(wait), [this] {
        return signal_->pending || signal_->stop;
      });
    }
    if (signal_->stop) return;
    signal_->pending = false;
  }
}

absl::StatusOr<std::shared_ptr<ChangeSubscription>> ChangeFeed::Subscribe(
    const WatchChangesRequest& request, std::function<void()> wake) {
  absl::StatusOr<ChangeBounds> bounds = log_.Bounds();
  if (!bounds.ok()) return bounds.status();
  absl::StatusOr<WatchStart> start =
      ValidateWatch(request, *bounds, options_.default_heartbeat_interval);
  if (!start.ok()) return start.status();
  const absl::Time now = options_.clock();
  std::shared_ptr<ChangeSubscription> s(
      new ChangeSubscription(start->after, start->heartbeat_interval, now,
                             options_.queue_limit, signal_, std::move(wake)));
  if (start->from_latest) s->queue_.push_back(Heartbeat(start->after, now));
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (shut_down_) {
      return absl::UnavailableError(
          "the service is shutting down; watch again from the last sequence "
          "received");
    }
    PruneLocked();
    if (static_cast<int>(subscriptions_.size()) >= options_.max_subscriptions) {
      return absl::ResourceExhaustedError(
          absl::StrCat(options_.max_subscriptions,
                       " watches are open, the most this service serves "
                       "(--max_watches); retry after a backoff"));
    }
    subscriptions_.push_back(s);
  }
  signal_->Notify();
  return s;
}

bool ChangeFeed::ReadNew() {
  if (!head_known_) {
    absl::StatusOr<ChangeBounds> bounds = log_.Bounds();
    if (!bounds.ok()) {
      spdlog::warn("change feed: cannot read the log's bounds: {}",
                   bounds.status().ToString());
      return false;
    }
    std::lock_guard<std::mutex> lock(mu_);
    head_ = bounds->latest;
    head_known_ = true;
  }
  absl::StatusOr<std::vector<ChangeEntry>> read =
      log_.ReadChanges(head_, options_.read_batch);
  if (!read.ok()) {
    spdlog::warn("change feed: cannot read the log: {}",
                 read.status().ToString());
    return false;
  }
  if (read->empty()) return false;
  // Compacted past what the feed had read: the window restarts (the
  // subscriptions in the gap get OUT_OF_RANGE from their own reads).
  if (read->front().sequence != head_ + 1) window_.clear();
  const bool full = static_cast<int>(read->size()) >= options_.read_batch;
  const int64_t last = read->back().sequence;
  for (ChangeEntry& entry : *read) window_.push_back(std::move(entry));
  while (static_cast<int>(window_.size()) > options_.window) {
    window_.pop_front();
  }
  std::lock_guard<std::mutex> lock(mu_);
  head_ = last;
  return full;
}

bool ChangeFeed::Fill(ChangeSubscription& s, absl::Time now) {
  int64_t position;
  int room;
  bool backing_off;
  {
    std::lock_guard<std::mutex> lock(s.mu_);
    if (s.cancelled_ || s.end_.has_value()) return false;
    position = s.position_;
    room = s.queue_limit_ - static_cast<int>(s.queue_.size());
    backing_off = now < s.retry_after_;
  }
  std::vector<ChangeEntry> entries;
  std::optional<absl::Status> end;
  bool read_failed = false;
  if (room > 0 && position < head_) {
    if (!window_.empty() && window_.front().sequence <= position + 1) {
      // From memory: the window holds every entry up to head_.
      auto it = window_.begin() + (position + 1 - window_.front().sequence);
      for (; it != window_.end() && static_cast<int>(entries.size()) < room;
           ++it) {
        entries.push_back(*it);
      }
    } else if (!backing_off) {
      // Behind the window: from the log, at the subscription's pace.
      absl::StatusOr<std::vector<ChangeEntry>> read =
          log_.ReadChanges(position, std::min(room, options_.read_batch));
      if (!read.ok()) {
        spdlog::warn("change feed: cannot read the log: {}",
                     read.status().ToString());
        read_failed = true;
      } else if (read->empty() || read->front().sequence != position + 1) {
        end = CompactedWhileWatching(
            position, read->empty() ? head_ : read->front().sequence - 1);
      } else {
        entries = *std::move(read);
      }
    }
  }
  std::lock_guard<std::mutex> lock(s.mu_);
  if (s.cancelled_) return false;
  if (read_failed) s.retry_after_ = now + options_.poll_interval;
  bool changed = false;
  for (const ChangeEntry& entry : entries) {
    *s.queue_.emplace_back().mutable_change() = ToProto(entry);
    s.position_ = entry.sequence;
    changed = true;
  }
  if (changed) s.last_queued_ = now;
  if (end.has_value()) {
    s.end_ = *std::move(end);
    return true;
  }
  s.behind_ = s.position_ < head_;
  if (s.queue_.empty() && s.position_ >= head_ &&
      now - s.last_queued_ >= s.heartbeat_interval_) {
    s.queue_.push_back(Heartbeat(s.position_, now));
    s.last_queued_ = now;
    changed = true;
  }
  return changed;
}

absl::Time ChangeFeed::NextDue(ChangeSubscription& s, absl::Time now) {
  std::lock_guard<std::mutex> lock(s.mu_);
  if (s.cancelled_ || s.end_.has_value()) return absl::InfiniteFuture();
  if (s.position_ < head_ &&
      static_cast<int>(s.queue_.size()) < s.queue_limit_) {
    return std::max(now, s.retry_after_);  // room, and more to give
  }
  return s.last_queued_ + s.heartbeat_interval_;
}

void ChangeFeed::PruneLocked() {
  // The ended were woken when they ended: their watchers drain them.
  subscriptions_.erase(
      std::remove_if(subscriptions_.begin(), subscriptions_.end(),
                     [](const std::shared_ptr<ChangeSubscription>& s) {
                       std::lock_guard<std::mutex> l(s->mu_);
                       return s->cancelled_ || s->end_.has_value();
                     }),
      subscriptions_.end());
}

void ChangeFeed::SkipToLatest() {
  absl::StatusOr<ChangeBounds> bounds = log_.Bounds();
  if (!bounds.ok()) {
    spdlog::warn("change feed: cannot read the log's bounds: {}",
                 bounds.status().ToString());
    return;
  }
  window_.clear();
  head_known_ = true;
  std::lock_guard<std::mutex> lock(mu_);
  head_ = bounds->latest;
}

absl::Time ChangeFeed::Step() {
  std::lock_guard<std::mutex> step(step_mu_);
  bool watched;
  {
    std::lock_guard<std::mutex> lock(mu_);
    PruneLocked();
    watched = !subscriptions_.empty();
  }
  bool more = false;
  if (watched) {
    more = ReadNew();
  } else {
    SkipToLatest();
  }
  const absl::Time now = options_.clock();
  std::vector<std::shared_ptr<ChangeSubscription>> subscriptions;
  {
    std::lock_guard<std::mutex> lock(mu_);
    PruneLocked();
    subscriptions = subscriptions_;
  }
  absl::Time due = more ? now : now + options_.poll_interval;
  for (const auto& s : subscriptions) {
    if (Fill(*s, now)) s->Wake();
    due = std::min(due, NextDue(*s, now));
  }
  return due;
}

void ChangeFeed::Shutdown() {
  {
    std::lock_guard<std::mutex> lock(signal_->mu);
    signal_->stop = true;
  }
  signal_->cv.notify_one();
  if (thread_.joinable()) thread_.join();
  std::vector<std::shared_ptr<ChangeSubscription>> subscriptions;
  {
    std::lock_guard<std::mutex> lock(mu_);
    shut_down_ = true;
    subscriptions.swap(subscriptions_);
  }
  for (const auto& s : subscriptions) {
    {
      std::lock_guard<std::mutex> lock(s->mu_);
      if (s->cancelled_ || s->end_.has_value()) continue;
      s->queue_.clear();
      s->end_ = absl::UnavailableError(
          "the service is shutting down; watch again from the last sequence "
          "received");
    }
    s->Wake();
  }
}

int64_t ChangeFeed::head() const {
  std::lock_guard<std::mutex> lock(mu_);
  return head_;
}

}  // namespace palermo
