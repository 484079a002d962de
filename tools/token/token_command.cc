// palermo-token's arguments (token_command.h).
#include "tools/token/token_command.h"

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace palermo::token {
namespace {

absl::Status BadArgument(absl::string_view name, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat("--", name, ": ", why));
}

}  // namespace

const char kUsage[] =
    "usage: palermo-token --role ROLE [--subject NAME] [--entity ENTITY] "
    "[--ttl DURATION] --key_file PEM [--issuer ISS] [--audience AUD]\n"
    "  ROLE: reader, analyst, focal_point, case_worker, administrator\n"
    "  ENTITY: countries/XXX or organizations/ID, required for focal_point\n"
    "  DURATION: e.g. 1h (default), 90m, 8h; at most 720h\n"
    "Prints a development bearer token signed with the key in PEM.\n";

absl::StatusOr<TokenRequest> ParseTokenArgs(
    const std::vector<std::string>& args) {
  TokenRequest request;
  std::optional<std::string> role, subject, entity, ttl;
  for (size_t i = 0; i < args.size(); ++i) {
    absl::string_view arg = args[i];
    if (arg == "--help" || arg == "-h") {
      request.help = true;
      return request;
    }
    if (!absl::ConsumePrefix(&arg, "--")) {
      return absl::InvalidArgumentError(
          absl::StrCat("unexpected argument \"", arg, "\""));
    }
    std::string name(arg), value;
    if (const size_t equals = arg.find('='); equals != arg.npos) {
      name = std::string(arg.substr(0, equals));
      value = std::string(arg.substr(equals + 1));
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return BadArgument(name, "needs a value");
    }
    if (name == "role") {
      role = value;
    } else if (name == "subject") {
      subject = value;
    } else if (name == "entity") {
      entity = value;
    } else if (name == "ttl") {
      ttl = value;
    } else if (name == "key_file") {
      request.key_file = value;
    } else if (name == "issuer") {
      request.issuer = value;
    } else if (name == "audience") {
      request.audience = value;
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown argument --", name));
    }
  }
  if (!role.has_value()) return BadArgument("role", "required");
  auto parsed_role = ParseRole(*role);
  if (!parsed_role.ok()) {
    return BadArgument("role",
                       absl::StrCat("\"", *role,
                                    "\" is not reader, analyst, focal_point, "
                                    "case_worker or administrator"));
  }
  request.role = *parsed_role;
  request.subject =
      subject.value_or(absl::StrCat("dev-", RoleName(request.role)));
  request.entity = entity.value_or("");
  if (request.role == Role::kFocalPoint && request.entity.empty()) {
    return BadArgument("entity",
                       "required for focal_point (e.g. countries/EST)");
  }
  if (request.role != Role::kFocalPoint && !request.entity.empty()) {
    return BadArgument("entity", "only for --role focal_point");
  }
  if (!request.entity.empty() && !IsWellFormedEntity(request.entity)) {
    return BadArgument("entity",
                       "not countries/XXX (ISO 3166-1 alpha-3, upper case) "
                       "or organizations/ID");
  }
  Principal principal{request.subject, request.role, request.entity};
  if (absl::Status valid = ValidatePrincipal(principal); !valid.ok()) {
    return BadArgument("subject", "1 to 256 printable ASCII characters");
  }
  if (ttl.has_value()) {
    if (!absl::ParseDuration(*ttl, &request.ttl) ||
        request.ttl <= absl::ZeroDuration() || request.ttl > kMaxTtl) {
      return BadArgument("ttl", absl::StrCat("\"", *ttl,
                                             "\" is not a duration from 1s "
                                             "to 720h (e.g. 1h, 90m)"));
    }
    if (request.ttl < absl::Seconds(1)) {
      return BadArgument("ttl", "shorter than 1s");
    }
  }
  if (request.key_file.empty()) return BadArgument("key_file", "required");
  if (request.issuer.empty()) return BadArgument("issuer", "empty");
  if (request.audience.empty()) return BadArgument("audience", "empty");
  return request;
}

TokenClaims ClaimsFor(const TokenRequest& request, absl::Time now) {
  TokenClaims claims;
  claims.subject = request.subject;
  claims.role = request.role;
  claims.entity = request.entity;
  claims.issuer = request.issuer;
  claims.audience = request.audience;
  claims.issued_at = now;
  claims.not_before = now;
  claims.expires = now + request.ttl;
  return claims;
}

}  // namespace palermo::token
