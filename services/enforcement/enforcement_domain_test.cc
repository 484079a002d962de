// Domain rules of the enforcement statistics service, on a real SQLite store
// in a temporary directory, without a server.
#include "services/enforcement/enforcement_domain.h"

#include <gmock/gmock.h>
#include <google/protobuf/util/time_util.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "services/common/bounds.h"
#include "services/common/periods.h"
#include "services/common/test_support.h"
#include "services/enforcement/sdmx_csv.h"
#include "services/enforcement/sqlite_enforcement_store.h"

namespace palermo::enforcement {
namespace {

using google::protobuf::util::TimeUtil;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

v1::Observation Figure(const std::string& entity, const std::string& indicator,
                       const char* period, std::optional<int64_t> value,
                       int paragraph = 14) {
  v1::Observation o;
  o.set_entity(entity);
  o.set_indicator(indicator);
  *o.mutable_period() = *ParseTimePeriod(period);
  if (value) o.set_value(*value);
  auto* s = o.add_sources();
  s->set_document_symbol("E/CN.15/2008/6");
  s->set_paragraph(paragraph);
  return o;
}

class EnforcementDomainTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = FreshTestDir();
    auto store = SqliteEnforcementStore::Open((dir_ / "e.db").string());
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
    domain_ = std::make_unique<EnforcementDomain>(*store_, TestEntities(),
                                                  [this] { return now_; });
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  absl::StatusOr<v1::ImportObservationsResponse> Load(
      std::vector<v1::Observation> rows, const std::string& request_id = "") {
    return domain_->Import(request_id, std::move(rows));
  }

  void LoadElSalvadorAndCroatia() {
    auto r = Load({
        Figure("countries/SLV", "CASES_INVESTIGATED", "2005", 32),
        Figure("countries/SLV", "PERSONS_ARRESTED", "2005", 53),
        Figure("countries/SLV", "PERSONS_PROSECUTED", "2005", 18),
        Figure("countries/SLV", "CASES_INVESTIGATED", "2006", 67),
        Figure("countries/SLV", "PERSONS_PROSECUTED", "2006", 37),
        Figure("countries/SLV", "CASES_INVESTIGATED", "2007", 39),
        Figure("countries/HRV", "VICTIMS_IDENTIFIED", "2002/2007-01", 65, 12),
        Figure("countries/HRV", "VICTIMS_IDENTIFIED", "2005", 6, 12),
        Figure("countries/HRV", "VICTIMS_IDENTIFIED", "2006", 13, 12),
        Figure("countries/HRV", "VICTIMS_IDENTIFIED", "2007", 11, 12),
    });
    ASSERT_TRUE(r.ok()) << r.status();
  }

  int Count() {
    v1::ListObservationsRequest request;
    request.set_parent("-");
    request.set_page_size(500);
    auto list = domain_->List(request);
    EXPECT_TRUE(list.ok()) << list.status();
    return list.ok() ? list->observations_size() : -1;
  }

