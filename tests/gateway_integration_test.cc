// The gateway and the legislation service as real processes: forwarding with
// error details, country profiles, health and reflection on both ports, and
// clean shutdown.
#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <google/protobuf/descriptor.pb.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "absl/time/clock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "palermo/gateway/v1/gateway.grpc.pb.h"
#include "palermo/legislation/v1/legislation.grpc.pb.h"
#include "tests/support/service_process.h"

namespace palermo {
namespace {

namespace lv1 = legislation::v1;
namespace gv1 = gateway::v1;
namespace refl = grpc::reflection::v1alpha;
using palermo::test::Context;
using palermo::test::MakeTempDir;
using palermo::test::ServiceProcess;
using palermo::test::ViolatedFields;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::IsSupersetOf;

class GatewayIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto suite = palermo::test::Suite::Start(MakeTempDir());
    ASSERT_TRUE(suite.ok()) << suite.status();
    suite_ = *std::move(suite);
    legislation_ = suite_->legislation.get();
    gateway_ = suite_->gateway.get();
    legislation_stub_ = lv1::LegislationService::NewStub(gateway_->Channel());
    gateway_stub_ = gv1::GatewayService::NewStub(gateway_->Channel());
  }

  std::unique_ptr<palermo::test::Suite> suite_;
  ServiceProcess* legislation_;
  ServiceProcess* gateway_;
  std::unique_ptr<lv1::LegislationService::Stub> legislation_stub_;
  std::unique_ptr<gv1::GatewayService::Stub> gateway_stub_;
};

lv1::CreateLegislationRequest CreateEstonia() {
  lv1::CreateLegislationRequest request;
  request.set_parent("countries/EST");
  auto* law = request.mutable_legislation()->mutable_specific_law();
  law->set_kind(lv1::LAW_KIND_ANTI_TRAFFICKING);
  law->set_status(lv1::LAW_STATUS_DRAFT);
  auto* source = law->add_sources();
  source->set_document_symbol("E/CN.15/2008/6");
  source->set_paragraph(5);
  source->set_footnote(2);
  return request;
}

TEST_F(GatewayIntegrationTest, ForwardsLegislationMethodsAndComposesProfiles) {
  lv1::Legislation created;
  ASSERT_TRUE(
      legislation_stub_
          ->CreateLegislation(Context().get(), CreateEstonia(), &created)
          .ok());

  gv1::GetCountryProfileRequest request;
  request.set_name("countries/EST");
  gv1::CountryProfile profile;
  ASSERT_TRUE(
      gateway_stub_->GetCountryProfile(Context().get(), request, &profile)
          .ok());
  EXPECT_EQ(profile.entity().display_name(), "Estonia");
  EXPECT_EQ(profile.legislation().specific_law().status(),
            lv1::LAW_STATUS_DRAFT);
  EXPECT_EQ(profile.legislation().specific_law().sources(0).footnote(), 2);

  // The record is the legislation service's: reading it there gives the same.
  auto direct = lv1::LegislationService::NewStub(legislation_->Channel());
  lv1::GetLegislationRequest get;
  get.set_name("countries/EST/legislation");
  lv1::Legislation read;
  ASSERT_TRUE(direct->GetLegislation(Context().get(), get, &read).ok());
  EXPECT_EQ(read.SerializeAsString(), created.SerializeAsString());

  request.set_name("countries/FRA");
  ASSERT_TRUE(
      gateway_stub_->GetCountryProfile(Context().get(), request, &profile)
          .ok());
  EXPECT_EQ(profile.entity().display_name(), "France");
  EXPECT_FALSE(profile.has_legislation());
}

TEST_F(GatewayIntegrationTest, ErrorsKeepTheirDetailsThroughTheGateway) {
  lv1::CreateLegislationRequest request = CreateEstonia();
  request.set_parent("countries/QQQ");
  lv1::Legislation out;
  grpc::Status status =
      legislation_stub_->CreateLegislation(Context().get(), request, &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(status), ElementsAre("parent"));

  gv1::GetCountryProfileRequest profile_request;
  profile_request.set_name("EST");
  gv1::CountryProfile profile;
  status = gateway_stub_->GetCountryProfile(Context().get(), profile_request,
                                            &profile);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(status), ElementsAre("name"));
}

