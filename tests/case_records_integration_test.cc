// Victim case records as real processes: CaseRecordService only on the
// assistance service's own case-records listener, only for a case worker
// (a bearer token of role case_worker, verified by the assistance service
// itself), never on the
// public port, never through the gateway, and not describable by the
// gateway's reflection; health on both listeners.
#include <gmock/gmock.h>
#include <google/protobuf/descriptor.pb.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "grpc/health/v1/health.grpc.pb.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "palermo/assistance/v1/assistance.grpc.pb.h"
#include "palermo/assistance/v1/case_records.grpc.pb.h"
#include "services/common/principal.h"
#include "tests/support/service_process.h"

namespace palermo {
namespace {

namespace av1 = assistance::v1;
namespace refl = grpc::reflection::v1alpha;
using palermo::test::CaseWorkerContext;
using palermo::test::Context;
using palermo::test::MakeTempDir;
using palermo::test::RawUnaryCall;
using palermo::test::ServiceProcess;
using palermo::test::Suite;
using palermo::test::ViolatedFields;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kCaseRecordService[] = "palermo.assistance.v1.CaseRecordService";
constexpr char kCaseRecordsFile[] = "palermo/assistance/v1/case_records.proto";
constexpr char kRefusal[] = "case records need a case worker's token";

av1::CreateCaseRecordRequest NewCase(const std::string& request_id) {
  av1::CreateCaseRecordRequest request;
  request.mutable_case_record()->set_entity("countries/ROU");
  request.mutable_case_record()->set_gender(av1::GENDER_FEMALE);
  request.mutable_case_record()->set_citizenship("MDA");
  request.set_request_id(request_id);
  return request;
}

// Every method of CaseRecordService, called on `channel` with `context()`
// for each call; returns the status codes, in the service's order.
std::vector<grpc::StatusCode> CallEveryMethod(
    grpc::Channel& channel,
    const std::function<std::unique_ptr<grpc::ClientContext>()>& context) {
  auto stub = av1::CaseRecordService::NewStub(
      std::shared_ptr<grpc::Channel>(&channel, [](grpc::Channel*) {}));
  std::vector<grpc::StatusCode> codes;
  av1::CaseRecord record;
  codes.push_back(
      stub->CreateCaseRecord(context().get(), NewCase("every"), &record)
          .error_code());
  av1::GetCaseRecordRequest get;
  get.set_name("cases/1");
  codes.push_back(
      stub->GetCaseRecord(context().get(), get, &record).error_code());
  av1::ListCaseRecordsResponse page;
  codes.push_back(
      stub->ListCaseRecords(context().get(), {}, &page).error_code());
  av1::UpdateCaseRecordRequest update;
  update.mutable_case_record()->set_name("cases/1");
  update.mutable_update_mask()->add_paths("gender");
  codes.push_back(
      stub->UpdateCaseRecord(context().get(), update, &record).error_code());
  av1::DeleteCaseRecordRequest del;
  del.set_name("cases/1");
  google::protobuf::Empty empty;
  codes.push_back(
      stub->DeleteCaseRecord(context().get(), del, &empty).error_code());
  av1::CaseRelease release;
  codes.push_back(
      stub->CreateCaseRelease(context().get(), {}, &release).error_code());
  return codes;
}

std::vector<grpc::StatusCode> Six(grpc::StatusCode code) {
  return std::vector<grpc::StatusCode>(6, code);
}

// A context with `authorization` set to `value`.
std::unique_ptr<grpc::ClientContext> Authorized(const std::string& value) {
  auto context = Context();
  context->AddMetadata("authorization", value);
  return context;
}

// The health service's answer for `service` on `channel`.
grpc::health::v1::HealthCheckResponse::ServingStatus Health(
    grpc::Channel& channel, const std::string& service,
    grpc::StatusCode* code) {
  auto health = grpc::health::v1::Health::NewStub(
      std::shared_ptr<grpc::Channel>(&channel, [](grpc::Channel*) {}));
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(service);
  grpc::health::v1::HealthCheckResponse response;
  *code = health->Check(Context().get(), request, &response).error_code();
  return response.status();
}

class CaseRecordsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto suite = Suite::Start(palermo::test::MakeSuiteDir("case-records"));
    ASSERT_TRUE(suite.ok()) << suite.status();
    suite_ = suite->release();
  }
  static void TearDownTestSuite() { delete suite_; }

