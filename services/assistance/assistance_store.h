// Storage contract of the victim assistance service: the measure-type
// catalogue, the measures and case records as revisioned record collections
// (RecordStore, services/common/record_store.h) with idempotency keys and
// the change log, and the
// frozen releases of case counts (suppression.h).
#ifndef PALERMO_SERVICES_ASSISTANCE_ASSISTANCE_STORE_H_
#define PALERMO_SERVICES_ASSISTANCE_ASSISTANCE_STORE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "palermo/assistance/v1/assistance.pb.h"
#include "services/common/record_store.h"

namespace palermo::assistance {

// The record collections.
inline constexpr char kMeasuresTable[] = "measures";
inline constexpr char kCasesTable[] = "cases";

// A release of case counts as stored: never changed once added.
struct StoredCaseRelease {
  int64_t number = 0;  // 1, 2, ...
  absl::Time cut_time;
  int64_t k = 0;           // the k it was protected with
  std::string request_id;  // of the call that cut it; may be empty
  std::string cells;       // EncodeRelease
};

class AssistanceStore : public RecordStore {
 public:
  virtual absl::StatusOr<std::vector<v1::MeasureType>> ListMeasureTypes() = 0;
  // ALREADY_EXISTS if the code is taken.
  virtual absl::Status CreateMeasureType(const v1::MeasureType& type) = 0;

  // Every release, by number.
  virtual absl::StatusOr<std::vector<StoredCaseRelease>> ListCaseReleases() = 0;
  // One release by number, or the latest with 0; nullopt if there is none.
  virtual absl::StatusOr<std::optional<StoredCaseRelease>> GetCaseRelease(
      int64_t number) = 0;
  // ALREADY_EXISTS if the number is taken.
  virtual absl::Status AddCaseRelease(const StoredCaseRelease& release) = 0;
};

}  // namespace palermo::assistance

#endif  // PALERMO_SERVICES_ASSISTANCE_ASSISTANCE_STORE_H_
