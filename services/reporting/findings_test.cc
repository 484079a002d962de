// Tests of the data-quality rules (findings.h): each rule on hand-built
// cycle data, positive and negative or boundary cases, then every rule over
// the reference data of data/ with the 24 respondents of para 3.
#include "services/reporting/findings.h"

#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace palermo::reporting {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;
using ::testing::UnorderedElementsAre;

namespace cv1 = common::v1;
namespace ev1 = enforcement::v1;
namespace lv1 = legislation::v1;

constexpr char kCycle[] = "cycles/test";

cv1::PartialDate Date(int year, int month = 0, int day = 0) {
  cv1::PartialDate d;
  d.set_year(year);
  d.set_month(month);
  d.set_day(day);
  d.set_precision(day != 0     ? cv1::DATE_PRECISION_DAY
                  : month != 0 ? cv1::DATE_PRECISION_MONTH
                               : cv1::DATE_PRECISION_YEAR);
  return d;
}

cv1::ReportingPeriod Period(std::optional<cv1::PartialDate> start,
                            std::optional<cv1::PartialDate> end) {
  cv1::ReportingPeriod p;
  if (start) *p.mutable_start() = *start;
  if (end) *p.mutable_end() = *end;
  return p;
}

cv1::ReportingPeriod Year(int year) { return Period(Date(year), Date(year)); }

ev1::Observation Obs(const std::string& code, const std::string& indicator,
                     std::optional<cv1::ReportingPeriod> period,
                     std::optional<int64_t> value, const std::string& id) {
  ev1::Observation o;
  o.set_entity("countries/" + code);
  o.set_name(absl::StrCat("countries/", code, "/observations/", id));
  o.set_indicator(indicator);
  if (period) *o.mutable_period() = *period;
  if (value) o.set_value(*value);
  o.set_status(ev1::OBSERVATION_STATUS_NORMAL);
  return o;
}

v1::Response Resp(const std::string& entity,
                  std::optional<cv1::PartialDate> received = std::nullopt) {
  v1::Response r;
  r.set_entity(entity);
  r.set_name(absl::StrCat(kCycle, "/responses/",
                          entity.substr(entity.rfind('/') + 1)));
  if (received) *r.mutable_received_date() = *received;
  return r;
}

lv1::Legislation Leg(const std::string& code) {
  lv1::Legislation l;
  l.set_name("countries/" + code + "/legislation");
  return l;
}

cv1::Provenance Source(int paragraph, int footnote) {
  cv1::Provenance p;
  p.set_document_symbol("E/CN.15/2008/6");
  p.set_paragraph(paragraph);
  p.set_footnote(footnote);
  return p;
}

// A legislation record whose specific law has `law` status from `source`,
// with Protocol status `protocol`.
lv1::Legislation LawFrom(const std::string& code, lv1::LawStatus law,
                         const cv1::Provenance& source,
                         lv1::TreatyStatus protocol) {
  lv1::Legislation l = Leg(code);
  l.mutable_specific_law()->set_kind(lv1::LAW_KIND_ANTI_TRAFFICKING);
  l.mutable_specific_law()->set_status(law);
  *l.mutable_specific_law()->add_sources() = source;
  if (protocol != lv1::TREATY_STATUS_UNSPECIFIED) {
    l.mutable_protocol()->set_status(protocol);
    *l.mutable_protocol()->add_sources() = Source(5, 1);
  }
  return l;
}

CycleData Data() {
  CycleData data;
  data.cycle.set_name(kCycle);
  *data.cycle.mutable_cutoff_date() = Date(2008, 1, 24);
  return data;
}

std::vector<v1::Finding> Of(const std::vector<v1::Finding>& findings,
                            const std::string& rule) {
  std::vector<v1::Finding> out;
  for (const v1::Finding& f : findings) {
    if (f.rule() == rule) out.push_back(f);
  }
  return out;
}

std::vector<v1::Finding> FindingsOf(const CycleData& data,
                                    const std::string& rule) {
  return Of(RunFindings(data), rule);
}

