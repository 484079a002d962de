// The legislation store on embedded SQLite (WAL, synchronous=FULL), one file
// under the service's data directory.
#ifndef PALERMO_SERVICES_LEGISLATION_SQLITE_LEGISLATION_STORE_H_
#define PALERMO_SERVICES_LEGISLATION_SQLITE_LEGISLATION_STORE_H_

#include <memory>
#include <string>

#include "services/common/sqlite.h"
#include "services/legislation/legislation_store.h"

namespace palermo::legislation {

class SqliteLegislationStore : public LegislationStore {
 public:
  // Opens or creates `path` and migrates its schema.
  static absl::StatusOr<std::unique_ptr<SqliteLegislationStore>> Open(
      const std::string& path);

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

 private:
  explicit SqliteLegislationStore(std::unique_ptr<sqlite::Database> db)
      : db_(std::move(db)) {}
  std::unique_ptr<sqlite::Database> db_;
};

}  // namespace palermo::legislation

#endif  // PALERMO_SERVICES_LEGISLATION_SQLITE_LEGISLATION_STORE_H_
