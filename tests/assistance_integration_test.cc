// The victim assistance service as real processes: the report's lists and
// measures through the gateway, no case record ever public, validation,
// persistence after restart.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "palermo/assistance/v1/assistance.grpc.pb.h"
#include "palermo/gateway/v1/gateway.grpc.pb.h"
#include "tests/support/service_process.h"

namespace palermo {
namespace {

namespace av1 = assistance::v1;
using palermo::test::Context;
using palermo::test::MakeTempDir;
using palermo::test::RunCommand;
using palermo::test::ServiceProcess;
using palermo::test::Suite;
using palermo::test::ViolatedFields;
using ::testing::ElementsAre;
using ::testing::UnorderedElementsAreArray;

using Codes = std::vector<std::string>;

class AssistanceReferenceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto suite = Suite::Start(palermo::test::MakeSuiteDir("assistance"));
    ASSERT_TRUE(suite.ok()) << suite.status();
    suite_ = suite->release();
    auto load = RunCommand(PALERMO_LOAD,
                           {"--target=" + suite_->gateway->address(),
                            "--reference_dir=" PALERMO_SOURCE_DIR "/data"});
    ASSERT_TRUE(load.ok());
    ASSERT_EQ(load->exit_code, 0) << load->output;
  }
  static void TearDownTestSuite() { delete suite_; }

  // Alpha-3 codes of the entities with a measure matching `filter`.
  static Codes Providing(const std::string& filter) {
    auto stub = av1::AssistanceService::NewStub(suite_->gateway->Channel());
    av1::ListMeasuresRequest request;
    request.set_parent("-");
    request.set_filter(filter);
    request.set_page_size(20);
    std::set<std::string> codes;
    do {
      av1::ListMeasuresResponse response;
      grpc::Status status =
          stub->ListMeasures(Context().get(), request, &response);
      EXPECT_TRUE(status.ok()) << status.error_message();
      if (!status.ok()) break;
      for (const auto& m : response.measures())
        codes.insert(m.name().substr(10, 3));
      request.set_page_token(response.next_page_token());
    } while (!request.page_token().empty());
    return Codes(codes.begin(), codes.end());
  }

  static gateway::v1::CountryProfile Profile(const std::string& name) {
    auto stub =
        gateway::v1::GatewayService::NewStub(suite_->gateway->Channel());
    gateway::v1::GetCountryProfileRequest request;
    request.set_name(name);
    gateway::v1::CountryProfile profile;
    EXPECT_TRUE(
        stub->GetCountryProfile(Context().get(), request, &profile).ok());
    return profile;
  }

  static Suite* suite_;
};
Suite* AssistanceReferenceTest::suite_ = nullptr;

TEST_F(AssistanceReferenceTest, Paragraph61SheltersAsTheReportListsThem) {
  EXPECT_THAT(Providing("measure_type = \"SHELTER\""),
              UnorderedElementsAreArray(
                  Codes{"BLR", "BGR", "HRV", "SLV", "EST", "JPN", "MUS", "MMR",
                        "NER", "NLD", "PHL", "POL", "QAT", "CZE", "ROU"}));
}

TEST_F(AssistanceReferenceTest, Paragraph63TemporaryVisasAsTheReportListsThem) {
  EXPECT_THAT(
      Providing("measure_type = \"TEMPORARY_RESIDENCE\""),
      UnorderedElementsAreArray(Codes{"BGR", "HRV", "HUN", "LVA", "POL"}));
}

TEST_F(AssistanceReferenceTest, Paragraph64RepatriationAsTheReportListsThem) {
  EXPECT_THAT(
      Providing("measure_type = \"REPATRIATION\""),
      UnorderedElementsAreArray(Codes{"BLR", "HRV", "SLV", "EST", "JPN", "LVA",
                                      "MMR", "NER", "PHL", "ROU"}));
}

TEST_F(AssistanceReferenceTest, ProfilesShowTheMeasuresWithTheirParagraphs) {
  auto find = [](const gateway::v1::CountryProfile& p,
                 const std::string& type) {
    for (const auto& m : p.assistance_measures()) {
      if (m.measure_type() == type) return m;
    }
    ADD_FAILURE() << p.name() << " has no " << type;
    return av1::Measure();
  };
  const av1::Measure romania =
      find(Profile("countries/ROU"), "REFLECTION_PERIOD");
  EXPECT_EQ(romania.duration_days(), 90);
  EXPECT_EQ(romania.sources(0).paragraph(), 63);
  const av1::Measure latvia =
      find(Profile("countries/LVA"), "TEMPORARY_RESIDENCE");
  EXPECT_EQ(latvia.min_duration_months(), 6);
  EXPECT_TRUE(latvia.has_conditional_on_cooperation() &&
              latvia.conditional_on_cooperation());
  EXPECT_EQ(latvia.sources(0).paragraph(), 63);
  const gateway::v1::CountryProfile hungary = Profile("countries/HUN");
  EXPECT_EQ(find(hungary, "IDENTITY_CHANGE").sources(0).paragraph(), 64);
  EXPECT_EQ(find(hungary, "RELOCATION").sources(0).paragraph(), 64);
}

