// The victim assistance store on embedded SQLite (WAL, synchronous=FULL).
#ifndef PALERMO_SERVICES_ASSISTANCE_SQLITE_ASSISTANCE_STORE_H_
#define PALERMO_SERVICES_ASSISTANCE_SQLITE_ASSISTANCE_STORE_H_

#include <memory>
#include <string>

#include "services/assistance/assistance_store.h"
#include "services/common/sqlite.h"
#include "services/common/sqlite_record_store.h"

namespace palermo::assistance {

class SqliteAssistanceStore : public AssistanceStore {
 public:
  static absl::StatusOr<std::unique_ptr<SqliteAssistanceStore>> Open(
      const std::string& path, const ChangeLogOptions& options = {});

  absl::StatusOr<std::vector<v1::MeasureType>> ListMeasureTypes() override;
  absl::Status CreateMeasureType(const v1::MeasureType& type) override;
  absl::StatusOr<std::vector<StoredCaseRelease>> ListCaseReleases() override;
  absl::StatusOr<std::optional<StoredCaseRelease>> GetCaseRelease(
      int64_t number) override;
  absl::Status AddCaseRelease(const StoredCaseRelease& release) override;

  // Measures and cases: the shared SQLite record store, on this database.
  absl::StatusOr<std::optional<StoredRecord>> Get(
      absl::string_view collection, absl::string_view name) override {
    return records_->Get(collection, name);
  }
  absl::StatusOr<std::vector<StoredRecord>> List(absl::string_view collection,
                                                 absl::string_view prefix,
                                                 absl::string_view after_name,
                                                 int limit = 0) override {
    return records_->List(collection, prefix, after_name, limit);
  }
  absl::StatusOr<WriteResult> Put(absl::string_view collection,
                                  const StoredRecord& record,
                                  int64_t expected_revision,
                                  const std::string& request_id,
                                  const StoredRequest& request) override {
    return records_->Put(collection, record, expected_revision, request_id,
                         request);
  }
  absl::StatusOr<WriteResult> Delete(absl::string_view collection,
                                     absl::string_view name,
                                     int64_t expected_revision,
                                     const std::string& request_id,
                                     const StoredRequest& request) override {
    return records_->Delete(collection, name, expected_revision, request_id,
                            request);
  }
  absl::StatusOr<std::optional<StoredRequest>> FindRequest(
      const std::string& request_id) override {
    return records_->FindRequest(request_id);
  }
  absl::Status RecordRequest(const std::string& request_id,
                             const StoredRequest& request) override {
    return records_->RecordRequest(request_id, request);
  }
  ChangeLog& Changes() override { return records_->Changes(); }

 private:
  SqliteAssistanceStore(std::unique_ptr<sqlite::Database> db,
                        std::unique_ptr<SqliteRecordStore> records)
      : db_(std::move(db)), records_(std::move(records)) {}
  std::unique_ptr<sqlite::Database> db_;
  std::unique_ptr<SqliteRecordStore> records_;  // over *db_
};

}  // namespace palermo::assistance

#endif  // PALERMO_SERVICES_ASSISTANCE_SQLITE_ASSISTANCE_STORE_H_
