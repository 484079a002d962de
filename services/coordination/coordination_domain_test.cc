// The coordination domain's standard methods: names, etags, idempotent
// retries, filters and pages; on a real SQLite store, without a server.
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

TEST_F(CoordinationDomainTest, WritesReportTheSequenceOfTheirChange) {
  int64_t sequence = -1;
  v1::CreateCoordinationBodyRequest create;
  create.set_parent("countries/CZE");
  create.set_coordination_body_id("r");
  *create.mutable_coordination_body() = Rapporteur();
  create.set_request_id("create-1");
  auto b = domain_->CreateCoordinationBody(create, &sequence);
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(sequence, 1);
  v1::CreateActionPlanRequest plan;
  plan.set_parent("countries/CZE");
  plan.set_action_plan_id("nap");
  *plan.mutable_action_plan() = Plan(2006, 2008);
  ASSERT_TRUE(domain_->CreateActionPlan(plan, &sequence).ok());
  EXPECT_EQ(sequence, 2);
  // A replay: the latest sequence, at least as fresh as its change.
  sequence = -1;
  ASSERT_TRUE(domain_->CreateCoordinationBody(create, &sequence).ok());
  EXPECT_EQ(sequence, 2);
  v1::UpdateCoordinationBodyRequest update;
  update.mutable_coordination_body()->set_name(b->name());
  update.mutable_coordination_body()->set_meeting_frequency(
      v1::RECURRENCE_TWICE_A_YEAR);
  update.mutable_update_mask()->add_paths("meeting_frequency");
  ASSERT_TRUE(domain_->UpdateCoordinationBody(update, &sequence).ok());
  EXPECT_EQ(sequence, 3);
  // An update that changes nothing: the latest.
  sequence = -1;
  ASSERT_TRUE(domain_->UpdateCoordinationBody(update, &sequence).ok());
  EXPECT_EQ(sequence, 3);
  v1::DeleteCoordinationBodyRequest del;
  del.set_name(b->name());
  ASSERT_TRUE(domain_->DeleteCoordinationBody(del, &sequence).ok());
  EXPECT_EQ(sequence, 4);
  // Each reported sequence is that of the write's own change.
  auto changes = store_->Changes().ReadChanges(0, 10);
  ASSERT_TRUE(changes.ok()) << changes.status();
  ASSERT_EQ(changes->size(), 4u);
  EXPECT_EQ((*changes)[0].resource, b->name());
  EXPECT_EQ((*changes)[1].resource, "countries/CZE/actionPlans/nap");
  EXPECT_EQ((*changes)[2].type, common::v1::CHANGE_TYPE_UPDATED);
  EXPECT_EQ((*changes)[3].type, common::v1::CHANGE_TYPE_DELETED);
  // A refused write reports nothing.
  sequence = -1;
  EXPECT_FALSE(domain_->DeleteCoordinationBody(del, &sequence).ok());
  EXPECT_EQ(sequence, -1);
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

TEST_F(CoordinationDomainTest, RecordsSurviveReopening) {
  ASSERT_TRUE(CreateBody("countries/CZE", "r", Rapporteur()).ok());
  Open();
  v1::GetCoordinationBodyRequest get;
  get.set_name("countries/CZE/coordinationBodies/r");
  EXPECT_TRUE(domain_->GetCoordinationBody(get).ok());
}

}  // namespace
}  // namespace palermo::coordination
