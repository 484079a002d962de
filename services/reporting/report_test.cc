// The report generator without a server: layout from blocks, automatic
// paragraphs for records no block places, footnotes in order of calls,
// reproducibility, and the errors a cycle's blocks can cause.
#include "services/reporting/report.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/common/test_support.h"

namespace palermo::reporting {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kCycle[] = "cycles/c";

common::v1::PartialDate Day(int y, int m, int d) {
  common::v1::PartialDate date;
  date.set_year(y);
  date.set_month(m);
  date.set_day(d);
  date.set_precision(common::v1::DATE_PRECISION_DAY);
  return date;
}

common::v1::Provenance Source() {
  common::v1::Provenance p;
  p.set_document_symbol("X/1");
  p.set_paragraph(1);
  p.set_cycle(kCycle);
  return p;
}

class ReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto names = EntityNames::LoadDefault(TestEntities());
    ASSERT_TRUE(names.ok()) << names.status();
    names_ = std::make_unique<EntityNames>(*std::move(names));
    data_.cycle.set_name(kCycle);
    data_.cycle.set_document_symbol("X/1");
    data_.cycle.set_original_language("en");
    data_.cycle.set_session_number(17);
    *data_.cycle.mutable_note_verbale_date() = Day(2007, 11, 12);
    *data_.cycle.mutable_cutoff_date() = Day(2008, 1, 24);
    for (const char* entity : {"countries/EST", "countries/BLR",
                               "organizations/LAS"}) {
      v1::Response r;
      r.set_entity(entity);
      r.set_name(absl::StrCat(kCycle, "/responses/",
                              std::string(entity).substr(
                                  std::string(entity).find('/') + 1)));
      data_.responses.push_back(r);
    }
  }

  void Ratified(const std::string& code) {
    legislation::v1::Legislation l;
    l.set_name("countries/" + code + "/legislation");
    l.mutable_protocol()->set_status(legislation::v1::TREATY_STATUS_RATIFIED);
    *l.mutable_protocol()->add_sources() = Source();
    data_.legislations.push_back(l);
  }

  void Block(const std::string& id, v1::ReportSection section, int position,
             const std::string& text,
             v1::BlockKind kind = v1::BLOCK_KIND_PARAGRAPH) {
    v1::NarrativeBlock b;
    b.set_name(absl::StrCat(kCycle, "/narrativeBlocks/", id));
    b.set_section(section);
    b.set_position(position);
    b.set_language("fr");
    b.set_kind(kind);
    b.set_text(text);
    data_.blocks.push_back(b);
  }

  absl::StatusOr<v1::Report> Compose(Language language = Language::kFrench,
                                     Format format = Format::kMarkdown) {
    return ComposeReport(data_, *names_, language, format);
  }

  CycleData data_;
  std::unique_ptr<EntityNames> names_;
};

TEST_F(ReportTest, ACycleWithoutBlocksIsLaidOutFromItsData) {
  Ratified("EST");
  Ratified("BLR");
  auto report = Compose();
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_EQ(report->paragraphs_size(), 3);
  // 1: the respondents, then one paragraph per State in collation order.
  EXPECT_EQ(report->paragraphs(0).section(), v1::REPORT_SECTION_RESULTS);
  EXPECT_THAT(report->paragraphs(0).text(),
              HasSubstr("2 États et d’une organisation régionale, à savoir: "
                        "Bélarus, Estonie et Ligue des États arabes."));
  EXPECT_EQ(report->paragraphs(1).section(), v1::REPORT_SECTION_LEGISLATION);
  EXPECT_THAT(report->paragraphs(1).text(), HasSubstr("Bélarus"));
  EXPECT_THAT(report->paragraphs(1).records(),
              ElementsAre("countries/BLR/legislation"));
  EXPECT_THAT(report->paragraphs(2).text(), HasSubstr("Estonie"));
  EXPECT_EQ(report->paragraphs(2).number(), 3);
  // Sections without paragraphs are left out, contents included.
  EXPECT_THAT(report->content(), Not(HasSubstr("B. Détection")));
  EXPECT_THAT(report->content(), HasSubstr("| 2-3 |"));
}

