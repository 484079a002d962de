// The command line of palermo-token (./palermo token): which development
// token to sign, parsed from the arguments so that a bad one is named and
// ends the command with status 2, as a usage error.
#ifndef PALERMO_TOOLS_TOKEN_TOKEN_COMMAND_H_
#define PALERMO_TOOLS_TOKEN_TOKEN_COMMAND_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/common/principal.h"
#include "services/common/token_signer.h"

namespace palermo::token {

// Longest lifetime of a development token.
inline constexpr absl::Duration kMaxTtl = absl::Hours(24 * 30);

struct TokenRequest {
  Role role = Role::kReader;
  std::string subject;  // default "dev-" + RoleName(role)
  std::string entity;   // focal_point only
  absl::Duration ttl = absl::Hours(1);
  std::string key_file;  // the PEM private key that signs
  std::string issuer = "palermo-dev";
  std::string audience = "palermo";
  bool help = false;
};

// Parses `args` (without the program name): --role ROLE (required),
// --subject NAME, --entity countries/XXX (required for focal_point, refused
// for other roles), --ttl DURATION (e.g. 1h, 90m; default 1h, at most 30
// days), --key_file PATH (required), --issuer, --audience, each as
// "--name value" or "--name=value"; --help. INVALID_ARGUMENT naming the
// argument otherwise.
absl::StatusOr<TokenRequest> ParseTokenArgs(
    const std::vector<std::string>& args);

// The claims of `request`'s token issued at `now`.
TokenClaims ClaimsFor(const TokenRequest& request, absl::Time now);

// How to use the command.
extern const char kUsage[];

}  // namespace palermo::token

#endif  // PALERMO_TOOLS_TOKEN_TOKEN_COMMAND_H_
