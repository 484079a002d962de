// Domain rules of the legislation service, exercised without a server on a
// real SQLite store in a temporary directory.
#include "services/legislation/legislation_domain.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

#include "absl/strings/str_cat.h"
#include "services/common/bounds.h"
#include "services/common/status.h"
#include "services/common/test_support.h"
#include "services/legislation/sqlite_legislation_store.h"

namespace palermo::legislation {
namespace {

using testing::ElementsAre;
using testing::UnorderedElementsAre;

common::v1::Provenance Source(int paragraph, int footnote = 0) {
  common::v1::Provenance p;
  p.set_document_symbol("E/CN.15/2008/6");
  p.set_paragraph(paragraph);
  p.set_footnote(footnote);
  return p;
}

v1::Legislation RatifiedRecord() {
  v1::Legislation l;
  l.mutable_protocol()->set_status(v1::TREATY_STATUS_RATIFIED);
  *l.mutable_protocol()->add_sources() = Source(5, 1);
  return l;
}

class LegislationDomainTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = FreshTestDir();
    auto store = SqliteLegislationStore::Open((dir_ / "l.db").string());
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
    domain_ = std::make_unique<LegislationDomain>(*store_, TestEntities(),
                                                  [this] { return now_; });
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  absl::StatusOr<v1::Legislation> Create(const std::string& parent,
                                         v1::Legislation l,
                                         const std::string& request_id = "") {
    v1::CreateLegislationRequest request;
    request.set_parent(parent);
    *request.mutable_legislation() = std::move(l);
    request.set_request_id(request_id);
    return domain_->Create(request, "analyst@example.org");
  }

  absl::StatusOr<v1::Legislation> UpdateNotes(const std::string& name,
                                              const std::string& notes,
                                              const std::string& etag = "") {
    v1::UpdateLegislationRequest request;
    request.mutable_legislation()->set_name(name);
    request.mutable_legislation()->set_notes(notes);
    request.mutable_legislation()->set_etag(etag);
    request.mutable_update_mask()->add_paths("notes");
    return domain_->Update(request, "reviewer");
  }

  int CountLive() {
    auto list = domain_->List({});
    EXPECT_TRUE(list.ok());
    return list.ok() ? list->total_size() : -1;
  }

  std::filesystem::path dir_;
  std::unique_ptr<SqliteLegislationStore> store_;
  std::unique_ptr<LegislationDomain> domain_;
  absl::Time now_ = absl::FromUnixSeconds(1200000000);
};

TEST_F(LegislationDomainTest, CreateSetsNameEntityEtagAndTimes) {
  v1::Legislation input = RatifiedRecord();
  input.set_etag("forged");  // output only: ignored
  auto created = Create("countries/EST", input);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->name(), "countries/EST/legislation");
  EXPECT_EQ(created->entity().display_name(), "Estonia");
  EXPECT_EQ(created->etag(), "r1");
  EXPECT_EQ(created->create_time().seconds(), 1200000000);
  v1::GetLegislationRequest get;
  get.set_name("countries/EST/legislation");
  auto read = domain_->Get(get);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->protocol().status(), v1::TREATY_STATUS_RATIFIED);
}

TEST_F(LegislationDomainTest, CreateTwiceIsAlreadyExists) {
  ASSERT_TRUE(Create("countries/EST", RatifiedRecord()).ok());
  EXPECT_EQ(Create("countries/EST", RatifiedRecord()).status().code(),
            absl::StatusCode::kAlreadyExists);
}

TEST_F(LegislationDomainTest, InvalidCreateNamesEveryFieldAndWritesNothing) {
  v1::Legislation l = RatifiedRecord();
  l.mutable_penalties()->set_min_imprisonment_months(120);
  l.mutable_penalties()->set_max_imprisonment_months(60);
  *l.mutable_penalties()->add_sources() = Source(6, 5);
  auto* date = l.mutable_protocol()->mutable_consent_date();
  date->set_year(2006);
  date->set_month(2);
  date->set_day(30);
  date->set_precision(common::v1::DATE_PRECISION_DAY);
  l.mutable_crc_optional_protocol()->set_status(
      static_cast<v1::TreatyStatus>(99));
  *l.mutable_crc_optional_protocol()->add_sources() = Source(7, 8);
  l.mutable_user_liability()->set_value(true);  // no sources
  auto result = Create("countries/XYZ", l, "bad id!");
  ASSERT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(
      ViolatedFields(result.status()),
      UnorderedElementsAre("parent", "legislation.protocol.consent_date.day",
                           "legislation.crc_optional_protocol.status",
                           "legislation.penalties.min_imprisonment_months",
                           "legislation.user_liability.sources", "request_id"));
  EXPECT_EQ(CountLive(), 0);
}

