// The enforcement store on embedded SQLite (WAL, synchronous=FULL).
#ifndef PALERMO_SERVICES_ENFORCEMENT_SQLITE_ENFORCEMENT_STORE_H_
#define PALERMO_SERVICES_ENFORCEMENT_SQLITE_ENFORCEMENT_STORE_H_

#include <memory>
#include <string>

#include "services/common/sqlite.h"
#include "services/enforcement/enforcement_store.h"

namespace palermo::enforcement {

class SqliteEnforcementStore : public EnforcementStore {
 public:
  static absl::StatusOr<std::unique_ptr<SqliteEnforcementStore>> Open(
      const std::string& path);

  absl::StatusOr<std::vector<v1::Indicator>> ListIndicators() override;
  absl::Status CreateIndicator(const v1::Indicator& indicator) override;
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

 private:
  explicit SqliteEnforcementStore(std::unique_ptr<sqlite::Database> db)
      : db_(std::move(db)) {}
  std::unique_ptr<sqlite::Database> db_;
  int64_t last_commit_us_ = 0;  // guarded by the database lock
};

}  // namespace palermo::enforcement

#endif  // PALERMO_SERVICES_ENFORCEMENT_SQLITE_ENFORCEMENT_STORE_H_
