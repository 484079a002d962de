// Rules of the coordination service on a real SQLite store, without a
// server.
#include "services/coordination/coordination_domain.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "services/common/sqlite_record_store.h"
#include "services/common/test_support.h"

namespace palermo::coordination {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

template <typename T>
T Sourced(T record, int paragraph) {
  auto* s = record.add_sources();
  s->set_document_symbol("E/CN.15/2008/6");
  s->set_paragraph(paragraph);
  return record;
}

common::v1::PartialDate Year(int year) {
  common::v1::PartialDate d;
  d.set_year(year);
  d.set_precision(common::v1::DATE_PRECISION_YEAR);
  return d;
}

v1::CoordinationBody Rapporteur() {
  v1::CoordinationBody b;
  b.set_display_name("National rapporteur");
  b.set_kind(v1::BODY_KIND_NATIONAL_RAPPORTEUR);
  return Sourced(b, 72);
}

v1::ActionPlan Plan(int first, int last) {
  v1::ActionPlan p;
  p.set_display_name("National action plan");
  p.set_kind(v1::PLAN_KIND_NATIONAL_ACTION_PLAN);
  p.set_status(v1::PLAN_STATUS_ADOPTED);
  if (first) *p.mutable_period()->mutable_start() = Year(first);
  if (last) *p.mutable_period()->mutable_end() = Year(last);
  return Sourced(p, 68);
}

v1::CooperationActivity Joint(std::vector<std::string> partners) {
  v1::CooperationActivity a;
  a.set_display_name("Joint investigations");
  a.set_kind(v1::COOPERATION_KIND_JOINT_INVESTIGATION);
  for (auto& p : partners) a.add_partners(p);
  return Sourced(a, 17);
}

v1::TrainingActivity Training(std::vector<v1::TrainingAudience> audiences,
                              std::optional<int64_t> trained,
                              bool more_than = false) {
  v1::TrainingActivity t;
  t.set_display_name("Training");
  for (auto a : audiences) t.add_audiences(a);
  if (trained) t.set_number_trained(*trained);
  if (more_than) t.set_number_trained_qualifier(v1::COUNT_QUALIFIER_MORE_THAN);
  *t.mutable_period()->mutable_start() = Year(2006);
  *t.mutable_period()->mutable_end() = Year(2006);
  return Sourced(t, 37);
}

class CoordinationDomainTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = FreshTestDir();
    Open();
  }
  void Open() {
    domain_.reset();
    store_.reset();
    auto store =
        SqliteRecordStore::Open((dir_ / "c.db").string(), CoordinationSchema());
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
    domain_ = std::make_unique<CoordinationDomain>(*store_, TestEntities());
  }
  void TearDown() override {
    domain_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  absl::StatusOr<v1::CoordinationBody> CreateBody(
      const std::string& parent, const std::string& id, v1::CoordinationBody b,
      const std::string& request_id = "") {
    v1::CreateCoordinationBodyRequest r;
    r.set_parent(parent);
    r.set_coordination_body_id(id);
    *r.mutable_coordination_body() = std::move(b);
    r.set_request_id(request_id);
    return domain_->CreateCoordinationBody(r);
  }
  absl::StatusOr<v1::ActionPlan> CreatePlan(const std::string& parent,
                                            const std::string& id,
                                            v1::ActionPlan p) {
    v1::CreateActionPlanRequest r;
    r.set_parent(parent);
    r.set_action_plan_id(id);
    *r.mutable_action_plan() = std::move(p);
    return domain_->CreateActionPlan(r);
  }
  absl::StatusOr<v1::CooperationActivity> CreateCooperation(
      const std::string& parent, const std::string& id,
      v1::CooperationActivity a) {
    v1::CreateCooperationActivityRequest r;
    r.set_parent(parent);
    r.set_cooperation_activity_id(id);
    *r.mutable_cooperation_activity() = std::move(a);
    return domain_->CreateCooperationActivity(r);
  }
  absl::StatusOr<v1::TrainingActivity> CreateTraining(const std::string& parent,
                                                      const std::string& id,
                                                      v1::TrainingActivity t) {
    v1::CreateTrainingActivityRequest r;
    r.set_parent(parent);
    r.set_training_activity_id(id);
    *r.mutable_training_activity() = std::move(t);
    return domain_->CreateTrainingActivity(r);
  }
  std::vector<std::string> Entities(const v1::FindEntitiesResponse& r) {
    std::vector<std::string> out;
    for (const auto& m : r.entities()) out.push_back(m.entity());
    return out;
  }

  std::filesystem::path dir_;
  std::unique_ptr<SqliteRecordStore> store_;
  std::unique_ptr<CoordinationDomain> domain_;
};

