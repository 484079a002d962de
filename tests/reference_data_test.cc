// The shipped reference dataset, loaded by palermo-load through the gateway
// into a fresh installation, must reproduce the report's lists exactly.
// Expected sets are E/CN.15/2008/6's footnotes, as printed in the source.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <vector>

#include "absl/strings/str_split.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "palermo/gateway/v1/gateway.grpc.pb.h"
#include "palermo/legislation/v1/legislation.grpc.pb.h"
#include "tests/support/service_process.h"

namespace palermo {
namespace {

namespace lv1 = legislation::v1;
using palermo::test::Context;
using palermo::test::MakeTempDir;
using palermo::test::RunCommand;
using palermo::test::ServiceProcess;
using ::testing::HasSubstr;

using Codes = std::set<std::string>;

// The lines of a --log_format=json log that are not a JSON object with a
// message, a level, a time and "service": "load".
std::vector<std::string> NotLoadLogObjects(const std::string& log) {
  std::vector<std::string> bad;
  for (absl::string_view line : absl::StrSplit(log, '\n', absl::SkipEmpty())) {
    google::protobuf::Struct object;
    const auto& f = object.fields();
    if (!google::protobuf::util::JsonStringToMessage(std::string(line), &object)
             .ok() ||
        !f.contains("message") || !f.contains("level") || !f.contains("time") ||
        !f.contains("service") || f.at("service").string_value() != "load") {
      bad.emplace_back(line);
    }
  }
  return bad;
}

class ReferenceDataTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto suite =
        palermo::test::Suite::Start(palermo::test::MakeSuiteDir("reference"));
    ASSERT_TRUE(suite.ok()) << suite.status();
    suite_ = suite->release();
    gateway_ = suite_->gateway.get();
    auto load = Load();
    ASSERT_TRUE(load.ok()) << load.status();
    ASSERT_EQ(load->exit_code, 0) << load->errors;
    first_load_log_ = new std::string(load->errors);
  }

  static void TearDownTestSuite() {
    delete suite_;
    delete first_load_log_;
  }

  static absl::StatusOr<palermo::test::CommandResult> Load(
      const std::vector<std::string>& more_flags = {}) {
    std::vector<std::string> flags = {
        "--target=" + gateway_->address(),
        std::string("--reference_dir=") + PALERMO_SOURCE_DIR + "/data",
        palermo::test::LoaderTokenFlag()};
    flags.insert(flags.end(), more_flags.begin(), more_flags.end());
    return RunCommand(PALERMO_LOAD, flags);
  }

  // Alpha-3 codes of the records matching `filter`, through the gateway.
  static Codes Matching(const std::string& filter) {
    auto stub = lv1::LegislationService::NewStub(gateway_->Channel());
    lv1::ListLegislationsRequest request;
    request.set_filter(filter);
    request.set_page_size(10);  // several pages: pagination is exercised too
    Codes codes;
    do {
      lv1::ListLegislationsResponse response;
      grpc::Status status =
          stub->ListLegislations(Context().get(), request, &response);
      EXPECT_TRUE(status.ok()) << filter << ": " << status.error_message();
      if (!status.ok()) break;
      for (const auto& l : response.legislations()) {
        codes.insert(l.entity().iso_alpha3().empty() ? l.name()
                                                     : l.entity().iso_alpha3());
      }
      request.set_page_token(response.next_page_token());
    } while (!request.page_token().empty());
    return codes;
  }

  static palermo::test::Suite* suite_;
  static ServiceProcess* gateway_;
  static std::string* first_load_log_;
};
palermo::test::Suite* ReferenceDataTest::suite_ = nullptr;
ServiceProcess* ReferenceDataTest::gateway_ = nullptr;
std::string* ReferenceDataTest::first_load_log_ = nullptr;

