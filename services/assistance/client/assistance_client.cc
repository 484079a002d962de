// Calls of the assistance client library.
#include "services/assistance/client/assistance_client.h"

#include <string>
#include <utility>

namespace palermo::assistance {

using Stub = v1::AssistanceService::Stub;

AssistanceClient::AssistanceClient(std::shared_ptr<grpc::Channel> channel,
                                   CallOptions options)
    : stub_(v1::AssistanceService::NewStub(std::move(channel))),
      options_(std::move(options)) {}

absl::StatusOr<v1::Measure> AssistanceClient::GetMeasure(
    absl::string_view name) {
  v1::GetMeasureRequest request;
  request.set_name(std::string(name));
  return CallUnary(*stub_, &Stub::GetMeasure, request, options_);
}

absl::StatusOr<v1::ListMeasuresResponse> AssistanceClient::ListMeasures(
    const v1::ListMeasuresRequest& request) {
  return CallUnary(*stub_, &Stub::ListMeasures, request, options_);
}

absl::StatusOr<std::vector<v1::Measure>> AssistanceClient::ListAllMeasures(
    absl::string_view parent, absl::string_view filter) {
  v1::ListMeasuresRequest request;
  request.set_parent(std::string(parent));
  request.set_filter(std::string(filter));
  return ListAll(
      *stub_, &Stub::ListMeasures, std::move(request),
      [](v1::ListMeasuresResponse& page) { return page.mutable_measures(); },
      options_);
}

absl::StatusOr<v1::Measure> AssistanceClient::CreateMeasure(
    const v1::CreateMeasureRequest& request, int64_t* sequence) {
  return CallUnary(*stub_, &Stub::CreateMeasure, request, options_, sequence);
}

std::unique_ptr<ChangeWatch> AssistanceClient::WatchChanges(
    const common::v1::WatchChangesRequest& request) {
  return std::make_unique<ChangeWatch>(*stub_, request, options_);
}

}  // namespace palermo::assistance
