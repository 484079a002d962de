// Small facts about one observation (observation_facts.h).
#include "services/enforcement/observation_facts.h"

#include <gtest/gtest.h>

#include "services/common/periods.h"

namespace palermo::enforcement {
namespace {

TEST(ObservationFactsTest, OnlyStatusesSayingWhyAreMissing) {
  EXPECT_TRUE(IsMissingStatus(v1::OBSERVATION_STATUS_MISSING));
  EXPECT_TRUE(IsMissingStatus(v1::OBSERVATION_STATUS_NOT_COLLECTED));
  EXPECT_TRUE(IsMissingStatus(v1::OBSERVATION_STATUS_CANNOT_EXIST));
  EXPECT_TRUE(IsMissingStatus(v1::OBSERVATION_STATUS_SUPPRESSED));
  EXPECT_FALSE(IsMissingStatus(v1::OBSERVATION_STATUS_UNSPECIFIED));
  EXPECT_FALSE(IsMissingStatus(v1::OBSERVATION_STATUS_NORMAL));
  EXPECT_FALSE(IsMissingStatus(v1::OBSERVATION_STATUS_BREAK));
  EXPECT_FALSE(IsMissingStatus(v1::OBSERVATION_STATUS_DEFINITION_DIFFERS));
}

TEST(ObservationFactsTest, StatusNamesDropTheirPrefix) {
  EXPECT_EQ(StatusName(v1::OBSERVATION_STATUS_SUPPRESSED), "SUPPRESSED");
  EXPECT_EQ(StatusName(v1::OBSERVATION_STATUS_DEFINITION_DIFFERS),
            "DEFINITION_DIFFERS");
}

TEST(ObservationFactsTest, AnObservationHasItsOwnBreakdown) {
  v1::Observation o;
  o.set_sex(v1::SEX_FEMALE);
  o.set_age_group(v1::AGE_GROUP_CHILD);
  o.set_exploitation_form(common::v1::EXPLOITATION_FORM_SEXUAL_EXPLOITATION);
  o.set_citizenship("GTM");
  const v1::Breakdown b = BreakdownOf(o);
  EXPECT_EQ(b.sex(), v1::SEX_FEMALE);
  EXPECT_EQ(b.age_group(), v1::AGE_GROUP_CHILD);
  EXPECT_EQ(b.citizenship(), "GTM");
  EXPECT_TRUE(SameBreakdown(o, b));
  v1::Breakdown other = b;
  other.set_citizenship("");
  EXPECT_FALSE(SameBreakdown(o, other));
  other = b;
  other.set_age_group(v1::AGE_GROUP_ADULT);
  EXPECT_FALSE(SameBreakdown(o, other));
}

TEST(ObservationFactsTest, PeriodsAreTheSameOnlyIfStatedAlike) {
  EXPECT_TRUE(SamePeriod(*ParseTimePeriod("2005"), *ParseTimePeriod("2005")));
  EXPECT_FALSE(SamePeriod(*ParseTimePeriod("2005"), *ParseTimePeriod("2006")));
  // The same days, stated by year or by months, are different periods.
  EXPECT_FALSE(SamePeriod(*ParseTimePeriod("2005"),
                          *ParseTimePeriod("2005-01/2005-12")));
}

TEST(ObservationFactsTest, AnAsOfTimeOnlyWhenTheRequestHasOne) {
  google::protobuf::Timestamp t;
  t.set_seconds(1200000000);
  t.set_nanos(5000);
  EXPECT_EQ(AsOfTimestamp(false, t), std::nullopt);
  EXPECT_EQ(AsOfTimestamp(true, t),
            absl::FromUnixSeconds(1200000000) + absl::Microseconds(5));
}

}  // namespace
}  // namespace palermo::enforcement