TEST_F(ReferenceDataTest, EveryRespondentAndLatviaIsARecord) {
  EXPECT_THAT(*first_load_log_,
              HasSubstr(" info [load] reference data: 25 created"));
  Codes all = Matching("");
  EXPECT_EQ(all.size(), 25u);
  // Para 3's 23 States and the League, plus Latvia, which the report cites
  // without listing it (who responded is the reporting cycle's, not
  // legislation's: data/reporting/responses.json).
  EXPECT_TRUE(all.count("SVN"));
  EXPECT_TRUE(all.count("LVA"));
  EXPECT_TRUE(all.count("organizations/LAS/legislation"));
  EXPECT_EQ(Matching("quality_notes.kind = QUALITY_NOTE_KIND_INCONSISTENCY "
                     "AND quality_notes.sources.paragraph = 3"),
            (Codes{"LVA", "SVN"}));
}

TEST_F(ReferenceDataTest, GroupFactsOfFootnotes5And10) {
  EXPECT_EQ(Matching("penalties.group_range.max_imprisonment_months = 180 AND "
                     "penalties.group_range.fine_from = true"),
            (Codes{"BLR", "BGR", "LVA"}));
  EXPECT_EQ(Matching("protection_laws.group_provisions.provisions:"
                     "PROTECTION_PROVISION_SECURE_HOUSING"),
            (Codes{"BGR", "HRV", "HUN", "LVA", "LIE", "POL"}));
}

TEST_F(ReferenceDataTest, Paragraphs9And11ImplementationMeasures) {
  EXPECT_EQ(Matching("implementation_measures.kind = DOCUMENT_SCRUTINY"),
            (Codes{"BLR", "EST"}));
  EXPECT_EQ(Matching("implementation_measures.kind = BIOMETRIC_PASSPORTS AND "
                     "implementation_measures.since.year = 2007"),
            Codes{"LVA"});
  EXPECT_EQ(Matching("implementation_measures.kind = VISA_INFORMATION_NETWORK"),
            Codes{"JPN"});
  EXPECT_EQ(Matching("implementation_measures.status = IN_DEVELOPMENT"),
            Codes{"EST"});
  EXPECT_EQ(Matching("other_laws.kind = TRAVEL_DOCUMENT_SECURITY AND "
                     "other_laws.year = 2005"),
            Codes{"JPN"});
}

TEST_F(ReferenceDataTest, Footnote1RatifiedTheProtocol) {
  EXPECT_EQ(Matching("protocol.status = TREATY_STATUS_RATIFIED"),
            (Codes{"BLR", "BGR", "HRV", "SLV", "EST", "HUN", "LVA", "MMR",
                   "OMN", "NLD", "PHL", "POL", "ROU"}));
}

TEST_F(ReferenceDataTest, Footnote2RatifiedWithoutCompletedLaw) {
  EXPECT_EQ(Matching("specific_law.status = LAW_STATUS_DRAFT"),
            (Codes{"EST", "JOR", "NER", "OMN"}));
  // The source's inconsistency is kept, and flagged: Jordan and Niger are in
  // fn 2 but not in fn 1.
  Codes flagged = Matching(
      "specific_law.status = DRAFT AND protocol.status != RATIFIED AND "
      "quality_notes.kind = QUALITY_NOTE_KIND_INCONSISTENCY");
  EXPECT_EQ(flagged, (Codes{"JOR", "NER"}));
}

TEST_F(ReferenceDataTest, Footnotes3And4ProtocolNotYetRatified) {
  EXPECT_EQ(Matching("protocol.status = RATIFICATION_IN_PROGRESS"),
            Codes{"LIE"});
  EXPECT_EQ(Matching("domestic_offences_cover_trafficking.value = true"),
            (Codes{"JPN", "CZE"}));
}

TEST_F(ReferenceDataTest, Footnote5ReportedPenalties) {
  EXPECT_EQ(Matching("penalties:*"), (Codes{"BLR", "BGR", "LVA"}));
}

TEST_F(ReferenceDataTest, Footnote6AssociatedOffences) {
  EXPECT_EQ(Matching("associated_offences:*"), (Codes{"BGR", "CUB", "EST"}));
}

TEST_F(ReferenceDataTest, Footnote7MoneyLaunderingPredicate) {
  EXPECT_EQ(Matching("money_laundering_predicate.value = true"),
            (Codes{"BGR", "SLV", "EST", "JPN"}));
}

TEST_F(ReferenceDataTest, Footnote8CrcOptionalProtocol) {
  EXPECT_EQ(
      Matching("crc_optional_protocol.status = SIGNED_OR_RATIFIED"),
      (Codes{"BGR", "SLV", "EST", "HUN", "JPN", "LIE", "MUS", "NER", "CZE"}));
}

