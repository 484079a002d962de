// Rules of the victim assistance service on a real SQLite store, without a
// server.
#include "services/assistance/assistance_domain.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include <filesystem>
#include <random>

#include "absl/strings/str_cat.h"
#include "services/assistance/sqlite_assistance_store.h"
#include "services/common/test_support.h"

namespace palermo::assistance {
namespace {

using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

v1::Measure Reflection(int days) {
  v1::Measure m;
  m.set_measure_type("REFLECTION_PERIOD");
  m.set_provided(true);
  m.set_duration_days(days);
  auto* s = m.add_sources();
  s->set_document_symbol("E/CN.15/2008/6");
  s->set_paragraph(63);
  return m;
}

class AssistanceDomainTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = FreshTestDir();
    auto store = SqliteAssistanceStore::Open((dir_ / "a.db").string());
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
    domain_ = std::make_unique<AssistanceDomain>(*store_, TestEntities());
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  absl::StatusOr<v1::Measure> Create(const std::string& parent,
                                     const std::string& id, v1::Measure m,
                                     const std::string& request_id = "") {
    v1::CreateMeasureRequest request;
    request.set_parent(parent);
    request.set_measure_id(id);
    *request.mutable_measure() = std::move(m);
    request.set_request_id(request_id);
    return domain_->CreateMeasure(request);
  }

  absl::StatusOr<v1::CaseRecord> AddCase(const std::string& entity,
                                         v1::Gender gender) {
    v1::CreateCaseRecordRequest request;
    request.mutable_case_record()->set_entity(entity);
    request.mutable_case_record()->set_gender(gender);
    request.mutable_case_record()->add_exploitation_forms(
        common::v1::EXPLOITATION_FORM_SEXUAL_EXPLOITATION);
    return domain_->CreateCase(request);
  }

  absl::StatusOr<v1::CaseRecord> AddCase(const v1::CaseRecord& record) {
    v1::CreateCaseRecordRequest request;
    *request.mutable_case_record() = record;
    return domain_->CreateCase(request);
  }

  int64_t Cut(AssistanceDomain* domain = nullptr) {
    auto release = (domain ? domain : domain_.get())->CreateCaseRelease({});
    EXPECT_TRUE(release.ok()) << release.status();
    return release.ok() ? release->number() : -1;
  }

  v1::AggregateCasesResponse Aggregate(std::vector<v1::CaseDimension> by,
                                       const std::string& entity = "",
                                       int64_t release = 0) {
    v1::AggregateCasesRequest request;
    for (auto d : by) request.add_group_by(d);
    request.set_entity(entity);
    request.set_release(release);
    auto table = domain_->AggregateCases(request);
    EXPECT_TRUE(table.ok()) << table.status();
    return table.ok() ? *table : v1::AggregateCasesResponse();
  }

  std::filesystem::path dir_;
  std::unique_ptr<SqliteAssistanceStore> store_;
  std::unique_ptr<AssistanceDomain> domain_;
};

TEST_F(AssistanceDomainTest, CreateGetAndEtagGuardedUpdate) {
  auto created = Create("countries/ROU", "reflection-period", Reflection(90));
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->name(), "countries/ROU/measures/reflection-period");
  EXPECT_EQ(created->etag(), "r1");
  v1::UpdateMeasureRequest update;
  update.mutable_measure()->set_name(created->name());
  update.mutable_measure()->set_etag("r1");
  update.mutable_measure()->set_duration_days(60);
  update.mutable_update_mask()->add_paths("duration_days");
  auto updated = domain_->UpdateMeasure(update);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->duration_days(), 60);
  EXPECT_EQ(updated->measure_type(), "REFLECTION_PERIOD");
  EXPECT_EQ(domain_->UpdateMeasure(update).status().code(),
            absl::StatusCode::kAborted);
}

