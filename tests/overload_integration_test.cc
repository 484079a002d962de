// Load shedding at the gateway, a real process: with --max_inflight_calls=N
// and N calls held open, the next call is answered RESOURCE_EXHAUSTED at
// once with a message, health still answers SERVING, and once the held calls
// finish, calls succeed again. The held calls are client streams
// (ImportObservations) forwarded to an in-test enforcement backend, which
// tells the test when each has arrived: no sleeps, no timing.
// The transport limits too: with --max_concurrent_streams=N, a connection
// holding N streams gets no more (another connection does) until one ends;
// a message over --max_receive_message_bytes is refused.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "palermo/enforcement/v1/enforcement.grpc.pb.h"
#include "palermo/gateway/v1/gateway.grpc.pb.h"
#include "tests/support/service_process.h"

namespace palermo {
namespace {

namespace ev1 = enforcement::v1;
using palermo::test::Context;
using palermo::test::ServiceProcess;
using palermo::test::TestServerCredentials;

// An enforcement backend whose imports stay open until the caller
// half-closes them, counting the imports that reached it.
class FakeEnforcement final : public ev1::EnforcementService::CallbackService {
 public:
  grpc::ServerReadReactor<ev1::ImportObservationsRequest>* ImportObservations(
      grpc::CallbackServerContext*, ev1::ImportObservationsResponse*) override {
    {
      absl::MutexLock lock(&mu_);
      ++imports_;
    }
    return new Import();
  }
  grpc::ServerUnaryReactor* ListIndicators(
      grpc::CallbackServerContext* context, const ev1::ListIndicatorsRequest*,
      ev1::ListIndicatorsResponse* response) override {
    response->add_indicators()->set_code("CASES_INVESTIGATED");
    auto* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }
  void AwaitImports(int n) {
    absl::MutexLock lock(&mu_);
    auto reached = [this, n] { return imports_ >= n; };
    mu_.Await(absl::Condition(&reached));
  }

 private:
  class Import
      : public grpc::ServerReadReactor<ev1::ImportObservationsRequest> {
   public:
    Import() { StartRead(&message_); }
    void OnReadDone(bool ok) override {
      if (ok) {
        StartRead(&message_);
      } else {
        Finish(grpc::Status::OK);
      }
    }
    void OnDone() override { delete this; }

   private:
    ev1::ImportObservationsRequest message_;
  };

  absl::Mutex mu_;
  int imports_ = 0;
};

// A gateway in front of FakeEnforcement.
class GatewayOnFakeBackend : public ::testing::Test {
 protected:
  // Starts the backend and the gateway with `args`.
  void StartGateway(std::vector<std::string> args) {
    grpc::ServerBuilder builder;
    // Mutual TLS, as the gateway calls a real service.
    builder.AddListeningPort("127.0.0.1:0", TestServerCredentials("enforcement"),
                             &backend_port_);
    builder.RegisterService(&backend_);
    backend_server_ = builder.BuildAndStart();
    ASSERT_NE(backend_server_, nullptr);
    const std::string backend = absl::StrCat("127.0.0.1:", backend_port_);
    for (const char* service :
         {"legislation", "enforcement", "assistance", "coordination"}) {
      args.push_back(absl::StrCat("--", service, "_address=", backend));
    }
    auto gateway = ServiceProcess::Start(PALERMO_GATEWAY_SERVER, args);
    ASSERT_TRUE(gateway.ok()) << gateway.status();
    gateway_ = *std::move(gateway);
  }
  void TearDown() override {
    gateway_.reset();
    if (backend_server_) backend_server_->Shutdown();
  }

