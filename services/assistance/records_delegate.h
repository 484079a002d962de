// The record half of an assistance store (assistance_store.h): measures and
// case records kept by a record store of the common kind (SQLite's or
// PostgreSQL's) on the same database, to which these methods delegate.
#ifndef PALERMO_SERVICES_ASSISTANCE_RECORDS_DELEGATE_H_
#define PALERMO_SERVICES_ASSISTANCE_RECORDS_DELEGATE_H_

#include <optional>
#include <string>
#include <vector>

#include "services/assistance/assistance_store.h"

namespace palermo::assistance {

class RecordsDelegate : public AssistanceStore {
 public:
  absl::StatusOr<std::optional<StoredRecord>> Get(
      absl::string_view collection, absl::string_view name) override {
    return records().Get(collection, name);
  }
  absl::StatusOr<std::vector<StoredRecord>> List(absl::string_view collection,
                                                 absl::string_view prefix,
                                                 absl::string_view after_name,
                                                 int limit = 0) override {
    return records().List(collection, prefix, after_name, limit);
  }
  absl::StatusOr<WriteResult> Put(absl::string_view collection,
                                  const StoredRecord& record,
                                  int64_t expected_revision,
                                  const std::string& request_id,
                                  const StoredRequest& request) override {
    return records().Put(collection, record, expected_revision, request_id,
                         request);
  }
  absl::StatusOr<WriteResult> Delete(absl::string_view collection,
                                     absl::string_view name,
                                     int64_t expected_revision,
                                     const std::string& request_id,
                                     const StoredRequest& request) override {
    return records().Delete(collection, name, expected_revision, request_id,
                            request);
  }
  absl::StatusOr<std::optional<StoredRequest>> FindRequest(
      const std::string& request_id) override {
    return records().FindRequest(request_id);
  }
  absl::Status RecordRequest(const std::string& request_id,
                             const StoredRequest& request) override {
    return records().RecordRequest(request_id, request);
  }
  ChangeLog& Changes() override { return records().Changes(); }

 protected:
  // The record store over this store's database.
  virtual RecordStore& records() = 0;
};

}  // namespace palermo::assistance

#endif  // PALERMO_SERVICES_ASSISTANCE_RECORDS_DELEGATE_H_
