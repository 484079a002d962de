// MakeChannel against fake legislation services on TCP ports in process:
// gRPC accepts the suite's service config (an invalid one would leave a
// lame channel failing every call), a read answered UNAVAILABLE is retried
// and a write is not, calls go round-robin over the addresses of a list,
// whose first address is the authority; ForwardTrailers passes on the
// trailers an answer carries for its caller.
#include "services/common/client.h"

#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "palermo/legislation/v1/legislation.grpc.pb.h"

namespace palermo {
namespace {

namespace lv1 = legislation::v1;

// Answers GetLegislation with its name in `notes` after failing the first
// `failures` calls UNAVAILABLE; fails every CreateLegislation UNAVAILABLE.
class FakeLegislation final : public lv1::LegislationService::Service {
 public:
  explicit FakeLegislation(std::string name) : name_(std::move(name)) {}

  std::atomic<int> failures{0};
  std::atomic<int> reads{0};
  std::atomic<int> writes{0};

  grpc::Status GetLegislation(grpc::ServerContext* context,
                              const lv1::GetLegislationRequest*,
                              lv1::Legislation* out) override {
    ++reads;
    if (failures.fetch_sub(1) > 0) {
      return grpc::Status(grpc::StatusCode::UNAVAILABLE, "not yet");
    }
    out->set_notes(name_);
    const grpc::string_ref authority = context->ExperimentalGetAuthority();
    out->set_name(std::string(authority.data(), authority.size()));
    context->AddTrailingMetadata(kServedByMetadataKey, name_);
    context->AddTrailingMetadata("x-not-for-the-caller", "1");
    return grpc::Status::OK;
  }
  grpc::Status CreateLegislation(grpc::ServerContext* context,
                                 const lv1::CreateLegislationRequest*,
                                 lv1::Legislation*) override {
    ++writes;
    context->AddTrailingMetadata(kChangeSequenceMetadataKey, "7");
    return grpc::Status(grpc::StatusCode::UNAVAILABLE, "try elsewhere");
  }

 private:
  const std::string name_;
};

// A fake on a port of its own.
struct Backend {
  explicit Backend(const std::string& name) : service(name) {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port);
    builder.RegisterService(&service);
    server = builder.BuildAndStart();
  }
  ~Backend() { server->Shutdown(); }
  std::string address() const { return absl::StrCat("127.0.0.1:", port); }

  FakeLegislation service;
  int port = 0;
  std::unique_ptr<grpc::Server> server;
};

std::unique_ptr<lv1::LegislationService::Stub> StubFor(
    const std::string& target) {
  return lv1::LegislationService::NewStub(
      MakeChannel(target, grpc::InsecureChannelCredentials()));
}

std::unique_ptr<grpc::ClientContext> Context() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
  return context;
}

TEST(MakeChannelTest, AReadAnsweredUnavailableIsRetried) {
  Backend backend("one");
  ASSERT_NE(backend.server, nullptr);
  backend.service.failures = 2;
  auto stub = StubFor(backend.address());
  lv1::Legislation got;
  grpc::Status status =
      stub->GetLegislation(Context().get(), lv1::GetLegislationRequest(), &got);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(got.notes(), "one");
  EXPECT_EQ(backend.service.reads, 3);
}

TEST(MakeChannelTest, AWriteIsNeverRetried) {
  Backend backend("one");
  auto stub = StubFor(backend.address());
  lv1::Legislation got;
  grpc::Status status = stub->CreateLegislation(
      Context().get(), lv1::CreateLegislationRequest(), &got);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(backend.service.writes, 1);
}

