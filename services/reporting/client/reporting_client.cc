// Calls of the reporting client library.
#include "services/reporting/client/reporting_client.h"

#include <string>
#include <utility>

namespace palermo::reporting {

using Stub = v1::ReportingService::Stub;

ReportingClient::ReportingClient(std::shared_ptr<grpc::Channel> channel,
                                 CallOptions options)
    : stub_(v1::ReportingService::NewStub(std::move(channel))),
      options_(std::move(options)) {}

absl::StatusOr<v1::Cycle> ReportingClient::GetCycle(absl::string_view name) {
  v1::GetCycleRequest request;
  request.set_name(std::string(name));
  return CallUnary(*stub_, &Stub::GetCycle, request, options_);
}

absl::StatusOr<v1::Report> ReportingClient::GenerateReport(
    absl::string_view cycle, absl::string_view language,
    absl::string_view format) {
  v1::GenerateReportRequest request;
  request.set_cycle(std::string(cycle));
  request.set_language(std::string(language));
  request.set_format(std::string(format));
  return CallUnary(*stub_, &Stub::GenerateReport, request, options_);
}

absl::StatusOr<v1::ListFindingsResponse> ReportingClient::ListFindings(
    absl::string_view cycle, absl::string_view filter) {
  v1::ListFindingsRequest request;
  request.set_parent(std::string(cycle));
  request.set_filter(std::string(filter));
  return CallUnary(*stub_, &Stub::ListFindings, request, options_);
}

absl::StatusOr<std::vector<v1::Cycle>> ReportingClient::ListAllCycles(
    absl::string_view filter) {
  v1::ListCyclesRequest request;
  request.set_filter(std::string(filter));
  return ListAll(
      *stub_, &Stub::ListCycles, std::move(request),
      [](v1::ListCyclesResponse& page) { return page.mutable_cycles(); },
      options_);
}

absl::StatusOr<v1::Cycle> ReportingClient::CreateCycle(
    const v1::CreateCycleRequest& request, int64_t* sequence) {
  return CallUnary(*stub_, &Stub::CreateCycle, request, options_, sequence);
}

absl::StatusOr<v1::Response> ReportingClient::GetResponse(
    absl::string_view name) {
  v1::GetResponseRequest request;
  request.set_name(std::string(name));
  return CallUnary(*stub_, &Stub::GetResponse, request, options_);
}

absl::StatusOr<std::vector<v1::Response>> ReportingClient::ListAllResponses(
    absl::string_view cycle, absl::string_view filter) {
  v1::ListResponsesRequest request;
  request.set_parent(std::string(cycle));
  request.set_filter(std::string(filter));
  return ListAll(
      *stub_, &Stub::ListResponses, std::move(request),
      [](v1::ListResponsesResponse& page) { return page.mutable_responses(); },
      options_);
}

absl::StatusOr<v1::Response> ReportingClient::CreateResponse(
    const v1::CreateResponseRequest& request, int64_t* sequence) {
  return CallUnary(*stub_, &Stub::CreateResponse, request, options_, sequence);
}

absl::StatusOr<v1::NarrativeBlock> ReportingClient::GetNarrativeBlock(
    absl::string_view name) {
  v1::GetNarrativeBlockRequest request;
  request.set_name(std::string(name));
  return CallUnary(*stub_, &Stub::GetNarrativeBlock, request, options_);
}

absl::StatusOr<std::vector<v1::NarrativeBlock>>
ReportingClient::ListAllNarrativeBlocks(absl::string_view cycle,
                                        absl::string_view filter) {
  v1::ListNarrativeBlocksRequest request;
  request.set_parent(std::string(cycle));
  request.set_filter(std::string(filter));
  return ListAll(
      *stub_, &Stub::ListNarrativeBlocks, std::move(request),
      [](v1::ListNarrativeBlocksResponse& page) {
        return page.mutable_narrative_blocks();
      },
      options_);
}

absl::StatusOr<v1::NarrativeBlock> ReportingClient::CreateNarrativeBlock(
    const v1::CreateNarrativeBlockRequest& request, int64_t* sequence) {
  return CallUnary(*stub_, &Stub::CreateNarrativeBlock, request, options_,
                   sequence);
}

std::unique_ptr<ChangeWatch> ReportingClient::WatchChanges(
    const common::v1::WatchChangesRequest& request) {
  return std::make_unique<ChangeWatch>(*stub_, request, options_);
}

}  // namespace palermo::reporting
