// The reporting client against a fake service in process: responses of
// every cycle filtered on an entity, a cycle's narrative blocks and the
// cycles, over every page; GetCycle; names.
#include "services/reporting/client/reporting_client.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/common/fake_pages.h"
#include "services/common/filter.h"
#include "services/common/status.h"

namespace palermo::reporting {
namespace {

using ::testing::ElementsAre;

class FakeReporting final : public v1::ReportingService::Service {
 public:
  std::vector<v1::Response> responses;
  std::vector<v1::NarrativeBlock> blocks;
  std::vector<v1::Cycle> cycles;
  test::Received<v1::ListResponsesRequest> received_responses;
  test::Received<v1::ListNarrativeBlocksRequest> received_blocks;

  grpc::Status ListResponses(grpc::ServerContext*,
                             const v1::ListResponsesRequest* request,
                             v1::ListResponsesResponse* page) override {
    received_responses.Add(*request);
    std::string next;
    grpc::Status status = test::ServePage(responses, 2, request->page_token(),
                                          page->mutable_responses(), &next);
    page->set_next_page_token(next);
    return status;
  }
  grpc::Status ListNarrativeBlocks(
      grpc::ServerContext*, const v1::ListNarrativeBlocksRequest* request,
      v1::ListNarrativeBlocksResponse* page) override {
    received_blocks.Add(*request);
    std::string next;
    grpc::Status status = test::ServePage(
        blocks, 2, request->page_token(), page->mutable_narrative_blocks(), &next);
    page->set_next_page_token(next);
    return status;
  }
  grpc::Status ListCycles(grpc::ServerContext*,
                          const v1::ListCyclesRequest* request,
                          v1::ListCyclesResponse* page) override {
    std::string next;
    grpc::Status status = test::ServePage(cycles, 1, request->page_token(),
                                          page->mutable_cycles(), &next);
    page->set_next_page_token(next);
    return status;
  }
  grpc::Status GetCycle(grpc::ServerContext*,
                        const v1::GetCycleRequest* request,
                        v1::Cycle* cycle) override {
    if (request->name() != "cycles/ccpcj-17") {
      return ToGrpcStatus(
          NotFoundError("palermo.reporting.v1.Cycle", request->name()));
    }
    cycle->set_name(request->name());
    cycle->set_session_number(17);
    return grpc::Status::OK;
  }
};

class ReportingClientTest : public ::testing::Test {
 protected:
  FakeReporting fake_;
  test::InProcessServer server_{&fake_};
  ReportingClient client_{server_.Channel()};
};

TEST_F(ReportingClientTest, ListAllResponsesOfAnEntityInEveryCycle) {
  for (const char* cycle : {"a", "b", "c", "d", "e"}) {
    fake_.responses.emplace_back().set_name(
        ResponseName(CycleName(cycle), "EST"));
  }
  auto all = client_.ListAllResponses(
      kEveryCycle, ResponsesOfEntityFilter("countries/EST"));
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->size(), 5u);
  EXPECT_EQ((*all)[4].name(), "cycles/e/responses/EST");
  std::vector<std::string> tokens;
  for (const auto& sent : fake_.received_responses.all()) {
    EXPECT_EQ(sent.parent(), "cycles/-");
    EXPECT_EQ(sent.filter(), R"(entity = "countries/EST")");
    tokens.push_back(sent.page_token());
  }
  EXPECT_THAT(tokens, ElementsAre("", "2", "4"));
}

TEST_F(ReportingClientTest, ListAllNarrativeBlocksOfACycle) {
  for (const char* id : {"intro-1", "intro-2", "results-1"}) {
    fake_.blocks.emplace_back().set_name(
        NarrativeBlockName("cycles/ccpcj-17", id));
  }
  auto all = client_.ListAllNarrativeBlocks("cycles/ccpcj-17");
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[2].name(), "cycles/ccpcj-17/narrativeBlocks/results-1");
  for (const auto& sent : fake_.received_blocks.all()) {
    EXPECT_EQ(sent.parent(), "cycles/ccpcj-17");
    EXPECT_EQ(sent.filter(), "");
  }
  EXPECT_EQ(fake_.received_blocks.all().size(), 2u);
}

TEST_F(ReportingClientTest, ListAllCyclesAndGetCycle) {
  fake_.cycles.emplace_back().set_name("cycles/a");
  fake_.cycles.emplace_back().set_name("cycles/b");
  auto all = client_.ListAllCycles();
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[1].name(), "cycles/b");

  auto cycle = client_.GetCycle(CycleName("ccpcj-17"));
  ASSERT_TRUE(cycle.ok()) << cycle.status();
  EXPECT_EQ(cycle->session_number(), 17);
  EXPECT_EQ(client_.GetCycle("cycles/none").status().code(),
            absl::StatusCode::kNotFound);
}

TEST(ReportingNamesTest, TheEntityFilterQuotesTheName) {
  EXPECT_EQ(ResponsesOfEntityFilter("organizations/LAS"),
            R"(entity = "organizations/LAS")");
  EXPECT_EQ(ResponsesOfEntityFilter(R"(a"b)"), R"(entity = "a\"b")");
}

}  // namespace
}  // namespace palermo::reporting
