// The reporting service's rules without a server: cycles and their dates,
// responses and their timeliness, narrative blocks, reports and versions,
// on a real SQLite store and a fake fact source.
#include "services/reporting/reporting_domain.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/common/sqlite_record_store.h"
#include "services/common/test_support.h"

namespace palermo::reporting {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

common::v1::PartialDate Day(int y, int m, int d) {
  common::v1::PartialDate date;
  date.set_year(y);
  date.set_month(m);
  date.set_day(d);
  date.set_precision(common::v1::DATE_PRECISION_DAY);
  return date;
}

common::v1::Provenance Source(const std::string& cycle) {
  common::v1::Provenance p;
  p.set_document_symbol("E/CN.15/2008/6");
  p.set_paragraph(12);
  p.set_cycle(cycle);
  return p;
}

// Serves fixed facts, restricted to the asked cycle like the real one.
class FakeFacts : public FactSource {
 public:
  absl::Status Fill(const std::string& cycle, CycleData& data) override {
    ++calls;
    for (enforcement::v1::Observation o : observations) {
      if (RestrictToCycle(o, cycle)) data.observations.push_back(o);
    }
    return status;
  }
  std::vector<enforcement::v1::Observation> observations;
  absl::Status status;
  int calls = 0;
};

class ReportingDomainTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = FreshTestDir();
    auto store =
        SqliteRecordStore::Open((dir_ / "r.db").string(), ReportingSchema());
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
    auto names = EntityNames::LoadDefault(TestEntities());
    ASSERT_TRUE(names.ok()) << names.status();
    names_ = std::make_unique<EntityNames>(*std::move(names));
    domain_ = std::make_unique<ReportingDomain>(
        *store_, TestEntities(), *names_, facts_, [this] { return now_; });
  }
  void TearDown() override {
    domain_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  static v1::CreateCycleRequest CycleRequest(const std::string& id) {
    v1::CreateCycleRequest r;
    r.set_cycle_id(id);
    v1::Cycle* c = r.mutable_cycle();
    c->mutable_mandate()->set_resolution_symbol("2006/27");
    auto* t = c->mutable_mandate()->add_title();
    t->set_language("fr");
    t->set_text("Renforcement de la coopération internationale");
    *c->mutable_note_verbale_date() = Day(2007, 11, 12);
    *c->mutable_deadline() = Day(2007, 12, 15);
    *c->mutable_cutoff_date() = Day(2008, 1, 24);
    c->set_status(v1::CYCLE_STATUS_OPEN);
    c->set_document_symbol("E/CN.15/2008/6");
    c->set_original_language("en");
    return r;
  }

  absl::StatusOr<v1::Response> Respond(const std::string& cycle,
                                       const std::string& entity,
                                       std::optional<common::v1::PartialDate>
                                           received = std::nullopt) {
    v1::CreateResponseRequest r;
    r.set_parent(cycle);
    r.mutable_response()->set_entity(entity);
    if (received) *r.mutable_response()->mutable_received_date() = *received;
    return domain_->CreateResponse(r);
  }

  std::filesystem::path dir_;
  std::unique_ptr<SqliteRecordStore> store_;
  std::unique_ptr<EntityNames> names_;
  FakeFacts facts_;
  absl::Time now_ = absl::FromUnixSeconds(1200000000);
  std::unique_ptr<ReportingDomain> domain_;
};

TEST_F(ReportingDomainTest, CreatesAndGetsACycle) {
  auto created = domain_->CreateCycle(CycleRequest("ccpcj-17"));
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->name(), "cycles/ccpcj-17");
  EXPECT_FALSE(created->etag().empty());
  EXPECT_TRUE(created->has_create_time());
  v1::GetCycleRequest get;
  get.set_name("cycles/ccpcj-17");
  auto got = domain_->GetCycle(get);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->deadline().day(), 15);
  get.set_name("cycles/other");
  EXPECT_EQ(domain_->GetCycle(get).status().code(),
            absl::StatusCode::kNotFound);
  get.set_name("cycles/Bad_Name");
  EXPECT_EQ(domain_->GetCycle(get).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(domain_->CreateCycle(CycleRequest("ccpcj-17")).status().code(),
            absl::StatusCode::kAlreadyExists);
}