  std::filesystem::path dir_;
  std::unique_ptr<SqliteEnforcementStore> store_;
  std::unique_ptr<EnforcementDomain> domain_;
  absl::Time now_ = absl::FromUnixSeconds(1200000000);
};

TEST_F(EnforcementDomainTest, ImportReportsEveryBadRowAndWritesNothing) {
  std::vector<v1::Observation> rows;
  for (int i = 0; i < 10000; ++i) {
    rows.push_back(Figure("countries/SLV", "CASES_INVESTIGATED",
                          absl::StrCat(1990 + i % 20).c_str(), i));
    rows.back().set_citizenship(i < 20 ? "" : "UKR");
    if (i >= 20)
      rows.back().set_notes(absl::StrCat("row ", i));  // distinct keys
    rows.back().set_sex(static_cast<v1::Sex>(1 + i % 4));
    rows.back().set_age_group(static_cast<v1::AgeGroup>(1 + (i / 4) % 3));
  }
  rows[17].set_indicator("CASES_GUESSED");
  rows[4242].clear_value();
  rows[9999].mutable_period()->mutable_end()->set_month(13);
  rows[9999].mutable_period()->mutable_end()->set_precision(
      common::v1::DATE_PRECISION_MONTH);
  rows[5000].set_entity("countries/XXX");
  auto result = Load(std::move(rows));
  ASSERT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(
      ViolatedFields(result.status()),
      ElementsAre("observations[17].indicator", "observations[4242].value",
                  "observations[5000].entity",
                  "observations[9999].period.end.month"));
  EXPECT_THAT(result.status().message(), HasSubstr("4 invalid row(s)"));
  EXPECT_EQ(Count(), 0);
}

TEST_F(EnforcementDomainTest, ImportCountsBadRowsBeyondTheDetailsCap) {
  std::vector<v1::Observation> rows;
  for (int i = 0; i < 30000; ++i) {  // both validation threads
    rows.push_back(Figure("countries/SLV", "CASES_INVESTIGATED", "2005", i));
    rows.back().clear_value();
  }
  auto result = Load(std::move(rows));
  ASSERT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  std::vector<std::string> fields = ViolatedFields(result.status());
  ASSERT_EQ(fields.size(), static_cast<size_t>(kMaxViolationsInDetails));
  EXPECT_EQ(fields.front(), "observations[0].value");
  EXPECT_EQ(
      fields.back(),
      absl::StrCat("observations[", kMaxViolationsInDetails - 1, "].value"));
  EXPECT_THAT(result.status().message(), HasSubstr("30000 invalid row(s)"));
  EXPECT_THAT(result.status().message(), HasSubstr("and 29990 more"));
  EXPECT_EQ(Count(), 0);
}

TEST_F(EnforcementDomainTest, MalformedNamesAreInvalidArgument) {
  v1::GetObservationRequest get;
  get.set_name("countries/SLV/figures/x");
  EXPECT_THAT(ViolatedFields(domain_->Get(get).status()), ElementsAre("name"));
  v1::ListObservationRevisionsRequest revisions;
  revisions.set_name("countries/XXX/observations/x");
  EXPECT_THAT(ViolatedFields(domain_->ListRevisions(revisions).status()),
              ElementsAre("name"));
}

TEST_F(EnforcementDomainTest, MissingIsNotZero) {
  v1::Observation missing =
      Figure("countries/GRC", "PERSONS_CONVICTED", "2006", std::nullopt);
  auto r = Load({missing});
  EXPECT_THAT(ViolatedFields(r.status()), ElementsAre("observations[0].value"));
  missing.set_status(v1::OBSERVATION_STATUS_MISSING);
  ASSERT_TRUE(Load({missing}).ok());
  v1::Observation contradictory =
      Figure("countries/GRC", "PERSONS_CONVICTED", "2005", 3);
  contradictory.set_status(v1::OBSERVATION_STATUS_SUPPRESSED);
  EXPECT_THAT(ViolatedFields(Load({contradictory}).status()),
              ElementsAre("observations[0].status"));
  // A reported zero is a value (Liechtenstein: no known case).
  ASSERT_TRUE(
      Load({Figure("countries/LIE", "CASES_DETECTED", "2007", 0, 20)}).ok());
  v1::GetSeriesRequest series;
  series.set_entity("countries/LIE");
  series.set_indicator("CASES_DETECTED");
  auto got = domain_->GetSeries(series);
  ASSERT_EQ(got->observations_size(), 1);
  EXPECT_TRUE(got->observations(0).has_value());
  EXPECT_EQ(got->observations(0).value(), 0);
}

TEST_F(EnforcementDomainTest, RevisionsKeepHistoryAndAsOfReadsThePast) {
  auto first = domain_->Upsert([] {
    v1::UpsertObservationRequest r;
    *r.mutable_observation() =
        Figure("countries/SLV", "CASES_INVESTIGATED", "2007", 39);
    return r;
  }());
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->revision_id(), 1);
  EXPECT_EQ(first->name(),
            "countries/SLV/observations/CASES_INVESTIGATED_2007_2007");
  const absl::Time published = now_;
  now_ += absl::Hours(24);
  v1::UpsertObservationRequest revise;
  *revise.mutable_observation() =
      Figure("countries/SLV", "CASES_INVESTIGATED", "2007", 41);
  revise.mutable_observation()->set_status(v1::OBSERVATION_STATUS_PROVISIONAL);
  auto second = domain_->Upsert(revise);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->revision_id(), 2);
  // The same figure again changes nothing.
  auto again = domain_->Upsert(revise);
  EXPECT_EQ(again->revision_id(), 2);

  v1::GetObservationRequest get;
  get.set_name(first->name());
  EXPECT_EQ(domain_->Get(get)->value(), 41);
  *get.mutable_as_of() = TimeUtil::MicrosecondsToTimestamp(
      absl::ToUnixMicros(published + absl::Hours(1)));
  EXPECT_EQ(domain_->Get(get)->value(), 39);
  *get.mutable_as_of() = TimeUtil::MicrosecondsToTimestamp(
      absl::ToUnixMicros(published - absl::Hours(1)));
  EXPECT_EQ(domain_->Get(get).status().code(), absl::StatusCode::kNotFound);

  v1::ListObservationRevisionsRequest history;
  history.set_name(first->name());
  auto revisions = domain_->ListRevisions(history);
  ASSERT_EQ(revisions->revisions_size(), 2);
  EXPECT_EQ(revisions->revisions(0).observation().value(), 41);
  EXPECT_FALSE(revisions->revisions(0).has_superseded_time());
  EXPECT_EQ(revisions->revisions(1).observation().value(), 39);
  EXPECT_TRUE(revisions->revisions(1).has_superseded_time());
}

TEST_F(EnforcementDomainTest, ImportIsIdempotentWithRequestId) {
  std::vector<v1::Observation> rows = {
      Figure("countries/UKR", "OFFENCES_REGISTERED", "2007", 350, 25)};
  auto first = Load(rows, "ukr-2007");
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->created(), 1);
  now_ += absl::Hours(1);
  auto replay = Load(rows, "ukr-2007");
  ASSERT_TRUE(replay.ok());
  EXPECT_EQ(replay->created(), 1);
  EXPECT_EQ(replay->commit_time().seconds(), first->commit_time().seconds());
  rows[0].set_value(351);
  EXPECT_THAT(ViolatedFields(Load(rows, "ukr-2007").status()),
              ElementsAre("request_id"));
}

TEST_F(EnforcementDomainTest, ARequestIdBelongsToEveryRowOfItsRequest) {
  std::vector<v1::Observation> rows = {
      Figure("countries/UKR", "OFFENCES_REGISTERED", "2006", 300, 25),
      Figure("countries/UKR", "OFFENCES_REGISTERED", "2007", 350, 25)};
  ASSERT_TRUE(Load(rows, "ukr").ok());
  rows[1].set_value(351);  // only a later row differs
  EXPECT_THAT(ViolatedFields(Load(rows, "ukr").status()),
              ElementsAre("request_id"));

  v1::UpsertObservationRequest upsert;
  upsert.set_request_id("upsert-1");
  *upsert.mutable_observation() =
      Figure("countries/UKR", "ORGANIZED_GROUPS_DISMANTLED", "2007", 16, 25);
  auto first = domain_->Upsert(upsert);
  ASSERT_TRUE(first.ok()) << first.status();
  auto retried = domain_->Upsert(upsert);
  ASSERT_TRUE(retried.ok()) << retried.status();
  EXPECT_EQ(retried->revision_id(), first->revision_id());
  upsert.mutable_observation()->set_value(17);
  EXPECT_THAT(ViolatedFields(domain_->Upsert(upsert).status()),
              ElementsAre("request_id"));
}

