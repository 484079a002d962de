#include "services/enforcement/sdmx_csv.h"

#include <gmock/gmock.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "services/common/periods.h"

namespace palermo::enforcement {
namespace {

using ::testing::ElementsAre;

std::string Area(absl::string_view code) {
  return code == "LAS" ? "organizations/LAS" : absl::StrCat("countries/", code);
}

v1::Observation Cuba() {
  v1::Observation o;
  o.set_entity("countries/CUB");
  o.set_indicator("PERSONS_PROSECUTED");
  *o.mutable_period() = *ParseTimePeriod("1999/2004-06");
  o.set_value(112);
  o.set_status(v1::OBSERVATION_STATUS_DEFINITION_DIFFERS);
  o.set_notes(
      "Includes migrant smuggling, \"transport\" of persons, from Cuba");
  auto* s = o.add_sources();
  s->set_document_symbol("E/CN.15/2008/6");
  s->set_paragraph(13);
  s->set_excerpt("poursuivi 112 individus entre 1999 et juin 2004");
  s->set_excerpt_language("fr");
  return o;
}

TEST(SdmxCsvTest, HeaderFollowsSdmxCsv2) {
  EXPECT_EQ(SdmxCsvHeader(),
            "STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA,INDICATOR,SEX,AGE,"
            "EXPLOITATION_FORM,CITIZENSHIP,TIME_PERIOD,OBS_VALUE,OBS_STATUS,"
            "COMMENT,SOURCE\n");
}

TEST(SdmxCsvTest, LineThenParseGivesTheSameObservation) {
  v1::Observation missing;
  missing.set_entity("organizations/LAS");
  missing.set_indicator("CASES_DETECTED");
  *missing.mutable_period() = *ParseTimePeriod("../2007-06");
  missing.set_sex(v1::SEX_FEMALE);
  missing.set_age_group(v1::AGE_GROUP_CHILD);
  missing.set_exploitation_form(common::v1::EXPLOITATION_FORM_FORCED_LABOUR);
  missing.set_citizenship("UKR");
  missing.set_status(v1::OBSERVATION_STATUS_SUPPRESSED);
  const std::string text =
      SdmxCsvHeader() + SdmxCsvLine(Cuba()) + SdmxCsvLine(missing);
  FieldViolations violations;
  std::vector<CsvRow> rows = ParseSdmxCsv(text, Area, violations);
  ASSERT_TRUE(violations.empty()) << violations.ToStatus();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].number, 1);
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(
      rows[0].observation, Cuba()))
      << rows[0].observation.DebugString();
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(
      rows[1].observation, missing))
      << rows[1].observation.DebugString();
  EXPECT_NE(SdmxCsvLine(Cuba()).find(",D,"), std::string::npos);
  EXPECT_NE(
      SdmxCsvLine(missing).find(",F,Y_LT18,FORCED_LABOUR,UKR,../2007-06,,Q,"),
      std::string::npos);
}

TEST(SdmxCsvTest, EveryBadCellIsReportedWithItsRowAndColumn) {
  std::string text = SdmxCsvHeader() + SdmxCsvLine(Cuba());
  text +=
      "dataflow,PALERMO:DF_TIP_ENFORCEMENT(1.0),I,SLV,CASES_INVESTIGATED,"
      "X,_T,_T,_T,2005,thirty,Z,,\n";
  text += "dataflow,OTHER,I,SLV,CASES_INVESTIGATED,_T,_T,_T,_T,20x5,32,A,,\n";
  FieldViolations violations;
  std::vector<CsvRow> rows = ParseSdmxCsv(text, Area, violations);
  EXPECT_EQ(rows.size(), 1u);
  std::vector<std::string> fields;
  for (const auto& v : violations.bad_request().field_violations()) {
    fields.push_back(v.field());
  }
  EXPECT_THAT(fields, ElementsAre("rows[2].SEX", "rows[2].OBS_VALUE",
                                  "rows[2].OBS_STATUS", "rows[3].STRUCTURE_ID",
                                  "rows[3].TIME_PERIOD"));
}

TEST(SdmxCsvTest, OnlyInsertAppendAndReplaceRowsAreImported) {
  const std::string row = "LVA,CASES_INVESTIGATED,_T,_T,_T,_T,2005,32,A,,\n";
  std::string text = SdmxCsvHeader();
  for (const char* action : {"I", "A", "R", "D", ""}) {
    absl::StrAppend(&text, "dataflow,", kSdmxStructureId, ",", action, ",",
                    row);
  }
  FieldViolations violations;
  std::vector<CsvRow> rows = ParseSdmxCsv(text, Area, violations);
  EXPECT_EQ(rows.size(), 3u);
  std::vector<std::string> fields;
  for (const auto& v : violations.bad_request().field_violations()) {
    fields.push_back(v.field());
  }
  // A deletion is not an insertion: refused, not imported as one.
  EXPECT_THAT(fields, ElementsAre("rows[4].ACTION", "rows[5].ACTION"));
}

