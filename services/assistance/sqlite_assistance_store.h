// The victim assistance store on embedded SQLite (WAL, synchronous=FULL).
#ifndef PALERMO_SERVICES_ASSISTANCE_SQLITE_ASSISTANCE_STORE_H_
#define PALERMO_SERVICES_ASSISTANCE_SQLITE_ASSISTANCE_STORE_H_

#include <memory>
#include <string>

#include "services/assistance/assistance_store.h"
#include "services/common/sqlite.h"

namespace palermo::assistance {

class SqliteAssistanceStore : public AssistanceStore {
 public:
  static absl::StatusOr<std::unique_ptr<SqliteAssistanceStore>> Open(
      const std::string& path);

  absl::StatusOr<std::vector<v1::MeasureType>> ListMeasureTypes() override;
  absl::Status CreateMeasureType(const v1::MeasureType& type) override;
  absl::StatusOr<std::optional<StoredItem>> Get(
      Collection collection, absl::string_view name) override;
  absl::StatusOr<std::vector<StoredItem>> List(
      Collection collection, absl::string_view prefix,
      absl::string_view after_name) override;
  absl::Status Put(Collection collection, const StoredItem& item,
                   int64_t expected_revision, const std::string& request_id,
                   const StoredRequest& request,
                   std::optional<StoredRequest>* earlier) override;
  absl::Status Delete(Collection collection, absl::string_view name,
                      int64_t expected_revision) override;

 private:
  explicit SqliteAssistanceStore(std::unique_ptr<sqlite::Database> db)
      : db_(std::move(db)) {}
  absl::StatusOr<int64_t> RevisionLocked(Collection collection,
                                         absl::string_view name);
  std::unique_ptr<sqlite::Database> db_;
};

}  // namespace palermo::assistance

#endif  // PALERMO_SERVICES_ASSISTANCE_SQLITE_ASSISTANCE_STORE_H_
