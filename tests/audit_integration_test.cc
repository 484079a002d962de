// The audit log on real processes: a write, a write its handler refuses and
// a write that does not parse all appear in the service's log, with method,
// caller, resource and outcome, and reads do not; ListAuditRecords pages
// them newest first, to administrators only (through the gateway, whose
// principals alone the service believes), for its own parent only; the log
// survives a restart; a client stream (ImportObservations) is recorded too;
// the gateway records its own refusals. Under
// PALERMO_TEST_STORE=postgres (the "postgres." copies), the services' logs
// are in their PostgreSQL schemas.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/time/clock.h"
#include "palermo/common/v1/audit.grpc.pb.h"
#include "palermo/enforcement/v1/enforcement.grpc.pb.h"
#include "palermo/legislation/v1/legislation.grpc.pb.h"
#include "services/common/principal.h"
#include "tests/support/service_process.h"

namespace palermo {
namespace {

namespace cv1 = common::v1;
namespace lv1 = legislation::v1;
using palermo::test::Context;
using palermo::test::MakeTempDir;
using palermo::test::ServiceProcess;
using palermo::test::ViolatedFields;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kCreate[] =
    "/palermo.legislation.v1.LegislationService/CreateLegislation";
constexpr char kAuditor[] = "test-administrator";  // TestAdministrator()

lv1::Legislation Ratified() {
  lv1::Legislation l;
  l.mutable_protocol()->set_status(lv1::TREATY_STATUS_RATIFIED);
  auto* source = l.mutable_protocol()->add_sources();
  source->set_document_symbol("E/CN.15/2008/6");
  source->set_paragraph(5);
  return l;
}

// An analyst named `subject`, or the tests' administrator for kAuditor.
Principal Analyst(const std::string& subject) {
  if (subject == kAuditor) return palermo::test::TestAdministrator();
  return Principal{subject, Role::kAnalyst, ""};
}

class AuditIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_dir_ = MakeTempDir();
    auto server = ServiceProcess::Start(PALERMO_LEGISLATION_SERVER,
                                        {"--data_dir=" + data_dir_});
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    // The log is read, and written as someone, through the gateway.
    auto gateway = ServiceProcess::Start(
        PALERMO_GATEWAY_SERVER,
        {"--legislation_address=" + server_->address()});
    ASSERT_TRUE(gateway.ok()) << gateway.status();
    gateway_ = *std::move(gateway);
    stub_ = lv1::LegislationService::NewStub(gateway_->AnonymousChannel());
  }

  grpc::Status Create(const std::string& actor, const std::string& parent) {
    lv1::CreateLegislationRequest request;
    request.set_parent(parent);
    *request.mutable_legislation() = Ratified();
    lv1::Legislation created;
    return lv1::LegislationService::NewStub(
               gateway_->ChannelAs(Analyst(actor)))
        ->CreateLegislation(Context().get(), request, &created);
  }

  grpc::Status List(const cv1::ListAuditRecordsRequest& request,
                    cv1::ListAuditRecordsResponse* response,
                    const std::string& actor = kAuditor) {
    return cv1::AuditService::NewStub(gateway_->ChannelAs(Analyst(actor)))
        ->ListAuditRecords(Context().get(), request, response);
  }

  // Whether a read through the gateway is answered within `timeout`: the
  // gateway's channel (round_robin) fails calls at once while the service
  // is away, until its next attempt to connect finds it back.
  bool GatewayReachesTheService(absl::Duration timeout) {
    const absl::Time deadline = absl::Now() + timeout;
    while (absl::Now() < deadline) {
      lv1::ListLegislationsResponse page;
      if (stub_->ListLegislations(Context().get(), {}, &page).ok()) return true;
    }
    return false;
  }

  // Every record, newest first, in pages of `page_size`.
  std::vector<cv1::AuditRecord> All(int page_size, int* pages = nullptr) {
    cv1::ListAuditRecordsRequest request;
    request.set_parent("services/legislation");
    request.set_page_size(page_size);
    std::vector<cv1::AuditRecord> out;
    int count = 0;
    do {
      cv1::ListAuditRecordsResponse response;
      grpc::Status status = List(request, &response);
      EXPECT_TRUE(status.ok()) << status.error_message();
      if (!status.ok()) break;
      ++count;
      EXPECT_LE(response.audit_records_size(), page_size);
      out.insert(out.end(), response.audit_records().begin(),
                 response.audit_records().end());
      request.set_page_token(response.next_page_token());
    } while (!request.page_token().empty() && count < 100);
    if (pages) *pages = count;
    return out;
  }

