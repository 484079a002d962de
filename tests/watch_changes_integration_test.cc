// WatchChanges on real processes: every service's feed through the gateway,
// heartbeats with the current sequence, bad requests, and watches ending
// when the client cancels, when the service or the gateway shuts down (at
// once, not after the shutdown grace).
#include <gmock/gmock.h>
#include <google/protobuf/util/time_util.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "palermo/assistance/v1/assistance.grpc.pb.h"
#include "palermo/coordination/v1/coordination.grpc.pb.h"
#include "palermo/enforcement/v1/enforcement.grpc.pb.h"
#include "palermo/legislation/v1/legislation.grpc.pb.h"
#include "palermo/reporting/v1/reporting.grpc.pb.h"
#include "services/common/status.h"
#include "tests/support/service_process.h"
#include "tests/support/watcher.h"

namespace palermo {
namespace {

namespace lv1 = legislation::v1;
using common::v1::WatchChangesRequest;
using palermo::test::Context;
using palermo::test::MakeTempDir;
using palermo::test::ServiceProcess;
using palermo::test::Watcher;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

WatchChangesRequest FromLatest(
    absl::Duration heartbeat = absl::ZeroDuration()) {
  WatchChangesRequest request;
  request.set_from_latest(true);
  if (heartbeat > absl::ZeroDuration()) {
    *request.mutable_heartbeat_interval() =
        google::protobuf::util::TimeUtil::MillisecondsToDuration(
            absl::ToInt64Milliseconds(heartbeat));
  }
  return request;
}

WatchChangesRequest After(int64_t sequence) {
  WatchChangesRequest request;
  request.set_after_sequence(sequence);
  return request;
}

// A watch starting from the latest sequence gets it in a heartbeat at once,
// then a heartbeat every interval.
template <typename Stub>
void ExpectHeartbeats(Stub& stub, const std::string& what) {
  Watcher watcher(stub, FromLatest(absl::Milliseconds(100)));
  auto first = watcher.Next();
  ASSERT_TRUE(first.has_value()) << what << ": " << *watcher.End();
  ASSERT_TRUE(first->has_heartbeat()) << what;
  const int64_t latest = first->heartbeat().current_sequence();
  EXPECT_GE(latest, 0) << what;
  for (int i = 0; i < 2; ++i) {
    auto next = watcher.Next();
    ASSERT_TRUE(next.has_value()) << what;
    ASSERT_TRUE(next->has_heartbeat()) << what;
    EXPECT_EQ(next->heartbeat().current_sequence(), latest) << what;
    EXPECT_GT(next->heartbeat().time().seconds(), 0) << what;
  }
}

class WatchChangesSuiteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto suite = palermo::test::Suite::Start(MakeTempDir());
    ASSERT_TRUE(suite.ok()) << suite.status();
    suite_ = *std::move(suite);
  }
  std::unique_ptr<palermo::test::Suite> suite_;
};

TEST_F(WatchChangesSuiteTest, EveryServiceServesItsFeedThroughTheGateway) {
  auto channel = suite_->gateway->Channel();
  auto legislation = lv1::LegislationService::NewStub(channel);
  ExpectHeartbeats(*legislation, "legislation");
  auto enforcement = enforcement::v1::EnforcementService::NewStub(channel);
  ExpectHeartbeats(*enforcement, "enforcement");
  auto assistance = assistance::v1::AssistanceService::NewStub(channel);
  ExpectHeartbeats(*assistance, "assistance");
  auto coordination = coordination::v1::CoordinationService::NewStub(channel);
  ExpectHeartbeats(*coordination, "coordination");
  auto reporting = reporting::v1::ReportingService::NewStub(channel);
  ExpectHeartbeats(*reporting, "reporting");
}

TEST_F(WatchChangesSuiteTest,
       RefusesNegativeAndFutureSequencesAndBadIntervals) {
  auto stub = lv1::LegislationService::NewStub(suite_->gateway->Channel());
  {
    Watcher negative(*stub, After(-1));
    auto end = negative.End();
    ASSERT_TRUE(end.has_value());
    EXPECT_EQ(end->code(), absl::StatusCode::kInvalidArgument) << *end;
    EXPECT_THAT(BadRequestOf(*end).field_violations(0).field(),
                "after_sequence");
  }
  {
    Watcher future(*stub, After(1000000000));
    auto end = future.End();
    ASSERT_TRUE(end.has_value());
    EXPECT_EQ(end->code(), absl::StatusCode::kInvalidArgument) << *end;
    EXPECT_THAT(end->message(), HasSubstr("after the latest committed"));
  }
  {
    WatchChangesRequest request = FromLatest();
    request.mutable_heartbeat_interval()->set_nanos(1000000);  // 1 ms
    Watcher too_often(*stub, request);
    auto end = too_often.End();
    ASSERT_TRUE(end.has_value());
    EXPECT_EQ(end->code(), absl::StatusCode::kInvalidArgument) << *end;
    EXPECT_EQ(BadRequestOf(*end).field_violations(0).field(),
              "heartbeat_interval");
  }
}

