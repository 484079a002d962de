// Checks of single values shared by the coordination records' validation
// (coordination_validation.h).
#include "services/coordination/coordination_validation.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "palermo/coordination/v1/coordination.pb.h"
#include "services/common/periods.h"
#include "services/common/test_support.h"

namespace palermo::coordination {
namespace {

using ::testing::ElementsAre;

std::vector<std::string> Fields(const FieldViolations& v) {
  return ViolatedFields(v.ToStatus());
}

TEST(ValidatePeriodOrderTest, AnEndBeforeTheStartIsNamed) {
  FieldViolations v;
  common::v1::ReportingPeriod period = *ParseTimePeriod("2004/2007");
  ValidatePeriodOrder(period, "plan.period", v);
  EXPECT_TRUE(v.empty());
  std::swap(*period.mutable_start(), *period.mutable_end());
  ValidatePeriodOrder(period, "plan.period", v);
  EXPECT_THAT(Fields(v), ElementsAre("plan.period.end"));
}

TEST(ValidateCountTest, ACountIsZeroToTenBillionWhenSet) {
  FieldViolations v;
  ValidateCount(true, 0, "a", v);
  ValidateCount(true, 10'000'000'000, "b", v);
  ValidateCount(false, -1, "c", v);
  EXPECT_TRUE(v.empty());
  ValidateCount(true, -1, "d", v);
  ValidateCount(true, 10'000'000'001, "e", v);
  EXPECT_THAT(Fields(v), ElementsAre("d", "e"));
}

TEST(IsDocumentSymbolTest, UnitedNationsSymbolsOnly) {
  EXPECT_TRUE(IsDocumentSymbol("E/CN.15/2008/4"));
  EXPECT_TRUE(IsDocumentSymbol("A/RES/55/25"));
  EXPECT_FALSE(IsDocumentSymbol(""));
  EXPECT_FALSE(IsDocumentSymbol("E"));             // no '/'
  EXPECT_FALSE(IsDocumentSymbol("e/CN.15/2008"));  // lower-case opening
  EXPECT_FALSE(IsDocumentSymbol("E//2008"));       // empty component
  EXPECT_FALSE(IsDocumentSymbol("E/CN 15"));       // a space
  EXPECT_FALSE(IsDocumentSymbol("E/" + std::string(63, 'A')));  // too long
}

TEST(NoRepeatsTest, EachRepeatIsNamedByItsIndex) {
  v1::AwarenessCampaign campaign;
  v1::TrainingActivity training;
  for (const char* l : {"en", "fr", "en", "es", "fr"})
    campaign.add_languages(l);
  training.add_audiences(v1::TRAINING_AUDIENCE_POLICE);
  training.add_audiences(v1::TRAINING_AUDIENCE_JUDGES);
  FieldViolations v;
  NoRepeats(campaign.languages(), "campaign.languages", v);
  NoRepeats(training.audiences(), "training.audiences", v);
  EXPECT_THAT(Fields(v),
              ElementsAre("campaign.languages[2]", "campaign.languages[4]"));
  training.add_audiences(v1::TRAINING_AUDIENCE_POLICE);
  FieldViolations repeated;
  NoRepeats(training.audiences(), "training.audiences", repeated);
  EXPECT_THAT(Fields(repeated), ElementsAre("training.audiences[2]"));
}

}  // namespace
}  // namespace palermo::coordination