std::vector<std::string> Entities(const std::vector<v1::Finding>& findings) {
  std::vector<std::string> out;
  for (const v1::Finding& f : findings) {
    out.insert(out.end(), f.entities().begin(), f.entities().end());
  }
  return out;
}

std::vector<std::string> Records(const v1::Finding& f) {
  return {f.records().begin(), f.records().end()};
}

std::string Text(const v1::Finding& f, const std::string& language) {
  for (const v1::LocalizedText& t : f.explanations()) {
    if (t.language() == language) return t.text();
  }
  return "";
}

TEST(RulesTest, SortedUniqueWithSeverityAndBothLanguages) {
  std::vector<std::string> ids;
  for (const RuleInfo& rule : Rules()) {
    ids.push_back(rule.id);
    EXPECT_NE(rule.severity, v1::SEVERITY_UNSPECIFIED) << rule.id;
    EXPECT_FALSE(rule.en.empty()) << rule.id;
    EXPECT_FALSE(rule.fr.empty()) << rule.id;
  }
  EXPECT_THAT(ids, ElementsAre("CONTRADICTORY_COUNTS", "DEFINITION_DIFFERS",
                               "FACTS_WITHOUT_RESPONSE", "LATE_RESPONSE",
                               "OVERLAPPING_PERIODS", "RATIFIED_NOT_RECORDED",
                               "RESPONDENT_WITHOUT_FACTS", "UNDATED_FIGURE",
                               "UNKNOWN_RECEIVED_DATE"));
}

TEST(RespondentWithoutFactsTest, ResponseWithOnlyNotesIsFlagged) {
  CycleData data = Data();
  data.responses = {Resp("countries/EST", Date(2007, 12, 1)),
                    Resp("countries/SVN", Date(2007, 12, 1))};
  lv1::Legislation svn = Leg("SVN");
  svn.set_notes("Never cited again.");
  svn.add_quality_notes()->set_kind(cv1::QUALITY_NOTE_KIND_INCONSISTENCY);
  lv1::Legislation est = LawFrom("EST", lv1::LAW_STATUS_DRAFT, Source(5, 2),
                                 lv1::TREATY_STATUS_UNSPECIFIED);
  data.legislations = {est, svn};

  const std::vector<v1::Finding> found =
      FindingsOf(data, "RESPONDENT_WITHOUT_FACTS");
  ASSERT_THAT(found, SizeIs(1));
  EXPECT_THAT(found[0].entities(), ElementsAre("countries/SVN"));
  EXPECT_THAT(Records(found[0]), ElementsAre("cycles/test/responses/SVN",
                                             "countries/SVN/legislation"));
  EXPECT_EQ(found[0].severity(), v1::SEVERITY_WARNING);
  EXPECT_THAT(Text(found[0], "en"), HasSubstr("SVN"));
  EXPECT_THAT(Text(found[0], "fr"), HasSubstr("SVN"));
}

TEST(RespondentWithoutFactsTest, AFactInAnyDomainIsEnough) {
  CycleData data = Data();
  data.responses = {Resp("countries/CUB"), Resp("organizations/LAS"),
                    Resp("countries/BGR"), Resp("countries/EST")};
  data.observations = {Obs("CUB", "PERSONS_PROSECUTED", Year(2005), 1, "a")};
  coordination::v1::CooperationActivity activity;
  activity.set_name("organizations/LAS/cooperationActivities/workshop");
  data.cooperation_activities = {activity};
  assistance::v1::Measure measure;
  measure.set_name("countries/BGR/measures/shelter");
  data.measures = {measure};
  lv1::Legislation est = Leg("EST");
  est.mutable_money_laundering_predicate()->set_value(true);
  data.legislations = {est};

  EXPECT_THAT(FindingsOf(data, "RESPONDENT_WITHOUT_FACTS"), IsEmpty());
}