TEST_F(CoordinationDomainTest, CreateNamesTheRecordAndSetsEtag) {
  auto b = CreateBody("countries/CZE", "national-rapporteur", Rapporteur());
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(b->name(), "countries/CZE/coordinationBodies/national-rapporteur");
  EXPECT_FALSE(b->etag().empty());
  EXPECT_TRUE(b->has_update_time());
  v1::GetCoordinationBodyRequest get;
  get.set_name(b->name());
  auto got = domain_->GetCoordinationBody(get);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->display_name(), "National rapporteur");
}

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

TEST_F(CoordinationDomainTest, DuplicateIsAlreadyExistsUnlessRetried) {
  ASSERT_TRUE(CreateBody("countries/CZE", "r", Rapporteur(), "req-1").ok());
  // The same request again answers like the first time.
  auto retry = CreateBody("countries/CZE", "r", Rapporteur(), "req-1");
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(retry->etag(), "r1");
  // Another request for the same name is refused.
  EXPECT_EQ(
      CreateBody("countries/CZE", "r", Rapporteur(), "req-2").status().code(),
      absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(CreateBody("countries/CZE", "r", Rapporteur()).status().code(),
            absl::StatusCode::kAlreadyExists);
  // The key used for another request is refused, naming request_id.
  auto reused = CreateBody("countries/CZE", "other", Rapporteur(), "req-1");
  EXPECT_EQ(reused.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(CoordinationDomainTest, UpdateIsGuardedByEtagAndValidated) {
  auto b = CreateBody("countries/CZE", "r", Rapporteur());
  ASSERT_TRUE(b.ok());
  v1::UpdateCoordinationBodyRequest update;
  update.mutable_coordination_body()->set_name(b->name());
  update.mutable_coordination_body()->set_etag(b->etag());
  update.mutable_coordination_body()->set_meeting_frequency(
      v1::RECURRENCE_TWICE_A_YEAR);
  update.mutable_update_mask()->add_paths("meeting_frequency");
  auto updated = domain_->UpdateCoordinationBody(update);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->meeting_frequency(), v1::RECURRENCE_TWICE_A_YEAR);
  EXPECT_EQ(updated->kind(), v1::BODY_KIND_NATIONAL_RAPPORTEUR);
  // The old etag is stale now.
  EXPECT_EQ(domain_->UpdateCoordinationBody(update).status().code(),
            absl::StatusCode::kAborted);
  // Clearing a required field is refused.
  update.mutable_coordination_body()->set_etag(updated->etag());
  update.mutable_update_mask()->set_paths(0, "kind");
  EXPECT_THAT(ViolatedFields(domain_->UpdateCoordinationBody(update).status()),
              ElementsAre("coordination_body.kind"));
  update.mutable_update_mask()->set_paths(0, "etag");
  EXPECT_THAT(ViolatedFields(domain_->UpdateCoordinationBody(update).status()),
              ElementsAre("update_mask.paths[0]"));
}

TEST_F(CoordinationDomainTest, DeleteLeavesNothingAndOldEtagsNeverMatch) {
  auto b = CreateBody("countries/CZE", "r", Rapporteur());
  ASSERT_TRUE(b.ok());
  v1::DeleteCoordinationBodyRequest del;
  del.set_name(b->name());
  del.set_etag("r9");
  EXPECT_EQ(domain_->DeleteCoordinationBody(del).code(),
            absl::StatusCode::kAborted);
  del.set_etag(b->etag());
  ASSERT_TRUE(domain_->DeleteCoordinationBody(del).ok());
  EXPECT_EQ(domain_->DeleteCoordinationBody(del).code(),
            absl::StatusCode::kNotFound);
  auto again = CreateBody("countries/CZE", "r", Rapporteur());
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_NE(again->etag(), b->etag());
}

TEST_F(CoordinationDomainTest, MalformedNamesAreInvalidNotMissing) {
  v1::GetCoordinationBodyRequest get;
  get.set_name("countries/CZE/actionPlans/r");
  EXPECT_THAT(ViolatedFields(domain_->GetCoordinationBody(get).status()),
              ElementsAre("name"));
  get.set_name("countries/CZE/coordinationBodies/r");
  EXPECT_EQ(domain_->GetCoordinationBody(get).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(CoordinationDomainTest, ListFiltersAndPages) {
  for (const char* id : {"a", "b", "c"}) {
    ASSERT_TRUE(CreateBody("countries/CZE", id, Rapporteur()).ok());
  }
  v1::CoordinationBody group = Rapporteur();
  group.set_kind(v1::BODY_KIND_WORKING_GROUP);
  ASSERT_TRUE(CreateBody("countries/LVA", "group", group).ok());
  v1::ListCoordinationBodiesRequest list;
  list.set_parent("-");
  list.set_filter("kind = NATIONAL_RAPPORTEUR");
  list.set_page_size(2);
  auto first = domain_->ListCoordinationBodies(list);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(first->coordination_bodies_size(), 2);
  ASSERT_FALSE(first->next_page_token().empty());
  list.set_page_token(first->next_page_token());
  auto second = domain_->ListCoordinationBodies(list);
  ASSERT_TRUE(second.ok()) << second.status();
  ASSERT_EQ(second->coordination_bodies_size(), 1);
  EXPECT_EQ(second->coordination_bodies(0).name(),
            "countries/CZE/coordinationBodies/c");
  EXPECT_TRUE(second->next_page_token().empty());
  // A token belongs to its query.
  list.set_filter("");
  EXPECT_THAT(ViolatedFields(domain_->ListCoordinationBodies(list).status()),
              ElementsAre("page_token"));
  list.set_page_token("");
  list.set_filter("colour = RED");
  EXPECT_THAT(ViolatedFields(domain_->ListCoordinationBodies(list).status()),
              ElementsAre("filter"));
}

TEST_F(CoordinationDomainTest, APageTokenBelongsToItsParent) {
  for (const char* id : {"a", "b"}) {
    ASSERT_TRUE(CreateBody("countries/CZE", id, Rapporteur()).ok());
    ASSERT_TRUE(CreateBody("countries/LVA", id, Rapporteur()).ok());
  }
  v1::ListCoordinationBodiesRequest list;
  list.set_parent("countries/CZE");
  list.set_page_size(1);
  auto first = domain_->ListCoordinationBodies(list);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_FALSE(first->next_page_token().empty());
  list.set_page_token(first->next_page_token());
  list.set_parent("countries/LVA");
  EXPECT_THAT(ViolatedFields(domain_->ListCoordinationBodies(list).status()),
              ElementsAre("page_token"));
  list.set_parent("-");
  EXPECT_THAT(ViolatedFields(domain_->ListCoordinationBodies(list).status()),
              ElementsAre("page_token"));
  list.set_parent("countries/CZE");
  auto second = domain_->ListCoordinationBodies(list);
  ASSERT_TRUE(second.ok()) << second.status();
  ASSERT_EQ(second->coordination_bodies_size(), 1);
  EXPECT_EQ(second->coordination_bodies(0).name(),
            "countries/CZE/coordinationBodies/b");
}

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

TEST_F(CoordinationDomainTest, RecordsSurviveReopening) {
  ASSERT_TRUE(CreateBody("countries/CZE", "r", Rapporteur()).ok());
  Open();
  v1::GetCoordinationBodyRequest get;
  get.set_name("countries/CZE/coordinationBodies/r");
  EXPECT_TRUE(domain_->GetCoordinationBody(get).ok());
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
