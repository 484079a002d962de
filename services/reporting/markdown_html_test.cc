// Tests of markdown_html.h: cmark-gfm with footnotes and tables, safe mode,
// and the printable page.
#include "services/reporting/markdown_html.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace palermo::reporting {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(MarkdownToHtmlTest, ParagraphsFootnotesAndTables) {
  auto html = MarkdownToHtml(
      "3. Des réponses ont été reçues[^1].\n\n[^1]: Bélarus et Bulgarie.\n\n"
      "| a | b |\n|---|---|\n| 1 | 2 |\n");
  ASSERT_TRUE(html.ok()) << html.status();
  EXPECT_THAT(*html, HasSubstr("Des réponses ont été reçues"));
  EXPECT_THAT(*html, HasSubstr("class=\"footnotes\""));
  EXPECT_THAT(*html, HasSubstr("Bélarus et Bulgarie."));
  EXPECT_THAT(*html, HasSubstr("<table>"));
  EXPECT_THAT(*html, HasSubstr("<td>2</td>"));
}

TEST(MarkdownToHtmlTest, RawHtmlIsNotPassedThrough) {
  auto html = MarkdownToHtml("a <script>alert(1)</script> b\n\n<div>x</div>\n");
  ASSERT_TRUE(html.ok());
  EXPECT_THAT(*html, Not(HasSubstr("<script>")));
  EXPECT_THAT(*html, Not(HasSubstr("<div>")));
  auto link = MarkdownToHtml("[x](javascript:alert(1))");
  ASSERT_TRUE(link.ok());
  EXPECT_THAT(*link, Not(HasSubstr("javascript:")));
}

TEST(HtmlDocumentTest, SelfContainedPrintablePage) {
  const std::string page =
      HtmlDocument("E/CN.15/2008/6 <draft>", "fr", "<p>Texte</p>\n");
  EXPECT_THAT(page, HasSubstr("<!DOCTYPE html>"));
  EXPECT_THAT(page, HasSubstr("<html lang=\"fr\">"));
  EXPECT_THAT(page, HasSubstr("<meta charset=\"utf-8\">"));
  EXPECT_THAT(page, HasSubstr("<title>E/CN.15/2008/6 &lt;draft&gt;</title>"));
  EXPECT_THAT(page, HasSubstr("@page { size: A4;"));
  EXPECT_THAT(page, HasSubstr("serif"));
  EXPECT_THAT(page, HasSubstr("break-inside: avoid"));
  EXPECT_THAT(page, HasSubstr("<p>Texte</p>"));
  EXPECT_THAT(page, Not(HasSubstr("<link")));
  EXPECT_THAT(page, Not(HasSubstr("src=")));
}

}  // namespace
}  // namespace palermo::reporting