TEST(FactsWithoutResponseTest, FactsOfAnEntityThatDidNotRespond) {
  CycleData data = Data();
  data.responses = {Resp("countries/EST")};
  assistance::v1::Measure measure;
  measure.set_name("countries/LVA/measures/shelter");
  data.measures = {measure};
  lv1::Legislation lva = Leg("LVA");
  lva.mutable_protocol()->set_status(lv1::TREATY_STATUS_RATIFIED);
  lv1::Legislation est = Leg("EST");
  est.mutable_penalties()->set_fine(true);
  data.legislations = {est, lva};

  const std::vector<v1::Finding> found =
      FindingsOf(data, "FACTS_WITHOUT_RESPONSE");
  ASSERT_THAT(found, SizeIs(1));
  EXPECT_THAT(found[0].entities(), ElementsAre("countries/LVA"));
  EXPECT_THAT(Records(found[0]), ElementsAre("countries/LVA/legislation",
                                             "countries/LVA/measures/shelter"));
  EXPECT_THAT(Text(found[0], "en"), HasSubstr("legislation, assistance"));
  EXPECT_THAT(Text(found[0], "fr"), HasSubstr("législation, assistance"));
}

TEST(FactsWithoutResponseTest, RecordsWithoutFactsAndGroupsAreNotFacts) {
  CycleData data = Data();
  lv1::Legislation notes_only = Leg("SVN");
  notes_only.set_notes("Nothing reported.");
  data.legislations = {notes_only};
  coordination::v1::InterAgencyGroup group;
  group.set_name("interAgencyGroups/icat");
  group.add_members("organizations/UNODC");
  data.inter_agency_groups = {group};

  EXPECT_THAT(RunFindings(data), IsEmpty());
}

TEST(RatifiedNotRecordedTest, MembersOfARatifiedGroupNotRecordedRatified) {
  CycleData data = Data();
  const cv1::Provenance fn2 = Source(5, 2);
  data.legislations = {
      LawFrom("EST", lv1::LAW_STATUS_DRAFT, fn2, lv1::TREATY_STATUS_RATIFIED),
      LawFrom("JOR", lv1::LAW_STATUS_DRAFT, fn2,
              lv1::TREATY_STATUS_UNSPECIFIED),
      LawFrom("NER", lv1::LAW_STATUS_NONE, fn2, lv1::TREATY_STATUS_UNSPECIFIED),
      LawFrom("OMN", lv1::LAW_STATUS_DRAFT, fn2, lv1::TREATY_STATUS_ACCEDED),
  };

  const std::vector<v1::Finding> found =
      FindingsOf(data, "RATIFIED_NOT_RECORDED");
  ASSERT_THAT(Entities(found), ElementsAre("countries/JOR", "countries/NER"));
  EXPECT_EQ(found[0].severity(), v1::SEVERITY_ERROR);
  EXPECT_THAT(Records(found[0]), ElementsAre("countries/JOR/legislation",
                                             "countries/EST/legislation",
                                             "countries/OMN/legislation"));
  EXPECT_THAT(Text(found[0], "en"),
              HasSubstr("E/CN.15/2008/6, paragraph 5, footnote 2"));
  EXPECT_THAT(Text(found[0], "en"), HasSubstr("EST, OMN"));
  EXPECT_THAT(Text(found[0], "en"), HasSubstr("not recorded"));
  EXPECT_THAT(Text(found[0], "fr"),
              HasSubstr("E/CN.15/2008/6, paragraphe 5, note 2"));
}

TEST(RatifiedNotRecordedTest, ARecordedStatusOtherThanRatifiedIsFlagged) {
  CycleData data = Data();
  const cv1::Provenance fn2 = Source(5, 2);
  data.legislations = {
      LawFrom("EST", lv1::LAW_STATUS_DRAFT, fn2, lv1::TREATY_STATUS_RATIFIED),
      LawFrom("JOR", lv1::LAW_STATUS_DRAFT, fn2, lv1::TREATY_STATUS_SIGNED),
  };
  const std::vector<v1::Finding> found =
      FindingsOf(data, "RATIFIED_NOT_RECORDED");
  ASSERT_THAT(Entities(found), ElementsAre("countries/JOR"));
  EXPECT_THAT(Text(found[0], "en"), HasSubstr("is: SIGNED"));
}