TEST_F(AssistanceDomainTest, MalformedNamesAreInvalidArgumentOnEveryMethod) {
  for (const std::string bad :
       {"", "countries/ROU", "countries/XXX/measures/shelter",
        "countries/ROU/measures/Bad_Id", "countries/ROU/cases/x"}) {
    v1::GetMeasureRequest get;
    get.set_name(bad);
    EXPECT_THAT(ViolatedFields(domain_->GetMeasure(get).status()),
                ElementsAre("name"))
        << bad;
    v1::UpdateMeasureRequest update;
    update.mutable_measure()->set_name(bad);
    EXPECT_THAT(ViolatedFields(domain_->UpdateMeasure(update).status()),
                ElementsAre("measure.name"))
        << bad;
    v1::DeleteMeasureRequest del;
    del.set_name(bad);
    EXPECT_THAT(ViolatedFields(domain_->DeleteMeasure(del)),
                ElementsAre("name"))
        << bad;
  }
  for (const std::string bad : {"", "cases/", "cases/xyz", "measures/abc",
                                "cases/0123456789abcdef0123456789abcdeF",
                                "cases/0123456789abcdef0123456789abcdeg"}) {
    v1::GetCaseRecordRequest get;
    get.set_name(bad);
    EXPECT_THAT(ViolatedFields(domain_->GetCase(get).status()),
                ElementsAre("name"))
        << bad;
    v1::UpdateCaseRecordRequest update;
    update.mutable_case_record()->set_name(bad);
    EXPECT_THAT(ViolatedFields(domain_->UpdateCase(update).status()),
                ElementsAre("case_record.name"))
        << bad;
    v1::DeleteCaseRecordRequest del;
    del.set_name(bad);
    EXPECT_THAT(ViolatedFields(domain_->DeleteCase(del)), ElementsAre("name"))
        << bad;
  }
  // Well-formed names of records that do not exist are NOT_FOUND.
  v1::DeleteMeasureRequest missing;
  missing.set_name("countries/ROU/measures/shelter");
  EXPECT_EQ(domain_->DeleteMeasure(missing).code(),
            absl::StatusCode::kNotFound);
  v1::DeleteCaseRecordRequest missing_case;
  missing_case.set_name("cases/0123456789abcdef0123456789abcdef");
  EXPECT_EQ(domain_->DeleteCase(missing_case).code(),
            absl::StatusCode::kNotFound);
}

TEST_F(AssistanceDomainTest, AnEtagOfADeletedMeasureNeverMatchesItsSuccessor) {
  auto created = Create("countries/ROU", "reflection-period", Reflection(90));
  ASSERT_TRUE(created.ok());
  v1::DeleteMeasureRequest del;
  del.set_name(created->name());
  ASSERT_TRUE(domain_->DeleteMeasure(del).ok());
  v1::GetMeasureRequest get;
  get.set_name(created->name());
  EXPECT_EQ(domain_->GetMeasure(get).status().code(),
            absl::StatusCode::kNotFound);
  auto again = Create("countries/ROU", "reflection-period", Reflection(30));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_NE(again->etag(), created->etag());
  v1::UpdateMeasureRequest stale;
  stale.mutable_measure()->set_name(created->name());
  stale.mutable_measure()->set_etag(created->etag());
  stale.mutable_measure()->set_duration_days(90);
  stale.mutable_update_mask()->add_paths("duration_days");
  EXPECT_EQ(domain_->UpdateMeasure(stale).status().code(),
            absl::StatusCode::kAborted);
}

TEST_F(AssistanceDomainTest, InvalidMeasuresNameEveryFieldAndWriteNothing) {
  v1::Measure bad = Reflection(0);
  bad.set_measure_type("HOVERCRAFT");
  bad.clear_sources();
  bad.add_target_groups(v1::TARGET_GROUP_UNSPECIFIED);
  auto result = Create("countries/XXX", "Bad Id", bad);
  EXPECT_THAT(
      ViolatedFields(result.status()),
      UnorderedElementsAre("parent", "measure_id", "measure.measure_type",
                           "measure.duration_days", "measure.sources",
                           "measure.target_groups[0]"));
  v1::ListMeasuresRequest list;
  list.set_parent("-");
  EXPECT_EQ(domain_->ListMeasures(list)->measures_size(), 0);
}

TEST_F(AssistanceDomainTest, DurationsBelongToTheirMeasureTypes) {
  v1::Measure shelter = Reflection(90);
  shelter.set_measure_type("SHELTER");
  EXPECT_THAT(
      ViolatedFields(Create("countries/ROU", "shelter", shelter).status()),
      ElementsAre("measure.duration_days"));
  shelter.clear_duration_days();
  shelter.set_min_duration_months(6);
  EXPECT_THAT(
      ViolatedFields(Create("countries/ROU", "shelter", shelter).status()),
      ElementsAre("measure.min_duration_months"));
}

