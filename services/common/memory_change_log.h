// An in-memory ChangeLog for tests (the change feed's unit tests, services
// under test without a store): Append numbers entries 1, 2, ... and calls
// the listeners; Compact drops old entries as a store's retention would.
// Thread-safe.
#ifndef PALERMO_SERVICES_COMMON_MEMORY_CHANGE_LOG_H_
#define PALERMO_SERVICES_COMMON_MEMORY_CHANGE_LOG_H_

#include <algorithm>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/clock.h"
#include "services/common/change_log.h"

namespace palermo {

class MemoryChangeLog : public ChangeLog {
 public:
  // Appends one entry; returns its sequence. Listeners are called after the
  // entry is visible, outside the lock.
  int64_t Append(std::string resource, int64_t revision,
                 common::v1::ChangeType type,
                 absl::Time commit_time = absl::Now()) {
    int64_t sequence;
    std::vector<std::function<void()>> listeners;
    {
      std::lock_guard<std::mutex> lock(mu_);
      sequence = latest_ + 1;
      entries_.push_back(
          {sequence, std::move(resource), revision, type, commit_time});
      latest_ = sequence;
      listeners = listeners_;
    }
    for (const auto& listener : listeners) listener();
    return sequence;
  }

  // Keeps only the newest `retain` entries.
  void Compact(int64_t retain) {
    std::lock_guard<std::mutex> lock(mu_);
    while (static_cast<int64_t>(entries_.size()) > retain) {
      entries_.pop_front();
    }
  }

  // How many times ReadChanges was called.
  int reads() const {
    std::lock_guard<std::mutex> lock(mu_);
    return reads_;
  }

  // Makes every later ReadChanges fail with `status` (OK: succeed again),
  // as a store whose database went away.
  void FailReads(absl::Status status) {
    std::lock_guard<std::mutex> lock(mu_);
    read_failure_ = std::move(status);
  }

  absl::StatusOr<std::vector<ChangeEntry>> ReadChanges(int64_t after,
                                                       int limit) override {
    std::lock_guard<std::mutex> lock(mu_);
    ++reads_;
    if (!read_failure_.ok()) return read_failure_;
    std::vector<ChangeEntry> out;
    auto it = std::upper_bound(
        entries_.begin(), entries_.end(), after,
        [](int64_t s, const ChangeEntry& e) { return s < e.sequence; });
    for (; it != entries_.end() && static_cast<int>(out.size()) < limit; ++it) {
      out.push_back(*it);
    }
    return out;
  }

  absl::StatusOr<ChangeBounds> Bounds() override {
    std::lock_guard<std::mutex> lock(mu_);
    ChangeBounds bounds;
    bounds.latest = latest_;
    bounds.oldest = entries_.empty() ? latest_ + 1 : entries_.front().sequence;
    return bounds;
  }

  void AddListener(std::function<void()> listener) override {
    std::lock_guard<std::mutex> lock(mu_);
    listeners_.push_back(std::move(listener));
  }

 private:
  mutable std::mutex mu_;
  std::deque<ChangeEntry> entries_;
  int64_t latest_ = 0;
  absl::Status read_failure_;
  int reads_ = 0;
  std::vector<std::function<void()>> listeners_;
};

}  // namespace palermo

#endif  // PALERMO_SERVICES_COMMON_MEMORY_CHANGE_LOG_H_
