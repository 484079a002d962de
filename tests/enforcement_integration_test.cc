// The enforcement statistics service as real processes: the report's figures
// loaded by palermo-load and read back through the gateway; revisions and
// as-of reads; SDMX-CSV round trip; a bulk import with bad rows among 10,000;
// kill -9 during a bulk import; the rules that guard sums and writes
// (boundary days, stocks, repeated keys, month 0, SDMX-CSV deletions, page
// tokens, filter boundaries and negation).
#include <gmock/gmock.h>
#include <google/protobuf/util/message_differencer.h>
#include <google/protobuf/util/time_util.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "palermo/enforcement/v1/enforcement.grpc.pb.h"
#include "palermo/gateway/v1/gateway.grpc.pb.h"
#include "services/common/periods.h"
#include "services/common/limits.h"
#include "tests/support/service_process.h"

namespace palermo {
namespace {

namespace ev1 = enforcement::v1;
using palermo::test::Context;
using palermo::test::MakeTempDir;
using palermo::test::RunCommand;
using palermo::test::ServiceProcess;
using palermo::test::Suite;
using palermo::test::ViolatedFields;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string Periods(const ev1::Series& series) {
  std::vector<std::string> out;
  for (const auto& o : series.observations()) {
    out.push_back(absl::StrCat(FormatTimePeriod(o.period()), "=", o.value()));
  }
  return absl::StrJoin(out, " ");
}

ev1::Observation Figure(const std::string& indicator, int year, int64_t value,
                        const std::string& entity = "countries/SLV") {
  ev1::Observation o;
  o.set_entity(entity);
  o.set_indicator(indicator);
  *o.mutable_period() = *ParseTimePeriod(absl::StrCat(year));
  o.set_value(value);
  auto* s = o.add_sources();
  s->set_document_symbol("TEST/1");
  s->set_paragraph(1);
  return o;
}

// The suite with the reference dataset, once for all the tests that read it.
class EnforcementReferenceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto suite = Suite::Start(palermo::test::MakeSuiteDir("enforcement"));
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

  static std::unique_ptr<ev1::EnforcementService::Stub> Gateway() {
    return ev1::EnforcementService::NewStub(suite_->gateway->Channel());
  }

  static ev1::Series Series(const std::string& entity,
                            const std::string& indicator) {
    ev1::GetSeriesRequest request;
    request.set_entity(entity);
    request.set_indicator(indicator);
    ev1::Series series;
    grpc::Status status =
        Gateway()->GetSeries(Context().get(), request, &series);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return series;
  }

