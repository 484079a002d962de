// The change log (change_log.h) in a service's SQLite database. A store
// appends its changes inside its own write transaction, as the
// transaction's last statements, through Append(); the sequences come from
// a one-row counter table, so they are contiguous in commit order even with
// several processes on one file (BEGIN IMMEDIATE serialises them), as on
// PostgreSQL, where the counter's row lock orders the commits. After the
// commit, outside the database lock, the store calls Committed(), which
// wakes the listeners.
//
// Tables (ChangeLogMigration):
//   changes(sequence INTEGER PRIMARY KEY, resource TEXT, revision INTEGER,
//           type INTEGER, commit_time_micros INTEGER)
//   change_counter(id = 1, sequence INTEGER, last_commit_micros INTEGER)
#ifndef PALERMO_SERVICES_COMMON_SQLITE_CHANGE_LOG_H_
#define PALERMO_SERVICES_COMMON_SQLITE_CHANGE_LOG_H_

#include <cstdint>
#include <functional>
#include <mutex>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/common/change_log.h"
#include "services/common/sqlite.h"

namespace palermo {

// The migration creating the change log's tables, at the version the
// service's migration list gives it (a store's own numbering).
sqlite::Migration ChangeLogMigration(int version);

class SqliteChangeLog : public ChangeLog {
 public:
  // Over `db`, whose migrations included ChangeLogMigration; `db` outlives
  // the log. INVALID_ARGUMENT unless options.retain >= 1.
  static absl::StatusOr<std::unique_ptr<SqliteChangeLog>> Over(
      sqlite::Database& db, const ChangeLogOptions& options);

  // What one transaction appended.
  struct Appended {
    int64_t sequence = 0;  // of the last entry; the latest if none
    absl::Time commit_time;
  };
  // Inside the caller's transaction (its database lock held), after its
  // other writes: numbers `entries` (resource, revision and type set) with
  // the next sequences, in order, stamps them with a commit time no earlier
  // than `not_before` and later than every earlier commit's, and appends
  // them; compacts the oldest entries when due. With no entries, writes
  // nothing and returns the latest sequence.
  absl::StatusOr<Appended> Append(std::vector<ChangeEntry>& entries,
                                  absl::Time not_before = absl::Now());
  // Inside the caller's transaction or lock: the latest sequence.
  absl::StatusOr<int64_t> LatestLocked();
  // After the caller's transaction committed, outside the database lock:
  // calls the listeners.
  void Committed();

  // ChangeLog.
  absl::StatusOr<std::vector<ChangeEntry>> ReadChanges(int64_t after,
                                                       int limit) override;
  absl::StatusOr<ChangeBounds> Bounds() override;
  void AddListener(std::function<void()> listener) override;

 private:
  SqliteChangeLog(sqlite::Database& db, const ChangeLogOptions& options);

  sqlite::Database& db_;
  const int64_t retain_;
  // Entries appended since the last compaction (by this process), and how
  // many make one due: compaction is amortised over many writes.
  int64_t since_compaction_ = 0;  // guarded by the database lock
  const int64_t compact_every_;
  std::mutex listeners_mu_;
  std::vector<std::function<void()>> listeners_;
};

}  // namespace palermo

#endif  // PALERMO_SERVICES_COMMON_SQLITE_CHANGE_LOG_H_
