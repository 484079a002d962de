// The legislation client against a fake service in process: the whole
// collection over every page with its filter, errors kept whole, names.
#include "services/legislation/client/legislation_client.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/common/fake_pages.h"
#include "services/common/status.h"

namespace palermo::legislation {
namespace {

using ::testing::ElementsAre;

class FakeLegislation final : public v1::LegislationService::Service {
 public:
  std::vector<v1::Legislation> records;
  test::Received<v1::ListLegislationsRequest> received;

  grpc::Status ListLegislations(grpc::ServerContext*,
                                const v1::ListLegislationsRequest* request,
                                v1::ListLegislationsResponse* page) override {
    received.Add(*request);
    std::string next;
    grpc::Status status = test::ServePage(
        records, 2, request->page_token(), page->mutable_legislations(), &next);
    page->set_next_page_token(next);
    return status;
  }
  grpc::Status GetLegislation(grpc::ServerContext*,
                              const v1::GetLegislationRequest* request,
                              v1::Legislation*) override {
    return ToGrpcStatus(NotFoundError("palermo.legislation.v1.Legislation",
                                      request->name()));
  }
};

TEST(LegislationClientTest, ListAllLegislationsReadsEveryPageWithTheFilter) {
  FakeLegislation fake;
  for (const char* entity : {"countries/AUT", "countries/BEL", "countries/CZE"})
    fake.records.emplace_back().set_name(LegislationName(entity));
  test::InProcessServer server(&fake);
  LegislationClient client(server.Channel());
  auto all = client.ListAllLegislations("protocol.status = RATIFIED");
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[2].name(), "countries/CZE/legislation");
  std::vector<std::string> tokens;
  for (const auto& sent : fake.received.all()) {
    EXPECT_EQ(sent.filter(), "protocol.status = RATIFIED");
    tokens.push_back(sent.page_token());
  }
  EXPECT_THAT(tokens, ElementsAre("", "2"));
}

TEST(LegislationClientTest, AnErrorKeepsItsCodeMessageAndDetails) {
  FakeLegislation fake;
  test::InProcessServer server(&fake);
  LegislationClient client(server.Channel());
  auto got = client.GetLegislation("countries/EST/legislation");
  EXPECT_EQ(got.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(got.status().message(),
              ::testing::HasSubstr("countries/EST/legislation"));
  EXPECT_TRUE(got.status().GetPayload(kResourceInfoTypeUrl).has_value());
}

TEST(LegislationClientTest, NamesRoundTrip) {
  EXPECT_EQ(LegislationName("countries/EST"), "countries/EST/legislation");
  absl::string_view entity;
  ASSERT_TRUE(EntityOfLegislationName("organizations/LAS/legislation", &entity));
  EXPECT_EQ(entity, "organizations/LAS");
  EXPECT_FALSE(EntityOfLegislationName("countries/EST", &entity));
}

}  // namespace
}  // namespace palermo::legislation
