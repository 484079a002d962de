// The enforcement client against a fake service in process: indicators and
// observations over every page, with parent and filter; one atomic import
// of several messages.
#include "services/enforcement/client/enforcement_client.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/common/fake_pages.h"

namespace palermo::enforcement {
namespace {

using ::testing::ElementsAre;

class FakeEnforcement final : public v1::EnforcementService::Service {
 public:
  std::vector<v1::Observation> observations;
  std::vector<v1::Indicator> indicators;
  test::Received<v1::ListObservationsRequest> received;

  grpc::Status ListObservations(grpc::ServerContext*,
                                const v1::ListObservationsRequest* request,
                                v1::ListObservationsResponse* page) override {
    received.Add(*request);
    std::string next;
    grpc::Status status =
        test::ServePage(observations, 2, request->page_token(),
                        page->mutable_observations(), &next);
    page->set_next_page_token(next);
    return status;
  }
  grpc::Status ListIndicators(grpc::ServerContext*,
                              const v1::ListIndicatorsRequest* request,
                              v1::ListIndicatorsResponse* page) override {
    std::string next;
    grpc::Status status = test::ServePage(
        indicators, 1, request->page_token(), page->mutable_indicators(), &next);
    page->set_next_page_token(next);
    return status;
  }
  grpc::Status ImportObservations(
      grpc::ServerContext*,
      grpc::ServerReader<v1::ImportObservationsRequest>* reader,
      v1::ImportObservationsResponse* response) override {
    v1::ImportObservationsRequest message;
    while (reader->Read(&message)) {
      response->set_received(response->received() +
                             message.observations_size());
    }
    return grpc::Status::OK;
  }
};

TEST(EnforcementClientTest, ListAllObservationsReadsEveryPage) {
  FakeEnforcement fake;
  for (int i = 0; i < 5; ++i) {
    fake.observations.emplace_back().set_name("countries/EST/observations/" +
                                              std::to_string(i));
  }
  test::InProcessServer server(&fake);
  EnforcementClient client(server.Channel());
  auto all = client.ListAllObservations("countries/EST", "value > 3");
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->size(), 5u);
  EXPECT_EQ((*all)[4].name(), "countries/EST/observations/4");
  std::vector<std::string> tokens;
  for (const auto& sent : fake.received.all()) {
    EXPECT_EQ(sent.parent(), "countries/EST");
    EXPECT_EQ(sent.filter(), "value > 3");
    tokens.push_back(sent.page_token());
  }
  EXPECT_THAT(tokens, ElementsAre("", "2", "4"));
}

TEST(EnforcementClientTest, ListAllIndicatorsReadsEveryPage) {
  FakeEnforcement fake;
  for (const char* code : {"CASES_INVESTIGATED", "PERSONS_CONVICTED"})
    fake.indicators.emplace_back().set_code(code);
  test::InProcessServer server(&fake);
  EnforcementClient client(server.Channel());
  auto all = client.ListAllIndicators();
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[1].code(), "PERSONS_CONVICTED");
  EXPECT_EQ(IndicatorName("PERSONS_CONVICTED"), "indicators/PERSONS_CONVICTED");
}

TEST(EnforcementClientTest, ImportSendsEveryMessageOnOneStream) {
  FakeEnforcement fake;
  test::InProcessServer server(&fake);
  EnforcementClient client(server.Channel());
  std::vector<v1::ImportObservationsRequest> messages(3);
  messages[0].add_observations();
  messages[2].add_observations();
  messages[2].add_observations();
  auto response = client.ImportObservations(messages);
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->received(), 3);
}

}  // namespace
}  // namespace palermo::enforcement
