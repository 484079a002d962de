// The reporting service's client library: the only door into the
// reporting domain for other code (the gateway, palermo-load). Typed calls
// with a deadline, errors as absl::Status.
#ifndef PALERMO_SERVICES_REPORTING_CLIENT_REPORTING_CLIENT_H_
#define PALERMO_SERVICES_REPORTING_CLIENT_REPORTING_CLIENT_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "palermo/reporting/v1/reporting.grpc.pb.h"
#include "services/common/client_call.h"
#include "services/reporting/client/reporting_names.h"

namespace palermo::reporting {

class ReportingClient {
 public:
  explicit ReportingClient(std::shared_ptr<grpc::Channel> channel,
                           CallOptions options = {});

  // `cycles/ccpcj-17`.
  absl::StatusOr<v1::Cycle> GetCycle(absl::string_view name);
  // Every cycle matching the AIP-160 `filter`, every page.
  absl::StatusOr<std::vector<v1::Cycle>> ListAllCycles(
      absl::string_view filter = "");
  // Create...: `*sequence`, if asked, is the sequence of the write's change
  // (ReadChangeSequence, client_call.h).
  absl::StatusOr<v1::Cycle> CreateCycle(const v1::CreateCycleRequest& request,
                                        int64_t* sequence = nullptr);

  absl::StatusOr<v1::Response> GetResponse(absl::string_view name);
  // Every response of `cycle` (or of every cycle: kEveryCycle) matching
  // the AIP-160 `filter`, every page.
  absl::StatusOr<std::vector<v1::Response>> ListAllResponses(
      absl::string_view cycle, absl::string_view filter = "");
  absl::StatusOr<v1::Response> CreateResponse(
      const v1::CreateResponseRequest& request, int64_t* sequence = nullptr);

  absl::StatusOr<v1::NarrativeBlock> GetNarrativeBlock(absl::string_view name);
  // Every narrative block of `cycle` matching the AIP-160 `filter`, every
  // page.
  absl::StatusOr<std::vector<v1::NarrativeBlock>> ListAllNarrativeBlocks(
      absl::string_view cycle, absl::string_view filter = "");
  absl::StatusOr<v1::NarrativeBlock> CreateNarrativeBlock(
      const v1::CreateNarrativeBlockRequest& request,
      int64_t* sequence = nullptr);

  // The cycle's report in `language` ("fr", "en") and `format`
  // ("markdown", "html").
  absl::StatusOr<v1::Report> GenerateReport(absl::string_view cycle,
                                            absl::string_view language,
                                            absl::string_view format);
  absl::StatusOr<v1::ListFindingsResponse> ListFindings(
      absl::string_view cycle, absl::string_view filter = "");

  // Streams the service's changes (WatchChanges): read until it ends.
  std::unique_ptr<ChangeWatch> WatchChanges(
      const common::v1::WatchChangesRequest& request);

  // The stub, for asynchronous calls (the gateway's forwarding).
  v1::ReportingService::Stub& stub() { return *stub_; }

 private:
  std::unique_ptr<v1::ReportingService::Stub> stub_;
  CallOptions options_;
};

}  // namespace palermo::reporting

#endif  // PALERMO_SERVICES_REPORTING_CLIENT_REPORTING_CLIENT_H_