TEST_F(EnforcementDomainTest, CroatiaAggregateDoesNotDoubleCount) {
  LoadElSalvadorAndCroatia();
  v1::AggregateRequest request;
  request.set_indicator("VICTIMS_IDENTIFIED");
  request.add_entities("countries/HRV");
  *request.mutable_window() = *ParseTimePeriod("2002/2007");
  request.add_group_by(v1::DIMENSION_ENTITY);
  auto result = domain_->Aggregate(request);
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(result->cells_size(), 1);
  EXPECT_EQ(result->cells(0).value(), 65);
  EXPECT_EQ(result->cells(0).observation_count(), 1);
  ASSERT_EQ(result->cells(0).covered_size(), 1);
  EXPECT_EQ(FormatTimePeriod(result->cells(0).covered(0)), "2002/2007-01");
  std::map<std::string, v1::ExclusionReason> reasons;
  for (const auto& use : result->observations()) {
    reasons[FormatTimePeriod(use.period())] = use.reason();
    if (!use.used())
      EXPECT_THAT(use.explanation(),
                  HasSubstr("VICTIMS_IDENTIFIED_2002_2007-01"));
  }
  EXPECT_EQ(reasons["2002/2007-01"], v1::EXCLUSION_REASON_UNSPECIFIED);
  EXPECT_EQ(reasons["2005"], v1::EXCLUSION_REASON_NESTED);
  EXPECT_EQ(reasons["2006"], v1::EXCLUSION_REASON_NESTED);
  EXPECT_EQ(reasons["2007"], v1::EXCLUSION_REASON_OVERLAPS);
}

TEST_F(EnforcementDomainTest, SumsOverSeveralEntitiesCarryTheCaveat) {
  LoadElSalvadorAndCroatia();
  ASSERT_TRUE(
      Load({Figure("countries/GRC", "VICTIMS_IDENTIFIED", "2003/2006", 494)})
          .ok());
  v1::AggregateRequest request;
  request.set_indicator("VICTIMS_IDENTIFIED");
  *request.mutable_window() = *ParseTimePeriod("2002/2007");
  request.add_entities("countries/HRV");
  auto one = domain_->Aggregate(request);
  ASSERT_TRUE(one.ok()) << one.status();
  EXPECT_FALSE(one->has_comparability_caveat());
  request.add_entities("countries/GRC");
  for (bool by_entity : {false, true}) {
    if (by_entity) request.add_group_by(v1::DIMENSION_ENTITY);
    auto both = domain_->Aggregate(request);
    ASSERT_TRUE(both.ok()) << both.status();
    ASSERT_TRUE(both->has_comparability_caveat()) << by_entity;
    const v1::ComparabilityCaveat& caveat = both->comparability_caveat();
    EXPECT_THAT(caveat.english(), HasSubstr("put into perspective"));
    EXPECT_THAT(caveat.french(),
                HasSubstr("ne permettent pas de mettre en perspective"));
    ASSERT_EQ(caveat.sources_size(), 1);
    EXPECT_EQ(caveat.sources(0).footnote(), 9);
    EXPECT_EQ(caveat.sources(0).paragraph(), 10);
  }
  // Two entities asked for, one with figures in the window: nothing is
  // compared.
  request.clear_group_by();
  *request.mutable_window() = *ParseTimePeriod("2007");
  auto only_croatia = domain_->Aggregate(request);
  ASSERT_TRUE(only_croatia.ok()) << only_croatia.status();
  EXPECT_FALSE(only_croatia->has_comparability_caveat());
}

TEST_F(EnforcementDomainTest, DestinationsAreKnownDistinctAlpha3Codes) {
  v1::Observation calls =
      Figure("countries/ROU", "HOTLINE_CALLS_TRAFFICKING", "2008-01", 36, 24);
  for (const char* code : {"BEL", "CYP", "ITA", "CZE"}) {
    calls.add_destinations(code);
  }
  ASSERT_TRUE(Load({calls}).ok());
  v1::ListObservationsRequest list;
  list.set_parent("countries/ROU");
  auto listed = domain_->List(list);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->observations_size(), 1);
  EXPECT_THAT(listed->observations(0).destinations(),
              ElementsAre("BEL", "CYP", "ITA", "CZE"));

  v1::Observation bad = calls;
  bad.clear_destinations();
  for (const char* code : {"BEL", "bel", "XYZ", "BEL", "BELG"}) {
    bad.add_destinations(code);
  }
  EXPECT_THAT(ViolatedFields(Load({bad}).status()),
              ElementsAre("observations[0].destinations[1]",
                          "observations[0].destinations[2]",
                          "observations[0].destinations[3]",
                          "observations[0].destinations[4]"));
}

TEST_F(EnforcementDomainTest, AggregatesAcrossEntitiesAndBreakdowns) {
  LoadElSalvadorAndCroatia();
  v1::Observation women =
      Figure("countries/SLV", "CASES_INVESTIGATED", "2005", 20);
  women.set_sex(v1::SEX_FEMALE);
  v1::Observation men =
      Figure("countries/SLV", "CASES_INVESTIGATED", "2005", 12);
  men.set_sex(v1::SEX_MALE);
  ASSERT_TRUE(Load({women, men}).ok());
  v1::AggregateRequest request;
  request.set_indicator("CASES_INVESTIGATED");
  *request.mutable_window() = *ParseTimePeriod("2005/2007");
  auto total = domain_->Aggregate(request);
  ASSERT_EQ(total->cells_size(), 1);
  EXPECT_EQ(total->cells(0).value(), 32 + 67 + 39);  // totals only
  request.add_group_by(v1::DIMENSION_SEX);
  auto by_sex = domain_->Aggregate(request);
  ASSERT_EQ(by_sex->cells_size(), 2);
  std::map<v1::Sex, int64_t> values;
  for (const auto& c : by_sex->cells()) values[c.breakdown().sex()] = c.value();
  EXPECT_EQ(values[v1::SEX_FEMALE], 20);
  EXPECT_EQ(values[v1::SEX_MALE], 12);
}