TEST_F(LegislationDomainTest, RejectsMisplacedLawKinds) {
  v1::Legislation l;
  auto* law = l.add_protection_laws();
  law->set_kind(v1::LAW_KIND_ANTI_TRAFFICKING);
  *law->add_sources() = Source(60, 10);
  l.mutable_specific_law()->set_kind(v1::LAW_KIND_VICTIM_PROTECTION);
  *l.mutable_specific_law()->add_sources() = Source(5, 2);
  auto result = Create("countries/OMN", l);
  EXPECT_THAT(ViolatedFields(result.status()),
              UnorderedElementsAre("legislation.protection_laws[0].kind",
                                   "legislation.specific_law.kind"));
}

TEST_F(LegislationDomainTest, SameRequestIdReplaysWithoutWriting) {
  auto first = Create("countries/EST", RatifiedRecord(), "req-1");
  ASSERT_TRUE(first.ok());
  now_ += absl::Hours(1);
  auto second = Create("countries/EST", RatifiedRecord(), "req-1");
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->etag(), first->etag());
  EXPECT_EQ(second->create_time().seconds(), first->create_time().seconds());
  v1::ListLegislationRevisionsRequest revisions;
  revisions.set_name("countries/EST/legislation");
  EXPECT_EQ(domain_->ListRevisions(revisions)->revisions_size(), 1);
}

TEST_F(LegislationDomainTest, RequestIdReusedForAnotherRequestIsRejected) {
  ASSERT_TRUE(Create("countries/EST", RatifiedRecord(), "req-1").ok());
  auto other = Create("countries/LVA", RatifiedRecord(), "req-1");
  EXPECT_EQ(other.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(other.status()), ElementsAre("request_id"));
  EXPECT_EQ(CountLive(), 1);
}

TEST_F(LegislationDomainTest, UpdateHonoursMaskAndEtag) {
  auto created = Create("countries/EST", RatifiedRecord());
  ASSERT_TRUE(created.ok());
  auto updated = UpdateNotes(created->name(), "first", created->etag());
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->notes(), "first");
  EXPECT_EQ(updated->protocol().status(), v1::TREATY_STATUS_RATIFIED);
  EXPECT_EQ(updated->etag(), "r2");

  auto stale = UpdateNotes(created->name(), "lost update", created->etag());
  ASSERT_EQ(stale.status().code(), absl::StatusCode::kAborted);
  EXPECT_TRUE(
      stale.status().GetPayload(kPreconditionFailureTypeUrl).has_value());
  v1::GetLegislationRequest get;
  get.set_name(created->name());
  EXPECT_EQ(domain_->Get(get)->notes(), "first");
}

TEST_F(LegislationDomainTest, UpdateMaskClearsAFieldAbsentFromTheRequest) {
  auto created = Create("countries/EST", RatifiedRecord());
  ASSERT_TRUE(created.ok());
  v1::UpdateLegislationRequest request;
  request.mutable_legislation()->set_name(created->name());
  request.mutable_update_mask()->add_paths("protocol");
  auto updated = domain_->Update(request, "x");
  ASSERT_TRUE(updated.ok());
  EXPECT_FALSE(updated->has_protocol());
}