TEST_F(AssistanceDomainTest, RequestIdMakesUpdateAndDeleteRetriesSucceed) {
  auto created = Create("countries/ROU", "reflection-period", Reflection(90));
  ASSERT_TRUE(created.ok()) << created.status();
  v1::UpdateMeasureRequest update;
  *update.mutable_measure() = Reflection(30);
  update.mutable_measure()->set_name(created->name());
  update.mutable_measure()->set_etag(created->etag());
  update.mutable_update_mask()->add_paths("duration_days");
  update.set_request_id("update-1");
  auto first = domain_->UpdateMeasure(update);
  ASSERT_TRUE(first.ok()) << first.status();
  auto retry = domain_->UpdateMeasure(update);  // its etag is stale now
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(retry->etag(), first->etag());
  update.set_request_id("bad id!");
  EXPECT_THAT(ViolatedFields(domain_->UpdateMeasure(update).status()),
              ElementsAre("request_id"));
  v1::DeleteMeasureRequest del;
  del.set_name(created->name());
  del.set_request_id("delete-1");
  ASSERT_TRUE(domain_->DeleteMeasure(del).ok());
  EXPECT_TRUE(domain_->DeleteMeasure(del).ok());
  del.clear_request_id();
  EXPECT_EQ(domain_->DeleteMeasure(del).code(), absl::StatusCode::kNotFound);
}

TEST_F(AssistanceDomainTest, RequestIdMakesCreateIdempotent) {
  auto first =
      Create("countries/ROU", "reflection-period", Reflection(90), "load-1");
  ASSERT_TRUE(first.ok());
  auto again =
      Create("countries/ROU", "reflection-period", Reflection(90), "load-1");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->etag(), "r1");
  EXPECT_EQ(Create("countries/ROU", "reflection-period", Reflection(90))
                .status()
                .code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(
      ViolatedFields(
          Create("countries/LVA", "x", Reflection(90), "load-1").status()),
      ElementsAre("request_id"));
}

TEST_F(AssistanceDomainTest, FilterFindsWhoProvidesWhatOnWhichCondition) {
  v1::Measure latvia;
  latvia.set_measure_type("TEMPORARY_RESIDENCE");
  latvia.set_min_duration_months(6);
  latvia.set_conditional_on_cooperation(true);
  *latvia.add_sources() = Reflection(1).sources(0);
  ASSERT_TRUE(Create("countries/LVA", "temporary-residence", latvia).ok());
  v1::Measure other = latvia;
  other.set_conditional_on_cooperation(false);
  ASSERT_TRUE(Create("countries/BGR", "temporary-residence", other).ok());
  v1::Measure unknown = latvia;
  unknown.clear_conditional_on_cooperation();
  ASSERT_TRUE(Create("countries/POL", "temporary-residence", unknown).ok());
  v1::ListMeasuresRequest list;
  list.set_parent("-");
  list.set_filter(
      "measure_type = \"TEMPORARY_RESIDENCE\" AND conditional_on_cooperation = "
      "false");
  auto found = domain_->ListMeasures(list);
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_EQ(found->measures_size(), 1);  // unknown is not "no"
  EXPECT_EQ(found->measures(0).name(),
            "countries/BGR/measures/temporary-residence");
}

TEST_F(AssistanceDomainTest, CompareEntitiesSideBySide) {
  ASSERT_TRUE(
      Create("countries/ROU", "reflection-period", Reflection(90)).ok());
  v1::CompareEntitiesRequest request;
  request.add_entities("countries/ROU");
  request.add_entities("countries/LVA");
  request.add_measure_types("REFLECTION_PERIOD");
  auto compared = domain_->CompareEntities(request);
  ASSERT_TRUE(compared.ok());
  ASSERT_EQ(compared->rows_size(), 1);
  EXPECT_EQ(compared->rows(0).cells(0).measures(0).duration_days(), 90);
  EXPECT_EQ(compared->rows(0).cells(1).measures_size(), 0);
}