  static Suite* suite_;
};
Suite* EnforcementReferenceTest::suite_ = nullptr;

TEST_F(EnforcementReferenceTest, ElSalvadorSeriesOfParagraph14) {
  EXPECT_EQ(Periods(Series("countries/SLV", "CASES_INVESTIGATED")),
            "2005=32 2006=67 2007=39");
  EXPECT_EQ(Periods(Series("countries/SLV", "PERSONS_ARRESTED")),
            "2005=53 2006=56 2007=30");
  EXPECT_EQ(Periods(Series("countries/SLV", "PERSONS_PROSECUTED")),
            "2005=18 2006=37 2007=6");
  EXPECT_EQ(Series("countries/SLV", "CASES_INVESTIGATED")
                .observations(0)
                .sources(0)
                .paragraph(),
            14);
}

TEST_F(EnforcementReferenceTest, PeriodsAreServedExactlyAsReported) {
  const ev1::Series greece = Series("countries/GRC", "PERSONS_ARRESTED");
  EXPECT_EQ(Periods(greece), "2003/2006=980");
  EXPECT_EQ(greece.observations(0).sources(0).paragraph(), 18);
  const ev1::Series myanmar = Series("countries/MMR", "VICTIMS_RESCUED");
  EXPECT_EQ(Periods(myanmar), "2002-07/2007-10=5513");
  EXPECT_EQ(myanmar.observations(0).sources(0).paragraph(), 21);
  // Para 21 gives no year for the unit's staff and local teams: undated
  // figures stand as of January 2008, the month of the cut-off.
  EXPECT_EQ(Periods(Series("countries/MMR", "SPECIALIZED_UNIT_STAFF")),
            "../2008-01=40");
  EXPECT_EQ(Periods(Series("countries/MMR", "SPECIALIZED_LOCAL_TEAMS")),
            "../2008-01=18");
  EXPECT_EQ(Periods(Series("countries/UKR", "OFFENCES_REGISTERED")),
            "2007=350");
  EXPECT_EQ(Periods(Series("countries/UKR", "ORGANIZED_GROUPS_DISMANTLED")),
            "2007=16");
  EXPECT_EQ(Periods(Series("countries/UKR", "CRIMINAL_PROCEEDINGS_OPENED")),
            "2007=76");
  EXPECT_EQ(Periods(Series("countries/PHL", "VICTIMS_ASSISTED")),
            "../2007-06=315");
  const ev1::Series cuba = Series("countries/CUB", "PERSONS_PROSECUTED");
  ASSERT_EQ(cuba.observations_size(), 1);
  EXPECT_EQ(cuba.observations(0).status(),
            ev1::OBSERVATION_STATUS_DEFINITION_DIFFERS);
  EXPECT_THAT(cuba.observations(0).notes(), HasSubstr("smuggling"));
  const ev1::Series liechtenstein = Series("countries/LIE", "CASES_DETECTED");
  ASSERT_EQ(liechtenstein.observations_size(), 1);
  EXPECT_TRUE(liechtenstein.observations(0).has_value());
  EXPECT_EQ(liechtenstein.observations(0).value(), 0);
}

TEST_F(EnforcementReferenceTest, ProfilesCarryTheEnforcementSection) {
  auto stub = gateway::v1::GatewayService::NewStub(suite_->gateway->Channel());
  gateway::v1::GetCountryProfileRequest request;
  request.set_name("countries/GRC");
  gateway::v1::CountryProfile profile;
  ASSERT_TRUE(stub->GetCountryProfile(Context().get(), request, &profile).ok());
  std::map<std::string, std::string> latest;
  for (const auto& o : profile.enforcement().latest()) {
    latest[o.indicator()] =
        absl::StrCat(FormatTimePeriod(o.period()), "=", o.value(), " para ",
                     o.sources(0).paragraph());
  }
  EXPECT_EQ(latest["CASES_DETECTED"], "2003/2006=244 para 18");
  EXPECT_EQ(latest["VICTIMS_IDENTIFIED"], "2003/2006=494 para 18");
  request.set_name("countries/SLV");
  ASSERT_TRUE(stub->GetCountryProfile(Context().get(), request, &profile).ok());
  EXPECT_TRUE(profile.has_legislation());
  bool found = false;
  for (const auto& s : profile.enforcement().series()) {
    if (s.indicator() == "PERSONS_PROSECUTED") {
      found = true;
      EXPECT_EQ(Periods(s), "2005=18 2006=37 2007=6");
    }
  }
  EXPECT_TRUE(found);
}

TEST_F(EnforcementReferenceTest, CroatiaAggregateCountsNothingTwice) {
  ev1::AggregateRequest request;
  request.set_indicator("VICTIMS_IDENTIFIED");
  request.add_entities("countries/HRV");
  *request.mutable_window() = *ParseTimePeriod("2002/2007");
  request.add_group_by(ev1::DIMENSION_ENTITY);
  ev1::AggregateResponse response;
  ASSERT_TRUE(Gateway()->Aggregate(Context().get(), request, &response).ok());
  ASSERT_EQ(response.cells_size(), 1);
  EXPECT_EQ(response.cells(0).value(), 65);
  std::vector<std::string> uses;
  for (const auto& u : response.observations()) {
    uses.push_back(absl::StrCat(
        FormatTimePeriod(u.period()), " ",
        u.used() ? "used" : ev1::ExclusionReason_Name(u.reason())));
  }
  std::sort(uses.begin(), uses.end());
  EXPECT_THAT(uses,
              ElementsAre("2002/2007-01 used", "2005 EXCLUSION_REASON_NESTED",
                          "2006 EXCLUSION_REASON_NESTED",
                          "2007 EXCLUSION_REASON_OVERLAPS"));
}

TEST_F(EnforcementReferenceTest, SdmxCsvExportThenImportIsLossless) {
  auto export_all = [](ev1::EnforcementService::Stub& stub) {
    auto context = Context();
    auto reader =
        stub.ExportSdmxCsv(context.get(), ev1::ExportSdmxCsvRequest());
    std::string csv;
    ev1::ExportSdmxCsvResponse chunk;
    while (reader->Read(&chunk)) csv += chunk.chunk();
    EXPECT_TRUE(reader->Finish().ok());
    return csv;
  };
  const std::string csv = export_all(*Gateway());
  EXPECT_THAT(csv, HasSubstr("SLV,CASES_INVESTIGATED,_T,_T,_T,_T,2005,32,A,"));
  EXPECT_THAT(
      csv,
      HasSubstr("MMR,VICTIMS_RESCUED,_T,_T,_T,_T,2002-07/2007-10,5513,A,"));

  auto fresh = ServiceProcess::Start(PALERMO_ENFORCEMENT_SERVER,
                                     {"--data_dir=" + MakeTempDir()});
  ASSERT_TRUE(fresh.ok()) << fresh.status();
  auto stub = ev1::EnforcementService::NewStub((*fresh)->Channel());
  ev1::ImportSdmxCsvRequest import;
  import.set_csv(csv);
  ev1::ImportObservationsResponse imported;
  grpc::Status status = stub->ImportSdmxCsv(Context().get(), import, &imported);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(imported.created(), std::count(csv.begin(), csv.end(), '\n') - 1);
  EXPECT_EQ(export_all(*stub), csv);
}

grpc::Status Import(ev1::EnforcementService::Stub& stub,
                    const std::vector<ev1::Observation>& rows,
                    ev1::ImportObservationsResponse* response,
                    const std::string& request_id = "", size_t chunk = 1000) {
  auto context = Context();
  auto writer = stub.ImportObservations(context.get(), response);
  ev1::ImportObservationsRequest message;
  message.set_request_id(request_id);
  for (size_t i = 0; i < rows.size(); ++i) {
    *message.add_observations() = rows[i];
    if (message.observations_size() == static_cast<int>(chunk) ||
        i + 1 == rows.size()) {
      if (!writer->Write(message)) break;
      message.Clear();
    }
  }
  writer->WritesDone();
  return writer->Finish();
}

// The domain rules that guard sums and writes, through the gateway, on a
// suite of its own that starts empty. Each test uses its own entities.
class EnforcementRulesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto suite = Suite::Start(palermo::test::MakeSuiteDir("enforcement-rules"));
    ASSERT_TRUE(suite.ok()) << suite.status();
    suite_ = suite->release();
  }
  static void TearDownTestSuite() { delete suite_; }

  static std::unique_ptr<ev1::EnforcementService::Stub> Gateway() {
    return ev1::EnforcementService::NewStub(suite_->gateway->Channel());
  }
  static ev1::Observation In(ev1::Observation o, const char* period) {
    *o.mutable_period() = *ParseTimePeriod(period);
    return o;
  }
  static std::vector<std::string> Names(const std::string& parent) {
    ev1::ListObservationsRequest list;
    list.set_parent(parent);
    ev1::ListObservationsResponse listed;
    EXPECT_TRUE(
        Gateway()->ListObservations(Context().get(), list, &listed).ok());
    std::vector<std::string> names;
    for (const auto& o : listed.observations()) names.push_back(o.name());
    return names;
  }

  static Suite* suite_;
};
Suite* EnforcementRulesTest::suite_ = nullptr;

