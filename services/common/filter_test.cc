#include "services/common/filter.h"

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "palermo/legislation/v1/legislation.pb.h"
#include "services/common/status.h"

namespace palermo {
namespace {

using legislation::v1::Legislation;

Legislation Ratified() {
  Legislation l;
  l.set_name("countries/EST/legislation");
  l.mutable_protocol()->set_status(legislation::v1::TREATY_STATUS_RATIFIED);
  l.mutable_penalties()->set_max_imprisonment_months(180);
  auto* law = l.add_other_laws();
  law->set_kind(legislation::v1::LAW_KIND_PARTIAL_TRAFFICKING);
  law->set_year(2005);
  l.set_notes("camel jockeys");
  return l;
}

bool Match(absl::string_view text, const Legislation& l) {
  absl::StatusOr<Filter> f = Filter::Compile(text, Legislation::descriptor());
  EXPECT_TRUE(f.ok()) << text << ": " << f.status();
  return f.ok() && f->Matches(l);
}

TEST(FilterTest, EmptyMatchesAll) { EXPECT_TRUE(Match("", Legislation())); }

TEST(FilterTest, EnumByFullOrShortName) {
  EXPECT_TRUE(Match("protocol.status = TREATY_STATUS_RATIFIED", Ratified()));
  EXPECT_TRUE(Match("protocol.status = RATIFIED", Ratified()));
  EXPECT_FALSE(Match("protocol.status = SIGNED", Ratified()));
  EXPECT_TRUE(Match("protocol.status != SIGNED", Ratified()));
  EXPECT_FALSE(Match("protocol.status = RATIFIED", Legislation()));
}

TEST(FilterTest, HasOperator) {
  EXPECT_TRUE(Match("penalties:*", Ratified()));
  EXPECT_FALSE(Match("penalties:*", Legislation()));
  EXPECT_TRUE(Match("penalties.max_imprisonment_months:*", Ratified()));
  EXPECT_FALSE(Match("penalties.min_imprisonment_months:*", Ratified()));
  EXPECT_TRUE(Match("other_laws:*", Ratified()));
}

TEST(FilterTest, RepeatedFieldsMatchAnyElement) {
  EXPECT_TRUE(Match("other_laws.kind = PARTIAL_TRAFFICKING", Ratified()));
  EXPECT_FALSE(Match("other_laws.kind = WITNESS_PROTECTION", Ratified()));
  EXPECT_TRUE(Match("other_laws.kind != WITNESS_PROTECTION", Ratified()));
  EXPECT_TRUE(Match("other_laws.year >= 2005", Ratified()));
  EXPECT_FALSE(Match("other_laws.year > 2005", Ratified()));
}

TEST(FilterTest, NumbersStringsAndLogic) {
  EXPECT_TRUE(Match("penalties.max_imprisonment_months <= 180", Ratified()));
  EXPECT_TRUE(Match("notes = \"camel jockeys\"", Ratified()));
  EXPECT_TRUE(Match("name = \"countries/EST/legislation\" AND penalties:*",
                    Ratified()));
  EXPECT_FALSE(Match("name = \"countries/EST/legislation\" AND NOT penalties:*",
                     Ratified()));
  EXPECT_TRUE(Match("-penalties:* OR protocol.status = RATIFIED", Ratified()));
  EXPECT_TRUE(
      Match("(protocol.status = SIGNED OR protocol.status = RATIFIED) "
            "AND other_laws:*",
            Ratified()));
}

TEST(FilterTest, OrderedComparisonsAtTheirBoundary) {
  // max_imprisonment_months is 180.
  EXPECT_FALSE(Match("penalties.max_imprisonment_months < 180", Ratified()));
  EXPECT_TRUE(Match("penalties.max_imprisonment_months < 181", Ratified()));
  EXPECT_TRUE(Match("penalties.max_imprisonment_months <= 180", Ratified()));
  EXPECT_FALSE(Match("penalties.max_imprisonment_months <= 179", Ratified()));
  EXPECT_FALSE(Match("penalties.max_imprisonment_months > 180", Ratified()));
  EXPECT_TRUE(Match("penalties.max_imprisonment_months > 179", Ratified()));
  EXPECT_TRUE(Match("penalties.max_imprisonment_months >= 180", Ratified()));
  EXPECT_FALSE(Match("penalties.max_imprisonment_months >= 181", Ratified()));
  EXPECT_FALSE(Match("notes < \"camel jockeys\"", Ratified()));
  EXPECT_TRUE(Match("notes <= \"camel jockeys\"", Ratified()));
}

TEST(FilterTest, LeadingMinusNegates) {
  EXPECT_FALSE(Match("-penalties:*", Ratified()));
  EXPECT_TRUE(Match("-penalties:*", Legislation()));
  EXPECT_FALSE(Match("-protocol.status = RATIFIED", Ratified()));
  EXPECT_TRUE(Match("-protocol.status = SIGNED", Ratified()));
}

TEST(FilterTest, AnyElementOfARepeatedFieldMatches) {
  Legislation l = Ratified();
  auto* second = l.add_other_laws();
  second->set_kind(legislation::v1::LAW_KIND_CRIMINAL_LAW_AMENDMENT);
  second->set_year(2007);
  EXPECT_TRUE(Match("other_laws.kind = CRIMINAL_LAW_AMENDMENT", l));
  EXPECT_TRUE(Match("other_laws.year > 2005", l));
  EXPECT_FALSE(Match("other_laws.kind != CRIMINAL_LAW_AMENDMENT", l));
  EXPECT_FALSE(Match("other_laws:*", Legislation()));
  EXPECT_TRUE(Match("NOT other_laws:*", Legislation()));
}

TEST(FilterTest, QuotedStringsTakeEscapedQuotes) {
  Legislation l;
  l.set_notes("the \"transport\" of persons");
  EXPECT_TRUE(Match("notes = \"the \\\"transport\\\" of persons\"", l));
  EXPECT_TRUE(Match("notes = 'the \"transport\" of persons'", l));
  EXPECT_FALSE(Match("notes = \"the \\\"transport\\\"\"", l));
}

TEST(FilterTest, LengthLimitIsInclusive) {
  std::string at_limit = "penalties:*";
  while (at_limit.size() < 2048) at_limit += ' ';
  EXPECT_TRUE(Filter::Compile(at_limit, Legislation::descriptor()).ok());
  EXPECT_EQ(Filter::Compile(at_limit + " ", Legislation::descriptor())
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(FilterTest, OrBindsTighterThanAnd) {
  // a AND b OR c == a AND (b OR c): false AND (...) is false.
  EXPECT_FALSE(Match("protocol.status = SIGNED AND penalties:* OR other_laws:*",
                     Ratified()));
}

TEST(FilterTest, UnknownIsNotFalseOrZero) {
  Legislation l = Ratified();
  EXPECT_FALSE(Match("money_laundering_predicate.value = false", l));
  EXPECT_TRUE(Match("money_laundering_predicate.value != true", l));
  EXPECT_FALSE(Match("penalties.min_imprisonment_months < 12", l));
  EXPECT_FALSE(Match("penalties.fine = false", l));
  l.mutable_money_laundering_predicate()->set_value(false);
  EXPECT_TRUE(Match("money_laundering_predicate.value = false", l));
}

TEST(FilterTest, ShortEnumNamesDropOnlyTheEnumsOwnPrefix) {
  Legislation l;
  l.mutable_protocol()->set_status(legislation::v1::TREATY_STATUS_NOT_PARTY);
  EXPECT_TRUE(Match("protocol.status = NOT_PARTY", l));
  for (const char* partial : {"PARTY", "PROGRESS", "STATUS_NOT_PARTY"}) {
    EXPECT_FALSE(Filter::Compile(absl::StrCat("protocol.status = ", partial),
                                 Legislation::descriptor())
                     .ok())
        << partial;
  }
}

TEST(FilterTest, BoundsLengthAndNesting) {
  std::string deep(10000, '(');
  EXPECT_EQ(Filter::Compile(deep, Legislation::descriptor()).status().code(),
            absl::StatusCode::kInvalidArgument);
  std::string nested =
      std::string(17, '(') + "penalties:*" + std::string(17, ')');
  EXPECT_EQ(Filter::Compile(nested, Legislation::descriptor()).status().code(),
            absl::StatusCode::kInvalidArgument);
  nested = std::string(16, '(') + "penalties:*" + std::string(16, ')');
  EXPECT_TRUE(Filter::Compile(nested, Legislation::descriptor()).ok());
}

TEST(FilterTest, RejectsUnknownFieldsAndValuesOnFilter) {
  for (const char* bad :
       {"nonsense = 1", "protocol.status = MAYBE", "penalties = 3",
        "protocol.status < RATIFIED", "notes = \"open", "protocol.status",
        "(penalties:*", "notes ! 3"}) {
    absl::StatusOr<Filter> f = Filter::Compile(bad, Legislation::descriptor());
    ASSERT_FALSE(f.ok()) << bad;
    EXPECT_EQ(f.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(BadRequestOf(f.status()).field_violations(0).field(), "filter")
        << bad;
  }
}


TEST(FilterTest, FilterStringQuotesAnyValue) {
  Legislation l;
  l.set_notes(R"(say "hi" \ or (not) = x)");
  EXPECT_EQ(FilterString(R"(a"b\c)"), R"("a\"b\\c")");
  EXPECT_TRUE(Match("notes = " + FilterString(l.notes()), l));
  EXPECT_FALSE(Match("notes = " + FilterString("say"), l));
}

}  // namespace
}  // namespace palermo
