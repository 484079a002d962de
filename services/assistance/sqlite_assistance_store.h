// The victim assistance store (assistance_store.h) on embedded SQLite (WAL,
// synchronous=FULL): the catalogue, the releases, the record collections
// (SqliteRecordStore), the requests table and the change log in one
// database file, each write one transaction. Migrations are numbered
// explicitly (1-5 so far; an older file opens and is migrated).
#ifndef PALERMO_SERVICES_ASSISTANCE_SQLITE_ASSISTANCE_STORE_H_
#define PALERMO_SERVICES_ASSISTANCE_SQLITE_ASSISTANCE_STORE_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "services/assistance/records_delegate.h"
#include "services/common/sqlite.h"
#include "services/common/sqlite_record_store.h"

namespace palermo::assistance {

class SqliteAssistanceStore : public RecordsDelegate {
 public:
  static absl::StatusOr<std::unique_ptr<SqliteAssistanceStore>> Open(
      const std::string& path, const ChangeLogOptions& options = {});
  // The migrations, by version.
  static std::vector<sqlite::Migration> Migrations();

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

 protected:
  RecordStore& records() override { return *records_; }

 private:
  SqliteAssistanceStore(std::unique_ptr<sqlite::Database> db,
                        std::unique_ptr<SqliteRecordStore> records)
      : db_(std::move(db)), records_(std::move(records)) {}
  // Releases cut before their keys went to the requests table kept their
  // request id in a column of their own: moves those ids to the requests
  // table (once; the column is left empty).
  absl::Status KeyEarlierReleases();
  // One write creating `resource`: under the lock, in a transaction, unless
  // `request_id` (if not empty) is taken: runs `insert`, records the
  // request and appends the change.
  absl::StatusOr<WriteResult> Create(
      const std::string& resource, const std::string& request_id,
      const StoredRequest& request,
      const std::function<absl::Status()>& insert);

  std::unique_ptr<sqlite::Database> db_;
  std::unique_ptr<SqliteRecordStore> records_;  // over *db_
};

}  // namespace palermo::assistance

#endif  // PALERMO_SERVICES_ASSISTANCE_SQLITE_ASSISTANCE_STORE_H_