TEST(RatifiedNotRecordedTest, NoFindingWithoutARatifiedGroup) {
  const cv1::Provenance fn2 = Source(5, 2);
  // For each member, another member of the source is known not to have
  // ratified: the group is not one of States that ratified.
  CycleData mixed = Data();
  mixed.legislations = {
      LawFrom("EST", lv1::LAW_STATUS_DRAFT, fn2, lv1::TREATY_STATUS_RATIFIED),
      LawFrom("JOR", lv1::LAW_STATUS_DRAFT, fn2,
              lv1::TREATY_STATUS_UNSPECIFIED),
      LawFrom("JPN", lv1::LAW_STATUS_DRAFT, fn2, lv1::TREATY_STATUS_NOT_PARTY),
      LawFrom("CZE", lv1::LAW_STATUS_DRAFT, fn2, lv1::TREATY_STATUS_SIGNED),
  };
  EXPECT_THAT(FindingsOf(mixed, "RATIFIED_NOT_RECORDED"), IsEmpty());

  // The ratified State's law is in force, or from another footnote.
  CycleData apart = Data();
  apart.legislations = {
      LawFrom("EST", lv1::LAW_STATUS_IN_FORCE, fn2,
              lv1::TREATY_STATUS_RATIFIED),
      LawFrom("OMN", lv1::LAW_STATUS_DRAFT, Source(5, 3),
              lv1::TREATY_STATUS_RATIFIED),
      LawFrom("JOR", lv1::LAW_STATUS_DRAFT, fn2,
              lv1::TREATY_STATUS_UNSPECIFIED),
  };
  EXPECT_THAT(FindingsOf(apart, "RATIFIED_NOT_RECORDED"), IsEmpty());

  // Everyone in the group ratified.
  CycleData all = Data();
  all.legislations = {
      LawFrom("EST", lv1::LAW_STATUS_DRAFT, fn2, lv1::TREATY_STATUS_RATIFIED),
      LawFrom("OMN", lv1::LAW_STATUS_DRAFT, fn2, lv1::TREATY_STATUS_RATIFIED),
  };
  EXPECT_THAT(FindingsOf(all, "RATIFIED_NOT_RECORDED"), IsEmpty());
}

TEST(DefinitionDiffersTest, NamesTheIndicator) {
  CycleData data = Data();
  ev1::Indicator indicator;
  indicator.set_code("PERSONS_PROSECUTED");
  indicator.set_display_name("Persons prosecuted");
  data.indicators = {indicator};
  ev1::Observation cub = Obs("CUB", "PERSONS_PROSECUTED",
                             Period(Date(1999), Date(2004, 6)), 112, "d");
  cub.set_status(ev1::OBSERVATION_STATUS_DEFINITION_DIFFERS);
  cub.set_notes("Includes migrant smuggling.");
  data.observations = {cub,
                       Obs("SLV", "PERSONS_PROSECUTED", Year(2005), 18, "n")};

  const std::vector<v1::Finding> found = FindingsOf(data, "DEFINITION_DIFFERS");
  ASSERT_THAT(found, SizeIs(1));
  EXPECT_THAT(found[0].entities(), ElementsAre("countries/CUB"));
  EXPECT_THAT(Records(found[0]), ElementsAre("countries/CUB/observations/d"));
  EXPECT_THAT(Text(found[0], "en"),
              HasSubstr("PERSONS_PROSECUTED (Persons prosecuted)"));
  EXPECT_THAT(Text(found[0], "en"), HasSubstr("1999/2004-06"));
  EXPECT_THAT(Text(found[0], "en"), HasSubstr("112"));
  EXPECT_THAT(Text(found[0], "en"), HasSubstr("Includes migrant smuggling."));
  EXPECT_THAT(Text(found[0], "fr"), HasSubstr("PERSONS_PROSECUTED"));
}

