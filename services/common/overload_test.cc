// The in-flight limit: its counting, and the interceptor shedding calls of a
// synchronous service (the domain services' API) while health answers.
#include "services/common/overload.h"

#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "palermo/enforcement/v1/enforcement.grpc.pb.h"

namespace palermo {
namespace {

namespace ev1 = enforcement::v1;

TEST(InflightLimiterTest, AdmitsUpToTheLimitAndCountsWhatItSheds) {
  InflightLimiter limiter(2);
  EXPECT_TRUE(limiter.TryAcquire());
  EXPECT_TRUE(limiter.TryAcquire());
  EXPECT_EQ(limiter.in_flight(), 2);
  EXPECT_FALSE(limiter.TryAcquire());
  EXPECT_FALSE(limiter.TryAcquire());
  EXPECT_EQ(limiter.in_flight(), 2);
  limiter.Release();
  EXPECT_EQ(limiter.in_flight(), 1);
  EXPECT_TRUE(limiter.TryAcquire());
  EXPECT_EQ(limiter.TakeShedCount(), 2);
  EXPECT_EQ(limiter.TakeShedCount(), 0);
}

TEST(InflightLimiterTest, ZeroShedsEverything) {
  InflightLimiter limiter(0);
  EXPECT_FALSE(limiter.TryAcquire());
  EXPECT_EQ(limiter.in_flight(), 0);
  EXPECT_EQ(limiter.TakeShedCount(), 1);
}

TEST(InflightLimiterTest, ConcurrentCallersNeverExceedTheLimit) {
  InflightLimiter limiter(3);
  std::atomic<int> admitted{0};
  std::atomic<int> most{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) {
        if (!limiter.TryAcquire()) continue;
        int now = ++admitted;
        int seen = most.load();
        while (now > seen && !most.compare_exchange_weak(seen, now)) {
        }
        --admitted;
        limiter.Release();
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_LE(most.load(), 3);
  EXPECT_EQ(limiter.in_flight(), 0);
}

TEST(OverloadMessageTest, NamesTheProcessTheLimitAndTheFlag) {
  EXPECT_EQ(OverloadMessage("gateway", 7),
            "gateway is overloaded: 7 calls are in flight, the most it takes "
            "(--max_inflight_calls); retry after a backoff");
}

// A synchronous service whose ListIndicators waits until released.
class HeldService final : public ev1::EnforcementService::Service {
 public:
  grpc::Status ListIndicators(grpc::ServerContext* context,
                              const ev1::ListIndicatorsRequest*,
                              ev1::ListIndicatorsResponse*) override {
    absl::MutexLock lock(&mu_);
    if (WasShed(*context)) {  // already answered
      ++shed_;
      return grpc::Status::CANCELLED;
    }
    ++entered_;
    mu_.Await(absl::Condition(&released_));
    return grpc::Status::OK;
  }
  void AwaitEntered(int n) {
    absl::MutexLock lock(&mu_);
    auto reached = [this, n] { return entered_ >= n; };
    mu_.Await(absl::Condition(&reached));
  }
  void AwaitShed(int n) {
    absl::MutexLock lock(&mu_);
    auto reached = [this, n] { return shed_ >= n; };
    mu_.Await(absl::Condition(&reached));
  }
  void Release() {
    absl::MutexLock lock(&mu_);
    released_ = true;
  }

 private:
  absl::Mutex mu_;
  int entered_ = 0;
  int shed_ = 0;
  bool released_ = false;
};

TEST(OverloadInterceptorTest, ShedsSyncCallsBeyondTheLimitButNeverHealth) {
  InflightLimiter limiter(2);
  HeldService service;
  grpc::EnableDefaultHealthCheckService(true);
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                           &port);
  builder.RegisterService(&service);
  std::vector<
      std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
      interceptors;
  interceptors.push_back(
      std::make_unique<OverloadInterceptorFactory>(&limiter, "test"));
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  ASSERT_NE(server, nullptr);
  server->GetHealthCheckService()->SetServingStatus(true);

  auto channel = grpc::CreateChannel(absl::StrCat("127.0.0.1:", port),
                                     grpc::InsecureChannelCredentials());
  auto stub = ev1::EnforcementService::NewStub(channel);
  auto deadline = [] {
    return absl::ToChronoTime(absl::Now() + absl::Seconds(30));
  };

  // Two calls held in their handler fill the limit.
  struct Held {
    grpc::ClientContext context;
    ev1::ListIndicatorsRequest request;
    ev1::ListIndicatorsResponse response;
    absl::Notification done;
    grpc::Status status;
  };
  std::vector<std::unique_ptr<Held>> held;
  for (int i = 0; i < 2; ++i) {
    auto h = std::make_unique<Held>();
    h->context.set_deadline(deadline());
    Held* raw = h.get();
    stub->async()->ListIndicators(&h->context, &h->request, &h->response,
                                  [raw](grpc::Status s) {
                                    raw->status = s;
                                    raw->done.Notify();
                                  });
    held.push_back(std::move(h));
  }
  service.AwaitEntered(2);

  grpc::ClientContext shed_context;
  shed_context.set_deadline(deadline());
  ev1::ListIndicatorsResponse response;
  grpc::Status shed = stub->ListIndicators(
      &shed_context, ev1::ListIndicatorsRequest(), &response);
  EXPECT_EQ(shed.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(shed.error_message(), OverloadMessage("test", 2));
  // Its handler ran, was told, and did nothing.
  service.AwaitShed(1);

  auto health = grpc::health::v1::Health::NewStub(channel);
  grpc::ClientContext health_context;
  health_context.set_deadline(deadline());
  grpc::health::v1::HealthCheckResponse health_response;
  ASSERT_TRUE(health
                  ->Check(&health_context,
                          grpc::health::v1::HealthCheckRequest(),
                          &health_response)
                  .ok());
  EXPECT_EQ(health_response.status(),
            grpc::health::v1::HealthCheckResponse::SERVING);

  service.Release();
  for (auto& h : held) {
    h->done.WaitForNotification();
    EXPECT_TRUE(h->status.ok()) << h->status.error_message();
  }
  EXPECT_EQ(limiter.in_flight(), 0);
  // A client cannot mark its own call shed.
  grpc::ClientContext again;
  again.set_deadline(deadline());
  again.AddMetadata("palermo-internal-shed", "1");
  EXPECT_TRUE(
      stub->ListIndicators(&again, ev1::ListIndicatorsRequest(), &response)
          .ok());
  server->Shutdown();
}

// The slot is free before the caller learns its call is over: at a limit of
// one, a caller's next call is never shed, however quickly it follows.
TEST(OverloadInterceptorTest, ACallersNextCallFindsItsSlotFree) {
  InflightLimiter limiter(1);
  HeldService service;
  service.Release();  // answers at once
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                           &port);
  builder.RegisterService(&service);
  std::vector<
      std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
      interceptors;
  interceptors.push_back(
      std::make_unique<OverloadInterceptorFactory>(&limiter, "test"));
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  ASSERT_NE(server, nullptr);
  auto stub = ev1::EnforcementService::NewStub(grpc::CreateChannel(
      absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials()));
  for (int i = 0; i < 300; ++i) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
    ev1::ListIndicatorsResponse response;
    grpc::Status status =
        stub->ListIndicators(&context, ev1::ListIndicatorsRequest(), &response);
    ASSERT_TRUE(status.ok()) << i << ": " << status.error_message();
    ASSERT_EQ(limiter.in_flight(), 0) << i;
  }
  EXPECT_EQ(limiter.TakeShedCount(), 0);
  server->Shutdown();
}

}  // namespace
}  // namespace palermo