TEST_F(AssistanceDomainTest, CompareEntitiesRowsForEveryTypeAskedOrHeld) {
  ASSERT_TRUE(
      Create("countries/ROU", "reflection-period", Reflection(90)).ok());
  v1::Measure shelter;
  shelter.set_measure_type("SHELTER");
  shelter.set_provided(true);
  *shelter.add_sources() = Reflection(1).sources(0);
  ASSERT_TRUE(Create("countries/LVA", "shelter", shelter).ok());
  v1::CompareEntitiesRequest request;
  request.add_entities("countries/ROU");
  request.add_entities("countries/LVA");
  auto all = domain_->CompareEntities(request);  // no types: every type held
  ASSERT_TRUE(all.ok()) << all.status();
  std::vector<std::string> types;
  for (const auto& row : all->rows()) types.push_back(row.measure_type());
  EXPECT_THAT(types, ElementsAre("REFLECTION_PERIOD", "SHELTER"));
  request.add_measure_types("TEMPORARY_RESIDENCE");  // held by neither
  auto asked = domain_->CompareEntities(request);
  ASSERT_TRUE(asked.ok());
  ASSERT_EQ(asked->rows_size(), 1);
  EXPECT_EQ(asked->rows(0).measure_type(), "TEMPORARY_RESIDENCE");
  ASSERT_EQ(asked->rows(0).cells_size(), 2);
  EXPECT_EQ(asked->rows(0).cells(0).measures_size(), 0);
}

TEST_F(AssistanceDomainTest, AReflectionPeriodIsOneDayToTenYears) {
  EXPECT_TRUE(Create("countries/ROU", "longest", Reflection(3650)).ok());
  EXPECT_TRUE(Create("countries/LVA", "shortest", Reflection(1)).ok());
  EXPECT_THAT(
      ViolatedFields(
          Create("countries/EST", "too-long", Reflection(3651)).status()),
      ElementsAre("measure.duration_days"));
  EXPECT_THAT(
      ViolatedFields(Create("countries/EST", "none", Reflection(0)).status()),
      ElementsAre("measure.duration_days"));
}

TEST_F(AssistanceDomainTest, MeasureTypePagesNeitherRepeatNorSkip) {
  auto all = domain_->ListMeasureTypes(v1::ListMeasureTypesRequest());
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_GT(all->measure_types_size(), 2);
  v1::ListMeasureTypesRequest request;
  request.set_page_size(2);
  std::vector<std::string> codes;
  do {
    auto page = domain_->ListMeasureTypes(request);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const auto& t : page->measure_types()) codes.push_back(t.code());
    request.set_page_token(page->next_page_token());
  } while (!request.page_token().empty());
  std::vector<std::string> expected;
  for (const auto& t : all->measure_types()) expected.push_back(t.code());
  EXPECT_EQ(codes, expected);
}

TEST_F(AssistanceDomainTest, CaseRecordsAreValidatedAndCountedWithSuppression) {
  v1::CreateCaseRecordRequest bad;
  bad.mutable_case_record()->set_entity("countries/ROU");
  bad.mutable_case_record()->set_citizenship("ZZZ");
  bad.mutable_case_record()->add_services_received("SPA_DAY");
  EXPECT_THAT(ViolatedFields(domain_->CreateCase(bad).status()),
              UnorderedElementsAre("case_record.citizenship",
                                   "case_record.services_received[0]"));
  for (int i = 0; i < 30; ++i)
    ASSERT_TRUE(AddCase("countries/ROU", v1::GENDER_FEMALE).ok());
  for (int i = 0; i < 3; ++i)
    ASSERT_TRUE(AddCase("countries/ROU", v1::GENDER_MALE).ok());
  for (int i = 0; i < 20; ++i)
    ASSERT_TRUE(AddCase("countries/ROU", v1::GENDER_UNKNOWN).ok());
  EXPECT_EQ(Cut(), 1);
  v1::AggregateCasesRequest request;
  request.add_group_by(v1::CASE_DIMENSION_GENDER);
  auto table = domain_->AggregateCases(request);
  ASSERT_TRUE(table.ok()) << table.status();
  EXPECT_EQ(table->k(), 11);
  std::map<std::string, const v1::CaseCell*> cells;
  for (const auto& c : table->cells()) cells[c.keys(0)] = &c;
  EXPECT_FALSE(cells.at("MALE")->has_count());
  EXPECT_EQ(cells.at("MALE")->status(), v1::CELL_STATUS_SUPPRESSED);
  EXPECT_FALSE(cells.at("UNKNOWN")->has_count());  // or 53 - 30 gives MALE
  EXPECT_EQ(cells.at("_T")->count(), 53);
  // k is the service's setting: with k = 3 the 3 is published.
  AssistanceDomain k3(*store_, TestEntities(), /*k=*/3);
  EXPECT_EQ(Cut(&k3), 2);
  table = k3.AggregateCases(request);
  ASSERT_TRUE(table.ok());
  EXPECT_EQ(table->k(), 3);
  for (const auto& c : table->cells()) {
    if (c.keys(0) == "MALE") {
      EXPECT_EQ(c.count(), 3);
    }
  }
}