TEST(OverlappingPeriodsTest, NestedAndOverlappingPeriodsOfOneSeries) {
  CycleData data = Data();
  data.observations = {
      Obs("HRV", "VICTIMS_IDENTIFIED", Period(Date(2002), Date(2007, 1)), 65,
          "total"),
      Obs("HRV", "VICTIMS_IDENTIFIED", Year(2005), 6, "y2005"),
      Obs("HRV", "VICTIMS_IDENTIFIED", Year(2006), 13, "y2006"),
      Obs("HRV", "VICTIMS_IDENTIFIED", Year(2007), 11, "y2007"),
  };
  const std::vector<v1::Finding> found =
      FindingsOf(data, "OVERLAPPING_PERIODS");
  ASSERT_THAT(found, SizeIs(3));
  std::vector<std::string> texts;
  for (const v1::Finding& f : found) {
    EXPECT_THAT(f.entities(), ElementsAre("countries/HRV"));
    texts.push_back(Text(f, "en"));
  }
  EXPECT_THAT(Records(found[0]),
              ElementsAre("countries/HRV/observations/total",
                          "countries/HRV/observations/y2005"));
  EXPECT_THAT(texts[0], HasSubstr("2002/2007-01 (65) contains the period "
                                  "2005 (6)"));
  EXPECT_THAT(texts[1], HasSubstr("contains the period 2006 (13)"));
  EXPECT_THAT(texts[2], HasSubstr("2002/2007-01 (65) overlaps the period "
                                  "2007 (11)"));
  EXPECT_THAT(Text(found[0], "fr"), HasSubstr("contient"));
}

TEST(OverlappingPeriodsTest, TouchingPeriodsAndOtherSeriesDoNotOverlap) {
  CycleData data = Data();
  ev1::Observation female =
      Obs("HRV", "VICTIMS_IDENTIFIED", Year(2005), 4, "female");
  female.set_sex(ev1::SEX_FEMALE);
  data.observations = {
      Obs("HRV", "VICTIMS_IDENTIFIED", Year(2005), 6, "y2005"),
      Obs("HRV", "VICTIMS_IDENTIFIED", Year(2006), 13, "y2006"),
      Obs("HRV", "VICTIMS_IDENTIFIED", Period(Date(2007, 1), Date(2007, 6)), 5,
          "h1"),
      Obs("HRV", "VICTIMS_IDENTIFIED", Period(Date(2007, 7), Date(2007, 12)), 6,
          "h2"),
      female,
      Obs("HRV", "PERSONS_ARRESTED", Year(2005), 3, "arrested"),
      Obs("SVN", "VICTIMS_IDENTIFIED", Year(2005), 3, "other"),
      Obs("HRV", "VICTIMS_IDENTIFIED", std::nullopt, 3, "undated"),
  };
  EXPECT_THAT(FindingsOf(data, "OVERLAPPING_PERIODS"), IsEmpty());
}

TEST(OverlappingPeriodsTest, AnOpenStartReachesBack) {
  CycleData data = Data();
  data.observations = {
      Obs("PHL", "VICTIMS_ASSISTED", Period(std::nullopt, Date(2007, 6)), 315,
          "open"),
      Obs("PHL", "VICTIMS_ASSISTED", Year(2004), 20, "y2004"),
  };
  const std::vector<v1::Finding> found =
      FindingsOf(data, "OVERLAPPING_PERIODS");
  ASSERT_THAT(found, SizeIs(1));
  EXPECT_THAT(Text(found[0], "en"),
              HasSubstr("../2007-06 (315) contains the period 2004 (20)"));
}

TEST(UndatedFigureTest, NoPeriodOrNeitherEnd) {
  CycleData data = Data();
  data.observations = {
      Obs("ROU", "HOTLINE_CALLS", std::nullopt, 551, "none"),
      Obs("ROU", "HOTLINE_CALLS_TRAFFICKING", cv1::ReportingPeriod(), 36,
          "empty"),
      Obs("ROU", "CASES_DETECTED", Period(std::nullopt, Date(2008, 1)), 8,
          "end"),
      Obs("ROU", "CASES_INVESTIGATED", Period(Date(2005), std::nullopt), 8,
          "start"),
  };
  const std::vector<v1::Finding> found = FindingsOf(data, "UNDATED_FIGURE");
  ASSERT_THAT(found, SizeIs(2));
  EXPECT_THAT(Records(found[0]),
              ElementsAre("countries/ROU/observations/empty"));
  EXPECT_THAT(Records(found[1]),
              ElementsAre("countries/ROU/observations/none"));
  EXPECT_THAT(Text(found[1], "en"), HasSubstr("HOTLINE_CALLS"));
}

