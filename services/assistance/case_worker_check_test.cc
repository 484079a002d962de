// The case-worker check: a case worker's valid token passes; no token, a
// bad token, or another role's token is refused; no verifier refuses all.
#include "services/assistance/case_worker_check.h"

#include <gmock/gmock.h>
#include <grpcpp/test/server_context_test_spouse.h>
#include <gtest/gtest.h>

#include "absl/time/clock.h"
#include "services/common/test_keys.h"
#include "services/common/token_signer.h"

namespace palermo::assistance {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::shared_ptr<const TokenVerifier> Verifier() {
  TokenVerifierOptions options;
  options.public_keys_pem = {test_keys::kEcKey1Public};
  auto verifier = TokenVerifier::Create(options);
  EXPECT_TRUE(verifier.ok()) << verifier.status();
  return std::shared_ptr<const TokenVerifier>(std::move(*verifier));
}

std::string Token(Role role, const char* key = test_keys::kEcKey1Private) {
  TokenClaims claims;
  claims.subject = "someone";
  claims.role = role;
  if (role == Role::kFocalPoint) claims.entity = "countries/EST";
  const absl::Time now =
      absl::FromUnixSeconds(absl::ToUnixSeconds(absl::Now()));
  claims.issued_at = claims.not_before = now;
  claims.expires = now + absl::Hours(1);
  auto token = SignToken(claims, key);
  EXPECT_TRUE(token.ok()) << token.status();
  return *token;
}

absl::Status CheckWith(const CaseWorkerCheck& check,
                       const std::vector<std::string>& authorizations) {
  grpc::ServerContext context;
  grpc::testing::ServerContextTestSpouse spouse(&context);
  for (const std::string& value : authorizations) {
    spouse.AddClientMetadata("authorization", value);
  }
  return check(context);
}

TEST(CaseWorkerTokenCheckTest, ACaseWorkersTokenPasses) {
  EXPECT_TRUE(CheckWith(CaseWorkerTokenCheck(Verifier()),
                        {"Bearer " + Token(Role::kCaseWorker)})
                  .ok());
}

TEST(CaseWorkerTokenCheckTest, NoTokenIsUnauthenticated) {
  EXPECT_EQ(CheckWith(CaseWorkerTokenCheck(Verifier()), {}).code(),
            absl::StatusCode::kUnauthenticated);
}

TEST(CaseWorkerTokenCheckTest, AnotherRolesTokenIsPermissionDenied) {
  for (Role role : {Role::kReader, Role::kAnalyst, Role::kFocalPoint,
                    Role::kAdministrator}) {
    absl::Status status = CheckWith(CaseWorkerTokenCheck(Verifier()),
                                    {"Bearer " + Token(role)});
    EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied)
        << RoleName(role);
    EXPECT_THAT(std::string(status.message()), HasSubstr("case_worker"));
  }
}

TEST(CaseWorkerTokenCheckTest, ABadTokenIsUnauthenticatedAndNotRepeated) {
  const std::string forged =
      Token(Role::kCaseWorker, test_keys::kEcKey2Private);
  absl::Status status =
      CheckWith(CaseWorkerTokenCheck(Verifier()), {"Bearer " + forged});
  EXPECT_EQ(status.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(std::string(status.message()), Not(HasSubstr(forged)));
}

TEST(CaseWorkerTokenCheckTest, TwoAuthorizationHeadersAreRefused) {
  const std::string good = "Bearer " + Token(Role::kCaseWorker);
  EXPECT_EQ(CheckWith(CaseWorkerTokenCheck(Verifier()), {good, good}).code(),
            absl::StatusCode::kUnauthenticated);
}

TEST(CaseWorkerTokenCheckTest, WithoutAVerifierEveryCallIsRefused) {
  EXPECT_EQ(CheckWith(CaseWorkerTokenCheck(nullptr),
                      {"Bearer " + Token(Role::kCaseWorker)})
                .code(),
            absl::StatusCode::kUnauthenticated);
}

}  // namespace
}  // namespace palermo::assistance
