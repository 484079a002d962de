// The fixture the coordination domain's tests share: a domain on a real
// SQLite store in a temporary directory, without a server, and helpers that
// build and create records.
#ifndef PALERMO_SERVICES_COORDINATION_COORDINATION_DOMAIN_TEST_FIXTURE_H_
#define PALERMO_SERVICES_COORDINATION_COORDINATION_DOMAIN_TEST_FIXTURE_H_

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "services/common/sqlite_record_store.h"
#include "services/common/test_support.h"
#include "services/coordination/coordination_domain.h"

namespace palermo::coordination {

template <typename T>
T Sourced(T record, int paragraph) {
  auto* s = record.add_sources();
  s->set_document_symbol("E/CN.15/2008/6");
  s->set_paragraph(paragraph);
  return record;
}

inline common::v1::PartialDate Year(int year) {
  common::v1::PartialDate d;
  d.set_year(year);
  d.set_precision(common::v1::DATE_PRECISION_YEAR);
  return d;
}

inline v1::CoordinationBody Rapporteur() {
  v1::CoordinationBody b;
  b.set_display_name("National rapporteur");
  b.set_kind(v1::BODY_KIND_NATIONAL_RAPPORTEUR);
  return Sourced(b, 72);
}

inline v1::ActionPlan Plan(int first, int last) {
  v1::ActionPlan p;
  p.set_display_name("National action plan");
  p.set_kind(v1::PLAN_KIND_NATIONAL_ACTION_PLAN);
  p.set_status(v1::PLAN_STATUS_ADOPTED);
  if (first) *p.mutable_period()->mutable_start() = Year(first);
  if (last) *p.mutable_period()->mutable_end() = Year(last);
  return Sourced(p, 68);
}

inline v1::CooperationActivity Joint(std::vector<std::string> partners) {
  v1::CooperationActivity a;
  a.set_display_name("Joint investigations");
  a.set_kind(v1::COOPERATION_KIND_JOINT_INVESTIGATION);
  for (auto& p : partners) a.add_partners(p);
  return Sourced(a, 17);
}

inline v1::TrainingActivity Training(
    std::vector<v1::TrainingAudience> audiences, std::optional<int64_t> trained,
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

}  // namespace palermo::coordination

#endif  // PALERMO_SERVICES_COORDINATION_COORDINATION_DOMAIN_TEST_FIXTURE_H_