TEST_F(WatchChangesSuiteTest, BackendShutdownEndsTheGatewaysWatchUnavailable) {
  auto stub = lv1::LegislationService::NewStub(suite_->gateway->Channel());
  Watcher watcher(*stub, FromLatest());
  ASSERT_TRUE(watcher.Next().has_value());
  EXPECT_EQ(suite_->legislation->Terminate(), 0);
  auto end = watcher.End();
  ASSERT_TRUE(end.has_value());
  EXPECT_EQ(end->code(), absl::StatusCode::kUnavailable) << *end;
}

// Alone, with a shutdown grace no test would wait for: only watches that
// end at once let the process stop.
TEST(WatchChangesShutdownTest, ServiceShutdownEndsWatchesAtOnce) {
  auto service = ServiceProcess::Start(
      PALERMO_LEGISLATION_SERVER,
      {"--data_dir=" + MakeTempDir(), "--shutdown_grace=1h"});
  ASSERT_TRUE(service.ok()) << service.status();
  auto stub = lv1::LegislationService::NewStub((*service)->Channel());
  Watcher a(*stub, FromLatest());
  Watcher b(*stub, After(0));
  ASSERT_TRUE(a.Next().has_value());
  EXPECT_EQ((*service)->Terminate(), 0);
  for (Watcher* w : {&a, &b}) {
    auto end = w->End();
    ASSERT_TRUE(end.has_value());
    EXPECT_EQ(end->code(), absl::StatusCode::kUnavailable) << *end;
    EXPECT_THAT(end->message(), HasSubstr("shutting down"));
  }
}

TEST(WatchChangesShutdownTest, GatewayShutdownEndsForwardedWatchesAtOnce) {
  const std::string dir = MakeTempDir();
  auto legislation = ServiceProcess::Start(PALERMO_LEGISLATION_SERVER,
                                           {"--data_dir=" + dir + "/l"});
  ASSERT_TRUE(legislation.ok()) << legislation.status();
  auto gateway = ServiceProcess::Start(
      PALERMO_GATEWAY_SERVER,
      {"--shutdown_grace=1h",
       "--legislation_address=" + (*legislation)->address()});
  ASSERT_TRUE(gateway.ok()) << gateway.status();
  auto stub = lv1::LegislationService::NewStub((*gateway)->Channel());
  Watcher watcher(*stub, FromLatest());
  ASSERT_TRUE(watcher.Next().has_value());
  EXPECT_EQ((*gateway)->Terminate(), 0);
  auto end = watcher.End();
  ASSERT_TRUE(end.has_value());
  EXPECT_EQ(end->code(), absl::StatusCode::kUnavailable) << *end;
  EXPECT_THAT(end->message(), HasSubstr("gateway is shutting down"));
  // The backend's watch was cancelled: it serves on.
  auto direct = lv1::LegislationService::NewStub((*legislation)->Channel());
  Watcher again(*direct, FromLatest());
  EXPECT_TRUE(again.Next().has_value());
}

TEST(WatchChangesLimitsTest, WatchesAreBoundedApartFromCallsInFlight) {
  auto service =
      ServiceProcess::Start(PALERMO_LEGISLATION_SERVER,
                            {"--data_dir=" + MakeTempDir(), "--max_watches=2",
                             "--max_inflight_calls=1"});
  ASSERT_TRUE(service.ok()) << service.status();
  auto stub = lv1::LegislationService::NewStub((*service)->Channel());
  auto a = std::make_unique<Watcher>(*stub, FromLatest());
  Watcher b(*stub, FromLatest());
  ASSERT_TRUE(a->Next().has_value());
  ASSERT_TRUE(b.Next().has_value());
  // Two open watches take no call slot: a unary call still runs.
  lv1::GetLegislationRequest get;
  get.set_name("countries/EST/legislation");
  lv1::Legislation legislation;
  EXPECT_EQ(
      stub->GetLegislation(Context().get(), get, &legislation).error_code(),
      grpc::StatusCode::NOT_FOUND);
  {
    Watcher third(*stub, FromLatest());
    auto end = third.End();
    ASSERT_TRUE(end.has_value());
    EXPECT_EQ(end->code(), absl::StatusCode::kResourceExhausted) << *end;
    EXPECT_THAT(end->message(), HasSubstr("--max_watches"));
  }
  // A cancelled watch ends CANCELLED (its place is given back once the
  // service learns it: ChangeFeedTest.BoundsTheNumberOfWatches).
  a->Cancel();
  auto end = a->End();
  ASSERT_TRUE(end.has_value());
  EXPECT_EQ(end->code(), absl::StatusCode::kCancelled) << *end;
}

}  // namespace
}  // namespace palermo
