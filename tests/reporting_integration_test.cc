// The reporting service on real processes, through the gateway, with the
// reference dataset loaded by palermo-load: the French report reproduces the
// source's respondents, footnotes, figures and layout; the English one its
// lists; the findings name the source's inconsistencies; a new cycle gets its
// own report without changing the reference one; bad input is refused and
// writes nothing.
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/time_util.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "palermo/enforcement/v1/enforcement.grpc.pb.h"
#include "palermo/legislation/v1/legislation.grpc.pb.h"
#include "palermo/reporting/v1/reporting.grpc.pb.h"
#include "tests/support/service_process.h"

namespace palermo {
namespace {

namespace rv1 = reporting::v1;
using palermo::test::Context;
using palermo::test::RunCommand;
using palermo::test::ServiceProcess;
using palermo::test::ViolatedFields;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::UnorderedElementsAre;

constexpr char kCycle[] = "cycles/ccpcj-17";

class ReportingIntegrationTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto suite =
        palermo::test::Suite::Start(palermo::test::MakeSuiteDir("reporting"));
    ASSERT_TRUE(suite.ok()) << suite.status();
    suite_ = suite->release();
    auto load = RunCommand(PALERMO_LOAD,
                           {"--target=" + suite_->gateway->address(),
                            "--reference_dir=" PALERMO_SOURCE_DIR "/data",
                            palermo::test::LoaderTokenFlag()});
    ASSERT_TRUE(load.ok()) << load.status();
    ASSERT_EQ(load->exit_code, 0) << load->errors;
  }
  static void TearDownTestSuite() { delete suite_; }

  static std::unique_ptr<rv1::ReportingService::Stub> Reporting() {
    return rv1::ReportingService::NewStub(suite_->gateway->Channel());
  }

  static rv1::Report Generate(const std::string& cycle,
                              const std::string& language,
                              const std::string& format = "markdown") {
    rv1::GenerateReportRequest request;
    request.set_cycle(cycle);
    request.set_language(language);
    request.set_format(format);
    rv1::Report report;
    auto context = Context();
    context->set_deadline(std::chrono::system_clock::now() +
                          std::chrono::seconds(60));
    grpc::Status status =
        Reporting()->GenerateReport(context.get(), request, &report);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return report;
  }

  static const rv1::ReportParagraph* Paragraph(const rv1::Report& report,
                                               int number) {
    for (const auto& p : report.paragraphs()) {
      if (p.number() == number) return &p;
    }
    return nullptr;
  }

  static std::string Footnote(const rv1::Report& report, int number) {
    for (const auto& f : report.footnotes()) {
      if (f.number() == number) return f.text();
    }
    return "(no footnote " + std::to_string(number) + ")";
  }

  static palermo::test::Suite* suite_;
};
palermo::test::Suite* ReportingIntegrationTest::suite_ = nullptr;

TEST_F(ReportingIntegrationTest, FrenchReportListsTheRespondentsAsTheSource) {
  rv1::Report report = Generate(kCycle, "fr");
  const rv1::ReportParagraph* p3 = Paragraph(report, 3);
  ASSERT_NE(p3, nullptr);
  EXPECT_EQ(p3->text(),
            "Des réponses ont été reçues de 23 États et d’une organisation "
            "régionale, à savoir: Bélarus, Bulgarie, Croatie, Cuba, El "
            "Salvador, Estonie, Grèce, Hongrie, Japon, Jordanie, "
            "Liechtenstein, Maurice, Myanmar, Niger, Oman, Pays-Bas, "
            "Philippines, Pologne, Qatar, République tchèque, Roumanie, "
            "Slovénie, Ukraine et Ligue des États arabes.");
  EXPECT_THAT(report.content(), HasSubstr("3. Des réponses ont été reçues"));
}

