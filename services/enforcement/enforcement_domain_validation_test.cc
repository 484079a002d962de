// What a valid observation is,
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

TEST_F(EnforcementDomainTest, MonthZeroIsNotAMonth) {
  auto result =
      Load({Figure("countries/SLV", "CASES_INVESTIGATED", "2005-00", 3)});
  EXPECT_THAT(ViolatedFields(result.status()),
              ElementsAre("observations[0].period.start.month",
                          "observations[0].period.end.month"));
  EXPECT_EQ(Count(), 0);
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

}  // namespace
}  // namespace palermo::enforcement
