// Narrative-block directives: every form parses, every mistake is refused
// naming the field.
#include "services/reporting/directives.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace palermo::reporting {
namespace {

using ::testing::HasSubstr;

TEST(DirectivesTest, CutsTextIntoLiteralsAndDirectives) {
  auto pieces = ParseBlockText(
      "Les États{{footnote list legislations | protocol.status = RATIFIED}} "
      "et {{list:the measures | measure_type = \"SHELTER\"}}.",
      "text");
  ASSERT_TRUE(pieces.ok()) << pieces.status();
  ASSERT_EQ(pieces->size(), 5u);
  EXPECT_EQ((*pieces)[0].text, "Les États");
  const Directive& note = (*pieces)[1].directive;
  EXPECT_TRUE((*pieces)[1].is_directive);
  EXPECT_TRUE(note.footnote);
  EXPECT_EQ(note.kind, Directive::Kind::kList);
  EXPECT_EQ(note.argument, "legislations");
  EXPECT_EQ(note.filter, "protocol.status = RATIFIED");
  const Directive& list = (*pieces)[3].directive;
  EXPECT_FALSE(list.footnote);
  EXPECT_EQ(list.form, Directive::ListForm::kArticle);
  EXPECT_EQ(list.filter, "measure_type = \"SHELTER\"");
  EXPECT_EQ((*pieces)[4].text, ".");
}

TEST(DirectivesTest, EveryVerbParses) {
  for (const char* text :
       {"{{cycle note_verbale_date}}", "{{respondents}}",
        "{{facts observations | entity = \"countries/HRV\"}}",
        "{{footnote facts measures}}", "{{footnote block fn9}}",
        "{{list:in measures | measure_type = \"LEGAL_AID\"}}",
        "{{list responses}}"}) {
    EXPECT_TRUE(ParseBlockText(text, "text").ok()) << text;
  }
  EXPECT_EQ(ParseBlockText("no directive", "text")->size(), 1u);
}

TEST(DirectivesTest, RefusesMistakesNamingTheField) {
  for (const char* text :
       {"{{cycle no_such_field}}", "{{list no_such_collection}}",
        "{{list legislations | no_such_field = 1}}", "{{facts}}",
        "{{respondents now}}", "{{footnote}}", "{{block fn9}}",
        "{{list:the}}", "{{facts:the observations}}",
        "{{footnote list:the legislations}}", "{{list:up legislations}}",
        "unclosed {{list legislations", "{{frobnicate}}",
        "{{cycle deadline | x = 1}}", "{{ }}"}) {
    auto pieces = ParseBlockText(text, "narrative_block.text");
    ASSERT_FALSE(pieces.ok()) << text;
    EXPECT_EQ(pieces.status().code(), absl::StatusCode::kInvalidArgument)
        << text;
  }
  auto bad = ParseBlockText("{{list legislations | protocol.status = NOPE}}",
                            "narrative_block.text");
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), HasSubstr("filter"));
}

TEST(DirectivesTest, KnowsEveryCollection) {
  for (const std::string& c : CollectionNames()) {
    EXPECT_NE(CollectionType(c), nullptr) << c;
  }
  EXPECT_EQ(CollectionType("nothing"), nullptr);
  EXPECT_EQ(CollectionNames().size(), 11u);
}

}  // namespace
}  // namespace palermo::reporting
