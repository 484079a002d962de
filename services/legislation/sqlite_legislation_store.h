// The legislation store on embedded SQLite (WAL, synchronous=FULL), one file
// under the service's data directory, with its change log
// (sqlite_change_log.h) in the same file, appended in each write's
// transaction. Several store instances (processes) may share the file:
// BEGIN IMMEDIATE serialises their writes, and the compare-and-swap and the
// request id are checked inside the write's transaction.
#ifndef PALERMO_SERVICES_LEGISLATION_SQLITE_LEGISLATION_STORE_H_
#define PALERMO_SERVICES_LEGISLATION_SQLITE_LEGISLATION_STORE_H_

#include <memory>
#include <string>

#include "services/common/sqlite.h"
#include "services/common/sqlite_change_log.h"
#include "services/legislation/legislation_store.h"

namespace palermo::legislation {

class SqliteLegislationStore : public LegislationStore {
 public:
  // Opens or creates `path` and migrates its schema (an existing database
  // gains the change log); the log keeps at least `change_log_retain`
  // entries.
  static absl::StatusOr<std::unique_ptr<SqliteLegislationStore>> Open(
      const std::string& path, int64_t change_log_retain = 1000000);

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

 private:
  SqliteLegislationStore(std::unique_ptr<sqlite::Database> db,
                         std::unique_ptr<SqliteChangeLog> changes)
      : db_(std::move(db)), changes_(std::move(changes)) {}
  absl::StatusOr<ApplyResult> ApplyLocked(const Write& write);

  std::unique_ptr<sqlite::Database> db_;
  std::unique_ptr<SqliteChangeLog> changes_;  // over *db_
};

}  // namespace palermo::legislation

#endif  // PALERMO_SERVICES_LEGISLATION_SQLITE_LEGISLATION_STORE_H_
