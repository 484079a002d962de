// The victim assistance store (assistance_store.h) on PostgreSQL, in the
// service's own schema: the record collections through PostgresRecordStore
// over the store's pool, the catalogue and the releases in tables of their
// own, each write one transaction with its idempotency key and its change.
// Correct with several processes on one schema: a code or a release number
// taken is refused by the table's primary key (ALREADY_EXISTS), a request
// id by the requests table's, and the change counter's row orders the
// commits.
#ifndef PALERMO_SERVICES_ASSISTANCE_POSTGRES_ASSISTANCE_STORE_H_
#define PALERMO_SERVICES_ASSISTANCE_POSTGRES_ASSISTANCE_STORE_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "services/assistance/records_delegate.h"
#include "services/common/postgres.h"
#include "services/common/postgres_record_store.h"

namespace palermo::assistance {

class PostgresAssistanceStore : public RecordsDelegate {
 public:
  // Connects (options.dsn, options.schema), creating or migrating the
  // schema: UNAVAILABLE if the server cannot be reached, INVALID_ARGUMENT
  // for a malformed DSN.
  static absl::StatusOr<std::unique_ptr<PostgresAssistanceStore>> Open(
      const postgres::Options& options, const ChangeLogOptions& log = {});
  // The migrations, by version (this dialect's own numbering).
  static absl::StatusOr<std::vector<postgres::Migration>> Migrations();

  absl::StatusOr<std::vector<v1::MeasureType>> ListMeasureTypes() override;
  absl::StatusOr<WriteResult> CreateMeasureType(
      const v1::MeasureType& type) override;
  absl::StatusOr<std::vector<StoredCaseRelease>> ListCaseReleases() override;
  absl::StatusOr<std::optional<StoredCaseRelease>> GetCaseRelease(
      int64_t number) override;
  absl::StatusOr<int64_t> LatestCaseReleaseNumber() override;
  absl::StatusOr<WriteResult> AddCaseRelease(
      const StoredCaseRelease& release, const std::string& request_id,
      const StoredRequest& request) override;

  // For health checks (Pool::Ping).
  postgres::Pool& pool() { return *pool_; }

 protected:
  RecordStore& records() override { return *records_; }

 private:
  PostgresAssistanceStore(std::unique_ptr<postgres::Pool> pool,
                          std::unique_ptr<PostgresRecordStore> records)
      : pool_(std::move(pool)), records_(std::move(records)) {}
  // One write creating `resource`, in a transaction: takes `request_id` (if
  // not empty) for `request` unless it was taken, runs `insert` and
  // appends the change.
  absl::StatusOr<WriteResult> Create(
      const std::string& resource, const std::string& request_id,
      const StoredRequest& request,
      const std::function<absl::Status(postgres::Connection&)>& insert);

  std::unique_ptr<postgres::Pool> pool_;
  std::unique_ptr<PostgresRecordStore> records_;  // over *pool_, gone first
};

}  // namespace palermo::assistance

#endif  // PALERMO_SERVICES_ASSISTANCE_POSTGRES_ASSISTANCE_STORE_H_