TEST_F(EnforcementDomainTest, ChangeAndRatioOnlyWhereComparable) {
  LoadElSalvadorAndCroatia();
  ASSERT_TRUE(
      Load({Figure("countries/SLV", "CASES_INVESTIGATED", "2003/2004", 50)})
          .ok());
  v1::ComputeChangeRequest change;
  change.set_entity("countries/SLV");
  change.set_indicator("CASES_INVESTIGATED");
  *change.mutable_from_period() = *ParseTimePeriod("2005");
  *change.mutable_to_period() = *ParseTimePeriod("2006");
  auto c = domain_->ComputeChange(change);
  ASSERT_TRUE(c->comparable()) << c->reason();
  EXPECT_EQ(c->absolute_change(), 35);
  EXPECT_NEAR(c->relative_change(), 35.0 / 32, 1e-9);
  *change.mutable_from_period() = *ParseTimePeriod("2003/2004");
  c = domain_->ComputeChange(change);
  EXPECT_FALSE(c->comparable());
  EXPECT_THAT(c->reason(), HasSubstr("differ in length"));

  v1::ComputeRatioRequest ratio;
  ratio.set_entity("countries/SLV");
  ratio.set_numerator("PERSONS_PROSECUTED");
  ratio.set_denominator("CASES_INVESTIGATED");
  *ratio.mutable_period() = *ParseTimePeriod("2005");
  auto r = domain_->ComputeRatio(ratio);
  ASSERT_TRUE(r->comparable()) << r->reason();
  EXPECT_NEAR(r->ratio(), 18.0 / 32, 1e-9);
  EXPECT_FALSE(r->has_comparability_caveat());  // one entity's figures
  *ratio.mutable_period() = *ParseTimePeriod("2007");  // no prosecutions figure
  r = domain_->ComputeRatio(ratio);
  EXPECT_FALSE(r->comparable());
  EXPECT_THAT(r->reason(), HasSubstr("no PERSONS_PROSECUTED figure"));
}

TEST_F(EnforcementDomainTest, MixedCategoriesAreNotCompared) {
  v1::Observation cuba =
      Figure("countries/CUB", "PERSONS_PROSECUTED", "1999/2004-06", 112, 13);
  cuba.set_status(v1::OBSERVATION_STATUS_DEFINITION_DIFFERS);
  cuba.set_notes("Includes migrant smuggling");
  ASSERT_TRUE(Load({cuba, Figure("countries/CUB", "CASES_INVESTIGATED",
                                 "1999/2004-06", 80, 13)})
                  .ok());
  v1::ComputeRatioRequest ratio;
  ratio.set_entity("countries/CUB");
  ratio.set_numerator("PERSONS_PROSECUTED");
  ratio.set_denominator("CASES_INVESTIGATED");
  *ratio.mutable_period() = *ParseTimePeriod("1999/2004-06");
  auto r = domain_->ComputeRatio(ratio);
  EXPECT_FALSE(r->comparable());
  EXPECT_THAT(r->reason(), HasSubstr("DEFINITION_DIFFERS"));
}

TEST_F(EnforcementDomainTest, ListFiltersByOverlapAndPages) {
  LoadElSalvadorAndCroatia();
  v1::ListObservationsRequest request;
  request.set_parent("countries/HRV");
  *request.mutable_overlaps() = *ParseTimePeriod("2007-06");
  auto overlapping = domain_->List(request);
  ASSERT_TRUE(overlapping.ok()) << overlapping.status();
  ASSERT_EQ(overlapping->observations_size(), 1);
  EXPECT_EQ(FormatTimePeriod(overlapping->observations(0).period()), "2007");

  request.clear_overlaps();
  request.set_parent("-");
  request.set_filter("indicator = \"CASES_INVESTIGATED\"");
  request.set_page_size(2);
  std::vector<std::string> periods;
  do {
    auto page = domain_->List(request);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const auto& o : page->observations())
      periods.push_back(FormatTimePeriod(o.period()));
    request.set_page_token(page->next_page_token());
  } while (!request.page_token().empty());
  EXPECT_THAT(periods, ElementsAre("2005", "2006", "2007"));
}

TEST_F(EnforcementDomainTest, CoverageSaysWhoReportedWhat) {
  LoadElSalvadorAndCroatia();
  v1::GetCoverageRequest request;
  request.add_entities("countries/SLV");
  auto coverage = domain_->GetCoverage(request);
  ASSERT_TRUE(coverage.ok());
  std::vector<std::string> rows;
  for (const auto& e : coverage->entries()) {
    std::string periods;
    for (const auto& p : e.periods())
      absl::StrAppend(&periods, " ", FormatTimePeriod(p));
    rows.push_back(absl::StrCat(e.indicator(), ":", periods));
  }
  EXPECT_THAT(rows, ElementsAre("CASES_INVESTIGATED: 2005 2006 2007",
                                "PERSONS_ARRESTED: 2005",
                                "PERSONS_PROSECUTED: 2005 2006"));
}

TEST_F(EnforcementDomainTest, CoverageCountsValuesAndMissingFigures) {
  v1::Observation missing =
      Figure("countries/GRC", "PERSONS_CONVICTED", "2006", std::nullopt);
  missing.set_status(v1::OBSERVATION_STATUS_MISSING);
  ASSERT_TRUE(
      Load({Figure("countries/GRC", "PERSONS_CONVICTED", "2004", 3),
            Figure("countries/GRC", "PERSONS_CONVICTED", "2005", 0), missing})
          .ok());
  v1::GetCoverageRequest request;
  request.add_entities("countries/GRC");
  auto coverage = domain_->GetCoverage(request);
  ASSERT_TRUE(coverage.ok()) << coverage.status();
  ASSERT_EQ(coverage->entries_size(), 1);
  EXPECT_EQ(coverage->entries(0).values(), 2);  // a zero is a value
  EXPECT_EQ(coverage->entries(0).missing(), 1);
  EXPECT_EQ(coverage->entries(0).periods_size(), 3);
}

