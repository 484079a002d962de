// Sums, changes and ratios: no double counting, only comparable figures,
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

}  // namespace
}  // namespace palermo::enforcement
