// Signs Palermo's JSON Web Tokens: the development tokens of
// `./palermo token` (tools/token) and the tests' tokens. Production tokens
// come from an identity provider; the suite only verifies them
// (token_verifier.h).
#ifndef PALERMO_SERVICES_COMMON_TOKEN_SIGNER_H_
#define PALERMO_SERVICES_COMMON_TOKEN_SIGNER_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/common/principal.h"

namespace palermo {

// What a token says (token_verifier.h lists the claims).
struct TokenClaims {
  std::string subject;                 // sub
  Role role = Role::kReader;           // role (RoleName)
  std::string entity;                  // entity, focal point only
  std::string issuer = "palermo-dev";  // iss
  std::string audience = "palermo";    // aud
  absl::Time issued_at;                // iat
  absl::Time not_before;               // nbf
  absl::Time expires;                  // exp
};

// A compact JWS of `claims`, signed with `private_key_pem`: ES256 for an EC
// P-256 key, RS256 for an RSA key of 2048 bits or more (jwt_keys.h).
// INVALID_ARGUMENT naming the field when the key is not one of those, the
// principal fails ValidatePrincipal, the issuer or audience is empty, or the
// times are not issued_at <= expires and not_before < expires (all finite,
// whole seconds are kept).
absl::StatusOr<std::string> SignToken(const TokenClaims& claims,
                                      absl::string_view private_key_pem);

}  // namespace palermo

#endif  // PALERMO_SERVICES_COMMON_TOKEN_SIGNER_H_