TEST_F(EnforcementDomainTest, SdmxCsvExportThenImportIsLossless) {
  LoadElSalvadorAndCroatia();
  std::string csv;
  ASSERT_TRUE(domain_
                  ->ExportSdmxCsv({},
                                  [&csv](std::string chunk) {
                                    csv += chunk;
                                    return true;
                                  })
                  .ok());
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 11);

  // Into a second, empty installation.
  auto other_store = SqliteEnforcementStore::Open((dir_ / "other.db").string());
  ASSERT_TRUE(other_store.ok());
  EnforcementDomain other(**other_store, TestEntities(),
                          [this] { return now_; });
  v1::ImportSdmxCsvRequest import;
  import.set_csv(csv);
  auto imported = other.ImportSdmxCsv(import);
  ASSERT_TRUE(imported.ok()) << imported.status();
  EXPECT_EQ(imported->created(), 10);
  std::string again;
  ASSERT_TRUE(other
                  .ExportSdmxCsv({},
                                 [&again](std::string chunk) {
                                   again += chunk;
                                   return true;
                                 })
                  .ok());
  EXPECT_EQ(again, csv);
}

TEST_F(EnforcementDomainTest, AStockIsItsLatestFigureNotASum) {
  ASSERT_TRUE(Load({Figure("countries/GRC", "SPECIALIZED_UNITS", "2005", 2),
                    Figure("countries/GRC", "SPECIALIZED_UNITS", "2006", 3)})
                  .ok());
  v1::AggregateRequest request;
  request.set_indicator("SPECIALIZED_UNITS");
  *request.mutable_window() = *ParseTimePeriod("2005/2007");
  auto result = domain_->Aggregate(request);
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(result->cells_size(), 1);
  EXPECT_EQ(result->cells(0).value(), 3);
  EXPECT_EQ(result->cells(0).observation_count(), 1);
  std::map<std::string, v1::ExclusionReason> reasons;
  for (const auto& use : result->observations()) {
    reasons[FormatTimePeriod(use.period())] = use.reason();
  }
  EXPECT_EQ(reasons["2005"], v1::EXCLUSION_REASON_EARLIER_STOCK);
  EXPECT_EQ(reasons["2006"], v1::EXCLUSION_REASON_UNSPECIFIED);
}

TEST_F(EnforcementDomainTest, FiguresSharingABoundaryDayAreCountedOnce) {
  ASSERT_TRUE(Load({Figure("countries/EST", "VICTIMS_IDENTIFIED",
                           "2005-01-01/2005-06-30", 10),
                    Figure("countries/EST", "VICTIMS_IDENTIFIED",
                           "2005-06-30/2005-12-31", 20),
                    Figure("countries/LVA", "VICTIMS_IDENTIFIED",
                           "2005-01-01/2005-06-29", 10),
                    Figure("countries/LVA", "VICTIMS_IDENTIFIED",
                           "2005-06-30/2005-12-31", 20)})
                  .ok());
  v1::AggregateRequest request;
  request.set_indicator("VICTIMS_IDENTIFIED");
  *request.mutable_window() = *ParseTimePeriod("2005");
  request.add_group_by(v1::DIMENSION_ENTITY);
  auto result = domain_->Aggregate(request);
  ASSERT_TRUE(result.ok()) << result.status();
  std::map<std::string, int64_t> values;
  for (const auto& c : result->cells()) values[c.entity()] = c.value();
  EXPECT_EQ(values["countries/EST"], 20);
  EXPECT_EQ(values["countries/LVA"], 30);
}

TEST_F(EnforcementDomainTest, AnImportRepeatingASeriesKeyWritesNothing) {
  auto result =
      Load({Figure("countries/SLV", "CASES_INVESTIGATED", "2005", 32),
            Figure("countries/SLV", "CASES_INVESTIGATED", "2006", 67),
            Figure("countries/SLV", "CASES_INVESTIGATED", "2005", 33)});
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(result.status()), ElementsAre("observations[2]"));
  EXPECT_THAT(result.status().message(), HasSubstr("observations[0]"));
  EXPECT_EQ(Count(), 0);
}

TEST_F(EnforcementDomainTest, MonthZeroIsNotAMonth) {
  auto result =
      Load({Figure("countries/SLV", "CASES_INVESTIGATED", "2005-00", 3)});
  EXPECT_THAT(ViolatedFields(result.status()),
              ElementsAre("observations[0].period.start.month",
                          "observations[0].period.end.month"));
  EXPECT_EQ(Count(), 0);
}

TEST_F(EnforcementDomainTest, APageTokenBelongsToItsParent) {
  LoadElSalvadorAndCroatia();
  v1::ListObservationsRequest request;
  request.set_parent("countries/SLV");
  request.set_page_size(2);
  auto first = domain_->List(request);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_FALSE(first->next_page_token().empty());
  request.set_page_token(first->next_page_token());
  request.set_parent("countries/HRV");
  EXPECT_THAT(ViolatedFields(domain_->List(request).status()),
              ElementsAre("page_token"));
  request.set_parent("-");
  EXPECT_THAT(ViolatedFields(domain_->List(request).status()),
              ElementsAre("page_token"));
  request.set_parent("countries/SLV");
  auto second = domain_->List(request);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->observations_size(), 2);
}

TEST_F(EnforcementDomainTest, SdmxCsvDeletionsAreRefusedNotInserted) {
  std::string deletion =
      SdmxCsvLine(Figure("countries/SLV", "CASES_INVESTIGATED", "2006", 67));
  const std::string insert = absl::StrCat(",", kSdmxStructureId, ",I,");
  ASSERT_NE(deletion.find(insert), std::string::npos);
  deletion.replace(deletion.find(insert), insert.size(),
                   absl::StrCat(",", kSdmxStructureId, ",D,"));
  v1::ImportSdmxCsvRequest request;
  request.set_csv(absl::StrCat(
      SdmxCsvHeader(),
      SdmxCsvLine(Figure("countries/SLV", "CASES_INVESTIGATED", "2005", 32)),
      deletion));
  auto result = domain_->ImportSdmxCsv(request);
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(result.status()), ElementsAre("rows[2].ACTION"));
  EXPECT_EQ(Count(), 0);
}