TEST_F(ReportingIntegrationTest, FrenchFootnotesAreTheSources) {
  rv1::Report report = Generate(kCycle, "fr");
  const std::map<int, std::string> expected = {
      {1, "Bélarus, Bulgarie, Croatie, El Salvador, Estonie, Hongrie, "
          "Lettonie, Myanmar, Oman, Pays-Bas, Philippines, Pologne et "
          "Roumanie."},
      {2, "Estonie, Jordanie, Niger et Oman."},
      {3, "Liechtenstein."},
      {4, "Japon et République tchèque."},
      {5, "Bélarus, Bulgarie et Lettonie."},
      {6, "Bulgarie, Cuba et Estonie."},
      {7, "Bulgarie, El Salvador, Estonie et Japon."},
      {8, "Bulgarie, El Salvador, Estonie, Hongrie, Japon, Liechtenstein, "
          "Maurice, Niger et République tchèque."},
      {10, "Bulgarie, Croatie, Hongrie, Lettonie, Liechtenstein et Pologne."},
      {11, "Il convient de noter qu’El Salvador a signalé l’adoption d’un "
           "protocole relatif à la fourniture d’une assistance en matière de "
           "logement aux victimes de la traite dans le pays qui tient compte "
           "de la situation des femmes et vise à garantir les droits des "
           "enfants et des adolescents."},
  };
  for (const auto& [number, text] : expected) {
    EXPECT_EQ(Footnote(report, number), text) << "footnote " << number;
  }
  ASSERT_EQ(report.footnotes_size(), 11);
  // Footnotes are numbered in the order of their calls, in the source's
  // paragraphs.
  const std::map<int, int> called_in = {{1, 5}, {2, 5},  {3, 5},  {4, 5},
                                        {5, 6}, {6, 6},  {7, 6},  {8, 7},
                                        {9, 10}, {10, 60}, {11, 61}};
  for (const auto& f : report.footnotes()) {
    EXPECT_EQ(f.paragraph(), called_in.at(f.number())) << f.number();
  }
}

TEST_F(ReportingIntegrationTest, SectionsHaveTheSourcesOrderAndRanges) {
  rv1::Report report = Generate(kCycle, "fr");
  std::map<rv1::ReportSection, std::pair<int, int>> ranges;
  int previous = 0;
  for (const auto& p : report.paragraphs()) {
    EXPECT_EQ(p.number(), previous + 1);
    previous = p.number();
    auto [it, fresh] = ranges.try_emplace(p.section(), p.number(), p.number());
    it->second.second = p.number();
  }
  using S = rv1::ReportSection;
  const std::map<S, std::pair<int, int>> source = {
      {rv1::REPORT_SECTION_INTRODUCTION, {1, 2}},
      {rv1::REPORT_SECTION_RESULTS, {3, 4}},
      {rv1::REPORT_SECTION_LEGISLATION, {5, 7}},
      {rv1::REPORT_SECTION_ENFORCEMENT, {8, 25}},
      {rv1::REPORT_SECTION_TRAINING, {26, 42}},
      {rv1::REPORT_SECTION_PREVENTION, {43, 59}},
      {rv1::REPORT_SECTION_ASSISTANCE, {60, 64}},
      {rv1::REPORT_SECTION_COORDINATION, {65, 80}},
      {rv1::REPORT_SECTION_COOPERATION, {81, 83}},
      {rv1::REPORT_SECTION_TECHNICAL_ASSISTANCE, {84, 86}},
      {rv1::REPORT_SECTION_CONCLUSIONS, {87, 93}},
  };
  EXPECT_EQ(ranges, source);
  // The contents give each section's range, in order.
  const std::string& md = report.content();
  size_t at = 0;
  for (const char* row :
       {"I. Introduction | 1-2", "| 3-83 |", "A. Ratification et dispositions "
        "législatives | 5-7", "B. Détection et répression | 8-25",
        "C. Formation et séminaires | 26-42", "| 43-59 |", "| 60-64 |",
        "| 65-80 |", "G. Coopération internationale | 81-83", "| 84-86 |",
        "IV. Conclusions | 87-93"}) {
    size_t found = md.find(row, at);
    EXPECT_NE(found, std::string::npos) << row;
    if (found != std::string::npos) at = found;
  }
  EXPECT_THAT(md, HasSubstr("E/CN.15/2008/6"));
  EXPECT_THAT(md, HasSubstr("Original : anglais"));
}

