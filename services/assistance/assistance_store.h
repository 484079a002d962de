// Storage contract of the victim assistance service: the measure-type
// catalogue, measures and case records (each a keyed collection of
// serialised records with a revision for compare-and-swap), and idempotency
// keys.
#ifndef PALERMO_SERVICES_ASSISTANCE_ASSISTANCE_STORE_H_
#define PALERMO_SERVICES_ASSISTANCE_ASSISTANCE_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "palermo/assistance/v1/assistance.pb.h"
#include "services/common/idempotency.h"

namespace palermo::assistance {

// The keyed collections.
enum class Collection { kMeasures, kCases };

struct StoredItem {
  std::string name;
  std::string record;  // serialised Measure or CaseRecord; empty once deleted
  int64_t revision = 0;
  bool deleted() const { return record.empty(); }
};

class AssistanceStore {
 public:
  virtual ~AssistanceStore() = default;

  virtual absl::StatusOr<std::vector<v1::MeasureType>> ListMeasureTypes() = 0;
  // ALREADY_EXISTS if the code is taken.
  virtual absl::Status CreateMeasureType(const v1::MeasureType& type) = 0;

  // The item, or its tombstone (deleted(), revision kept) once deleted.
  virtual absl::StatusOr<std::optional<StoredItem>> Get(
      Collection collection, absl::string_view name) = 0;
  // Items whose name is after `after_name` (and starts with `prefix`), in
  // name order.
  virtual absl::StatusOr<std::vector<StoredItem>> List(
      Collection collection, absl::string_view prefix,
      absl::string_view after_name) = 0;
  // Writes `item` if the stored revision is still `expected_revision` (0:
  // absent), else ABORTED; records the request id in the same transaction.
  // If the id was taken before, writes nothing and returns it in `earlier`.
  virtual absl::Status Put(Collection collection, const StoredItem& item,
                           int64_t expected_revision,
                           const std::string& request_id,
                           const StoredRequest& request,
                           std::optional<StoredRequest>* earlier) = 0;
  // Deletes if the stored revision is still `expected_revision`: erases the
  // record and leaves a tombstone with the next revision.
  virtual absl::Status Delete(Collection collection, absl::string_view name,
                              int64_t expected_revision) = 0;
};

}  // namespace palermo::assistance

#endif  // PALERMO_SERVICES_ASSISTANCE_ASSISTANCE_STORE_H_
