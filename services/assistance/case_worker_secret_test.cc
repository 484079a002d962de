// The stopgap shared-secret case-worker check: only `Bearer <secret>` passes,
// every refusal is the same UNAUTHENTICATED that repeats nothing sent, and a
// missing or empty secret file stops the service from starting.
#include "services/assistance/case_worker_secret.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "services/common/test_support.h"

namespace palermo::assistance {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(CheckSharedSecretTest, AcceptsOnlyTheBearerSecret) {
  EXPECT_TRUE(CheckSharedSecret("s3cret", "Bearer s3cret").ok());
  for (const char* refused :
       {"Bearer s3cre", "Bearer s3cretx", "Bearer S3cret", "bearer s3cret",
        "Bearer  s3cret", "s3cret", "Basic s3cret", "Bearer ", ""}) {
    absl::Status status = CheckSharedSecret("s3cret", refused);
    EXPECT_EQ(status.code(), absl::StatusCode::kUnauthenticated) << refused;
    EXPECT_EQ(status.message(), "case records need a case worker's token");
  }
  EXPECT_EQ(CheckSharedSecret("s3cret", std::nullopt).code(),
            absl::StatusCode::kUnauthenticated);
}

TEST(CheckSharedSecretTest, AnEmptySecretAcceptsNobody) {
  EXPECT_EQ(CheckSharedSecret("", "Bearer ").code(),
            absl::StatusCode::kUnauthenticated);
}

TEST(CheckSharedSecretTest, TheRefusalNeverRepeatsTheToken) {
  absl::Status status = CheckSharedSecret("s3cret", "Bearer guess-12345");
  EXPECT_THAT(std::string(status.message()), Not(HasSubstr("guess-12345")));
}

class ReadSharedSecretTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = FreshTestDir(); }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Write(const std::string& content) {
    const std::string path = (dir_ / "token").string();
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }
  std::filesystem::path dir_;
};

TEST_F(ReadSharedSecretTest, DropsTheTrailingNewline) {
  auto secret = ReadSharedSecret(Write("s3cret\n"));
  ASSERT_TRUE(secret.ok()) << secret.status();
  EXPECT_EQ(*secret, "s3cret");
}

TEST_F(ReadSharedSecretTest, AMissingOrEmptyFileIsAnError) {
  auto missing = ReadSharedSecret((dir_ / "none").string());
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(missing.status().message()),
              HasSubstr("--case_worker_token_file"));
  auto empty = ReadSharedSecret(Write(" \n"));
  EXPECT_EQ(empty.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(empty.status().message()), HasSubstr("is empty"));
  EXPECT_EQ(SharedSecretCheck(Write("")).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(ReadSharedSecretTest, TheCheckRefusesACallWithoutTheHeader) {
  auto check = SharedSecretCheck(Write("s3cret\n"));
  ASSERT_TRUE(check.ok()) << check.status();
  grpc::ServerContext context;  // no metadata
  EXPECT_EQ((*check)(context).code(), absl::StatusCode::kUnauthenticated);
}

}  // namespace
}  // namespace palermo::assistance
