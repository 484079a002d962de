// Tests of text.h: ICU collation, lists, numbers, dates, periods, ordinals
// and the MessageFormat catalogues.
#include "services/reporting/text.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace palermo::reporting {
namespace {

using common::v1::PartialDate;

PartialDate Date(int y, int m = 0, int d = 0) {
  PartialDate date;
  date.set_year(y);
  date.set_month(m);
  date.set_day(d);
  date.set_precision(d ? common::v1::DATE_PRECISION_DAY
                       : m ? common::v1::DATE_PRECISION_MONTH
                           : common::v1::DATE_PRECISION_YEAR);
  return date;
}

common::v1::ReportingPeriod Period(PartialDate start, PartialDate end) {
  common::v1::ReportingPeriod p;
  if (start.year()) *p.mutable_start() = start;
  if (end.year()) *p.mutable_end() = end;
  return p;
}

TEST(SortCollatedTest, FrenchAndEnglishOrders) {
  std::vector<std::string> fr = {"Ukraine", "République tchèque", "Bélarus",
                                 "El Salvador", "Cuba", "Croatie", "Bulgarie",
                                 "Estonie", "Roumanie", "Slovénie"};
  SortCollated(fr, Language::kFrench);
  EXPECT_THAT(fr, ::testing::ElementsAre("Bélarus", "Bulgarie", "Croatie",
                                         "Cuba", "El Salvador", "Estonie",
                                         "République tchèque", "Roumanie",
                                         "Slovénie", "Ukraine"));
  std::vector<std::string> en = {"Czech Republic", "Cuba", "Croatia",
                                 "El Salvador", "Belarus"};
  SortCollated(en, Language::kEnglish);
  EXPECT_THAT(en, ::testing::ElementsAre("Belarus", "Croatia", "Cuba",
                                         "Czech Republic", "El Salvador"));
}

TEST(JoinListTest, UnWayWithoutSerialComma) {
  EXPECT_EQ(JoinList({}, Language::kFrench), "");
  EXPECT_EQ(JoinList({"A"}, Language::kFrench), "A");
  EXPECT_EQ(JoinList({"A", "B"}, Language::kFrench), "A et B");
  EXPECT_EQ(JoinList({"A", "B", "C"}, Language::kFrench), "A, B et C");
  EXPECT_EQ(JoinList({"A", "B"}, Language::kEnglish), "A and B");
  EXPECT_EQ(JoinList({"A", "B", "C"}, Language::kEnglish), "A, B and C");
}

TEST(FormatNumberTest, OrdinarySpaceInFrench) {
  EXPECT_EQ(FormatNumber(1037, Language::kFrench), "1 037");
  EXPECT_EQ(FormatNumber(980700, Language::kFrench), "980 700");
  EXPECT_EQ(FormatNumber(65, Language::kFrench), "65");
  EXPECT_EQ(FormatNumber(1037, Language::kEnglish), "1,037");
  EXPECT_EQ(FormatNumber(0, Language::kEnglish), "0");
}

TEST(FormatDateTest, AtItsPrecision) {
  EXPECT_EQ(FormatDate(Date(2007, 11, 12), Language::kFrench),
            "12 novembre 2007");
  EXPECT_EQ(FormatDate(Date(2008, 1, 1), Language::kFrench),
            "1er janvier 2008");
  EXPECT_EQ(FormatDate(Date(2002, 7), Language::kFrench), "juillet 2002");
  EXPECT_EQ(FormatDate(Date(2007), Language::kFrench), "2007");
  EXPECT_EQ(FormatDate(Date(2007, 11, 12), Language::kEnglish),
            "12 November 2007");
  EXPECT_EQ(FormatDate(Date(2002, 7), Language::kEnglish), "July 2002");
}

TEST(FormatPeriodTest, AsReported) {
  const Language fr = Language::kFrench, en = Language::kEnglish;
  EXPECT_EQ(FormatPeriod(Period(Date(2002, 7), Date(2007, 10)), fr),
            "entre juillet 2002 et octobre 2007");
  EXPECT_EQ(FormatPeriod(Period(Date(1999), Date(2004, 6)), fr),
            "entre 1999 et juin 2004");
  EXPECT_EQ(FormatPeriod(Period(Date(2003), Date(2006)), fr), "de 2003 à 2006");
  EXPECT_EQ(FormatPeriod(Period(Date(2005), Date(2005)), fr), "en 2005");
  EXPECT_EQ(FormatPeriod(Period({}, Date(2007, 6)), fr), "jusqu’en juin 2007");
  EXPECT_EQ(FormatPeriod(Period(Date(2002), {}), fr), "depuis 2002");
  EXPECT_EQ(FormatPeriod(Period({}, {}), fr), "");
  EXPECT_EQ(FormatPeriod(Period(Date(2002, 7), Date(2007, 10)), en),
            "between July 2002 and October 2007");
  EXPECT_EQ(FormatPeriod(Period(Date(2003), Date(2006)), en),
            "from 2003 to 2006");
  EXPECT_EQ(FormatPeriod(Period(Date(2005), Date(2005)), en), "in 2005");
  EXPECT_EQ(FormatPeriod(Period({}, Date(2007, 6)), en), "up to June 2007");
  EXPECT_EQ(FormatPeriod(Period(Date(2002), {}), en), "since 2002");
}

TEST(SpelloutOrdinalTest, FeminineInFrench) {
  EXPECT_EQ(SpelloutOrdinal(17, Language::kFrench), "dix-septième");
  EXPECT_EQ(SpelloutOrdinal(1, Language::kFrench), "première");
  EXPECT_EQ(SpelloutOrdinal(17, Language::kEnglish), "seventeenth");
}

TEST(CapitalizeFirstTest, Utf8) {
  EXPECT_EQ(CapitalizeFirst("le Bélarus"), "Le Bélarus");
  EXPECT_EQ(CapitalizeFirst("l’Estonie"), "L’Estonie");
  EXPECT_EQ(CapitalizeFirst("émirats"), "Émirats");
  EXPECT_EQ(CapitalizeFirst(""), "");
}

TEST(FormatMessageTest, PluralSelectAndErrors) {
  EXPECT_EQ(*FormatMessage(Language::kFrench, "respondents",
                           {{"states", int64_t{23}},
                            {"states_text", std::string("23")},
                            {"both", std::string("yes")},
                            {"organizations", int64_t{1}},
                            {"organizations_text", std::string("1")},
                            {"list", std::string("A et B")}}),
            "Des réponses ont été reçues de 23 États et d’une organisation "
            "régionale, à savoir: A et B.");
  EXPECT_EQ(*FormatMessage(Language::kEnglish, "indicator.PERSONS_ARRESTED",
                           {{"n", int64_t{1}}, {"count", std::string("1")}}),
            "1 person arrested");
  EXPECT_EQ(*FormatMessage(Language::kFrench, "indicator.PERSONS_ARRESTED",
                           {{"n", int64_t{0}}, {"count", std::string("0")}}),
            "aucune personne arrêtée");
  EXPECT_EQ(*FormatMessage(Language::kFrench, "cycle.session",
                           {{"ordinal", SpelloutOrdinal(17, Language::kFrench)}}),
            "dix-septième session");
  EXPECT_TRUE(absl::IsNotFound(
      FormatMessage(Language::kFrench, "no.such.message", {}).status()));
  EXPECT_TRUE(absl::IsInvalidArgument(
      FormatMessage(Language::kFrench, "period.between", {}).status()));
}

TEST(CatalogueTest, SameIdsInBothLanguagesAndEveryPatternCompiles) {
  const auto fr = MessageIds(Language::kFrench);
  EXPECT_EQ(fr, MessageIds(Language::kEnglish));
  EXPECT_GT(fr.size(), 50u);
  for (const auto& id : fr) {
    for (Language l : {Language::kFrench, Language::kEnglish}) {
      // Missing arguments give INVALID_ARGUMENT; a bad pattern INTERNAL.
      EXPECT_FALSE(absl::IsInternal(FormatMessage(l, id, {}).status())) << id;
    }
  }
}

}  // namespace
}  // namespace palermo::reporting

namespace palermo::reporting {
namespace {

// A record's own braces are text, not a missing argument.
TEST(FormatMessageTest, BracesInAValueAreText) {
  auto text = FormatMessage(Language::kEnglish, "facts.record",
                            {{"entity", std::string("Estonia")},
                             {"number", std::string("singular")},
                             {"collection", std::string("action_plans")},
                             {"measure", std::string("")},
                             {"has_period", std::string("no")},
                             {"period", std::string("")},
                             {"has_quote", std::string("yes")},
                             {"quote", std::string("plan {2007} {x}")}});
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_THAT(*text, ::testing::HasSubstr("plan {2007} {x}"));
  // A missing argument is still refused.
  EXPECT_FALSE(FormatMessage(Language::kEnglish, "facts.record",
                             {{"entity", std::string("Estonia")}})
                   .ok());
}

}  // namespace
}  // namespace palermo::reporting
