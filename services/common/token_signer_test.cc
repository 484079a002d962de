// Tests of token signing (token_signer.h): the algorithm follows the key,
// the claims are those given, and bad claims or keys are refused naming the
// field. Verification of every kind of token: token_verifier_test.cc.
#include "services/common/token_signer.h"

#include <gmock/gmock.h>
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_split.h"
#include "services/common/test_keys.h"

namespace palermo {
namespace {

using ::testing::HasSubstr;

const absl::Time kNow = absl::FromUnixSeconds(1767225600);  // 2026-01-01

TokenClaims Claims() {
  TokenClaims claims;
  claims.subject = "ee-focal";
  claims.role = Role::kFocalPoint;
  claims.entity = "countries/EST";
  claims.issued_at = kNow;
  claims.not_before = kNow;
  claims.expires = kNow + absl::Hours(1);
  return claims;
}

// The JSON object of segment `index` of `token`.
google::protobuf::Struct Segment(const std::string& token, int index) {
  std::vector<std::string> parts = absl::StrSplit(token, '.');
  EXPECT_EQ(parts.size(), 3u);
  std::string json;
  EXPECT_TRUE(absl::WebSafeBase64Unescape(parts.at(index), &json));
  google::protobuf::Struct object;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(json, &object).ok())
      << json;
  return object;
}

TEST(TokenSignerTest, AlgorithmFollowsTheKey) {
  auto ec = SignToken(Claims(), test_keys::kEcKey1Private);
  ASSERT_TRUE(ec.ok()) << ec.status();
  EXPECT_EQ(Segment(*ec, 0).fields().at("alg").string_value(), "ES256");
  auto rsa = SignToken(Claims(), test_keys::kRsaKey1Private);
  ASSERT_TRUE(rsa.ok()) << rsa.status();
  EXPECT_EQ(Segment(*rsa, 0).fields().at("alg").string_value(), "RS256");
}

TEST(TokenSignerTest, ClaimsAreThoseGiven) {
  auto token = SignToken(Claims(), test_keys::kEcKey1Private);
  ASSERT_TRUE(token.ok()) << token.status();
  const auto claims = Segment(*token, 1).fields();
  EXPECT_EQ(claims.at("sub").string_value(), "ee-focal");
  EXPECT_EQ(claims.at("role").string_value(), "focal_point");
  EXPECT_EQ(claims.at("entity").string_value(), "countries/EST");
  EXPECT_EQ(claims.at("iss").string_value(), "palermo-dev");
  EXPECT_EQ(claims.at("aud").string_value(), "palermo");
  EXPECT_EQ(claims.at("iat").number_value(), 1767225600);
  EXPECT_EQ(claims.at("nbf").number_value(), 1767225600);
  EXPECT_EQ(claims.at("exp").number_value(), 1767225600 + 3600);

  TokenClaims analyst = Claims();
  analyst.role = Role::kAnalyst;
  analyst.entity.clear();
  token = SignToken(analyst, test_keys::kEcKey1Private);
  ASSERT_TRUE(token.ok()) << token.status();
  EXPECT_FALSE(Segment(*token, 1).fields().contains("entity"));
}

void ExpectRefused(const TokenClaims& claims, absl::string_view key,
                   absl::string_view field) {
  auto token = SignToken(claims, key);
  ASSERT_FALSE(token.ok()) << field;
  EXPECT_EQ(token.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(token.status().message(), HasSubstr(field));
}

TEST(TokenSignerTest, BadClaimsRefusedNamingTheField) {
  TokenClaims c = Claims();
  c.subject.clear();
  ExpectRefused(c, test_keys::kEcKey1Private, "subject");
  c = Claims();
  c.entity.clear();
  ExpectRefused(c, test_keys::kEcKey1Private, "entity");
  c = Claims();
  c.role = Role::kAnalyst;
  ExpectRefused(c, test_keys::kEcKey1Private, "entity");
  c = Claims();
  c.issuer.clear();
  ExpectRefused(c, test_keys::kEcKey1Private, "issuer");
  c = Claims();
  c.audience.clear();
  ExpectRefused(c, test_keys::kEcKey1Private, "audience");
  c = Claims();
  c.expires = c.not_before;
  ExpectRefused(c, test_keys::kEcKey1Private, "expires");
  c = Claims();
  c.expires = absl::InfiniteFuture();
  ExpectRefused(c, test_keys::kEcKey1Private, "expires");
  c = Claims();
  c.issued_at = absl::InfinitePast();
  ExpectRefused(c, test_keys::kEcKey1Private, "issued_at");
}

TEST(TokenSignerTest, BadKeysRefused) {
  ExpectRefused(Claims(), "", "private_key_pem");
  ExpectRefused(Claims(), test_keys::kEcKey1Public, "private_key_pem");
  ExpectRefused(Claims(), test_keys::kP384Private, "P-256");
}

}  // namespace
}  // namespace palermo