TEST_F(ReportingDomainTest, DatesOutOfOrderAreRefusedNamingEachField) {
  v1::CreateCycleRequest r = CycleRequest("c");
  *r.mutable_cycle()->mutable_deadline() = Day(2007, 11, 11);
  *r.mutable_cycle()->mutable_cutoff_date() = Day(2007, 1, 1);
  auto refused = domain_->CreateCycle(r);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(refused.status()),
              UnorderedElementsAre("cycle.deadline", "cycle.cutoff_date"));
  // The same day is in order.
  *r.mutable_cycle()->mutable_deadline() = Day(2007, 11, 12);
  *r.mutable_cycle()->mutable_cutoff_date() = Day(2007, 11, 12);
  EXPECT_TRUE(domain_->CreateCycle(r).ok());
  v1::CreateCycleRequest missing = CycleRequest("d");
  missing.mutable_cycle()->clear_note_verbale_date();
  missing.mutable_cycle()->clear_status();
  missing.mutable_cycle()->mutable_mandate()->clear_title();
  missing.mutable_cycle()->set_original_language("English");
  EXPECT_THAT(ViolatedFields(domain_->CreateCycle(missing).status()),
              UnorderedElementsAre("cycle.note_verbale_date", "cycle.status",
                                   "cycle.mandate.title",
                                   "cycle.original_language"));
  v1::GetCycleRequest get;
  get.set_name("cycles/d");
  EXPECT_EQ(domain_->GetCycle(get).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(ReportingDomainTest, ResponsesKnowWhetherTheyArrivedByTheCutoff) {
  ASSERT_TRUE(domain_->CreateCycle(CycleRequest("c")).ok());
  auto on_time = Respond("cycles/c", "countries/EST", Day(2007, 12, 15));
  ASSERT_TRUE(on_time.ok()) << on_time.status();
  EXPECT_EQ(on_time->name(), "cycles/c/responses/EST");
  EXPECT_EQ(on_time->entity(), "countries/EST");
  EXPECT_EQ(on_time->timeliness(), v1::TIMELINESS_BY_DEADLINE);
  EXPECT_EQ(Respond("cycles/c", "countries/LVA", Day(2008, 1, 24))
                ->timeliness(),
            v1::TIMELINESS_BY_CUTOFF);
  EXPECT_EQ(Respond("cycles/c", "countries/SVN", Day(2008, 1, 25))
                ->timeliness(),
            v1::TIMELINESS_AFTER_CUTOFF);
  auto unknown = Respond("cycles/c", "organizations/LAS");
  ASSERT_TRUE(unknown.ok()) << unknown.status();
  EXPECT_EQ(unknown->name(), "cycles/c/responses/LAS");
  EXPECT_EQ(unknown->entity(), "organizations/LAS");
  EXPECT_EQ(unknown->timeliness(), v1::TIMELINESS_UNSPECIFIED);
  EXPECT_FALSE(unknown->has_received_date());

  v1::ListResponsesRequest list;
  list.set_parent("cycles/c");
  list.set_filter("timeliness = AFTER_CUTOFF");
  auto late = domain_->ListResponses(list);
  ASSERT_TRUE(late.ok()) << late.status();
  ASSERT_EQ(late->responses_size(), 1);
  EXPECT_EQ(late->responses(0).entity(), "countries/SVN");

  // Moving the cut-off moves the responses' timeliness.
  v1::UpdateCycleRequest update;
  update.mutable_cycle()->set_name("cycles/c");
  *update.mutable_cycle()->mutable_cutoff_date() = Day(2008, 2, 1);
  update.mutable_update_mask()->add_paths("cutoff_date");
  ASSERT_TRUE(domain_->UpdateCycle(update).ok());
  late = domain_->ListResponses(list);
  ASSERT_TRUE(late.ok());
  EXPECT_EQ(late->responses_size(), 0);
  // Updating the received date recomputes it; other fields leave it.
  v1::UpdateResponseRequest u;
  u.mutable_response()->set_name("cycles/c/responses/LAS");
  *u.mutable_response()->mutable_received_date() = Day(2008, 3, 1);
  u.mutable_update_mask()->add_paths("received_date");
  auto moved = domain_->UpdateResponse(u);
  ASSERT_TRUE(moved.ok()) << moved.status();
  EXPECT_EQ(moved->timeliness(), v1::TIMELINESS_AFTER_CUTOFF);
  EXPECT_EQ(moved->entity(), "organizations/LAS");
  u.mutable_response()->clear_received_date();
  u.mutable_response()->set_notes("by fax");
  u.mutable_update_mask()->set_paths(0, "notes");
  moved = domain_->UpdateResponse(u);
  ASSERT_TRUE(moved.ok()) << moved.status();
  EXPECT_EQ(moved->timeliness(), v1::TIMELINESS_AFTER_CUTOFF);
  EXPECT_EQ(moved->notes(), "by fax");
}

TEST_F(ReportingDomainTest, OutputOnlyFieldsAreTheServices) {
  ASSERT_TRUE(domain_->CreateCycle(CycleRequest("c")).ok());
  ASSERT_TRUE(Respond("cycles/c", "countries/SVN", Day(2008, 2, 1)).ok());
  v1::UpdateResponseRequest u;
  u.mutable_response()->set_name("cycles/c/responses/SVN");
  u.mutable_response()->set_timeliness(v1::TIMELINESS_BY_DEADLINE);
  u.mutable_response()->set_entity("organizations/LAS");
  u.mutable_update_mask()->add_paths("timeliness");
  u.mutable_update_mask()->add_paths("entity");
  auto refused = domain_->UpdateResponse(u);
  EXPECT_THAT(ViolatedFields(refused.status()),
              ElementsAre("update_mask.paths[0]", "update_mask.paths[1]"));
  // Without a mask (the fields sent), output-only ones are ignored and the
  // timeliness stays what the stored date says.
  u.clear_update_mask();
  u.mutable_response()->set_notes("by fax");
  auto updated = domain_->UpdateResponse(u);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->timeliness(), v1::TIMELINESS_AFTER_CUTOFF);
  EXPECT_EQ(updated->entity(), "countries/SVN");
  EXPECT_EQ(updated->notes(), "by fax");
}

