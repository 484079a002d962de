// Bearer token verification with libjwt 1.10 (token_verifier.h). libjwt
// checks the signature; everything it would also accept and Palermo does not
// (alg "none", HMAC with a public key as the secret, other algorithms) is
// refused here before libjwt sees the token, and its answer is checked
// again after. The claims are read from the verified token by protobuf's
// JSON parser (google.protobuf.Struct), each for its type.
#include "services/common/token_verifier.h"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <jwt.h>
#include <openssl/err.h>
#include <openssl/sha.h>

#include <cmath>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/algorithm/container.h"
#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "services/common/status.h"

ABSL_FLAG(std::vector<std::string>, jwt_public_key_files, {},
          "comma-separated PEM public key files (RSA >= 2048 bits or EC "
          "P-256) that verify bearer tokens; a token verified by any is "
          "accepted. None: token authentication off");
ABSL_FLAG(std::string, jwt_issuer, "palermo-dev",
          "the `iss` every bearer token must have");
ABSL_FLAG(std::string, jwt_audience, "palermo",
          "the `aud` every bearer token must have (or hold, as an array)");
ABSL_FLAG(absl::Duration, jwt_max_lifetime, absl::Hours(24),
          "Longest a bearer token may still be valid for: a token whose exp "
          "is further ahead is refused (a stolen token must not last).");
ABSL_FLAG(absl::Duration, jwt_leeway, absl::Seconds(30),
          "clock skew allowed on a bearer token's exp and nbf");

