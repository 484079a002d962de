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

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "palermo/assistance/v1/assistance.grpc.pb.h"
#include "palermo/coordination/v1/coordination.grpc.pb.h"
#include "palermo/enforcement/v1/enforcement.grpc.pb.h"
#include "palermo/gateway/v1/gateway.grpc.pb.h"
#include "palermo/legislation/v1/legislation.grpc.pb.h"
#include "palermo/reporting/v1/reporting.grpc.pb.h"
#include "services/common/limits.h"
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
using ::testing::HasSubstr;
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

TEST_F(GatewayIntegrationTest, ADeadBackendIsNamedNotAFailedProfile) {
  legislation_->Kill();
  gv1::GetCountryProfileRequest request;
  request.set_name("countries/EST");
  gv1::CountryProfile profile;
  grpc::Status status =
      gateway_stub_->GetCountryProfile(Context().get(), request, &profile);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(profile.entity().display_name(), "Estonia");
  ASSERT_EQ(profile.omitted_sections_size(), 1);
  EXPECT_EQ(profile.omitted_sections(0).section(),
            gv1::PROFILE_SECTION_LEGISLATION);
  EXPECT_EQ(profile.omitted_sections(0).code(), grpc::StatusCode::UNAVAILABLE);
}

// Writes cycle `id` and a response of each of `entities` through the
// gateway, to the real reporting service.
void RecordResponses(std::shared_ptr<grpc::Channel> gateway,
                     const std::string& id,
                     const std::vector<std::string>& entities) {
  namespace rv1 = reporting::v1;
  auto reporting = rv1::ReportingService::NewStub(gateway);
  rv1::CreateCycleRequest cycle;
  cycle.set_cycle_id(id);
  cycle.mutable_cycle()->mutable_mandate()->set_resolution_symbol("2006/27");
  auto* title = cycle.mutable_cycle()->mutable_mandate()->add_title();
  title->set_language("en");
  title->set_text("Strengthening international cooperation");
  auto* date = cycle.mutable_cycle()->mutable_note_verbale_date();
  date->set_year(2007);
  date->set_precision(common::v1::DATE_PRECISION_YEAR);
  cycle.mutable_cycle()->set_status(rv1::CYCLE_STATUS_OPEN);
  rv1::Cycle created;
  grpc::Status status = reporting->CreateCycle(Context().get(), cycle, &created);
  ASSERT_TRUE(status.ok()) << status.error_message();
  for (const std::string& entity : entities) {
    rv1::CreateResponseRequest r;
    r.set_parent(created.name());
    r.mutable_response()->set_entity(entity);
    rv1::Response response;
    status = reporting->CreateResponse(Context().get(), r, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
}

TEST_F(GatewayIntegrationTest, AProfileHoldsTheEntitysResponsesOfEveryCycle) {
  RecordResponses(gateway_->Channel(), "ccpcj-17",
                  {"countries/EST", "countries/LVA"});
  RecordResponses(gateway_->Channel(), "ccpcj-18", {"countries/EST"});
  gv1::GetCountryProfileRequest request;
  request.set_name("countries/EST");
  gv1::CountryProfile profile;
  grpc::Status status =
      gateway_stub_->GetCountryProfile(Context().get(), request, &profile);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(profile.omitted_sections_size(), 0);
  ASSERT_EQ(profile.responses_size(), 2);
  EXPECT_EQ(profile.responses(0).name(), "cycles/ccpcj-17/responses/EST");
  EXPECT_EQ(profile.responses(1).name(), "cycles/ccpcj-18/responses/EST");
}

TEST_F(GatewayIntegrationTest, ADeadReportingServiceOmitsOnlyTheResponses) {
  ASSERT_TRUE(legislation_stub_
                  ->CreateLegislation(Context().get(), CreateEstonia(),
                                      std::make_unique<lv1::Legislation>().get())
                  .ok());
  suite_->reporting->Kill();
  gv1::GetCountryProfileRequest request;
  request.set_name("countries/EST");
  gv1::CountryProfile profile;
  grpc::Status status =
      gateway_stub_->GetCountryProfile(Context().get(), request, &profile);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_TRUE(profile.has_legislation());
  EXPECT_TRUE(profile.has_coordination());
  EXPECT_EQ(profile.responses_size(), 0);
  ASSERT_EQ(profile.omitted_sections_size(), 1);
  EXPECT_EQ(profile.omitted_sections(0).section(),
            gv1::PROFILE_SECTION_RESPONSES);
  EXPECT_EQ(profile.omitted_sections(0).code(), grpc::StatusCode::UNAVAILABLE);
}

TEST_F(GatewayIntegrationTest, ForwardsReportingMethodsWithTheirStatus) {
  RecordResponses(gateway_->Channel(), "ccpcj-17", {"organizations/LAS"});
  RecordResponses(gateway_->Channel(), "ccpcj-18", {"countries/EST"});
  auto reporting = reporting::v1::ReportingService::NewStub(gateway_->Channel());
  reporting::v1::ListResponsesRequest list;
  list.set_parent("cycles/ccpcj-17");
  reporting::v1::ListResponsesResponse page;
  grpc::Status status = reporting->ListResponses(Context().get(), list, &page);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(page.responses_size(), 1);
  EXPECT_EQ(page.responses(0).entity(), "organizations/LAS");
  // The backend's error comes back whole.
  reporting::v1::Cycle cycle;
  reporting::v1::GetCycleRequest get;
  get.set_name("cycles/ccpcj-99");
  status = reporting->GetCycle(Context().get(), get, &cycle);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(status.error_message(), HasSubstr("cycles/ccpcj-99"));
  suite_->reporting->Kill();
  status = reporting->ListResponses(Context().get(), list, &page);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
}

TEST_F(GatewayIntegrationTest, ASectionLargerThanAProfileIsNamedNotServed) {
  namespace av1 = assistance::v1;
  auto assistance = av1::AssistanceService::NewStub(gateway_->Channel());
  // 250 measures with 9,000 bytes of notes each: more than a profile holds.
  for (int i = 0; i < 250; ++i) {
    av1::CreateMeasureRequest request;
    request.set_parent("countries/EST");
    request.set_measure_id(absl::StrCat("measure-", i));
    av1::Measure* measure = request.mutable_measure();
    measure->set_measure_type("SHELTER");
    measure->set_notes(std::string(9000, 'n'));
    auto* source = measure->add_sources();
    source->set_document_symbol("E/CN.15/2008/6");
    source->set_paragraph(61);
    av1::Measure created;
    grpc::Status status =
        assistance->CreateMeasure(Context().get(), request, &created);
    ASSERT_TRUE(status.ok()) << i << ": " << status.error_message();
  }
  gv1::GetCountryProfileRequest request;
  request.set_name("countries/EST");
  gv1::CountryProfile profile;
  grpc::Status status =
      gateway_stub_->GetCountryProfile(Context().get(), request, &profile);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_LE(profile.ByteSizeLong(), kMaxResponseBytes);
  EXPECT_EQ(profile.assistance_measures_size(), 0);
  ASSERT_EQ(profile.omitted_sections_size(), 1);
  EXPECT_EQ(profile.omitted_sections(0).section(),
            gv1::PROFILE_SECTION_ASSISTANCE);
  EXPECT_EQ(profile.omitted_sections(0).code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_THAT(profile.omitted_sections(0).message(),
              HasSubstr("AssistanceService.ListMeasures"));
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
                               "palermo.reporting.v1.ReportingService",
                               "grpc.health.v1.Health"});
  ExpectReflection(*legislation_, {"palermo.legislation.v1.LegislationService",
                                   "grpc.health.v1.Health"});
  ExpectReflection(
      *suite_->coordination,
      {"palermo.coordination.v1.CoordinationService", "grpc.health.v1.Health"});
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
       "--assistance_address=" + backend.address(),
       "--coordination_address=" + backend.address(),
       "--reporting_address=" + backend.address(), "--outgoing_timeout=1s"});
  ASSERT_TRUE(gateway.ok()) << gateway.status();
  auto stub = gv1::GatewayService::NewStub((*gateway)->Channel());

  grpc::Status status;
  // A caller with a generous deadline gets the gateway's own 1 s bound: the
  // answer comes from the gateway, well before the caller's deadline, with
  // every section named as too slow.
  const absl::Time start = absl::Now();
  gv1::CountryProfile profile = Profile(*stub, absl::Seconds(30), &status);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_LT(absl::Now() - start, absl::Seconds(20));
  EXPECT_EQ(profile.entity().display_name(), "Estonia");
  ASSERT_EQ(profile.omitted_sections_size(), 5);
  for (const auto& omitted : profile.omitted_sections()) {
    EXPECT_EQ(omitted.code(), grpc::StatusCode::DEADLINE_EXCEEDED)
        << omitted.message();
  }
}