TEST_F(LegislationDomainTest, UpdateValidatesMaskAndMergedRecord) {
  auto created = Create("countries/EST", RatifiedRecord());
  ASSERT_TRUE(created.ok());
  v1::UpdateLegislationRequest request;
  request.mutable_legislation()->set_name(created->name());
  request.mutable_legislation()
      ->mutable_penalties()
      ->set_min_imprisonment_months(-1);
  request.mutable_update_mask()->add_paths("penalties");
  request.mutable_update_mask()->add_paths("etag");
  request.mutable_update_mask()->add_paths("no_such_field");
  auto result = domain_->Update(request, "x");
  EXPECT_THAT(ViolatedFields(result.status()),
              ElementsAre("update_mask.paths[1]", "update_mask.paths[2]"));
  request.mutable_update_mask()->clear_paths();
  request.mutable_update_mask()->add_paths("penalties");
  result = domain_->Update(request, "x");
  EXPECT_THAT(
      ViolatedFields(result.status()),
      UnorderedElementsAre("legislation.penalties.sources",
                           "legislation.penalties.min_imprisonment_months"));
  v1::GetLegislationRequest get;
  get.set_name(created->name());
  EXPECT_EQ(domain_->Get(get)->etag(), "r1");
}

TEST_F(LegislationDomainTest, ANoOpUpdateStillTakesItsRequestId) {
  auto created = Create("countries/EST", RatifiedRecord());
  ASSERT_TRUE(created.ok());
  v1::UpdateLegislationRequest same;
  same.mutable_legislation()->set_name(created->name());
  *same.mutable_legislation()->mutable_protocol() = created->protocol();
  same.mutable_update_mask()->add_paths("protocol");
  same.set_request_id("noop-1");
  auto unchanged = domain_->Update(same, "x");
  ASSERT_TRUE(unchanged.ok()) << unchanged.status();
  EXPECT_EQ(unchanged->etag(), "r1");
  EXPECT_TRUE(domain_->Update(same, "x").ok());  // a retry replays
  v1::CreateLegislationRequest other;
  other.set_parent("countries/LVA");
  other.set_request_id("noop-1");
  EXPECT_THAT(ViolatedFields(domain_->Create(other, "x").status()),
              ElementsAre("request_id"));
}

TEST_F(LegislationDomainTest, WritesReportTheSequenceOfTheirChange) {
  v1::CreateLegislationRequest create;
  create.set_parent("countries/EST");
  *create.mutable_legislation() = RatifiedRecord();
  create.set_request_id("create-1");
  int64_t sequence = -1;
  auto created = domain_->Create(create, "x", &sequence);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(sequence, 1);

  v1::UpdateLegislationRequest update;
  update.mutable_legislation()->set_name(created->name());
  update.mutable_legislation()->set_notes("n");
  update.mutable_update_mask()->add_paths("notes");
  ASSERT_TRUE(domain_->Update(update, "x", &sequence).ok());
  EXPECT_EQ(sequence, 2);
  v1::CreateLegislationRequest other;
  other.set_parent("countries/LVA");
  *other.mutable_legislation() = RatifiedRecord();
  ASSERT_TRUE(domain_->Create(other, "x", &sequence).ok());
  EXPECT_EQ(sequence, 3);

  // A replay and a no-op wrote nothing: the latest sequence, at least as
  // fresh as their answer.
  sequence = -1;
  ASSERT_TRUE(domain_->Create(create, "x", &sequence).ok());
  EXPECT_EQ(sequence, 3);
  sequence = -1;
  update.set_request_id("noop-2");
  ASSERT_TRUE(domain_->Update(update, "x", &sequence).ok());
  EXPECT_EQ(sequence, 3);

  v1::DeleteLegislationRequest remove;
  remove.set_name(created->name());
  ASSERT_TRUE(domain_->Delete(remove, "x", &sequence).ok());
  EXPECT_EQ(sequence, 4);
  auto changes = store_->Changes().ReadChanges(0, 10);
  ASSERT_TRUE(changes.ok()) << changes.status();
  ASSERT_EQ(changes->size(), 4u);
  EXPECT_EQ((*changes)[3].resource, created->name());
  EXPECT_EQ((*changes)[3].type, common::v1::CHANGE_TYPE_DELETED);
  // A failed write reports nothing.
  sequence = -1;
  EXPECT_FALSE(domain_->Delete(remove, "x", &sequence).ok());
  EXPECT_EQ(sequence, -1);
}