TEST_F(EnforcementRulesTest, FiguresSharingABoundaryDayAreCountedOnce) {
  ev1::ImportObservationsResponse imported;
  ASSERT_TRUE(
      Import(*Gateway(),
             {In(Figure("VICTIMS_IDENTIFIED", 2005, 10, "countries/EST"),
                 "2005-01-01/2005-06-30"),
              In(Figure("VICTIMS_IDENTIFIED", 2005, 20, "countries/EST"),
                 "2005-06-30/2005-12-31")},
             &imported)
          .ok());
  ev1::AggregateRequest request;
  request.set_indicator("VICTIMS_IDENTIFIED");
  request.add_entities("countries/EST");
  *request.mutable_window() = *ParseTimePeriod("2005");
  ev1::AggregateResponse response;
  ASSERT_TRUE(Gateway()->Aggregate(Context().get(), request, &response).ok());
  ASSERT_EQ(response.cells_size(), 1);
  EXPECT_EQ(response.cells(0).value(), 20);
  EXPECT_EQ(response.cells(0).observation_count(), 1);
}

TEST_F(EnforcementRulesTest, AStockIsItsLatestFigureNotASum) {
  ev1::ImportObservationsResponse imported;
  ASSERT_TRUE(Import(*Gateway(),
                     {Figure("SPECIALIZED_UNITS", 2005, 2, "countries/GRC"),
                      Figure("SPECIALIZED_UNITS", 2006, 3, "countries/GRC")},
                     &imported)
                  .ok());
  ev1::AggregateRequest request;
  request.set_indicator("SPECIALIZED_UNITS");
  request.add_entities("countries/GRC");
  *request.mutable_window() = *ParseTimePeriod("2005/2007");
  ev1::AggregateResponse response;
  ASSERT_TRUE(Gateway()->Aggregate(Context().get(), request, &response).ok());
  ASSERT_EQ(response.cells_size(), 1);
  EXPECT_EQ(response.cells(0).value(), 3);
}

TEST_F(EnforcementRulesTest, AnImportRepeatingASeriesKeyWritesNothing) {
  ev1::ImportObservationsResponse imported;
  grpc::Status status =
      Import(*Gateway(),
             {Figure("CASES_INVESTIGATED", 2005, 1, "countries/LVA"),
              Figure("CASES_INVESTIGATED", 2006, 2, "countries/LVA"),
              Figure("CASES_INVESTIGATED", 2005, 3, "countries/LVA")},
             &imported);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(status), ElementsAre("observations[2]"));
  EXPECT_THAT(Names("countries/LVA"), ::testing::IsEmpty());
}

TEST_F(EnforcementRulesTest, MonthZeroIsRefused) {
  ev1::UpsertObservationRequest upsert;
  *upsert.mutable_observation() =
      In(Figure("CASES_INVESTIGATED", 2005, 4, "countries/BGR"), "2005-00");
  ev1::Observation written;
  grpc::Status status =
      Gateway()->UpsertObservation(Context().get(), upsert, &written);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(status),
              ElementsAre("observation.period.start.month",
                          "observation.period.end.month"));
  EXPECT_THAT(Names("countries/BGR"), ::testing::IsEmpty());
}