  std::string data_dir_;
  std::unique_ptr<ServiceProcess> server_;
  std::unique_ptr<ServiceProcess> gateway_;
  std::unique_ptr<lv1::LegislationService::Stub> stub_;  // anonymous
};

std::vector<std::string> Names(const std::vector<cv1::AuditRecord>& records) {
  std::vector<std::string> out;
  for (const auto& r : records) out.push_back(r.name());
  return out;
}

TEST_F(AuditIntegrationTest, WritesAndRefusedWritesAreRecordedAndPaged) {
  ASSERT_TRUE(Create("alice", "countries/EST").ok());
  grpc::Status refused = Create("bob", "countries/XXX");
  ASSERT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  // Straight to the service (the test client's certificate names it).
  grpc::Status unparsed = palermo::test::RawUnaryCall(
      *server_->Channel(), kCreate, std::string("\xff\xff\xff", 3));
  ASSERT_EQ(unparsed.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  // A read is not recorded.
  lv1::GetLegislationRequest get;
  get.set_name("countries/EST/legislation");
  lv1::Legislation read;
  ASSERT_TRUE(stub_->GetLegislation(Context().get(), get, &read).ok());

  int pages = 0;
  std::vector<cv1::AuditRecord> records = All(2, &pages);
  EXPECT_EQ(pages, 2);
  ASSERT_THAT(Names(records),
              ElementsAre("services/legislation/auditRecords/3",
                          "services/legislation/auditRecords/2",
                          "services/legislation/auditRecords/1"));
  const cv1::AuditRecord& created = records[2];
  EXPECT_EQ(created.method(), kCreate);
  EXPECT_EQ(created.principal(), "alice");
  EXPECT_EQ(created.role(), "analyst");
  EXPECT_EQ(created.resource(), "countries/EST");
  EXPECT_EQ(created.outcome().code(), 0);
  EXPECT_GT(created.time().seconds(), 0);
  const cv1::AuditRecord& bad = records[1];
  EXPECT_EQ(bad.method(), kCreate);
  EXPECT_EQ(bad.principal(), "bob");
  EXPECT_EQ(bad.resource(), "countries/XXX");
  EXPECT_EQ(bad.outcome().code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(bad.outcome().message(), refused.error_message());
  const cv1::AuditRecord& garbled = records[0];
  EXPECT_EQ(garbled.principal(), "client");
  EXPECT_EQ(garbled.resource(), "");
  EXPECT_EQ(garbled.outcome().code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(garbled.outcome().message(), HasSubstr("does not parse"));

  // Filtered: the refused ones only.
  cv1::ListAuditRecordsRequest request;
  request.set_parent("services/legislation");
  request.set_filter("outcome.code != 0 AND principal = \"bob\"");
  cv1::ListAuditRecordsResponse response;
  ASSERT_TRUE(List(request, &response).ok());
  ASSERT_EQ(response.audit_records_size(), 1);
  EXPECT_EQ(response.audit_records(0).name(),
            "services/legislation/auditRecords/2");
}

TEST_F(AuditIntegrationTest, OnlyAdministratorsReadAndOnlyAKnownParent) {
  ASSERT_TRUE(Create("alice", "countries/EST").ok());
  cv1::ListAuditRecordsRequest request;
  request.set_parent("services/legislation");
  cv1::ListAuditRecordsResponse response;
  EXPECT_EQ(List(request, &response, "alice").error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(response.audit_records_size(), 0);
  // A suite peer that is not the gateway is no administrator, whatever it
  // says.
  auto direct = Context();
  direct->AddMetadata(kPrincipalMetadataKey,
                      EncodePrincipal(palermo::test::TestAdministrator()));
  EXPECT_EQ(cv1::AuditService::NewStub(server_->Channel())
                ->ListAuditRecords(direct.get(), request, &response)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  request.set_parent("services/nowhere");
  grpc::Status other = List(request, &response);
  EXPECT_EQ(other.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(other), ElementsAre("parent"));
  request.set_parent("services/legislation");
  request.set_page_token("not-a-token");
  grpc::Status token = List(request, &response);
  EXPECT_EQ(token.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(token), ElementsAre("page_token"));
  request.set_page_token("");
  request.set_page_size(-1);
  EXPECT_THAT(ViolatedFields(List(request, &response)),
              ElementsAre("page_size"));
}

TEST_F(AuditIntegrationTest, TheLogSurvivesARestart) {
  ASSERT_TRUE(Create("alice", "countries/EST").ok());
  ASSERT_EQ(Create("bob", "countries/XXX").error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(server_->Terminate(), 0);
  ASSERT_TRUE(server_->Restart().ok());
  ASSERT_TRUE(GatewayReachesTheService(absl::Seconds(10)));
  ASSERT_TRUE(Create("carol", "countries/LVA").ok());
  std::vector<cv1::AuditRecord> records = All(50);
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].name(), "services/legislation/auditRecords/3");
  EXPECT_EQ(records[0].principal(), "carol");
  EXPECT_EQ(records[1].principal(), "bob");
  EXPECT_EQ(records[2].principal(), "alice");
  EXPECT_EQ(records[2].resource(), "countries/EST");
}

TEST(AuditClientStreamTest, AnImportIsRecordedWithItsOutcome) {
  auto server = ServiceProcess::Start(PALERMO_ENFORCEMENT_SERVER,
                                      {"--data_dir=" + MakeTempDir()});
  ASSERT_TRUE(server.ok()) << server.status();
  auto gateway = ServiceProcess::Start(
      PALERMO_GATEWAY_SERVER,
      {"--enforcement_address=" + (*server)->address()});
  ASSERT_TRUE(gateway.ok()) << gateway.status();
  enforcement::v1::ImportObservationsRequest message;
  message.set_request_id("import-1");
  auto* row = message.add_observations();
  row->set_entity("countries/XXX");  // refused: no such entity
  row->set_indicator("VICTIMS_IDENTIFIED");
  auto context = Context();
  grpc::Status status = palermo::test::RawClientStream(
      *(*gateway)->ChannelAs(Analyst("importer")),
      "/palermo.enforcement.v1.EnforcementService/ImportObservations",
      {message.SerializeAsString()}, context.get());
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);

  auto audit = cv1::AuditService::NewStub((*gateway)->Channel());
  cv1::ListAuditRecordsRequest request;
  request.set_parent("services/enforcement");
  cv1::ListAuditRecordsResponse response;
  ASSERT_TRUE(
      audit->ListAuditRecords(Context().get(), request, &response).ok());
  ASSERT_EQ(response.audit_records_size(), 1);
  const cv1::AuditRecord& record = response.audit_records(0);
  EXPECT_EQ(record.method(),
            "/palermo.enforcement.v1.EnforcementService/ImportObservations");
  EXPECT_EQ(record.principal(), "importer");
  EXPECT_EQ(record.outcome().code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(record.outcome().message(), status.error_message());
}

TEST(AuditGatewayTest, TheGatewayRecordsItsRefusalsAndTheServiceItsWrites) {
  const std::string dir = MakeTempDir();
  auto suite = palermo::test::Suite::Start(dir);
  ASSERT_TRUE(suite.ok()) << suite.status();
  lv1::CreateLegislationRequest create;
  create.set_parent("countries/EST");
  *create.mutable_legislation() = Ratified();
  lv1::Legislation created;
  ASSERT_TRUE(lv1::LegislationService::NewStub(
                  (*suite)->gateway->ChannelAs(Analyst("alice")))
                  ->CreateLegislation(Context().get(), create, &created)
                  .ok());
  create.set_parent("countries/LVA");
  EXPECT_EQ(lv1::LegislationService::NewStub(
                (*suite)->gateway->ChannelAs(
                    Principal{"rita", Role::kReader, ""}))
                ->CreateLegislation(Context().get(), create, &created)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  auto audit = cv1::AuditService::NewStub((*suite)->gateway->Channel());
  cv1::ListAuditRecordsRequest request;
  request.set_parent("services/gateway");
  cv1::ListAuditRecordsResponse response;
  ASSERT_TRUE(
      audit->ListAuditRecords(Context().get(), request, &response).ok());
  ASSERT_EQ(response.audit_records_size(), 1);
  EXPECT_EQ(response.audit_records(0).method(), kCreate);
  EXPECT_EQ(response.audit_records(0).principal(), "rita");
  EXPECT_EQ(response.audit_records(0).role(), "reader");
  EXPECT_EQ(response.audit_records(0).resource(), "countries/LVA");
  EXPECT_EQ(response.audit_records(0).outcome().code(),
            grpc::StatusCode::PERMISSION_DENIED);

  request.set_parent("services/legislation");
  ASSERT_TRUE(
      audit->ListAuditRecords(Context().get(), request, &response).ok());
  ASSERT_EQ(response.audit_records_size(), 1);
  EXPECT_EQ(response.audit_records(0).principal(), "alice");
  EXPECT_EQ(response.audit_records(0).resource(), "countries/EST");
}

}  // namespace
}  // namespace palermo
