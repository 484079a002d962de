// A record store's declared schema: explicit, distinct versions.
#include "services/common/record_schema.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace palermo {
namespace {

TEST(RecordSchemaTest, AcceptsDistinctPositiveVersionsInAnyOrder) {
  const RecordSchema schema = {1, {{3, "b"}, {2, "a_b"}}, 9};
  EXPECT_TRUE(ValidateRecordSchema(schema).ok());
  EXPECT_THAT(CollectionNames(schema), ::testing::ElementsAre("b", "a_b"));
}

TEST(RecordSchemaTest, RefusesReusedOrMissingVersionsAndBadNames) {
  for (const RecordSchema& bad : std::vector<RecordSchema>{
           {1, {{1, "a"}}, 3},  // the requests table's version
           {1, {{2, "a"}}, 2},  // the change log's
           {1, {{2, "a"}, {2, "b"}}, 3},
           {0, {{2, "a"}}, 3},  // unset
           {1, {{2, "a"}}, 0},
           {1, {{-2, "a"}}, 3},
           {1, {{2, "a"}, {4, "a"}}, 3},  // a collection twice
           {1, {{2, "A"}}, 3},
           {1, {{2, "a1"}}, 3},
           {1, {{2, "a;drop"}}, 3},
           {1, {{2, ""}}, 3},
       }) {
    EXPECT_EQ(ValidateRecordSchema(bad).code(),
              absl::StatusCode::kInvalidArgument);
  }
}

TEST(RecordSchemaTest, CollectionsAreLoggedUnlessDeclaredOtherwise) {
  const RecordSchema schema = {1, {{2, "a"}, {3, "b", /*logged=*/false}}, 4};
  EXPECT_TRUE(ValidateRecordSchema(schema).ok());
  EXPECT_TRUE(schema.collections[0].logged);
  EXPECT_FALSE(schema.collections[1].logged);
}

TEST(RecordSchemaTest, CollectionsAloneNeedOnlyValidDistinctNames) {
  EXPECT_TRUE(ValidateCollections({{0, "a"}, {0, "b", false}}).ok());
  EXPECT_EQ(ValidateCollections({{1, "a"}, {2, "a"}}).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ValidateCollections({{1, "a-b"}}).code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace palermo
