// The victim assistance service as real processes: the report's lists and
// measures through the gateway, no case record ever public, case releases
// that withstand differencing, validation, persistence after restart. (Case
// records on their own listener: case_records_integration_test.cc.)
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>
#include <functional>
#include <map>
#include <random>
#include <set>

#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "palermo/assistance/v1/assistance.grpc.pb.h"
#include "palermo/assistance/v1/case_records.grpc.pb.h"
#include "palermo/gateway/v1/gateway.grpc.pb.h"
#include "tests/support/service_process.h"

namespace palermo {
namespace {

namespace av1 = assistance::v1;
using palermo::test::CaseWorkerContext;
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
                            "--reference_dir=" PALERMO_SOURCE_DIR "/data",
                            palermo::test::LoaderTokenFlag()});
    ASSERT_TRUE(load.ok());
    ASSERT_EQ(load->exit_code, 0) << load->errors;
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
  auto cases = av1::CaseRecordService::NewStub(
      (*suite)->assistance->CaseRecordsChannel());
  av1::CaseRecord created;
  for (int i = 0; i < 14; ++i) {
    av1::CreateCaseRecordRequest request;
    request.mutable_case_record()->set_entity("countries/ROU");
    request.mutable_case_record()->set_gender(i < 12 ? av1::GENDER_FEMALE
                                                     : av1::GENDER_MALE);
    request.mutable_case_record()->set_citizenship("MDA");
    ASSERT_TRUE(
        cases->CreateCaseRecord(CaseWorkerContext().get(), request, &created)
            .ok());
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
    if (cell.has_count()) {
      EXPECT_TRUE(cell.count() == 0 || cell.count() >= 11);
    }
  }
  EXPECT_EQ(table.cells_size(), 0);  // no release cut yet
  EXPECT_EQ(table.release(), 0);
  av1::CaseRelease release;
  ASSERT_TRUE(
      cases->CreateCaseRelease(CaseWorkerContext().get(), {}, &release).ok());
  EXPECT_EQ(release.number(), 1);
  ASSERT_TRUE(stub->AggregateCases(Context().get(), aggregate, &table).ok());
  for (const auto& cell : table.cells()) {
    if (cell.has_count()) {
      EXPECT_TRUE(cell.count() == 0 || cell.count() >= 11);
    }
  }
  // Every gender, with cases or not (a value appearing later would tell that
  // a case has it), and the total.
  EXPECT_EQ(table.cells_size(), 6);
  // Cutting a release is for case workers only.
  EXPECT_EQ(through_gateway->CreateCaseRelease(Context().get(), {}, &release)
                .error_code(),
            grpc::StatusCode::UNIMPLEMENTED);
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

// Every public case table, as an attacker would fetch it: canonical cell
// (one value per dimension, "_T" where totalled) -> count, or nullopt when
// suppressed; plus every response as served.
struct Fetched {
  std::map<std::array<std::string, 5>, std::optional<int64_t>> cells;
  std::vector<std::string> responses;
  std::set<int64_t> releases;
};

