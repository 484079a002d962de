// Tests of roles, principals and their metadata encoding (principal.h).
#include "services/common/principal.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "palermo/common/v1/identity.pb.h"

namespace palermo {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

Principal Make(std::string subject, Role role, std::string entity = "") {
  Principal p;
  p.subject = std::move(subject);
  p.role = role;
  p.entity = std::move(entity);
  return p;
}

TEST(RoleTest, NamesRoundTrip) {
  for (Role role : {Role::kReader, Role::kAnalyst, Role::kFocalPoint,
                    Role::kCaseWorker, Role::kAdministrator}) {
    auto parsed = ParseRole(RoleName(role));
    ASSERT_TRUE(parsed.ok()) << RoleName(role);
    EXPECT_EQ(*parsed, role);
  }
  EXPECT_EQ(RoleName(Role::kFocalPoint), "focal_point");
  EXPECT_EQ(RoleName(Role::kCaseWorker), "case_worker");
}

TEST(RoleTest, UnknownRoleRefusedNamingTheKnownOnes) {
  for (const char* name : {"", "Analyst", "admin", "focal-point", "reader "}) {
    auto parsed = ParseRole(name);
    ASSERT_FALSE(parsed.ok()) << name;
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(parsed.status().message(), HasSubstr("role"));
    EXPECT_THAT(parsed.status().message(), HasSubstr("case_worker"));
  }
}

TEST(PrincipalTest, AnonymousReader) {
  Principal p = AnonymousReader();
  EXPECT_EQ(p.subject, "anonymous");
  EXPECT_EQ(p.role, Role::kReader);
  EXPECT_EQ(p.entity, "");
  EXPECT_TRUE(ValidatePrincipal(p).ok());
}

TEST(PrincipalTest, WellFormedEntities) {
  for (const char* entity : {"countries/EST", "organizations/LAS",
                             "organizations/OSRSG-CAAC", "organizations/WB"}) {
    EXPECT_TRUE(IsWellFormedEntity(entity)) << entity;
  }
  for (const char* entity :
       {"", "countries/", "countries/est", "countries/ES", "countries/ESTO",
        "countries/EST/", "EST", "organizations/", "organizations/las",
        "organizations/A/B", "organisations/LAS", " countries/EST",
        "organizations/ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456"}) {
    EXPECT_FALSE(IsWellFormedEntity(entity)) << entity;
  }
}

TEST(PrincipalTest, ValidateNamesTheField) {
  struct Case {
    Principal principal;
    const char* field;
  } cases[] = {
      {Make("", Role::kAnalyst), "subject"},
      {Make(std::string(kMaxSubjectBytes + 1, 'a'), Role::kAnalyst),
       "subject"},
      {Make("line\nbreak", Role::kAnalyst), "subject"},
      {Make("caf\xc3\xa9", Role::kAnalyst), "subject"},
      {Make("fp", Role::kFocalPoint), "entity"},
      {Make("fp", Role::kFocalPoint, "countries/est"), "entity"},
      {Make("a", Role::kAnalyst, "countries/EST"), "entity"},
  };
  for (const auto& c : cases) {
    absl::Status status = ValidatePrincipal(c.principal);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument)
        << c.principal.subject;
    EXPECT_THAT(status.message(), HasSubstr(c.field)) << c.principal.subject;
  }
  EXPECT_TRUE(
      ValidatePrincipal(Make(std::string(kMaxSubjectBytes, 'a'), Role::kAnalyst))
          .ok());
  EXPECT_TRUE(ValidatePrincipal(
                  Make("ee-focal", Role::kFocalPoint, "countries/EST"))
                  .ok());
}

TEST(PrincipalTest, EncodeDecodeRoundTrip) {
  for (const Principal& p :
       {AnonymousReader(), Make("alice@unodc", Role::kAnalyst),
        Make("ee-focal", Role::kFocalPoint, "countries/EST"),
        Make("las-focal", Role::kFocalPoint, "organizations/LAS"),
        Make("worker 7", Role::kCaseWorker),
        Make("root", Role::kAdministrator)}) {
    auto decoded = DecodePrincipal(EncodePrincipal(p));
    ASSERT_TRUE(decoded.ok()) << decoded.status();
    EXPECT_EQ(*decoded, p);
  }
}

void ExpectRefused(absl::string_view value, absl::string_view why) {
  auto decoded = DecodePrincipal(value);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(decoded.status().message(), HasSubstr(kPrincipalMetadataKey));
  EXPECT_THAT(decoded.status().message(), HasSubstr(why));
}

TEST(PrincipalTest, DecodeRefusesGarbage) {
  ExpectRefused("", "role");  // an empty message: no role
  ExpectRefused("\xff\xff\xff", "not a serialized");
  ExpectRefused("Bearer eyJhbGciOi", "not a serialized");
  // A valid principal followed by a field the message does not have.
  ExpectRefused(EncodePrincipal(Make("a", Role::kAnalyst)) + "\x78\x01",
                "unknown fields");
}

TEST(PrincipalTest, DecodeRefusesWhatValidateRefuses) {
  common::v1::Principal message;
  message.set_subject("a");
  message.set_role(common::v1::ROLE_UNSPECIFIED);
  ExpectRefused(message.SerializeAsString(), "role");
  message.set_role(static_cast<common::v1::Role>(42));
  ExpectRefused(message.SerializeAsString(), "role");
  message.set_role(common::v1::ROLE_FOCAL_POINT);
  ExpectRefused(message.SerializeAsString(), "entity");
  message.set_entity("countries/EST");
  message.set_subject("");
  ExpectRefused(message.SerializeAsString(), "subject");
  message.set_subject("a");
  EXPECT_TRUE(DecodePrincipal(message.SerializeAsString()).ok());
  message.set_role(common::v1::ROLE_READER);
  ExpectRefused(message.SerializeAsString(), "entity");
}

TEST(PrincipalTest, DecodeErrorsNeverRepeatTheValue) {
  const std::string secret = "s3cr3t-subject-value";
  common::v1::Principal message;
  message.set_subject(secret + "\n");
  message.set_role(common::v1::ROLE_ANALYST);
  auto decoded = DecodePrincipal(message.SerializeAsString());
  ASSERT_FALSE(decoded.ok());
  EXPECT_THAT(decoded.status().message(), Not(HasSubstr(secret)));
}

}  // namespace
}  // namespace palermo
