// The enforcement store on PostgreSQL (postgres.h), in the service's schema:
// several processes may share one database. A batch is one transaction,
// whose writes hold the change counter's row lock, which orders the batches
// of every process; the commit time and the sequences come from that row,
// so that they follow the commit order. A batch of names never written (a
// bulk import) is copied (binary COPY) straight into the table under the
// lock; any other is first copied into a temporary table, then, under the
// lock, compared with the current versions and applied with a few set
// statements. The change log is postgres_change_log.h's, whose NOTIFY
// wakes the watchers of every process.
#ifndef PALERMO_SERVICES_ENFORCEMENT_POSTGRES_ENFORCEMENT_STORE_H_
#define PALERMO_SERVICES_ENFORCEMENT_POSTGRES_ENFORCEMENT_STORE_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "services/common/postgres.h"
#include "services/common/postgres_change_log.h"
#include "services/enforcement/enforcement_store.h"

namespace palermo::enforcement {

class PostgresEnforcementStore : public EnforcementStore {
 public:
  // Connects (options.schema: the service's, "enforcement" by default at
  // the flags) and migrates the schema. UNAVAILABLE if the server cannot be
  // reached, INVALID_ARGUMENT for a malformed DSN.
  static absl::StatusOr<std::unique_ptr<PostgresEnforcementStore>> Open(
      const postgres::Options& options,
      const ChangeLogOptions& log_options = {});
  ~PostgresEnforcementStore() override;

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
  ChangeLog& Changes() override;

  // Whether the database answers (health).
  absl::Status Ping() { return pool_->Ping(); }

  // Tests: runs in each batch's transaction after the names were looked up
  // and before the lock is taken (where another process may write).
  void SetBeforeLockForTest(std::function<void()> hook) {
    before_lock_for_test_ = std::move(hook);
  }

 private:
  PostgresEnforcementStore(std::unique_ptr<postgres::Pool> pool,
                           std::unique_ptr<PostgresChangeLog> log);
  // Batch steps, on the transaction's connection; `contents` are the rows'
  // stored forms.
  // Whether none of the rows' names has a version (before the lock).
  absl::StatusOr<bool> AllNew(postgres::Connection& conn,
                              const std::vector<v1::Observation>& rows);
  // Into the temporary table (before the lock).
  absl::Status Stage(postgres::Connection& conn,
                     const std::vector<v1::Observation>& rows,
                     const std::vector<std::string>& contents);
  // Under the lock: the rows as first versions, straight into the table
  // (ALREADY_EXISTS, SQLSTATE 23505, if a name has a version) ...
  absl::Status CopyFirstVersions(postgres::Connection& conn,
                                 std::vector<v1::Observation>& rows,
                                 const std::vector<std::string>& contents,
                                 int64_t commit_us);
  // ... or the staged rows compared with the current versions and applied.
  absl::Status CompareAndInsert(postgres::Connection& conn,
                                std::vector<v1::Observation>& rows,
                                int64_t commit_us, BatchOutcome& outcome);
  // Takes the lock, writes the rows (staged: CompareAndInsert; else
  // CopyFirstVersions, setting *copy_conflicted if a name had a version),
  // the change log and the request.
  absl::StatusOr<BatchOutcome> Apply(
      postgres::Connection& conn, std::vector<v1::Observation>& rows,
      const std::vector<std::string>& contents, bool staged,
      absl::Time not_before, const std::string& request_id,
      const std::string& fingerprint,
      const std::function<std::string(const BatchOutcome&)>& make_response,
      std::optional<StoredRequest>* earlier, bool* copy_conflicted);

  std::unique_ptr<postgres::Pool> pool_;
  std::unique_ptr<PostgresChangeLog> log_;  // over pool_
  std::function<void()> before_lock_for_test_;
};

}  // namespace palermo::enforcement

#endif  // PALERMO_SERVICES_ENFORCEMENT_POSTGRES_ENFORCEMENT_STORE_H_