TEST_F(ReportTest, BlocksPlaceRecordsAndFootnotesFollowTheirCalls) {
  Ratified("EST");
  Ratified("BLR");
  Block("p1", v1::REPORT_SECTION_INTRODUCTION, 10,
        "Le {{cycle note_verbale_date}}, à sa {{cycle session}}.");
  Block("p2", v1::REPORT_SECTION_RESULTS, 10, "{{respondents}}");
  Block("p3", v1::REPORT_SECTION_LEGISLATION, 20,
        "Ratifié{{footnote list legislations | protocol.status = "
        "RATIFIED}}; voir aussi{{footnote block n1}}.");
  Block("h", v1::REPORT_SECTION_LEGISLATION, 10, "Sous-titre",
        v1::BLOCK_KIND_HEADING);
  Block("n1", v1::REPORT_SECTION_LEGISLATION, 30, "Une note.",
        v1::BLOCK_KIND_FOOTNOTE);
  Block("p4", v1::REPORT_SECTION_CONCLUSIONS, 10,
        "{{list:the legislations}} ont ratifié.");
  auto report = Compose();
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_EQ(report->paragraphs_size(), 4);
  EXPECT_EQ(report->paragraphs(0).text(),
            "Le 12 novembre 2007, à sa dix-septième session.");
  EXPECT_EQ(report->paragraphs(2).text(), "Ratifié[^1]; voir aussi[^2].");
  ASSERT_EQ(report->footnotes_size(), 2);
  EXPECT_EQ(report->footnotes(0).text(), "Bélarus et Estonie.");
  EXPECT_EQ(report->footnotes(0).paragraph(), 3);
  EXPECT_EQ(report->footnotes(1).text(), "Une note.");
  // Capitalised at a sentence's start; every record placed, so no
  // automatic paragraph.
  EXPECT_EQ(report->paragraphs(3).text(), "Le Bélarus et l’Estonie ont ratifié.");
  EXPECT_EQ(report->paragraphs(3).number(), 4);
  EXPECT_THAT(report->content(), HasSubstr("#### Sous-titre"));
  EXPECT_THAT(report->content(), HasSubstr("[^1]: Bélarus et Estonie."));
}

TEST_F(ReportTest, ALateResponseIsNotAmongTheRespondents) {
  data_.responses[0].set_timeliness(v1::TIMELINESS_AFTER_CUTOFF);  // EST
  data_.responses[1].set_timeliness(v1::TIMELINESS_BY_CUTOFF);     // BLR
  auto report = Compose();
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_THAT(report->paragraphs(0).text(),
              HasSubstr("d’un État et d’une organisation régionale, à savoir: "
                        "Bélarus et Ligue des États arabes."));
  EXPECT_THAT(report->paragraphs(0).records(),
              Not(::testing::Contains("cycles/c/responses/EST")));
}

// A cycle that knows little gets a masthead of what it knows: no empty
// session, body or language line; its mandate's title when it has no
// report title.
TEST_F(ReportTest, AMastheadSaysOnlyWhatTheCycleKnows) {
  data_.cycle.set_session_number(0);
  data_.cycle.clear_original_language();
  auto* title = data_.cycle.mutable_mandate()->add_title();
  title->set_language("fr");
  title->set_text("Titre du mandat");
  auto report = Compose();
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_THAT(report->content(), HasSubstr("# Titre du mandat\n"));
  EXPECT_THAT(report->content(), Not(HasSubstr("Original")));
  EXPECT_THAT(report->content(), Not(HasSubstr("session")));
  EXPECT_THAT(report->content(), Not(HasSubstr("Rapport du")));
  EXPECT_THAT(report->content(), Not(HasSubstr("****")));
}

// Blocks that would state more than kMaxReportVersionBytes are refused,
// naming the block, rather than building an answer no client can take.
TEST_F(ReportTest, AReportIsBounded) {
  for (int year = 1000; year < 3000; ++year) {
    enforcement::v1::Observation o;
    o.set_name("countries/EST/observations/" + std::to_string(year));
    o.set_entity("countries/EST");
    o.set_indicator("VICTIMS_IDENTIFIED");
    o.set_value(year);
    auto* start = o.mutable_period()->mutable_start();
    start->set_year(year);
    start->set_precision(common::v1::DATE_PRECISION_YEAR);
    *o.mutable_period()->mutable_end() = *start;
    *o.add_sources() = Source();
    data_.observations.push_back(o);
  }
  std::string text;
  for (int i = 0; i < 40; ++i) text += "{{facts observations}} ";
  Block("big", v1::REPORT_SECTION_ENFORCEMENT, 10, text);
  auto report = Compose();
  EXPECT_EQ(report.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(report.status().message(), HasSubstr("narrativeBlocks/big"));
}

TEST_F(ReportTest, TheSameDataGivesTheSameBytes) {
  Ratified("EST");
  auto a = Compose(Language::kEnglish, Format::kHtml);
  auto b = Compose(Language::kEnglish, Format::kHtml);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->content(), b->content());
  EXPECT_EQ(a->content_sha256(), Sha256Hex(a->content()));
  EXPECT_EQ(Sha256Hex(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_THAT(a->content(), HasSubstr("<html lang=\"en\">"));
}

TEST_F(ReportTest, WhatACycleCannotReport) {
  data_.responses[0].set_timeliness(v1::TIMELINESS_AFTER_CUTOFF);
  data_.responses.resize(1);
  EXPECT_EQ(Compose().status().code(), absl::StatusCode::kFailedPrecondition);
  data_.responses[0].set_timeliness(v1::TIMELINESS_BY_CUTOFF);
  Block("p", v1::REPORT_SECTION_RESULTS, 10, "{{footnote block missing}}");
  auto missing = Compose();
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(missing.status().message(), HasSubstr("missing"));
  data_.blocks.clear();
  Block("p", v1::REPORT_SECTION_RESULTS, 10, "{{list nowhere}}");
  EXPECT_EQ(Compose().status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseFormat("pdf", "format").status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace palermo::reporting