  // How many records a case worker lists.
  static int CountCases() {
    auto stub = av1::CaseRecordService::NewStub(
        suite_->assistance->CaseRecordsChannel());
    av1::ListCaseRecordsRequest request;
    request.set_page_size(1000);
    av1::ListCaseRecordsResponse page;
    grpc::Status status =
        stub->ListCaseRecords(CaseWorkerContext().get(), request, &page);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return page.case_records_size();
  }

  static Suite* suite_;
};
Suite* CaseRecordsTest::suite_ = nullptr;

TEST_F(CaseRecordsTest, ACaseWorkerRecordsAndReadsOnTheCaseListener) {
  auto cases =
      av1::CaseRecordService::NewStub(suite_->assistance->CaseRecordsChannel());
  EXPECT_NE(suite_->assistance->ports().at(1), suite_->assistance->port());
  av1::CaseRecord created;
  ASSERT_TRUE(cases
                  ->CreateCaseRecord(CaseWorkerContext().get(),
                                     NewCase("worker-1"), &created)
                  .ok());
  av1::GetCaseRecordRequest get;
  get.set_name(created.name());
  av1::CaseRecord read;
  ASSERT_TRUE(cases->GetCaseRecord(CaseWorkerContext().get(), get, &read).ok());
  EXPECT_EQ(read.citizenship(), "MDA");
}

TEST_F(CaseRecordsTest, NotOnThePublicPortEvenForACaseWorker) {
  EXPECT_EQ(CallEveryMethod(*suite_->assistance->Channel(), CaseWorkerContext),
            Six(grpc::StatusCode::UNIMPLEMENTED));
  // Nor the public service on the case listener.
  auto public_on_cases =
      av1::AssistanceService::NewStub(suite_->assistance->CaseRecordsChannel());
  av1::ListMeasureTypesResponse types;
  EXPECT_EQ(public_on_cases->ListMeasureTypes(Context().get(), {}, &types)
                .error_code(),
            grpc::StatusCode::UNIMPLEMENTED);
}

TEST_F(CaseRecordsTest, NotThroughTheGatewayEvenForACaseWorker) {
  const int before = CountCases();
  EXPECT_EQ(CallEveryMethod(*suite_->gateway->Channel(), CaseWorkerContext),
            Six(grpc::StatusCode::UNIMPLEMENTED));
  EXPECT_EQ(CountCases(), before);
}

TEST_F(CaseRecordsTest,
       ACallWithoutTheCaseWorkersTokenIsRefusedAndWritesNothing) {
  const int before = CountCases();
  const std::string guess = "Bearer guessed-secret-4711";
  for (const std::function<std::unique_ptr<grpc::ClientContext>()>& context :
       std::vector<std::function<std::unique_ptr<grpc::ClientContext>()>>{
           [] { return Context(); }, [&] { return Authorized(guess); }}) {
    EXPECT_EQ(
        CallEveryMethod(*suite_->assistance->CaseRecordsChannel(), context),
        Six(grpc::StatusCode::UNAUTHENTICATED));
  }
  // Valid tokens of every other role, an administrator's included.
  for (Role role : {Role::kReader, Role::kAnalyst, Role::kAdministrator}) {
    const std::string token =
        "Bearer " + palermo::test::TestToken(Principal{"other", role, ""});
    EXPECT_EQ(CallEveryMethod(*suite_->assistance->CaseRecordsChannel(),
                              [&] { return Authorized(token); }),
              Six(grpc::StatusCode::PERMISSION_DENIED))
        << RoleName(role);
  }
  auto cases =
      av1::CaseRecordService::NewStub(suite_->assistance->CaseRecordsChannel());
  av1::CaseRecord record;
  grpc::Status refused = cases->CreateCaseRecord(Authorized(guess).get(),
                                                 NewCase("guess"), &record);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(refused.error_message(), Not(HasSubstr("guessed-secret")));
  EXPECT_EQ(CountCases(), before);
  // No release was cut either: the public aggregates have none.
  auto stub = av1::AssistanceService::NewStub(suite_->gateway->Channel());
  av1::AggregateCasesRequest aggregate;
  aggregate.add_group_by(av1::CASE_DIMENSION_GENDER);
  av1::AggregateCasesResponse table;
  ASSERT_TRUE(stub->AggregateCases(Context().get(), aggregate, &table).ok());
  EXPECT_EQ(table.release(), 0);
}

