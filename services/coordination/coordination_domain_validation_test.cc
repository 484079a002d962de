// What a valid coordination record is; on a real SQLite store, without a
// server.
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

TEST_F(CoordinationDomainTest, InvalidRecordNamesEveryFieldAndWritesNothing) {
  v1::CoordinationBody b;       // no kind, no display name, no source
  b.add_member_institutions();  // no kind
  b.set_unit_count(0);
  auto created = CreateBody("countries/XXX", "Bad_Id", b, "bad id!");
  EXPECT_EQ(created.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(
      ViolatedFields(created.status()),
      UnorderedElementsAre(
          "parent", "coordination_body_id", "coordination_body.display_name",
          "coordination_body.sources", "coordination_body.kind",
          "coordination_body.member_institutions[0].kind",
          "coordination_body.unit_count", "request_id"));
  v1::ListCoordinationBodiesRequest list;
  list.set_parent("-");
  auto all = domain_->ListCoordinationBodies(list);
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_THAT(all->coordination_bodies(), IsEmpty());
}

TEST_F(CoordinationDomainTest, CooperationPartnersMustBeKnownDistinctOthers) {
  auto created = CreateCooperation("countries/HUN", "joint",
                                   Joint({"countries/DEU", "countries/DEU",
                                          "countries/HUN", "countries/ZZZ"}));
  EXPECT_THAT(ViolatedFields(created.status()),
              UnorderedElementsAre("cooperation_activity.partners[1]",
                                   "cooperation_activity.partners[2]",
                                   "cooperation_activity.partners[3]"));
  v1::CooperationActivity none = Joint({});
  EXPECT_THAT(
      ViolatedFields(CreateCooperation("countries/HUN", "j", none).status()),
      ElementsAre("cooperation_activity.partners"));
}

TEST_F(CoordinationDomainTest, UnnamedPartnersAloneDescribeACooperation) {
  v1::CooperationActivity a = Joint({});
  a.set_unnamed_partners("the police of neighbouring countries");
  auto created = CreateCooperation("countries/HUN", "unnamed", a);
  EXPECT_TRUE(created.ok()) << created.status();
}

TEST_F(CoordinationDomainTest, CampaignCountsAreBoundedByWhatTheyList) {
  v1::AwarenessCampaign c;
  c.set_display_name("Campaign");
  c.add_languages("en");
  c.add_languages("fr");
  c.set_language_count(1);  // fewer than the two listed
  c.set_people_reached(-1);
  v1::CreateAwarenessCampaignRequest request;
  request.set_parent("countries/HUN");
  request.set_awareness_campaign_id("campaign");
  *request.mutable_awareness_campaign() = Sourced(c, 40);
  EXPECT_THAT(
      ViolatedFields(domain_->CreateAwarenessCampaign(request).status()),
      UnorderedElementsAre("awareness_campaign.language_count",
                           "awareness_campaign.people_reached"));
  request.mutable_awareness_campaign()->set_language_count(2);
  request.mutable_awareness_campaign()->set_people_reached(0);
  auto created = domain_->CreateAwarenessCampaign(request);
  EXPECT_TRUE(created.ok()) << created.status();
}

TEST_F(CoordinationDomainTest, CampaignActivityCountsCasesAndForms) {
  v1::AwarenessCampaign c;
  c.set_display_name("Conferences");
  c.mutable_activity_count()->set_count(10);
  c.mutable_activity_count()->set_unit(v1::ACTIVITY_UNIT_CONFERENCE);
  c.mutable_activity_count()->set_per(v1::RECURRENCE_ANNUAL);
  c.set_cases_publicised(258);
  c.add_exploitation_forms(common::v1::EXPLOITATION_FORM_SEXUAL_EXPLOITATION);
  v1::CreateAwarenessCampaignRequest request;
  request.set_parent("countries/EST");
  request.set_awareness_campaign_id("conferences");
  *request.mutable_awareness_campaign() = Sourced(c, 51);
  auto created = domain_->CreateAwarenessCampaign(request);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->activity_count().count(), 10);
  EXPECT_EQ(created->cases_publicised(), 258);

  v1::AwarenessCampaign* bad = request.mutable_awareness_campaign();
  bad->mutable_activity_count()->set_count(0);
  bad->mutable_activity_count()->clear_unit();
  bad->mutable_activity_count()->set_per(v1::RECURRENCE_CONTINUOUS);
  bad->set_cases_publicised(-1);
  bad->add_exploitation_forms(common::v1::EXPLOITATION_FORM_SEXUAL_EXPLOITATION);
  request.set_awareness_campaign_id("bad");
  EXPECT_THAT(
      ViolatedFields(domain_->CreateAwarenessCampaign(request).status()),
      UnorderedElementsAre("awareness_campaign.activity_count.count",
                           "awareness_campaign.activity_count.unit",
                           "awareness_campaign.activity_count.per",
                           "awareness_campaign.cases_publicised",
                           "awareness_campaign.exploitation_forms[1]"));
}