// A row is named by its row number in the CSV, and rows that parse are
// validated even when others do not, so every problem comes at once.
TEST_F(EnforcementDomainTest, SdmxCsvProblemsNameTheirRowAllAtOnce) {
  std::string deletion =
      SdmxCsvLine(Figure("countries/SLV", "CASES_INVESTIGATED", "2006", 67));
  const std::string insert = absl::StrCat(",", kSdmxStructureId, ",I,");
  ASSERT_NE(deletion.find(insert), std::string::npos);
  deletion.replace(deletion.find(insert), insert.size(),
                   absl::StrCat(",", kSdmxStructureId, ",D,"));
  const std::string negative =
      SdmxCsvLine(Figure("countries/SLV", "CASES_INVESTIGATED", "2007", -5));
  v1::ImportSdmxCsvRequest request;
  request.set_csv(absl::StrCat(
      SdmxCsvHeader(),
      SdmxCsvLine(Figure("countries/SLV", "CASES_INVESTIGATED", "2005", 32)),
      deletion, negative));
  auto both = domain_->ImportSdmxCsv(request);
  EXPECT_THAT(ViolatedFields(both.status()),
              ElementsAre("rows[2].ACTION", "rows[3].value"));
  // Without a parse error, the same rule names the same CSV row.
  request.set_csv(absl::StrCat(
      SdmxCsvHeader(),
      SdmxCsvLine(Figure("countries/SLV", "CASES_INVESTIGATED", "2005", 32)),
      negative));
  auto one = domain_->ImportSdmxCsv(request);
  EXPECT_THAT(ViolatedFields(one.status()), ElementsAre("rows[2].value"));
  EXPECT_EQ(Count(), 0);
}

TEST_F(EnforcementDomainTest, AnIndicatorCodeStartsWithALetter) {
  for (const char* code : {"1CASES", "_CASES"}) {
    v1::CreateIndicatorRequest request;
    request.mutable_indicator()->set_code(code);
    request.mutable_indicator()->set_display_name("Cases");
    request.mutable_indicator()->set_unit("cases");
    EXPECT_THAT(ViolatedFields(domain_->CreateIndicator(request).status()),
                ElementsAre("indicator.code"))
        << code;
  }
}

TEST_F(EnforcementDomainTest, IndicatorPagesNeitherRepeatNorSkip) {
  auto all = domain_->ListIndicators(v1::ListIndicatorsRequest());
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_GT(all->indicators_size(), 3);
  v1::ListIndicatorsRequest request;
  request.set_page_size(3);
  std::vector<std::string> codes;
  do {
    auto page = domain_->ListIndicators(request);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const auto& i : page->indicators()) codes.push_back(i.code());
    request.set_page_token(page->next_page_token());
  } while (!request.page_token().empty());
  std::vector<std::string> expected;
  for (const auto& i : all->indicators()) expected.push_back(i.code());
  EXPECT_EQ(codes, expected);
}

TEST_F(EnforcementDomainTest, ZeroOneDayAndSuppressedFiguresAreValid) {
  v1::Observation suppressed =
      Figure("countries/LIE", "VICTIMS_IDENTIFIED", "2006", std::nullopt);
  suppressed.set_status(v1::OBSERVATION_STATUS_SUPPRESSED);
  auto loaded = Load(
      {Figure("countries/LIE", "CASES_DETECTED", "2006", 0),
       Figure("countries/LIE", "CASES_DETECTED", "2007-03-01", 1), suppressed});
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->created(), 3);
  v1::ListObservationsRequest list;
  list.set_parent("countries/LIE");
  auto listed = domain_->List(list);
  ASSERT_TRUE(listed.ok()) << listed.status();
  std::map<std::string, v1::ObservationStatus> statuses;
  for (const auto& o : listed->observations()) {
    statuses[absl::StrCat(o.indicator(), " ", FormatTimePeriod(o.period()))] =
        o.status();
  }
  EXPECT_EQ(statuses["CASES_DETECTED 2006"], v1::OBSERVATION_STATUS_NORMAL);
  EXPECT_EQ(statuses["CASES_DETECTED 2007-03-01"],
            v1::OBSERVATION_STATUS_NORMAL);
  EXPECT_EQ(statuses["VICTIMS_IDENTIFIED 2006"],
            v1::OBSERVATION_STATUS_SUPPRESSED);
  EXPECT_EQ(listed->observations_size(), 3);
  EXPECT_THAT(ViolatedFields(
                  Load({Figure("countries/LIE", "CASES_DETECTED", "2005", -1)})
                      .status()),
              ElementsAre("observations[0].value"));
}

TEST_F(EnforcementDomainTest, AggregateOverSeveralEntitiesReadsEachOfThem) {
  LoadElSalvadorAndCroatia();
  ASSERT_TRUE(
      Load({Figure("countries/HRV", "CASES_INVESTIGATED", "2005", 10)}).ok());
  v1::AggregateRequest request;
  request.set_indicator("CASES_INVESTIGATED");
  request.add_entities("countries/SLV");
  request.add_entities("countries/HRV");
  *request.mutable_window() = *ParseTimePeriod("2005");
  auto total = domain_->Aggregate(request);
  ASSERT_TRUE(total.ok()) << total.status();
  ASSERT_EQ(total->cells_size(), 1);
  EXPECT_EQ(total->cells(0).entity(), "");
  EXPECT_EQ(total->cells(0).value(), 42);
  request.add_group_by(v1::DIMENSION_ENTITY);
  auto by_entity = domain_->Aggregate(request);
  ASSERT_TRUE(by_entity.ok());
  std::map<std::string, int64_t> values;
  for (const auto& c : by_entity->cells()) values[c.entity()] = c.value();
  EXPECT_EQ(values, (std::map<std::string, int64_t>{{"countries/HRV", 10},
                                                    {"countries/SLV", 32}}));
}