namespace palermo {
namespace {

using google::protobuf::Struct;
using google::protobuf::Value;

// NumericDates past year 9999 are refused as malformed.
constexpr double kMaxNumericDate = 253402300799.0;
// A key file is a PEM block or a few: anything larger is not one.
constexpr std::streamsize kMaxKeyFileBytes = 64 * 1024;

absl::Status Refused(absl::string_view why) {
  return absl::UnauthenticatedError(
      absl::StrCat("bearer token refused: ", why));
}

bool IsBase64UrlChar(char c) {
  return absl::ascii_isalnum(c) || c == '-' || c == '_';
}

// Deeper JSON is refused before protobuf's parser sees it: that parser
// refuses it too, but only after time that grows with the square of the
// depth (0.2 s for 2,500 levels, which fit in a token).
constexpr int kMaxJsonDepth = 16;

// Whether the arrays and objects of `json` nest at most `max_depth` deep
// (brackets in strings do not count).
bool NestedAtMost(absl::string_view json, int max_depth) {
  int depth = 0;
  bool in_string = false, escaped = false;
  for (char c : json) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return false;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return true;
}

// The JSON object of a token's `segment` (base64url without padding), the
// "header" or the "claims", into `object`; refused as malformed otherwise.
absl::Status ParseSegment(absl::string_view segment, absl::string_view what,
                          Struct* object) {
  std::string json;
  if (!absl::WebSafeBase64Unescape(segment, &json)) {
    return Refused(absl::StrCat("malformed (", what, ": not base64url)"));
  }
  if (!NestedAtMost(json, kMaxJsonDepth)) {
    return Refused(absl::StrCat("malformed (", what, ": nested deeper than ",
                                kMaxJsonDepth, " levels)"));
  }
  if (!google::protobuf::util::JsonStringToMessage(json, object).ok()) {
    return Refused(absl::StrCat("malformed (", what, ": not a JSON object)"));
  }
  return absl::OkStatus();
}

const Value* Claim(const Struct& claims, const char* name) {
  auto it = claims.fields().find(name);
  return it == claims.fields().end() ? nullptr : &it->second;
}

// A string claim: nullopt when absent or not a string.
std::optional<std::string> StringClaim(const Struct& claims, const char* name) {
  const Value* value = Claim(claims, name);
  if (value == nullptr || value->kind_case() != Value::kStringValue) {
    return std::nullopt;
  }
  return value->string_value();
}

// A NumericDate claim (seconds since 1970): nullopt when absent; refused
// when not a number from 0 to year 9999.
absl::StatusOr<std::optional<absl::Time>> DateClaim(const Struct& claims,
                                                    const char* name) {
  const Value* value = Claim(claims, name);
  if (value == nullptr) return std::optional<absl::Time>();
  if (value->kind_case() != Value::kNumberValue ||
      !std::isfinite(value->number_value()) || value->number_value() < 0 ||
      value->number_value() > kMaxNumericDate) {
    return Refused(absl::StrCat("malformed claim ", name,
                                " (not a date in seconds since 1970)"));
  }
  return std::optional<absl::Time>(absl::UnixEpoch() +
                                   absl::Seconds(value->number_value()));
}

bool AudienceMatches(const Struct& claims, absl::string_view audience) {
  const Value* value = Claim(claims, "aud");
  if (value == nullptr) return false;
  if (value->kind_case() == Value::kStringValue) {
    return value->string_value() == audience;
  }
  if (value->kind_case() == Value::kListValue) {
    for (const Value& item : value->list_value().values()) {
      if (item.kind_case() == Value::kStringValue &&
          item.string_value() == audience) {
        return true;
      }
    }
  }
  return false;
}

struct JwtFree {
  void operator()(jwt_t* jwt) const { jwt_free(jwt); }
};

// True when libjwt verifies `token`'s signature with `key` and agrees on
// the algorithm.
bool SignatureVerifies(const std::string& token, const JwtKey& key) {
  jwt_t* raw = nullptr;
  const int failed =
      jwt_decode(&raw, token.c_str(),
                 reinterpret_cast<const unsigned char*>(key.pem.data()),
                 static_cast<int>(key.pem.size()));
  std::unique_ptr<jwt_t, JwtFree> jwt(raw);
  ERR_clear_error();
  const jwt_alg_t expected =
      key.algorithm == JwtAlgorithm::kRs256 ? JWT_ALG_RS256 : JWT_ALG_ES256;
  return failed == 0 && jwt != nullptr && jwt_get_alg(jwt.get()) == expected;
}

absl::StatusOr<std::string> ReadKeyFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::InvalidArgumentError(
        absl::StrCat("--jwt_public_key_files: cannot read ", path));
  }
  std::string text(kMaxKeyFileBytes + 1, '\0');
  in.read(text.data(), kMaxKeyFileBytes + 1);
  if (in.bad()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--jwt_public_key_files: cannot read ", path));
  }
  text.resize(in.gcount());
  if (in.gcount() > kMaxKeyFileBytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--jwt_public_key_files: ", path, " is larger than a PEM public key"));
  }
  return text;
}

}  // namespace

TokenVerifier::TokenVerifier(std::vector<JwtKey> keys,
                             TokenVerifierOptions options)
    : keys_(std::move(keys)), options_(std::move(options)) {}

absl::StatusOr<std::unique_ptr<TokenVerifier>> TokenVerifier::Create(
    TokenVerifierOptions options) {
  if (options.public_keys_pem.empty()) {
    return InvalidField("public_keys_pem", "no key");
  }
  if (options.issuer.empty()) return InvalidField("issuer", "empty");
  if (options.audience.empty()) return InvalidField("audience", "empty");
  if (options.leeway < absl::ZeroDuration() ||
      options.leeway == absl::InfiniteDuration()) {
    return InvalidField("leeway", "negative or infinite");
  }
  std::vector<JwtKey> keys;
  for (size_t i = 0; i < options.public_keys_pem.size(); ++i) {
    auto key = ParseJwtPublicKey(options.public_keys_pem[i]);
    if (!key.ok()) {
      return InvalidField(absl::StrCat("public_keys_pem[", i, "]"),
                          std::string(key.status().message()));
    }
    keys.push_back(*std::move(key));
  }
  return std::unique_ptr<TokenVerifier>(
      new TokenVerifier(std::move(keys), std::move(options)));
}

