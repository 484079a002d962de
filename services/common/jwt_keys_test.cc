// Tests of the RS256 and ES256 keys read from PEM (jwt_keys.h).
#include "services/common/jwt_keys.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/common/test_keys.h"

namespace palermo {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

TEST(JwtKeysTest, PublicKeysOfEachAlgorithm) {
  auto ec = ParseJwtPublicKey(test_keys::kEcKey1Public);
  ASSERT_TRUE(ec.ok()) << ec.status();
  EXPECT_EQ(ec->algorithm, JwtAlgorithm::kEs256);
  EXPECT_THAT(ec->pem, StartsWith("-----BEGIN PUBLIC KEY-----"));
  auto rsa = ParseJwtPublicKey(test_keys::kRsaKey1Public);
  ASSERT_TRUE(rsa.ok()) << rsa.status();
  EXPECT_EQ(rsa->algorithm, JwtAlgorithm::kRs256);
  EXPECT_EQ(JwtAlgorithmName(rsa->algorithm), "RS256");
  EXPECT_EQ(JwtAlgorithmName(ec->algorithm), "ES256");
}

TEST(JwtKeysTest, PrivateKeysOfEachAlgorithm) {
  auto ec = ParseJwtPrivateKey(test_keys::kEcKey2Private);
  ASSERT_TRUE(ec.ok()) << ec.status();
  EXPECT_EQ(ec->algorithm, JwtAlgorithm::kEs256);
  EXPECT_THAT(ec->pem, StartsWith("-----BEGIN PRIVATE KEY-----"));
  auto rsa = ParseJwtPrivateKey(test_keys::kRsaKey1Private);
  ASSERT_TRUE(rsa.ok()) << rsa.status();
  EXPECT_EQ(rsa->algorithm, JwtAlgorithm::kRs256);
}

void ExpectRefused(const absl::StatusOr<JwtKey>& key, absl::string_view why) {
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(key.status().message(), HasSubstr(why));
}

TEST(JwtKeysTest, UnusableKeysRefused) {
  ExpectRefused(ParseJwtPublicKey(""), "not a PEM public key");
  ExpectRefused(ParseJwtPublicKey("-----BEGIN PUBLIC KEY-----\nAAAA\n"
                                  "-----END PUBLIC KEY-----\n"),
                "not a PEM public key");
  // A private key where a public one is expected, and the reverse.
  ExpectRefused(ParseJwtPublicKey(test_keys::kEcKey1Private),
                "not a PEM public key");
  ExpectRefused(ParseJwtPrivateKey(test_keys::kEcKey1Public),
                "not a PEM private key");
  ExpectRefused(ParseJwtPublicKey(test_keys::kRsa1024Public), "1024 bits");
  ExpectRefused(ParseJwtPublicKey(test_keys::kP384Public), "P-256");
  ExpectRefused(ParseJwtPrivateKey(test_keys::kP384Private), "P-256");
  ExpectRefused(ParseJwtPublicKey(test_keys::kEd25519Public),
                "neither an RSA key");
}

}  // namespace
}  // namespace palermo
