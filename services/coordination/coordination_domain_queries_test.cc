// The questions across States: who has what in force, who cooperates with
// whom, how many were trained, one entity's coordination; on a real SQLite
// store, without a server.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "services/common/test_support.h"
#include "services/coordination/coordination_domain_test_fixture.h"

namespace palermo::coordination {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

TEST_F(CoordinationDomainTest, FindEntitiesInForceSeparatesUndatedPlans) {
  ASSERT_TRUE(CreatePlan("countries/JPN", "nap", Plan(2004, 0)).ok());
  ASSERT_TRUE(CreatePlan("countries/LVA", "nap", Plan(2004, 2008)).ok());
  ASSERT_TRUE(CreatePlan("countries/HRV", "old", Plan(2002, 2005)).ok());
  ASSERT_TRUE(CreatePlan("countries/UKR", "third", Plan(0, 2010)).ok());
  v1::ActionPlan draft = Plan(2007, 0);
  draft.set_status(v1::PLAN_STATUS_IN_PREPARATION);
  ASSERT_TRUE(CreatePlan("countries/EST", "draft", draft).ok());

  v1::FindEntitiesRequest find;
  find.set_kind(v1::RESOURCE_KIND_ACTION_PLAN);
  find.set_in_force_year(2007);
  auto found = domain_->FindEntities(find);
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_THAT(Entities(*found), ElementsAre("countries/JPN", "countries/LVA"));
  ASSERT_EQ(found->undetermined_size(), 1);
  EXPECT_EQ(found->undetermined(0).entity(), "countries/UKR");
  // Past its end, a plan is out, dated or not.
  find.set_in_force_year(2011);
  found = domain_->FindEntities(find);
  ASSERT_TRUE(found.ok());
  EXPECT_THAT(Entities(*found), ElementsAre("countries/JPN"));
  EXPECT_THAT(found->undetermined(), IsEmpty());
  // Without a year, every plan matching the filter counts.
  find.set_in_force_year(0);
  find.set_filter("status = ADOPTED");
  found = domain_->FindEntities(find);
  ASSERT_TRUE(found.ok());
  EXPECT_THAT(Entities(*found), ElementsAre("countries/HRV", "countries/JPN",
                                            "countries/LVA", "countries/UKR"));
}

TEST_F(CoordinationDomainTest, OnePlanInForceMakesTheEntityDetermined) {
  ASSERT_TRUE(CreatePlan("countries/LVA", "first", Plan(0, 2010)).ok());
  ASSERT_TRUE(CreatePlan("countries/LVA", "second", Plan(2006, 2008)).ok());
  v1::FindEntitiesRequest find;
  find.set_kind(v1::RESOURCE_KIND_ACTION_PLAN);
  find.set_in_force_year(2007);
  auto found = domain_->FindEntities(find);
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_THAT(Entities(*found), ElementsAre("countries/LVA"));
  EXPECT_THAT(found->undetermined(), IsEmpty());
  find.set_in_force_year(2009);  // only the undated one may be in force
  found = domain_->FindEntities(find);
  ASSERT_TRUE(found.ok());
  EXPECT_THAT(found->entities(), IsEmpty());
  ASSERT_EQ(found->undetermined_size(), 1);
  EXPECT_EQ(found->undetermined(0).entity(), "countries/LVA");
}

TEST_F(CoordinationDomainTest, FindEntitiesValidatesItsQuery) {
  v1::FindEntitiesRequest find;
  find.set_kind(v1::RESOURCE_KIND_ACTION_PLAN);
  for (int year : {1900, 2100}) {
    find.set_in_force_year(year);
    EXPECT_TRUE(domain_->FindEntities(find).ok()) << year;
  }
  find.set_in_force_year(1899);
  EXPECT_THAT(ViolatedFields(domain_->FindEntities(find).status()),
              ElementsAre("in_force_year"));
  find.clear_kind();
  find.set_in_force_year(3000);
  EXPECT_THAT(ViolatedFields(domain_->FindEntities(find).status()),
              UnorderedElementsAre("kind", "in_force_year"));
  find.set_kind(v1::RESOURCE_KIND_COORDINATION_BODY);
  find.set_filter("kind = NO_SUCH_KIND");
  EXPECT_THAT(ViolatedFields(domain_->FindEntities(find).status()),
              UnorderedElementsAre("in_force_year", "filter"));
}

TEST_F(CoordinationDomainTest, EndedPlanWithoutEndIsNotInForceForEver) {
  v1::ActionPlan ended = Plan(2002, 0);
  ended.set_status(v1::PLAN_STATUS_ENDED);
  ASSERT_TRUE(CreatePlan("countries/HRV", "strategy", ended).ok());
  v1::FindEntitiesRequest find;
  find.set_kind(v1::RESOURCE_KIND_ACTION_PLAN);
  find.set_in_force_year(2010);
  auto found = domain_->FindEntities(find);
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_THAT(found->entities(), IsEmpty());
  ASSERT_EQ(found->undetermined_size(), 1);
  find.set_in_force_year(2001);  // before it began: out
  found = domain_->FindEntities(find);
  ASSERT_TRUE(found.ok());
  EXPECT_THAT(found->undetermined(), IsEmpty());
}

TEST_F(CoordinationDomainTest, AYearsTrainingTotalsLeaveOutMultiYearCounts) {
  v1::TrainingActivity team =
      Training({v1::TRAINING_AUDIENCE_PUBLIC_OFFICIALS}, 500, true);
  *team.mutable_period()->mutable_start() = Year(2000);
  team.mutable_period()->clear_end();  // "since 2000, more than 500"
  ASSERT_TRUE(CreateTraining("countries/MMR", "mobile-team", team).ok());
  v1::SummarizeTrainingRequest request;
  request.set_parent("countries/MMR");
  request.set_year(2006);
  auto summary = domain_->SummarizeTraining(request);
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(summary->activities(), 1);  // it ran in 2006
  EXPECT_EQ(summary->activities_with_count(), 0);
  EXPECT_EQ(summary->number_trained(), 0);  // but its 500 are not 2006's
  request.set_year(0);
  summary = domain_->SummarizeTraining(request);
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(summary->number_trained(), 500);
  EXPECT_TRUE(summary->lower_bound());
}

TEST_F(CoordinationDomainTest,
       ATrainingEndingTheNextYearIsNotCountedInItsFirst) {
  v1::TrainingActivity course =
      Training({v1::TRAINING_AUDIENCE_PUBLIC_OFFICIALS}, 40);
  *course.mutable_period()->mutable_start() = Year(2006);
  *course.mutable_period()->mutable_end() = Year(2007);
  ASSERT_TRUE(CreateTraining("countries/MMR", "course", course).ok());
  v1::SummarizeTrainingRequest request;
  request.set_parent("countries/MMR");
  request.set_year(2006);
  auto summary = domain_->SummarizeTraining(request);
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(summary->activities(), 1);             // it ran in 2006
  EXPECT_EQ(summary->activities_with_count(), 0);  // its 40 span two years
  EXPECT_EQ(summary->number_trained(), 0);
}

TEST_F(CoordinationDomainTest, PartnersComeBackInBothDirections) {
  ASSERT_TRUE(CreateCooperation("countries/HUN", "joint",
                                Joint({"countries/DEU", "countries/AUT"}))
                  .ok());
  v1::CooperationActivity mla = Joint({"countries/HUN"});
  mla.set_kind(v1::COOPERATION_KIND_MUTUAL_LEGAL_ASSISTANCE);
  ASSERT_TRUE(CreateCooperation("countries/DEU", "mla", mla).ok());

  v1::ListCooperationPartnersRequest request;
  request.set_entity("countries/HUN");
  auto hun = domain_->ListCooperationPartners(request);
  ASSERT_TRUE(hun.ok()) << hun.status();
  ASSERT_EQ(hun->partners_size(), 3);
  EXPECT_EQ(hun->partners(0).partner(), "countries/AUT");
  EXPECT_EQ(hun->partners(1).partner(), "countries/DEU");
  EXPECT_EQ(hun->partners(1).direction(), v1::DIRECTION_REPORTED_BY_ENTITY);
  EXPECT_EQ(hun->partners(2).partner(), "countries/DEU");
  EXPECT_EQ(hun->partners(2).direction(), v1::DIRECTION_REPORTED_BY_PARTNER);
  EXPECT_THAT(hun->partners(2).kinds(),
              ElementsAre(v1::COOPERATION_KIND_MUTUAL_LEGAL_ASSISTANCE));

  request.set_entity("countries/AUT");
  auto aut = domain_->ListCooperationPartners(request);
  ASSERT_TRUE(aut.ok());
  ASSERT_EQ(aut->partners_size(), 1);
  EXPECT_EQ(aut->partners(0).partner(), "countries/HUN");
  EXPECT_EQ(aut->partners(0).direction(), v1::DIRECTION_REPORTED_BY_PARTNER);
  EXPECT_THAT(aut->partners(0).activities(),
              ElementsAre("countries/HUN/cooperationActivities/joint"));

  request.set_filter("kind = MUTUAL_LEGAL_ASSISTANCE");
  request.set_entity("countries/HUN");
  hun = domain_->ListCooperationPartners(request);
  ASSERT_TRUE(hun.ok());
  ASSERT_EQ(hun->partners_size(), 1);
  EXPECT_EQ(hun->partners(0).partner(), "countries/DEU");
}

TEST_F(CoordinationDomainTest, TrainingTotalsCountEachActivityOncePerRow) {
  using v1::TRAINING_AUDIENCE_JUDGES;
  using v1::TRAINING_AUDIENCE_POLICE;
  ASSERT_TRUE(
      CreateTraining(
          "countries/LVA", "a",
          Training({TRAINING_AUDIENCE_POLICE, TRAINING_AUDIENCE_JUDGES}, 769))
          .ok());
  ASSERT_TRUE(CreateTraining("countries/LVA", "b",
                             Training({TRAINING_AUDIENCE_POLICE}, 500, true))
                  .ok());
  ASSERT_TRUE(CreateTraining("countries/LVA", "c",
                             Training({TRAINING_AUDIENCE_JUDGES}, std::nullopt))
                  .ok());
  v1::SummarizeTrainingRequest request;
  request.set_parent("countries/LVA");
  auto summary = domain_->SummarizeTraining(request);
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(summary->activities(), 3);
  EXPECT_EQ(summary->activities_with_count(), 2);
  EXPECT_EQ(summary->number_trained(), 1269);
  EXPECT_TRUE(summary->lower_bound());
  ASSERT_EQ(summary->audiences_size(), 2);
  EXPECT_EQ(summary->audiences(0).audience(), TRAINING_AUDIENCE_POLICE);
  EXPECT_EQ(summary->audiences(0).number_trained(), 1269);
  EXPECT_TRUE(summary->audiences(0).lower_bound());
  EXPECT_EQ(summary->audiences(1).audience(), TRAINING_AUDIENCE_JUDGES);
  EXPECT_EQ(summary->audiences(1).activities(), 2);
  EXPECT_EQ(summary->audiences(1).activities_with_count(), 1);
  EXPECT_EQ(summary->audiences(1).number_trained(), 769);
  EXPECT_FALSE(summary->audiences(1).lower_bound());
  // Another year has none.
  request.set_year(2007);
  summary = domain_->SummarizeTraining(request);
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(summary->activities(), 0);
  EXPECT_THAT(summary->audiences(), IsEmpty());
}

TEST_F(CoordinationDomainTest, EntityCoordinationGathersBothDirections) {
  ASSERT_TRUE(CreateBody("countries/HUN", "unit", Rapporteur()).ok());
  ASSERT_TRUE(
      CreateCooperation("countries/HUN", "joint", Joint({"countries/DEU"}))
          .ok());
  v1::InterAgencyGroup icat;
  icat.set_display_name("ICAT");
  icat.add_members("organizations/UNODC");
  icat = Sourced(icat, 86);
  v1::CreateInterAgencyGroupRequest create_group;
  create_group.set_inter_agency_group_id("icat");
  *create_group.mutable_inter_agency_group() = icat;
  ASSERT_TRUE(domain_->CreateInterAgencyGroup(create_group).ok());

  v1::GetEntityCoordinationRequest request;
  request.set_entity("countries/DEU");
  auto deu = domain_->GetEntityCoordination(request);
  ASSERT_TRUE(deu.ok()) << deu.status();
  EXPECT_THAT(deu->coordination_bodies(), IsEmpty());
  ASSERT_EQ(deu->cooperation_partners_size(), 1);
  EXPECT_EQ(deu->cooperation_partners(0).partner(), "countries/HUN");
  request.set_entity("organizations/UNODC");
  auto unodc = domain_->GetEntityCoordination(request);
  ASSERT_TRUE(unodc.ok());
  ASSERT_EQ(unodc->inter_agency_groups_size(), 1);
  EXPECT_EQ(unodc->inter_agency_groups(0).name(), "interAgencyGroups/icat");
  request.set_entity("countries/XXX");
  EXPECT_THAT(ViolatedFields(domain_->GetEntityCoordination(request).status()),
              ElementsAre("entity"));
}

TEST_F(CoordinationDomainTest, AnEntitysCoordinationStopsWithinAnAnswer) {
  for (int i = 0; i < 10; ++i) {
    v1::CoordinationBody b = Rapporteur();
    PadWithSources(
        b.mutable_sources(), [&b] { return b.ByteSizeLong(); },
        kMaxRecordBytes - 1000);
    ASSERT_TRUE(CreateBody("countries/FRA", absl::StrCat("b", i), b).ok());
  }
  ASSERT_TRUE(CreatePlan("countries/FRA", "plan", Plan(2006, 2008)).ok());
  v1::GetEntityCoordinationRequest request;
  request.set_entity("countries/FRA");
  auto got = domain_->GetEntityCoordination(request);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_TRUE(got->truncated());
  EXPECT_LE(got->ByteSizeLong(), kMaxResponseBytes);
  EXPECT_EQ(got->coordination_bodies_size(), 8);
  EXPECT_EQ(got->action_plans_size(), 0);  // nothing after the first cut
}

}  // namespace
}  // namespace palermo::coordination
