// The coordination client against a fake service in process: each of the
// seven collections over every page, with parent and filter.
#include "services/coordination/client/coordination_client.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/common/fake_pages.h"

namespace palermo::coordination {
namespace {

// Three records per collection, two a page; every request is kept.
#define PALERMO_FAKE_LIST(T, Ts, field)                                     \
 public:                                                                    \
  test::Received<v1::List##Ts##Request> received_##field;                   \
  grpc::Status List##Ts(grpc::ServerContext*,                               \
                        const v1::List##Ts##Request* request,               \
                        v1::List##Ts##Response* page) override {            \
    received_##field.Add(*request);                                         \
    std::vector<v1::T> records(3);                                          \
    for (size_t i = 0; i < records.size(); ++i)                             \
      records[i].set_name(#field + std::to_string(i));                      \
    std::string next;                                                       \
    grpc::Status status = test::ServePage(records, 2, request->page_token(), \
                                          page->mutable_##field(), &next);  \
    page->set_next_page_token(next);                                        \
    return status;                                                          \
  }

class FakeCoordination final : public v1::CoordinationService::Service {
  PALERMO_FAKE_LIST(CoordinationBody, CoordinationBodies, coordination_bodies)
  PALERMO_FAKE_LIST(ActionPlan, ActionPlans, action_plans)
  PALERMO_FAKE_LIST(ReferralMechanism, ReferralMechanisms, referral_mechanisms)
  PALERMO_FAKE_LIST(TrainingActivity, TrainingActivities, training_activities)
  PALERMO_FAKE_LIST(AwarenessCampaign, AwarenessCampaigns, awareness_campaigns)
  PALERMO_FAKE_LIST(CooperationActivity, CooperationActivities,
                    cooperation_activities)
  PALERMO_FAKE_LIST(InterAgencyGroup, InterAgencyGroups, inter_agency_groups)
};
#undef PALERMO_FAKE_LIST

class CoordinationClientTest : public ::testing::Test {
 protected:
  FakeCoordination fake_;
  test::InProcessServer server_{&fake_};
  CoordinationClient client_{server_.Channel()};
};

// Every record, in order, and each page asked with `parent` and `filter`.
#define PALERMO_EXPECT_LIST_ALL(Ts, field, ...)                    \
  {                                                                \
    auto all = client_.ListAll##Ts(__VA_ARGS__);                   \
    ASSERT_TRUE(all.ok()) << all.status();                         \
    ASSERT_EQ(all->size(), 3u) << #Ts;                             \
    EXPECT_EQ((*all)[2].name(), #field "2");                       \
    auto sent = fake_.received_##field.all();                      \
    ASSERT_EQ(sent.size(), 2u) << #Ts;                             \
    EXPECT_EQ(sent[1].page_token(), "2");                          \
    for (const auto& request : sent) EXPECT_EQ(request.filter(), "f"); \
  }

TEST_F(CoordinationClientTest, EveryCollectionIsReadWhole) {
  PALERMO_EXPECT_LIST_ALL(CoordinationBodies, coordination_bodies,
                          "countries/HUN", "f")
  PALERMO_EXPECT_LIST_ALL(ActionPlans, action_plans, "countries/HUN", "f")
  PALERMO_EXPECT_LIST_ALL(ReferralMechanisms, referral_mechanisms,
                          "countries/HUN", "f")
  PALERMO_EXPECT_LIST_ALL(TrainingActivities, training_activities,
                          kEveryEntity, "f")
  PALERMO_EXPECT_LIST_ALL(AwarenessCampaigns, awareness_campaigns,
                          kEveryEntity, "f")
  PALERMO_EXPECT_LIST_ALL(CooperationActivities, cooperation_activities,
                          kEveryEntity, "f")
  PALERMO_EXPECT_LIST_ALL(InterAgencyGroups, inter_agency_groups, "f")
  for (const auto& request : fake_.received_action_plans.all())
    EXPECT_EQ(request.parent(), "countries/HUN");
  for (const auto& request : fake_.received_training_activities.all())
    EXPECT_EQ(request.parent(), "-");
}
#undef PALERMO_EXPECT_LIST_ALL

TEST(CoordinationNamesTest, Names) {
  EXPECT_EQ(EntityRecordName("countries/HUN", kActionPlans, "nap-2008"),
            "countries/HUN/actionPlans/nap-2008");
  EXPECT_EQ(InterAgencyGroupName("icat"), "interAgencyGroups/icat");
}

}  // namespace
}  // namespace palermo::coordination