TEST_F(GatewayIntegrationTest, LegislationRulesHoldThroughTheGateway) {
  auto create = [this](const std::string& parent,
                       const lv1::Legislation& legislation,
                       const std::string& request_id = "") {
    lv1::CreateLegislationRequest request;
    request.set_parent(parent);
    *request.mutable_legislation() = legislation;
    request.set_request_id(request_id);
    lv1::Legislation created;
    return legislation_stub_->CreateLegislation(Context().get(), request,
                                                &created);
  };
  auto year = [](int y) {
    common::v1::PartialDate d;
    d.set_year(y);
    d.set_precision(common::v1::DATE_PRECISION_YEAR);
    return d;
  };
  lv1::Legislation l;
  auto* protocol = l.mutable_protocol();
  protocol->set_status(lv1::TREATY_STATUS_ACCEDED);
  *protocol->mutable_consent_date() = year(2004);
  auto* source = protocol->add_sources();
  source->set_document_symbol("E/CN.15/2008/6");
  source->set_paragraph(5);
  auto* penalties = l.mutable_penalties();
  *penalties->add_sources() = *source;
  penalties->set_min_imprisonment_months(1200);  // fixed: 100 years
  penalties->set_max_imprisonment_months(1200);
  grpc::Status status = create("countries/BLR", l, "2026-12-01.blr_create");
  EXPECT_TRUE(status.ok()) << status.error_message();

  protocol->set_status(lv1::TREATY_STATUS_RATIFIED);
  *protocol->mutable_signature_date() = year(2005);  // after the consent
  penalties->set_max_imprisonment_months(1201);
  status = create("countries/LVA", l, std::string(129, 'a'));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(
      ViolatedFields(status),
      ::testing::UnorderedElementsAre(
          "legislation.protocol.consent_date",
          "legislation.penalties.max_imprisonment_months", "request_id"));

  protocol->clear_signature_date();
  penalties->set_max_imprisonment_months(1200);
  ASSERT_TRUE(create("countries/LVA", l, std::string(128, 'a')).ok());
  lv1::ListLegislationsRequest list;
  list.set_page_size(1);
  lv1::ListLegislationsResponse first, second;
  ASSERT_TRUE(
      legislation_stub_->ListLegislations(Context().get(), list, &first).ok());
  list.set_page_token(first.next_page_token());
  ASSERT_TRUE(
      legislation_stub_->ListLegislations(Context().get(), list, &second).ok());
  EXPECT_EQ(second.total_size(), 2);
  ASSERT_EQ(second.legislations_size(), 1);
  EXPECT_EQ(second.legislations(0).name(), "countries/LVA/legislation");
}

TEST_F(GatewayIntegrationTest, BackendDownIsUnavailableNotAHang) {
  legislation_->Kill();
  gv1::GetCountryProfileRequest request;
  request.set_name("countries/EST");
  gv1::CountryProfile profile;
  grpc::Status status =
      gateway_stub_->GetCountryProfile(Context().get(), request, &profile);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
}

TEST_F(GatewayIntegrationTest, HealthIsServingOnEveryPort) {
  const std::vector<std::pair<ServiceProcess*, std::vector<std::string>>>
      cases = {
          {gateway_,
           {"", "palermo.gateway.v1.GatewayService",
            "palermo.legislation.v1.LegislationService",
            "palermo.enforcement.v1.EnforcementService"}},
          {legislation_, {"", "palermo.legislation.v1.LegislationService"}},
          {suite_->enforcement.get(),
           {"", "palermo.enforcement.v1.EnforcementService"}},
      };
  for (const auto& [process, services] : cases) {
    auto health = grpc::health::v1::Health::NewStub(process->Channel());
    for (const std::string& service : services) {
      grpc::health::v1::HealthCheckRequest request;
      request.set_service(service);
      grpc::health::v1::HealthCheckResponse response;
      ASSERT_TRUE(health->Check(Context().get(), request, &response).ok())
          << service;
      EXPECT_EQ(response.status(),
                grpc::health::v1::HealthCheckResponse::SERVING);
    }
  }
}

// What buf curl and grpcurl do: list the services, then describe one.
void ExpectReflection(ServiceProcess& process,
                      const std::vector<std::string>& expected_services) {
  auto reflection = refl::ServerReflection::NewStub(process.Channel());
  auto context = Context();
  auto stream = reflection->ServerReflectionInfo(context.get());

  refl::ServerReflectionRequest list;
  list.set_list_services("");
  ASSERT_TRUE(stream->Write(list));
  refl::ServerReflectionResponse response;
  ASSERT_TRUE(stream->Read(&response));
  std::vector<std::string> services;
  for (const auto& s : response.list_services_response().service()) {
    services.push_back(s.name());
  }
  EXPECT_THAT(services, IsSupersetOf(expected_services));

  refl::ServerReflectionRequest describe;
  describe.set_file_containing_symbol("grpc.health.v1.Health");
  ASSERT_TRUE(stream->Write(describe));
  ASSERT_TRUE(stream->Read(&response));
  ASSERT_TRUE(response.has_file_descriptor_response())
      << response.error_response().error_message();
  std::vector<std::string> described;
  for (const auto& bytes :
       response.file_descriptor_response().file_descriptor_proto()) {
    google::protobuf::FileDescriptorProto file;
    ASSERT_TRUE(file.ParseFromString(bytes));
    for (const auto& service : file.service()) {
      described.push_back(file.package() + "." + service.name());
    }
  }
  EXPECT_THAT(described, Contains("grpc.health.v1.Health"));
  stream->WritesDone();
  EXPECT_TRUE(stream->Finish().ok());
}

