// The change log (change_log.h) in a service's PostgreSQL schema. A store
// appends its changes inside its own write transaction, as its last
// statements, through Append(): the sequences come from a one-row counter
// table whose row lock, held to the commit, orders the commits, so the
// sequences are contiguous in commit order however many processes write
// the database, and so are the commit times (the counter row keeps the
// last). Append also sends a NOTIFY, delivered at the commit, which wakes
// the listeners of every other store on the schema (a listener connection
// of each log's own); after the commit the store calls Committed(), which
// wakes this process's.
//
// Tables (PostgresChangeLogMigration):
//   changes(sequence bigint PRIMARY KEY, resource text, revision bigint,
//           type integer, commit_time timestamptz)
//   change_counter(id = 1, sequence bigint, last_commit timestamptz)
#ifndef PALERMO_SERVICES_COMMON_POSTGRES_CHANGE_LOG_H_
#define PALERMO_SERVICES_COMMON_POSTGRES_CHANGE_LOG_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/common/change_log.h"
#include "services/common/postgres.h"

namespace palermo {

// The migration creating the change log's tables, at the version the
// service's schema gives it.
postgres::Migration PostgresChangeLogMigration(int version);

class PostgresChangeLog : public ChangeLog {
 public:
  // Over `pool`, whose migrations included PostgresChangeLogMigration;
  // `pool` outlives the log. Starts listening for other processes' commits.
  // INVALID_ARGUMENT unless options.retain >= 1.
  static absl::StatusOr<std::unique_ptr<PostgresChangeLog>> Over(
      postgres::Pool& pool, const ChangeLogOptions& options);
  ~PostgresChangeLog() override;

  // What one transaction appended.
  struct Appended {
    int64_t sequence = 0;  // of the last entry; the latest if none
    absl::Time commit_time;
  };
  // Inside the caller's transaction on `conn`, after its other writes:
  // compacts the oldest entries when due, numbers `entries` (resource,
  // revision and type set) with the next sequences, in order, stamps them
  // with a commit time no earlier than `not_before` and later than every
  // earlier commit's, appends them and notifies. With no entries, writes
  // nothing and returns the latest sequence.
  absl::StatusOr<Appended> Append(postgres::Connection& conn,
                                  std::vector<ChangeEntry>& entries,
                                  absl::Time not_before = absl::Now());
  // The latest sequence, as `conn` sees it.
  absl::StatusOr<int64_t> Latest(postgres::Connection& conn);
  // After the caller's transaction committed: calls the listeners.
  void Committed();

  // ChangeLog.
  absl::StatusOr<std::vector<ChangeEntry>> ReadChanges(int64_t after,
                                                       int limit) override;
  absl::StatusOr<ChangeBounds> Bounds() override;
  void AddListener(std::function<void()> listener) override;

  // The NOTIFY channel of a schema's log.
  static std::string Channel(const std::string& schema);

 private:
  PostgresChangeLog(postgres::Pool& pool, const ChangeLogOptions& options);
  // A notification: from another store, the listeners are called.
  void Notified(const std::string& payload);

  postgres::Pool& pool_;
  const int64_t retain_;
  // Entries appended since the last compaction (by this log), and how many
  // make one due: compaction is amortised over many writes.
  std::atomic<int64_t> since_compaction_;
  const int64_t compact_every_;
  // Tells this log's notifications from other stores'.
  const std::string origin_;
  std::mutex listeners_mu_;
  std::vector<std::function<void()>> listeners_;
  std::unique_ptr<postgres::Listener> listener_;  // last: stopped first
};

}  // namespace palermo

#endif  // PALERMO_SERVICES_COMMON_POSTGRES_CHANGE_LOG_H_
