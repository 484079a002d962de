// Unit tests of profile composition: sections present, left out and named
// when their service fails, and cut to the profile's size bound.
#include "services/gateway/profile.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "services/common/status.h"

namespace palermo::gateway {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

common::v1::ReportingEntity Estonia() {
  common::v1::ReportingEntity e;
  e.set_name("countries/EST");
  e.set_display_name("Estonia");
  return e;
}

// Every section present, one record each.
ProfileParts Complete() {
  ProfileParts parts{legislation::v1::Legislation(),
                     std::vector<enforcement::v1::Observation>(1)};
  parts.legislation->set_name("countries/EST/legislation");
  (*parts.observations)[0].set_indicator("CASES_INVESTIGATED");
  (*parts.observations)[0].set_value(39);
  parts.measures->emplace_back().set_name("countries/EST/measures/shelter");
  parts.coordination->set_entity("countries/EST");
  parts.responses->emplace_back().set_name("cycles/ccpcj-17/responses/EST");
  return parts;
}

std::vector<v1::ProfileSection> OmittedOf(const v1::CountryProfile& profile) {
  std::vector<v1::ProfileSection> out;
  for (const auto& o : profile.omitted_sections()) out.push_back(o.section());
  return out;
}

TEST(ProfileTest, ACompleteProfileNamesNoSection) {
  v1::CountryProfile profile = ComposeProfile(Estonia(), Complete());
  EXPECT_EQ(profile.name(), "countries/EST");
  EXPECT_EQ(profile.entity().display_name(), "Estonia");
  EXPECT_EQ(profile.legislation().name(), "countries/EST/legislation");
  EXPECT_EQ(profile.enforcement().latest(0).value(), 39);
  ASSERT_EQ(profile.assistance_measures_size(), 1);
  EXPECT_EQ(profile.coordination().entity(), "countries/EST");
  ASSERT_EQ(profile.responses_size(), 1);
  EXPECT_EQ(profile.responses(0).name(), "cycles/ccpcj-17/responses/EST");
  EXPECT_THAT(profile.omitted_sections(), IsEmpty());
}

TEST(ProfileTest, NoRecordMeansNoSectionAndNothingNamed) {
  v1::CountryProfile profile = ComposeProfile(
      Estonia(), {NotFoundError("L", "countries/EST/legislation"),
                  std::vector<enforcement::v1::Observation>()});
  EXPECT_FALSE(profile.has_legislation());
  EXPECT_FALSE(profile.has_enforcement());
  EXPECT_THAT(profile.assistance_measures(), IsEmpty());
  EXPECT_THAT(profile.omitted_sections(), IsEmpty());
}

TEST(ProfileTest, AFailingServiceLeavesOnlyItsSectionOutAndNamesIt) {
  const absl::Status down = absl::UnavailableError("connection refused");
  for (int failing = 0; failing < 5; ++failing) {
    ProfileParts parts = Complete();
    v1::ProfileSection expected;
    switch (failing) {
      case 0:
        parts.legislation = down;
        expected = v1::PROFILE_SECTION_LEGISLATION;
        break;
      case 1:
        parts.observations = down;
        expected = v1::PROFILE_SECTION_ENFORCEMENT;
        break;
      case 2:
        parts.measures = down;
        expected = v1::PROFILE_SECTION_ASSISTANCE;
        break;
      case 3:
        parts.coordination = down;
        expected = v1::PROFILE_SECTION_COORDINATION;
        break;
      default:
        parts.responses = down;
        expected = v1::PROFILE_SECTION_RESPONSES;
        break;
    }
    v1::CountryProfile profile = ComposeProfile(Estonia(), parts);
    ASSERT_THAT(OmittedOf(profile), ElementsAre(expected)) << failing;
    EXPECT_EQ(profile.omitted_sections(0).code(), 14);  // UNAVAILABLE
    EXPECT_EQ(profile.omitted_sections(0).message(), "connection refused");
    EXPECT_EQ(profile.has_legislation(), failing != 0);
    EXPECT_EQ(profile.has_enforcement(), failing != 1);
    EXPECT_EQ(profile.assistance_measures_size(), failing != 2 ? 1 : 0);
    EXPECT_EQ(profile.has_coordination(), failing != 3);
    EXPECT_EQ(profile.responses_size(), failing != 4 ? 1 : 0);
  }
}

TEST(ProfileTest, AFailingAssistanceServiceIsNeverAProfileWithoutMeasures) {
  ProfileParts parts = Complete();
  parts.measures = std::vector<assistance::v1::Measure>();
  EXPECT_THAT(ComposeProfile(Estonia(), parts).omitted_sections(), IsEmpty());
  parts.measures = absl::DeadlineExceededError("too slow");
  v1::CountryProfile profile = ComposeProfile(Estonia(), parts);
  EXPECT_THAT(profile.assistance_measures(), IsEmpty());
  ASSERT_THAT(OmittedOf(profile), ElementsAre(v1::PROFILE_SECTION_ASSISTANCE));
  EXPECT_EQ(profile.omitted_sections(0).code(), 4);  // DEADLINE_EXCEEDED
}

TEST(ProfileTest, OnlyLegislationNotFoundMeansNoRecord) {
  ProfileParts parts = Complete();
  parts.measures = NotFoundError("M", "countries/EST");
  parts.coordination = NotFoundError("C", "countries/EST");
  parts.responses = NotFoundError("R", "cycles/-");
  EXPECT_THAT(OmittedOf(ComposeProfile(Estonia(), parts)),
              ElementsAre(v1::PROFILE_SECTION_ASSISTANCE,
                          v1::PROFILE_SECTION_COORDINATION,
                          v1::PROFILE_SECTION_RESPONSES));
}

TEST(ProfileTest, EveryServiceFailingStillGivesTheEntityWithEverySectionNamed) {
  const absl::Status down = absl::UnavailableError("connection refused");
  ProfileParts parts{down, down};
  parts.measures = down;
  parts.coordination = down;
  parts.responses = down;
  v1::CountryProfile profile = ComposeProfile(Estonia(), parts);
  EXPECT_EQ(profile.entity().display_name(), "Estonia");
  EXPECT_THAT(OmittedOf(profile),
              ElementsAre(v1::PROFILE_SECTION_LEGISLATION,
                          v1::PROFILE_SECTION_ENFORCEMENT,
                          v1::PROFILE_SECTION_ASSISTANCE,
                          v1::PROFILE_SECTION_COORDINATION,
                          v1::PROFILE_SECTION_RESPONSES));
}

TEST(ProfileTest, EnforcementFiguresBecomeSeriesWithTheirLatestFigure) {
  auto figure = [](const char* indicator, int year, int64_t value) {
    enforcement::v1::Observation o;
    o.set_entity("countries/EST");
    o.set_indicator(indicator);
    auto* p = o.mutable_period();
    for (auto* d : {p->mutable_start(), p->mutable_end()}) {
      d->set_year(year);
      d->set_precision(common::v1::DATE_PRECISION_YEAR);
    }
    o.set_value(value);
    return o;
  };
  std::vector<enforcement::v1::Observation> figures = {
      figure("CASES_INVESTIGATED", 2007, 39),
      figure("CASES_INVESTIGATED", 2005, 32),
      figure("PERSONS_ARRESTED", 2005, 53),
      figure("CASES_INVESTIGATED", 2006, 67)};
  v1::CountryProfile profile =
      ComposeProfile(Estonia(), {NotFoundError("L", "x"), figures});
  const auto& section = profile.enforcement();
  ASSERT_EQ(section.series_size(), 2);
  EXPECT_EQ(section.series(0).indicator(), "CASES_INVESTIGATED");
  ASSERT_EQ(section.series(0).observations_size(), 3);
  EXPECT_EQ(section.series(0).observations(0).value(), 32);
  EXPECT_EQ(section.latest(0).value(), 39);
  EXPECT_EQ(section.latest(1).value(), 53);
}

// Four sections of about 1 MiB each: together twice the bound (and no
// responses, which ResponsesAreCutToThoseThatFit covers).
ProfileParts Large() {
  ProfileParts parts = Complete();
  parts.responses->clear();
  parts.legislation->set_notes(std::string(200 << 10, 'l'));
  parts.observations->clear();
  for (int i = 0; i < 1000; ++i) {
    auto& o = parts.observations->emplace_back();
    o.set_indicator("INDICATOR_" + std::to_string(i));
    o.set_notes(std::string(400, 'e'));
  }
  parts.measures->clear();
  for (int i = 0; i < 1000; ++i) {
    auto& m = parts.measures->emplace_back();
    m.set_name("countries/EST/measures/m" + std::to_string(i));
    m.set_notes(std::string(1 << 10, 'a'));
  }
  for (int i = 0; i < 1000; ++i) {
    parts.coordination->add_coordination_bodies()->set_notes(
        std::string(1 << 10, 'c'));
  }
  return parts;
}

TEST(ProfileTest, AProfileNeverPassesTheBoundAndNamesWhatItCut) {
  const ProfileParts parts = Large();
  v1::CountryProfile profile = ComposeProfile(Estonia(), parts);
  EXPECT_LE(profile.ByteSizeLong(), kMaxResponseBytes);
  // Legislation and enforcement fit whole; assistance is cut to the
  // measures that fit, in order; coordination is left out.
  EXPECT_TRUE(profile.has_legislation());
  EXPECT_EQ(profile.enforcement().series_size(), 1000);
  ASSERT_GT(profile.assistance_measures_size(), 0);
  ASSERT_LT(profile.assistance_measures_size(), 1000);
  for (int i = 0; i < profile.assistance_measures_size(); ++i) {
    EXPECT_EQ(profile.assistance_measures(i).name(),
              (*parts.measures)[i].name());
  }
  EXPECT_FALSE(profile.has_coordination());
  ASSERT_THAT(OmittedOf(profile),
              ElementsAre(v1::PROFILE_SECTION_ASSISTANCE,
                          v1::PROFILE_SECTION_COORDINATION));
  for (const auto& omitted : profile.omitted_sections()) {
    EXPECT_EQ(omitted.code(), 8);  // RESOURCE_EXHAUSTED
  }
  EXPECT_THAT(profile.omitted_sections(0).message(),
              HasSubstr(absl::StrCat(profile.assistance_measures_size(),
                                     " of 1000 measures")));
  EXPECT_THAT(profile.omitted_sections(0).message(),
              HasSubstr("AssistanceService.ListMeasures"));
  EXPECT_THAT(profile.omitted_sections(1).message(),
              HasSubstr("CoordinationService.GetEntityCoordination"));
}

TEST(ProfileTest, SeriesAreCutWholeWithTheirLatestFigure) {
  ProfileParts parts = Large();
  v1::CountryProfile profile = ComposeProfile(Estonia(), parts, 500 << 10);
  EXPECT_LE(profile.ByteSizeLong(), 500u << 10);
  const auto& section = profile.enforcement();
  ASSERT_GT(section.series_size(), 0);
  ASSERT_LT(section.series_size(), 1000);
  EXPECT_EQ(section.latest_size(), section.series_size());
  EXPECT_EQ(profile.assistance_measures_size(), 0);
  ASSERT_THAT(OmittedOf(profile),
              ElementsAre(v1::PROFILE_SECTION_ENFORCEMENT,
                          v1::PROFILE_SECTION_ASSISTANCE,
                          v1::PROFILE_SECTION_COORDINATION));
  EXPECT_THAT(
      profile.omitted_sections(0).message(),
      HasSubstr(absl::StrCat(section.series_size(), " of 1000 series")));
  EXPECT_THAT(profile.omitted_sections(0).message(),
              HasSubstr("EnforcementService.ListObservations"));
  EXPECT_THAT(profile.omitted_sections(1).message(),
              HasSubstr("the first 0 of 1000 measures"));
}

// Whatever the room the last measure leaves, the bound holds: each field is
// counted with its tag and length, not its value alone.
TEST(ProfileTest, EveryBoundHoldsWhateverRoomTheLastMeasureLeaves) {
  ProfileParts parts = Complete();
  parts.measures->clear();
  for (int i = 0; i < 300; ++i) {
    parts.measures->emplace_back().set_name(
        absl::StrCat("countries/EST/measures/m", 1000 + i));
  }
  for (size_t max = 6000; max < 6100; ++max) {
    v1::CountryProfile profile = ComposeProfile(Estonia(), parts, max);
    EXPECT_LE(profile.ByteSizeLong(), max) << max;
    EXPECT_LT(profile.assistance_measures_size(), 300) << max;
  }
}

// Sections named as left out take room too: a section that fills the bound
// leaves room for the others' omissions.
TEST(ProfileTest, OmissionsFitNextToASectionThatFillsTheBound) {
  constexpr size_t kMax = 100000;
  for (size_t notes = kMax - 6000; notes < kMax; notes += 250) {
    ProfileParts parts = Complete();
    parts.legislation->set_notes(std::string(notes, 'l'));
    const absl::Status down = absl::UnavailableError(std::string(5000, 'x'));
    parts.observations = down;
    parts.measures = down;
    parts.coordination = down;
    parts.responses = down;
    v1::CountryProfile profile = ComposeProfile(Estonia(), parts, kMax);
    EXPECT_LE(profile.ByteSizeLong(), kMax) << notes;
    EXPECT_GE(profile.omitted_sections_size(), 4) << notes;
  }
}

TEST(ProfileTest, ARecordLargerThanTheBoundIsLeftOutNamed) {
  ProfileParts parts = Complete();
  parts.legislation->set_notes(std::string(kMaxResponseBytes, 'l'));
  v1::CountryProfile profile = ComposeProfile(Estonia(), parts);
  EXPECT_LE(profile.ByteSizeLong(), kMaxResponseBytes);
  EXPECT_FALSE(profile.has_legislation());
  ASSERT_THAT(OmittedOf(profile), ElementsAre(v1::PROFILE_SECTION_LEGISLATION));
  EXPECT_THAT(profile.omitted_sections(0).message(),
              HasSubstr("LegislationService.GetLegislation"));
  EXPECT_TRUE(profile.has_enforcement());
  EXPECT_EQ(profile.assistance_measures_size(), 1);
}

TEST(ProfileTest, LongErrorMessagesAreCutAtACharacterBoundary) {
  std::string long_message;
  for (int i = 0; i < 100000; ++i) long_message += "\xC3\xA9";  // é
  const absl::Status down = absl::UnavailableError(long_message);
  ProfileParts parts{down, down};
  parts.measures = down;
  parts.coordination = down;
  parts.responses = down;
  v1::CountryProfile profile = ComposeProfile(Estonia(), parts);
  ASSERT_EQ(profile.omitted_sections_size(), 5);
  for (const auto& omitted : profile.omitted_sections()) {
    EXPECT_LE(omitted.message().size(), 1100u);
  }
  // Serializes (proto3 strings must be valid UTF-8) and parses back.
  v1::CountryProfile parsed;
  ASSERT_TRUE(parsed.ParseFromString(profile.SerializeAsString()));
  EXPECT_EQ(parsed.omitted_sections(4).message(),
            profile.omitted_sections(4).message());
}

// Responses are cut to the whole responses that fit, in order, and named
// with where to read them all.
TEST(ProfileTest, ResponsesAreCutToThoseThatFit) {
  ProfileParts parts = Complete();
  parts.responses->clear();
  for (int i = 0; i < 1000; ++i) {
    auto& r = parts.responses->emplace_back();
    r.set_name(absl::StrCat("cycles/c", 1000 + i, "/responses/EST"));
    r.set_notes(std::string(1 << 10, 'r'));
  }
  v1::CountryProfile profile = ComposeProfile(Estonia(), parts, 200 << 10);
  EXPECT_LE(profile.ByteSizeLong(), 200u << 10);
  ASSERT_GT(profile.responses_size(), 0);
  ASSERT_LT(profile.responses_size(), 1000);
  for (int i = 0; i < profile.responses_size(); ++i) {
    EXPECT_EQ(profile.responses(i).name(), (*parts.responses)[i].name());
  }
  EXPECT_TRUE(profile.has_coordination());
  ASSERT_THAT(OmittedOf(profile), ElementsAre(v1::PROFILE_SECTION_RESPONSES));
  EXPECT_EQ(profile.omitted_sections(0).code(), 8);  // RESOURCE_EXHAUSTED
  EXPECT_THAT(profile.omitted_sections(0).message(),
              HasSubstr(absl::StrCat("the first ", profile.responses_size(),
                                     " of 1000 responses")));
  EXPECT_THAT(profile.omitted_sections(0).message(),
              HasSubstr("ReportingService.ListResponses"));
}

TEST(ProfileTest, SectionTooLargeSaysWhereToReadItWhole) {
  absl::Status status = SectionTooLarge(v1::PROFILE_SECTION_ENFORCEMENT,
                                        "countries/EST", "left out");
  EXPECT_EQ(status.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(status.message(), HasSubstr("countries/EST"));
  EXPECT_THAT(status.message(), HasSubstr("ListObservations"));
}

TEST(ProfileTest, ACoordinationSectionCutByItsServiceIsKeptAndNamed) {
  ProfileParts parts = Complete();
  parts.coordination->set_truncated(true);
  v1::CountryProfile profile = ComposeProfile(Estonia(), parts);
  EXPECT_EQ(profile.coordination().entity(), "countries/EST");
  ASSERT_THAT(OmittedOf(profile),
              ElementsAre(v1::PROFILE_SECTION_COORDINATION));
  EXPECT_EQ(profile.omitted_sections(0).code(),
            static_cast<int>(absl::StatusCode::kResourceExhausted));
  EXPECT_THAT(profile.omitted_sections(0).message(),
              HasSubstr("GetEntityCoordination"));
}

}  // namespace
}  // namespace palermo::gateway