TEST_F(CoordinationDomainTest, PlacesAndDocumentSymbolsAreChecked) {
  v1::CooperationActivity meeting = Joint({"organizations/UNODC"});
  meeting.set_kind(v1::COOPERATION_KIND_MEETING);
  meeting.mutable_place()->set_country("countries/JPN");
  meeting.mutable_place()->set_locality("Tokyo");
  auto ok = CreateCooperation("countries/JPN", "tokyo", meeting);
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(ok->place().locality(), "Tokyo");

  v1::CooperationActivity report = Joint({"countries/EST"});
  report.set_kind(v1::COOPERATION_KIND_TECHNICAL_ASSISTANCE);
  report.add_document_symbols("E/CN.15/2008/4");
  ASSERT_TRUE(CreateCooperation("organizations/UNODC", "report", report).ok());
  report.add_document_symbols("E/CN.15/2008/4");
  report.add_document_symbols("e/cn.15");
  report.add_document_symbols("E//4");
  report.add_document_symbols("E");
  report.mutable_place()->set_country("organizations/LAS");
  EXPECT_THAT(
      ViolatedFields(
          CreateCooperation("organizations/UNODC", "bad", report).status()),
      UnorderedElementsAre("cooperation_activity.document_symbols[1]",
                           "cooperation_activity.document_symbols[2]",
                           "cooperation_activity.document_symbols[3]",
                           "cooperation_activity.document_symbols[4]",
                           "cooperation_activity.place.country"));

  v1::TrainingActivity t =
      Training({v1::TRAINING_AUDIENCE_PEACEKEEPERS}, 3800, true);
  for (const char* country : {"countries/AFG", "countries/IRQ"}) {
    t.add_deployment_places()->set_country(country);
  }
  v1::Place* kosovo = t.add_deployment_places();
  kosovo->set_country("countries/SRB");
  kosovo->set_locality("Kosovo");
  auto trained = CreateTraining("countries/ROU", "peacekeepers", t);
  ASSERT_TRUE(trained.ok()) << trained.status();
  EXPECT_EQ(trained->deployment_places_size(), 3);
  t.add_deployment_places()->set_country("countries/AFG");  // repeated
  t.add_deployment_places()->set_country("countries/ZZZ");
  t.add_deployment_places();  // no country
  EXPECT_THAT(
      ViolatedFields(CreateTraining("countries/ROU", "bad", t).status()),
      UnorderedElementsAre("training_activity.deployment_places[3]",
                           "training_activity.deployment_places[4].country",
                           "training_activity.deployment_places[5].country"));
}

TEST_F(CoordinationDomainTest, BodyMeetingsAreSourcedAndDated) {
  v1::CoordinationBody b = Rapporteur();
  b.set_kind(v1::BODY_KIND_MECHANISM);
  v1::GroupMeeting* m = b.add_meetings();
  m->mutable_date()->set_year(2006);
  m->mutable_date()->set_month(12);
  m->mutable_date()->set_precision(common::v1::DATE_PRECISION_MONTH);
  m->set_description("Define responsibilities");
  *m->add_sources() = b.sources(0);
  auto ok = CreateBody("countries/LIE", "mechanism", b);
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(ok->meetings(0).date().month(), 12);
  v1::GroupMeeting* bare = b.add_meetings();
  bare->add_hosts("countries/ZZZ");
  EXPECT_THAT(ViolatedFields(CreateBody("countries/LIE", "bad", b).status()),
              UnorderedElementsAre("coordination_body.meetings[1].hosts[0]",
                                   "coordination_body.meetings[1].sources",
                                   "coordination_body.meetings[1].date"));
}

TEST_F(CoordinationDomainTest, PeriodEndBeforeStartIsRejected) {
  auto created = CreatePlan("countries/UKR", "third", Plan(2010, 2007));
  EXPECT_THAT(ViolatedFields(created.status()),
              ElementsAre("action_plan.period.end"));
}

TEST_F(CoordinationDomainTest, EntityListsAreKnownDistinctAndOfTheRightKind) {
  v1::TrainingActivity t = Training({v1::TRAINING_AUDIENCE_POLICE}, 10);
  t.add_international_partners("organizations/IOM");
  t.add_international_partners("organizations/IOM");
  t.add_international_partners("countries/HUN");
  EXPECT_THAT(
      ViolatedFields(CreateTraining("countries/HUN", "t", t).status()),
      UnorderedElementsAre("training_activity.international_partners[1]",
                           "training_activity.international_partners[2]"));
  v1::CreateInterAgencyGroupRequest group;
  group.set_inter_agency_group_id("icat");
  auto* g = group.mutable_inter_agency_group();
  g->set_display_name("ICAT");
  g->add_members("organizations/UNODC");
  g->add_members("countries/JPN");
  g->add_meetings()->add_hosts("countries/ZZZ");
  *g = Sourced(*g, 86);
  EXPECT_THAT(ViolatedFields(domain_->CreateInterAgencyGroup(group).status()),
              UnorderedElementsAre("inter_agency_group.members[1]",
                                   "inter_agency_group.meetings[0].hosts[0]"));
}

TEST_F(CoordinationDomainTest, ManyBadElementsAreOneViolationAndWriteNothing) {
  // Each partner is unknown, and would be a violation of its own.
  std::vector<std::string> partners;
  for (int i = 0; i < 100000; ++i) partners.push_back("countries/XXX");
  auto refused = CreateCooperation("countries/DEU", "many", Joint(partners));
  EXPECT_THAT(ViolatedFields(refused.status()),
              ElementsAre("cooperation_activity.partners"));
  partners.resize(kMaxRepeatedElements + 1, "countries/XXX");
  refused = CreateCooperation("countries/DEU", "many", Joint(partners));
  EXPECT_THAT(ViolatedFields(refused.status()),
              ElementsAre("cooperation_activity.partners"));
  v1::ListCooperationActivitiesRequest list;
  list.set_parent("-");
  EXPECT_THAT(
      domain_->ListCooperationActivities(list)->cooperation_activities(),
      IsEmpty());
}

}  // namespace
}  // namespace palermo::coordination