TEST_F(ReportingDomainTest, ADateOfMonthPrecisionCoversItsDays) {
  ASSERT_TRUE(domain_->CreateCycle(CycleRequest("c")).ok());
  common::v1::PartialDate january;
  january.set_year(2008);
  january.set_month(1);
  january.set_precision(common::v1::DATE_PRECISION_MONTH);
  // Received "January 2008", cut-off 24 January 2008: not known to be late.
  EXPECT_EQ(Respond("cycles/c", "countries/EST", january)->timeliness(),
            v1::TIMELINESS_BY_CUTOFF);
  // An organization whose id has a hyphen responds like any other.
  auto org = Respond("cycles/c", "organizations/OSRSG-CAAC");
  ASSERT_TRUE(org.ok()) << org.status();
  v1::GetResponseRequest get;
  get.set_name(org->name());
  EXPECT_TRUE(domain_->GetResponse(get).ok());
}

TEST_F(ReportingDomainTest, BadResponsesAreRefused) {
  ASSERT_TRUE(domain_->CreateCycle(CycleRequest("c")).ok());
  auto r = Respond("cycles/c", "countries/XXX");
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(r.status()), ElementsAre("response.entity"));
  EXPECT_THAT(ViolatedFields(Respond("cycles/c", "").status()),
              ElementsAre("response.entity"));
  EXPECT_EQ(Respond("cycles/none", "countries/EST").status().code(),
            absl::StatusCode::kNotFound);
  ASSERT_TRUE(Respond("cycles/c", "countries/EST").ok());
  EXPECT_EQ(Respond("cycles/c", "countries/EST").status().code(),
            absl::StatusCode::kAlreadyExists);
  v1::GetResponseRequest get;
  get.set_name("cycles/c/responses/LVA");
  EXPECT_EQ(domain_->GetResponse(get).status().code(),
            absl::StatusCode::kNotFound);
  // A cycle with responses cannot be deleted.
  v1::DeleteCycleRequest del;
  del.set_name("cycles/c");
  EXPECT_EQ(domain_->DeleteCycle(del).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(ReportingDomainTest, BlocksAreValidatedDirectivesIncluded) {
  ASSERT_TRUE(domain_->CreateCycle(CycleRequest("c")).ok());
  v1::CreateNarrativeBlockRequest r;
  r.set_parent("cycles/c");
  r.set_narrative_block_id("fr-p001");
  auto* b = r.mutable_narrative_block();
  b->set_section(v1::REPORT_SECTION_INTRODUCTION);
  b->set_language("fr");
  b->set_kind(v1::BLOCK_KIND_PARAGRAPH);
  b->set_text("Le {{cycle note_verbale_date}}, une note verbale.");
  auto created = domain_->CreateNarrativeBlock(r);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->name(), "cycles/c/narrativeBlocks/fr-p001");
  r.set_narrative_block_id("fr-p002");
  b->set_text("{{list nothing}}");
  b->set_language("de");
  b->clear_section();
  auto refused = domain_->CreateNarrativeBlock(r);
  EXPECT_THAT(ViolatedFields(refused.status()),
              UnorderedElementsAre("narrative_block.text",
                                   "narrative_block.language",
                                   "narrative_block.section"));
  v1::GetNarrativeBlockRequest get;
  get.set_name("cycles/c/narrativeBlocks/fr-p002");
  EXPECT_EQ(domain_->GetNarrativeBlock(get).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(ReportingDomainTest, ReportsNeedResponsesAndValidArguments) {
  ASSERT_TRUE(domain_->CreateCycle(CycleRequest("c")).ok());
  v1::GenerateReportRequest r;
  r.set_cycle("cycles/c");
  r.set_language("de");
  r.set_format("pdf");
  EXPECT_THAT(ViolatedFields(domain_->GenerateReport(r).status()),
              UnorderedElementsAre("language", "format"));
  r.set_language("fr");
  r.set_format("markdown");
  auto none = domain_->GenerateReport(r);
  EXPECT_EQ(none.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(none.status().message(), HasSubstr("no response"));
  r.set_cycle("cycles/none");
  EXPECT_EQ(domain_->GenerateReport(r).status().code(),
            absl::StatusCode::kNotFound);
  // A domain that cannot be read fails the report rather than shortening it.
  r.set_cycle("cycles/c");
  ASSERT_TRUE(Respond("cycles/c", "countries/EST").ok());
  facts_.status = absl::UnavailableError("reading legislation: down");
  EXPECT_EQ(domain_->GenerateReport(r).status().code(),
            absl::StatusCode::kUnavailable);
}

TEST_F(ReportingDomainTest, VersionsAreKeptAndServedAsOfTheirTime) {
  ASSERT_TRUE(domain_->CreateCycle(CycleRequest("c")).ok());
  ASSERT_TRUE(Respond("cycles/c", "countries/HRV").ok());
  enforcement::v1::Observation o;
  o.set_name("countries/HRV/observations/a");
  o.set_entity("countries/HRV");
  o.set_indicator("VICTIMS_IDENTIFIED");
  o.set_value(65);
  o.mutable_period()->mutable_start()->set_year(2005);
  o.mutable_period()->mutable_start()->set_precision(
      common::v1::DATE_PRECISION_YEAR);
  *o.mutable_period()->mutable_end() = o.period().start();
  *o.add_sources() = Source("cycles/c");
  facts_.observations.push_back(o);

  v1::CreateReportVersionRequest publish;
  publish.set_parent("cycles/c");
  publish.set_language("fr");
  publish.set_format("markdown");
  publish.set_request_id("v1");
  auto first = domain_->CreateReportVersion(publish);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->name(), "cycles/c/reportVersions/1");
  EXPECT_THAT(first->report().content(), HasSubstr("65"));
  // The same request id: the same version, nothing new.
  EXPECT_EQ(domain_->CreateReportVersion(publish)->name(), first->name());

  // A retry is answered even once the cycle cannot be reported any more.
  facts_.status = absl::UnavailableError("down");
  auto retried = domain_->CreateReportVersion(publish);
  ASSERT_TRUE(retried.ok()) << retried.status();
  EXPECT_EQ(retried->report().content_sha256(),
            first->report().content_sha256());
  facts_.status = absl::OkStatus();
  // A corrected figure changes the next report, not the published one.
  facts_.observations[0].set_value(66);
  now_ += absl::Hours(1);
  publish.set_request_id("v2");
  auto second = domain_->CreateReportVersion(publish);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->name(), "cycles/c/reportVersions/2");
  EXPECT_NE(second->report().content_sha256(),
            first->report().content_sha256());

  v1::GenerateReportRequest as_of;
  as_of.set_cycle("cycles/c");
  as_of.set_language("fr");
  as_of.set_format("markdown");
  *as_of.mutable_as_of() = first->create_time();
  auto then = domain_->GenerateReport(as_of);
  ASSERT_TRUE(then.ok()) << then.status();
  EXPECT_EQ(then->content(), first->report().content());
  as_of.set_format("html");
  EXPECT_EQ(domain_->GenerateReport(as_of).status().code(),
            absl::StatusCode::kFailedPrecondition);

  v1::ListReportVersionsRequest list;
  list.set_parent("cycles/c");
  list.set_page_size(1);
  auto page = domain_->ListReportVersions(list);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->report_versions_size(), 1);
  EXPECT_EQ(page->report_versions(0).name(), "cycles/c/reportVersions/2");
  EXPECT_TRUE(page->report_versions(0).report().content().empty());
  list.set_page_token(page->next_page_token());
  page = domain_->ListReportVersions(list);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->report_versions_size(), 1);
  EXPECT_EQ(page->report_versions(0).name(), "cycles/c/reportVersions/1");
  EXPECT_TRUE(page->next_page_token().empty());
}