TEST_F(EnforcementDomainTest, GroupingByAgeGroupReadsTheAgeBreakdown) {
  v1::Observation adults =
      Figure("countries/SLV", "CASES_INVESTIGATED", "2005", 20);
  adults.set_age_group(v1::AGE_GROUP_ADULT);
  v1::Observation children =
      Figure("countries/SLV", "CASES_INVESTIGATED", "2005", 12);
  children.set_age_group(v1::AGE_GROUP_CHILD);
  v1::Observation men =
      Figure("countries/SLV", "CASES_INVESTIGATED", "2005", 15);
  men.set_sex(v1::SEX_MALE);
  ASSERT_TRUE(Load({adults, children, men}).ok());
  v1::AggregateRequest request;
  request.set_indicator("CASES_INVESTIGATED");
  *request.mutable_window() = *ParseTimePeriod("2005");
  request.add_group_by(v1::DIMENSION_AGE_GROUP);
  auto by_age = domain_->Aggregate(request);
  ASSERT_TRUE(by_age.ok()) << by_age.status();
  std::map<v1::AgeGroup, int64_t> values;
  for (const auto& c : by_age->cells()) {
    EXPECT_EQ(c.breakdown().sex(), v1::SEX_UNSPECIFIED);
    values[c.breakdown().age_group()] = c.value();
  }
  EXPECT_EQ(values, (std::map<v1::AgeGroup, int64_t>{
                        {v1::AGE_GROUP_ADULT, 20}, {v1::AGE_GROUP_CHILD, 12}}));
}

TEST_F(EnforcementDomainTest, NoChangeAcrossOverlapsBreaksOrZeroDenominators) {
  v1::Observation after_break =
      Figure("countries/ROU", "PERSONS_PROSECUTED", "2006", 40);
  after_break.set_status(v1::OBSERVATION_STATUS_BREAK);
  ASSERT_TRUE(
      Load({Figure("countries/ROU", "CASES_INVESTIGATED", "2003/2004", 50),
            Figure("countries/ROU", "CASES_INVESTIGATED", "2004/2005", 60),
            Figure("countries/ROU", "CASES_INVESTIGATED", "2007", 0),
            Figure("countries/ROU", "PERSONS_PROSECUTED", "2007", 0),
            Figure("countries/ROU", "PERSONS_PROSECUTED", "2005", 30),
            after_break})
          .ok());
  v1::ComputeChangeRequest change;
  change.set_entity("countries/ROU");
  change.set_indicator("CASES_INVESTIGATED");
  *change.mutable_from_period() = *ParseTimePeriod("2003/2004");
  *change.mutable_to_period() = *ParseTimePeriod("2004/2005");
  auto c = domain_->ComputeChange(change);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_FALSE(c->comparable());
  EXPECT_THAT(c->reason(), HasSubstr("overlap"));

  change.set_indicator("PERSONS_PROSECUTED");
  *change.mutable_from_period() = *ParseTimePeriod("2005");
  *change.mutable_to_period() = *ParseTimePeriod("2006");
  c = domain_->ComputeChange(change);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_FALSE(c->comparable());
  EXPECT_THAT(c->reason(), HasSubstr("BREAK"));

  v1::ComputeRatioRequest ratio;
  ratio.set_entity("countries/ROU");
  ratio.set_numerator("PERSONS_PROSECUTED");
  ratio.set_denominator("CASES_INVESTIGATED");
  *ratio.mutable_period() = *ParseTimePeriod("2007");
  auto r = domain_->ComputeRatio(ratio);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_FALSE(r->comparable());
  EXPECT_THAT(r->reason(), HasSubstr("zero"));
}

TEST_F(EnforcementDomainTest, ASeriesKeepsToItsBreakdown) {
  LoadElSalvadorAndCroatia();
  v1::Observation guatemalans =
      Figure("countries/SLV", "CASES_INVESTIGATED", "2005", 5);
  guatemalans.set_citizenship("GTM");
  ASSERT_TRUE(Load({guatemalans}).ok());
  v1::GetSeriesRequest request;
  request.set_entity("countries/SLV");
  request.set_indicator("CASES_INVESTIGATED");
  auto total = domain_->GetSeries(request);
  ASSERT_TRUE(total.ok()) << total.status();
  std::vector<int64_t> values;
  for (const auto& o : total->observations()) values.push_back(o.value());
  EXPECT_THAT(values, ElementsAre(32, 67, 39));
  request.mutable_breakdown()->set_citizenship("GTM");
  auto gtm = domain_->GetSeries(request);
  ASSERT_TRUE(gtm.ok());
  ASSERT_EQ(gtm->observations_size(), 1);
  EXPECT_EQ(gtm->observations(0).value(), 5);
}

TEST_F(EnforcementDomainTest, IndicatorCodesUpTo64Characters) {
  v1::CreateIndicatorRequest create;
  create.mutable_indicator()->set_code("C" + std::string(63, 'X'));
  create.mutable_indicator()->set_display_name("Long");
  create.mutable_indicator()->set_unit("cases");
  EXPECT_TRUE(domain_->CreateIndicator(create).ok());
  create.mutable_indicator()->set_code("C" + std::string(64, 'Y'));
  EXPECT_THAT(ViolatedFields(domain_->CreateIndicator(create).status()),
              ElementsAre("indicator.code"));
}

