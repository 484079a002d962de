// AuditService: the caller checked first (nobody without a check), the
// parent, page size, page token and filter refused naming their field, and
// the records listed newest first in pages, filtered.
#include "services/common/audit_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/common/memory_audit_log.h"
#include "services/common/test_support.h"

namespace palermo {
namespace {

using common::v1::ListAuditRecordsRequest;
using common::v1::ListAuditRecordsResponse;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

class AuditServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // 1..5: alice writes, bob's third write (4) is refused.
    for (int i = 1; i <= 5; ++i) {
      AuditEntry e;
      e.method = "/palermo.legislation.v1.LegislationService/UpdateLegislation";
      e.principal = i % 2 ? "alice" : "bob";
      e.role = "analyst";
      e.resource = absl::StrCat("countries/E", i);
      e.code = i == 4 ? 7 : 0;
      e.message = i == 4 ? "not yours" : "";
      e.time = absl::FromUnixSeconds(1700000000 + i);
      ASSERT_TRUE(log_.Append(e).ok());
    }
  }

  ListAuditRecordsRequest Request(int page_size = 0,
                                  const std::string& filter = "") {
    ListAuditRecordsRequest request;
    request.set_parent("services/legislation");
    request.set_page_size(page_size);
    request.set_filter(filter);
    return request;
  }

  ListAuditRecordsResponse MustList(const ListAuditRecordsRequest& request) {
    absl::StatusOr<ListAuditRecordsResponse> listed =
        ListAuditRecords(log_, "legislation", request);
    EXPECT_TRUE(listed.ok()) << listed.status();
    return listed.ok() ? *listed : ListAuditRecordsResponse();
  }

  std::vector<std::string> Names(const ListAuditRecordsResponse& response) {
    std::vector<std::string> out;
    for (const auto& r : response.audit_records()) out.push_back(r.name());
    return out;
  }

  MemoryAuditLog log_;
};

TEST_F(AuditServiceTest, ListsNewestFirstWithEveryField) {
  ListAuditRecordsResponse response = MustList(Request());
  EXPECT_THAT(Names(response),
              ElementsAre("services/legislation/auditRecords/5",
                          "services/legislation/auditRecords/4",
                          "services/legislation/auditRecords/3",
                          "services/legislation/auditRecords/2",
                          "services/legislation/auditRecords/1"));
  EXPECT_EQ(response.next_page_token(), "");
  const auto& refused = response.audit_records(1);
  EXPECT_EQ(
      refused.method(),
      std::string(
          "/palermo.legislation.v1.LegislationService/UpdateLegislation"));
  EXPECT_EQ(refused.principal(), "bob");
  EXPECT_EQ(refused.role(), "analyst");
  EXPECT_EQ(refused.resource(), "countries/E4");
  EXPECT_EQ(refused.outcome().code(), 7);
  EXPECT_EQ(refused.outcome().message(), "not yours");
  EXPECT_EQ(refused.time().seconds(), 1700000004);
}

TEST_F(AuditServiceTest, Pages) {
  ListAuditRecordsRequest request = Request(2);
  ListAuditRecordsResponse first = MustList(request);
  EXPECT_THAT(Names(first), ElementsAre("services/legislation/auditRecords/5",
                                        "services/legislation/auditRecords/4"));
  ASSERT_NE(first.next_page_token(), "");
  request.set_page_token(first.next_page_token());
  ListAuditRecordsResponse second = MustList(request);
  EXPECT_THAT(Names(second),
              ElementsAre("services/legislation/auditRecords/3",
                          "services/legislation/auditRecords/2"));
  request.set_page_token(second.next_page_token());
  ListAuditRecordsResponse third = MustList(request);
  EXPECT_THAT(Names(third), ElementsAre("services/legislation/auditRecords/1"));
  EXPECT_EQ(third.next_page_token(), "");
}

TEST_F(AuditServiceTest, Filters) {
  EXPECT_THAT(Names(MustList(Request(0, "outcome.code != 0"))),
              ElementsAre("services/legislation/auditRecords/4"));
  ListAuditRecordsRequest request = Request(1, "principal = \"alice\"");
  ListAuditRecordsResponse first = MustList(request);
  EXPECT_THAT(Names(first), ElementsAre("services/legislation/auditRecords/5"));
  request.set_page_token(first.next_page_token());
  ListAuditRecordsResponse second = MustList(request);
  EXPECT_THAT(Names(second),
              ElementsAre("services/legislation/auditRecords/3"));
}

TEST_F(AuditServiceTest, RefusesBadRequestsNamingTheField) {
  ListAuditRecordsRequest other = Request();
  other.set_parent("services/enforcement");
  ListAuditRecordsRequest empty = Request();
  empty.set_parent("");
  ListAuditRecordsRequest token = Request();
  token.set_page_token("garbage");
  ListAuditRecordsRequest foreign_token = Request(1, "principal = \"alice\"");
  foreign_token.set_page_token(MustList(Request(1)).next_page_token());
  const std::vector<std::pair<ListAuditRecordsRequest, std::string>> cases = {
      {other, "parent"},
      {empty, "parent"},
      {Request(-1), "page_size"},
      {token, "page_token"},
      {foreign_token, "page_token"},
      {Request(0, "no_such_field = 1"), "filter"},
  };
  for (const auto& [request, field] : cases) {
    absl::StatusOr<ListAuditRecordsResponse> listed =
        ListAuditRecords(log_, "legislation", request);
    ASSERT_FALSE(listed.ok()) << field;
    EXPECT_EQ(listed.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(ViolatedFields(listed.status()), ElementsAre(field));
  }
}

TEST_F(AuditServiceTest, WithoutACheckEveryoneIsRefused) {
  AuditServiceImpl service(log_, "legislation");
  grpc::ServerContext context;
  ListAuditRecordsRequest request = Request();
  ListAuditRecordsResponse response;
  grpc::Status status = service.ListAuditRecords(&context, &request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(response.audit_records_size(), 0);
}

TEST_F(AuditServiceTest, TheCheckDecides) {
  bool admin = false;
  AuditServiceImpl service(
      log_, "legislation", [&admin](const grpc::ServerContextBase&) {
        return admin ? absl::OkStatus()
                     : absl::PermissionDeniedError("administrators only");
      });
  grpc::ServerContext context;
  ListAuditRecordsRequest request = Request();
  // A refused caller learns nothing, not even that its request is bad.
  request.set_page_size(-1);
  ListAuditRecordsResponse response;
  grpc::Status denied = service.ListAuditRecords(&context, &request, &response);
  EXPECT_EQ(denied.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(denied.error_message(), HasSubstr("administrators only"));
  admin = true;
  request.set_page_size(2);
  ASSERT_TRUE(service.ListAuditRecords(&context, &request, &response).ok());
  EXPECT_EQ(response.audit_records_size(), 2);
}

}  // namespace
}  // namespace palermo
