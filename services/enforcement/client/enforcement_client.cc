// Calls of the enforcement client library.
#include "services/enforcement/client/enforcement_client.h"

#include <string>
#include <utility>

#include "services/common/status.h"

namespace palermo::enforcement {

using Stub = v1::EnforcementService::Stub;

EnforcementClient::EnforcementClient(std::shared_ptr<grpc::Channel> channel,
                                     CallOptions options)
    : stub_(v1::EnforcementService::NewStub(std::move(channel))),
      options_(std::move(options)) {}

absl::StatusOr<std::vector<v1::Indicator>>
EnforcementClient::ListAllIndicators() {
  return ListAll(
      *stub_, &Stub::ListIndicators, v1::ListIndicatorsRequest(),
      [](v1::ListIndicatorsResponse& page) { return page.mutable_indicators(); },
      options_);
}

absl::StatusOr<v1::Observation> EnforcementClient::GetObservation(
    absl::string_view name) {
  v1::GetObservationRequest request;
  request.set_name(std::string(name));
  return CallUnary(*stub_, &Stub::GetObservation, request, options_);
}

absl::StatusOr<v1::ListObservationsResponse>
EnforcementClient::ListObservations(
    const v1::ListObservationsRequest& request) {
  return CallUnary(*stub_, &Stub::ListObservations, request, options_);
}

absl::StatusOr<std::vector<v1::Observation>>
EnforcementClient::ListAllObservations(absl::string_view parent,
                                       absl::string_view filter) {
  v1::ListObservationsRequest request;
  request.set_parent(std::string(parent));
  request.set_filter(std::string(filter));
  return ListAll(
      *stub_, &Stub::ListObservations, std::move(request),
      [](v1::ListObservationsResponse& page) {
        return page.mutable_observations();
      },
      options_);
}

absl::StatusOr<v1::ImportObservationsResponse>
EnforcementClient::ImportObservations(
    const std::vector<v1::ImportObservationsRequest>& messages,
    int64_t* sequence) {
  v1::ImportObservationsResponse response;
  auto context = CallContext(options_);
  auto writer = stub_->ImportObservations(context.get(), &response);
  for (const auto& message : messages) {
    if (!writer->Write(message)) break;  // Finish says why
  }
  writer->WritesDone();
  grpc::Status status = writer->Finish();
  if (!status.ok()) return FromGrpcStatus(status);
  ReadChangeSequence(*context, sequence);
  return response;
}

absl::StatusOr<v1::AggregateResponse> EnforcementClient::Aggregate(
    const v1::AggregateRequest& request) {
  return CallUnary(*stub_, &Stub::Aggregate, request, options_);
}

std::unique_ptr<ChangeWatch> EnforcementClient::WatchChanges(
    const common::v1::WatchChangesRequest& request) {
  return std::make_unique<ChangeWatch>(*stub_, request, options_);
}

}  // namespace palermo::enforcement
