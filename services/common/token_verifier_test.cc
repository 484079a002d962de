// Tests of bearer token verification (token_verifier.h): tokens of both
// algorithms and rotated keys accepted; every refusal UNAUTHENTICATED with
// its reason and without the token or its claims; the flags; the
// authorization header.
#include "services/common/token_verifier.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <jwt.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/reflection.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/common/test_keys.h"
#include "services/common/token_signer.h"

namespace palermo {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const absl::Time kNow = absl::FromUnixSeconds(1767225600);  // 2026-01-01
constexpr long kNowSeconds = 1767225600;

// A marker put in claims, to check that no refusal repeats them.
constexpr char kSecret[] = "SECRETVALUE";

std::unique_ptr<TokenVerifier> Verifier(std::vector<std::string> keys) {
  TokenVerifierOptions options;
  options.public_keys_pem = std::move(keys);
  auto verifier = TokenVerifier::Create(std::move(options));
  EXPECT_TRUE(verifier.ok()) << verifier.status();
  return verifier.ok() ? *std::move(verifier) : nullptr;
}

std::unique_ptr<TokenVerifier> EcVerifier() {
  return Verifier({test_keys::kEcKey1Public});
}

TokenClaims Claims(Role role = Role::kAnalyst, std::string entity = "") {
  TokenClaims claims;
  claims.subject = "alice";
  claims.role = role;
  claims.entity = std::move(entity);
  claims.issued_at = kNow - absl::Minutes(1);
  claims.not_before = kNow - absl::Minutes(1);
  claims.expires = kNow + absl::Hours(1);
  return claims;
}

std::string Sign(const TokenClaims& claims, const char* key) {
  auto token = SignToken(claims, key);
  EXPECT_TRUE(token.ok()) << token.status();
  return token.ok() ? *token : "";
}

// A token of any claims (a JSON object), signed by libjwt with `alg` and
// `key` as it is given: what a forger or a careless issuer could make.
std::string SignRaw(const std::string& claims_json, jwt_alg_t alg,
                    const char* key) {
  jwt_t* jwt = nullptr;
  EXPECT_EQ(jwt_new(&jwt), 0);
  EXPECT_EQ(jwt_add_grants_json(jwt, claims_json.c_str()), 0) << claims_json;
  const int key_size = key == nullptr ? 0 : static_cast<int>(strlen(key));
  EXPECT_EQ(jwt_set_alg(jwt, alg, reinterpret_cast<const unsigned char*>(key),
                        key_size),
            0);
  char* encoded = jwt_encode_str(jwt);
  jwt_free(jwt);
  EXPECT_NE(encoded, nullptr);
  std::string token = encoded == nullptr ? "" : encoded;
  std::free(encoded);
  return token;
}

// Valid claims as JSON, with `extra` (",\"k\":v" pairs) added and any of
// `without` left out.
std::string ClaimsJson(const std::string& extra = "",
                       const std::vector<std::string>& without = {}) {
  std::vector<std::pair<std::string, std::string>> claims = {
      {"iss", "\"palermo-dev\""},
      {"aud", "\"palermo\""},
      {"sub", "\"alice\""},
      {"role", "\"analyst\""},
      {"iat", absl::StrCat(kNowSeconds - 60)},
      {"nbf", absl::StrCat(kNowSeconds - 60)},
      {"exp", absl::StrCat(kNowSeconds + 3600)},
  };
  std::string json = "{";
  bool first = true;
  for (const auto& [name, value] : claims) {
    bool replaced = absl::StrContains(extra, absl::StrCat("\"", name, "\":"));
    if (replaced || absl::c_linear_search(without, name)) continue;
    absl::StrAppend(&json, first ? "" : ",", "\"", name, "\":", value);
    first = false;
  }
  absl::StrAppend(&json, first ? extra.substr(extra.empty() ? 0 : 1) : extra,
                  "}");
  return json;
}

std::string EcRaw(const std::string& claims_json) {
  return SignRaw(claims_json, JWT_ALG_ES256, test_keys::kEcKey1Private);
}

std::string B64(absl::string_view text) {
  return absl::WebSafeBase64Escape(text);
}

void ExpectRefused(const TokenVerifier& verifier, const std::string& token,
                   absl::string_view why, absl::Time now = kNow) {
  auto principal = verifier.Verify(token, now);
  ASSERT_FALSE(principal.ok()) << why;
  EXPECT_EQ(principal.status().code(), absl::StatusCode::kUnauthenticated)
      << principal.status();
  EXPECT_THAT(principal.status().message(), HasSubstr(why));
  EXPECT_THAT(principal.status().message(), Not(HasSubstr(kSecret)));
  for (absl::string_view segment : absl::StrSplit(token, '.')) {
    if (segment.size() >= 8) {
      EXPECT_THAT(principal.status().message(), Not(HasSubstr(segment)));
    }
  }
}

TEST(TokenVerifierTest, AcceptsBothAlgorithms) {
  auto verifier =
      Verifier({test_keys::kEcKey1Public, test_keys::kRsaKey1Public});
  for (const char* key :
       {test_keys::kEcKey1Private, test_keys::kRsaKey1Private}) {
    auto principal = verifier->Verify(
        Sign(Claims(Role::kFocalPoint, "countries/EST"), key), kNow);
    ASSERT_TRUE(principal.ok()) << principal.status();
    EXPECT_EQ(principal->subject, "alice");
    EXPECT_EQ(principal->role, Role::kFocalPoint);
    EXPECT_EQ(principal->entity, "countries/EST");
  }
}

TEST(TokenVerifierTest, EveryRole) {
  auto verifier = EcVerifier();
  for (Role role : {Role::kReader, Role::kAnalyst, Role::kCaseWorker,
                    Role::kAdministrator}) {
    auto principal =
        verifier->Verify(Sign(Claims(role), test_keys::kEcKey1Private), kNow);
    ASSERT_TRUE(principal.ok()) << principal.status();
    EXPECT_EQ(principal->role, role);
    EXPECT_EQ(principal->entity, "");
  }
  auto principal =
      verifier->Verify(Sign(Claims(Role::kFocalPoint, "organizations/LAS"),
                            test_keys::kEcKey1Private),
                       kNow);
  ASSERT_TRUE(principal.ok()) << principal.status();
  EXPECT_EQ(principal->entity, "organizations/LAS");
}

TEST(TokenVerifierTest, KeyRotationEitherKeyVerifies) {
  auto both = Verifier({test_keys::kEcKey1Public, test_keys::kEcKey2Public});
  EXPECT_TRUE(
      both->Verify(Sign(Claims(), test_keys::kEcKey1Private), kNow).ok());
  EXPECT_TRUE(
      both->Verify(Sign(Claims(), test_keys::kEcKey2Private), kNow).ok());
  // After the old key is dropped, its tokens are refused.
  auto new_only = Verifier({test_keys::kEcKey2Public});
  ExpectRefused(*new_only, Sign(Claims(), test_keys::kEcKey1Private),
                "bad signature");
}

TEST(TokenVerifierTest, UnconfiguredKeyRefused) {
  ExpectRefused(*EcVerifier(), Sign(Claims(), test_keys::kEcKey2Private),
                "bad signature");
  // RS256 with only EC keys configured, and ES256 with only RSA keys.
  ExpectRefused(*EcVerifier(), Sign(Claims(), test_keys::kRsaKey1Private),
                "bad signature");
  ExpectRefused(*Verifier({test_keys::kRsaKey1Public}),
                Sign(Claims(), test_keys::kEcKey1Private), "bad signature");
}

TEST(TokenVerifierTest, TamperedTokensRefused) {
  const std::string token = Sign(Claims(), test_keys::kEcKey1Private);
  std::vector<std::string> parts = absl::StrSplit(token, '.');
  // Claims changed after signing: an analyst made administrator.
  std::string forged_claims = parts[0] + "." +
                              B64(ClaimsJson(",\"role\":\"administrator\"")) +
                              "." + parts[2];
  ExpectRefused(*EcVerifier(), forged_claims, "bad signature");
  // The header's algorithm changed to the other allowed one.
  std::string forged_header = B64("{\"alg\":\"RS256\",\"typ\":\"JWT\"}") + "." +
                              parts[1] + "." + parts[2];
  ExpectRefused(
      *Verifier({test_keys::kEcKey1Public, test_keys::kRsaKey1Public}),
      forged_header, "bad signature");
  // A signature cut short, or of another token.
  ExpectRefused(*EcVerifier(),
                parts[0] + "." + parts[1] + "." + parts[2].substr(0, 20),
                "bad signature");
  const std::string other =
      Sign(Claims(Role::kReader), test_keys::kEcKey1Private);
  std::vector<std::string> other_parts = absl::StrSplit(other, '.');
  ExpectRefused(*EcVerifier(), parts[0] + "." + parts[1] + "." + other_parts[2],
                "bad signature");
}

TEST(TokenVerifierTest, AlgorithmNoneRefused) {
  const std::string unsigned_token =
      SignRaw(ClaimsJson(), JWT_ALG_NONE, nullptr);
  ASSERT_EQ(unsigned_token.back(), '.');
  ExpectRefused(*EcVerifier(), unsigned_token, "malformed");
  // With a signature segment, so that only the algorithm is wrong.
  ExpectRefused(*EcVerifier(), unsigned_token + "c2ln", "algorithm");
  ExpectRefused(*EcVerifier(),
                B64("{\"alg\":\"None\"}") + "." + B64(ClaimsJson()) + ".c2ln",
                "algorithm");
  ExpectRefused(*EcVerifier(),
                B64("{\"typ\":\"JWT\"}") + "." + B64(ClaimsJson()) + ".c2ln",
                "algorithm");
}

// The classic confusion: an HMAC token whose secret is the verifier's own
// public key, which libjwt accepts when given that key.
TEST(TokenVerifierTest, HmacWithThePublicKeyAsSecretRefused) {
  for (const char* public_key :
       {test_keys::kRsaKey1Public, test_keys::kEcKey1Public}) {
    auto verifier = Verifier({public_key});
    for (jwt_alg_t alg : {JWT_ALG_HS256, JWT_ALG_HS384, JWT_ALG_HS512}) {
      const std::string forged =
          SignRaw(ClaimsJson(",\"role\":\"administrator\""), alg, public_key);
      // libjwt alone would take it: the refusal below is Palermo's.
      jwt_t* jwt = nullptr;
      const std::string key_pem = ParseJwtPublicKey(public_key)->pem;
      int decoded =
          jwt_decode(&jwt, forged.c_str(),
                     reinterpret_cast<const unsigned char*>(key_pem.data()),
                     static_cast<int>(key_pem.size()));
      jwt_free(jwt);
      EXPECT_EQ(decoded, 0) << "libjwt refuses HMAC with a PEM secret now";
      ExpectRefused(*verifier, forged, "algorithm not allowed");
    }
  }
}

TEST(TokenVerifierTest, OtherAsymmetricAlgorithmsRefused) {
  auto verifier = Verifier({test_keys::kRsaKey1Public});
  ExpectRefused(
      *verifier,
      SignRaw(ClaimsJson(), JWT_ALG_RS512, test_keys::kRsaKey1Private),
      "algorithm not allowed");
  ExpectRefused(
      *verifier,
      SignRaw(ClaimsJson(), JWT_ALG_RS384, test_keys::kRsaKey1Private),
      "algorithm not allowed");
  ExpectRefused(*Verifier({test_keys::kEcKey1Public}),
                SignRaw(ClaimsJson(), JWT_ALG_ES384, test_keys::kP384Private),
                "algorithm not allowed");
}

TEST(TokenVerifierTest, MalformedRefused) {
  auto verifier = EcVerifier();
  const std::string good = Sign(Claims(), test_keys::kEcKey1Private);
  std::vector<std::string> parts = absl::StrSplit(good, '.');
  for (const std::string& token :
       {std::string(""), std::string("."), std::string(".."),
        std::string("abc"), parts[0] + "." + parts[1], good + ".",
        good + ".eyJ9", parts[0] + ".." + parts[2],
        "." + parts[1] + "." + parts[2], good + "=", good + " ",
        std::string(" ") + good, parts[0] + "." + parts[1] + "+." + parts[2],
        good.substr(0, 10) + std::string(1, '\0') + good.substr(11)}) {
    ExpectRefused(*verifier, token, "malformed");
  }
  // Segments that are not base64url of a JSON object.
  ExpectRefused(*verifier, "e." + parts[1] + "." + parts[2],
                "header: not base64url");
  ExpectRefused(*verifier, B64("alg: ES256") + "." + parts[1] + "." + parts[2],
                "header: not a JSON object");
  ExpectRefused(*verifier, B64("[\"ES256\"]") + "." + parts[1] + "." + parts[2],
                "header: not a JSON object");
  ExpectRefused(*verifier, parts[0] + "." + B64("\"claims\"") + "." + parts[2],
                "claims: not a JSON object");
  ExpectRefused(*verifier, parts[0] + "." + B64("{\"sub\":") + "." + parts[2],
                "claims: not a JSON object");
  // A critical header parameter Palermo does not understand.
  ExpectRefused(*verifier,
                B64("{\"alg\":\"ES256\",\"crit\":[\"x\"],\"x\":1}") + "." +
                    parts[1] + "." + parts[2],
                "critical");
}

TEST(TokenVerifierTest, DeeplyNestedJsonRefused) {
  auto verifier = EcVerifier();
  const std::string good = Sign(Claims(), test_keys::kEcKey1Private);
  std::vector<std::string> parts = absl::StrSplit(good, '.');
  const std::string nested = std::string(2500, '[') + std::string(2500, ']');
  const std::string token =
      parts[0] + "." + B64("{\"a\":" + nested + "}") + "." + parts[2];
  ASSERT_LE(token.size(), kMaxTokenBytes);
  ExpectRefused(*verifier, token, "claims: nested deeper than 16 levels");
  // Up to 16 levels parse (and this token's signature is then wrong).
  const std::string deep = std::string(15, '[') + std::string(15, ']');
  ExpectRefused(*verifier,
                parts[0] + "." + B64("{\"a\":" + deep + "}") + "." + parts[2],
                "bad signature");
  ExpectRefused(*verifier,
                parts[0] + "." + B64("{\"a\":\"[[[[[[[[[[[[[[[[[[[[\\\"\"}") +
                    "." + parts[2],
                "bad signature");
}

TEST(TokenVerifierTest, SizeBoundedBeforeParsing) {
  auto verifier = EcVerifier();
  // A signed, otherwise valid token just over the bound.
  std::string padding(kMaxTokenBytes, 'x');
  std::string large =
      EcRaw(ClaimsJson(absl::StrCat(",\"pad\":\"", padding, "\"")));
  ASSERT_GT(large.size(), kMaxTokenBytes);
  ExpectRefused(*verifier, large, "longer than 8192 bytes");
  // Within the bound it is accepted.
  std::string small =
      EcRaw(ClaimsJson(",\"pad\":\"" + std::string(4000, 'x') + "\""));
  ASSERT_LE(small.size(), kMaxTokenBytes);
  EXPECT_TRUE(verifier->Verify(small, kNow).ok());
  ExpectRefused(*verifier, std::string(1 << 20, 'a'), "longer than");
}

TEST(TokenVerifierTest, IssuerChecked) {
  auto verifier = EcVerifier();
  ExpectRefused(*verifier, EcRaw(ClaimsJson(",\"iss\":\"SECRETVALUE\"")),
                "wrong issuer");
  ExpectRefused(*verifier, EcRaw(ClaimsJson("", {"iss"})), "wrong issuer");
  ExpectRefused(*verifier, EcRaw(ClaimsJson(",\"iss\":[\"palermo-dev\"]")),
                "wrong issuer");
  ExpectRefused(*verifier, EcRaw(ClaimsJson(",\"iss\":\"palermo-dev \"")),
                "wrong issuer");
  TokenClaims other = Claims();
  other.issuer = "someone-else";
  ExpectRefused(*verifier, Sign(other, test_keys::kEcKey1Private),
                "wrong issuer");
}

TEST(TokenVerifierTest, AudienceStringOrArray) {
  auto verifier = EcVerifier();
  EXPECT_TRUE(
      verifier
          ->Verify(EcRaw(ClaimsJson(",\"aud\":[\"other\",\"palermo\"]")), kNow)
          .ok());
  EXPECT_TRUE(
      verifier->Verify(EcRaw(ClaimsJson(",\"aud\":[\"palermo\"]")), kNow).ok());
  ExpectRefused(*verifier, EcRaw(ClaimsJson(",\"aud\":\"SECRETVALUE\"")),
                "wrong audience");
  ExpectRefused(*verifier, EcRaw(ClaimsJson(",\"aud\":[\"SECRETVALUE\"]")),
                "wrong audience");
  ExpectRefused(*verifier, EcRaw(ClaimsJson(",\"aud\":[]")), "wrong audience");
  ExpectRefused(*verifier, EcRaw(ClaimsJson(",\"aud\":7")), "wrong audience");
  ExpectRefused(*verifier, EcRaw(ClaimsJson(",\"aud\":[[\"palermo\"]]")),
                "wrong audience");
  ExpectRefused(*verifier, EcRaw(ClaimsJson("", {"aud"})), "wrong audience");
}

TEST(TokenVerifierTest, ExpiryRequiredAndCheckedWithLeeway) {
  auto verifier = EcVerifier();  // leeway 30 s
  const std::string token = Sign(Claims(), test_keys::kEcKey1Private);
  const absl::Time expires = kNow + absl::Hours(1);
  EXPECT_TRUE(verifier->Verify(token, expires).ok());
  EXPECT_TRUE(verifier->Verify(token, expires + absl::Seconds(29)).ok());
  ExpectRefused(*verifier, token, "expired", expires + absl::Seconds(30));
  ExpectRefused(*verifier, token, "expired", expires + absl::Hours(24));
  ExpectRefused(*verifier, EcRaw(ClaimsJson("", {"exp"})), "no exp");
  ExpectRefused(*verifier, EcRaw(ClaimsJson(",\"exp\":\"1767229200\"")),
                "malformed claim exp");
  ExpectRefused(*verifier, EcRaw(ClaimsJson(",\"exp\":-1")),
                "malformed claim exp");
  ExpectRefused(*verifier, EcRaw(ClaimsJson(",\"exp\":1e300")),
                "malformed claim exp");
  // A fractional NumericDate is a date too.
  EXPECT_TRUE(
      verifier->Verify(EcRaw(ClaimsJson(",\"exp\":1767229200.5")), kNow).ok());
}

TEST(TokenVerifierTest, NotBeforeCheckedWithLeeway) {
  auto verifier = EcVerifier();
  TokenClaims claims = Claims();
  claims.not_before = kNow + absl::Minutes(10);
  const std::string token = Sign(claims, test_keys::kEcKey1Private);
  ExpectRefused(*verifier, token, "not yet valid");
  ExpectRefused(*verifier, token, "not yet valid",
                kNow + absl::Minutes(10) - absl::Seconds(31));
  EXPECT_TRUE(
      verifier->Verify(token, kNow + absl::Minutes(10) - absl::Seconds(30))
          .ok());
  // nbf may be left out; when given it is a date.
  EXPECT_TRUE(
      verifier->Verify(EcRaw(ClaimsJson("", {"nbf", "iat"})), kNow).ok());
  ExpectRefused(*verifier, EcRaw(ClaimsJson(",\"nbf\":true")),
                "malformed claim nbf");
  ExpectRefused(*verifier, EcRaw(ClaimsJson(",\"iat\":\"now\"")),
                "malformed claim iat");
}

TEST(TokenVerifierTest, ATokenValidForTooLongIsRefused) {
  auto verifier = EcVerifier();  // max lifetime 24 h
  TokenClaims claims = Claims();
  claims.expires = kNow + absl::Hours(48);
  ExpectRefused(*verifier, Sign(claims, test_keys::kEcKey1Private),
                "too far ahead");
  claims.expires = kNow + absl::Hours(24);
  EXPECT_TRUE(
      verifier->Verify(Sign(claims, test_keys::kEcKey1Private), kNow).ok());
}

TEST(TokenVerifierTest, ARememberedTokenKeepsItsTimes) {
  // Verified once (and so remembered), the token is still refused before
  // its nbf and after its exp, as a new check would refuse it.
  auto verifier = EcVerifier();  // leeway 30 s
  TokenClaims claims = Claims();
  claims.not_before = kNow + absl::Minutes(10);
  const std::string token = Sign(claims, test_keys::kEcKey1Private);
  const absl::Time valid = kNow + absl::Minutes(20);
  ASSERT_TRUE(verifier->Verify(token, valid).ok());
  EXPECT_EQ(verifier->Verify(token, valid)->subject, claims.subject);
  ExpectRefused(*verifier, token, "not yet valid", kNow);
  ASSERT_TRUE(verifier->Verify(token, valid).ok());
  ExpectRefused(*verifier, token, "expired",
                kNow + absl::Hours(1) + absl::Seconds(30));
  // A token differing by one byte is checked afresh (and refused). Not its
  // last character: the low bits of a base64url signature's last character
  // are padding, which decoders ignore, so changing them may change nothing.
  std::string forged = token;
  char& c = forged[forged.size() - 10];
  c = c == 'A' ? 'B' : 'A';
  EXPECT_EQ(verifier->Verify(forged, valid).status().code(),
            absl::StatusCode::kUnauthenticated);
}

TEST(TokenVerifierTest, LeewayIsConfigurable) {
  TokenVerifierOptions options;
  options.public_keys_pem = {test_keys::kEcKey1Public};
  options.leeway = absl::ZeroDuration();
  auto verifier = TokenVerifier::Create(options);
  ASSERT_TRUE(verifier.ok());
  const std::string token = Sign(Claims(), test_keys::kEcKey1Private);
  ExpectRefused(**verifier, token, "expired", kNow + absl::Hours(1));
  EXPECT_TRUE((*verifier)
                  ->Verify(token, kNow + absl::Hours(1) - absl::Seconds(1))
                  .ok());
}

TEST(TokenVerifierTest, SubjectRequiredAndBounded) {
  auto verifier = EcVerifier();
  ExpectRefused(*verifier, EcRaw(ClaimsJson("", {"sub"})), "claim sub");
  ExpectRefused(*verifier, EcRaw(ClaimsJson(",\"sub\":7")), "claim sub");
  ExpectRefused(*verifier, EcRaw(ClaimsJson(",\"sub\":\"\"")), "subject");
  ExpectRefused(*verifier,
                EcRaw(ClaimsJson(absl::StrCat(",\"sub\":\"", kSecret,
                                              std::string(300, 'a'), "\""))),
                "subject");
  ExpectRefused(
      *verifier,
      EcRaw(ClaimsJson(absl::StrCat(",\"sub\":\"", kSecret, "\\n\""))),
      "subject");
  EXPECT_TRUE(verifier
                  ->Verify(EcRaw(ClaimsJson(absl::StrCat(
                               ",\"sub\":\"", std::string(256, 'a'), "\""))),
                           kNow)
                  .ok());
}

TEST(TokenVerifierTest, RoleMustBeKnown) {
  auto verifier = EcVerifier();
  ExpectRefused(*verifier, EcRaw(ClaimsJson("", {"role"})), "claim role");
  ExpectRefused(*verifier, EcRaw(ClaimsJson(",\"role\":\"SECRETVALUE\"")),
                "unknown claim role");
  ExpectRefused(*verifier, EcRaw(ClaimsJson(",\"role\":\"Analyst\"")),
                "unknown claim role");
  ExpectRefused(*verifier, EcRaw(ClaimsJson(",\"role\":[\"analyst\"]")),
                "malformed claim role");
}

TEST(TokenVerifierTest, EntityForFocalPointsOnly) {
  auto verifier = EcVerifier();
  const std::string focal = ",\"role\":\"focal_point\"";
  ExpectRefused(*verifier, EcRaw(ClaimsJson(focal)), "entity");
  for (const char* entity :
       {"countries/est", "countries/ESTX", "SECRETVALUE", "countries/",
        "organizations/", "organizations/a b"}) {
    ExpectRefused(
        *verifier,
        EcRaw(ClaimsJson(absl::StrCat(focal, ",\"entity\":\"", entity, "\""))),
        "entity");
  }
  ExpectRefused(*verifier, EcRaw(ClaimsJson(focal + ",\"entity\":3")),
                "malformed claim entity");
  // Another role with an entity is refused, not ignored.
  ExpectRefused(*verifier, EcRaw(ClaimsJson(",\"entity\":\"countries/EST\"")),
                "only a focal_point");
  auto principal = verifier->Verify(
      EcRaw(ClaimsJson(focal + ",\"entity\":\"countries/HRV\"")), kNow);
  ASSERT_TRUE(principal.ok()) << principal.status();
  EXPECT_EQ(principal->entity, "countries/HRV");
}

TEST(TokenVerifierTest, CreateRefusesBadOptions) {
  auto expect_invalid = [](TokenVerifierOptions options,
                           absl::string_view field) {
    auto verifier = TokenVerifier::Create(std::move(options));
    ASSERT_FALSE(verifier.ok()) << field;
    EXPECT_EQ(verifier.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(verifier.status().message(), HasSubstr(field));
  };
  TokenVerifierOptions options;
  expect_invalid(options, "public_keys_pem");
  options.public_keys_pem = {test_keys::kEcKey1Public, "not a key"};
  expect_invalid(options, "public_keys_pem[1]");
  options.public_keys_pem = {test_keys::kEcKey1Private};
  expect_invalid(options, "public_keys_pem[0]");
  options.public_keys_pem = {test_keys::kRsa1024Public};
  expect_invalid(options, "1024 bits");
  options.public_keys_pem = {test_keys::kEcKey1Public};
  options.issuer = "";
  expect_invalid(options, "issuer");
  options.issuer = "palermo-dev";
  options.audience = "";
  expect_invalid(options, "audience");
  options.audience = "palermo";
  options.leeway = absl::Seconds(-1);
  expect_invalid(options, "leeway");
}

class TokenVerifierFlagsTest : public ::testing::Test {
 protected:
  std::string Write(const std::string& name, const std::string& text) {
    const std::string path = ::testing::TempDir() + "/" + name;
    std::ofstream(path) << text;
    return path;
  }
  absl::FlagSaver saver_;
};

TEST_F(TokenVerifierFlagsTest, NoKeyFileMeansNoVerifier) {
  absl::SetFlag(&FLAGS_jwt_public_key_files, {});
  auto verifier = TokenVerifierFromFlags();
  ASSERT_TRUE(verifier.ok()) << verifier.status();
  EXPECT_EQ(*verifier, nullptr);
}

TEST_F(TokenVerifierFlagsTest, KeyFilesAndClaimsFromFlags) {
  absl::SetFlag(&FLAGS_jwt_public_key_files,
                {Write("jwt-ec1.pub", test_keys::kEcKey1Public),
                 Write("jwt-rsa1.pub", test_keys::kRsaKey1Public)});
  absl::SetFlag(&FLAGS_jwt_issuer, "https://idp.example");
  absl::SetFlag(&FLAGS_jwt_audience, "palermo-prod");
  absl::SetFlag(&FLAGS_jwt_leeway, absl::ZeroDuration());
  auto verifier = TokenVerifierFromFlags();
  ASSERT_TRUE(verifier.ok()) << verifier.status();
  ASSERT_NE(*verifier, nullptr);
  TokenClaims claims = Claims();
  claims.issuer = "https://idp.example";
  claims.audience = "palermo-prod";
  EXPECT_TRUE(
      (*verifier)->Verify(Sign(claims, test_keys::kRsaKey1Private), kNow).ok());
  EXPECT_TRUE(
      (*verifier)->Verify(Sign(claims, test_keys::kEcKey1Private), kNow).ok());
  ExpectRefused(**verifier, Sign(Claims(), test_keys::kEcKey1Private),
                "wrong issuer");
  ExpectRefused(**verifier, Sign(claims, test_keys::kEcKey1Private), "expired",
                claims.expires);
}

TEST_F(TokenVerifierFlagsTest, BadKeyFilesNameTheFlag) {
  const std::string missing = ::testing::TempDir() + "/no-such-key.pub";
  absl::SetFlag(&FLAGS_jwt_public_key_files, {missing});
  auto verifier = TokenVerifierFromFlags();
  ASSERT_FALSE(verifier.ok());
  EXPECT_THAT(verifier.status().message(), HasSubstr("--jwt_public_key_files"));
  EXPECT_THAT(verifier.status().message(), HasSubstr(missing));

  const std::string not_pem = Write("not-pem.pub", "hello\n");
  absl::SetFlag(&FLAGS_jwt_public_key_files,
                {Write("ok.pub", test_keys::kEcKey1Public), not_pem});
  verifier = TokenVerifierFromFlags();
  ASSERT_FALSE(verifier.ok());
  EXPECT_EQ(verifier.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(verifier.status().message(), HasSubstr("--jwt_public_key_files"));
  EXPECT_THAT(verifier.status().message(), HasSubstr(not_pem));
  EXPECT_THAT(verifier.status().message(), HasSubstr("not a PEM public key"));

  // The private key given by mistake.
  absl::SetFlag(&FLAGS_jwt_public_key_files,
                {Write("jwt-dev.key", test_keys::kEcKey1Private)});
  verifier = TokenVerifierFromFlags();
  ASSERT_FALSE(verifier.ok());
  EXPECT_THAT(verifier.status().message(), HasSubstr("not a PEM public key"));
}

TEST_F(TokenVerifierFlagsTest, BadClaimFlagsNameTheFlag) {
  absl::SetFlag(&FLAGS_jwt_public_key_files,
                {Write("ec1.pub", test_keys::kEcKey1Public)});
  absl::SetFlag(&FLAGS_jwt_issuer, "");
  auto verifier = TokenVerifierFromFlags();
  ASSERT_FALSE(verifier.ok());
  EXPECT_THAT(verifier.status().message(), HasSubstr("--jwt_issuer"));
  absl::SetFlag(&FLAGS_jwt_issuer, "palermo-dev");
  absl::SetFlag(&FLAGS_jwt_leeway, absl::Seconds(-5));
  verifier = TokenVerifierFromFlags();
  ASSERT_FALSE(verifier.ok());
  EXPECT_THAT(verifier.status().message(), HasSubstr("--jwt_leeway"));
}

TEST(AuthenticateBearerTest, NoHeaderIsTheAnonymousReader) {
  auto verifier = EcVerifier();
  for (const TokenVerifier* v :
       {verifier.get(), static_cast<TokenVerifier*>(nullptr)}) {
    auto principal = AuthenticateBearer(v, std::nullopt, kNow);
    ASSERT_TRUE(principal.ok()) << principal.status();
    EXPECT_EQ(*principal, AnonymousReader());
  }
}

TEST(AuthenticateBearerTest, BearerSchemeInAnyCase) {
  auto verifier = EcVerifier();
  const std::string token = Sign(Claims(), test_keys::kEcKey1Private);
  for (const std::string& header :
       {"Bearer " + token, "bearer " + token, "BEARER " + token,
        "Bearer  " + token + " "}) {
    auto principal = AuthenticateBearer(verifier.get(), header, kNow);
    ASSERT_TRUE(principal.ok()) << principal.status();
    EXPECT_EQ(principal->subject, "alice");
    EXPECT_EQ(principal->role, Role::kAnalyst);
  }
}

TEST(AuthenticateBearerTest, AnythingElseUnauthenticated) {
  auto verifier = EcVerifier();
  const std::string token = Sign(Claims(), test_keys::kEcKey1Private);
  for (const std::string& header :
       {std::string(""), std::string("Bearer"), std::string("Bearer "),
        std::string("Bearer    "), token, "Basic " + token, "Bearer" + token,
        "Token " + token, "Bearer " + token + " extra", "Bearer\t" + token}) {
    auto principal = AuthenticateBearer(verifier.get(), header, kNow);
    ASSERT_FALSE(principal.ok()) << header;
    EXPECT_EQ(principal.status().code(), absl::StatusCode::kUnauthenticated);
    EXPECT_THAT(principal.status().message(), Not(HasSubstr(token)));
  }
  auto bad = AuthenticateBearer(verifier.get(), "Bearer abc.def.ghi", kNow);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kUnauthenticated);
}

TEST(AuthenticateBearerTest, AnyTokenRefusedWithoutVerifier) {
  auto principal = AuthenticateBearer(
      nullptr, "Bearer " + Sign(Claims(), test_keys::kEcKey1Private), kNow);
  ASSERT_FALSE(principal.ok());
  EXPECT_EQ(principal.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(principal.status().message(), HasSubstr("not configured"));
}

}  // namespace
}  // namespace palermo
