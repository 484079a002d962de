// The legislation store on PostgreSQL (postgres.h), in the service's own
// schema: the same contract as the SQLite store, correct with several
// processes on one database. The database enforces it: a write's request id
// is a unique key inserted first in its transaction (a concurrent retry
// waits for it, then finds it taken), the compare-and-swap is a conditional
// INSERT or UPDATE on the record's revision, and the revision row, the
// change log entry and the counter row (postgres_change_log.h) commit with
// it, and its NOTIFY wakes the other processes' watchers.
#ifndef PALERMO_SERVICES_LEGISLATION_POSTGRES_LEGISLATION_STORE_H_
#define PALERMO_SERVICES_LEGISLATION_POSTGRES_LEGISLATION_STORE_H_

#include <memory>

#include "services/common/postgres.h"
#include "services/common/postgres_change_log.h"
#include "services/legislation/legislation_store.h"

namespace palermo::legislation {

class PostgresLegislationStore : public LegislationStore {
 public:
  // Connects (INVALID_ARGUMENT for a malformed DSN, UNAVAILABLE naming the
  // server if it cannot be reached), creates the schema if needed and
  // migrates it; the change log keeps at least `change_log_retain` entries.
  static absl::StatusOr<std::unique_ptr<PostgresLegislationStore>> Open(
      const postgres::Options& options, int64_t change_log_retain);

  absl::StatusOr<std::optional<StoredRecord>> Get(
      absl::string_view name) override;
  absl::StatusOr<std::vector<StoredRecord>> ListLive(
      absl::string_view after_name) override;
  absl::StatusOr<ApplyResult> Apply(const Write& write) override;
  absl::StatusOr<std::optional<StoredRequest>> FindRequest(
      absl::string_view request_id) override;
  absl::Status RecordRequest(absl::string_view request_id,
                             const StoredRequest& request) override;
  absl::StatusOr<std::vector<v1::LegislationRevision>> ListRevisions(
      absl::string_view name, int64_t before_revision, int limit) override;
  ChangeLog& Changes() override { return *changes_; }

  // Whether the database answers (health checks).
  absl::Status Ping() { return pool_->Ping(); }

 private:
  PostgresLegislationStore(std::unique_ptr<postgres::Pool> pool,
                           std::unique_ptr<PostgresChangeLog> changes)
      : pool_(std::move(pool)), changes_(std::move(changes)) {}

  std::unique_ptr<postgres::Pool> pool_;
  std::unique_ptr<PostgresChangeLog> changes_;  // over *pool_
};

}  // namespace palermo::legislation

#endif  // PALERMO_SERVICES_LEGISLATION_POSTGRES_LEGISLATION_STORE_H_
