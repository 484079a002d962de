#include "services/gateway/profile.h"

#include <gtest/gtest.h>

#include "services/common/status.h"

namespace palermo::gateway {
namespace {

common::v1::ReportingEntity Estonia() {
  common::v1::ReportingEntity e;
  e.set_name("countries/EST");
  e.set_display_name("Estonia");
  return e;
}

TEST(ProfileTest, IncludesTheLegislationSection) {
  legislation::v1::Legislation l;
  l.set_name("countries/EST/legislation");
  auto profile = ComposeProfile(
      Estonia(), {l, std::vector<enforcement::v1::Observation>()});
  ASSERT_TRUE(profile.ok());
  EXPECT_EQ(profile->name(), "countries/EST");
  EXPECT_EQ(profile->entity().display_name(), "Estonia");
  EXPECT_EQ(profile->legislation().name(), "countries/EST/legislation");
}

TEST(ProfileTest, NoRecordMeansNoSection) {
  auto profile = ComposeProfile(
      Estonia(), {NotFoundError("L", "countries/EST/legislation"),
                  std::vector<enforcement::v1::Observation>()});
  ASSERT_TRUE(profile.ok());
  EXPECT_FALSE(profile->has_legislation());
  EXPECT_FALSE(profile->has_enforcement());
}

TEST(ProfileTest, ABackendFailureFailsTheProfileNamingTheSection) {
  auto profile =
      ComposeProfile(Estonia(), {absl::UnavailableError("connection refused"),
                                 std::vector<enforcement::v1::Observation>()});
  ASSERT_EQ(profile.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(profile.status().message().find("legislation section"),
            absl::string_view::npos);
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
  auto profile = ComposeProfile(Estonia(), {NotFoundError("L", "x"), figures});
  ASSERT_TRUE(profile.ok());
  const auto& section = profile->enforcement();
  ASSERT_EQ(section.series_size(), 2);
  EXPECT_EQ(section.series(0).indicator(), "CASES_INVESTIGATED");
  ASSERT_EQ(section.series(0).observations_size(), 3);
  EXPECT_EQ(section.series(0).observations(0).value(), 32);
  EXPECT_EQ(section.latest(0).value(), 39);
  EXPECT_EQ(section.latest(1).value(), 53);
}

TEST(ProfileTest, AFailingEnforcementServiceFailsTheProfile) {
  auto profile = ComposeProfile(
      Estonia(),
      {NotFoundError("L", "x"), absl::DeadlineExceededError("slow")});
  EXPECT_EQ(profile.status().code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_NE(profile.status().message().find("enforcement section"),
            std::string::npos);
}

TEST(ProfileTest, CarriesTheCoordinationSectionOrNamesItsFailure) {
  ProfileParts parts{NotFoundError("L", "x"),
                     std::vector<enforcement::v1::Observation>()};
  coordination::v1::EntityCoordination section;
  section.set_entity("countries/EST");
  section.add_coordination_bodies()->set_name(
      "countries/EST/coordinationBodies/national-mechanism");
  parts.coordination = section;
  auto profile = ComposeProfile(Estonia(), parts);
  ASSERT_TRUE(profile.ok()) << profile.status();
  ASSERT_EQ(profile->coordination().coordination_bodies_size(), 1);
  EXPECT_EQ(profile->coordination().entity(), "countries/EST");

  parts.coordination = absl::UnavailableError("connection refused");
  profile = ComposeProfile(Estonia(), parts);
  EXPECT_EQ(profile.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(profile.status().message().find("coordination section"),
            std::string::npos);
}

}  // namespace
}  // namespace palermo::gateway