absl::StatusOr<Principal> TokenVerifier::Verify(absl::string_view token,
                                                absl::Time now) const {
  if (options_.cache_size == 0 || token.size() > kMaxTokenBytes) {
    Verified times;
    return Check(token, now, &times);
  }
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(token.data()), token.size(),
         digest);
  std::string key(reinterpret_cast<const char*>(digest), sizeof(digest));
  {
    absl::MutexLock lock(&mu_);
    auto it = cache_.find(key);
    if (it != cache_.end()) {
      if (now >= it->second.valid_from && now < it->second.valid_until) {
        return it->second.principal;
      }
      cache_.erase(it);
    }
  }
  Verified verified;
  absl::StatusOr<Principal> principal = Check(token, now, &verified);
  if (principal.ok()) {
    absl::MutexLock lock(&mu_);
    if (cache_.size() >= options_.cache_size) {
      // Expired entries first; if none, any one.
      for (auto it = cache_.begin(); it != cache_.end();) {
        if (now >= it->second.valid_until) {
          cache_.erase(it++);
        } else {
          ++it;
        }
      }
      if (cache_.size() >= options_.cache_size) cache_.erase(cache_.begin());
    }
    verified.principal = *principal;
    cache_[key] = std::move(verified);
  }
  return principal;
}

absl::StatusOr<Principal> TokenVerifier::Check(absl::string_view token,
                                               absl::Time now,
                                               Verified* times) const {
  // The form, before any parser sees the token.
  if (token.size() > kMaxTokenBytes) {
    return Refused(
        absl::StrCat("malformed (longer than ", kMaxTokenBytes, " bytes)"));
  }
  std::vector<absl::string_view> segments = absl::StrSplit(token, '.');
  bool well_formed = segments.size() == 3;
  for (absl::string_view segment : segments) {
    well_formed = well_formed && !segment.empty();
    for (char c : segment) well_formed = well_formed && IsBase64UrlChar(c);
  }
  if (!well_formed) {
    return Refused("malformed (not three base64url segments)");
  }
  Struct header, claims;
  if (absl::Status parsed = ParseSegment(segments[0], "header", &header);
      !parsed.ok()) {
    return parsed;
  }
  if (absl::Status parsed = ParseSegment(segments[1], "claims", &claims);
      !parsed.ok()) {
    return parsed;
  }

  // The algorithm: ours only, whatever libjwt would accept.
  const std::optional<std::string> alg = StringClaim(header, "alg");
  JwtAlgorithm algorithm;
  if (alg == "RS256") {
    algorithm = JwtAlgorithm::kRs256;
  } else if (alg == "ES256") {
    algorithm = JwtAlgorithm::kEs256;
  } else {
    return Refused("algorithm not allowed (RS256 or ES256 only)");
  }
  if (Claim(header, "crit") != nullptr) {
    return Refused("malformed (critical header parameters are not supported)");
  }

  // The signature, by any configured key of that algorithm.
  const std::string text(token);
  bool verified = false;
  for (const JwtKey& key : keys_) {
    if (key.algorithm == algorithm && SignatureVerifies(text, key)) {
      verified = true;
      break;
    }
  }
  if (!verified) {
    return Refused(absl::StrCat("bad signature (no configured ",
                                JwtAlgorithmName(algorithm),
                                " key verifies it)"));
  }

  // The claims.
  if (StringClaim(claims, "iss") != options_.issuer) {
    return Refused("wrong issuer (iss)");
  }
  if (!AudienceMatches(claims, options_.audience)) {
    return Refused("wrong audience (aud)");
  }
  auto expires = DateClaim(claims, "exp");
  if (!expires.ok()) return expires.status();
  if (!expires->has_value()) return Refused("malformed (no exp)");
  if (now >= **expires + options_.leeway) return Refused("expired (exp)");
  if (**expires > now + options_.max_lifetime + options_.leeway) {
    return Refused("exp too far ahead (more than --jwt_max_lifetime)");
  }
  times->valid_until = **expires + options_.leeway;
  auto not_before = DateClaim(claims, "nbf");
  if (!not_before.ok()) return not_before.status();
  if (not_before->has_value() && **not_before > now + options_.leeway) {
    return Refused("not yet valid (nbf)");
  }
  times->valid_from = not_before->has_value()
                          ? **not_before - options_.leeway
                          : absl::InfinitePast();
  auto issued_at = DateClaim(claims, "iat");
  if (!issued_at.ok()) return issued_at.status();

  Principal principal;
  std::optional<std::string> subject = StringClaim(claims, "sub");
  if (!subject.has_value()) {
    return Refused("malformed claim sub (required, a string)");
  }
  principal.subject = *std::move(subject);
  std::optional<std::string> role = StringClaim(claims, "role");
  if (!role.has_value()) {
    return Refused("malformed claim role (required, a string)");
  }
  auto parsed_role = ParseRole(*role);
  if (!parsed_role.ok()) {
    return Refused(
        "unknown claim role (reader, analyst, focal_point, case_worker, "
        "administrator)");
  }
  principal.role = *parsed_role;
  if (const Value* entity = Claim(claims, "entity"); entity != nullptr) {
    if (entity->kind_case() != Value::kStringValue) {
      return Refused("malformed claim entity (a string)");
    }
    principal.entity = entity->string_value();
  }
  // sub and entity: ValidatePrincipal's messages name the field and never
  // repeat its value.
  if (absl::Status valid = ValidatePrincipal(principal); !valid.ok()) {
    return Refused(valid.message());
  }
  return principal;
}

