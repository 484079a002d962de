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

TEST(AbbreviateTest, KeepsShortValuesAndCutsLongOnesWithTheirLength) {
  EXPECT_EQ(Abbreviate("countries/EST"), "countries/EST");
  const std::string exact(kMaxQuotedBytes, 'x');
  EXPECT_EQ(Abbreviate(exact), exact);
  const std::string cut = Abbreviate(std::string(5000, 'x'));
  EXPECT_EQ(cut, absl::StrCat(std::string(kMaxQuotedBytes, 'x'),
                              "\xE2\x80\xA6(5000 bytes)"));
}

TEST(AbbreviateTest, CutsAtACharacterBoundary) {
  // 'a' then two-byte characters: the cut would fall inside one.
  std::string value = "a";
  for (int i = 0; i < 100; ++i) value += "\xC3\xA9";  // é
  const std::string cut = Abbreviate(value);
  const std::string kept = cut.substr(0, cut.find("\xE2\x80\xA6"));
  EXPECT_EQ(kept.size(), kMaxQuotedBytes - 1);
  EXPECT_EQ(kept.back(), '\xA9');
}

TEST(FieldViolationsTest, DetailsHoldAtMostTheCapAndTheMessageCountsTheRest) {
  FieldViolations v;
  for (int i = 0; i < 100000; ++i) {
    v.Add(absl::StrCat("rows[", i, "].value"), "required");
  }
  EXPECT_EQ(v.size(), 100000);
  EXPECT_EQ(v.omitted(), 100000 - kMaxViolationsInDetails);
  absl::Status status = v.ToStatus("100000 invalid rows");
  EXPECT_EQ(BadRequestOf(status).field_violations_size(),
            kMaxViolationsInDetails);
  EXPECT_NE(status.message().find("and 99990 more"), absl::string_view::npos)
      << status.message();
  EXPECT_NE(status.message().find(
                absl::StrCat(100000 - kMaxViolationsInDetails, " left out")),
            absl::string_view::npos)
      << status.message();
  EXPECT_LT(ToGrpcStatus(status).error_details().size(), 8u << 10);
  // Carried over by AddAll and Merge, the count stays right.
  FieldViolations outer;
  outer.AddAll(status, "ignored");
  EXPECT_EQ(outer.size(), 100000);
  FieldViolations merged;
  merged.Add("first", "bad");
  merged.Merge(v);
  EXPECT_EQ(merged.size(), 100001);
  EXPECT_EQ(BadRequestOf(merged.ToStatus()).field_violations_size(),
            kMaxViolationsInDetails);
}

TEST(FieldViolationsTest, LongFieldPathsAndDescriptionsAreAbbreviated) {
  FieldViolations v;
  v.Add(std::string(5000, 'f'), std::string(100000, 'd'));
  const auto& violation = v.bad_request().field_violations(0);
  EXPECT_LT(violation.field().size(), 2 * kMaxQuotedBytes);
  EXPECT_NE(violation.field().find("(5000 bytes)"), std::string::npos);
  EXPECT_LT(violation.description().size(), 1024u);
  EXPECT_LT(v.ToStatus().message().size(), 2048u);
}

TEST(StatusTest, ResourceErrorsAbbreviateTheName) {
  const std::string name = "countries/" + std::string(5000, 'X');
  for (const absl::Status& status :
       {NotFoundError("palermo.T", name), AlreadyExistsError("palermo.T", name),
        EtagMismatchError(name, std::string(5000, 'e'), "current")}) {
    EXPECT_LT(status.message().size(), 512u) << status.message();
    EXPECT_NE(status.message().find("(5010 bytes)"), absl::string_view::npos);
    EXPECT_LT(ToGrpcStatus(status).error_details().size(), 1024u);
  }
}

TEST(StatusTest, DetailsCarryAValidNameWhole) {
  // Longer than a quoted value, as observation names are: the message cuts
  // it, the details a client matches on keep it.
  const std::string name =
      "countries/FRA/observations/" + std::string(150, 'K');
  for (const absl::Status& status : {NotFoundError("palermo.T", name),
                                     AlreadyExistsError("palermo.T", name)}) {
    google::rpc::ResourceInfo info;
    ASSERT_TRUE(info.ParseFromString(
        std::string(*status.GetPayload(kResourceInfoTypeUrl))));
    EXPECT_EQ(info.resource_name(), name);
    EXPECT_LT(status.message().size(), name.size());
  }
  absl::Status stale = EtagMismatchError(name, "old", "new");
  google::rpc::PreconditionFailure failure;
  ASSERT_TRUE(failure.ParseFromString(
      std::string(*stale.GetPayload(kPreconditionFailureTypeUrl))));
  EXPECT_EQ(failure.violations(0).subject(), name);
}

TEST(FieldViolationsTest, MessageNamesTheFirstTenAndDetailsCarryUpToTheCap) {
  FieldViolations v;
  for (int i = 0; i < kMaxViolationsInDetails; ++i) {
    v.Add(absl::StrCat("rows[", i, "]"), "bad");
  }
  absl::Status status = v.ToStatus();
  EXPECT_NE(status.message().find("rows[9]"), absl::string_view::npos);
  EXPECT_EQ(status.message().find("rows[10]"), absl::string_view::npos);
  EXPECT_NE(status.message().find(
                absl::StrCat("and ", kMaxViolationsInDetails - 10, " more")),
            absl::string_view::npos);
  EXPECT_EQ(status.message().find("left out"), absl::string_view::npos);
  EXPECT_EQ(BadRequestOf(status).field_violations_size(),
            kMaxViolationsInDetails);
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

// The count of left-out violations is carried inside the process only: on
// the wire the details are the BadRequest alone.
TEST(StatusTest, GrpcStatusOfACappedSetCarriesOnlyTheBadRequest) {
  FieldViolations v;
  for (int i = 0; i < kMaxViolationsInDetails + 5; ++i) {
    v.Add(absl::StrCat("rows[", i, "]"), "required");
  }
  grpc::Status status = ToGrpcStatus(v.ToStatus());
  google::rpc::Status rpc;
  ASSERT_TRUE(rpc.ParseFromString(status.error_details()));
  ASSERT_EQ(rpc.details_size(), 1);
  google::rpc::BadRequest bad;
  ASSERT_TRUE(rpc.details(0).UnpackTo(&bad));
  EXPECT_EQ(bad.field_violations_size(), kMaxViolationsInDetails);
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