TEST_F(ReportingDomainTest, WritesReportTheSequenceOfTheirChange) {
  int64_t sequence = -1;
  ASSERT_TRUE(domain_->CreateCycle(CycleRequest("c"), &sequence).ok());
  EXPECT_EQ(sequence, 1);
  v1::CreateResponseRequest response;
  response.set_parent("cycles/c");
  response.mutable_response()->set_entity("countries/EST");
  *response.mutable_response()->mutable_received_date() = Day(2008, 1, 20);
  ASSERT_TRUE(domain_->CreateResponse(response, &sequence).ok());
  EXPECT_EQ(sequence, 2);
  ASSERT_TRUE(Respond("cycles/c", "countries/LVA").ok());  // 3, of no date
  v1::CreateNarrativeBlockRequest block;
  block.set_parent("cycles/c");
  block.set_narrative_block_id("intro");
  block.mutable_narrative_block()->set_section(
      v1::REPORT_SECTION_INTRODUCTION);
  block.mutable_narrative_block()->set_language("fr");
  block.mutable_narrative_block()->set_kind(v1::BLOCK_KIND_PARAGRAPH);
  block.mutable_narrative_block()->set_text("Introduction.");
  block.set_request_id("block-1");
  auto created = domain_->CreateNarrativeBlock(block, &sequence);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(sequence, 4);
  // A replay: the latest sequence.
  sequence = -1;
  ASSERT_TRUE(domain_->CreateNarrativeBlock(block, &sequence).ok());
  EXPECT_EQ(sequence, 4);
  // Moving the cut-off before Estonia's response writes the cycle (5), then
  // the response's timeliness (6): the update reports its last change.
  v1::UpdateCycleRequest cycle;
  cycle.mutable_cycle()->set_name("cycles/c");
  *cycle.mutable_cycle()->mutable_deadline() = Day(2008, 1, 10);
  *cycle.mutable_cycle()->mutable_cutoff_date() = Day(2008, 1, 15);
  cycle.mutable_update_mask()->add_paths("deadline");
  cycle.mutable_update_mask()->add_paths("cutoff_date");
  ASSERT_TRUE(domain_->UpdateCycle(cycle, &sequence).ok());
  EXPECT_EQ(sequence, 6);
  auto changes = store_->Changes().ReadChanges(4, 10);
  ASSERT_TRUE(changes.ok()) << changes.status();
  ASSERT_EQ(changes->size(), 2u);
  EXPECT_EQ((*changes)[0].resource, "cycles/c");
  EXPECT_EQ((*changes)[1].resource, "cycles/c/responses/EST");
  v1::DeleteNarrativeBlockRequest del;
  del.set_name(created->name());
  ASSERT_TRUE(domain_->DeleteNarrativeBlock(del, &sequence).ok());
  EXPECT_EQ(sequence, 7);
  v1::CreateReportVersionRequest publish;
  publish.set_parent("cycles/c");
  publish.set_language("fr");
  publish.set_format("markdown");
  publish.set_request_id("v1");
  auto version = domain_->CreateReportVersion(publish, &sequence);
  ASSERT_TRUE(version.ok()) << version.status();
  EXPECT_EQ(sequence, 8);
  sequence = -1;
  ASSERT_TRUE(domain_->CreateReportVersion(publish, &sequence).ok());
  EXPECT_EQ(sequence, 8);
  v1::DeleteResponseRequest drop;
  drop.set_name("cycles/c/responses/EST");
  ASSERT_TRUE(domain_->DeleteResponse(drop, &sequence).ok());
  EXPECT_EQ(sequence, 9);
}