// The whole suite with the reference dataset: a backend killed and
// restarted on its port.
class GatewayDegradationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto suite = palermo::test::Suite::Start(MakeTempDir());
    ASSERT_TRUE(suite.ok()) << suite.status();
    suite_ = *std::move(suite);
    auto loaded = palermo::test::RunCommand(
        PALERMO_LOAD, {"--target=" + suite_->gateway->address(),
                       "--reference_dir=" PALERMO_SOURCE_DIR "/data",
                            palermo::test::LoaderTokenFlag()});
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    ASSERT_EQ(loaded->exit_code, 0) << loaded->errors;
    stub_ = gv1::GatewayService::NewStub(suite_->gateway->Channel());
  }

  // Entities with a record in every section of the reference dataset.
  const std::vector<std::string> kEntities = {"countries/ROU", "countries/HRV",
                                              "countries/PHL"};

  gv1::CountryProfile Get(const std::string& name) {
    gv1::GetCountryProfileRequest request;
    request.set_name(name);
    gv1::CountryProfile profile;
    grpc::Status status =
        stub_->GetCountryProfile(Context().get(), request, &profile);
    EXPECT_TRUE(status.ok()) << name << ": " << status.error_message();
    return profile;
  }

  // Every section but `missing` is there, with records; `missing` (unless
  // UNSPECIFIED) is absent and named as UNAVAILABLE.
  void ExpectSections(const gv1::CountryProfile& profile,
                      gv1::ProfileSection missing) {
    SCOPED_TRACE(profile.name());
    const auto present = [&](gv1::ProfileSection s) { return s != missing; };
    EXPECT_EQ(profile.has_legislation(),
              present(gv1::PROFILE_SECTION_LEGISLATION));
    EXPECT_EQ(profile.enforcement().series_size() > 0,
              present(gv1::PROFILE_SECTION_ENFORCEMENT));
    EXPECT_EQ(profile.assistance_measures_size() > 0,
              present(gv1::PROFILE_SECTION_ASSISTANCE));
    EXPECT_EQ(profile.coordination().entity() == profile.name(),
              present(gv1::PROFILE_SECTION_COORDINATION));
    if (missing == gv1::PROFILE_SECTION_UNSPECIFIED) {
      EXPECT_EQ(profile.omitted_sections_size(), 0);
      return;
    }
    ASSERT_EQ(profile.omitted_sections_size(), 1);
    EXPECT_EQ(profile.omitted_sections(0).section(), missing);
    EXPECT_EQ(profile.omitted_sections(0).code(),
              grpc::StatusCode::UNAVAILABLE);
    EXPECT_FALSE(profile.omitted_sections(0).message().empty());
  }

  // Polls with real profile requests until every entity's is complete.
  bool WaitComplete(absl::Duration bound) {
    const absl::Time deadline = absl::Now() + bound;
    while (absl::Now() < deadline) {
      bool complete = true;
      for (const std::string& name : kEntities) {
        complete = complete && Get(name).omitted_sections_size() == 0;
      }
      if (complete) return true;
    }
    return false;
  }

  void KillAndRestart(ServiceProcess& backend, gv1::ProfileSection section) {
    for (const std::string& name : kEntities) {
      ExpectSections(Get(name), gv1::PROFILE_SECTION_UNSPECIFIED);
    }
    const int port = backend.port();
    backend.Kill();
    for (const std::string& name : kEntities) {
      ExpectSections(Get(name), section);
    }
    ASSERT_TRUE(backend.Restart().ok());
    ASSERT_EQ(backend.port(), port);
    ASSERT_TRUE(WaitComplete(absl::Seconds(10)));
    for (const std::string& name : kEntities) {
      ExpectSections(Get(name), gv1::PROFILE_SECTION_UNSPECIFIED);
    }
  }

  std::unique_ptr<palermo::test::Suite> suite_;
  std::unique_ptr<gv1::GatewayService::Stub> stub_;
};

