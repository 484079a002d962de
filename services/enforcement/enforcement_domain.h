// The enforcement statistics service's rules, free of gRPC: what a valid
// observation is, how its series key names it, how revisions and as-of reads
// work, and how figures are compared and summed without double counting.
#ifndef PALERMO_SERVICES_ENFORCEMENT_ENFORCEMENT_DOMAIN_H_
#define PALERMO_SERVICES_ENFORCEMENT_ENFORCEMENT_DOMAIN_H_

#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/clock.h"
#include "palermo/enforcement/v1/enforcement.pb.h"
#include "services/common/bounds.h"
#include "services/common/entities.h"
#include "services/common/filter.h"
#include "services/common/idempotent_write.h"
#include "services/common/status.h"
#include "services/enforcement/enforcement_store.h"

namespace palermo::enforcement {

inline constexpr char kObservationType[] = "palermo.enforcement.v1.Observation";
// At most this many rows in one import stream (they are held in memory).
inline constexpr size_t kMaxImportRows = 2000000;
// Largest figure accepted: sums of many stay far from int64 overflow.
inline constexpr int64_t kMaxValue = int64_t{1} << 40;

class EnforcementDomain {
 public:
  using Clock = std::function<absl::Time()>;

  EnforcementDomain(EnforcementStore& store, const EntityRegistry& entities,
                    Clock clock = absl::Now)
      : store_(store), entities_(entities), clock_(std::move(clock)) {}

  absl::StatusOr<v1::ListIndicatorsResponse> ListIndicators(
      const v1::ListIndicatorsRequest& request);
  // The write methods set `*sequence` (if not null) to the change log's
  // sequence of their change, or for a replay or a write that changed
  // nothing, to the latest committed sequence, which is at least as fresh
  // (the gRPC edge sends it as palermo-change-sequence).
  absl::StatusOr<v1::Indicator> CreateIndicator(
      const v1::CreateIndicatorRequest& request, int64_t* sequence = nullptr);

  absl::StatusOr<v1::Observation> Get(const v1::GetObservationRequest& request);
  absl::StatusOr<v1::ListObservationsResponse> List(
      const v1::ListObservationsRequest& request);
  absl::StatusOr<v1::Observation> Upsert(
      const v1::UpsertObservationRequest& request, int64_t* sequence = nullptr);
  // `rows` are all the observations of one import stream.
  absl::StatusOr<v1::ImportObservationsResponse> Import(
      const std::string& request_id, std::vector<v1::Observation> rows,
      int64_t* sequence = nullptr);
  absl::StatusOr<v1::ListObservationRevisionsResponse> ListRevisions(
      const v1::ListObservationRevisionsRequest& request);

  absl::StatusOr<v1::Series> GetSeries(const v1::GetSeriesRequest& request);
  absl::StatusOr<v1::AggregateResponse> Aggregate(
      const v1::AggregateRequest& request);
  absl::StatusOr<v1::ComputeChangeResponse> ComputeChange(
      const v1::ComputeChangeRequest& request);
  absl::StatusOr<v1::ComputeRatioResponse> ComputeRatio(
      const v1::ComputeRatioRequest& request);
  absl::StatusOr<v1::GetCoverageResponse> GetCoverage(
      const v1::GetCoverageRequest& request);

  // Writes the SDMX-CSV export to `sink` in chunks; stops early if the sink
  // returns false (the client went away).
  absl::Status ExportSdmxCsv(const v1::ExportSdmxCsvRequest& request,
                             const std::function<bool(std::string)>& sink);
  absl::StatusOr<v1::ImportObservationsResponse> ImportSdmxCsv(
      const v1::ImportSdmxCsvRequest& request, int64_t* sequence = nullptr);

  // Adds a violation for everything wrong with one observation; paths start
  // with `prefix`.
  void Validate(const v1::Observation& observation, absl::string_view prefix,
                FieldViolations& violations);

  // `{entity}/observations/{id}`, {id} derived from indicator, period and
  // breakdown: the same figure always has the same name.
  static std::string NameOf(const v1::Observation& observation);

 private:
  // Whether the code list has `code`; the list is read from the store once
  // and again after each creation. Sets `error` if it cannot be read.
  bool HasIndicator(const std::string& code, absl::Status* error,
                    v1::IndicatorKind* kind = nullptr);

  // Validates and normalises rows, then writes them as one batch under
  // `write`'s key; sets `*sequence`.
  absl::StatusOr<std::vector<v1::Observation>> WriteRows(
      std::vector<v1::Observation> rows,
      const std::function<std::string(size_t)>& row_path,
      const IdempotentWrite& write, bool respond_with_row,
      std::string* replayed_response, v1::ImportObservationsResponse* response,
      int64_t* sequence);
  // The change log's latest sequence.
  absl::StatusOr<int64_t> LatestSequence();

  // Versions matching `query`, then `filter`: those `page` admits (null:
  // all); `more` tells whether a refused one followed.
  absl::StatusOr<std::vector<v1::Observation>> Scan(ObservationQuery query,
                                                    const Filter* filter,
                                                    PageBudget* page,
                                                    bool* more);

  absl::Status CheckEntity(absl::string_view entity, absl::string_view field);
  // OK if `name` is {entity}/observations/{id} with a known entity; the one
  // place observation names are parsed.
  absl::Status CheckName(absl::string_view name, absl::string_view field);

  EnforcementStore& store_;
  const EntityRegistry& entities_;
  Clock clock_;
  std::mutex indicators_mu_;
  std::map<std::string, v1::IndicatorKind> indicator_codes_;
};

}  // namespace palermo::enforcement

#endif  // PALERMO_SERVICES_ENFORCEMENT_ENFORCEMENT_DOMAIN_H_