// A report over a record's 256 KiB is published whole (up to
// kMaxReportVersionBytes).
TEST_F(ReportingDomainTest, ALargeReportIsPublished) {
  ASSERT_TRUE(domain_->CreateCycle(CycleRequest("c")).ok());
  ASSERT_TRUE(Respond("cycles/c", "countries/HRV").ok());
  for (int year = 1000; year < 3500; ++year) {
    enforcement::v1::Observation o;
    o.set_name("countries/HRV/observations/" + std::to_string(year));
    o.set_entity("countries/HRV");
    o.set_indicator("VICTIMS_IDENTIFIED");
    o.set_value(year);
    auto* start = o.mutable_period()->mutable_start();
    start->set_year(year);
    start->set_precision(common::v1::DATE_PRECISION_YEAR);
    *o.mutable_period()->mutable_end() = *start;
    *o.add_sources() = Source("cycles/c");
    facts_.observations.push_back(o);
  }
  v1::CreateReportVersionRequest publish;
  publish.set_parent("cycles/c");
  publish.set_language("fr");
  publish.set_format("html");
  auto version = domain_->CreateReportVersion(publish);
  ASSERT_TRUE(version.ok()) << version.status();
  EXPECT_GT(version->ByteSizeLong(), 256u << 10);
  v1::GetReportVersionRequest get;
  get.set_name(version->name());
  auto again = domain_->GetReportVersion(get);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->report().content_sha256(),
            version->report().content_sha256());
}

