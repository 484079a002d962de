// The enforcement store on PostgreSQL (postgres.h), in the service's schema:
// several processes may share one database. A batch is one transaction: its
// rows are copied (binary COPY) into a temporary table, then, holding the
// change counter's row lock, which orders the batches of every process,
// compared with the current versions and applied with a few set statements;
// the commit time and the sequences come from that row, so that they follow
// the commit order. The change log is postgres_change_log.h's, whose NOTIFY
// wakes the watchers of every process.
#ifndef PALERMO_SERVICES_ENFORCEMENT_POSTGRES_ENFORCEMENT_STORE_H_
#define PALERMO_SERVICES_ENFORCEMENT_POSTGRES_ENFORCEMENT_STORE_H_

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

 private:
  PostgresEnforcementStore(std::unique_ptr<postgres::Pool> pool,
                           std::unique_ptr<PostgresChangeLog> log);
  // Batch steps, on the transaction's connection.
  absl::Status Stage(postgres::Connection& conn,
                     const std::vector<v1::Observation>& rows);
  absl::StatusOr<BatchOutcome> Apply(
      postgres::Connection& conn, std::vector<v1::Observation>& rows,
      absl::Time not_before, const std::string& request_id,
      const std::string& fingerprint,
      const std::function<std::string(const BatchOutcome&)>& make_response,
      std::optional<StoredRequest>* earlier);

  std::unique_ptr<postgres::Pool> pool_;
  std::unique_ptr<PostgresChangeLog> log_;  // over pool_
};

}  // namespace palermo::enforcement

#endif  // PALERMO_SERVICES_ENFORCEMENT_POSTGRES_ENFORCEMENT_STORE_H_