TEST_F(CaseRecordsTest, AMalformedRequestFromACaseWorkerNamesTheField) {
  auto channel = suite_->assistance->CaseRecordsChannel();
  auto cases = av1::CaseRecordService::NewStub(channel);
  const std::string bad = "countries/EST/no/such/name";
  av1::CaseRecord record;
  av1::GetCaseRecordRequest get;
  get.set_name(bad);
  grpc::Status status =
      cases->GetCaseRecord(CaseWorkerContext().get(), get, &record);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(status), Contains("name"));
  av1::UpdateCaseRecordRequest update;
  update.mutable_case_record()->set_name(bad);
  status = cases->UpdateCaseRecord(CaseWorkerContext().get(), update, &record);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(status), Contains("case_record.name"));
  av1::DeleteCaseRecordRequest del;
  del.set_name(bad);
  google::protobuf::Empty empty;
  status = cases->DeleteCaseRecord(CaseWorkerContext().get(), del, &empty);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(status), Contains("name"));
  // A request that does not parse: INVALID_ARGUMENT, as on every port.
  status = RawUnaryCall(
      *channel, std::string("/") + kCaseRecordService + "/GetCaseRecord",
      std::string("\x0a\x02\xff\xff", 4));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(),
              HasSubstr("does not parse as "
                        "palermo.assistance.v1.GetCaseRecordRequest"));
}

TEST_F(CaseRecordsTest, HealthOnBothListenersEachForItsOwnServices) {
  using Status = grpc::health::v1::HealthCheckResponse;
  grpc::StatusCode code;
  auto public_port = suite_->assistance->Channel();
  auto case_port = suite_->assistance->CaseRecordsChannel();
  EXPECT_EQ(Health(*public_port, "", &code), Status::SERVING);
  EXPECT_EQ(
      Health(*public_port, "palermo.assistance.v1.AssistanceService", &code),
      Status::SERVING);
  EXPECT_EQ(code, grpc::StatusCode::OK);
  EXPECT_EQ(Health(*case_port, "", &code), Status::SERVING);
  EXPECT_EQ(Health(*case_port, kCaseRecordService, &code), Status::SERVING);
  EXPECT_EQ(code, grpc::StatusCode::OK);
  // Neither listener answers for the other's service.
  Health(*public_port, kCaseRecordService, &code);
  EXPECT_EQ(code, grpc::StatusCode::NOT_FOUND);
  Health(*case_port, "palermo.assistance.v1.AssistanceService", &code);
  EXPECT_EQ(code, grpc::StatusCode::NOT_FOUND);
}

