// The stopgap shared-secret case-worker check (case_worker_secret.h).
#include "services/assistance/case_worker_secret.h"

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace palermo::assistance {
namespace {

constexpr char kBearer[] = "Bearer ";

// The same refusal whatever was wrong, so that it tells nothing.
absl::Status Refused() {
  return absl::UnauthenticatedError("case records need a case worker's token");
}

// Equal in time independent of where they differ, and of their lengths
// (compared as SHA-256 digests).
bool ConstantTimeEqual(absl::string_view a, absl::string_view b) {
  unsigned char da[SHA256_DIGEST_LENGTH], db[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(a.data()), a.size(), da);
  SHA256(reinterpret_cast<const unsigned char*>(b.data()), b.size(), db);
  return CRYPTO_memcmp(da, db, sizeof(da)) == 0;
}

}  // namespace

absl::Status CheckSharedSecret(absl::string_view secret,
                               std::optional<absl::string_view> authorization) {
  if (secret.empty() || !authorization.has_value() ||
      !absl::StartsWith(*authorization, kBearer)) {
    return Refused();
  }
  absl::string_view token = authorization->substr(sizeof(kBearer) - 1);
  if (!ConstantTimeEqual(token, secret)) return Refused();
  return absl::OkStatus();
}

absl::StatusOr<std::string> ReadSharedSecret(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::FailedPreconditionError(
        absl::StrCat("--case_worker_token_file: cannot read ", path));
  }
  std::ostringstream content;
  content << in.rdbuf();  // fails, inserting nothing, on an empty file
  std::string secret = content.str();
  absl::StripTrailingAsciiWhitespace(&secret);
  if (secret.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("--case_worker_token_file: ", path, " is empty"));
  }
  return secret;
}

absl::StatusOr<CaseWorkerCheck> SharedSecretCheck(const std::string& path) {
  absl::StatusOr<std::string> secret = ReadSharedSecret(path);
  if (!secret.ok()) return secret.status();
  return [secret = *std::move(secret)](const grpc::ServerContextBase& context) {
    const auto& metadata = context.client_metadata();
    auto [first, last] = metadata.equal_range("authorization");
    if (first == last || std::next(first) != last) return Refused();
    return CheckSharedSecret(
        secret, absl::string_view(first->second.data(), first->second.size()));
  };
}

}  // namespace palermo::assistance
