// libFuzzer target: bearer tokens and principals (services/common/
// token_verifier.h, principal.h). An input is a selector byte, then:
//   0: an `authorization` header value for AuthenticateBearer;
//   1: a token for TokenVerifier::Verify;
//   2: a palermo-principal-bin value for DecodePrincipal;
//   3: a JSON object of claims, signed ES256 with the configured key here
//      (libjwt), then verified: the claim checks behind the signature, which
//      fuzzed tokens never reach otherwise.
// The verifier trusts the fixed test keys (test_keys.h), so that a crashing
// input reproduces, at a fixed time. Whatever is accepted must be a valid
// principal (ValidatePrincipal) that survives its metadata encoding.
#include <jwt.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "fuzz/fuzz_support.h"
#include "services/common/principal.h"
#include "services/common/test_keys.h"
#include "services/common/token_signer.h"
#include "services/common/token_verifier.h"

namespace palermo::fuzz {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1767225600);  // 2026-01-01

enum Selector : uint8_t {
  kHeader = 0,
  kToken = 1,
  kPrincipal = 2,
  kClaims = 3
};
constexpr int kSelectors = 4;

const TokenVerifier& Verifier() {
  static const TokenVerifier* verifier = [] {
    TokenVerifierOptions options;
    options.public_keys_pem = {test_keys::kEcKey1Public,
                               test_keys::kRsaKey1Public};
    auto created = TokenVerifier::Create(options);
    if (!created.ok()) std::abort();
    return created->release();
  }();
  return *verifier;
}

void Check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "token fuzzer: %s\n", what);
    std::abort();
  }
}

// An accepted principal is one the suite can act on, and its encoding
// gives it back.
void CheckAccepted(const absl::StatusOr<Principal>& principal) {
  Consume(principal.status());
  if (!principal.ok()) return;
  Check(ValidatePrincipal(*principal).ok(), "accepted an invalid principal");
  auto decoded = DecodePrincipal(EncodePrincipal(*principal));
  Check(decoded.ok() && *decoded == *principal,
        "a principal does not survive its encoding");
}

// `claims_json` signed by libjwt with the first test key; nullopt when
// libjwt takes it for no JSON object.
std::optional<std::string> SignClaims(const std::string& claims_json) {
  jwt_t* jwt = nullptr;
  if (jwt_new(&jwt) != 0) return std::nullopt;
  std::optional<std::string> token;
  const std::string key = test_keys::kEcKey1Private;
  if (jwt_add_grants_json(jwt, claims_json.c_str()) == 0 &&
      jwt_set_alg(jwt, JWT_ALG_ES256,
                  reinterpret_cast<const unsigned char*>(key.data()),
                  static_cast<int>(key.size())) == 0) {
    if (char* encoded = jwt_encode_str(jwt); encoded != nullptr) {
      token = encoded;
      std::free(encoded);
    }
  }
  jwt_free(jwt);
  return token;
}

std::string Seed(Selector selector, const std::string& rest) {
  return std::string(1, static_cast<char>(selector)) + rest;
}

std::string Claims(const std::string& more) {
  return "{\"iss\":\"palermo-dev\",\"aud\":\"palermo\",\"iat\":1767225000,"
         "\"nbf\":1767225000,\"exp\":1767229200" +
         more + "}";
}

std::vector<std::string> Seeds() {
  TokenClaims claims;
  claims.subject = "alice";
  claims.role = Role::kFocalPoint;
  claims.entity = "countries/EST";
  claims.issued_at = kNow - absl::Minutes(1);
  claims.not_before = kNow - absl::Minutes(1);
  claims.expires = kNow + absl::Hours(1);
  std::vector<std::string> tokens;
  for (const char* key : {test_keys::kEcKey1Private, test_keys::kRsaKey1Private,
                          test_keys::kEcKey2Private}) {
    auto token = SignToken(claims, key);
    if (!token.ok()) std::abort();
    tokens.push_back(*token);
  }
  claims.role = Role::kAnalyst;
  claims.entity.clear();
  tokens.push_back(*SignToken(claims, test_keys::kEcKey1Private));
  std::vector<std::string> seeds;
  for (const std::string& token : tokens) {
    seeds.push_back(Seed(kHeader, "Bearer " + token));
    seeds.push_back(Seed(kToken, token));
  }
  seeds.push_back(Seed(kHeader, "bearer  " + tokens[0]));
  seeds.push_back(Seed(kHeader, "Basic YWxpY2U6c2VjcmV0"));
  seeds.push_back(Seed(kToken, "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhIn0."));
  seeds.push_back(Seed(kToken, "eyJhbGciOiJIUzI1NiJ9.e30.c2ln"));
  for (const Principal& principal :
       {AnonymousReader(), Principal{"alice", Role::kAnalyst, ""},
        Principal{"ee", Role::kFocalPoint, "countries/EST"},
        Principal{"las", Role::kFocalPoint, "organizations/LAS"},
        Principal{"cw", Role::kCaseWorker, ""}}) {
    seeds.push_back(Seed(kPrincipal, EncodePrincipal(principal)));
  }
  for (const char* more :
       {",\"sub\":\"alice\",\"role\":\"analyst\"",
        ",\"sub\":\"ee\",\"role\":\"focal_point\",\"entity\":\"countries/EST\"",
        ",\"sub\":\"las\",\"role\":\"focal_point\",\"entity\":"
        "\"organizations/LAS\",\"aud\":[\"x\",\"palermo\"]",
        ",\"sub\":\"a\",\"role\":\"reader\",\"entity\":\"countries/EST\"",
        ",\"sub\":7,\"role\":\"administrator\",\"exp\":1.5e9"}) {
    seeds.push_back(Seed(kClaims, Claims(more)));
  }
  return seeds;
}

}  // namespace
}  // namespace palermo::fuzz

PALERMO_FUZZ_INITIALIZE(palermo::fuzz::Seeds)

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace palermo::fuzz;
  if (size == 0) return -1;
  const absl::string_view rest(reinterpret_cast<const char*>(data + 1),
                               size - 1);
  const palermo::TokenVerifier& verifier = Verifier();
  switch (data[0] % kSelectors) {
    case kHeader:
      CheckAccepted(palermo::AuthenticateBearer(&verifier, rest, kNow));
      // Never accepted without a verifier.
      Check(!palermo::AuthenticateBearer(nullptr, rest, kNow).ok(),
            "a header accepted without a verifier");
      break;
    case kToken:
      CheckAccepted(verifier.Verify(rest, kNow));
      break;
    case kPrincipal:
      CheckAccepted(palermo::DecodePrincipal(rest));
      break;
    case kClaims: {
      if (rest.size() > palermo::kMaxTokenBytes) return -1;
      std::optional<std::string> token = SignClaims(std::string(rest));
      if (!token.has_value()) return -1;
      CheckAccepted(verifier.Verify(*token, kNow));
      break;
    }
  }
  return 0;
}