TEST_F(EnforcementRulesTest, SdmxCsvDeletionsAreRefusedNotInserted) {
  ev1::ImportSdmxCsvRequest request;
  request.set_csv(
      "STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA,INDICATOR,SEX,AGE,"
      "EXPLOITATION_FORM,CITIZENSHIP,TIME_PERIOD,OBS_VALUE,OBS_STATUS,"
      "COMMENT,SOURCE\n"
      "dataflow,PALERMO:DF_TIP_ENFORCEMENT(1.0),D,ROU,CASES_INVESTIGATED,"
      "_T,_T,_T,_T,2006,12,A,,\"{\"\"sources\"\":[{\"\"documentSymbol\"\":"
      "\"\"TEST/1\"\",\"\"paragraph\"\":1}]}\"\n");
  ev1::ImportObservationsResponse imported;
  grpc::Status status =
      Gateway()->ImportSdmxCsv(Context().get(), request, &imported);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(status), ElementsAre("rows[1].ACTION"));
  EXPECT_THAT(Names("countries/ROU"), ::testing::IsEmpty());
}

TEST_F(EnforcementRulesTest, APageTokenBelongsToItsParent) {
  ev1::ImportObservationsResponse imported;
  ASSERT_TRUE(Import(*Gateway(),
                     {Figure("PERSONS_ARRESTED", 2005, 5, "countries/HUN"),
                      Figure("PERSONS_ARRESTED", 2006, 6, "countries/HUN"),
                      Figure("PERSONS_ARRESTED", 2005, 7, "countries/JOR")},
                     &imported)
                  .ok());
  ev1::ListObservationsRequest list;
  list.set_parent("countries/HUN");
  list.set_page_size(1);
  ev1::ListObservationsResponse first;
  ASSERT_TRUE(Gateway()->ListObservations(Context().get(), list, &first).ok());
  ASSERT_FALSE(first.next_page_token().empty());
  list.set_page_token(first.next_page_token());
  list.set_parent("countries/JOR");
  ev1::ListObservationsResponse other;
  grpc::Status status =
      Gateway()->ListObservations(Context().get(), list, &other);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(status), ElementsAre("page_token"));
}

TEST_F(EnforcementRulesTest, ZeroOneDayAndSuppressedFiguresAreAccepted) {
  ev1::Observation suppressed =
      Figure("VICTIMS_IDENTIFIED", 2006, 0, "countries/LIE");
  suppressed.clear_value();
  suppressed.set_status(ev1::OBSERVATION_STATUS_SUPPRESSED);
  ev1::ImportObservationsResponse imported;
  grpc::Status status = Import(
      *Gateway(),
      {Figure("CASES_DETECTED", 2006, 0, "countries/LIE"),
       In(Figure("CASES_DETECTED", 2007, 1, "countries/LIE"), "2007-03-01"),
       suppressed},
      &imported);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(imported.created(), 3);
  status =
      Import(*Gateway(), {Figure("CASES_DETECTED", 2005, -1, "countries/LIE")},
             &imported);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(status), ElementsAre("observations[0].value"));
  EXPECT_EQ(Names("countries/LIE").size(), 3u);
}

TEST_F(EnforcementRulesTest, AggregateOverTwoEntitiesReadsBoth) {
  ev1::ImportObservationsResponse imported;
  ASSERT_TRUE(Import(*Gateway(),
                     {Figure("CASES_INVESTIGATED", 2005, 32, "countries/OMN"),
                      Figure("CASES_INVESTIGATED", 2005, 10, "countries/NER")},
                     &imported)
                  .ok());
  ev1::AggregateRequest request;
  request.set_indicator("CASES_INVESTIGATED");
  request.add_entities("countries/OMN");
  request.add_entities("countries/NER");
  *request.mutable_window() = *ParseTimePeriod("2005");
  ev1::AggregateResponse response;
  ASSERT_TRUE(Gateway()->Aggregate(Context().get(), request, &response).ok());
  ASSERT_EQ(response.cells_size(), 1);
  EXPECT_EQ(response.cells(0).value(), 42);
}

TEST_F(EnforcementRulesTest, NoChangeIsComputedBetweenOverlappingPeriods) {
  ev1::ImportObservationsResponse imported;
  ASSERT_TRUE(
      Import(*Gateway(),
             {In(Figure("CASES_INVESTIGATED", 2003, 50, "countries/NLD"),
                 "2003/2004"),
              In(Figure("CASES_INVESTIGATED", 2004, 60, "countries/NLD"),
                 "2004/2005")},
             &imported)
          .ok());
  ev1::ComputeChangeRequest change;
  change.set_entity("countries/NLD");
  change.set_indicator("CASES_INVESTIGATED");
  *change.mutable_from_period() = *ParseTimePeriod("2003/2004");
  *change.mutable_to_period() = *ParseTimePeriod("2004/2005");
  ev1::ComputeChangeResponse response;
  ASSERT_TRUE(
      Gateway()->ComputeChange(Context().get(), change, &response).ok());
  EXPECT_FALSE(response.comparable());
  EXPECT_THAT(response.reason(), HasSubstr("overlap"));
}

