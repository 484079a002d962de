// The victim assistance service's rules, free of gRPC: valid measures and
// case records, their idempotent and etag-guarded writes, comparisons, and
// case counts published only as frozen releases protected by small-cell
// suppression (suppression.h). Every write method reports, through
// `sequence` if not null, the change log's sequence of its change; a replay
// reports the log's latest sequence (at least as fresh).
#ifndef PALERMO_SERVICES_ASSISTANCE_ASSISTANCE_DOMAIN_H_
#define PALERMO_SERVICES_ASSISTANCE_ASSISTANCE_DOMAIN_H_

#include <google/protobuf/field_mask.pb.h>

#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/clock.h"
#include "palermo/assistance/v1/assistance.pb.h"
#include "palermo/assistance/v1/case_records.pb.h"
#include "services/assistance/assistance_store.h"
#include "services/assistance/suppression.h"
#include "services/common/entities.h"
#include "services/common/idempotent_write.h"
#include "services/common/record_collection.h"
#include "services/common/status.h"

namespace palermo::assistance {

inline constexpr int64_t kDefaultK = 11;

class AssistanceDomain {
 public:
  using Clock = std::function<absl::Time()>;

  // `k`: the smallest count AggregateCases publishes.
  AssistanceDomain(AssistanceStore& store, const EntityRegistry& entities,
                   int64_t k = kDefaultK, Clock clock = absl::Now);
  // Its collections validate through `this`.
  AssistanceDomain(const AssistanceDomain&) = delete;
  AssistanceDomain& operator=(const AssistanceDomain&) = delete;

  absl::StatusOr<v1::ListMeasureTypesResponse> ListMeasureTypes(
      const v1::ListMeasureTypesRequest& request);
  absl::StatusOr<v1::MeasureType> CreateMeasureType(
      const v1::CreateMeasureTypeRequest& request, int64_t* sequence = nullptr);

  absl::StatusOr<v1::Measure> GetMeasure(const v1::GetMeasureRequest& request);
  absl::StatusOr<v1::ListMeasuresResponse> ListMeasures(
      const v1::ListMeasuresRequest& request);
  absl::StatusOr<v1::Measure> CreateMeasure(
      const v1::CreateMeasureRequest& request, int64_t* sequence = nullptr);
  absl::StatusOr<v1::Measure> UpdateMeasure(
      const v1::UpdateMeasureRequest& request, int64_t* sequence = nullptr);
  absl::Status DeleteMeasure(const v1::DeleteMeasureRequest& request,
                             int64_t* sequence = nullptr);
  absl::StatusOr<v1::CompareEntitiesResponse> CompareEntities(
      const v1::CompareEntitiesRequest& request);

  absl::StatusOr<v1::CaseRecord> CreateCase(
      const v1::CreateCaseRecordRequest& request, int64_t* sequence = nullptr);
  absl::StatusOr<v1::CaseRecord> GetCase(
      const v1::GetCaseRecordRequest& request);
  absl::StatusOr<v1::ListCaseRecordsResponse> ListCases(
      const v1::ListCaseRecordsRequest& request);
  absl::StatusOr<v1::CaseRecord> UpdateCase(
      const v1::UpdateCaseRecordRequest& request, int64_t* sequence = nullptr);
  absl::Status DeleteCase(const v1::DeleteCaseRecordRequest& request,
                          int64_t* sequence = nullptr);

  // Counts only, from a release: no record, no count below k, nothing
  // derivable, within a release or between two.
  absl::StatusOr<v1::AggregateCasesResponse> AggregateCases(
      const v1::AggregateCasesRequest& request);
  // Cuts the next release from the cases recorded now, idempotent with the
  // request id (idempotent_write.h); cuts again over a release another
  // process cut meanwhile.
  absl::StatusOr<v1::CaseRelease> CreateCaseRelease(
      const v1::CreateCaseReleaseRequest& request, int64_t* sequence = nullptr);

  void ValidateMeasure(const v1::Measure& measure, absl::string_view prefix,
                       FieldViolations& violations);
  void ValidateCase(const v1::CaseRecord& record, absl::string_view prefix,
                    FieldViolations& violations);

 private:
  struct Release;
  absl::StatusOr<std::set<std::string>> MeasureTypeCodes();
  // Release `number`, or the latest with 0; nullptr if there is none.
  absl::StatusOr<std::shared_ptr<const Release>> LoadRelease(int64_t number);
  // One attempt at cutting the next release (ABORTED if another process
  // cut it first).
  absl::StatusOr<v1::CaseRelease> CutRelease(const IdempotentWrite& key,
                                             int64_t* sequence);
  // The answer a release's key kept (its name): its summary.
  absl::StatusOr<v1::CaseRelease> ReleaseAnswer(const std::string& kept);
  // Sets `*sequence`, if asked, to the log's latest.
  absl::Status LatestSequence(int64_t* sequence);

  AssistanceStore& store_;
  const EntityRegistry& entities_;
  const int64_t k_;
  const Clock clock_;
  const Domains domains_;  // every entity, citizenship and enum value
  std::mutex cut_mu_;      // one cut at a time
  std::mutex release_mu_;  // guards latest_
  // The latest release read or cut, kept while it is the latest.
  std::shared_ptr<const Release> latest_;
  RecordCollection<v1::Measure> measures_;
  RecordCollection<v1::CaseRecord> cases_;
};

}  // namespace palermo::assistance

#endif  // PALERMO_SERVICES_ASSISTANCE_ASSISTANCE_DOMAIN_H_