  FakeEnforcement backend_;
  int backend_port_ = 0;
  std::unique_ptr<grpc::Server> backend_server_;
  std::unique_ptr<ServiceProcess> gateway_;
};

class OverloadIntegrationTest : public GatewayOnFakeBackend {
 protected:
  static constexpr int kLimit = 3;
  void SetUp() override {
    StartGateway({absl::StrCat("--max_inflight_calls=", kLimit)});
  }
};

struct HeldImport {
  std::unique_ptr<grpc::ClientContext> context = Context();
  ev1::ImportObservationsResponse response;
  std::unique_ptr<grpc::ClientWriter<ev1::ImportObservationsRequest>> writer;
};

TEST_F(OverloadIntegrationTest, ShedsCallsBeyondTheLimitAndRecovers) {
  auto channel = gateway_->Channel();
  auto enforcement = ev1::EnforcementService::NewStub(channel);
  auto gateway = gateway::v1::GatewayService::NewStub(channel);
  auto health = grpc::health::v1::Health::NewStub(channel);

  // kLimit imports, never half-closed, hold every slot of the gateway.
  std::vector<std::unique_ptr<HeldImport>> held;
  for (int i = 0; i < kLimit; ++i) {
    auto h = std::make_unique<HeldImport>();
    h->writer = enforcement->ImportObservations(h->context.get(), &h->response);
    held.push_back(std::move(h));
  }
  backend_.AwaitImports(kLimit);

  // The next call, of any method, is shed at once with a message.
  gateway::v1::CountryProfile profile;
  gateway::v1::GetCountryProfileRequest get;
  get.set_name("countries/EST");
  grpc::Status shed =
      gateway->GetCountryProfile(Context().get(), get, &profile);
  EXPECT_EQ(shed.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(shed.error_message(),
            "gateway is overloaded: 3 calls are in flight, the most it takes "
            "(--max_inflight_calls); retry after a backoff");
  ev1::ListIndicatorsResponse indicators;
  EXPECT_EQ(enforcement
                ->ListIndicators(Context().get(), ev1::ListIndicatorsRequest(),
                                 &indicators)
                .error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);
  // A shed stream too.
  HeldImport extra;
  extra.writer =
      enforcement->ImportObservations(extra.context.get(), &extra.response);
  extra.writer->WritesDone();
  EXPECT_EQ(extra.writer->Finish().error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);

  // Health is never shed.
  grpc::health::v1::HealthCheckResponse serving;
  ASSERT_TRUE(health
                  ->Check(Context().get(),
                          grpc::health::v1::HealthCheckRequest(), &serving)
                  .ok());
  EXPECT_EQ(serving.status(), grpc::health::v1::HealthCheckResponse::SERVING);

  // Once the held calls end, their slots are free again.
  for (auto& h : held) {
    h->writer->WritesDone();
    grpc::Status status = h->writer->Finish();
    EXPECT_TRUE(status.ok()) << status.error_message();
  }
  for (int i = 0; i < kLimit + 1; ++i) {
    grpc::Status status = enforcement->ListIndicators(
        Context().get(), ev1::ListIndicatorsRequest(), &indicators);
    EXPECT_TRUE(status.ok()) << status.error_message();
  }
}

using TransportLimitsTest = GatewayOnFakeBackend;

TEST_F(TransportLimitsTest, AConnectionGetsNoMoreStreamsThanTheLimit) {
  constexpr int kStreams = 2;
  ASSERT_NO_FATAL_FAILURE(
      StartGateway({absl::StrCat("--max_concurrent_streams=", kStreams)}));
  auto channel = gateway_->Channel();
  auto enforcement = ev1::EnforcementService::NewStub(channel);
  std::vector<std::unique_ptr<HeldImport>> held;
  for (int i = 0; i < kStreams; ++i) {
    auto h = std::make_unique<HeldImport>();
    h->writer = enforcement->ImportObservations(h->context.get(), &h->response);
    held.push_back(std::move(h));
  }
  backend_.AwaitImports(kStreams);

  // One more stream on this connection waits for a free one: it is not
  // sent before its deadline.
  ev1::ListIndicatorsResponse indicators;
  grpc::ClientContext waiting;
  waiting.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::milliseconds(500));
  EXPECT_EQ(enforcement
                ->ListIndicators(&waiting, ev1::ListIndicatorsRequest(),
                                 &indicators)
                .error_code(),
            grpc::StatusCode::DEADLINE_EXCEEDED);
  // Another connection is not held up.
  grpc::ChannelArguments own_connection;
  own_connection.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  auto other = ev1::EnforcementService::NewStub(grpc::CreateCustomChannel(
      gateway_->address(), grpc::InsecureChannelCredentials(),
      own_connection));
  grpc::Status status = other->ListIndicators(
      Context().get(), ev1::ListIndicatorsRequest(), &indicators);
  EXPECT_TRUE(status.ok()) << status.error_message();

  // Once a held stream ends, the connection takes a call again.
  held[0]->writer->WritesDone();
  status = held[0]->writer->Finish();
  EXPECT_TRUE(status.ok()) << status.error_message();
  status = enforcement->ListIndicators(Context().get(),
                                       ev1::ListIndicatorsRequest(),
                                       &indicators);
  EXPECT_TRUE(status.ok()) << status.error_message();
  held[1]->writer->WritesDone();
  EXPECT_TRUE(held[1]->writer->Finish().ok());
}

TEST_F(TransportLimitsTest, AMessageOverTheSizeLimitIsRefused) {
  ASSERT_NO_FATAL_FAILURE(StartGateway({"--max_receive_message_bytes=1024"}));
  auto enforcement = ev1::EnforcementService::NewStub(gateway_->Channel());
  ev1::ListIndicatorsResponse indicators;
  ev1::ListIndicatorsRequest large;
  large.set_page_token(std::string(2000, 'x'));
  grpc::Status status =
      enforcement->ListIndicators(Context().get(), large, &indicators);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED)
      << status.error_message();
  ev1::ListIndicatorsRequest small;
  small.set_page_token(std::string(500, 'x'));
  status = enforcement->ListIndicators(Context().get(), small, &indicators);
  EXPECT_TRUE(status.ok()) << status.error_message();
}

}  // namespace
}  // namespace palermo