TEST_F(GatewayDegradationTest, ADeadCoordinationServiceIsNamedUntilItIsBack) {
  KillAndRestart(*suite_->coordination, gv1::PROFILE_SECTION_COORDINATION);
}

// A failing assistance service must not look like an entity without
// measures: the section is named.
TEST_F(GatewayDegradationTest, ADeadAssistanceServiceIsNamedUntilItIsBack) {
  KillAndRestart(*suite_->assistance, gv1::PROFILE_SECTION_ASSISTANCE);
}

// Requests that are wrong in form, on every service, straight and through
// the gateway: the suite is started once for all of them.
class BadRequestTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto suite = palermo::test::Suite::Start(
        palermo::test::MakeSuiteDir("bad-requests"));
    ASSERT_TRUE(suite.ok()) << suite.status();
    suite_ = suite->release();
  }
  static void TearDownTestSuite() { delete suite_; }

  struct Case {
    ServiceProcess* process;
    std::string method;
    std::string request;  // serialized
    std::string field;    // the field an error must name, if any
  };

  static grpc::Status Call(const Case& c) {
    return palermo::test::RawUnaryCall(*c.process->Channel(), c.method,
                                       c.request);
  }

  static palermo::test::Suite* suite_;
};
palermo::test::Suite* BadRequestTest::suite_ = nullptr;

