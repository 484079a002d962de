// The enforcement domain's reads: lists, pages, revisions, series, coverage,
// on a real SQLite store in a temporary directory, without a server.
#include <gmock/gmock.h>
#include <google/protobuf/util/time_util.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "services/common/bounds.h"
#include "services/common/periods.h"
#include "services/common/test_support.h"
#include "services/enforcement/enforcement_domain_test_fixture.h"
#include "services/enforcement/sdmx_csv.h"

namespace palermo::enforcement {
namespace {

using google::protobuf::util::TimeUtil;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

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
