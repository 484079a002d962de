// The enforcement statistics service's client library: the only door into
// the enforcement domain for other code. Typed calls with a deadline,
// errors as absl::Status.
#ifndef PALERMO_SERVICES_ENFORCEMENT_CLIENT_ENFORCEMENT_CLIENT_H_
#define PALERMO_SERVICES_ENFORCEMENT_CLIENT_ENFORCEMENT_CLIENT_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "palermo/enforcement/v1/enforcement.grpc.pb.h"
#include "services/common/client_call.h"
#include "services/enforcement/client/enforcement_names.h"

namespace palermo::enforcement {

class EnforcementClient {
 public:
  explicit EnforcementClient(std::shared_ptr<grpc::Channel> channel,
                             CallOptions options = {});

  // Every indicator, every page.
  absl::StatusOr<std::vector<v1::Indicator>> ListAllIndicators();
  absl::StatusOr<v1::Observation> GetObservation(absl::string_view name);
  // One page.
  absl::StatusOr<v1::ListObservationsResponse> ListObservations(
      const v1::ListObservationsRequest& request);
  // Every observation of `parent` (an entity, or kEveryEntity) matching the
  // AIP-160 `filter`, every page.
  absl::StatusOr<std::vector<v1::Observation>> ListAllObservations(
      absl::string_view parent, absl::string_view filter = "");
  // One atomic import: `messages` on one stream (the first carries the
  // request_id), then half-close; the call's deadline is the options'.
  // `*sequence`, if asked, is the sequence of the import's change
  // (ReadChangeSequence, client_call.h).
  absl::StatusOr<v1::ImportObservationsResponse> ImportObservations(
      const std::vector<v1::ImportObservationsRequest>& messages,
      int64_t* sequence = nullptr);
  absl::StatusOr<v1::AggregateResponse> Aggregate(
      const v1::AggregateRequest& request);

  // Streams the service's changes (WatchChanges): read until it ends.
  std::unique_ptr<ChangeWatch> WatchChanges(
      const common::v1::WatchChangesRequest& request);

  // The stub, for asynchronous calls (the gateway's forwarding).
  v1::EnforcementService::Stub& stub() { return *stub_; }

 private:
  std::unique_ptr<v1::EnforcementService::Stub> stub_;
  CallOptions options_;
};

}  // namespace palermo::enforcement

#endif  // PALERMO_SERVICES_ENFORCEMENT_CLIENT_ENFORCEMENT_CLIENT_H_