TEST(ContradictoryCountsTest, MoreProsecutedThanArrestedInOnePeriod) {
  CycleData data = Data();
  data.observations = {
      Obs("SLV", "PERSONS_ARRESTED", Year(2005), 53, "a2005"),
      Obs("SLV", "PERSONS_PROSECUTED", Year(2005), 54, "p2005"),
      Obs("ROU", "HOTLINE_CALLS", Year(2007), 30, "calls"),
      Obs("ROU", "HOTLINE_CALLS_TRAFFICKING", Year(2007), 36, "trafficking"),
  };
  const std::vector<v1::Finding> found =
      FindingsOf(data, "CONTRADICTORY_COUNTS");
  ASSERT_THAT(Entities(found), ElementsAre("countries/ROU", "countries/SLV"));
  EXPECT_EQ(found[1].severity(), v1::SEVERITY_ERROR);
  EXPECT_THAT(Records(found[1]),
              ElementsAre("countries/SLV/observations/p2005",
                          "countries/SLV/observations/a2005"));
  EXPECT_THAT(
      Text(found[1], "en"),
      HasSubstr("PERSONS_PROSECUTED = 54 exceeds PERSONS_ARRESTED = 53"));
}

TEST(ContradictoryCountsTest, EqualOtherPeriodsBreakdownsOrDefinitionsAreNot) {
  CycleData data = Data();
  ev1::Observation male = Obs("GRC", "PERSONS_PROSECUTED", Year(2006), 90, "m");
  male.set_sex(ev1::SEX_MALE);
  ev1::Observation differs =
      Obs("CUB", "PERSONS_PROSECUTED", Year(2006), 112, "d");
  differs.set_status(ev1::OBSERVATION_STATUS_DEFINITION_DIFFERS);
  data.observations = {
      // Equal counts.
      Obs("SLV", "PERSONS_ARRESTED", Year(2005), 53, "a2005"),
      Obs("SLV", "PERSONS_PROSECUTED", Year(2005), 53, "p2005"),
      // Different periods.
      Obs("SLV", "PERSONS_ARRESTED", Year(2006), 10, "a2006"),
      Obs("SLV", "PERSONS_PROSECUTED", Period(Date(2006), Date(2007)), 37,
          "p2006"),
      // Different breakdown.
      Obs("GRC", "PERSONS_ARRESTED", Year(2006), 80, "all"),
      male,
      // Definition differs, or no value.
      Obs("CUB", "PERSONS_ARRESTED", Year(2006), 100, "a"),
      differs,
      Obs("UKR", "PERSONS_ARRESTED", Year(2006), std::nullopt, "a"),
      Obs("UKR", "PERSONS_PROSECUTED", Year(2006), 5, "p"),
      // Not a subset: victims assisted may exceed victims identified.
      Obs("PHL", "VICTIMS_IDENTIFIED", Year(2006), 10, "i"),
      Obs("PHL", "VICTIMS_ASSISTED", Year(2006), 315, "s"),
  };
  EXPECT_THAT(FindingsOf(data, "CONTRADICTORY_COUNTS"), IsEmpty());
}

TEST(LateResponseTest, AfterTheCutoffByTimelinessOrDate) {
  CycleData data = Data();  // cut-off 2008-01-24
  v1::Response flagged = Resp("countries/EST");
  flagged.set_timeliness(v1::TIMELINESS_AFTER_CUTOFF);
  data.responses = {
      flagged,
      Resp("countries/HRV", Date(2008, 1, 25)),
      Resp("countries/LVA", Date(2008, 2)),
      Resp("countries/BGR", Date(2008, 1, 24)),  // on the cut-off: in time
      Resp("countries/CUB", Date(2008, 1)),      // January: maybe in time
      Resp("countries/JPN", Date(2008)),
  };
  const std::vector<v1::Finding> found = FindingsOf(data, "LATE_RESPONSE");
  EXPECT_THAT(Entities(found),
              ElementsAre("countries/EST", "countries/HRV", "countries/LVA"));
  EXPECT_THAT(Text(found[1], "en"), HasSubstr("2008-01-25"));
  EXPECT_THAT(Text(found[1], "en"), HasSubstr("2008-01-24"));
}

