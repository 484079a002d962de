#include "services/enforcement/aggregation.h"

#include <gtest/gtest.h>

namespace palermo::enforcement {
namespace {

common::v1::PartialDate Year(int y) {
  common::v1::PartialDate d;
  d.set_year(y);
  d.set_precision(common::v1::DATE_PRECISION_YEAR);
  return d;
}

common::v1::PartialDate Month(int y, int m) {
  common::v1::PartialDate d;
  d.set_year(y);
  d.set_month(m);
  d.set_precision(common::v1::DATE_PRECISION_MONTH);
  return d;
}

DayRange Range(const common::v1::PartialDate& a,
               const common::v1::PartialDate& b) {
  common::v1::ReportingPeriod p;
  *p.mutable_start() = a;
  *p.mutable_end() = b;
  return RangeOf(p);
}

TEST(SelectFiguresTest, CroatiaTotalIsNotAddedToTheYearsItContains) {
  // Para 12: 65 victims 2002 - January 2007, of which 6 in 2005 and 13 in
  // 2006; 11 in 2007.
  std::vector<Figure> figures = {
      {Range(Year(2002), Month(2007, 1)), 65},
      {Range(Year(2005), Year(2005)), 6},
      {Range(Year(2006), Year(2006)), 13},
      {Range(Year(2007), Year(2007)), 11},
  };
  Selection s = SelectFigures(figures, Range(Year(2002), Year(2007)));
  EXPECT_EQ(s.sum, 65);
  EXPECT_EQ(s.count, 1);
  EXPECT_TRUE(s.used[0]);
  EXPECT_EQ(s.reason[1], v1::EXCLUSION_REASON_NESTED);
  EXPECT_EQ(s.conflicts_with[1], 0);
  EXPECT_EQ(s.reason[2], v1::EXCLUSION_REASON_NESTED);
  // 2007 shares January 2007 with the total: counting it would count
  // January twice.
  EXPECT_EQ(s.reason[3], v1::EXCLUSION_REASON_OVERLAPS);
  ASSERT_EQ(s.covered.size(), 1u);
  EXPECT_EQ(s.covered[0], Range(Year(2002), Month(2007, 1)));
}

TEST(SelectFiguresTest, WindowCutsOutFiguresItCannotSplit) {
  std::vector<Figure> figures = {
      {Range(Year(2002), Month(2007, 1)), 65},
      {Range(Year(2005), Year(2005)), 6},
      {Range(Year(2006), Year(2006)), 13},
      {Range(Year(2007), Year(2007)), 11},
  };
  Selection s = SelectFigures(figures, Range(Year(2005), Year(2007)));
  EXPECT_EQ(s.sum, 30);
  EXPECT_EQ(s.reason[0], v1::EXCLUSION_REASON_OUTSIDE_WINDOW);
  ASSERT_EQ(s.covered.size(), 1u);  // 2005, 2006, 2007 merge
  EXPECT_EQ(s.covered[0], Range(Year(2005), Year(2007)));
}

common::v1::PartialDate Day(int y, int m, int d) {
  common::v1::PartialDate date;
  date.set_year(y);
  date.set_month(m);
  date.set_day(d);
  date.set_precision(common::v1::DATE_PRECISION_DAY);
  return date;
}

TEST(SelectFiguresTest, FiguresSharingOneBoundaryDayAreNotBothCounted) {
  // 30 June is in both: summing them would count it twice.
  std::vector<Figure> figures = {
      {Range(Day(2005, 1, 1), Day(2005, 6, 30)), 10},
      {Range(Day(2005, 6, 30), Day(2005, 12, 31)), 20},
  };
  Selection s = SelectFigures(figures, DayRange{});
  EXPECT_EQ(s.count, 1);
  EXPECT_EQ(s.sum, 20);  // the longer one
  EXPECT_EQ(s.reason[0], v1::EXCLUSION_REASON_OVERLAPS);
  EXPECT_EQ(s.conflicts_with[0], 1);
  // Starting the day after, they are disjoint and both count.
  figures[1].range = Range(Day(2005, 7, 1), Day(2005, 12, 31));
  s = SelectFigures(figures, DayRange{});
  EXPECT_EQ(s.count, 2);
  EXPECT_EQ(s.sum, 30);
  ASSERT_EQ(s.covered.size(), 1u);
  EXPECT_EQ(s.covered[0], Range(Day(2005, 1, 1), Day(2005, 12, 31)));
}

TEST(SelectFiguresTest, FinerFiguresWinATie) {
  std::vector<Figure> figures = {
      {Range(Year(2005), Year(2006)), 100},
      {Range(Year(2005), Year(2005)), 40},
      {Range(Year(2006), Year(2006)), 50},
  };
  Selection s = SelectFigures(figures, DayRange{});
  EXPECT_EQ(s.sum, 90);
  EXPECT_EQ(s.count, 2);
  EXPECT_EQ(s.reason[0], v1::EXCLUSION_REASON_OVERLAPS);
}

TEST(SelectFiguresTest, MissingIsNotZeroAndZeroIsAFigure) {
  std::vector<Figure> figures = {
      {Range(Year(2005), Year(2005)), std::nullopt},
      {Range(Year(2006), Year(2006)), 0},
  };
  Selection s = SelectFigures(figures, DayRange{});
  EXPECT_EQ(s.reason[0], v1::EXCLUSION_REASON_NO_VALUE);
  EXPECT_TRUE(s.used[1]);
  EXPECT_EQ(s.count, 1);
  EXPECT_EQ(s.sum, 0);
  ASSERT_EQ(s.covered.size(), 1u);
  EXPECT_EQ(s.covered[0], Range(Year(2006), Year(2006)));
}

TEST(SelectFiguresTest, StocksTakeTheLatestFigureInsteadOfASum) {
  // Myanmar: 1 unit created in 2004; Greece-like later stock figures.
  std::vector<Figure> figures = {
      {Range(Year(2004), Year(2004)), 1},
      {Range(Year(2006), Year(2006)), 3},
      {Range(Year(2005), Year(2005)), 2},
  };
  Selection s =
      SelectFigures(figures, Range(Year(2004), Year(2007)), /*stock=*/true);
  EXPECT_EQ(s.sum, 3);
  EXPECT_EQ(s.count, 1);
  EXPECT_TRUE(s.used[1]);
  EXPECT_EQ(s.reason[0], v1::EXCLUSION_REASON_EARLIER_STOCK);
  EXPECT_EQ(s.conflicts_with[2], 1);
}

}  // namespace
}  // namespace palermo::enforcement
