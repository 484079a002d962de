// When a coordination record was in force (coordination_in_force.h).
#include "services/coordination/coordination_in_force.h"

#include <gtest/gtest.h>

#include "services/common/periods.h"

namespace palermo::coordination {
namespace {

common::v1::ReportingPeriod Period(const char* text) {
  return *ParseTimePeriod(text);
}

common::v1::PartialDate Year(int year) {
  common::v1::PartialDate d;
  d.set_year(year);
  d.set_precision(common::v1::DATE_PRECISION_YEAR);
  return d;
}

TEST(CoversYearTest, ADatedPeriodCoversItsYearsOnly) {
  EXPECT_EQ(CoversYear(Period("2004/2007"), 2004), InForce::kYes);
  EXPECT_EQ(CoversYear(Period("2004/2007"), 2007), InForce::kYes);
  EXPECT_EQ(CoversYear(Period("2004/2007"), 2003), InForce::kNo);
  EXPECT_EQ(CoversYear(Period("2004/2007"), 2008), InForce::kNo);
}

TEST(CoversYearTest, AnOpenEndRunsOnAndAnOpenStartIsUndated) {
  common::v1::ReportingPeriod running;
  *running.mutable_start() = Year(2004);
  EXPECT_EQ(CoversYear(running, 2020), InForce::kYes);
  EXPECT_EQ(CoversYear(running, 2003), InForce::kNo);
  common::v1::ReportingPeriod undated;
  *undated.mutable_end() = Year(2010);
  EXPECT_EQ(CoversYear(undated, 2005), InForce::kUnknown);
  EXPECT_EQ(CoversYear(undated, 2011), InForce::kNo);
  EXPECT_EQ(CoversYear(common::v1::ReportingPeriod(), 2005), InForce::kUnknown);
}

TEST(WithinYearTest, OnlyAPeriodStartingAndEndingInTheYear) {
  EXPECT_TRUE(WithinYear(Period("2006"), 2006));
  EXPECT_TRUE(WithinYear(Period("2006-03/2006-05"), 2006));
  EXPECT_FALSE(WithinYear(Period("2006/2007"), 2006));
  EXPECT_FALSE(WithinYear(Period("2006"), 2007));
  common::v1::ReportingPeriod open;
  *open.mutable_start() = Year(2006);
  EXPECT_FALSE(WithinYear(open, 2006));
}

TEST(InForceInTest, APlanByItsStatusAndPeriod) {
  v1::ActionPlan plan;
  *plan.mutable_period() = Period("2004/2007");
  plan.set_status(v1::PLAN_STATUS_IN_PREPARATION);
  EXPECT_EQ(InForceIn(plan, 2005), InForce::kNo);
  plan.set_status(v1::PLAN_STATUS_ADOPTED);
  EXPECT_EQ(InForceIn(plan, 2005), InForce::kYes);
  plan.set_status(v1::PLAN_STATUS_UNSPECIFIED);
  EXPECT_EQ(InForceIn(plan, 2005), InForce::kUnknown);
  // Ended without a dated end: not known to be in force after its start.
  plan.set_status(v1::PLAN_STATUS_ENDED);
  plan.mutable_period()->clear_end();
  EXPECT_EQ(InForceIn(plan, 2005), InForce::kUnknown);
  EXPECT_EQ(InForceIn(plan, 2003), InForce::kNo);
}

TEST(InForceInTest, ABodyOrAMechanismSinceItsEstablishment) {
  v1::CoordinationBody body;
  EXPECT_EQ(InForceIn(body, 2005), InForce::kUnknown);
  *body.mutable_established() = Year(2004);
  EXPECT_EQ(InForceIn(body, 2005), InForce::kYes);
  EXPECT_EQ(InForceIn(body, 2003), InForce::kNo);
  v1::ReferralMechanism mechanism;
  *mechanism.mutable_established() = Year(2004);
  mechanism.set_status(v1::MECHANISM_STATUS_IN_PREPARATION);
  EXPECT_EQ(InForceIn(mechanism, 2005), InForce::kNo);
  mechanism.set_status(v1::MECHANISM_STATUS_OPERATIONAL);
  EXPECT_EQ(InForceIn(mechanism, 2005), InForce::kYes);
}

TEST(InForceInTest, OtherRecordsByTheirPeriod) {
  v1::TrainingActivity training;
  *training.mutable_period() = Period("2006");
  EXPECT_EQ(InForceIn(training, 2006), InForce::kYes);
  EXPECT_EQ(InForceIn(training, 2007), InForce::kNo);
}

}  // namespace
}  // namespace palermo::coordination