TEST(UnknownReceivedDateTest, OneFindingListingTheResponses) {
  CycleData data = Data();
  data.responses = {Resp("countries/UKR"), Resp("countries/BLR"),
                    Resp("countries/EST", Date(2007, 12, 10))};
  const std::vector<v1::Finding> found =
      FindingsOf(data, "UNKNOWN_RECEIVED_DATE");
  ASSERT_THAT(found, SizeIs(1));
  EXPECT_EQ(found[0].severity(), v1::SEVERITY_INFO);
  EXPECT_THAT(found[0].entities(),
              ElementsAre("countries/BLR", "countries/UKR"));
  EXPECT_THAT(Text(found[0], "en"), HasSubstr("BLR, UKR"));

  data.responses = {Resp("countries/EST", Date(2007, 12, 10))};
  EXPECT_THAT(FindingsOf(data, "UNKNOWN_RECEIVED_DATE"), IsEmpty());
}

TEST(RunFindingsTest, OrderedByRuleThenEntities) {
  CycleData data = Data();
  data.responses = {Resp("countries/UKR"), Resp("countries/BLR")};
  data.observations = {
      Obs("ZWE", "CASES_DETECTED", std::nullopt, 1, "u"),
      Obs("ALB", "CASES_DETECTED", std::nullopt, 1, "u"),
  };
  std::vector<std::string> keys;
  for (const v1::Finding& f : RunFindings(data)) {
    keys.push_back(absl::StrCat(f.rule(), " ", f.entities(0)));
  }
  EXPECT_THAT(keys, ElementsAre("FACTS_WITHOUT_RESPONSE countries/ALB",
                                "FACTS_WITHOUT_RESPONSE countries/ZWE",
                                "RESPONDENT_WITHOUT_FACTS countries/BLR",
                                "RESPONDENT_WITHOUT_FACTS countries/UKR",
                                "UNDATED_FIGURE countries/ALB",
                                "UNDATED_FIGURE countries/ZWE",
                                "UNKNOWN_RECEIVED_DATE countries/BLR"));
}

// The reference data of data/, as the fetcher would give it.
std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

template <typename Message>
Message Parse(const std::filesystem::path& path) {
  Message message;
  const auto status =
      google::protobuf::util::JsonStringToMessage(ReadFile(path), &message);
  EXPECT_TRUE(status.ok()) << path << ": " << status.ToString();
  return message;
}

std::vector<std::filesystem::path> JsonFiles(const std::string& domain) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(
           std::filesystem::path(PALERMO_SOURCE_DIR) / "data" / domain)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

CycleData ReferenceData() {
  CycleData data;
  data.cycle.set_name("cycles/ccpcj-17");
  *data.cycle.mutable_cutoff_date() = Date(2008, 1, 24);
  for (const auto& path : JsonFiles("legislation")) {
    data.legislations.push_back(Parse<lv1::Legislation>(path));
  }
  for (const auto& path : JsonFiles("enforcement")) {
    auto file = Parse<ev1::ImportObservationsRequest>(path);
    for (ev1::Observation& o : *file.mutable_observations()) {
      // Names are the service's; any unique one does here.
      o.set_name(
          absl::StrCat(o.entity(), "/observations/", data.observations.size()));
      data.observations.push_back(o);
    }
  }
  for (const auto& path : JsonFiles("assistance")) {
    auto file = Parse<assistance::v1::ListMeasuresResponse>(path);
    data.measures.insert(data.measures.end(), file.measures().begin(),
                         file.measures().end());
  }
  for (const auto& path : JsonFiles("coordination")) {
    auto file = Parse<coordination::v1::EntityCoordination>(path);
    auto append = [](auto& to, const auto& from) {
      to.insert(to.end(), from.begin(), from.end());
    };
    append(data.coordination_bodies, file.coordination_bodies());
    append(data.action_plans, file.action_plans());
    append(data.referral_mechanisms, file.referral_mechanisms());
    append(data.training_activities, file.training_activities());
    append(data.awareness_campaigns, file.awareness_campaigns());
    append(data.cooperation_activities, file.cooperation_activities());
    append(data.inter_agency_groups, file.inter_agency_groups());
  }
  // The 24 respondents of para 3: every entity of data/legislation but LVA.
  for (const lv1::Legislation& record : data.legislations) {
    const std::string entity = EntityOfRecordName(record.name());
    if (entity == "countries/LVA") continue;
    v1::Response response;
    response.set_entity(entity);
    response.set_name(absl::StrCat("cycles/ccpcj-17/responses/",
                                   entity.substr(entity.find('/') + 1)));
    data.responses.push_back(response);
  }
  std::sort(data.responses.begin(), data.responses.end(),
            [](const v1::Response& a, const v1::Response& b) {
              return a.name() < b.name();
            });
  return data;
}

