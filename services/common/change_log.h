// The change feed's storage contract. Every service's database keeps a change
// log: one entry per committed change to a resource (its name, its revision,
// what the change did, when), written in the same transaction as the change
// and numbered by a sequence of the service's own, 1, 2, ... in commit order
// with no gaps, even with several processes writing one database. The log
// keeps at least the newest `retain` entries; older ones may be compacted.
// WatchChanges (change_feed_service.h) serves it; the stores implement it
// (sqlite_change_log.h, postgres_change_log.h).
#ifndef PALERMO_SERVICES_COMMON_CHANGE_LOG_H_
#define PALERMO_SERVICES_COMMON_CHANGE_LOG_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "palermo/common/v1/changes.pb.h"

namespace palermo {

// How a store keeps its log: at least the newest `retain` entries (the
// --change_log_retain flag), older ones compacted after writes, amortised.
struct ChangeLogOptions {
  int64_t retain = 1000000;
};

// One entry of the log.
struct ChangeEntry {
  int64_t sequence = 0;
  std::string resource;
  int64_t revision = 0;
  common::v1::ChangeType type = common::v1::CHANGE_TYPE_UNSPECIFIED;
  absl::Time commit_time;
};

// What the log holds: entries `oldest` to `latest`; `oldest` is latest + 1
// when it holds none (nothing committed yet, or all compacted).
struct ChangeBounds {
  int64_t oldest = 1;
  int64_t latest = 0;
};

class ChangeLog {
 public:
  virtual ~ChangeLog() = default;

  // Entries with a sequence after `after`, in order, at most `limit`.
  virtual absl::StatusOr<std::vector<ChangeEntry>> ReadChanges(int64_t after,
                                                               int limit) = 0;

  virtual absl::StatusOr<ChangeBounds> Bounds() = 0;

  // Calls `listener` (from any thread, quickly, never under a store lock)
  // after changes may have been committed, by this process or, where the
  // database can tell (PostgreSQL's NOTIFY), by another. A hint only: the
  // log stays the truth, and readers also poll. Listeners live as long as
  // the log.
  virtual void AddListener(std::function<void()> listener) = 0;
};

// The proto of an entry.
common::v1::Change ToProto(const ChangeEntry& entry);

}  // namespace palermo

#endif  // PALERMO_SERVICES_COMMON_CHANGE_LOG_H_