// What buf curl and grpcurl ask the gateway: it describes AssistanceService,
// whose file does not import case_records.proto, and neither lists nor
// describes CaseRecordService, its messages or its file.
TEST_F(CaseRecordsTest, TheGatewaysReflectionCannotDescribeCaseRecords) {
  auto reflection = refl::ServerReflection::NewStub(suite_->gateway->Channel());
  auto context = Context();
  auto stream = reflection->ServerReflectionInfo(context.get());
  refl::ServerReflectionResponse response;

  refl::ServerReflectionRequest list;
  list.set_list_services("");
  ASSERT_TRUE(stream->Write(list));
  ASSERT_TRUE(stream->Read(&response));
  std::vector<std::string> services;
  for (const auto& s : response.list_services_response().service()) {
    services.push_back(s.name());
  }
  EXPECT_THAT(services, Contains("palermo.assistance.v1.AssistanceService"));
  EXPECT_THAT(services, Not(Contains(kCaseRecordService)));

  refl::ServerReflectionRequest describe;
  describe.set_file_containing_symbol(
      "palermo.assistance.v1.AssistanceService");
  ASSERT_TRUE(stream->Write(describe));
  ASSERT_TRUE(stream->Read(&response));
  ASSERT_TRUE(response.has_file_descriptor_response())
      << response.error_response().error_message();
  std::vector<std::string> files;
  for (const auto& bytes :
       response.file_descriptor_response().file_descriptor_proto()) {
    google::protobuf::FileDescriptorProto file;
    ASSERT_TRUE(file.ParseFromString(bytes));
    files.push_back(file.name());
    EXPECT_THAT(file.dependency(), Not(Contains(kCaseRecordsFile)))
        << file.name();
  }
  EXPECT_THAT(files, Contains("palermo/assistance/v1/assistance.proto"));
  EXPECT_THAT(files, Not(Contains(kCaseRecordsFile)));

  std::vector<refl::ServerReflectionRequest> undescribable(4);
  undescribable[0].set_file_containing_symbol(kCaseRecordService);
  undescribable[1].set_file_containing_symbol(
      "palermo.assistance.v1.CaseRecord");
  undescribable[2].set_file_containing_symbol(
      "palermo.assistance.v1.CaseRecordService.GetCaseRecord");
  undescribable[3].set_file_by_filename(kCaseRecordsFile);
  for (const auto& request : undescribable) {
    ASSERT_TRUE(stream->Write(request));
    ASSERT_TRUE(stream->Read(&response));
    EXPECT_FALSE(response.has_file_descriptor_response())
        << request.DebugString();
    EXPECT_EQ(response.error_response().error_code(),
              static_cast<int>(grpc::StatusCode::NOT_FOUND))
        << request.DebugString();
  }
  stream->WritesDone();
  EXPECT_TRUE(stream->Finish().ok());
}

// Without a key to verify tokens (--jwt_public_key_files empty) the listener
// refuses everyone, a case worker too, and writes nothing: the same data
// directory served again with the key holds no record.
TEST(CaseRecordsRefusingTest, WithoutATokenKeyEveryCallIsRefused) {
  const std::string dir = MakeTempDir();
  auto closed = ServiceProcess::Start(
      PALERMO_ASSISTANCE_SERVER,
      {"--data_dir=" + dir, "--jwt_public_key_files="});
  ASSERT_TRUE(closed.ok()) << closed.status();
  EXPECT_EQ(
      CallEveryMethod(*(*closed)->CaseRecordsChannel(), CaseWorkerContext),
      Six(grpc::StatusCode::UNAUTHENTICATED));
  auto cases = av1::CaseRecordService::NewStub((*closed)->CaseRecordsChannel());
  av1::CaseRecord record;
  grpc::Status refused = cases->CreateCaseRecord(CaseWorkerContext().get(),
                                                 NewCase("closed"), &record);
  EXPECT_EQ(refused.error_message(), kRefusal);
  cases.reset();
  ASSERT_EQ((*closed)->Terminate(), 0);

  auto open =
      ServiceProcess::Start(PALERMO_ASSISTANCE_SERVER, {"--data_dir=" + dir});
  ASSERT_TRUE(open.ok()) << open.status();
  cases = av1::CaseRecordService::NewStub((*open)->CaseRecordsChannel());
  av1::ListCaseRecordsResponse page;
  ASSERT_TRUE(
      cases->ListCaseRecords(CaseWorkerContext().get(), {}, &page).ok());
  EXPECT_EQ(page.case_records_size(), 0);
}

TEST(CaseRecordsRefusingTest, AMissingTokenKeyFileStopsTheStart) {
  const std::string dir = MakeTempDir();
  auto started = ServiceProcess::Start(
      PALERMO_ASSISTANCE_SERVER,
      {"--data_dir=" + dir, "--jwt_public_key_files=" + dir + "/none.pub"});
  EXPECT_FALSE(started.ok());
}

}  // namespace
}  // namespace palermo
