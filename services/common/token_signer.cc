// Signing JSON Web Tokens with libjwt 1.10 (token_signer.h).
#include "services/common/token_signer.h"

#include <jwt.h>

#include <cstdlib>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "services/common/jwt_keys.h"
#include "services/common/status.h"

namespace palermo {
namespace {

struct JwtFree {
  void operator()(jwt_t* jwt) const { jwt_free(jwt); }
};
struct StrFree {
  void operator()(char* s) const { std::free(s); }
};

absl::Status CheckTimes(const TokenClaims& claims) {
  for (const auto& [field, time] :
       {std::pair<const char*, absl::Time>{"issued_at", claims.issued_at},
        {"not_before", claims.not_before},
        {"expires", claims.expires}}) {
    if (time == absl::InfinitePast() || time == absl::InfiniteFuture() ||
        time < absl::UnixEpoch()) {
      return InvalidField(field, "not a time after 1970");
    }
  }
  if (claims.expires <= claims.not_before) {
    return InvalidField("expires", "not after not_before");
  }
  if (claims.expires < claims.issued_at) {
    return InvalidField("expires", "before issued_at");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::string> SignToken(const TokenClaims& claims,
                                      absl::string_view private_key_pem) {
  Principal principal;
  principal.subject = claims.subject;
  principal.role = claims.role;
  principal.entity = claims.entity;
  if (absl::Status valid = ValidatePrincipal(principal); !valid.ok()) {
    return valid;
  }
  if (claims.issuer.empty()) return InvalidField("issuer", "empty");
  if (claims.audience.empty()) return InvalidField("audience", "empty");
  if (absl::Status times = CheckTimes(claims); !times.ok()) return times;
  auto key = ParseJwtPrivateKey(private_key_pem);
  if (!key.ok()) {
    return InvalidField("private_key_pem", std::string(key.status().message()));
  }

  jwt_t* raw = nullptr;
  if (jwt_new(&raw) != 0) return absl::ResourceExhaustedError("jwt_new");
  std::unique_ptr<jwt_t, JwtFree> jwt(raw);
  const jwt_alg_t alg =
      key->algorithm == JwtAlgorithm::kRs256 ? JWT_ALG_RS256 : JWT_ALG_ES256;
  int failed = jwt_set_alg(
      jwt.get(), alg, reinterpret_cast<const unsigned char*>(key->pem.data()),
      static_cast<int>(key->pem.size()));
  failed |= jwt_add_grant(jwt.get(), "iss", claims.issuer.c_str());
  failed |= jwt_add_grant(jwt.get(), "aud", claims.audience.c_str());
  failed |= jwt_add_grant(jwt.get(), "sub", claims.subject.c_str());
  failed |= jwt_add_grant(jwt.get(), "role",
                          std::string(RoleName(claims.role)).c_str());
  if (!claims.entity.empty()) {
    failed |= jwt_add_grant(jwt.get(), "entity", claims.entity.c_str());
  }
  failed |= jwt_add_grant_int(jwt.get(), "iat",
                              absl::ToUnixSeconds(claims.issued_at));
  failed |= jwt_add_grant_int(jwt.get(), "nbf",
                              absl::ToUnixSeconds(claims.not_before));
  failed |=
      jwt_add_grant_int(jwt.get(), "exp", absl::ToUnixSeconds(claims.expires));
  if (failed != 0)
    return absl::InternalError("libjwt could not set the claims");
  std::unique_ptr<char, StrFree> token(jwt_encode_str(jwt.get()));
  if (token == nullptr) {
    return absl::InternalError(absl::StrCat("libjwt could not sign with the ",
                                            JwtAlgorithmName(key->algorithm),
                                            " key"));
  }
  return std::string(token.get());
}

}  // namespace palermo
