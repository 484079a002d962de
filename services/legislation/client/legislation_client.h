// The legislation service's client library: the only door into the
// legislation domain for other code (the gateway, palermo-load, the
// reporting service). Typed calls with a deadline, errors as absl::Status.
#ifndef PALERMO_SERVICES_LEGISLATION_CLIENT_LEGISLATION_CLIENT_H_
#define PALERMO_SERVICES_LEGISLATION_CLIENT_LEGISLATION_CLIENT_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "palermo/legislation/v1/legislation.grpc.pb.h"
#include "services/common/client_call.h"
#include "services/legislation/client/legislation_names.h"

namespace palermo::legislation {

class LegislationClient {
 public:
  explicit LegislationClient(std::shared_ptr<grpc::Channel> channel,
                             CallOptions options = {});

  // `countries/EST/legislation`.
  absl::StatusOr<v1::Legislation> GetLegislation(absl::string_view name);
  // One page.
  absl::StatusOr<v1::ListLegislationsResponse> ListLegislations(
      const v1::ListLegislationsRequest& request);
  // Every record matching the AIP-160 `filter` (empty: all), every page.
  absl::StatusOr<std::vector<v1::Legislation>> ListAllLegislations(
      absl::string_view filter = "");
  // The writes: `*sequence`, if asked, is the sequence of the write's change
  // (ReadChangeSequence, client_call.h).
  absl::StatusOr<v1::Legislation> CreateLegislation(
      const v1::CreateLegislationRequest& request, int64_t* sequence = nullptr);
  absl::StatusOr<v1::Legislation> UpdateLegislation(
      const v1::UpdateLegislationRequest& request, int64_t* sequence = nullptr);
  absl::Status DeleteLegislation(const v1::DeleteLegislationRequest& request,
                                 int64_t* sequence = nullptr);

  // Streams the service's changes (WatchChanges): read until it ends.
  std::unique_ptr<ChangeWatch> WatchChanges(
      const common::v1::WatchChangesRequest& request);

  // The stub, for asynchronous calls (the gateway's forwarding).
  v1::LegislationService::Stub& stub() { return *stub_; }

 private:
  std::unique_ptr<v1::LegislationService::Stub> stub_;
  CallOptions options_;
};

}  // namespace palermo::legislation

#endif  // PALERMO_SERVICES_LEGISLATION_CLIENT_LEGISLATION_CLIENT_H_