TEST_F(EnforcementRulesTest, FiltersCompareAtTheBoundaryAndNegate) {
  ev1::ImportObservationsResponse imported;
  ASSERT_TRUE(Import(*Gateway(),
                     {Figure("CASES_INVESTIGATED", 2005, 32, "countries/MUS"),
                      Figure("PERSONS_ARRESTED", 2005, 53, "countries/MUS"),
                      Figure("PERSONS_PROSECUTED", 2005, 18, "countries/MUS")},
                     &imported)
                  .ok());
  auto values = [](const std::string& filter) {
    ev1::ListObservationsRequest list;
    list.set_parent("countries/MUS");
    list.set_filter(filter);
    ev1::ListObservationsResponse listed;
    grpc::Status status =
        Gateway()->ListObservations(Context().get(), list, &listed);
    EXPECT_TRUE(status.ok()) << filter << ": " << status.error_message();
    std::vector<int64_t> out;
    for (const auto& o : listed.observations()) out.push_back(o.value());
    std::sort(out.begin(), out.end());
    return out;
  };
  EXPECT_THAT(values("value < 32"), ElementsAre(18));
  EXPECT_THAT(values("value <= 32"), ElementsAre(18, 32));
  EXPECT_THAT(values("value > 32"), ElementsAre(53));
  EXPECT_THAT(values("-indicator = CASES_INVESTIGATED"), ElementsAre(18, 53));
  EXPECT_THAT(values("NOT indicator = CASES_INVESTIGATED"),
              ElementsAre(18, 53));
}

// Rows `first`, `first + 1`, ... of a synthetic dataset whose series keys
// are unique for the first 48,000 rows: 200 years x 20 entities x 4 sexes x
// 3 age groups.
std::vector<ev1::Observation> Synthetic(int count, int first = 1000) {
  std::vector<ev1::Observation> rows;
  const char* codes[] = {"EST", "LVA", "BGR", "ROU", "UKR", "BLR", "HRV",
                         "CUB", "SLV", "GRC", "HUN", "JPN", "JOR", "LIE",
                         "MUS", "MMR", "NER", "OMN", "NLD", "PHL"};
  for (int i = 0; i < count; ++i) {
    const int n = first + i;
    rows.push_back(Figure("CASES_INVESTIGATED", 1900 + n % 200, i,
                          absl::StrCat("countries/", codes[n / 200 % 20])));
    rows.back().set_sex(static_cast<ev1::Sex>(1 + n / 4000 % 4));
    rows.back().set_age_group(static_cast<ev1::AgeGroup>(1 + n / 16000 % 3));
  }
  return rows;
}