// Field 1 of every request below is a string; 0xFF is never UTF-8.
const std::string kNotUtf8("\x0a\x02\xff\xff", 4);

TEST_F(BadRequestTest, ARequestThatDoesNotParseIsInvalidArgument) {
  ServiceProcess* gateway = suite_->gateway.get();
  const std::vector<std::pair<ServiceProcess*, std::string>> methods = {
      {suite_->legislation.get(),
       "palermo.legislation.v1.LegislationService/GetLegislation"},
      {suite_->enforcement.get(),
       "palermo.enforcement.v1.EnforcementService/GetObservation"},
      {suite_->enforcement.get(),
       "palermo.enforcement.v1.EnforcementService/ExportSdmxCsv"},
      {suite_->assistance.get(),
       "palermo.assistance.v1.AssistanceService/GetMeasure"},
      {suite_->coordination.get(),
       "palermo.coordination.v1.CoordinationService/GetCoordinationBody"},
      {gateway, "palermo.legislation.v1.LegislationService/GetLegislation"},
      {gateway, "palermo.enforcement.v1.EnforcementService/GetObservation"},
      {gateway, "palermo.enforcement.v1.EnforcementService/ExportSdmxCsv"},
      {gateway, "palermo.assistance.v1.AssistanceService/GetMeasure"},
      {gateway,
       "palermo.coordination.v1.CoordinationService/GetCoordinationBody"},
      {gateway, "palermo.gateway.v1.GatewayService/GetCountryProfile"},
  };
  for (const auto& [process, method] : methods) {
    const std::string request_type =
        google::protobuf::DescriptorPool::generated_pool()
            ->FindMethodByName(absl::StrReplaceAll(method, {{"/", "."}}))
            ->input_type()
            ->full_name();
    grpc::Status status = palermo::test::RawUnaryCall(*process->Channel(),
                                                      "/" + method, kNotUtf8);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << method << " on port " << process->port() << ": "
        << status.error_message();
    EXPECT_THAT(status.error_message(),
                HasSubstr("does not parse as " + request_type))
        << method;
  }
}

TEST_F(BadRequestTest, AMethodThatDoesNotExistIsUnimplemented) {
  for (ServiceProcess* process :
       {suite_->legislation.get(), suite_->enforcement.get(),
        suite_->assistance.get(), suite_->coordination.get(),
        suite_->gateway.get()}) {
    for (const char* method :
         {"/palermo.legislation.v1.LegislationService/NoSuchMethod",
          "/palermo.nosuch.v1.NoSuchService/Get"}) {
      grpc::Status status =
          palermo::test::RawUnaryCall(*process->Channel(), method, kNotUtf8);
      EXPECT_EQ(status.error_code(), grpc::StatusCode::UNIMPLEMENTED)
          << method << " on port " << process->port();
    }
  }
}

