#include "services/common/periods.h"

#include <gtest/gtest.h>

namespace palermo {
namespace {

common::v1::ReportingPeriod Parse(const char* text) {
  auto p = ParseTimePeriod(text);
  EXPECT_TRUE(p.ok()) << text << ": " << p.status();
  return p.ok() ? *p : common::v1::ReportingPeriod();
}

TEST(PeriodsTest, TimePeriodTextRoundTrips) {
  for (const char* text :
       {"2005", "2002-07/2007-10", "2003/2006", "../2007-06", "2002/2007-01",
        "2005-03-01/2005-03-31", "2007/.."}) {
    EXPECT_EQ(FormatTimePeriod(Parse(text)), text);
  }
  EXPECT_FALSE(ParseTimePeriod("").ok());
  EXPECT_FALSE(ParseTimePeriod("2005/2006/2007").ok());
  EXPECT_FALSE(ParseTimePeriod("20x5").ok());
}

TEST(PeriodsTest, RangesCoverWholeUnits) {
  DayRange myanmar = RangeOf(Parse("2002-07/2007-10"));
  DayRange july = RangeOf(Parse("2002-07"));
  DayRange october = RangeOf(Parse("2007-10"));
  EXPECT_EQ(myanmar.first, july.first);
  EXPECT_EQ(myanmar.last, october.last);
  EXPECT_EQ(october.last - october.first + 1, 31);
  EXPECT_EQ(
      RangeOf(Parse("2008-02")).last - RangeOf(Parse("2008-02")).first + 1, 29);
  EXPECT_TRUE(RangeOf(Parse("../2007-06")).open_start());
}

TEST(PeriodsTest, OverlapAndNesting) {
  DayRange croatia = RangeOf(Parse("2002/2007-01"));
  EXPECT_TRUE(croatia.Contains(RangeOf(Parse("2005"))));
  EXPECT_FALSE(croatia.Contains(RangeOf(Parse("2007"))));
  EXPECT_TRUE(croatia.Overlaps(RangeOf(Parse("2007"))));
  EXPECT_FALSE(croatia.Overlaps(RangeOf(Parse("2007-02/2007-12"))));
  EXPECT_TRUE(RangeOf(Parse("../2007-06")).Overlaps(RangeOf(Parse("1999"))));
  // Sharing a single day is overlapping, either way round.
  DayRange first_half = RangeOf(Parse("2005-01-01/2005-06-30"));
  DayRange second_half = RangeOf(Parse("2005-06-30/2005-12-31"));
  EXPECT_TRUE(first_half.Overlaps(second_half));
  EXPECT_TRUE(second_half.Overlaps(first_half));
  EXPECT_FALSE(first_half.Overlaps(RangeOf(Parse("2005-07-01/2005-12-31"))));
}

TEST(PeriodsTest, SameShapeMeansComparable) {
  EXPECT_TRUE(SameShape(Parse("2005"), Parse("2006")));
  EXPECT_TRUE(SameShape(Parse("2003/2006"), Parse("2007/2010")));
  EXPECT_FALSE(SameShape(Parse("2003/2006"), Parse("2007")));
  EXPECT_FALSE(SameShape(Parse("2005"), Parse("2006-01/2006-12")));
  EXPECT_FALSE(SameShape(Parse("2002-07/2003-06"), Parse("2004-01/2004-12")));
  EXPECT_FALSE(SameShape(Parse("../2007-06"), Parse("../2008-06")));
}

}  // namespace
}  // namespace palermo