TEST_F(ReferenceDataTest, Footnote10ProtectionLaws) {
  EXPECT_EQ(Matching("protection_laws.kind = WITNESS_OR_VICTIM_PROTECTION"),
            (Codes{"BGR", "HRV", "HUN", "LVA", "LIE", "POL"}));
}

TEST_F(ReferenceDataTest, StateSpecificLawsOfParagraphs5To6And60) {
  EXPECT_EQ(
      Matching(
          "other_laws.kind = PARTIAL_TRAFFICKING AND other_laws.year = 2005"),
      Codes{"QAT"});
  EXPECT_EQ(Matching("other_laws.kind = CRIMINAL_LAW_AMENDMENT"), Codes{"UKR"});
  EXPECT_EQ(Matching("user_liability.value = true"), Codes{"HRV"});
  EXPECT_EQ(Matching("protection_laws.status = DRAFT"), Codes{"OMN"});
}

TEST_F(ReferenceDataTest, EstoniaProfileCitesItsParagraphsAndFootnotes) {
  auto stub = gateway::v1::GatewayService::NewStub(gateway_->Channel());
  gateway::v1::GetCountryProfileRequest request;
  request.set_name("countries/EST");
  gateway::v1::CountryProfile profile;
  ASSERT_TRUE(stub->GetCountryProfile(Context().get(), request, &profile).ok());
  const lv1::Legislation& l = profile.legislation();
  ASSERT_EQ(l.protocol().sources_size(), 1);
  EXPECT_EQ(l.protocol().sources(0).document_symbol(), "E/CN.15/2008/6");
  EXPECT_EQ(l.protocol().sources(0).footnote(), 1);
  EXPECT_EQ(l.specific_law().sources(0).footnote(), 2);
  EXPECT_EQ(l.associated_offences().sources(0).footnote(), 6);
  EXPECT_EQ(l.money_laundering_predicate().sources(0).footnote(), 7);
  EXPECT_EQ(l.crc_optional_protocol().sources(0).footnote(), 8);
  // Every fact names the cycle and Estonia's response in it.
  EXPECT_EQ(l.protocol().sources(0).cycle(), "cycles/ccpcj-17");
  EXPECT_EQ(l.protocol().sources(0).response(),
            "cycles/ccpcj-17/responses/EST");
}

TEST_F(ReferenceDataTest, LatviasFactsBelongToTheCycleWithoutAResponse) {
  auto stub = lv1::LegislationService::NewStub(gateway_->Channel());
  lv1::GetLegislationRequest request;
  request.set_name("countries/LVA/legislation");
  lv1::Legislation l;
  ASSERT_TRUE(stub->GetLegislation(Context().get(), request, &l).ok());
  ASSERT_GT(l.protocol().sources_size(), 0);
  EXPECT_EQ(l.protocol().sources(0).cycle(), "cycles/ccpcj-17");
  EXPECT_EQ(l.protocol().sources(0).response(), "");
}

// Logged as in the loader's image: one JSON object a line, the summaries'
// wording unchanged; nothing on standard output.
TEST_F(ReferenceDataTest, LoadingAgainChangesNothing) {
  auto again = Load({"--log_format=json"});
  ASSERT_TRUE(again.ok());
  ASSERT_EQ(again->exit_code, 0) << again->errors;
  EXPECT_THAT(again->errors,
              HasSubstr("\"reference data: 0 created, 25 already loaded"));
  EXPECT_THAT(NotLoadLogObjects(again->errors), ::testing::IsEmpty())
      << again->errors;
  EXPECT_EQ(again->output, "");
  auto stub = lv1::LegislationService::NewStub(gateway_->Channel());
  lv1::ListLegislationRevisionsRequest request;
  request.set_name("countries/EST/legislation");
  lv1::ListLegislationRevisionsResponse response;
  ASSERT_TRUE(
      stub->ListLegislationRevisions(Context().get(), request, &response).ok());
  EXPECT_EQ(response.revisions_size(), 1);
  EXPECT_EQ(response.revisions(0).actor(), "palermo-load");
}

}  // namespace
}  // namespace palermo
