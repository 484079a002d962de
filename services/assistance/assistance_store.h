// Storage contract of the victim assistance service, naming no database:
// the measures and case records as revisioned record collections
// (RecordStore, services/common/record_store.h) with idempotency keys and
// the change log, plus the measure-type catalogue and the frozen releases
// of case counts (suppression.h). Every write appends to the one change log
// in its transaction and reports its sequence, except a case record's: the
// cases collection is unlogged, so that the public AssistanceService's
// WatchChanges never names a case record nor lets a watcher count case
// writes (a case write reports the latest sequence). A new measure type as
// `measureTypes/{code}`, a release as `caseReleases/{number}`, both CREATED
// at revision 1 (neither changes afterwards). SQLite
// (sqlite_assistance_store.h) and PostgreSQL (postgres_assistance_store.h)
// implement it and pass one contract suite (assistance_store_contract.h).
#ifndef PALERMO_SERVICES_ASSISTANCE_ASSISTANCE_STORE_H_
#define PALERMO_SERVICES_ASSISTANCE_ASSISTANCE_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "palermo/assistance/v1/assistance.pb.h"
#include "palermo/assistance/v1/case_records.pb.h"
#include "services/common/record_schema.h"
#include "services/common/record_store.h"

namespace palermo::assistance {

// The record collections.
inline constexpr char kMeasuresTable[] = "measures";
inline constexpr char kCasesTable[] = "cases";

// The record collections as a store declares them, created by the
// migrations of its dialect numbered `measures_version` and
// `cases_version`: measures logged, cases not.
inline std::vector<CollectionSchema> RecordCollections(int measures_version,
                                                       int cases_version) {
  return {{measures_version, kMeasuresTable},
          {cases_version, kCasesTable, /*logged=*/false}};
}

// The fingerprint method of CreateCaseRelease's idempotency keys
// (RequestFingerprint), shared with the SQLite store, which keys the
// releases cut before the keys were kept in the requests table.
inline constexpr char kCreateCaseReleaseMethod[] = "assistance.create-release";

// Resource names of the catalogue and of releases in the change log.
inline std::string MeasureTypeName(absl::string_view code) {
  return absl::StrCat("measureTypes/", code);
}
inline std::string CaseReleaseName(int64_t number) {
  return absl::StrCat("caseReleases/", number);
}

// A release of case counts as stored: never changed once added.
struct StoredCaseRelease {
  int64_t number = 0;   // 1, 2, ...
  absl::Time cut_time;  // to the microsecond
  int64_t k = 0;        // the k it was protected with
  std::string cells;    // EncodeRelease
};

class AssistanceStore : public RecordStore {
 public:
  // The catalogue, by code (byte order); seeded by the migrations.
  virtual absl::StatusOr<std::vector<v1::MeasureType>> ListMeasureTypes() = 0;
  // Adds a type (code, display_name, description) and appends its change,
  // in one transaction. ALREADY_EXISTS, and nothing written, if the code is
  // taken.
  virtual absl::StatusOr<WriteResult> CreateMeasureType(
      const v1::MeasureType& type) = 0;

  // Every release, by number.
  virtual absl::StatusOr<std::vector<StoredCaseRelease>> ListCaseReleases() = 0;
  // One release by number, or the latest with 0; nullopt if there is none.
  virtual absl::StatusOr<std::optional<StoredCaseRelease>> GetCaseRelease(
      int64_t number) = 0;
  // The latest release's number, 0 if none was cut.
  virtual absl::StatusOr<int64_t> LatestCaseReleaseNumber() = 0;
  // Adds a release, records the request id (if not empty) with `request`
  // and appends the release's change, in one transaction. If the id was
  // taken before, writes nothing and returns that request in `earlier`
  // (with the latest sequence); else ALREADY_EXISTS, and nothing written,
  // if the number is taken (another cut came first).
  virtual absl::StatusOr<WriteResult> AddCaseRelease(
      const StoredCaseRelease& release, const std::string& request_id,
      const StoredRequest& request) = 0;
};

}  // namespace palermo::assistance

#endif  // PALERMO_SERVICES_ASSISTANCE_ASSISTANCE_STORE_H_
