// The reporting service's rules, free of gRPC: cycles and their dates, the
// responses received (and whether each arrived by the cut-off), the
// analysts' narrative blocks, the data-quality findings over a cycle's
// facts, and the report generated from them, with its immutable published
// versions. The facts of the four domains come through a FactSource.
#ifndef PALERMO_SERVICES_REPORTING_REPORTING_DOMAIN_H_
#define PALERMO_SERVICES_REPORTING_REPORTING_DOMAIN_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/clock.h"
#include "palermo/reporting/v1/reporting.pb.h"
#include "services/common/entities.h"
#include "services/common/record_collection.h"
#include "services/common/status.h"
#include "services/reporting/cycle_data.h"
#include "services/reporting/entity_names.h"
#include "services/reporting/reporting_schema.h"

namespace palermo::reporting {

// Where the four domains' facts come from (their services, in production).
class FactSource {
 public:
  virtual ~FactSource() = default;
  // Fills the domain parts of `data` (legislations ... inter_agency_groups,
  // indicators) with the facts of `cycle` only (RestrictToCycle).
  virtual absl::Status Fill(const std::string& cycle, CycleData& data) = 0;
};

// The write methods (Create..., Update..., Delete...) set `*sequence` (if
// not null) to the change log's sequence of their change; a replay or a
// write that changed nothing, to the latest (at least as fresh). UpdateCycle
// reports its last change: that of the responses whose timeliness followed
// the cycle's dates, if any.
class ReportingDomain {
 public:
  using Clock = std::function<absl::Time()>;

  ReportingDomain(RecordStore& store, const EntityRegistry& entities,
                  const EntityNames& names, FactSource& facts,
                  Clock clock = absl::Now);
  ReportingDomain(const ReportingDomain&) = delete;
  ReportingDomain& operator=(const ReportingDomain&) = delete;

  absl::StatusOr<v1::Cycle> GetCycle(const v1::GetCycleRequest& r);
  absl::StatusOr<v1::ListCyclesResponse> ListCycles(
      const v1::ListCyclesRequest& r);
  absl::StatusOr<v1::Cycle> CreateCycle(const v1::CreateCycleRequest& r,
                                        int64_t* sequence = nullptr);
  absl::StatusOr<v1::Cycle> UpdateCycle(const v1::UpdateCycleRequest& r,
                                        int64_t* sequence = nullptr);
  absl::Status DeleteCycle(const v1::DeleteCycleRequest& r,
                           int64_t* sequence = nullptr);

  absl::StatusOr<v1::Response> GetResponse(const v1::GetResponseRequest& r);
  absl::StatusOr<v1::ListResponsesResponse> ListResponses(
      const v1::ListResponsesRequest& r);
  absl::StatusOr<v1::Response> CreateResponse(
      const v1::CreateResponseRequest& r, int64_t* sequence = nullptr);
  absl::StatusOr<v1::Response> UpdateResponse(
      const v1::UpdateResponseRequest& r, int64_t* sequence = nullptr);
  absl::Status DeleteResponse(const v1::DeleteResponseRequest& r,
                              int64_t* sequence = nullptr);

  absl::StatusOr<v1::NarrativeBlock> GetNarrativeBlock(
      const v1::GetNarrativeBlockRequest& r);
  absl::StatusOr<v1::ListNarrativeBlocksResponse> ListNarrativeBlocks(
      const v1::ListNarrativeBlocksRequest& r);
  absl::StatusOr<v1::NarrativeBlock> CreateNarrativeBlock(
      const v1::CreateNarrativeBlockRequest& r, int64_t* sequence = nullptr);
  absl::StatusOr<v1::NarrativeBlock> UpdateNarrativeBlock(
      const v1::UpdateNarrativeBlockRequest& r, int64_t* sequence = nullptr);
  absl::Status DeleteNarrativeBlock(const v1::DeleteNarrativeBlockRequest& r,
                                    int64_t* sequence = nullptr);

  absl::StatusOr<v1::ListFindingsResponse> ListFindings(
      const v1::ListFindingsRequest& r);
  absl::StatusOr<v1::Report> GenerateReport(const v1::GenerateReportRequest& r);
  absl::StatusOr<v1::ReportVersion> CreateReportVersion(
      const v1::CreateReportVersionRequest& r, int64_t* sequence = nullptr);
  absl::StatusOr<v1::ReportVersion> GetReportVersion(
      const v1::GetReportVersionRequest& r);
  absl::StatusOr<v1::ListReportVersionsResponse> ListReportVersions(
      const v1::ListReportVersionsRequest& r);

  // Record validation: every problem of a complete record, with field paths
  // under `prefix`.
  void Validate(const v1::Cycle& c, absl::string_view prefix,
                FieldViolations& v) const;
  void Validate(const v1::Response& r, absl::string_view prefix,
                FieldViolations& v) const;
  void Validate(const v1::NarrativeBlock& b, absl::string_view prefix,
                FieldViolations& v) const;

  // The whole of a cycle as the report reads it (its responses, blocks and
  // the domains' facts of the cycle). NOT_FOUND for an unknown cycle.
  absl::StatusOr<CycleData> Collect(const std::string& cycle);

 private:
  absl::StatusOr<v1::Cycle> ExistingCycle(const std::string& name,
                                          absl::string_view field);
  // Sets `entity` and `timeliness` from the name and the cycle's dates.
  void Derive(const v1::Cycle& cycle, v1::Response& response) const;
  absl::StatusOr<v1::Report> Generate(const std::string& cycle,
                                      const std::string& language,
                                      const std::string& format,
                                      FieldViolations v);

  RecordStore& store_;
  const EntityRegistry& entities_;
  const EntityNames& names_;
  FactSource& facts_;
  Clock clock_;
  RecordCollection<v1::Cycle> cycles_;
  RecordCollection<v1::Response> responses_;
  RecordCollection<v1::NarrativeBlock> blocks_;
  RecordCollection<v1::ReportVersion> versions_;
};

}  // namespace palermo::reporting

#endif  // PALERMO_SERVICES_REPORTING_REPORTING_DOMAIN_H_
