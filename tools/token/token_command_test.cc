// Tests of palermo-token's arguments (token_command.h): each bad argument
// named, and the token of good ones verified as the suite would.
#include "tools/token/token_command.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "services/common/test_keys.h"
#include "services/common/token_verifier.h"

namespace palermo::token {
namespace {

using ::testing::HasSubstr;

void ExpectBad(const std::vector<std::string>& args, absl::string_view named) {
  auto request = ParseTokenArgs(args);
  ASSERT_FALSE(request.ok()) << named;
  EXPECT_EQ(request.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(request.status().message(), HasSubstr(named));
}

TEST(TokenCommandTest, Defaults) {
  auto request = ParseTokenArgs({"--role", "analyst", "--key_file", "k"});
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->role, Role::kAnalyst);
  EXPECT_EQ(request->subject, "dev-analyst");
  EXPECT_EQ(request->entity, "");
  EXPECT_EQ(request->ttl, absl::Hours(1));
  EXPECT_EQ(request->issuer, "palermo-dev");
  EXPECT_EQ(request->audience, "palermo");
}

TEST(TokenCommandTest, EveryArgumentInBothForms) {
  auto request = ParseTokenArgs(
      {"--role=focal_point", "--subject", "ee-focal", "--entity=countries/EST",
       "--ttl", "90m", "--key_file=/k", "--issuer", "iss", "--audience=aud"});
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->role, Role::kFocalPoint);
  EXPECT_EQ(request->subject, "ee-focal");
  EXPECT_EQ(request->entity, "countries/EST");
  EXPECT_EQ(request->ttl, absl::Minutes(90));
  EXPECT_EQ(request->key_file, "/k");
  EXPECT_EQ(request->issuer, "iss");
  EXPECT_EQ(request->audience, "aud");
  EXPECT_TRUE(ParseTokenArgs({"--help"})->help);
}

TEST(TokenCommandTest, BadArgumentsNamed) {
  const std::string k = "--key_file=k";
  ExpectBad({k}, "--role");
  ExpectBad({"--role", "nope", k}, "--role");
  ExpectBad({"--role"}, "--role: needs a value");
  ExpectBad({"--role", "focal_point", k}, "--entity");
  ExpectBad({"--role", "focal_point", "--entity", "countries/est", k},
            "--entity");
  ExpectBad({"--role", "analyst", "--entity", "countries/EST", k}, "--entity");
  for (const char* ttl : {"abc", "0s", "-1h", "721h", "500ms", "1d", ""}) {
    ExpectBad({"--role", "analyst", "--ttl", ttl, k}, "--ttl");
  }
  ExpectBad({"--role", "analyst", "--subject", "", k}, "--subject");
  ExpectBad({"--role", "analyst", "--subject", "a\nb", k}, "--subject");
  ExpectBad({"--role", "analyst"}, "--key_file");
  ExpectBad({"--role", "analyst", "--issuer=", k}, "--issuer");
  ExpectBad({"--role", "analyst", "--colour", "red", k}, "--colour");
  ExpectBad({"--role", "analyst", "stray", k}, "stray");
}

TEST(TokenCommandTest, TokenVerifiesAsTheSuiteWould) {
  auto request =
      ParseTokenArgs({"--role", "focal_point", "--entity", "countries/EST",
                      "--ttl", "2h", "--key_file", "k"});
  ASSERT_TRUE(request.ok()) << request.status();
  const absl::Time now = absl::FromUnixSeconds(1767225600);
  auto token = SignToken(ClaimsFor(*request, now), test_keys::kEcKey1Private);
  ASSERT_TRUE(token.ok()) << token.status();
  TokenVerifierOptions options;
  options.public_keys_pem = {test_keys::kEcKey1Public};
  auto verifier = TokenVerifier::Create(options);
  ASSERT_TRUE(verifier.ok());
  auto principal = (*verifier)->Verify(*token, now + absl::Minutes(119));
  ASSERT_TRUE(principal.ok()) << principal.status();
  EXPECT_EQ(principal->subject, "dev-focal_point");
  EXPECT_EQ(principal->role, Role::kFocalPoint);
  EXPECT_EQ(principal->entity, "countries/EST");
  EXPECT_FALSE((*verifier)->Verify(*token, now + absl::Hours(3)).ok());
}

}  // namespace
}  // namespace palermo::token