// Every figure of paras 12-25 in data/enforcement, in the paragraph the
// source gives it, with its State named there, in French number format.
TEST_F(ReportingIntegrationTest, EnforcementFiguresAreInTheirStatesParagraph) {
  rv1::Report report = Generate(kCycle, "fr");
  int checked = 0;
  for (const auto& file : std::filesystem::directory_iterator(
           PALERMO_SOURCE_DIR "/data/enforcement")) {
    if (file.path().extension() != ".json") continue;
    std::ifstream in(file.path());
    std::stringstream json;
    json << in.rdbuf();
    enforcement::v1::ImportObservationsRequest request;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json.str(), &request)
                    .ok())
        << file.path();
    for (const auto& o : request.observations()) {
      if (!o.has_value() || o.sources().empty()) continue;
      const int para = o.sources(0).paragraph();
      if (para < 12 || para > 25) continue;
      const rv1::ReportParagraph* p = Paragraph(report, para);
      ASSERT_NE(p, nullptr) << para;
      std::string value = std::to_string(o.value());
      if (value.size() > 3) value.insert(value.size() - 3, " ");
      if (o.value() == 0) continue;  // a zero is said in words ("aucun cas")
      EXPECT_THAT(p->text(), HasSubstr(value))
          << o.entity() << " " << o.indicator() << " in para " << para;
      ++checked;
    }
  }
  EXPECT_GE(checked, 25);
  EXPECT_THAT(Paragraph(report, 21)->text(),
              HasSubstr("juillet 2002 et octobre 2007"));
  EXPECT_THAT(Paragraph(report, 12)->text(), HasSubstr("Croatie"));
  EXPECT_THAT(Paragraph(report, 13)->text(), HasSubstr("Cuba"));
  EXPECT_THAT(Paragraph(report, 13)->text(), HasSubstr("migrants"));
  EXPECT_THAT(Paragraph(report, 21)->text(), HasSubstr("1 037"));
}

// The lists of paras 44-46, 61-64, 66 and 68, with the source's articles
// and prepositions, each in the paragraph the source prints it.
TEST_F(ReportingIntegrationTest, ListsInParagraphsAreTheSources) {
  rv1::Report report = Generate(kCycle, "fr");
  const std::vector<std::pair<int, std::string>> lists = {
      {44, "Certains États – El Salvador, Estonie, Japon, Niger, Philippines "
           "et Qatar – ont"},
      {44, "Certains pays – Estonie et Pays-Bas – ont"},
      {45, "La Croatie et l’Estonie ont également indiqué"},
      {46, "Des numéros d’urgence ont été mis en place au Bélarus, en "
           "Estonie, en Roumanie et en Ukraine"},
      {61, "Le Bélarus, la Bulgarie, la Croatie, El Salvador, l’Estonie, le "
           "Japon, Maurice, le Myanmar, le Niger, les Pays-Bas, les "
           "Philippines, la Pologne, le Qatar, la République tchèque et la "
           "Roumanie ont indiqué"},
      {62, "aux victimes de la traite au Bélarus, en Croatie, en El Salvador, "
           "en Estonie, en Hongrie, au Japon, en Lettonie, aux Pays-Bas, aux "
           "Philippines, en Roumanie et en Ukraine."},
      {63, "La Bulgarie, la Croatie, la Hongrie, la Lettonie et la Pologne "
           "ont indiqué"},
      {64, "Le Bélarus, la Croatie, El Salvador, l’Estonie, le Japon, la "
           "Lettonie, le Myanmar, le Niger, les Philippines et la Roumanie "
           "ont fait état"},
      {66, "De nombreux pays ayant répondu – Bulgarie, Croatie, El Salvador, "
           "Estonie, Liechtenstein et République tchèque – ont mis en place"},
      {68, "Le Japon et la Lettonie ont signalé"},
      {68, "Maurice et le Niger ont élaboré"},
  };
  for (const auto& [number, text] : lists) {
    const rv1::ReportParagraph* p = Paragraph(report, number);
    ASSERT_NE(p, nullptr) << number;
    EXPECT_THAT(p->text(), HasSubstr(text)) << "para " << number;
  }
}