TEST_F(BadRequestTest, AMalformedNameIsInvalidArgumentNamingTheField) {
  namespace av1 = assistance::v1;
  namespace cv1 = coordination::v1;
  namespace ev1 = enforcement::v1;
  const std::string bad = "countries/EST/no/such/name";
  ServiceProcess* gateway = suite_->gateway.get();
  auto named = [&](auto message) {
    message.set_name(bad);
    return message.SerializeAsString();
  };
  lv1::UpdateLegislationRequest update_legislation;
  update_legislation.mutable_legislation()->set_name(bad);
  av1::UpdateMeasureRequest update_measure;
  update_measure.mutable_measure()->set_name(bad);
  cv1::UpdateCoordinationBodyRequest update_body;
  update_body.mutable_coordination_body()->set_name(bad);
  cv1::UpdateInterAgencyGroupRequest update_group;
  update_group.mutable_inter_agency_group()->set_name(bad);
  const std::string legislation = "/palermo.legislation.v1.LegislationService/";
  const std::string enforcement = "/palermo.enforcement.v1.EnforcementService/";
  const std::string measures = "/palermo.assistance.v1.AssistanceService/";
  const std::string coordination =
      "/palermo.coordination.v1.CoordinationService/";
  const std::vector<Case> cases_to_try = {
      {gateway, legislation + "GetLegislation",
       named(lv1::GetLegislationRequest()), "name"},
      {gateway, legislation + "UpdateLegislation",
       update_legislation.SerializeAsString(), "legislation.name"},
      {gateway, legislation + "DeleteLegislation",
       named(lv1::DeleteLegislationRequest()), "name"},
      {gateway, legislation + "ListLegislationRevisions",
       named(lv1::ListLegislationRevisionsRequest()), "name"},
      {gateway, enforcement + "GetObservation",
       named(ev1::GetObservationRequest()), "name"},
      {gateway, enforcement + "ListObservationRevisions",
       named(ev1::ListObservationRevisionsRequest()), "name"},
      {gateway, measures + "GetMeasure", named(av1::GetMeasureRequest()),
       "name"},
      {gateway, measures + "UpdateMeasure", update_measure.SerializeAsString(),
       "measure.name"},
      {gateway, measures + "DeleteMeasure", named(av1::DeleteMeasureRequest()),
       "name"},
      {gateway, coordination + "GetCoordinationBody",
       named(cv1::GetCoordinationBodyRequest()), "name"},
      {gateway, coordination + "UpdateCoordinationBody",
       update_body.SerializeAsString(), "coordination_body.name"},
      {gateway, coordination + "DeleteCoordinationBody",
       named(cv1::DeleteCoordinationBodyRequest()), "name"},
      {gateway, coordination + "GetInterAgencyGroup",
       named(cv1::GetInterAgencyGroupRequest()), "name"},
      {gateway, coordination + "UpdateInterAgencyGroup",
       update_group.SerializeAsString(), "inter_agency_group.name"},
      {gateway, coordination + "DeleteInterAgencyGroup",
       named(cv1::DeleteInterAgencyGroupRequest()), "name"},
      {gateway, "/palermo.gateway.v1.GatewayService/GetCountryProfile",
       named(gv1::GetCountryProfileRequest()), "name"},
  };
  for (const Case& c : cases_to_try) {
    grpc::Status status = Call(c);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << c.method << ": " << status.error_message();
    EXPECT_THAT(ViolatedFields(status), Contains(c.field)) << c.method;
  }
}

TEST_F(BadRequestTest, AHugeBadNameGetsAShortErrorOnADefaultChannel) {
  // 5,000 bytes: quoted whole, the error would not fit in the 8 KiB of
  // trailers a default C++ client accepts.
  const std::string huge = "countries/" + std::string(4990, 'X');
  ServiceProcess* gateway = suite_->gateway.get();
  const std::vector<std::pair<std::string, std::string>> calls = {
      {"/palermo.legislation.v1.LegislationService/GetLegislation",
       [&] {
         lv1::GetLegislationRequest r;
         r.set_name(huge + "/legislation");
         return r.SerializeAsString();
       }()},
      {"/palermo.enforcement.v1.EnforcementService/GetObservation",
       [&] {
         enforcement::v1::GetObservationRequest r;
         r.set_name(huge);
         return r.SerializeAsString();
       }()},
      {"/palermo.assistance.v1.AssistanceService/DeleteMeasure",
       [&] {
         assistance::v1::DeleteMeasureRequest r;
         r.set_name(huge + "/measures/shelter");
         return r.SerializeAsString();
       }()},
      {"/palermo.gateway.v1.GatewayService/GetCountryProfile",
       [&] {
         gv1::GetCountryProfileRequest r;
         r.set_name(huge);
         return r.SerializeAsString();
       }()},
  };
  for (const auto& [method, request] : calls) {
    grpc::Status status = palermo::test::RawUnaryCall(
        *gateway->DefaultChannel(), method, request);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << method << ": " << status.error_message();
    EXPECT_LT(status.error_message().size(), 1024u) << method;
    EXPECT_THAT(status.error_message(), HasSubstr("XXX\xE2\x80\xA6("))
        << method << ": " << status.error_message();
    EXPECT_THAT(status.error_message(), HasSubstr(" bytes)")) << method;
  }
}

}  // namespace
}  // namespace palermo
