// Calls of the legislation client library.
#include "services/legislation/client/legislation_client.h"

#include <string>
#include <utility>

namespace palermo::legislation {

using Stub = v1::LegislationService::Stub;

LegislationClient::LegislationClient(std::shared_ptr<grpc::Channel> channel,
                                     CallOptions options)
    : stub_(v1::LegislationService::NewStub(std::move(channel))),
      options_(std::move(options)) {}

absl::StatusOr<v1::Legislation> LegislationClient::GetLegislation(
    absl::string_view name) {
  v1::GetLegislationRequest request;
  request.set_name(std::string(name));
  return CallUnary(*stub_, &Stub::GetLegislation, request, options_);
}

absl::StatusOr<v1::ListLegislationsResponse>
LegislationClient::ListLegislations(
    const v1::ListLegislationsRequest& request) {
  return CallUnary(*stub_, &Stub::ListLegislations, request, options_);
}

absl::StatusOr<std::vector<v1::Legislation>>
LegislationClient::ListAllLegislations(absl::string_view filter) {
  v1::ListLegislationsRequest request;
  request.set_filter(std::string(filter));
  return ListAll(
      *stub_, &Stub::ListLegislations, std::move(request),
      [](v1::ListLegislationsResponse& page) {
        return page.mutable_legislations();
      },
      options_);
}

absl::StatusOr<v1::Legislation> LegislationClient::CreateLegislation(
    const v1::CreateLegislationRequest& request, int64_t* sequence) {
  return CallUnary(*stub_, &Stub::CreateLegislation, request, options_,
                   sequence);
}

absl::StatusOr<v1::Legislation> LegislationClient::UpdateLegislation(
    const v1::UpdateLegislationRequest& request, int64_t* sequence) {
  return CallUnary(*stub_, &Stub::UpdateLegislation, request, options_,
                   sequence);
}

absl::Status LegislationClient::DeleteLegislation(
    const v1::DeleteLegislationRequest& request, int64_t* sequence) {
  return CallEmpty(*stub_, &Stub::DeleteLegislation, request, options_,
                   sequence);
}

std::unique_ptr<ChangeWatch> LegislationClient::WatchChanges(
    const common::v1::WatchChangesRequest& request) {
  return std::make_unique<ChangeWatch>(*stub_, request, options_);
}

}  // namespace palermo::legislation