// Group facts are said once, and a legislation directive states what its
// filter names only.
TEST_F(ReportingIntegrationTest, LegislationParagraphsSayWhatTheySourceSays) {
  rv1::Report report = Generate(kCycle, "fr");
  const std::string& p6 = Paragraph(report, 6)->text();
  const std::string range =
      "Ces peines sont variables, allant d’une amende à 15 ans "
      "d’emprisonnement, plus éventuellement une confiscation des biens.";
  ASSERT_THAT(p6, HasSubstr(range));
  EXPECT_EQ(p6.find(range), p6.rfind(range));
  EXPECT_THAT(Paragraph(report, 60)->text(),
              HasSubstr("Ces lois contiennent notamment des dispositions sur "
                        "la protection de l’anonymat des victimes et des "
                        "témoins"));
  const std::string& p9 = Paragraph(report, 9)->text();
  EXPECT_THAT(p9, HasSubstr("registre d’informations pénales"));
  EXPECT_THAT(p9, Not(HasSubstr("frontière")));
  EXPECT_THAT(Paragraph(report, 11)->text(),
              HasSubstr("passeports comportant des données biométriques "
                        "depuis 2007"));
  // Facts of item 6 in their paragraphs: destinations, deployment places,
  // Liechtenstein's meetings as the source states them.
  EXPECT_THAT(Paragraph(report, 24)->text(),
              HasSubstr("pays de destination comme la Belgique, Chypre, "
                        "l’Italie et la République tchèque"));
  EXPECT_THAT(Paragraph(report, 42)->text(),
              HasSubstr("en Afghanistan, en Iraq et en Serbie (Kosovo)"));
  EXPECT_THAT(Paragraph(report, 78)->text(),
              HasSubstr("Le Liechtenstein a mentionné des réunions tenues en "
                        "décembre 2006"));
  // The provenance of a list: its records and the query a reader runs.
  const rv1::ReportParagraph* p61 = Paragraph(report, 61);
  EXPECT_THAT(p61->records(), ::testing::Contains("countries/BLR/measures/shelter"));
  EXPECT_THAT(p61->queries(),
              ::testing::Contains(HasSubstr(
                  "palermo.assistance.v1.AssistanceService/ListMeasures")));
}

TEST_F(ReportingIntegrationTest, EnglishReportHasTheListsInEnglish) {
  rv1::Report report = Generate(kCycle, "en");
  const rv1::ReportParagraph* p3 = Paragraph(report, 3);
  ASSERT_NE(p3, nullptr);
  EXPECT_THAT(p3->text(),
              HasSubstr("Belarus, Bulgaria, Croatia, Cuba, Czech Republic, El "
                        "Salvador, Estonia, Greece, Hungary, Japan, Jordan, "
                        "Liechtenstein, Mauritius, Myanmar, Netherlands, "
                        "Niger, Oman, Philippines, Poland, Qatar, Romania, "
                        "Slovenia, Ukraine and League of Arab States."));
  EXPECT_EQ(Footnote(report, 1),
            "Belarus, Bulgaria, Croatia, El Salvador, Estonia, Hungary, "
            "Latvia, Myanmar, Netherlands, Oman, Philippines, Poland and "
            "Romania.");
  EXPECT_EQ(Footnote(report, 4), "Czech Republic and Japan.");
  EXPECT_EQ(Footnote(report, 5), "Belarus, Bulgaria and Latvia.");
  EXPECT_THAT(Paragraph(report, 21)->text(), HasSubstr("1,037"));
  EXPECT_THAT(report.content(), HasSubstr("Original: English"));
}

