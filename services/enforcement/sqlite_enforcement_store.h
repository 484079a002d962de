// The enforcement store on embedded SQLite (WAL, synchronous=FULL), its
// change log sqlite_change_log.h's in the same database. The last commit
// time is kept in the change counter's row, written in each batch's
// transaction: commit times survive a restart and never go back.
#ifndef PALERMO_SERVICES_ENFORCEMENT_SQLITE_ENFORCEMENT_STORE_H_
#define PALERMO_SERVICES_ENFORCEMENT_SQLITE_ENFORCEMENT_STORE_H_

#include <memory>
#include <string>

#include "services/common/sqlite.h"
#include "services/common/sqlite_change_log.h"
#include "services/enforcement/enforcement_store.h"

namespace palermo::enforcement {

class SqliteEnforcementStore : public EnforcementStore {
 public:
  static absl::StatusOr<std::unique_ptr<SqliteEnforcementStore>> Open(
      const std::string& path, const ChangeLogOptions& log_options = {});

  absl::StatusOr<std::vector<v1::Indicator>> ListIndicators() override;
  absl::StatusOr<int64_t> CreateIndicator(
      const v1::Indicator& indicator) override;
  absl::StatusOr<std::vector<v1::Observation>> Query(
      const ObservationQuery& query) override;
  absl::StatusOr<std::vector<v1::ObservationRevision>> Revisions(
      absl::string_view name, int64_t before_revision, int limit) override;
  absl::StatusOr<BatchOutcome> WriteBatch(
      std::vector<v1::Observation>& rows, absl::Time not_before,
      const std::string& request_id, const std::string& fingerprint,
      const std::function<std::string(const BatchOutcome&)>& make_response,
      std::optional<StoredRequest>* earlier) override;
  absl::StatusOr<std::optional<StoredRequest>> FindRequest(
      absl::string_view request_id) override;
  ChangeLog& Changes() override { return *log_; }

 private:
  SqliteEnforcementStore(std::unique_ptr<sqlite::Database> db,
                         std::unique_ptr<SqliteChangeLog> log)
      : db_(std::move(db)), log_(std::move(log)) {}
  // WriteBatch's transaction, under the database lock.
  absl::StatusOr<BatchOutcome> WriteBatchLocked(
      std::vector<v1::Observation>& rows, absl::Time not_before,
      const std::string& request_id, const std::string& fingerprint,
      const std::function<std::string(const BatchOutcome&)>& make_response,
      std::optional<StoredRequest>* earlier);

  std::unique_ptr<sqlite::Database> db_;
  std::unique_ptr<SqliteChangeLog> log_;  // over db_
};

}  // namespace palermo::enforcement

#endif  // PALERMO_SERVICES_ENFORCEMENT_SQLITE_ENFORCEMENT_STORE_H_