TEST(EnforcementImportTest,
     BadRowsAmong10000AreAllReportedAndNothingIsWritten) {
  auto suite = Suite::Start(MakeTempDir());
  ASSERT_TRUE(suite.ok()) << suite.status();
  auto stub = ev1::EnforcementService::NewStub((*suite)->gateway->Channel());
  std::vector<ev1::Observation> rows = Synthetic(10000, 0);
  for (int i = 0; i < 10000; i += 37) rows[i].clear_value();  // 271 bad rows
  rows[2500].set_indicator("NOT_AN_INDICATOR");
  rows[9998].mutable_period()->mutable_start()->set_year(2999);
  ev1::ImportObservationsResponse response;
  grpc::Status status = Import(*stub, rows, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  // 274 violations on 273 rows: the details hold the first ones, the
  // message counts them all.
  std::vector<std::string> fields = ViolatedFields(status);
  EXPECT_EQ(fields.size(), static_cast<size_t>(kMaxViolationsInDetails));
  for (const char* f : {"observations[0].value", "observations[37].value"}) {
    EXPECT_THAT(fields, ::testing::Contains(f));
  }
  EXPECT_THAT(status.error_message(), HasSubstr("273 invalid row(s)"));
  EXPECT_THAT(status.error_message(), HasSubstr("and 264 more"));
  EXPECT_THAT(status.error_message(),
              HasSubstr(absl::StrCat(274 - kMaxViolationsInDetails,
                                     " left out")));
  ev1::ListObservationsRequest list;
  list.set_parent("-");
  ev1::ListObservationsResponse listed;
  ASSERT_TRUE(stub->ListObservations(Context().get(), list, &listed).ok());
  EXPECT_EQ(listed.observations_size(), 0);

  // Fixed, the same batch goes in whole, once.
  rows = Synthetic(10000, 0);
  ASSERT_TRUE(Import(*stub, rows, &response, "batch-1").ok());
  EXPECT_EQ(response.created(), 10000);
  ASSERT_TRUE(Import(*stub, rows, &response, "batch-1").ok());
  EXPECT_EQ(response.created(), 10000);  // the first answer, replayed
}

TEST(EnforcementImportTest, RevisionsKeepTheOldValueForAsOfReads) {
  auto suite = Suite::Start(MakeTempDir());
  ASSERT_TRUE(suite.ok()) << suite.status();
  auto stub = ev1::EnforcementService::NewStub((*suite)->gateway->Channel());
  ev1::UpsertObservationRequest upsert;
  *upsert.mutable_observation() = Figure("CASES_INVESTIGATED", 2007, 39);
  ev1::Observation first;
  ASSERT_TRUE(stub->UpsertObservation(Context().get(), upsert, &first).ok());
  upsert.mutable_observation()->set_value(44);
  ev1::Observation second;
  ASSERT_TRUE(stub->UpsertObservation(Context().get(), upsert, &second).ok());
  EXPECT_EQ(second.revision_id(), 2);

  ev1::GetObservationRequest get;
  get.set_name(first.name());
  *get.mutable_as_of() = second.update_time();
  ev1::Observation read;
  ASSERT_TRUE(stub->GetObservation(Context().get(), get, &read).ok());
  EXPECT_EQ(read.value(), 44);
  *get.mutable_as_of() =
      google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(
          google::protobuf::util::TimeUtil::TimestampToMicroseconds(
              second.update_time()) -
          1);
  ASSERT_TRUE(stub->GetObservation(Context().get(), get, &read).ok());
  EXPECT_EQ(read.value(), 39);  // as published before the revision
  ev1::ListObservationRevisionsRequest history;
  history.set_name(first.name());
  ev1::ListObservationRevisionsResponse revisions;
  ASSERT_TRUE(
      stub->ListObservationRevisions(Context().get(), history, &revisions)
          .ok());
  ASSERT_EQ(revisions.revisions_size(), 2);
  EXPECT_EQ(revisions.revisions(1).observation().value(), 39);
}

TEST(EnforcementImportTest,
     Kill9DuringABulkImportLosesOnlyTheUnacknowledgedBatch) {
  const std::string data_dir = MakeTempDir();
  auto server = ServiceProcess::Start(PALERMO_ENFORCEMENT_SERVER,
                                      {"--data_dir=" + data_dir});
  ASSERT_TRUE(server.ok()) << server.status();
  auto stub = ev1::EnforcementService::NewStub((*server)->Channel());
  ev1::ImportObservationsResponse response;
  for (int batch = 0; batch < 3; ++batch) {
    ASSERT_TRUE(Import(*stub, Synthetic(2000, batch * 2000), &response,
                       absl::StrCat("batch-", batch))
                    .ok());
    EXPECT_EQ(response.created(), 2000);
  }
  // A large fourth batch is complete on the wire, and being committed or
  // about to be, when the server is killed: after restart it is there
  // whole or not at all.
  {
    auto context = Context();
    ev1::ImportObservationsResponse unused;
    auto writer = stub->ImportObservations(context.get(), &unused);
    ev1::ImportObservationsRequest message;
    message.set_request_id("batch-3");
    for (const auto& o : Synthetic(20000, 6000))
      *message.add_observations() = o;
    ASSERT_TRUE(writer->Write(message));
    writer->WritesDone();
    (*server)->Kill();
    writer->Finish().IgnoreError();
  }
  auto restarted = ServiceProcess::Start(PALERMO_ENFORCEMENT_SERVER,
                                         {"--data_dir=" + data_dir});
  ASSERT_TRUE(restarted.ok()) << restarted.status();
  stub = ev1::EnforcementService::NewStub((*restarted)->Channel());
  ev1::GetCoverageRequest coverage_request;
  ev1::GetCoverageResponse coverage;
  ASSERT_TRUE(
      stub->GetCoverage(Context().get(), coverage_request, &coverage).ok());
  int values = 0;
  for (const auto& e : coverage.entries()) values += e.values();
  // Three acknowledged batches, and the fourth whole or not at all.
  EXPECT_THAT(values, ::testing::AnyOf(6000, 26000));
  // Sent again, it is either replayed or written now: never half.
  ASSERT_TRUE(Import(*stub, Synthetic(20000, 6000), &response, "batch-3").ok());
  EXPECT_EQ(response.created(), 20000);
  stub.reset();  // closes the connection before the server stops
}

TEST(EnforcementImportTest, ACallerCancellingMidStreamCommitsNothing) {
  for (bool through_gateway : {true, false}) {
    auto suite = Suite::Start(MakeTempDir());
    ASSERT_TRUE(suite.ok()) << suite.status();
    ServiceProcess* target =
        through_gateway ? (*suite)->gateway.get() : (*suite)->enforcement.get();
    auto stub = ev1::EnforcementService::NewStub(target->Channel());
    {
      grpc::ClientContext context;
      ev1::ImportObservationsResponse response;
      auto writer = stub->ImportObservations(&context, &response);
      ev1::ImportObservationsRequest message;
      message.set_request_id("cancelled");
      for (const auto& o : Synthetic(3000, 0)) *message.add_observations() = o;
      ASSERT_TRUE(writer->Write(message));
      context.TryCancel();
      EXPECT_EQ(writer->Finish().error_code(), grpc::StatusCode::CANCELLED);
    }
    // Nothing was committed, not even the request id: the same id is
    // processed afresh.
    ev1::ImportObservationsResponse response;
    ASSERT_TRUE(Import(*stub, Synthetic(10, 5000), &response, "cancelled").ok())
        << through_gateway;
    EXPECT_EQ(response.created(), 10);
    ev1::GetCoverageResponse coverage;
    ASSERT_TRUE(stub->GetCoverage(Context().get(), {}, &coverage).ok());
    int values = 0;
    for (const auto& e : coverage.entries()) values += e.values();
    EXPECT_EQ(values, 10) << through_gateway;
    stub.reset();
  }
}

// The number of observations stored, counted through GetCoverage.
int StoredValues(ev1::EnforcementService::Stub& stub) {
  ev1::GetCoverageResponse coverage;
  grpc::Status status = stub.GetCoverage(Context().get(), {}, &coverage);
  EXPECT_TRUE(status.ok()) << status.error_message();
  int values = 0;
  for (const auto& e : coverage.entries()) values += e.values();
  return values;
}

std::string ImportMessage(const std::vector<ev1::Observation>& rows,
                          const std::string& request_id) {
  ev1::ImportObservationsRequest message;
  message.set_request_id(request_id);
  for (const auto& o : rows) *message.add_observations() = o;
  return message.SerializeAsString();
}

constexpr char kImportMethod[] =
    "/palermo.enforcement.v1.EnforcementService/ImportObservations";

// Each failing stream is tried straight at the enforcement port and through
// the gateway; afterwards nothing is stored, and the same request id with a
// good stream writes exactly its rows.
class FailedStreamTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    auto suite = Suite::Start(MakeTempDir());
    ASSERT_TRUE(suite.ok()) << suite.status();
    suite_ = *std::move(suite);
    target_ = GetParam() ? suite_->gateway.get() : suite_->enforcement.get();
    stub_ = ev1::EnforcementService::NewStub(target_->Channel());
  }
  void TearDown() override { stub_.reset(); }

  void ExpectNothingWrittenAndRetrySucceeds(const std::string& request_id) {
    EXPECT_EQ(StoredValues(*stub_), 0);
    ev1::ImportObservationsResponse response;
    grpc::Status status =
        Import(*stub_, Synthetic(7, 20000), &response, request_id, 3);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(response.created(), 7);
    EXPECT_EQ(StoredValues(*stub_), 7);
  }

  std::unique_ptr<Suite> suite_;
  ServiceProcess* target_ = nullptr;
  std::unique_ptr<ev1::EnforcementService::Stub> stub_;
};