TEST(SdmxCsvTest, LinesUseTheSdmxCodesAndKeepEdgeBlanksAndNewlines) {
  v1::Observation o;
  o.set_entity("countries/ROU");
  o.set_indicator("VICTIMS_IDENTIFIED");
  *o.mutable_period() = *ParseTimePeriod("2006");
  o.set_sex(v1::SEX_MALE);
  o.set_age_group(v1::AGE_GROUP_ADULT);
  o.set_exploitation_form(common::v1::EXPLOITATION_FORM_SEXUAL_EXPLOITATION);
  o.set_value(7);
  o.set_status(v1::OBSERVATION_STATUS_ESTIMATED);
  o.set_notes(" about seven\nof them ");
  EXPECT_EQ(SdmxCsvLine(o), absl::StrCat("dataflow,", kSdmxStructureId,
                                         ",I,ROU,VICTIMS_IDENTIFIED,M,Y_GE18,"
                                         "SEXUAL_EXPLOITATION,_T,2006,7,E,"
                                         "\" about seven\nof them \",\n"));
  o.set_notes("trailing blank ");
  FieldViolations violations;
  std::vector<CsvRow> rows =
      ParseSdmxCsv(SdmxCsvHeader() + SdmxCsvLine(o), Area, violations);
  ASSERT_EQ(rows.size(), 1u) << violations.ToStatus();
  EXPECT_EQ(rows[0].observation.notes(), "trailing blank ");
}

TEST(SdmxCsvTest, AHeaderWithTheRightCountButAnotherColumnIsRejected) {
  std::string header = SdmxCsvHeader();
  ASSERT_NE(header.find("OBS_VALUE"), std::string::npos);
  header.replace(header.find("OBS_VALUE"), 9, "OBS_COUNT");
  FieldViolations violations;
  std::vector<CsvRow> rows =
      ParseSdmxCsv(header + SdmxCsvLine(Cuba()), Area, violations);
  EXPECT_FALSE(violations.empty());
  EXPECT_TRUE(rows.empty());
}

TEST(SdmxCsvTest, WrongHeaderOrBrokenCsvIsRejected) {
  FieldViolations a;
  ParseSdmxCsv("A,B\n1,2\n", Area, a);
  EXPECT_FALSE(a.empty());
  FieldViolations b;
  ParseSdmxCsv(SdmxCsvHeader() + "\"unterminated\n", Area, b);
  EXPECT_FALSE(b.empty());
}

TEST(SdmxCsvTest, RefAreasAreReadFromEveryLineWhateverElseTheyHold) {
  v1::Observation las = Cuba();
  las.set_entity("organizations/LAS");
  std::string bad_sex = SdmxCsvLine(Cuba());
  bad_sex.replace(bad_sex.find(",_T,"), 4, ",?,");
  auto areas =
      SdmxCsvRefAreas(SdmxCsvHeader() + SdmxCsvLine(Cuba()) + bad_sex +
                      SdmxCsvLine(las));
  ASSERT_TRUE(areas.ok()) << areas.status();
  EXPECT_THAT(*areas, ElementsAre("CUB", "CUB", "LAS"));
  auto none = SdmxCsvRefAreas(SdmxCsvHeader());
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_TRUE(none->empty());
}

TEST(SdmxCsvTest, RefAreasOfAFileThatCannotBeReadAreAnError) {
  auto header = SdmxCsvRefAreas("A,B\n1,2\n");
  EXPECT_EQ(header.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(BadRequestOf(header.status()).field_violations(0).field(), "csv");
  auto broken = SdmxCsvRefAreas(SdmxCsvHeader() + "\"unterminated\n");
  EXPECT_EQ(broken.status().code(), absl::StatusCode::kInvalidArgument);
  auto short_line = SdmxCsvRefAreas(SdmxCsvHeader() + SdmxCsvLine(Cuba()) +
                                    "dataflow,x,I\n");
  EXPECT_EQ(short_line.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(BadRequestOf(short_line.status()).field_violations(0).field(),
            "rows[2].*");
}

}  // namespace
}  // namespace palermo::enforcement
