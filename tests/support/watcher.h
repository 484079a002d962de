// Test support: a WatchChanges call read on a thread of its own, so that a
// test can write and then wait for the events (by notification, never by
// sleeping) or for the end of the stream.
#ifndef PALERMO_TESTS_SUPPORT_WATCHER_H_
#define PALERMO_TESTS_SUPPORT_WATCHER_H_

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "palermo/common/v1/changes.pb.h"
#include "services/common/client_call.h"

namespace palermo::test {

class Watcher {
 public:
  // Calls `stub.WatchChanges(request)` and starts reading.
  template <typename Stub>
  Watcher(Stub& stub, const common::v1::WatchChangesRequest& request)
      : watch_(std::make_unique<ChangeWatch>(stub, request, CallOptions{})) {
    thread_ = std::thread([this] { Read(); });
  }
  ~Watcher() {
    watch_->Cancel();
    thread_.join();
  }

  // The next event, if one arrives within `timeout`; nullopt once the
  // stream has ended (or on timeout).
  std::optional<common::v1::WatchChangesResponse> Next(
      absl::Duration timeout = absl::Seconds(30)) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, absl::ToChronoNanoseconds(timeout),
                 [this] { return !events_.empty() || end_.has_value(); });
    if (events_.empty()) return std::nullopt;
    common::v1::WatchChangesResponse event = std::move(events_.front());
    events_.pop_front();
    return event;
  }

  // The next change, skipping heartbeats.
  std::optional<common::v1::Change> NextChange(
      absl::Duration timeout = absl::Seconds(30)) {
    while (auto event = Next(timeout)) {
      if (event->has_change()) return event->change();
    }
    return std::nullopt;
  }

  // How the stream ended, once it has (within `timeout`); nullopt if not.
  std::optional<absl::Status> End(absl::Duration timeout = absl::Seconds(30)) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, absl::ToChronoNanoseconds(timeout),
                 [this] { return end_.has_value(); });
    return end_;
  }

  void Cancel() { watch_->Cancel(); }

 private:
  void Read() {
    common::v1::WatchChangesResponse event;
    while (watch_->Read(&event)) {
      std::lock_guard<std::mutex> lock(mu_);
      events_.push_back(event);
      cv_.notify_all();
    }
    absl::Status status = watch_->Finish();
    std::lock_guard<std::mutex> lock(mu_);
    end_ = status;
    cv_.notify_all();
  }

  std::unique_ptr<ChangeWatch> watch_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<common::v1::WatchChangesResponse> events_;
  std::optional<absl::Status> end_;
  std::thread thread_;
};

}  // namespace palermo::test

#endif  // PALERMO_TESTS_SUPPORT_WATCHER_H_