TEST_F(GatewayIntegrationTest, ReflectionListsServicesAndDescribesHealth) {
  ExpectReflection(*gateway_, {"palermo.gateway.v1.GatewayService",
                               "palermo.legislation.v1.LegislationService",
                               "palermo.enforcement.v1.EnforcementService",
                               "palermo.assistance.v1.AssistanceService",
                               "palermo.coordination.v1.CoordinationService",
                               "grpc.health.v1.Health"});
  ExpectReflection(*legislation_, {"palermo.legislation.v1.LegislationService",
                                   "grpc.health.v1.Health"});
  ExpectReflection(*suite_->coordination,
                   {"palermo.coordination.v1.CoordinationService",
                    "grpc.health.v1.Health"});
}

TEST_F(GatewayIntegrationTest, OversizedRequestIsRefused) {
  lv1::CreateLegislationRequest request = CreateEstonia();
  request.mutable_legislation()->set_notes(std::string(5 << 20, 'x'));
  lv1::Legislation out;
  grpc::Status status =
      legislation_stub_->CreateLegislation(Context().get(), request, &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
}

TEST_F(GatewayIntegrationTest, StaleEtagOnDeleteCarriesPreconditionFailure) {
  lv1::Legislation created;
  ASSERT_TRUE(
      legislation_stub_
          ->CreateLegislation(Context().get(), CreateEstonia(), &created)
          .ok());
  lv1::DeleteLegislationRequest del;
  del.set_name(created.name());
  del.set_etag("r0");
  google::protobuf::Empty empty;
  grpc::Status status =
      legislation_stub_->DeleteLegislation(Context().get(), del, &empty);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::ABORTED);
  google::rpc::Status rpc;
  ASSERT_TRUE(rpc.ParseFromString(status.error_details()));
  ASSERT_EQ(rpc.details_size(), 1);
  google::rpc::PreconditionFailure failure;
  ASSERT_TRUE(rpc.details(0).UnpackTo(&failure));
  EXPECT_EQ(failure.violations(0).type(), "ETAG");
  EXPECT_EQ(failure.violations(0).subject(), created.name());

  // With the right etag and a request id, delete is idempotent.
  del.set_etag(created.etag());
  del.set_request_id("delete-est-1");
  EXPECT_TRUE(
      legislation_stub_->DeleteLegislation(Context().get(), del, &empty).ok());
  EXPECT_TRUE(
      legislation_stub_->DeleteLegislation(Context().get(), del, &empty).ok());
  lv1::GetLegislationRequest get;
  get.set_name(created.name());
  lv1::Legislation read;
  EXPECT_EQ(legislation_stub_->GetLegislation(Context().get(), get, &read)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(GatewayIntegrationTest, SigtermStopsBothCleanly) {
  EXPECT_EQ(gateway_->Terminate(), 0);
  EXPECT_EQ(legislation_->Terminate(), 0);
}

}  // namespace
}  // namespace palermo

namespace palermo {
namespace {

// A TCP port that accepts connections (through the kernel's backlog) but
// never answers: a backend that hangs.
class SilentBackend {
 public:
  SilentBackend() {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address));
    listen(fd_, 16);
    socklen_t size = sizeof(address);
    getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &size);
    port_ = ntohs(address.sin_port);
  }
  ~SilentBackend() { close(fd_); }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }

 private:
  int fd_;
  int port_;
};

gv1::CountryProfile Profile(gv1::GatewayService::Stub& stub,
                            absl::Duration client_deadline,
                            grpc::Status* status) {
  gv1::GetCountryProfileRequest request;
  request.set_name("countries/EST");
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + client_deadline));
  gv1::CountryProfile profile;
  *status = stub.GetCountryProfile(&context, request, &profile);
  return profile;
}

TEST(GatewayDeadlineTest, OutgoingCallsHaveTheGatewaysOwnBound) {
  SilentBackend backend;
  auto gateway = ServiceProcess::Start(
      PALERMO_GATEWAY_SERVER,
      {"--legislation_address=" + backend.address(),
       "--enforcement_address=" + backend.address(),
       "--assistance_address=" + backend.address(), "--outgoing_timeout=1s"});
  ASSERT_TRUE(gateway.ok()) << gateway.status();
  auto stub = gv1::GatewayService::NewStub((*gateway)->Channel());

  grpc::Status status;
  // A caller with a generous deadline gets the gateway's own 1 s bound: the
  // answer comes from the gateway, well before the caller's deadline.
  const absl::Time start = absl::Now();
  Profile(*stub, absl::Seconds(30), &status);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_LT(absl::Now() - start, absl::Seconds(20));
}

}  // namespace
}  // namespace palermo