TEST_P(FailedStreamTest, AMiddleMessageThatDoesNotParseRefusesTheStream) {
  // Message 2 carries good rows, then a request_id that is not UTF-8.
  const std::vector<std::string> messages = {
      ImportMessage(Synthetic(5, 0), "corrupt"),
      ImportMessage(Synthetic(5, 5), "") + std::string("\x0a\x02\xff\xff", 4),
      ImportMessage(Synthetic(5, 10), "")};
  auto context = Context();
  grpc::Status status = palermo::test::RawClientStream(
      *target_->Channel(), kImportMethod, messages, context.get());
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(),
              HasSubstr("message 2 of the stream does not parse as "
                        "palermo.enforcement.v1.ImportObservationsRequest"));
  ExpectNothingWrittenAndRetrySucceeds("corrupt");
}

TEST_P(FailedStreamTest, AnOversizedMiddleMessageRefusesTheStream) {
  // 500 valid rows of 9,000-byte notes: 4.5 MB, over the 4 MiB limit.
  std::vector<ev1::Observation> big = Synthetic(500, 100);
  for (auto& o : big) o.set_notes(std::string(9000, 'n'));
  const std::vector<std::string> messages = {
      ImportMessage(Synthetic(5, 0), "oversized"), ImportMessage(big, ""),
      ImportMessage(Synthetic(5, 10), "")};
  ASSERT_GT(messages[1].size(), 4u << 20);
  auto context = Context();
  grpc::Status status = palermo::test::RawClientStream(
      *target_->Channel(), kImportMethod, messages, context.get());
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED)
      << status.error_message();
  ExpectNothingWrittenAndRetrySucceeds("oversized");
}

TEST_P(FailedStreamTest, AStreamWhoseDeadlinePassesCommitsNothing) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(1)));
  ev1::ImportObservationsResponse response;
  auto writer = stub_->ImportObservations(&context, &response);
  ev1::ImportObservationsRequest message;
  message.set_request_id("late");
  for (const auto& o : Synthetic(50, 0)) *message.add_observations() = o;
  ASSERT_TRUE(writer->Write(message));
  // Never half-closed: Finish returns when the deadline has passed.
  EXPECT_EQ(writer->Finish().error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  ExpectNothingWrittenAndRetrySucceeds("late");
}