TEST(MakeChannelTest, CallsGoRoundRobinOverTheAddressesOfAList) {
  Backend first("first");
  Backend second("second");
  auto stub = StubFor(
      absl::StrCat("ipv4:", first.address(), ",", second.address()));
  std::set<std::string> answered;
  std::set<std::string> authorities;
  // Until both have answered (the second may connect a moment later).
  for (int i = 0; i < 200 && answered.size() < 2; ++i) {
    lv1::Legislation got;
    grpc::Status status = stub->GetLegislation(
        Context().get(), lv1::GetLegislationRequest(), &got);
    ASSERT_TRUE(status.ok()) << status.error_message();
    answered.insert(got.notes());
    authorities.insert(got.name());
  }
  EXPECT_THAT(answered, ::testing::ElementsAre("first", "second"));
  // Both connected: the next calls alternate.
  std::string last;
  for (int i = 0; i < 6; ++i) {
    lv1::Legislation got;
    ASSERT_TRUE(stub->GetLegislation(Context().get(),
                                     lv1::GetLegislationRequest(), &got)
                    .ok());
    EXPECT_NE(got.notes(), last);
    last = got.notes();
  }
  // The host certificates are checked against: the first address's.
  EXPECT_THAT(authorities, ::testing::ElementsAre(first.address()));
}

TEST(MakeChannelTest, AnAnswerAsksTheNextReplicaWhenOneIsGone) {
  Backend survivor("survivor");
  auto gone = std::make_unique<Backend>("gone");
  auto stub = StubFor(
      absl::StrCat("ipv4:", gone->address(), ",", survivor.address()));
  std::set<std::string> answered;
  for (int i = 0; i < 200 && answered.size() < 2; ++i) {
    lv1::Legislation got;
    ASSERT_TRUE(stub->GetLegislation(Context().get(),
                                     lv1::GetLegislationRequest(), &got)
                    .ok());
    answered.insert(got.notes());
  }
  ASSERT_EQ(answered.size(), 2u);
  gone.reset();
  for (int i = 0; i < 20; ++i) {
    lv1::Legislation got;
    grpc::Status status = stub->GetLegislation(
        Context().get(), lv1::GetLegislationRequest(), &got);
    ASSERT_TRUE(status.ok()) << i << ": " << status.error_message();
    EXPECT_EQ(got.notes(), "survivor");
  }
}

// Passes a backend's answer on: ForwardTrailers.
class Forwarder final : public lv1::LegislationService::Service {
 public:
  explicit Forwarder(const std::string& backend) : stub_(StubFor(backend)) {}
  grpc::Status GetLegislation(grpc::ServerContext* context,
                              const lv1::GetLegislationRequest* request,
                              lv1::Legislation* out) override {
    grpc::ClientContext outgoing;
    grpc::Status status = stub_->GetLegislation(&outgoing, *request, out);
    ForwardTrailers(outgoing, *context);
    return status;
  }
  grpc::Status CreateLegislation(grpc::ServerContext* context,
                                 const lv1::CreateLegislationRequest* request,
                                 lv1::Legislation* out) override {
    grpc::ClientContext outgoing;
    grpc::Status status = stub_->CreateLegislation(&outgoing, *request, out);
    ForwardTrailers(outgoing, *context);
    return status;
  }

 private:
  std::unique_ptr<lv1::LegislationService::Stub> stub_;
};

std::string Trailer(const grpc::ClientContext& context,
                    const std::string& key) {
  const auto& trailers = context.GetServerTrailingMetadata();
  auto it = trailers.find(key);
  if (it == trailers.end()) return "(none)";
  return std::string(it->second.data(), it->second.size());
}

TEST(ForwardTrailersTest, TheServedByAndChangeSequenceTrailersArePassedOn) {
  Backend backend("backend-1");
  Forwarder forwarder(backend.address());
  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                           &port);
  builder.RegisterService(&forwarder);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  auto stub = StubFor(absl::StrCat("127.0.0.1:", port));

  auto read = Context();
  lv1::Legislation got;
  ASSERT_TRUE(
      stub->GetLegislation(read.get(), lv1::GetLegislationRequest(), &got)
          .ok());
  EXPECT_EQ(Trailer(*read, kServedByMetadataKey), "backend-1");
  EXPECT_EQ(Trailer(*read, "x-not-for-the-caller"), "(none)");

  auto write = Context();
  EXPECT_FALSE(
      stub->CreateLegislation(write.get(), lv1::CreateLegislationRequest(),
                              &got)
          .ok());
  EXPECT_EQ(Trailer(*write, kChangeSequenceMetadataKey), "7");
  server->Shutdown();
}

}  // namespace
}  // namespace palermo
