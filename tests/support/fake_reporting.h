// Test support: until the reporting server runs in the suite, an in-process
// stand-in for palermo.reporting.v1.ReportingService on a port of its own
// (port 0), for the gateway to forward to. It serves the responses a test
// gives it through ListResponses (parent `cycles/-` or the cycle, AIP-160
// filter), answers NOT_FOUND (with its ResourceInfo) to GetCycle, and
// UNIMPLEMENTED to every other method.
#ifndef PALERMO_TESTS_SUPPORT_FAKE_REPORTING_H_
#define PALERMO_TESTS_SUPPORT_FAKE_REPORTING_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "palermo/reporting/v1/reporting.grpc.pb.h"

namespace palermo::test {

class FakeReporting final : public reporting::v1::ReportingService::Service {
 public:
  static absl::StatusOr<std::unique_ptr<FakeReporting>> Start();
  ~FakeReporting() override;

  std::string address() const;
  // The responses served, replacing any before; each needs name and entity.
  void SetResponses(std::vector<reporting::v1::Response> responses);
  // Stops serving: calls to the address fail from now on.
  void Stop();

  grpc::Status ListResponses(
      grpc::ServerContext* context,
      const reporting::v1::ListResponsesRequest* request,
      reporting::v1::ListResponsesResponse* page) override;
  grpc::Status GetCycle(grpc::ServerContext* context,
                        const reporting::v1::GetCycleRequest* request,
                        reporting::v1::Cycle* cycle) override;

 private:
  FakeReporting() = default;

  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  std::mutex mu_;
  std::vector<reporting::v1::Response> responses_;
};

}  // namespace palermo::test

#endif  // PALERMO_TESTS_SUPPORT_FAKE_REPORTING_H_