TEST(ReferenceDataTest, FindsWhatTheReportLeavesInconsistent) {
  const CycleData data = ReferenceData();
  ASSERT_THAT(data.responses, SizeIs(24));
  ASSERT_FALSE(data.observations.empty());
  ASSERT_FALSE(data.measures.empty());
  ASSERT_FALSE(data.awareness_campaigns.empty());
  const std::vector<v1::Finding> findings = RunFindings(data);

  EXPECT_THAT(Entities(Of(findings, "RESPONDENT_WITHOUT_FACTS")),
              ElementsAre("countries/SVN"));
  // Latvia, cited and not listed; and UNODC, whose technical assistance
  // (para 84) is a fact of the cycle that no response reported: the rule is
  // generic, and an analyst dismisses the Secretariat's own work.
  EXPECT_THAT(Entities(Of(findings, "FACTS_WITHOUT_RESPONSE")),
              ElementsAre("countries/LVA", "organizations/UNODC"));
  EXPECT_THAT(Entities(Of(findings, "RATIFIED_NOT_RECORDED")),
              ElementsAre("countries/JOR", "countries/NER"));
  const std::vector<v1::Finding> cuba = Of(findings, "DEFINITION_DIFFERS");
  EXPECT_THAT(Entities(cuba), ElementsAre("countries/CUB"));
  if (!cuba.empty()) {
    EXPECT_THAT(Text(cuba[0], "en"), HasSubstr("PERSONS_PROSECUTED"));
  }
  const std::vector<v1::Finding> croatia = Of(findings, "OVERLAPPING_PERIODS");
  const std::vector<std::string> overlapping = Entities(croatia);
  EXPECT_THAT(std::set<std::string>(overlapping.begin(), overlapping.end()),
              ElementsAre("countries/HRV"));
  EXPECT_THAT(croatia, SizeIs(3));  // 65 holds 2005 and 2006, overlaps 2007

  // The reference data has no other contradiction.
  EXPECT_THAT(Of(findings, "CONTRADICTORY_COUNTS"), IsEmpty());
  EXPECT_THAT(Of(findings, "UNDATED_FIGURE"), IsEmpty());
  EXPECT_THAT(Of(findings, "LATE_RESPONSE"), IsEmpty());
  // The responses built here have no date.
  const std::vector<v1::Finding> unknown =
      Of(findings, "UNKNOWN_RECEIVED_DATE");
  ASSERT_THAT(unknown, SizeIs(1));
  EXPECT_THAT(unknown[0].entities(), SizeIs(24));

  for (const v1::Finding& f : findings) {
    EXPECT_NE(f.severity(), v1::SEVERITY_UNSPECIFIED) << f.rule();
    EXPECT_FALSE(Text(f, "fr").empty()) << f.rule();
    EXPECT_FALSE(Text(f, "en").empty()) << f.rule();
    EXPECT_THAT(f.entities(), testing::Not(IsEmpty())) << f.rule();
    EXPECT_THAT(f.records(), testing::Not(IsEmpty())) << f.rule();
  }
}

}  // namespace
}  // namespace palermo::reporting