TEST_F(ReportingDomainTest, FindingsAreFilteredAndBounded) {
  ASSERT_TRUE(domain_->CreateCycle(CycleRequest("c")).ok());
  ASSERT_TRUE(Respond("cycles/c", "countries/SVN").ok());
  v1::ListFindingsRequest r;
  r.set_parent("cycles/c");
  r.set_filter("rule = \"RESPONDENT_WITHOUT_FACTS\"");
  auto found = domain_->ListFindings(r);
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_EQ(found->findings_size(), 1);
  EXPECT_THAT(found->findings(0).entities(), ElementsAre("countries/SVN"));
  EXPECT_FALSE(found->truncated());
  r.set_filter("rule = ");
  EXPECT_THAT(ViolatedFields(domain_->ListFindings(r).status()),
              ElementsAre("filter"));
  // 150 figures of one series, each open at its start, all overlap: 11,175
  // pairs, more than 2 MiB of findings.
  for (int i = 0; i < 150; ++i) {
    enforcement::v1::Observation o;
    o.set_name("countries/SVN/observations/" + std::to_string(i));
    o.set_entity("countries/SVN");
    o.set_indicator("VICTIMS_IDENTIFIED");
    o.set_value(i);
    auto* end = o.mutable_period()->mutable_end();
    end->set_year(2000 + i % 8);
    end->set_precision(common::v1::DATE_PRECISION_YEAR);
    *o.add_sources() = Source("cycles/c");
    facts_.observations.push_back(o);
  }
  r.clear_filter();
  found = domain_->ListFindings(r);
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_TRUE(found->truncated());
  EXPECT_LE(found->ByteSizeLong(), kMaxResponseBytes);
}

TEST_F(ReportingDomainTest, FactsOfAnotherCycleAreNotInTheReport) {
  ASSERT_TRUE(domain_->CreateCycle(CycleRequest("a")).ok());
  ASSERT_TRUE(domain_->CreateCycle(CycleRequest("b")).ok());
  ASSERT_TRUE(Respond("cycles/a", "countries/HRV").ok());
  enforcement::v1::Observation o;
  o.set_name("countries/HRV/observations/x");
  o.set_entity("countries/HRV");
  o.set_indicator("VICTIMS_IDENTIFIED");
  o.set_value(4321);
  *o.add_sources() = Source("cycles/b");
  facts_.observations.push_back(o);
  v1::GenerateReportRequest r;
  r.set_cycle("cycles/a");
  r.set_language("en");
  r.set_format("markdown");
  auto report = domain_->GenerateReport(r);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_THAT(report->content(), ::testing::Not(HasSubstr("4,321")));
}

}  // namespace
}  // namespace palermo::reporting