TEST_P(FailedStreamTest, ARequestIdThatChangesMidStreamRefusesTheStream) {
  const std::vector<std::string> messages = {
      ImportMessage(Synthetic(5, 0), "first"),
      ImportMessage(Synthetic(5, 5), "second")};
  auto context = Context();
  grpc::Status status = palermo::test::RawClientStream(
      *target_->Channel(), kImportMethod, messages, context.get());
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(status), ElementsAre("request_id"));
  ExpectNothingWrittenAndRetrySucceeds("first");
}

// The end of a failed stream is told from a clean one without a race: many
// failures in a row, each right after good messages, commit nothing.
TEST_P(FailedStreamTest, ManyFailuresInARowCommitNothing) {
  std::vector<ev1::Observation> big = Synthetic(500, 100);
  for (auto& o : big) o.set_notes(std::string(9000, 'n'));
  const std::string oversized = ImportMessage(big, "");
  for (int i = 0; i < 20; ++i) {
    const std::string id = absl::StrCat("attempt-", i);
    auto context = Context();
    EXPECT_EQ(
        palermo::test::RawClientStream(
            *target_->Channel(), kImportMethod,
            {ImportMessage(Synthetic(5, 0), id), oversized}, context.get())
            .error_code(),
        grpc::StatusCode::RESOURCE_EXHAUSTED);
    grpc::ClientContext cancelled;
    ev1::ImportObservationsResponse response;
    auto writer = stub_->ImportObservations(&cancelled, &response);
    ev1::ImportObservationsRequest message;
    message.set_request_id(id + "-cancelled");
    for (const auto& o : Synthetic(5, 0)) *message.add_observations() = o;
    ASSERT_TRUE(writer->Write(message));
    cancelled.TryCancel();
    EXPECT_EQ(writer->Finish().error_code(), grpc::StatusCode::CANCELLED);
  }
  ExpectNothingWrittenAndRetrySucceeds("attempt-0");
}

INSTANTIATE_TEST_SUITE_P(DirectAndThroughTheGateway, FailedStreamTest,
                         ::testing::Values(false, true), [](const auto& info) {
                           return info.param ? "Gateway" : "Direct";
                         });

TEST(EnforcementImportTest, HundredThousandBadRowsGiveSmallDetailsAndACount) {
  auto server = ServiceProcess::Start(PALERMO_ENFORCEMENT_SERVER,
                                      {"--data_dir=" + MakeTempDir()});
  ASSERT_TRUE(server.ok()) << server.status();
  auto stub = ev1::EnforcementService::NewStub((*server)->Channel());
  std::vector<ev1::Observation> rows = Synthetic(100000, 0);
  for (auto& o : rows) o.clear_value();
  ev1::ImportObservationsResponse response;
  // Through a default channel (8 KiB of trailers): the refusal itself must
  // reach a client that raised no limit.
  auto plain = ev1::EnforcementService::NewStub((*server)->DefaultChannel());
  grpc::Status status = Import(*plain, rows, &response, "", 5000);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
      << status.error_message();
  EXPECT_EQ(ViolatedFields(status).size(),
            static_cast<size_t>(kMaxViolationsInDetails));
  EXPECT_LT(status.error_details().size(), 4u << 10);
  EXPECT_THAT(status.error_message(), HasSubstr("100000 invalid row(s)"));
  EXPECT_THAT(status.error_message(), HasSubstr("and 99990 more"));
  EXPECT_THAT(status.error_message(),
              HasSubstr(absl::StrCat(100000 - kMaxViolationsInDetails,
                                     " left out")));
  EXPECT_EQ(StoredValues(*stub), 0);
  plain.reset();
  stub.reset();
}

TEST_F(EnforcementReferenceTest, RatiosAndStocksOnTheReportsFigures) {
  ev1::ComputeRatioRequest ratio;
  ratio.set_entity("countries/SLV");
  ratio.set_numerator("PERSONS_PROSECUTED");
  ratio.set_denominator("CASES_INVESTIGATED");
  *ratio.mutable_period() = *ParseTimePeriod("2005");
  ev1::ComputeRatioResponse r;
  ASSERT_TRUE(Gateway()->ComputeRatio(Context().get(), ratio, &r).ok());
  EXPECT_TRUE(r.comparable()) << r.reason();
  EXPECT_NEAR(r.ratio(), 18.0 / 32, 1e-9);

  // Myanmar's unit (2004) is a stock: over 2004-2007 it is one unit.
  ev1::AggregateRequest request;
  request.set_indicator("SPECIALIZED_UNITS");
  request.add_entities("countries/MMR");
  *request.mutable_window() = *ParseTimePeriod("2004/2007");
  ev1::AggregateResponse response;
  ASSERT_TRUE(Gateway()->Aggregate(Context().get(), request, &response).ok());
  ASSERT_EQ(response.cells_size(), 1);
  EXPECT_EQ(response.cells(0).value(), 1);
}

}  // namespace
}  // namespace palermo
