// The in-process stand-in for the reporting service.
#include "tests/support/fake_reporting.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/common/filter.h"
#include "services/common/status.h"

namespace palermo::test {

absl::StatusOr<std::unique_ptr<FakeReporting>> FakeReporting::Start() {
  std::unique_ptr<FakeReporting> fake(new FakeReporting());
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                           &fake->port_);
  builder.RegisterService(fake.get());
  fake->server_ = builder.BuildAndStart();
  if (fake->server_ == nullptr || fake->port_ == 0) {
    return absl::InternalError("the fake reporting service did not start");
  }
  return fake;
}

FakeReporting::~FakeReporting() { Stop(); }

void FakeReporting::Stop() {
  if (server_ != nullptr) {
    server_->Shutdown();
    server_->Wait();
    server_.reset();
  }
}

std::string FakeReporting::address() const {
  return absl::StrCat("127.0.0.1:", port_);
}

void FakeReporting::SetResponses(
    std::vector<reporting::v1::Response> responses) {
  std::lock_guard<std::mutex> lock(mu_);
  responses_ = std::move(responses);
}

grpc::Status FakeReporting::ListResponses(
    grpc::ServerContext*, const reporting::v1::ListResponsesRequest* request,
    reporting::v1::ListResponsesResponse* page) {
  auto filter = Filter::Compile(request->filter(),
                                reporting::v1::Response::descriptor());
  if (!filter.ok()) return ToGrpcStatus(filter.status());
  const bool every_cycle = request->parent() == "cycles/-";
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& response : responses_) {
    if ((every_cycle ||
         absl::StartsWith(response.name(), request->parent() + "/")) &&
        filter->Matches(response)) {
      *page->add_responses() = response;
    }
  }
  return grpc::Status::OK;
}

grpc::Status FakeReporting::GetCycle(
    grpc::ServerContext*, const reporting::v1::GetCycleRequest* request,
    reporting::v1::Cycle*) {
  return ToGrpcStatus(
      NotFoundError("palermo.reporting.v1.Cycle", request->name()));
}

}  // namespace palermo::test