TEST_F(ReportingIntegrationTest, HtmlIsSelfContainedAndReproducible) {
  rv1::Report first = Generate(kCycle, "fr", "html");
  rv1::Report second = Generate(kCycle, "fr", "html");
  EXPECT_EQ(first.content(), second.content());
  EXPECT_EQ(first.content_sha256(), second.content_sha256());
  EXPECT_EQ(first.content_sha256().size(), 64u);
  EXPECT_THAT(first.content(), HasSubstr("<!DOCTYPE html>"));
  EXPECT_THAT(first.content(), HasSubstr("@page"));
  EXPECT_THAT(first.content(), Not(HasSubstr("http://")));
  EXPECT_THAT(first.content(), Not(HasSubstr("https://")));
  EXPECT_THAT(first.content(), HasSubstr("Bélarus, Bulgarie et Lettonie."));
}

TEST_F(ReportingIntegrationTest, FindingsNameTheSourcesInconsistencies) {
  rv1::ListFindingsRequest request;
  request.set_parent(kCycle);
  rv1::ListFindingsResponse response;
  grpc::Status status =
      Reporting()->ListFindings(Context().get(), request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  std::map<std::string, std::set<std::string>> by_rule;
  for (const auto& f : response.findings()) {
    for (const auto& e : f.entities()) by_rule[f.rule()].insert(e);
    EXPECT_EQ(f.explanations_size(), 2) << f.rule();
  }
  EXPECT_TRUE(by_rule["RESPONDENT_WITHOUT_FACTS"].count("countries/SVN"));
  EXPECT_TRUE(by_rule["FACTS_WITHOUT_RESPONSE"].count("countries/LVA"));
  EXPECT_TRUE(by_rule["RATIFIED_NOT_RECORDED"].count("countries/JOR"));
  EXPECT_TRUE(by_rule["RATIFIED_NOT_RECORDED"].count("countries/NER"));
  EXPECT_TRUE(by_rule["DEFINITION_DIFFERS"].count("countries/CUB"));
  EXPECT_TRUE(by_rule["OVERLAPPING_PERIODS"].count("countries/HRV"));
  // Findings never reach the report.
  rv1::Report report = Generate(kCycle, "fr");
  for (const auto& [rule, entities] : by_rule) {
    EXPECT_THAT(report.content(), Not(HasSubstr(rule)));
  }
  // ListFindings filters like a List method.
  request.set_filter("rule = \"DEFINITION_DIFFERS\"");
  response.Clear();
  ASSERT_TRUE(
      Reporting()->ListFindings(Context().get(), request, &response).ok());
  ASSERT_GE(response.findings_size(), 1);
  for (const auto& f : response.findings()) {
    EXPECT_EQ(f.rule(), "DEFINITION_DIFFERS");
  }
}

// A second cycle, with States absent from the source, reports its own facts
// only, and the reference report does not change.
TEST_F(ReportingIntegrationTest, ANewCycleHasItsOwnReport) {
  const std::string before = Generate(kCycle, "fr").content_sha256();
  auto reporting = Reporting();
  rv1::CreateCycleRequest cycle;
  cycle.set_cycle_id("ccpcj-18-test");
  auto* c = cycle.mutable_cycle();
  c->mutable_mandate()->set_resolution_symbol("2008/33");
  auto* title = c->mutable_mandate()->add_title();
  title->set_language("fr");
  title->set_text("Renforcement de la coopération");
  c->mutable_note_verbale_date()->set_year(2008);
  c->mutable_note_verbale_date()->set_month(10);
  c->mutable_note_verbale_date()->set_day(1);
  c->mutable_note_verbale_date()->set_precision(
      common::v1::DATE_PRECISION_DAY);
  c->set_status(rv1::CYCLE_STATUS_OPEN);
  c->set_document_symbol("E/CN.15/2009/X");
  c->set_original_language("en");
  rv1::Cycle created;
  grpc::Status status =
      reporting->CreateCycle(Context().get(), cycle, &created);
  ASSERT_TRUE(status.ok()) << status.error_message();
  for (const char* entity : {"countries/DEU", "countries/CHL"}) {
    rv1::CreateResponseRequest r;
    r.set_parent(created.name());
    r.mutable_response()->set_entity(entity);
    rv1::Response response;
    status = reporting->CreateResponse(Context().get(), r, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  // Germany's legislation, reported in the new cycle.
  auto legislation =
      legislation::v1::LegislationService::NewStub(suite_->gateway->Channel());
  legislation::v1::CreateLegislationRequest l;
  l.set_parent("countries/DEU");
  auto* protocol = l.mutable_legislation()->mutable_protocol();
  protocol->set_status(legislation::v1::TREATY_STATUS_RATIFIED);
  auto* source = protocol->add_sources();
  source->set_document_symbol("E/CN.15/2009/X");
  source->set_paragraph(5);
  source->set_cycle(created.name());
  source->set_response(created.name() + "/responses/DEU");
  legislation::v1::Legislation written;
  status = legislation->CreateLegislation(Context().get(), l, &written);
  ASSERT_TRUE(status.ok()) << status.error_message();

  rv1::Report report = Generate(created.name(), "fr");
  EXPECT_THAT(report.content(), HasSubstr("Allemagne"));
  EXPECT_THAT(report.content(), HasSubstr("Chili"));
  EXPECT_THAT(report.content(), Not(HasSubstr("Bélarus")));
  EXPECT_THAT(Paragraph(report, 1)->text(), HasSubstr("2 États"));
  EXPECT_EQ(Generate(kCycle, "fr").content_sha256(), before);
}

TEST_F(ReportingIntegrationTest, PublishedVersionsAreImmutable) {
  auto reporting = Reporting();
  rv1::CreateReportVersionRequest request;
  request.set_parent(kCycle);
  request.set_language("en");
  request.set_format("markdown");
  request.set_request_id("publish-en-md-1");
  rv1::ReportVersion version;
  auto context = Context();
  context->set_deadline(std::chrono::system_clock::now() +
                        std::chrono::seconds(60));
  grpc::Status status =
      reporting->CreateReportVersion(context.get(), request, &version);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(version.report().content_sha256(),
            Generate(kCycle, "en").content_sha256());
  // A retry is answered with the same version.
  rv1::ReportVersion again;
  auto retry = Context();
  retry->set_deadline(std::chrono::system_clock::now() +
                      std::chrono::seconds(60));
  ASSERT_TRUE(
      reporting->CreateReportVersion(retry.get(), request, &again).ok());
  EXPECT_EQ(again.name(), version.name());
  // As of its time, the report is that version.
  rv1::GenerateReportRequest as_of;
  as_of.set_cycle(kCycle);
  as_of.set_language("en");
  as_of.set_format("markdown");
  *as_of.mutable_as_of() = version.create_time();
  rv1::Report published;
  ASSERT_TRUE(
      reporting->GenerateReport(Context().get(), as_of, &published).ok());
  EXPECT_EQ(published.content(), version.report().content());
  // Before any version: FAILED_PRECONDITION.
  *as_of.mutable_as_of() =
      google::protobuf::util::TimeUtil::SecondsToTimestamp(1000);
  status = reporting->GenerateReport(Context().get(), as_of, &published);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(ReportingIntegrationTest, BadInputIsRefusedAndWritesNothing) {
  auto reporting = Reporting();
  // Unknown cycle and response.
  rv1::GetCycleRequest get;
  get.set_name("cycles/no-such-cycle");
  rv1::Cycle cycle;
  EXPECT_EQ(reporting->GetCycle(Context().get(), get, &cycle).error_code(),
            grpc::StatusCode::NOT_FOUND);
  rv1::GetResponseRequest get_response;
  get_response.set_name(std::string(kCycle) + "/responses/LVA");
  rv1::Response response;
  EXPECT_EQ(reporting->GetResponse(Context().get(), get_response, &response)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);
  // Dates out of order: each field named, nothing written.
  rv1::CreateCycleRequest bad;
  bad.set_cycle_id("bad-dates");
  auto* c = bad.mutable_cycle();
  c->mutable_mandate()->set_resolution_symbol("2006/27");
  auto* title = c->mutable_mandate()->add_title();
  title->set_language("en");
  title->set_text("t");
  auto day = [](common::v1::PartialDate* d, int y, int m, int dd) {
    d->set_year(y);
    d->set_month(m);
    d->set_day(dd);
    d->set_precision(common::v1::DATE_PRECISION_DAY);
  };
  day(c->mutable_note_verbale_date(), 2007, 11, 12);
  day(c->mutable_deadline(), 2007, 11, 1);
  day(c->mutable_cutoff_date(), 2007, 10, 1);
  c->set_status(rv1::CYCLE_STATUS_OPEN);
  grpc::Status status = reporting->CreateCycle(Context().get(), bad, &cycle);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(status),
              UnorderedElementsAre("cycle.deadline", "cycle.cutoff_date"));
  get.set_name("cycles/bad-dates");
  EXPECT_EQ(reporting->GetCycle(Context().get(), get, &cycle).error_code(),
            grpc::StatusCode::NOT_FOUND);
  // A response for an unknown entity.
  rv1::CreateResponseRequest unknown;
  unknown.set_parent(kCycle);
  unknown.mutable_response()->set_entity("countries/XXX");
  status = reporting->CreateResponse(Context().get(), unknown, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(status), UnorderedElementsAre("response.entity"));
  // A response to an unknown cycle.
  unknown.set_parent("cycles/no-such-cycle");
  unknown.mutable_response()->set_entity("countries/EST");
  EXPECT_EQ(reporting->CreateResponse(Context().get(), unknown, &response)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);
  // Unsupported language and format: both named.
  rv1::GenerateReportRequest generate;
  generate.set_cycle(kCycle);
  generate.set_language("de");
  generate.set_format("pdf");
  rv1::Report report;
  status = reporting->GenerateReport(Context().get(), generate, &report);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(status),
              UnorderedElementsAre("language", "format"));
  // A cycle with no responses has nothing to report.
  rv1::CreateCycleRequest empty = bad;
  empty.set_cycle_id("no-responses");
  day(empty.mutable_cycle()->mutable_deadline(), 2007, 12, 15);
  day(empty.mutable_cycle()->mutable_cutoff_date(), 2008, 1, 24);
  ASSERT_TRUE(reporting->CreateCycle(Context().get(), empty, &cycle).ok());
  generate.set_cycle(cycle.name());
  generate.set_language("fr");
  generate.set_format("markdown");
  status = reporting->GenerateReport(Context().get(), generate, &report);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(status.error_message(), HasSubstr("no response"));
}

TEST_F(ReportingIntegrationTest, ResponsesListWithFiltersAndPages) {
  auto reporting = Reporting();
  rv1::ListResponsesRequest request;
  request.set_parent(kCycle);
  request.set_page_size(10);
  std::set<std::string> entities;
  do {
    rv1::ListResponsesResponse page;
    grpc::Status status =
        reporting->ListResponses(Context().get(), request, &page);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_LE(page.responses_size(), 10);
    for (const auto& r : page.responses()) {
      entities.insert(r.entity());
      EXPECT_FALSE(r.has_received_date()) << r.name();  // unknown stays unknown
      EXPECT_EQ(r.timeliness(), rv1::TIMELINESS_UNSPECIFIED);
      EXPECT_FALSE(r.etag().empty());
    }
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  EXPECT_EQ(entities.size(), 24u);
  EXPECT_TRUE(entities.count("organizations/LAS"));
  EXPECT_FALSE(entities.count("countries/LVA"));
  request.set_filter("entity = \"countries/SVN\"");
  rv1::ListResponsesResponse one;
  ASSERT_TRUE(reporting->ListResponses(Context().get(), request, &one).ok());
  ASSERT_EQ(one.responses_size(), 1);
  EXPECT_EQ(one.responses(0).name(), std::string(kCycle) + "/responses/SVN");
}

}  // namespace
}  // namespace palermo