absl::StatusOr<std::unique_ptr<TokenVerifier>> TokenVerifierFromFlags() {
  TokenVerifierOptions options;
  for (const std::string& path : absl::GetFlag(FLAGS_jwt_public_key_files)) {
    if (path.empty()) continue;
    auto text = ReadKeyFile(path);
    if (!text.ok()) return text.status();
    if (auto key = ParseJwtPublicKey(*text); !key.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--jwt_public_key_files: ", path, ": ", key.status().message()));
    }
    options.public_keys_pem.push_back(*std::move(text));
  }
  if (options.public_keys_pem.empty()) {
    return std::unique_ptr<TokenVerifier>();
  }
  options.issuer = absl::GetFlag(FLAGS_jwt_issuer);
  if (options.issuer.empty()) {
    return absl::InvalidArgumentError("--jwt_issuer: empty");
  }
  options.audience = absl::GetFlag(FLAGS_jwt_audience);
  if (options.audience.empty()) {
    return absl::InvalidArgumentError("--jwt_audience: empty");
  }
  options.max_lifetime = absl::GetFlag(FLAGS_jwt_max_lifetime);
  if (options.max_lifetime <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("--jwt_max_lifetime: not positive");
  }
  options.leeway = absl::GetFlag(FLAGS_jwt_leeway);
  if (options.leeway < absl::ZeroDuration() ||
      options.leeway == absl::InfiniteDuration()) {
    return absl::InvalidArgumentError("--jwt_leeway: negative or infinite");
  }
  return TokenVerifier::Create(std::move(options));
}

absl::StatusOr<Principal> AuthenticateBearer(
    const TokenVerifier* verifier,
    std::optional<absl::string_view> authorization, absl::Time now) {
  if (!authorization.has_value()) return AnonymousReader();
  absl::string_view value = *authorization;
  const size_t space = value.find(' ');
  absl::string_view token;
  if (space != absl::string_view::npos &&
      absl::EqualsIgnoreCase(value.substr(0, space), "bearer")) {
    token = absl::StripAsciiWhitespace(value.substr(space + 1));
  }
  if (token.empty() || absl::c_any_of(token, absl::ascii_isspace)) {
    return absl::UnauthenticatedError(
        "authorization header refused: not \"Bearer <token>\"");
  }
  if (verifier == nullptr) {
    return absl::UnauthenticatedError(
        "bearer token refused: token authentication is not configured on "
        "this server (--jwt_public_key_files)");
  }
  return verifier->Verify(token, now);
}

}  // namespace palermo
