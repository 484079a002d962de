#include "services/common/status.h"

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "google/rpc/status.pb.h"

namespace palermo {
namespace {

TEST(FieldViolationsTest, EmptyIsOk) {
  EXPECT_TRUE(FieldViolations().ToStatus().ok());
}

TEST(FieldViolationsTest, ListsEveryFieldInOneError) {
  FieldViolations v;
  v.Add("parent", "unknown");
  v.Add("legislation.penalties.min_imprisonment_months", "above maximum");
  absl::Status status = v.ToStatus();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("parent"), absl::string_view::npos);
  google::rpc::BadRequest bad = BadRequestOf(status);
  ASSERT_EQ(bad.field_violations_size(), 2);
  EXPECT_EQ(bad.field_violations(1).field(),
            "legislation.penalties.min_imprisonment_months");
}

TEST(FieldViolationsTest, MessageNamesTheFirstTenAndDetailsCarryAll) {
  FieldViolations v;
  for (int i = 0; i < 25; ++i) v.Add(absl::StrCat("rows[", i, "]"), "bad");
  absl::Status status = v.ToStatus();
  EXPECT_NE(status.message().find("rows[9]"), absl::string_view::npos);
  EXPECT_EQ(status.message().find("rows[10]"), absl::string_view::npos);
  EXPECT_NE(status.message().find("and 15 more"), absl::string_view::npos);
  EXPECT_EQ(BadRequestOf(status).field_violations_size(), 25);
}

TEST(FieldViolationsTest, AddAllCopiesCarriedViolationsOrFallsBack) {
  FieldViolations v;
  v.AddAll(InvalidField("a", "bad a"), "ignored");
  v.AddAll(absl::InternalError("boom"), "b");
  v.AddAll(absl::OkStatus(), "c");
  google::rpc::BadRequest bad = v.bad_request();
  ASSERT_EQ(bad.field_violations_size(), 2);
  EXPECT_EQ(bad.field_violations(0).field(), "a");
  EXPECT_EQ(bad.field_violations(1).field(), "b");
  EXPECT_EQ(bad.field_violations(1).description(), "boom");
}

TEST(StatusTest, GrpcStatusCarriesGoogleRpcStatusDetails) {
  grpc::Status status = ToGrpcStatus(InvalidField("parent", "unknown code"));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  google::rpc::Status rpc;
  ASSERT_TRUE(rpc.ParseFromString(status.error_details()));
  EXPECT_EQ(rpc.code(), 3);
  ASSERT_EQ(rpc.details_size(), 1);
  google::rpc::BadRequest bad;
  ASSERT_TRUE(rpc.details(0).UnpackTo(&bad));
  EXPECT_EQ(bad.field_violations(0).field(), "parent");
}

TEST(StatusTest, RoundTripKeepsCodeMessageAndDetails) {
  absl::Status original =
      EtagMismatchError("countries/EST/legislation", "r1", "r2");
  absl::Status back = FromGrpcStatus(ToGrpcStatus(original));
  EXPECT_EQ(back.code(), absl::StatusCode::kAborted);
  EXPECT_EQ(back.message(), original.message());
  auto payload = back.GetPayload(kPreconditionFailureTypeUrl);
  ASSERT_TRUE(payload.has_value());
  google::rpc::PreconditionFailure failure;
  ASSERT_TRUE(failure.ParseFromString(std::string(*payload)));
  EXPECT_EQ(failure.violations(0).type(), "ETAG");
  EXPECT_EQ(failure.violations(0).subject(), "countries/EST/legislation");
}

TEST(StatusTest, NotFoundNamesTheResource) {
  grpc::Status status = ToGrpcStatus(NotFoundError(
      "palermo.legislation.v1.Legislation", "countries/FRA/legislation"));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  google::rpc::Status rpc;
  ASSERT_TRUE(rpc.ParseFromString(status.error_details()));
  google::rpc::ResourceInfo info;
  ASSERT_TRUE(rpc.details(0).UnpackTo(&info));
  EXPECT_EQ(info.resource_name(), "countries/FRA/legislation");
}

TEST(StatusTest, OkMapsToOk) {
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok());
}

}  // namespace
}  // namespace palermo
