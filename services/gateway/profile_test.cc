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
  auto profile = ComposeProfile(Estonia(), l);
  ASSERT_TRUE(profile.ok());
  EXPECT_EQ(profile->name(), "countries/EST");
  EXPECT_EQ(profile->entity().display_name(), "Estonia");
  EXPECT_EQ(profile->legislation().name(), "countries/EST/legislation");
}

TEST(ProfileTest, NoRecordMeansNoSection) {
  auto profile = ComposeProfile(
      Estonia(), NotFoundError("L", "countries/EST/legislation"));
  ASSERT_TRUE(profile.ok());
  EXPECT_FALSE(profile->has_legislation());
}

TEST(ProfileTest, ABackendFailureFailsTheProfileNamingTheSection) {
  auto profile =
      ComposeProfile(Estonia(), absl::UnavailableError("connection refused"));
  ASSERT_EQ(profile.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(profile.status().message().find("legislation section"),
            absl::string_view::npos);
}

}  // namespace
}  // namespace palermo::gateway
