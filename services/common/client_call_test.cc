// CallUnary and ListAll against a fake legislation service in process:
// deadlines, the bearer token, errors kept whole, paging to the last page, and the
// sequence a write's trailer tells.
#include "services/common/client_call.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/synchronization/notification.h"
#include "palermo/legislation/v1/legislation.grpc.pb.h"
#include "services/common/client.h"
#include "services/common/fake_pages.h"

namespace palermo {
namespace {

namespace lv1 = legislation::v1;
using Stub = lv1::LegislationService::Stub;
using ::testing::ElementsAre;

class FakeLegislation final : public lv1::LegislationService::Service {
 public:
  // Five records, served two a page.
  std::vector<lv1::Legislation> records = [] {
    std::vector<lv1::Legislation> all;
    for (const char* code : {"AUT", "BEL", "CZE", "DNK", "EST"}) {
      all.emplace_back().set_name(std::string("countries/") + code +
                                  "/legislation");
    }
    return all;
  }();
  // A page token the fake fails on, with a rich error.
  std::string failing_token;
  // Answer every page with the token sent, never the next.
  bool stuck = false;
  test::Received<lv1::ListLegislationsRequest> received;
  // GetLegislation of "slow" answers only once this is notified.
  absl::Notification release;

  grpc::Status ListLegislations(grpc::ServerContext*,
                                const lv1::ListLegislationsRequest* request,
                                lv1::ListLegislationsResponse* page) override {
    received.Add(*request);
    if (!failing_token.empty() && request->page_token() == failing_token) {
      return ToGrpcStatus(InvalidField("filter", "no such field"));
    }
    std::string next;
    grpc::Status status = test::ServePage(
        records, 2, request->page_token(), page->mutable_legislations(), &next);
    if (stuck) next = request->page_token().empty() ? "2" : request->page_token();
    page->set_next_page_token(next);
    return status;
  }
  grpc::Status GetLegislation(grpc::ServerContext* context,
                              const lv1::GetLegislationRequest* request,
                              lv1::Legislation* out) override {
    if (request->name() == "slow") {
      release.WaitForNotificationWithTimeout(absl::Seconds(60));
    }
    out->set_name(request->name());
    auto it = context->client_metadata().find("authorization");
    if (it != context->client_metadata().end()) {
      out->set_notes(std::string(it->second.data(), it->second.size()));
    }
    return grpc::Status::OK;
  }
  // A write: its change's sequence in the trailers, 42, unless the request
  // id says "silent"; "refused" fails (trailer and all).
  grpc::Status CreateLegislation(grpc::ServerContext* context,
                                 const lv1::CreateLegislationRequest* request,
                                 lv1::Legislation* out) override {
    if (request->request_id() != "silent") {
      context->AddTrailingMetadata(kChangeSequenceMetadataKey, "42");
    }
    if (request->request_id() == "refused") {
      return grpc::Status(grpc::StatusCode::ABORTED, "changed concurrently");
    }
    out->set_name(request->parent() + "/legislation");
    return grpc::Status::OK;
  }
  grpc::Status DeleteLegislation(grpc::ServerContext* context,
                                 const lv1::DeleteLegislationRequest*,
                                 google::protobuf::Empty*) override {
    context->AddTrailingMetadata(kChangeSequenceMetadataKey, "43");
    return grpc::Status::OK;
  }
};

std::vector<std::string> Names(const std::vector<lv1::Legislation>& all) {
  std::vector<std::string> names;
  for (const auto& l : all) names.push_back(l.name());
  return names;
}

auto Items() {
  return [](lv1::ListLegislationsResponse& page) {
    return page.mutable_legislations();
  };
}

class ClientCallTest : public ::testing::Test {
 protected:
  FakeLegislation fake_;
  test::InProcessServer server_{&fake_};
  std::unique_ptr<Stub> stub_ =
      lv1::LegislationService::NewStub(server_.Channel());
};

TEST_F(ClientCallTest, ListAllFollowsEveryPageWithTheSameQuery) {
  lv1::ListLegislationsRequest request;
  request.set_filter("protocol.status = RATIFIED");
  request.set_page_token("stale");  // replaced: from the first page
  auto all = ListAll(*stub_, &Stub::ListLegislations, request, Items(), {});
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_THAT(Names(*all), ElementsAre("countries/AUT/legislation",
                                       "countries/BEL/legislation",
                                       "countries/CZE/legislation",
                                       "countries/DNK/legislation",
                                       "countries/EST/legislation"));
  std::vector<std::string> tokens;
  for (const auto& sent : fake_.received.all()) {
    tokens.push_back(sent.page_token());
    EXPECT_EQ(sent.filter(), "protocol.status = RATIFIED");
    EXPECT_EQ(sent.page_size(), kMaxPageSize);
  }
  EXPECT_THAT(tokens, ElementsAre("", "2", "4"));
}

TEST_F(ClientCallTest, ListAllOfAnEmptyCollectionIsOneCall) {
  fake_.records.clear();
  auto all = ListAll(*stub_, &Stub::ListLegislations,
                     lv1::ListLegislationsRequest(), Items(), {});
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_TRUE(all->empty());
  EXPECT_EQ(fake_.received.all().size(), 1u);
}

TEST_F(ClientCallTest, AFailedPageFailsTheWholeListWithItsCodeAndDetails) {
  fake_.failing_token = "2";
  auto all = ListAll(*stub_, &Stub::ListLegislations,
                     lv1::ListLegislationsRequest(), Items(), {});
  ASSERT_EQ(all.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(all.status().message(), ::testing::HasSubstr("no such field"));
  ASSERT_EQ(BadRequestOf(all.status()).field_violations_size(), 1);
  EXPECT_EQ(BadRequestOf(all.status()).field_violations(0).field(), "filter");
}

TEST_F(ClientCallTest, ATokenThatRepeatsIsAnErrorNotALoop) {
  fake_.stuck = true;
  auto all = ListAll(*stub_, &Stub::ListLegislations,
                     lv1::ListLegislationsRequest(), Items(), {});
  EXPECT_EQ(all.status().code(), absl::StatusCode::kInternal);
  EXPECT_EQ(fake_.received.all().size(), 2u);
}

TEST_F(ClientCallTest, CallUnarySendsTheBearerToken) {
  lv1::GetLegislationRequest request;
  request.set_name("countries/EST/legislation");
  CallOptions options;
  options.bearer_token = "header.claims.signature";
  auto got = CallUnary(*stub_, &Stub::GetLegislation, request, options);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->name(), "countries/EST/legislation");
  EXPECT_EQ(got->notes(), "Bearer header.claims.signature");
}

TEST_F(ClientCallTest, CallUnaryHasTheOptionsDeadline) {
  CallOptions options;
  options.timeout = absl::Milliseconds(200);
  lv1::GetLegislationRequest request;
  request.set_name("slow");  // answers only once released
  auto got = CallUnary(*stub_, &Stub::GetLegislation, request, options);
  fake_.release.Notify();
  EXPECT_EQ(got.status().code(), absl::StatusCode::kDeadlineExceeded);
}

TEST_F(ClientCallTest, AWriteTellsTheSequenceOfItsChangeIfAsked) {
  lv1::CreateLegislationRequest request;
  request.set_parent("countries/EST");
  int64_t sequence = -1;
  auto created =
      CallUnary(*stub_, &Stub::CreateLegislation, request, {}, &sequence);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(sequence, 42);
  EXPECT_TRUE(CallUnary(*stub_, &Stub::CreateLegislation, request, {}).ok());
  // A service that does not say: 0.
  request.set_request_id("silent");
  ASSERT_TRUE(
      CallUnary(*stub_, &Stub::CreateLegislation, request, {}, &sequence).ok());
  EXPECT_EQ(sequence, 0);
  // A failed write tells nothing.
  sequence = -1;
  request.set_request_id("refused");
  EXPECT_EQ(CallUnary(*stub_, &Stub::CreateLegislation, request, {}, &sequence)
                .status()
                .code(),
            absl::StatusCode::kAborted);
  EXPECT_EQ(sequence, -1);
  lv1::DeleteLegislationRequest del;
  ASSERT_TRUE(
      CallEmpty(*stub_, &Stub::DeleteLegislation, del, {}, &sequence).ok());
  EXPECT_EQ(sequence, 43);
}

}  // namespace
}  // namespace palermo
