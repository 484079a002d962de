#include "services/common/validation.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "palermo/assistance/v1/assistance.pb.h"
#include "palermo/legislation/v1/legislation.pb.h"
#include "services/common/test_support.h"

namespace palermo {
namespace {

using common::v1::PartialDate;

PartialDate Date(int y, int m, int d, common::v1::DatePrecision p) {
  PartialDate date;
  date.set_year(y);
  date.set_month(m);
  date.set_day(d);
  date.set_precision(p);
  return date;
}

std::vector<std::string> Fields(const FieldViolations& v) {
  std::vector<std::string> out;
  for (const auto& f : v.bad_request().field_violations())
    out.push_back(f.field());
  return out;
}

TEST(ValidationTest, AcceptsRealDatesAtEachPrecision) {
  FieldViolations v;
  ValidatePartialDate(Date(2007, 0, 0, common::v1::DATE_PRECISION_YEAR), "d",
                      v);
  ValidatePartialDate(Date(2002, 7, 0, common::v1::DATE_PRECISION_MONTH), "d",
                      v);
  ValidatePartialDate(Date(2008, 2, 29, common::v1::DATE_PRECISION_DAY), "d",
                      v);
  EXPECT_TRUE(v.empty()) << v.ToStatus();
}

TEST(ValidationTest, RejectsImpossibleDates) {
  FieldViolations v;
  ValidatePartialDate(Date(2007, 2, 29, common::v1::DATE_PRECISION_DAY), "a",
                      v);
  ValidatePartialDate(Date(2007, 13, 0, common::v1::DATE_PRECISION_MONTH), "b",
                      v);
  ValidatePartialDate(Date(2007, 4, 0, common::v1::DATE_PRECISION_YEAR), "c",
                      v);
  ValidatePartialDate(Date(1850, 0, 0, common::v1::DATE_PRECISION_YEAR), "d",
                      v);
  ValidatePartialDate(Date(2007, 0, 0, common::v1::DATE_PRECISION_UNSPECIFIED),
                      "e", v);
  EXPECT_EQ(Fields(v),
            (std::vector<std::string>{"a.day", "b.month", "c.precision",
                                      "d.year", "e.precision"}));
}

TEST(ValidationTest, MonthsAreOneToTwelveAtEveryPrecisionThatHasThem) {
  FieldViolations v;
  ValidatePartialDate(Date(2007, 0, 0, common::v1::DATE_PRECISION_MONTH), "a",
                      v);
  ValidatePartialDate(Date(2007, 0, 5, common::v1::DATE_PRECISION_DAY), "b", v);
  ValidatePartialDate(Date(2007, 1, 0, common::v1::DATE_PRECISION_MONTH), "c",
                      v);
  ValidatePartialDate(Date(2007, 12, 0, common::v1::DATE_PRECISION_MONTH), "d",
                      v);
  EXPECT_EQ(Fields(v), (std::vector<std::string>{"a.month", "b.month"}));
}

TEST(ValidationTest, WalksMessagesForEnumsDatesAndProvenance) {
  legislation::v1::Legislation l;
  l.mutable_protocol()->set_status(
      static_cast<legislation::v1::TreatyStatus>(42));
  *l.mutable_protocol()->mutable_consent_date() =
      Date(2006, 2, 30, common::v1::DATE_PRECISION_DAY);
  l.mutable_protocol()->add_sources()->set_paragraph(5);  // no symbol
  l.add_other_laws()->set_kind(static_cast<legislation::v1::LawKind>(-3));
  FieldViolations v;
  ValidateCommonTypes(l, "legislation", v);
  EXPECT_EQ(Fields(v), (std::vector<std::string>{
                           "legislation.protocol.status",
                           "legislation.protocol.consent_date.day",
                           "legislation.protocol.sources[0].document_symbol",
                           "legislation.other_laws[0].kind"}));
}

TEST(ValidationTest, AnUnspecifiedListElementIsRefused) {
  assistance::v1::Measure m;
  m.add_target_groups(assistance::v1::TARGET_GROUP_UNSPECIFIED);
  m.add_target_groups(assistance::v1::TARGET_GROUP_CHILDREN);
  FieldViolations v;
  ValidateCommonTypes(m, "measure", v);
  EXPECT_EQ(Fields(v), std::vector<std::string>{"measure.target_groups[0]"});
}

TEST(ValidationTest, ProvenanceNeedsParagraphOrFootnote) {
  common::v1::Provenance p;
  p.set_document_symbol("E/CN.15/2008/6");
  FieldViolations v;
  ValidateProvenance(p, "s", v);
  EXPECT_EQ(Fields(v), std::vector<std::string>{"s.paragraph"});
  p.set_footnote(1);
  FieldViolations ok;
  ValidateProvenance(p, "s", ok);
  EXPECT_TRUE(ok.empty());
}

TEST(ValidationTest, ProvenanceCycleAndResponseAreOptional) {
  common::v1::Provenance p;
  p.set_document_symbol("E/CN.15/2008/6");
  p.set_paragraph(5);
  FieldViolations none;
  ValidateProvenance(p, "sources[0]", none);
  EXPECT_TRUE(none.empty()) << none.ToStatus();
  p.set_cycle("cycles/ccpcj-17");
  FieldViolations cycle_only;
  ValidateProvenance(p, "sources[0]", cycle_only);
  EXPECT_TRUE(cycle_only.empty()) << cycle_only.ToStatus();
  p.set_response("cycles/ccpcj-17/responses/EST");
  FieldViolations both;
  ValidateProvenance(p, "sources[0]", both);
  EXPECT_TRUE(both.empty()) << both.ToStatus();
  p.set_response("cycles/ccpcj-17/responses/LAS");
  FieldViolations organization;
  ValidateProvenance(p, "sources[0]", organization);
  EXPECT_TRUE(organization.empty()) << organization.ToStatus();
}

TEST(ValidationTest, ProvenanceCycleMustBeACycleName) {
  for (const char* bad : {"ccpcj-17", "cycles/", "cycles/17-ccpcj",
                          "cycles/CCPCJ-17", "cycles/ccpcj_17",
                          "cycles/ccpcj-17/responses/EST", "Cycles/ccpcj"}) {
    common::v1::Provenance p;
    p.set_document_symbol("E/CN.15/2008/6");
    p.set_paragraph(5);
    p.set_cycle(bad);
    FieldViolations v;
    ValidateProvenance(p, "sources[0]", v);
    EXPECT_EQ(Fields(v), std::vector<std::string>{"sources[0].cycle"}) << bad;
  }
}

TEST(ValidationTest, ProvenanceResponseMustBelongToTheSameCycle) {
  for (const char* bad : {"cycles/other/responses/EST",
                          "cycles/ccpcj-17/responses/",
                          "cycles/ccpcj-17/responses/est",
                          "cycles/ccpcj-17/responses/1EST",
                          "cycles/ccpcj-17/responses/EST/x",
                          "cycles/ccpcj-17/EST", "responses/EST",
                          "countries/EST"}) {
    common::v1::Provenance p;
    p.set_document_symbol("E/CN.15/2008/6");
    p.set_paragraph(5);
    p.set_cycle("cycles/ccpcj-17");
    p.set_response(bad);
    FieldViolations v;
    ValidateProvenance(p, "sources[0]", v);
    EXPECT_EQ(Fields(v), std::vector<std::string>{"sources[0].response"})
        << bad;
  }
}

TEST(ValidationTest, ProvenanceResponseNeedsItsCycle) {
  common::v1::Provenance p;
  p.set_document_symbol("E/CN.15/2008/6");
  p.set_paragraph(3);
  p.set_response("cycles/ccpcj-17/responses/EST");
  FieldViolations v;
  ValidateProvenance(p, "sources[0]", v);
  EXPECT_EQ(Fields(v), std::vector<std::string>{"sources[0].response"});
}

TEST(ValidationTest, WalkChecksProvenanceCycleInNestedSources) {
  legislation::v1::Legislation l;
  auto* source = l.mutable_protocol()->add_sources();
  source->set_document_symbol("E/CN.15/2008/6");
  source->set_paragraph(5);
  source->set_cycle("ccpcj-17");
  FieldViolations v;
  ValidateCommonTypes(l, "legislation", v);
  EXPECT_EQ(Fields(v), std::vector<std::string>{
                           "legislation.protocol.sources[0].cycle"});
  EXPECT_EQ(v.ToStatus().code(), absl::StatusCode::kInvalidArgument);
}

TEST(LimitsTest, AStringHoldingANulIsRefusedNamingItsField) {
  legislation::v1::Legislation l;
  l.mutable_associated_offences()->add_offences(std::string("fra\0ud", 6));
  FieldViolations v;
  ValidateCommonTypes(l, "legislation", v);
  EXPECT_EQ(Fields(v), std::vector<std::string>{
                           "legislation.associated_offences.offences[0]"});
}

common::v1::Provenance Source() {
  common::v1::Provenance p;
  p.set_document_symbol("E/CN.15/2008/6");
  p.set_paragraph(5);
  return p;
}

TEST(LimitsTest, RepeatedFieldOfExactlyTheLimitIsAccepted) {
  legislation::v1::Legislation l;
  for (int i = 0; i < kMaxRepeatedElements; ++i) {
    *l.mutable_protocol()->add_sources() = Source();
    l.mutable_associated_offences()->add_offences("fraud");
  }
  FieldViolations v;
  EXPECT_TRUE(ValidateCommonTypes(l, "legislation", v));
  EXPECT_TRUE(v.empty()) << v.ToStatus();
}

TEST(LimitsTest, OneElementMoreIsOneViolationNamingTheField) {
  legislation::v1::Legislation l;
  for (int i = 0; i < kMaxRepeatedElements + 1; ++i) {
    *l.mutable_protocol()->add_sources() = Source();
  }
  FieldViolations v;
  EXPECT_FALSE(ValidateCommonTypes(l, "legislation", v));
  ASSERT_EQ(v.bad_request().field_violations_size(), 1);
  EXPECT_EQ(v.bad_request().field_violations(0).field(),
            "legislation.protocol.sources");
  EXPECT_EQ(v.bad_request().field_violations(0).description(),
            "1001 elements, at most 1000");
}

TEST(LimitsTest, ManyBadElementsAreNotCheckedOneByOne) {
  legislation::v1::Legislation l;
  for (int i = 0; i < 100000; ++i) {
    l.mutable_protocol()->add_sources();  // each lacks its document
    l.mutable_associated_offences()->add_offences(
        std::string(kMaxStringBytes + 1, 'x'));
  }
  FieldViolations v;
  EXPECT_FALSE(ValidateCommonTypes(l, "legislation", v));
  EXPECT_THAT(Fields(v), ::testing::UnorderedElementsAre(
                             "legislation.protocol.sources",
                             "legislation.associated_offences.offences"));
}

TEST(LimitsTest, StringOfExactlyTheLimitIsAcceptedOneByteMoreIsNot) {
  legislation::v1::Legislation l;
  l.set_notes(std::string(kMaxStringBytes, 'x'));
  l.mutable_associated_offences()->add_offences(
      std::string(kMaxStringBytes, 'x'));
  FieldViolations ok;
  EXPECT_TRUE(ValidateCommonTypes(l, "", ok));
  EXPECT_TRUE(ok.empty()) << ok.ToStatus();

  l.set_notes(std::string(kMaxStringBytes + 1, 'x'));
  l.mutable_associated_offences()->add_offences(
      std::string(kMaxStringBytes + 1, 'x'));
  FieldViolations v;
  ValidateCommonTypes(l, "", v);
  EXPECT_THAT(Fields(v), ::testing::ElementsAre(
                             "associated_offences.offences[1]", "notes"));
}

TEST(LimitsTest, RecordOfExactlyTheLimitIsAcceptedOneByteMoreIsNot) {
  legislation::v1::Legislation l;
  l.mutable_protocol()->set_status(legislation::v1::TREATY_STATUS_RATIFIED);
  PadWithSources(
      l.mutable_protocol()->mutable_sources(),
      [&l] { return l.ByteSizeLong(); }, kMaxRecordBytes);
  FieldViolations ok;
  ValidateRecordSize(l, "legislation", ok);
  EXPECT_TRUE(ok.empty()) << ok.ToStatus();

  auto* sources = l.mutable_protocol()->mutable_sources();
  sources->Mutable(sources->size() - 1)->mutable_excerpt()->push_back('x');
  FieldViolations v;
  ValidateRecordSize(l, "legislation", v);
  EXPECT_THAT(Fields(v), ::testing::ElementsAre("legislation"));
}

}  // namespace
}  // namespace palermo