TEST_F(AssistanceDomainTest, OneEntitysTableIsItsRowOfTheAllEntitiesTable) {
  // A review's example: served on its own, ROU's FEMALE (19) was published
  // while the all-entities table hid it, giving LVA's 6 by subtraction.
  for (int i = 0; i < 6; ++i)
    ASSERT_TRUE(AddCase("countries/LVA", v1::GENDER_FEMALE).ok());
  for (int i = 0; i < 18; ++i)
    ASSERT_TRUE(AddCase("countries/LVA", v1::GENDER_MALE).ok());
  for (int i = 0; i < 8; ++i)
    ASSERT_TRUE(AddCase("countries/LVA", v1::GENDER_UNKNOWN).ok());
  for (int i = 0; i < 19; ++i)
    ASSERT_TRUE(AddCase("countries/ROU", v1::GENDER_FEMALE).ok());
  for (int i = 0; i < 13; ++i)
    ASSERT_TRUE(AddCase("countries/ROU", v1::GENDER_MALE).ok());
  for (int i = 0; i < 18; ++i)
    ASSERT_TRUE(AddCase("countries/ROU", v1::GENDER_UNKNOWN).ok());
  Cut();
  v1::AggregateCasesRequest all;
  all.add_group_by(v1::CASE_DIMENSION_ENTITY);
  all.add_group_by(v1::CASE_DIMENSION_GENDER);
  auto table = domain_->AggregateCases(all);
  ASSERT_TRUE(table.ok()) << table.status();
  std::map<std::string, std::optional<int64_t>> rou;
  for (const auto& c : table->cells()) {
    if (c.keys(0) == "countries/ROU") {
      rou[c.keys(1)] =
          c.has_count() ? std::optional<int64_t>(c.count()) : std::nullopt;
    }
  }
  v1::AggregateCasesRequest one;
  one.set_entity("countries/ROU");
  one.add_group_by(v1::CASE_DIMENSION_GENDER);
  auto row = domain_->AggregateCases(one);
  ASSERT_TRUE(row.ok()) << row.status();
  ASSERT_EQ(row->cells_size(), static_cast<int>(rou.size()));
  for (const auto& c : row->cells()) {
    ASSERT_EQ(c.keys_size(), 1);
    EXPECT_EQ(c.has_count() ? std::optional<int64_t>(c.count()) : std::nullopt,
              rou.at(c.keys(0)))
        << c.keys(0);
  }
}

TEST_F(AssistanceDomainTest, EveryEntityIsListedFromTheFirstRelease) {
  // No organization's row may appear only once its first case is recorded.
  for (int i = 0; i < 12; ++i)
    ASSERT_TRUE(AddCase("countries/ROU", v1::GENDER_FEMALE).ok());
  Cut();
  const v1::AggregateCasesResponse table =
      Aggregate({v1::CASE_DIMENSION_ENTITY});
  std::set<std::string> entities;
  for (const auto& c : table.cells()) {
    entities.insert(c.keys(0));
  }
  EXPECT_TRUE(entities.count("countries/LVA"));
  EXPECT_TRUE(entities.count("organizations/LAS"));
}

TEST_F(AssistanceDomainTest, BeforeTheFirstReleaseTablesAreEmpty) {
  ASSERT_TRUE(AddCase("countries/ROU", v1::GENDER_FEMALE).ok());
  const auto table = Aggregate({v1::CASE_DIMENSION_GENDER});
  EXPECT_EQ(table.release(), 0);
  EXPECT_EQ(table.cells_size(), 0);
  v1::AggregateCasesRequest later;
  later.add_group_by(v1::CASE_DIMENSION_GENDER);
  later.set_release(1);
  EXPECT_EQ(domain_->AggregateCases(later).status().code(),
            absl::StatusCode::kNotFound);
  later.set_release(-1);
  EXPECT_THAT(ViolatedFields(domain_->AggregateCases(later).status()),
              ElementsAre("release"));
}

