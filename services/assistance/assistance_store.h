// Storage contract of the victim assistance service: the measure-type
// catalogue, and the measures and case records as revisioned record
// collections (RecordStore, services/common/records.h) with idempotency keys.
#ifndef PALERMO_SERVICES_ASSISTANCE_ASSISTANCE_STORE_H_
#define PALERMO_SERVICES_ASSISTANCE_ASSISTANCE_STORE_H_

#include <vector>

#include "absl/status/statusor.h"
#include "palermo/assistance/v1/assistance.pb.h"
#include "services/common/records.h"

namespace palermo::assistance {

// The record collections.
inline constexpr char kMeasuresTable[] = "measures";
inline constexpr char kCasesTable[] = "cases";

class AssistanceStore : public RecordStore {
 public:
  virtual absl::StatusOr<std::vector<v1::MeasureType>> ListMeasureTypes() = 0;
  // ALREADY_EXISTS if the code is taken.
  virtual absl::Status CreateMeasureType(const v1::MeasureType& type) = 0;
};

}  // namespace palermo::assistance

#endif  // PALERMO_SERVICES_ASSISTANCE_ASSISTANCE_STORE_H_