TEST_F(EnforcementDomainTest, CreatedIndicatorsJoinTheCodeList) {
  v1::Observation convictions =
      Figure("countries/SLV", "VICTIMS_COMPENSATED", "2006", 3);
  EXPECT_THAT(ViolatedFields(Load({convictions}).status()),
              ElementsAre("observations[0].indicator"));
  v1::CreateIndicatorRequest create;
  create.mutable_indicator()->set_code("VICTIMS_COMPENSATED");
  create.mutable_indicator()->set_display_name("Victims compensated");
  create.mutable_indicator()->set_unit("persons");
  ASSERT_TRUE(domain_->CreateIndicator(create).ok());
  EXPECT_EQ(domain_->CreateIndicator(create).status().code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_TRUE(Load({convictions}).ok());
  create.mutable_indicator()->set_code("bad code");
  EXPECT_THAT(ViolatedFields(domain_->CreateIndicator(create).status()),
              ElementsAre("indicator.code"));
}

absl::StatusOr<v1::Observation> UpsertIn(EnforcementDomain& domain,
                                         v1::Observation o) {
  v1::UpsertObservationRequest request;
  *request.mutable_observation() = std::move(o);
  return domain.Upsert(request);
}

TEST_F(EnforcementDomainTest, SourcesBeyondTheElementLimitAreOneViolation) {
  v1::Observation o = Figure("countries/SLV", "CASES_INVESTIGATED", "2005", 32);
  while (o.sources_size() < kMaxRepeatedElements)
    *o.add_sources() = o.sources(0);
  auto accepted = UpsertIn(*domain_, o);
  ASSERT_TRUE(accepted.ok()) << accepted.status();

  o.set_value(33);
  *o.add_sources() = o.sources(0);
  auto refused = UpsertIn(*domain_, o);
  EXPECT_THAT(ViolatedFields(refused.status()),
              ElementsAre("observation.sources"));
  for (int i = 0; i < 100000; ++i) o.add_sources();  // each one invalid
  refused = UpsertIn(*domain_, o);
  EXPECT_THAT(ViolatedFields(refused.status()),
              ElementsAre("observation.sources"));
  EXPECT_THAT(refused.status().message(),
              HasSubstr("101001 elements, at most 1000"));
  v1::GetObservationRequest get;
  get.set_name(accepted->name());
  EXPECT_EQ(domain_->Get(get)->value(), 32);  // the refusals wrote nothing
}

TEST_F(EnforcementDomainTest, AnObservationTooLargeAsStoredIsRefused) {
  v1::Observation near =
      Figure("countries/SLV", "CASES_INVESTIGATED", "2005", 1);
  PadWithSources(
      near.mutable_sources(), [&near] { return near.ByteSizeLong(); },
      kMaxRecordBytes - 200);
  auto stored = UpsertIn(*domain_, near);
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_LE(stored->ByteSizeLong(), kMaxRecordBytes);

  // At the limit as sent: its name, revision and time make it too large.
  v1::Observation over =
      Figure("countries/SLV", "CASES_INVESTIGATED", "2006", 1);
  PadWithSources(
      over.mutable_sources(), [&over] { return over.ByteSizeLong(); },
      kMaxRecordBytes);
  auto refused = Load({over});
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(refused.status()), ElementsAre("observations[0]"));
  EXPECT_EQ(Count(), 1);
}

// Within the limit with its name, over it once the store adds its revision
// and update time: refused, not stored too large.
TEST_F(EnforcementDomainTest, ARowIsMeasuredWithWhatTheStoreAdds) {
  auto first = Load({Figure("countries/SLV", "CASES_INVESTIGATED", "2006", 1)});
  ASSERT_TRUE(first.ok()) << first.status();
  v1::ListObservationsRequest list;
  list.set_parent("countries/SLV");
  auto listed = domain_->List(list);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->observations_size(), 1);
  const std::string name = listed->observations(0).name();
  v1::Observation near =
      Figure("countries/SLV", "CASES_INVESTIGATED", "2006", 2);
  auto named_bytes = [&near, &name] {
    v1::Observation named = near;
    named.set_name(name);
    return named.ByteSizeLong();
  };
  PadWithSources(near.mutable_sources(), named_bytes, kMaxRecordBytes - 5);
  auto refused = Load({near});
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(refused.status()), ElementsAre("observations[0]"));
}

TEST_F(EnforcementDomainTest, ListPagesEndByBytesAndSeriesStopWithinAnAnswer) {
  std::vector<v1::Observation> rows;
  for (int year = 1995; year < 2005; ++year) {
    v1::Observation o = Figure("countries/SLV", "CASES_INVESTIGATED",
                               absl::StrCat(year).c_str(), year);
    PadWithSources(
        o.mutable_sources(), [&o] { return o.ByteSizeLong(); },
        kMaxRecordBytes - 1000);
    rows.push_back(std::move(o));
  }
  ASSERT_TRUE(Load(rows).ok());
  v1::ListObservationsRequest request;
  request.set_parent("countries/SLV");
  int seen = 0, pages = 0;
  do {
    auto page = domain_->List(request);
    ASSERT_TRUE(page.ok()) << page.status();
    size_t bytes = 0;
    for (const auto& o : page->observations()) bytes += ElementBytes(o);
    EXPECT_LE(bytes, kMaxPageBytes);
    EXPECT_GT(page->observations_size(), 0);
    seen += page->observations_size();
    ++pages;
    request.set_page_token(page->next_page_token());
  } while (!request.page_token().empty());
  EXPECT_EQ(seen, 10);
  EXPECT_EQ(pages, 3);

  v1::GetSeriesRequest series;
  series.set_entity("countries/SLV");
  series.set_indicator("CASES_INVESTIGATED");
  auto got = domain_->GetSeries(series);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_TRUE(got->truncated());
  EXPECT_LE(got->ByteSizeLong(), kMaxResponseBytes);
  EXPECT_EQ(got->observations_size(), 8);  // the earliest, in order
  EXPECT_EQ(got->observations(0).value(), 1995);
}

}  // namespace
}  // namespace palermo::enforcement