TEST_F(AssistanceDomainTest, AReleaseIsFrozenUntilTheNextCut) {
  for (int i = 0; i < 30; ++i)
    ASSERT_TRUE(AddCase("countries/ROU", v1::GENDER_FEMALE).ok());
  for (int i = 0; i < 15; ++i)
    ASSERT_TRUE(AddCase("countries/LVA", v1::GENDER_MALE).ok());
  EXPECT_EQ(Cut(), 1);
  const auto first = Aggregate({v1::CASE_DIMENSION_GENDER});
  EXPECT_EQ(first.release(), 1);
  EXPECT_TRUE(first.has_release_cut_time());
  for (int i = 0; i < 12; ++i)
    ASSERT_TRUE(AddCase("countries/ROU", v1::GENDER_FEMALE).ok());
  // Recorded but not yet released: the same answer.
  EXPECT_EQ(Aggregate({v1::CASE_DIMENSION_GENDER}).SerializeAsString(),
            first.SerializeAsString());
  EXPECT_EQ(Cut(), 2);
  const auto second = Aggregate({v1::CASE_DIMENSION_GENDER});
  EXPECT_EQ(second.release(), 2);
  EXPECT_EQ(second.cells(second.cells_size() - 1).count(), 57);
  // An earlier release stays as it was, and so does a new domain on the
  // same store (a restart).
  EXPECT_EQ(Aggregate({v1::CASE_DIMENSION_GENDER}, "", 1).SerializeAsString(),
            first.SerializeAsString());
  AssistanceDomain restarted(*store_, TestEntities());
  v1::AggregateCasesRequest request;
  request.add_group_by(v1::CASE_DIMENSION_GENDER);
  auto again = restarted.AggregateCases(request);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->SerializeAsString(), second.SerializeAsString());
}

TEST_F(AssistanceDomainTest, CuttingIsIdempotentWithARequestId) {
  ASSERT_TRUE(AddCase("countries/ROU", v1::GENDER_FEMALE).ok());
  v1::CreateCaseReleaseRequest request;
  request.set_request_id("cut-1");
  auto first = domain_->CreateCaseRelease(request);
  ASSERT_TRUE(first.ok()) << first.status();
  auto retry = domain_->CreateCaseRelease(request);
  ASSERT_TRUE(retry.ok());
  EXPECT_EQ(retry->SerializeAsString(), first->SerializeAsString());
  EXPECT_EQ(first->name(), "caseReleases/1");
  EXPECT_EQ(Cut(), 2);
  request.set_request_id(std::string(1000, 'x'));
  EXPECT_THAT(ViolatedFields(domain_->CreateCaseRelease(request).status()),
              ElementsAre("request_id"));
}

TEST_F(AssistanceDomainTest, AReleaseRequestIdTakenByAnotherRequestIsRefused) {
  v1::CreateCaseRecordRequest create;
  create.mutable_case_record()->set_entity("countries/ROU");
  create.mutable_case_record()->set_gender(v1::GENDER_FEMALE);
  create.set_request_id("shared-id");
  ASSERT_TRUE(domain_->CreateCase(create).ok());
  // One protocol, one requests table: the id answers another request.
  v1::CreateCaseReleaseRequest cut;
  cut.set_request_id("shared-id");
  EXPECT_THAT(ViolatedFields(domain_->CreateCaseRelease(cut).status()),
              ElementsAre("request_id"));
  EXPECT_EQ(*store_->LatestCaseReleaseNumber(), 0);
  // And a cut's id is refused to another request likewise.
  cut.set_request_id("cut-id");
  ASSERT_TRUE(domain_->CreateCaseRelease(cut).ok());
  create.set_request_id("cut-id");
  EXPECT_THAT(ViolatedFields(domain_->CreateCase(create).status()),
              ElementsAre("request_id"));
}

