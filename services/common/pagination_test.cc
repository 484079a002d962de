#include "services/common/pagination.h"

#include <gtest/gtest.h>

namespace palermo {
namespace {

TEST(PaginationTest, PageSizeDefaultsAndCaps) {
  EXPECT_EQ(*EffectivePageSize(0), kDefaultPageSize);
  EXPECT_EQ(*EffectivePageSize(7), 7);
  EXPECT_EQ(*EffectivePageSize(100000), kMaxPageSize);
  EXPECT_EQ(EffectivePageSize(-1).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(PaginationTest, TokenRoundTripsForTheSameQuery) {
  std::string token =
      EncodePageToken("penalties:*", "countries/EST/legislation");
  EXPECT_EQ(*DecodePageToken(token, "penalties:*"),
            "countries/EST/legislation");
  EXPECT_EQ(*DecodePageToken("", "anything"), "");
}

TEST(PaginationTest, TokenForAnotherQueryOrGarbageIsRejected) {
  std::string token =
      EncodePageToken("penalties:*", "countries/EST/legislation");
  EXPECT_EQ(DecodePageToken(token, "").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(DecodePageToken("not base64!", "").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(DecodePageToken("djE6OTk6eA", "").status().code(),
            absl::StatusCode::kInvalidArgument);  // "v1:99:x": length lies
  // Another format version, same layout: "v2:1:qk".
  EXPECT_EQ(DecodePageToken("djI6MTpxaw", "q").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(*DecodePageToken("djE6MTpxaw", "q"), "k");  // "v1:1:qk"
}

}  // namespace
}  // namespace palermo