TEST_F(LegislationDomainTest, UpdateOfMissingRecordIsNotFound) {
  EXPECT_EQ(UpdateNotes("countries/FRA/legislation", "x").status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(LegislationDomainTest, RevisionsRecordWhoWhatAndWhenAcrossDelete) {
  auto created = Create("countries/EST", RatifiedRecord());
  ASSERT_TRUE(created.ok());
  now_ += absl::Minutes(5);
  ASSERT_TRUE(UpdateNotes(created->name(), "reviewed").ok());
  now_ += absl::Minutes(5);
  v1::DeleteLegislationRequest del;
  del.set_name(created->name());
  del.set_etag("r1");
  EXPECT_EQ(domain_->Delete(del, "admin").code(), absl::StatusCode::kAborted);
  del.set_etag("r2");
  ASSERT_TRUE(domain_->Delete(del, "admin").ok());
  EXPECT_EQ(domain_->Delete(del, "admin").code(), absl::StatusCode::kNotFound);

  v1::ListLegislationRevisionsRequest request;
  request.set_name(created->name());
  request.set_page_size(2);
  auto page1 = domain_->ListRevisions(request);
  ASSERT_TRUE(page1.ok()) << page1.status();
  ASSERT_EQ(page1->revisions_size(), 2);
  EXPECT_EQ(page1->revisions(0).change_kind(), v1::CHANGE_KIND_DELETE);
  EXPECT_EQ(page1->revisions(0).actor(), "admin");
  EXPECT_EQ(page1->revisions(1).change_kind(), v1::CHANGE_KIND_UPDATE);
  EXPECT_EQ(page1->revisions(1).actor(), "reviewer");
  EXPECT_THAT(page1->revisions(1).changed_fields(), ElementsAre("notes"));
  EXPECT_EQ(page1->revisions(1).change_time().seconds(), 1200000000 + 300);
  request.set_page_token(page1->next_page_token());
  auto page2 = domain_->ListRevisions(request);
  ASSERT_TRUE(page2.ok());
  ASSERT_EQ(page2->revisions_size(), 1);
  EXPECT_EQ(page2->revisions(0).change_kind(), v1::CHANGE_KIND_CREATE);
  EXPECT_EQ(page2->revisions(0).actor(), "analyst@example.org");
  EXPECT_TRUE(page2->next_page_token().empty());

  // Re-created, the record continues its revision sequence.
  auto again = Create("countries/EST", RatifiedRecord());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->etag(), "r4");
}

TEST_F(LegislationDomainTest, RevisionsOfALegislationNeverWrittenAreNotFound) {
  v1::ListLegislationRevisionsRequest request;
  request.set_name("countries/EST/legislation");
  EXPECT_EQ(domain_->ListRevisions(request).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(LegislationDomainTest, ListFiltersAndPages) {
  for (const char* code : {"BGR", "BLR", "EST", "HRV", "JPN"}) {
    v1::Legislation l;
    if (std::string(code) != "JPN") l = RatifiedRecord();
    ASSERT_TRUE(Create(absl::StrCat("countries/", code), l).ok());
  }
  v1::ListLegislationsRequest request;
  request.set_filter("protocol.status = RATIFIED");
  request.set_page_size(3);
  auto page1 = domain_->List(request);
  ASSERT_TRUE(page1.ok()) << page1.status();
  EXPECT_EQ(page1->total_size(), 4);
  ASSERT_EQ(page1->legislations_size(), 3);
  EXPECT_EQ(page1->legislations(0).name(), "countries/BGR/legislation");
  request.set_page_token(page1->next_page_token());
  auto page2 = domain_->List(request);
  ASSERT_TRUE(page2.ok());
  ASSERT_EQ(page2->legislations_size(), 1);
  EXPECT_EQ(page2->legislations(0).name(), "countries/HRV/legislation");
  EXPECT_TRUE(page2->next_page_token().empty());
  EXPECT_EQ(page2->total_size(), 4);  // of the query, not of the page

  request.set_filter("");  // a token belongs to its filter
  EXPECT_THAT(ViolatedFields(domain_->List(request).status()),
              ElementsAre("page_token"));
  request.set_page_token("");
  request.set_filter("protocol.status = MAYBE");
  request.set_page_size(-1);
  EXPECT_THAT(ViolatedFields(domain_->List(request).status()),
              ElementsAre("page_size", "filter"));
}

common::v1::PartialDate YearDate(int year) {
  common::v1::PartialDate d;
  d.set_year(year);
  d.set_precision(common::v1::DATE_PRECISION_YEAR);
  return d;
}

TEST_F(LegislationDomainTest, TreatyDatesFollowStatusAndOrder) {
  v1::Legislation acceded = RatifiedRecord();
  acceded.mutable_protocol()->set_status(v1::TREATY_STATUS_ACCEDED);
  *acceded.mutable_protocol()->mutable_consent_date() = YearDate(2004);
  EXPECT_TRUE(Create("countries/BLR", acceded).ok());

  v1::Legislation ratified = RatifiedRecord();
  *ratified.mutable_protocol()->mutable_signature_date() = YearDate(2000);
  *ratified.mutable_protocol()->mutable_consent_date() = YearDate(2004);
  EXPECT_TRUE(Create("countries/EST", ratified).ok());
  *ratified.mutable_protocol()->mutable_consent_date() = YearDate(1999);
  EXPECT_THAT(ViolatedFields(Create("countries/LVA", ratified).status()),
              ElementsAre("legislation.protocol.consent_date"));

  v1::Legislation signed_only = RatifiedRecord();
  signed_only.mutable_protocol()->set_status(v1::TREATY_STATUS_SIGNED);
  *signed_only.mutable_protocol()->mutable_consent_date() = YearDate(2004);
  EXPECT_THAT(ViolatedFields(Create("countries/JPN", signed_only).status()),
              ElementsAre("legislation.protocol.consent_date"));
}

TEST_F(LegislationDomainTest, PenaltiesAndAgeOfMajorityAtTheirBounds) {
  v1::Legislation l = RatifiedRecord();
  auto* p = l.mutable_penalties();
  *p->add_sources() = Source(6, 5);
  p->set_min_imprisonment_months(1200);  // a fixed penalty of 100 years
  p->set_max_imprisonment_months(1200);
  auto* a = l.mutable_aggravating_circumstances();
  *a->add_sources() = Source(6);
  a->set_age_of_majority(21);
  EXPECT_TRUE(Create("countries/EST", l).ok());
  a->set_age_of_majority(12);
  EXPECT_TRUE(Create("countries/LVA", l).ok());
  p->set_max_imprisonment_months(1201);
  a->set_age_of_majority(22);
  EXPECT_THAT(ViolatedFields(Create("countries/BGR", l).status()),
              UnorderedElementsAre(
                  "legislation.penalties.max_imprisonment_months",
                  "legislation.aggravating_circumstances.age_of_majority"));
  p->set_max_imprisonment_months(1200);
  p->set_min_imprisonment_months(1201);
  a->set_age_of_majority(11);
  EXPECT_THAT(ViolatedFields(Create("countries/BGR", l).status()),
              UnorderedElementsAre(
                  "legislation.penalties.min_imprisonment_months",
                  "legislation.penalties.min_imprisonment_months",
                  "legislation.aggravating_circumstances.age_of_majority"));
}

TEST_F(LegislationDomainTest, GroupPenaltyRangeIsSourcedAndBounded) {
  v1::Legislation l = RatifiedRecord();
  auto* p = l.mutable_penalties();
  *p->add_sources() = Source(6, 5);
  auto* range = p->mutable_group_range();
  range->set_fine_from(true);
  range->set_max_imprisonment_months(180);
  range->set_confiscation(true);
  *range->add_sources() = Source(6);
  auto ok = Create("countries/BGR", l);
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(ok->penalties().group_range().max_imprisonment_months(), 180);

  range->clear_sources();
  range->set_min_imprisonment_months(200);  // above the maximum
  EXPECT_THAT(
      ViolatedFields(Create("countries/BLR", l).status()),
      UnorderedElementsAre(
          "legislation.penalties.group_range.sources",
          "legislation.penalties.group_range.min_imprisonment_months"));
  range->Clear();
  *range->add_sources() = Source(6);  // a range that states nothing
  range->set_max_imprisonment_months(1201);
  EXPECT_THAT(
      ViolatedFields(Create("countries/BLR", l).status()),
      UnorderedElementsAre(
          "legislation.penalties.group_range.max_imprisonment_months"));
  range->clear_max_imprisonment_months();
  EXPECT_THAT(ViolatedFields(Create("countries/BLR", l).status()),
              UnorderedElementsAre("legislation.penalties.group_range"));
}

TEST_F(LegislationDomainTest, GroupProvisionsOfALawAreSourcedAndDistinct) {
  v1::Legislation l = RatifiedRecord();
  v1::Law* law = l.add_protection_laws();
  law->set_kind(v1::LAW_KIND_WITNESS_OR_VICTIM_PROTECTION);
  *law->add_sources() = Source(60, 10);
  auto* g = law->mutable_group_provisions();
  g->add_provisions(v1::PROTECTION_PROVISION_ANONYMITY);
  g->add_provisions(v1::PROTECTION_PROVISION_VIDEO_INTERVIEW);
  g->add_provisions(v1::PROTECTION_PROVISION_FREE_LEGAL_ADVICE);
  g->add_provisions(v1::PROTECTION_PROVISION_SECURE_HOUSING);
  *g->add_sources() = Source(60);
  auto ok = Create("countries/HRV", l);
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(ok->protection_laws(0).group_provisions().provisions_size(), 4);

  g->add_provisions(v1::PROTECTION_PROVISION_ANONYMITY);
  g->add_provisions(static_cast<v1::ProtectionProvision>(42));
  g->clear_sources();
  EXPECT_THAT(
      ViolatedFields(Create("countries/HUN", l).status()),
      UnorderedElementsAre(
          "legislation.protection_laws[0].group_provisions.provisions[4]",
          "legislation.protection_laws[0].group_provisions.provisions[5]",
          "legislation.protection_laws[0].group_provisions.sources"));
  g->Clear();
  *g->add_sources() = Source(60);
  EXPECT_THAT(
      ViolatedFields(Create("countries/HUN", l).status()),
      UnorderedElementsAre(
          "legislation.protection_laws[0].group_provisions.provisions"));
}

TEST_F(LegislationDomainTest, ImplementationMeasuresNeedKindSourcesAndDates) {
  v1::Legislation l = RatifiedRecord();
  v1::ImplementationMeasure* m = l.add_implementation_measures();
  m->set_kind(v1::IMPLEMENTATION_MEASURE_KIND_BIOMETRIC_PASSPORTS);
  m->set_status(v1::IMPLEMENTATION_STATUS_IN_PLACE);
  m->mutable_since()->set_year(2007);
  m->mutable_since()->set_precision(common::v1::DATE_PRECISION_YEAR);
  *m->add_sources() = Source(11);
  auto ok = Create("countries/LVA", l);
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(ok->implementation_measures(0).since().year(), 2007);

  v1::ImplementationMeasure* bad = l.add_implementation_measures();
  bad->set_status(static_cast<v1::ImplementationStatus>(9));
  bad->mutable_since()->set_year(2007);
  bad->mutable_since()->set_month(13);
  bad->mutable_since()->set_precision(common::v1::DATE_PRECISION_MONTH);
  EXPECT_THAT(ViolatedFields(Create("countries/EST", l).status()),
              UnorderedElementsAre(
                  "legislation.implementation_measures[1].kind",
                  "legislation.implementation_measures[1].status",
                  "legislation.implementation_measures[1].since.month",
                  "legislation.implementation_measures[1].sources"));
}

TEST_F(LegislationDomainTest, SourceResponseOfAnotherCycleIsRefused) {
  v1::Legislation l = RatifiedRecord();
  l.mutable_protocol()->mutable_sources(0)->set_cycle("cycles/ccpcj-17");
  l.mutable_protocol()->mutable_sources(0)->set_response(
      "cycles/ccpcj-16/responses/EST");
  EXPECT_THAT(ViolatedFields(Create("countries/EST", l).status()),
              UnorderedElementsAre("legislation.protocol.sources[0].response"));
  l.mutable_protocol()->mutable_sources(0)->set_response(
      "cycles/ccpcj-17/responses/EST");
  EXPECT_TRUE(Create("countries/EST", l).ok());
}

TEST_F(LegislationDomainTest,
       RequestIdsUpTo128LettersDigitsAndDashDotUnderscore) {
  EXPECT_TRUE(
      Create("countries/EST", RatifiedRecord(), "2026-12-01.est_create").ok());
  EXPECT_TRUE(
      Create("countries/LVA", RatifiedRecord(), std::string(128, 'a')).ok());
  EXPECT_THAT(ViolatedFields(Create("countries/BGR", RatifiedRecord(),
                                    std::string(129, 'a'))
                                 .status()),
              ElementsAre("request_id"));
  EXPECT_THAT(
      ViolatedFields(
          Create("countries/BGR", RatifiedRecord(), "est/create").status()),
      ElementsAre("request_id"));
}

TEST_F(LegislationDomainTest, ConcurrentRetriesOfOneRequestAllSucceedOnce) {
  std::vector<absl::StatusOr<v1::Legislation>> results(8);
  std::vector<std::thread> threads;
  for (auto& result : results) {
    threads.emplace_back(
        [&] { result = Create("countries/EST", RatifiedRecord(), "retry-1"); });
  }
  for (auto& t : threads) t.join();
  for (const auto& result : results) {
    ASSERT_TRUE(result.ok()) << result.status();
    EXPECT_EQ(result->etag(), "r1");
  }
  v1::ListLegislationRevisionsRequest revisions;
  revisions.set_name("countries/EST/legislation");
  EXPECT_EQ(domain_->ListRevisions(revisions)->revisions_size(), 1);
}

TEST_F(LegislationDomainTest,
       ConcurrentUpdatesMergeWithoutEtagAndConflictWithIt) {
  auto created = Create("countries/EST", RatifiedRecord());
  ASSERT_TRUE(created.ok());
  constexpr int kWriters = 6;
  std::vector<absl::StatusOr<v1::Legislation>> guarded(kWriters);
  std::vector<std::thread> threads;
  for (int i = 0; i < kWriters; ++i) {
    threads.emplace_back([&, i] {
      guarded[i] = UpdateNotes(created->name(), absl::StrCat("guarded ", i),
                               created->etag());
    });
  }
  for (auto& t : threads) t.join();
  int succeeded = 0;
  for (const auto& r : guarded) {
    if (r.ok()) {
      ++succeeded;
    } else {
      EXPECT_EQ(r.status().code(), absl::StatusCode::kAborted) << r.status();
    }
  }
  EXPECT_EQ(succeeded, 1);  // one etag, one winner

  threads.clear();
  std::vector<absl::Status> merged(kWriters);
  for (int i = 0; i < kWriters; ++i) {
    threads.emplace_back([&, i] {
      merged[i] =
          UpdateNotes(created->name(), absl::StrCat("merged ", i)).status();
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& status : merged) EXPECT_TRUE(status.ok()) << status;
  v1::ListLegislationRevisionsRequest revisions;
  revisions.set_name(created->name());
  revisions.set_page_size(100);
  EXPECT_EQ(domain_->ListRevisions(revisions)->revisions_size(), 2 + kWriters);
}

TEST_F(LegislationDomainTest, QualityNotesAndOtherLawsAreChecked) {
  v1::Legislation l;
  l.add_quality_notes();  // no kind, no text
  auto* law = l.add_other_laws();
  law->set_kind(v1::LAW_KIND_WITNESS_PROTECTION);
  *law->add_sources() = Source(60, 10);
  EXPECT_THAT(ViolatedFields(Create("countries/EST", l).status()),
              UnorderedElementsAre("legislation.quality_notes[0].kind",
                                   "legislation.quality_notes[0].text",
                                   "legislation.other_laws[0].kind"));
}

TEST_F(LegislationDomainTest, GetRejectsMalformedNames) {
  for (const char* name : {"countries/EST", "countries/XXX/legislation",
                           "legislation", "countries/EST/legislation/x"}) {
    v1::GetLegislationRequest get;
    get.set_name(name);
    EXPECT_EQ(domain_->Get(get).status().code(),
              absl::StatusCode::kInvalidArgument)
        << name;
  }
}

TEST_F(LegislationDomainTest, TooManyElementsIsOneViolationAndWritesNothing) {
  v1::Legislation l = RatifiedRecord();
  for (int i = 0; i < 100000; ++i) {
    l.mutable_protocol()->add_sources();  // each one invalid, too
    l.mutable_associated_offences()->add_offences("fraud");
  }
  auto result = Create("countries/EST", l, "load-1");
  ASSERT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(result.status()),
              UnorderedElementsAre("legislation.protocol.sources",
                                   "legislation.associated_offences.offences"));
  EXPECT_THAT(std::string(result.status().message()),
              testing::HasSubstr("100000 elements, at most 1000"));
  EXPECT_EQ(CountLive(), 0);
}

TEST_F(LegislationDomainTest, ExactlyTheElementLimitIsAccepted) {
  v1::Legislation l = RatifiedRecord();
  for (int i = 0; i < kMaxRepeatedElements; ++i) {
    l.mutable_associated_offences()->add_offences("fraud");
  }
  *l.mutable_associated_offences()->add_sources() = Source(6, 6);
  ASSERT_TRUE(Create("countries/EST", l).ok());
  l.mutable_associated_offences()->add_offences("one more");
  EXPECT_THAT(ViolatedFields(Create("countries/LVA", l).status()),
              ElementsAre("legislation.associated_offences.offences"));
  EXPECT_EQ(CountLive(), 1);
}

TEST_F(LegislationDomainTest, RecordAtTheSizeLimitIsStoredOneByteMoreIsNot) {
  auto created = Create("countries/EST", RatifiedRecord());
  ASSERT_TRUE(created.ok()) << created.status();
  // The record as the update would store it: the merge, a new etag (r2, as
  // long as r1) and the same clock.
  v1::Legislation stored = *created;
  PadWithSources(
      stored.mutable_protocol()->mutable_sources(),
      [&stored] { return stored.ByteSizeLong(); }, kMaxRecordBytes);
  v1::UpdateLegislationRequest request;
  request.mutable_legislation()->set_name(created->name());
  *request.mutable_legislation()->mutable_protocol() = stored.protocol();
  request.mutable_update_mask()->add_paths("protocol");
  auto updated = domain_->Update(request, "reviewer");
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->ByteSizeLong(), kMaxRecordBytes);

  auto* sources = request.mutable_legislation()->mutable_protocol();
  sources->mutable_sources(sources->sources_size() - 1)
      ->mutable_excerpt()
      ->push_back('x');  // exactly one byte more
  auto refused = domain_->Update(request, "reviewer");
  ASSERT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(refused.status()), ElementsAre("legislation"));
  v1::ListLegislationRevisionsRequest revisions;
  revisions.set_name(created->name());
  EXPECT_EQ(domain_->ListRevisions(revisions)->revisions_size(), 2);

  // A new record over the limit is refused too, and nothing is written.
  v1::Legislation big = RatifiedRecord();
  PadWithSources(
      big.mutable_protocol()->mutable_sources(),
      [&big] { return big.ByteSizeLong(); }, kMaxRecordBytes);
  EXPECT_THAT(ViolatedFields(Create("countries/LVA", big).status()),
              ElementsAre("legislation"));
  EXPECT_EQ(CountLive(), 1);
}

TEST_F(LegislationDomainTest, PagesEndOnceTheirRecordsReachTheByteLimit) {
  const std::vector<std::string> entities = {
      "countries/BGR", "countries/CZE", "countries/EST",
      "countries/HRV", "countries/HUN", "countries/LVA",
      "countries/POL", "countries/ROU", "countries/SVN"};
  for (const std::string& e : entities) {
    v1::Legislation l = RatifiedRecord();
    PadWithSources(
        l.mutable_protocol()->mutable_sources(),
        [&l] { return l.ByteSizeLong(); }, kMaxRecordBytes - 2000);
    ASSERT_TRUE(Create(e, l).ok()) << e;
  }
  v1::ListLegislationsRequest request;
  std::vector<std::string> names;
  int pages = 0;
  do {
    auto page = domain_->List(request);
    ASSERT_TRUE(page.ok()) << page.status();
    size_t bytes = 0;
    for (const auto& l : page->legislations()) {
      bytes += ElementBytes(l);
      names.push_back(l.name());
    }
    EXPECT_LE(bytes, kMaxPageBytes);
    EXPECT_GT(page->legislations_size(), 0);
    EXPECT_EQ(page->total_size(), 9);
    request.set_page_token(page->next_page_token());
    ++pages;
  } while (!request.page_token().empty());
  EXPECT_EQ(names.size(), entities.size());
  EXPECT_EQ(pages, 3);
}

}  // namespace
}  // namespace palermo::legislation
