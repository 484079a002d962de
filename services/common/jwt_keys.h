// The keys Palermo's JSON Web Tokens are signed and verified with
// (token_signer.h, token_verifier.h): an RSA key of at least 2048 bits for
// RS256 or an EC key on P-256 for ES256, read from PEM with OpenSSL, and
// nothing else.
#ifndef PALERMO_SERVICES_COMMON_JWT_KEYS_H_
#define PALERMO_SERVICES_COMMON_JWT_KEYS_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace palermo {

// The only JWS algorithms of the suite.
enum class JwtAlgorithm { kRs256, kEs256 };

// "RS256", "ES256".
absl::string_view JwtAlgorithmName(JwtAlgorithm algorithm);

// A key checked for its algorithm, as one PEM block written again by OpenSSL
// (unencrypted, nothing else in it): what libjwt is given.
struct JwtKey {
  JwtAlgorithm algorithm = JwtAlgorithm::kEs256;
  std::string pem;
};

// The public key in `pem` (a "PUBLIC KEY" block). INVALID_ARGUMENT when it
// is not one, or is neither RSA of 2048 bits or more nor EC on P-256.
absl::StatusOr<JwtKey> ParseJwtPublicKey(absl::string_view pem);
// The private key in `pem` (PKCS#8, or the traditional RSA or EC forms),
// never asking for a passphrase: an encrypted key is refused. The same
// INVALID_ARGUMENT otherwise.
absl::StatusOr<JwtKey> ParseJwtPrivateKey(absl::string_view pem);

}  // namespace palermo

#endif  // PALERMO_SERVICES_COMMON_JWT_KEYS_H_