TEST(AssistanceCaseTest, NoPublicMethodReturnsACaseRecord) {
  auto suite = Suite::Start(MakeTempDir());
  ASSERT_TRUE(suite.ok()) << suite.status();
  auto cases = av1::CaseRecordService::NewStub((*suite)->assistance->Channel());
  av1::CaseRecord created;
  for (int i = 0; i < 14; ++i) {
    av1::CreateCaseRecordRequest request;
    request.mutable_case_record()->set_entity("countries/ROU");
    request.mutable_case_record()->set_gender(i < 12 ? av1::GENDER_FEMALE
                                                     : av1::GENDER_MALE);
    request.mutable_case_record()->set_citizenship("MDA");
    ASSERT_TRUE(
        cases->CreateCaseRecord(Context().get(), request, &created).ok());
  }
  // The case workers' service is not on the gateway.
  auto through_gateway =
      av1::CaseRecordService::NewStub((*suite)->gateway->Channel());
  av1::GetCaseRecordRequest get;
  get.set_name(created.name());
  av1::CaseRecord leaked;
  EXPECT_EQ(through_gateway->GetCaseRecord(Context().get(), get, &leaked)
                .error_code(),
            grpc::StatusCode::UNIMPLEMENTED);
  auto reflection = grpc::reflection::v1alpha::ServerReflection::NewStub(
      (*suite)->gateway->Channel());
  auto context = Context();
  auto stream = reflection->ServerReflectionInfo(context.get());
  grpc::reflection::v1alpha::ServerReflectionRequest list;
  list.set_list_services("");
  ASSERT_TRUE(stream->Write(list));
  grpc::reflection::v1alpha::ServerReflectionResponse response;
  ASSERT_TRUE(stream->Read(&response));
  for (const auto& s : response.list_services_response().service()) {
    EXPECT_NE(s.name(), "palermo.assistance.v1.CaseRecordService");
  }
  stream->WritesDone();
  stream->Finish().IgnoreError();
  // Aggregates through the gateway: counts only, small cells hidden.
  auto stub = av1::AssistanceService::NewStub((*suite)->gateway->Channel());
  av1::AggregateCasesRequest aggregate;
  aggregate.add_group_by(av1::CASE_DIMENSION_GENDER);
  av1::AggregateCasesResponse table;
  ASSERT_TRUE(stub->AggregateCases(Context().get(), aggregate, &table).ok());
  for (const auto& cell : table.cells()) {
    if (cell.has_count()) EXPECT_TRUE(cell.count() == 0 || cell.count() >= 11);
  }
  EXPECT_EQ(table.cells_size(), 3);  // FEMALE, MALE, total
  // The profile carries measures, never records.
  auto profiles =
      gateway::v1::GatewayService::NewStub((*suite)->gateway->Channel());
  gateway::v1::GetCountryProfileRequest request;
  request.set_name("countries/ROU");
  gateway::v1::CountryProfile profile;
  ASSERT_TRUE(
      profiles->GetCountryProfile(Context().get(), request, &profile).ok());
  EXPECT_EQ(profile.SerializeAsString().find(created.name()),
            std::string::npos);
}

TEST(AssistanceCaseTest, ValidationErrorsAndPersistenceAfterRestart) {
  const std::string dir = MakeTempDir();
  auto server =
      ServiceProcess::Start(PALERMO_ASSISTANCE_SERVER, {"--data_dir=" + dir});
  ASSERT_TRUE(server.ok()) << server.status();
  auto stub = av1::AssistanceService::NewStub((*server)->Channel());
  av1::CreateMeasureRequest request;
  request.set_parent("countries/ROU");
  request.set_measure_id("reflection-period");
  request.mutable_measure()->set_measure_type("REFLECTION_PERIOD");
  request.mutable_measure()->set_duration_days(90);
  av1::Measure out;
  grpc::Status invalid = stub->CreateMeasure(Context().get(), request, &out);
  EXPECT_EQ(invalid.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(invalid), ElementsAre("measure.sources"));
  auto* source = request.mutable_measure()->add_sources();
  source->set_document_symbol("E/CN.15/2008/6");
  source->set_paragraph(63);
  ASSERT_TRUE(stub->CreateMeasure(Context().get(), request, &out).ok());
  auto cases = av1::CaseRecordService::NewStub((*server)->Channel());
  av1::CreateCaseRecordRequest create_case;
  create_case.mutable_case_record()->set_entity("countries/ROU");
  create_case.mutable_case_record()->set_gender(av1::GENDER_FEMALE);
  av1::CaseRecord case_record;
  ASSERT_TRUE(
      cases->CreateCaseRecord(Context().get(), create_case, &case_record).ok());
  stub.reset();
  cases.reset();
  (*server)->Kill();
  auto restarted =
      ServiceProcess::Start(PALERMO_ASSISTANCE_SERVER, {"--data_dir=" + dir});
  ASSERT_TRUE(restarted.ok());
  stub = av1::AssistanceService::NewStub((*restarted)->Channel());
  av1::GetMeasureRequest get;
  get.set_name("countries/ROU/measures/reflection-period");
  av1::Measure read;
  ASSERT_TRUE(stub->GetMeasure(Context().get(), get, &read).ok());
  EXPECT_EQ(read.duration_days(), 90);
  cases = av1::CaseRecordService::NewStub((*restarted)->Channel());
  av1::GetCaseRecordRequest get_case;
  get_case.set_name(case_record.name());
  av1::CaseRecord case_read;
  ASSERT_TRUE(cases->GetCaseRecord(Context().get(), get_case, &case_read).ok());
  EXPECT_EQ(case_read.gender(), av1::GENDER_FEMALE);
  stub.reset();
  cases.reset();
}

}  // namespace
}  // namespace palermo
