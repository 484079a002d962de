// The victim assistance service's client library: the only door into the
// assistance domain for other code. Typed calls with a deadline, errors as
// absl::Status. Case records (CaseRecordService) are not part of it.
#ifndef PALERMO_SERVICES_ASSISTANCE_CLIENT_ASSISTANCE_CLIENT_H_
#define PALERMO_SERVICES_ASSISTANCE_CLIENT_ASSISTANCE_CLIENT_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "palermo/assistance/v1/assistance.grpc.pb.h"
#include "services/assistance/client/assistance_names.h"
#include "services/common/client_call.h"

namespace palermo::assistance {

class AssistanceClient {
 public:
  explicit AssistanceClient(std::shared_ptr<grpc::Channel> channel,
                            CallOptions options = {});

  absl::StatusOr<v1::Measure> GetMeasure(absl::string_view name);
  // One page.
  absl::StatusOr<v1::ListMeasuresResponse> ListMeasures(
      const v1::ListMeasuresRequest& request);
  // Every measure of `parent` (an entity, or kEveryEntity) matching the
  // AIP-160 `filter`, every page.
  absl::StatusOr<std::vector<v1::Measure>> ListAllMeasures(
      absl::string_view parent, absl::string_view filter = "");
  // `*sequence`, if asked, is the sequence of the measure's change
  // (ReadChangeSequence, client_call.h).
  absl::StatusOr<v1::Measure> CreateMeasure(
      const v1::CreateMeasureRequest& request, int64_t* sequence = nullptr);

  // Streams the service's changes (WatchChanges): read until it ends.
  std::unique_ptr<ChangeWatch> WatchChanges(
      const common::v1::WatchChangesRequest& request);

  // The stub, for asynchronous calls (the gateway's forwarding).
  v1::AssistanceService::Stub& stub() { return *stub_; }

 private:
  std::unique_ptr<v1::AssistanceService::Stub> stub_;
  CallOptions options_;
};

}  // namespace palermo::assistance

#endif  // PALERMO_SERVICES_ASSISTANCE_CLIENT_ASSISTANCE_CLIENT_H_