TEST_F(AssistanceDomainTest, WritesReportTheSequenceOfTheirChange) {
  int64_t sequence = -1;
  v1::CreateMeasureTypeRequest type;
  type.mutable_measure_type()->set_code("HOTLINE");
  type.mutable_measure_type()->set_display_name("Hotline");
  ASSERT_TRUE(domain_->CreateMeasureType(type, &sequence).ok());
  EXPECT_EQ(sequence, 1);
  v1::CreateMeasureRequest measure;
  measure.set_parent("countries/ROU");
  measure.set_measure_id("reflection");
  *measure.mutable_measure() = Reflection(30);
  measure.set_request_id("measure-1");
  auto created = domain_->CreateMeasure(measure, &sequence);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(sequence, 2);
  v1::CreateCaseRecordRequest record;
  record.mutable_case_record()->set_entity("countries/ROU");
  record.mutable_case_record()->set_gender(v1::GENDER_MALE);
  // A case record is unlogged: its writes report the latest sequence.
  auto c = domain_->CreateCase(record, &sequence);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(sequence, 2);
  // A replay: the latest sequence, at least as fresh as its change.
  sequence = -1;
  ASSERT_TRUE(domain_->CreateMeasure(measure, &sequence).ok());
  EXPECT_EQ(sequence, 2);
  v1::UpdateMeasureRequest update;
  *update.mutable_measure() = *created;
  update.mutable_measure()->set_duration_days(45);
  ASSERT_TRUE(domain_->UpdateMeasure(update, &sequence).ok());
  EXPECT_EQ(sequence, 3);
  v1::UpdateCaseRecordRequest update_case;
  update_case.mutable_case_record()->set_name(c->name());
  update_case.mutable_case_record()->set_gender(v1::GENDER_FEMALE);
  update_case.mutable_update_mask()->add_paths("gender");
  sequence = -1;
  ASSERT_TRUE(domain_->UpdateCase(update_case, &sequence).ok());
  EXPECT_EQ(sequence, 3);
  v1::CreateCaseReleaseRequest cut;
  cut.set_request_id("cut-1");
  auto release = domain_->CreateCaseRelease(cut, &sequence);
  ASSERT_TRUE(release.ok()) << release.status();
  EXPECT_EQ(sequence, 4);
  v1::DeleteCaseRecordRequest delete_case;
  delete_case.set_name(c->name());
  sequence = -1;
  ASSERT_TRUE(domain_->DeleteCase(delete_case, &sequence).ok());
  EXPECT_EQ(sequence, 4);
  v1::DeleteMeasureRequest delete_measure;
  delete_measure.set_name(created->name());
  ASSERT_TRUE(domain_->DeleteMeasure(delete_measure, &sequence).ok());
  EXPECT_EQ(sequence, 5);
  // The cut's retry: its first answer, and the latest sequence.
  sequence = -1;
  auto again = domain_->CreateCaseRelease(cut, &sequence);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->SerializeAsString(), release->SerializeAsString());
  EXPECT_EQ(sequence, 5);
  // The log names no case record.
  auto changes = store_->Changes().ReadChanges(0, 100);
  ASSERT_TRUE(changes.ok());
  std::vector<std::string> resources;
  for (const ChangeEntry& e : *changes) resources.push_back(e.resource);
  EXPECT_THAT(resources,
              ElementsAre("measureTypes/HOTLINE", created->name(),
                          created->name(), "caseReleases/1", created->name()));
}

TEST_F(AssistanceDomainTest, DeletedCasesAreNotCounted) {
  std::vector<v1::CaseRecord> created;
  for (int i = 0; i < 15; ++i) {
    auto c = AddCase("countries/ROU", v1::GENDER_FEMALE);
    ASSERT_TRUE(c.ok());
    created.push_back(*c);
  }
  for (int i = 0; i < 3; ++i) {
    v1::DeleteCaseRecordRequest del;
    del.set_name(created[i].name());
    ASSERT_TRUE(domain_->DeleteCase(del).ok());
  }
  Cut();
  std::map<std::string, v1::CaseCell> cells;
  const auto table = Aggregate({v1::CASE_DIMENSION_GENDER});
  for (const auto& c : table.cells()) cells[c.keys(0)] = c;
  EXPECT_EQ(cells.at("FEMALE").count(), 12);
  EXPECT_EQ(cells.at("_T").count(), 12);
  EXPECT_TRUE(cells.at("MALE").has_count());
  EXPECT_EQ(cells.at("MALE").count(), 0);
}

