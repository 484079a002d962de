// The assistance client against a fake service in process: the measures
// of an entity over every page, with parent and filter; names.
#include "services/assistance/client/assistance_client.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/common/fake_pages.h"

namespace palermo::assistance {
namespace {

using ::testing::ElementsAre;

class FakeAssistance final : public v1::AssistanceService::Service {
 public:
  std::vector<v1::Measure> measures;
  test::Received<v1::ListMeasuresRequest> received;

  grpc::Status ListMeasures(grpc::ServerContext*,
                            const v1::ListMeasuresRequest* request,
                            v1::ListMeasuresResponse* page) override {
    received.Add(*request);
    std::string next;
    grpc::Status status = test::ServePage(measures, 2, request->page_token(),
                                          page->mutable_measures(), &next);
    page->set_next_page_token(next);
    return status;
  }
};

TEST(AssistanceClientTest, ListAllMeasuresReadsEveryPage) {
  FakeAssistance fake;
  for (const char* id : {"hotline", "legal-aid", "shelters", "visas"})
    fake.measures.emplace_back().set_name(MeasureName("countries/EST", id));
  test::InProcessServer server(&fake);
  AssistanceClient client(server.Channel());
  auto all = client.ListAllMeasures(kEveryEntity, "type = \"SHELTER\"");
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->size(), 4u);
  EXPECT_EQ((*all)[3].name(), "countries/EST/measures/visas");
  std::vector<std::string> tokens;
  for (const auto& sent : fake.received.all()) {
    EXPECT_EQ(sent.parent(), "-");
    EXPECT_EQ(sent.filter(), "type = \"SHELTER\"");
    tokens.push_back(sent.page_token());
  }
  EXPECT_THAT(tokens, ElementsAre("", "2"));
}

TEST(AssistanceClientTest, AnUnavailableServiceIsUnavailable) {
  AssistanceClient client(grpc::CreateChannel(
      "unix:" + ::testing::TempDir() + "/no-such-socket",
      grpc::InsecureChannelCredentials()));
  auto all = client.ListAllMeasures("countries/EST");
  EXPECT_EQ(all.status().code(), absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace palermo::assistance
