#include "services/common/entities.h"

#include <gtest/gtest.h>

#include "services/common/status.h"

namespace palermo {
namespace {

class EntitiesTest : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto loaded = EntityRegistry::LoadDefault();
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    registry_ = new EntityRegistry(*std::move(loaded));
  }
  static EntityRegistry* registry_;
};
EntityRegistry* EntitiesTest::registry_ = nullptr;

TEST_F(EntitiesTest, LoadsEveryIsoCountry) {
  EXPECT_GE(registry_->country_count(), 249u);
}

TEST_F(EntitiesTest, ResolvesStatesWithIsoNames) {
  auto estonia = registry_->Resolve("countries/EST", "parent");
  ASSERT_TRUE(estonia.ok()) << estonia.status();
  EXPECT_EQ(estonia->iso_alpha3(), "EST");
  EXPECT_EQ(estonia->display_name(), "Estonia");
  EXPECT_EQ(estonia->official_name(), "Republic of Estonia");
  EXPECT_EQ(estonia->french_name(), "Estonie");
  EXPECT_EQ(estonia->french_official_name(), "République d'Estonie");
  auto latvia = registry_->Resolve("countries/LVA", "parent");
  EXPECT_EQ(latvia->french_name(), "Lettonie");
  EXPECT_EQ(estonia->kind(), common::v1::ENTITY_KIND_STATE);
}

TEST_F(EntitiesTest, ResolvesTheLeagueOfArabStates) {
  auto league = registry_->Resolve("organizations/LAS", "parent");
  ASSERT_TRUE(league.ok());
  EXPECT_EQ(league->kind(), common::v1::ENTITY_KIND_ORGANIZATION);
  EXPECT_EQ(league->iso_alpha3(), "");
}

TEST_F(EntitiesTest, RejectsUnknownCodesNamingTheField) {
  for (const char* bad : {"countries/XXX", "countries/est", "countries/EE",
                          "states/EST", "organizations/UNO", ""}) {
    auto r = registry_->Resolve(bad, "parent");
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(BadRequestOf(r.status()).field_violations(0).field(), "parent");
  }
}

TEST_F(EntitiesTest, AStateWithoutAnOfficialNameUsesItsName) {
  auto australia = registry_->Resolve("countries/AUS", "entity");
  ASSERT_TRUE(australia.ok()) << australia.status();
  EXPECT_EQ(australia->official_name(), "Australia");
  EXPECT_EQ(australia->display_name(), "Australia");
}

TEST_F(EntitiesTest, ContainsOnlyKnownEntities) {
  EXPECT_TRUE(registry_->Contains("countries/EST"));
  EXPECT_TRUE(registry_->Contains("organizations/LAS"));
  for (const char* bad : {"countries/XXX", "organizations/UNO",
                          "organizations/", "countries/", "EST", ""}) {
    EXPECT_FALSE(registry_->Contains(bad)) << bad;
  }
}

TEST_F(EntitiesTest, EntityOfIdPrefersACountry) {
  EXPECT_EQ(registry_->EntityOfId("EST"), "countries/EST");
  EXPECT_EQ(registry_->EntityOfId("LAS"), "organizations/LAS");
  EXPECT_EQ(registry_->EntityOfId("XXX"), "organizations/XXX");
}

TEST(EntityRegistryTest, MissingDataIsAnError) {
  EXPECT_EQ(EntityRegistry::Load("/nonexistent").status().code(),
            absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace palermo
