// An in-memory AuditLog for tests (the audit interceptor's and service's
// unit tests): Append numbers entries 1, 2, ... as the real logs do; an
// Append can be made to fail (set_failing), to test that auditing never
// fails a call. Thread-safe.
#ifndef PALERMO_SERVICES_COMMON_MEMORY_AUDIT_LOG_H_
#define PALERMO_SERVICES_COMMON_MEMORY_AUDIT_LOG_H_

#include <algorithm>
#include <cstdint>
#include <mutex>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/common/audit_log.h"

namespace palermo {

class MemoryAuditLog : public AuditLog {
 public:
  absl::StatusOr<int64_t> Append(const AuditEntry& entry) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (failing_) return absl::UnavailableError("audit log unavailable");
    AuditEntry& e = entries_.emplace_back(BoundedAuditEntry(entry));
    e.sequence = static_cast<int64_t>(entries_.size());
    return e.sequence;
  }

  absl::StatusOr<std::vector<AuditEntry>> List(int64_t before_sequence,
                                               int limit) override {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<AuditEntry> out;
    int64_t next = before_sequence > 0
                       ? std::min<int64_t>(before_sequence - 1, entries_.size())
                       : static_cast<int64_t>(entries_.size());
    for (; next >= 1 && static_cast<int>(out.size()) < limit; --next) {
      out.push_back(entries_[next - 1]);
    }
    return out;
  }

  // Every entry, oldest first.
  std::vector<AuditEntry> entries() {
    std::lock_guard<std::mutex> lock(mu_);
    return entries_;
  }

  void set_failing(bool failing) {
    std::lock_guard<std::mutex> lock(mu_);
    failing_ = failing;
  }

 private:
  std::mutex mu_;
  std::vector<AuditEntry> entries_;
  bool failing_ = false;
};

}  // namespace palermo

#endif  // PALERMO_SERVICES_COMMON_MEMORY_AUDIT_LOG_H_