Fetched FetchEverything(av1::AssistanceService::Stub& stub,
                        const std::vector<std::string>& entities) {
  Fetched out;
  auto fetch = [&](std::vector<int> by, const std::string& entity) {
    av1::AggregateCasesRequest request;
    for (int d : by) request.add_group_by(av1::CaseDimension(d));
    request.set_entity(entity);
    av1::AggregateCasesResponse response;
    grpc::Status status =
        stub.AggregateCases(Context().get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    out.responses.push_back(response.SerializeAsString());
    out.releases.insert(response.release());
    for (const auto& cell : response.cells()) {
      std::array<std::string, 5> key;
      key.fill("_T");
      if (!entity.empty()) key[0] = entity;
      for (size_t n = 0; n < by.size(); ++n) key[by[n] - 1] = cell.keys(n);
      std::optional<int64_t> value;
      if (cell.has_count()) value = cell.count();
      auto [it, added] = out.cells.emplace(key, value);
      // The tables agree wherever they overlap.
      EXPECT_EQ(it->second, value) << "two tables disagree";
    }
  };
  for (int a = 1; a <= 5; ++a) {
    fetch({a}, "");
    for (int b = 1; b <= 5; ++b) {
      if (a != b) fetch({a, b}, "");
    }
    if (a == 1) continue;
    for (const std::string& e : entities) fetch({a}, e);
  }
  return out;
}

// A hostile probe's attack: fetch every table, add one case, fetch again
// after the next release, and look at what moved.
TEST(AssistanceCaseTest, DifferencingTwoReleasesDoesNotRevealANewVictim) {
  auto suite = Suite::Start(MakeTempDir());
  ASSERT_TRUE(suite.ok()) << suite.status();
  auto cases = av1::CaseRecordService::NewStub(
      (*suite)->assistance->CaseRecordsChannel());
  auto stub = av1::AssistanceService::NewStub((*suite)->gateway->Channel());
  const std::vector<std::string> entities = {"countries/ROU", "countries/LVA",
                                             "countries/BGR"};
  const std::vector<std::string> citizenships = {"MDA", "UKR", "ROU", "NGA"};
  const av1::Gender genders[] = {av1::GENDER_FEMALE, av1::GENDER_MALE,
                                 av1::GENDER_UNKNOWN};
  const av1::CaseAgeGroup ages[] = {av1::CASE_AGE_GROUP_ADULT,
                                    av1::CASE_AGE_GROUP_CHILD};
  const av1::ReferralSource sources[] = {av1::REFERRAL_SOURCE_NGO,
                                         av1::REFERRAL_SOURCE_LAW_ENFORCEMENT,
                                         av1::REFERRAL_SOURCE_HOTLINE};
  auto create = [&](int e, int g, int a, int c, int r) {
    av1::CreateCaseRecordRequest request;
    av1::CaseRecord* record = request.mutable_case_record();
    record->set_entity(entities[e]);
    record->set_gender(genders[g]);
    record->set_age_group(ages[a]);
    record->set_citizenship(citizenships[c]);
    record->set_referral_source(sources[r]);
    av1::CaseRecord created;
    grpc::Status status =
        cases->CreateCaseRecord(CaseWorkerContext().get(), request, &created);
    EXPECT_TRUE(status.ok()) << status.error_message();
  };
  std::mt19937 random(20260601);
  auto skewed = [&](int n) { return std::min(random() % n, random() % n); };
  for (int i = 0; i < 300; ++i) {
    create(skewed(3), skewed(3), skewed(2), skewed(3), skewed(3));
  }
  av1::CaseRelease release;
  ASSERT_TRUE(
      cases->CreateCaseRelease(CaseWorkerContext().get(), {}, &release).ok());
  const Fetched before = FetchEverything(*stub, entities);
  EXPECT_EQ(before.releases, std::set<int64_t>{1});

  // The victim: an uncommon combination of five attributes, with a
  // citizenship no case had before.
  create(2, 2, 1, 3, 2);
  // Recorded, not yet released: every table exactly as before.
  EXPECT_EQ(FetchEverything(*stub, entities).responses, before.responses);
  ASSERT_TRUE(
      cases->CreateCaseRelease(CaseWorkerContext().get(), {}, &release).ok());
  EXPECT_EQ(release.number(), 2);
  const Fetched after = FetchEverything(*stub, entities);
  EXPECT_EQ(after.releases, std::set<int64_t>{2});

  // Every cell published in both moved by 0 or at least k.
  int published_in_both = 0;
  for (const auto& [key, now] : after.cells) {
    auto then = before.cells.find(key);
    if (!now || then == before.cells.end() || !then->second) continue;
    ++published_in_both;
    const int64_t moved = *now - *then->second;
    EXPECT_TRUE(moved == 0 || std::llabs(moved) >= 11)
        << key[0] << "," << key[1] << "," << key[2] << "," << key[3] << ","
        << key[4] << " moved by " << moved;
  }
  EXPECT_GT(published_in_both, 0);
  // The attacker's candidates: every combination of values on which no cell
  // published in both releases stayed put. Each attribute keeps at least two
  // possible values.
  using Key = std::array<std::string, 5>;
  auto stayed = [&](const Key& key) {
    auto now = after.cells.find(key);
    auto then = before.cells.find(key);
    return now != after.cells.end() && now->second &&
           then != before.cells.end() && then->second &&
           *now->second == *then->second;
  };
  const Key grand = {"_T", "_T", "_T", "_T", "_T"};
  std::array<std::vector<std::string>, 5> values;
  for (const auto& [key, value] : after.cells) {
    for (int d = 0; d < 5; ++d) {
      Key one = grand;
      one[d] = key[d];
      if (key == one && key[d] != "_T" && !stayed(key)) {
        values[d].push_back(key[d]);
      }
    }
  }
  std::array<std::set<std::string>, 5> open;
  Key tuple;
  std::function<void(int)> visit = [&](int d) {
    if (d == 5) {
      for (int a = 0; a < 5; ++a) {
        for (int b = a + 1; b < 5; ++b) {
          Key two = grand;
          two[a] = tuple[a];
          two[b] = tuple[b];
          if (stayed(two)) return;  // ruled out
        }
      }
      for (int e = 0; e < 5; ++e) open[e].insert(tuple[e]);
      return;
    }
    for (const auto& v : values[d]) {
      tuple[d] = v;
      visit(d + 1);
    }
  };
  ASSERT_FALSE(stayed(grand));
  visit(0);
  const std::array<std::string, 5> victim = {"countries/BGR", "UNKNOWN",
                                             "CHILD", "NGA", "HOTLINE"};
  for (int d = 0; d < 5; ++d) {
    EXPECT_TRUE(open[d].count(victim[d])) << d;
    EXPECT_GE(open[d].size(), 2u) << "the attacker learns " << victim[d];
  }
}

// Through the gateway: a deleted measure (a tombstone in the store) is on no
// page, and an UNSPECIFIED list element is refused naming it, with nothing
// created.
TEST(AssistanceMeasureTest,
     DeletedMeasuresAreNotListedAndUnspecifiedListValuesAreRefused) {
  auto suite = Suite::Start(MakeTempDir());
  ASSERT_TRUE(suite.ok()) << suite.status();
  auto stub = av1::AssistanceService::NewStub((*suite)->gateway->Channel());
  for (const char* id : {"shelter-a", "shelter-b", "shelter-c"}) {
    av1::CreateMeasureRequest request;
    request.set_parent("countries/ROU");
    request.set_measure_id(id);
    request.mutable_measure()->set_measure_type("SHELTER");
    auto* source = request.mutable_measure()->add_sources();
    source->set_document_symbol("E/CN.15/2008/6");
    source->set_paragraph(61);
    av1::Measure out;
    ASSERT_TRUE(stub->CreateMeasure(Context().get(), request, &out).ok()) << id;
  }
  av1::DeleteMeasureRequest del;
  del.set_name("countries/ROU/measures/shelter-b");
  google::protobuf::Empty empty;
  ASSERT_TRUE(stub->DeleteMeasure(Context().get(), del, &empty).ok());
  av1::ListMeasuresRequest list;
  list.set_parent("countries/ROU");
  av1::ListMeasuresResponse page;
  ASSERT_TRUE(stub->ListMeasures(Context().get(), list, &page).ok());
  std::vector<std::string> names;
  for (const auto& m : page.measures()) names.push_back(m.name());
  EXPECT_THAT(names, ElementsAre("countries/ROU/measures/shelter-a",
                                 "countries/ROU/measures/shelter-c"));

  av1::CreateMeasureRequest unspecified;
  unspecified.set_parent("countries/ROU");
  unspecified.set_measure_id("shelter-d");
  unspecified.mutable_measure()->set_measure_type("SHELTER");
  unspecified.mutable_measure()->add_target_groups(
      av1::TARGET_GROUP_UNSPECIFIED);
  auto* source = unspecified.mutable_measure()->add_sources();
  source->set_document_symbol("E/CN.15/2008/6");
  source->set_paragraph(61);
  av1::Measure out;
  grpc::Status refused =
      stub->CreateMeasure(Context().get(), unspecified, &out);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(refused), ElementsAre("measure.target_groups[0]"));
  av1::GetMeasureRequest get;
  get.set_name("countries/ROU/measures/shelter-d");
  EXPECT_EQ(stub->GetMeasure(Context().get(), get, &out).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST(AssistanceCaseTest, ValidationErrorsAndPersistenceAfterRestart) {
  const std::string dir = MakeTempDir();
  auto server =
      ServiceProcess::Start(PALERMO_ASSISTANCE_SERVER,
                            {"--data_dir=" + dir});
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
  auto cases = av1::CaseRecordService::NewStub((*server)->CaseRecordsChannel());
  av1::CreateCaseRecordRequest create_case;
  create_case.mutable_case_record()->set_entity("countries/ROU");
  create_case.mutable_case_record()->set_gender(av1::GENDER_FEMALE);
  av1::CaseRecord case_record;
  ASSERT_TRUE(cases
                  ->CreateCaseRecord(CaseWorkerContext().get(), create_case,
                                     &case_record)
                  .ok());
  stub.reset();
  cases.reset();
  (*server)->Kill();
  auto restarted =
      ServiceProcess::Start(PALERMO_ASSISTANCE_SERVER,
                            {"--data_dir=" + dir});
  ASSERT_TRUE(restarted.ok());
  stub = av1::AssistanceService::NewStub((*restarted)->Channel());
  av1::GetMeasureRequest get;
  get.set_name("countries/ROU/measures/reflection-period");
  av1::Measure read;
  ASSERT_TRUE(stub->GetMeasure(Context().get(), get, &read).ok());
  EXPECT_EQ(read.duration_days(), 90);
  cases = av1::CaseRecordService::NewStub((*restarted)->CaseRecordsChannel());
  av1::GetCaseRecordRequest get_case;
  get_case.set_name(case_record.name());
  av1::CaseRecord case_read;
  ASSERT_TRUE(
      cases->GetCaseRecord(CaseWorkerContext().get(), get_case, &case_read)
          .ok());
  EXPECT_EQ(case_read.gender(), av1::GENDER_FEMALE);
  stub.reset();
  cases.reset();
}

}  // namespace
}  // namespace palermo