// Whatever the order asked for, a cell is the same; an entity's table is its
// row of the [ENTITY, X] table: on random cases, through the API.
TEST_F(AssistanceDomainTest, EveryTableAgreesWithEveryOther) {
  std::mt19937 random(20260101);
  const char* entities[] = {"countries/ROU", "countries/LVA", "countries/BGR",
                            "countries/HUN"};
  const char* citizenships[] = {"MDA", "UKR", "ROU", ""};
  for (int i = 0; i < 400; ++i) {
    v1::CaseRecord c;
    c.set_entity(entities[std::min(random() % 4, random() % 4)]);
    c.set_gender(static_cast<v1::Gender>(1 + random() % 4));
    c.set_age_group(static_cast<v1::CaseAgeGroup>(random() % 4));
    c.set_citizenship(citizenships[std::min(random() % 4, random() % 4)]);
    c.set_referral_source(static_cast<v1::ReferralSource>(random() % 9));
    ASSERT_TRUE(AddCase(c).ok());
  }
  Cut();
  using Key = std::vector<std::string>;
  auto cells_of = [](const v1::AggregateCasesResponse& t) {
    std::map<Key, std::string> out;
    for (const auto& c : t.cells()) {
      v1::CaseCell value = c;
      value.clear_keys();
      out[Key(c.keys().begin(), c.keys().end())] = value.SerializeAsString();
    }
    return out;
  };
  int suppressed = 0;
  for (int a = 1; a <= 5; ++a) {
    const auto one = cells_of(Aggregate({v1::CaseDimension(a)}));
    for (int b = 1; b <= 5; ++b) {
      if (a == b) continue;
      const auto t = Aggregate({v1::CaseDimension(a), v1::CaseDimension(b)});
      for (const auto& c : t.cells()) suppressed += !c.has_count();
      const auto ab = cells_of(t);
      const auto ba =
          cells_of(Aggregate({v1::CaseDimension(b), v1::CaseDimension(a)}));
      ASSERT_EQ(ab.size(), ba.size());
      for (const auto& [key, value] : ab) {
        EXPECT_EQ(ba.at({key[1], key[0]}), value) << key[0] << "," << key[1];
        if (key[1] == "_T") {
          EXPECT_EQ(one.at({key[0]}), value);
        }
      }
      if (a != v1::CASE_DIMENSION_ENTITY) continue;
      for (const char* e : entities) {
        const auto row = cells_of(Aggregate({v1::CaseDimension(b)}, e));
        for (const auto& [key, value] : row) {
          EXPECT_EQ(ab.at({e, key[0]}), value) << e << "," << key[0];
        }
      }
    }
  }
  EXPECT_GT(suppressed, 0);  // the data exercise suppression
}

TEST_F(AssistanceDomainTest, ADeletedCaseLeavesNothingBehindItsRequestId) {
  v1::CreateCaseRecordRequest request;
  request.mutable_case_record()->set_entity("countries/ROU");
  request.mutable_case_record()->set_citizenship("MDA");
  request.set_request_id("case-1");
  auto created = domain_->CreateCase(request);
  ASSERT_TRUE(created.ok()) << created.status();
  auto replay = domain_->CreateCase(request);
  ASSERT_TRUE(replay.ok());
  EXPECT_EQ(replay->name(), created->name());
  v1::DeleteCaseRecordRequest del;
  del.set_name(created->name());
  ASSERT_TRUE(domain_->DeleteCase(del).ok());
  // The key table kept the name only: the retry finds the case gone.
  EXPECT_EQ(domain_->CreateCase(request).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(AssistanceDomainTest, AggregateRejectsBadDimensionsAndK) {
  v1::AggregateCasesRequest request;
  EXPECT_THAT(ViolatedFields(domain_->AggregateCases(request).status()),
              ElementsAre("group_by"));
  request.add_group_by(v1::CASE_DIMENSION_GENDER);
  request.add_group_by(v1::CASE_DIMENSION_GENDER);
  EXPECT_THAT(ViolatedFields(domain_->AggregateCases(request).status()),
              ElementsAre("group_by[1]"));
  v1::AggregateCasesRequest two;
  two.set_entity("countries/ROU");
  two.add_group_by(v1::CASE_DIMENSION_GENDER);
  two.add_group_by(v1::CASE_DIMENSION_AGE_GROUP);
  EXPECT_THAT(ViolatedFields(domain_->AggregateCases(two).status()),
              ElementsAre("group_by"));
}

}  // namespace
}  // namespace palermo::assistance
