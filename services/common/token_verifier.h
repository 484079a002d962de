// Verifies the bearer tokens of callers (JSON Web Tokens, RS256 or ES256,
// against configured public keys, with libjwt 1.10) and turns an
// `authorization` header into the caller's principal (principal.h).
//
// A token is accepted only when all of these hold:
//   - at most kMaxTokenBytes, three base64url segments, a JSON header and
//     JSON claims;
//   - header `alg` "RS256" or "ES256" (never "none", an HMAC or anything
//     else: a public key is never used as an HMAC secret), and the signature
//     verifies with one of the configured keys of that algorithm;
//   - `iss` equal to the issuer; `aud` equal to the audience, or an array
//     holding it;
//   - `exp` present, now < exp + leeway and exp <= now + max_lifetime +
//     leeway; `nbf`, when present,
//     <= now + leeway; `iat`, when present, a number;
//   - `sub` 1 to kMaxSubjectBytes printable ASCII characters; `role` a
//     RoleName; `entity` well formed (IsWellFormedEntity) and present for a
//     focal_point, and absent for every other role (a token of another role
//     carrying one is refused, not ignored).
// Any other token is UNAUTHENTICATED, with a message saying why (malformed,
// algorithm, bad signature, wrong issuer, wrong audience, expired, not yet
// valid, or the claim at fault) that never repeats the token or its claims.
#ifndef PALERMO_SERVICES_COMMON_TOKEN_VERIFIER_H_
#define PALERMO_SERVICES_COMMON_TOKEN_VERIFIER_H_

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/flags/declare.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/common/jwt_keys.h"
#include "services/common/principal.h"

// Comma-separated PEM public key files; none: token authentication off.
ABSL_DECLARE_FLAG(std::vector<std::string>, jwt_public_key_files);
ABSL_DECLARE_FLAG(std::string, jwt_issuer);
ABSL_DECLARE_FLAG(std::string, jwt_audience);
ABSL_DECLARE_FLAG(absl::Duration, jwt_leeway);
ABSL_DECLARE_FLAG(absl::Duration, jwt_max_lifetime);

namespace palermo {

// Longer tokens are refused before anything parses them.
inline constexpr size_t kMaxTokenBytes = 8192;

struct TokenVerifierOptions {
  // One or more PEM public keys (RSA >= 2048 bits or EC P-256); a token
  // verified by any of them is accepted (key rotation).
  std::vector<std::string> public_keys_pem;
  std::string issuer = "palermo-dev";
  std::string audience = "palermo";
  // Clock skew allowed on exp and nbf.
  absl::Duration leeway = absl::Seconds(30);
  // A token whose exp is further ahead than this is refused.
  absl::Duration max_lifetime = absl::Hours(24);
  // Tokens verified lately, remembered (by their SHA-256) until they
  // expire, so that a caller sending the same token again costs no
  // signature check; 0: none remembered.
  size_t cache_size = 10000;
};

class TokenVerifier {
 public:
  // INVALID_ARGUMENT naming the option: no key, a key that is not a usable
  // PEM public key (public_keys_pem[i]), an empty issuer or audience, a
  // negative leeway.
  static absl::StatusOr<std::unique_ptr<TokenVerifier>> Create(
      TokenVerifierOptions options);

  // The principal `token` names, when it is valid at `now`;
  // UNAUTHENTICATED, with a message that never repeats the token, otherwise.
  // A token verified before is answered from the cache while now < its
  // exp + leeway, and not before its nbf - leeway (the same answer a new
  // check would give: the keys,
  // issuer and audience do not change). Thread-safe.
  absl::StatusOr<Principal> Verify(absl::string_view token,
                                   absl::Time now) const;

 private:
  struct Verified {
    Principal principal;
    absl::Time valid_from;   // nbf - leeway, or the infinite past
    absl::Time valid_until;  // exp + leeway
  };

  TokenVerifier(std::vector<JwtKey> keys, TokenVerifierOptions options);
  // The checks themselves; on success sets the times between which the
  // answer holds.
  absl::StatusOr<Principal> Check(absl::string_view token, absl::Time now,
                                  Verified* times) const;

  std::vector<JwtKey> keys_;
  TokenVerifierOptions options_;
  mutable absl::Mutex mu_;
  mutable absl::flat_hash_map<std::string, Verified> cache_
      ABSL_GUARDED_BY(mu_);
};

// The verifier the --jwt_* flags describe; nullptr when
// --jwt_public_key_files names no file. INVALID_ARGUMENT naming the flag when
// a file cannot be read or holds no usable PEM public key, or another flag is
// invalid.
absl::StatusOr<std::unique_ptr<TokenVerifier>> TokenVerifierFromFlags();

// Value of the `authorization` header (nullopt: none sent) -> principal:
// the anonymous reader without a header; UNAUTHENTICATED for a header that is
// not "Bearer <token>" (the scheme in any case), a bad token, or any token
// when `verifier` is null (token authentication not configured).
absl::StatusOr<Principal> AuthenticateBearer(
    const TokenVerifier* verifier,
    std::optional<absl::string_view> authorization, absl::Time now);

}  // namespace palermo

#endif  // PALERMO_SERVICES_COMMON_TOKEN_VERIFIER_H_
