// WatchChanges on real processes: every service's feed through the gateway,
// every write seen once and in order with the sequence its answer's trailer
// gave (for a write of each of the five services, its import stream
// included, the trailer is its own change's sequence; a replay's is at
// least it), across a reconnect and a restart of the service, compaction
// (OUT_OF_RANGE), heartbeats with the current sequence, bad requests,
// watches ending when the client cancels, when the service or the gateway
// shuts down (at once, not after the shutdown grace), and victim case
// records never in the assistance service's feed.
#include <gmock/gmock.h>
#include <google/protobuf/util/time_util.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "palermo/assistance/v1/assistance.grpc.pb.h"
#include "palermo/assistance/v1/case_records.grpc.pb.h"
#include "palermo/coordination/v1/coordination.grpc.pb.h"
#include "palermo/enforcement/v1/enforcement.grpc.pb.h"
#include "palermo/legislation/v1/legislation.grpc.pb.h"
#include "palermo/reporting/v1/reporting.grpc.pb.h"
#include "services/common/client_call.h"
#include "services/common/status.h"
#include "tests/support/service_process.h"
#include "tests/support/watcher.h"

namespace palermo {
namespace {

namespace lv1 = legislation::v1;
namespace ev1 = enforcement::v1;
namespace av1 = assistance::v1;
namespace cv1 = coordination::v1;
namespace rv1 = reporting::v1;
using common::v1::WatchChangesRequest;
using palermo::test::CaseWorkerContext;
using palermo::test::Context;
using palermo::test::MakeTempDir;
using palermo::test::ServiceProcess;
using palermo::test::Watcher;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

WatchChangesRequest FromLatest(
    absl::Duration heartbeat = absl::ZeroDuration()) {
  WatchChangesRequest request;
  request.set_from_latest(true);
  if (heartbeat > absl::ZeroDuration()) {
    *request.mutable_heartbeat_interval() =
        google::protobuf::util::TimeUtil::MillisecondsToDuration(
            absl::ToInt64Milliseconds(heartbeat));
  }
  return request;
}

WatchChangesRequest After(int64_t sequence) {
  WatchChangesRequest request;
  request.set_after_sequence(sequence);
  return request;
}

// A watch starting from the latest sequence gets it in a heartbeat at once,
// then a heartbeat every interval.
template <typename Stub>
void ExpectHeartbeats(Stub& stub, const std::string& what) {
  Watcher watcher(stub, FromLatest(absl::Milliseconds(100)));
  auto first = watcher.Next();
  ASSERT_TRUE(first.has_value()) << what << ": " << *watcher.End();
  ASSERT_TRUE(first->has_heartbeat()) << what;
  const int64_t latest = first->heartbeat().current_sequence();
  EXPECT_GE(latest, 0) << what;
  for (int i = 0; i < 2; ++i) {
    auto next = watcher.Next();
    ASSERT_TRUE(next.has_value()) << what;
    ASSERT_TRUE(next->has_heartbeat()) << what;
    EXPECT_EQ(next->heartbeat().current_sequence(), latest) << what;
    EXPECT_GT(next->heartbeat().time().seconds(), 0) << what;
  }
}

// Creates coordination body `id` of Czechia; its name and the sequence its
// answer's trailer gave (-1 if none).
std::pair<std::string, int64_t> CreateBody(cv1::CoordinationService::Stub& stub,
                                           const std::string& id) {
  cv1::CreateCoordinationBodyRequest request;
  request.set_parent("countries/CZE");
  request.set_coordination_body_id(id);
  auto* body = request.mutable_coordination_body();
  body->set_display_name("Body " + id);
  body->set_kind(cv1::BODY_KIND_NATIONAL_RAPPORTEUR);
  auto* source = body->add_sources();
  source->set_document_symbol("E/CN.15/2008/6");
  source->set_paragraph(72);
  auto context = Context();
  cv1::CoordinationBody created;
  grpc::Status status =
      stub.CreateCoordinationBody(context.get(), request, &created);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return {created.name(), ChangeSequenceOf(*context).value_or(-1)};
}

// The latest sequence, from a watch's first heartbeat.
template <typename Stub>
int64_t Latest(Stub& stub) {
  Watcher watcher(stub, FromLatest());
  auto first = watcher.Next();
  EXPECT_TRUE(first.has_value() && first->has_heartbeat());
  return first.has_value() ? first->heartbeat().current_sequence() : -1;
}

// What a write answered: the resources it changed and the sequence its
// answer's trailer gave (-1 if none).
struct Written {
  std::set<std::string> resources;
  int64_t sequence = -1;
};

template <typename Response>
Written Answered(const grpc::Status& status, const grpc::ClientContext& context,
                 std::set<std::string> resources, const Response&) {
  EXPECT_TRUE(status.ok()) << status.error_message();
  return {std::move(resources), ChangeSequenceOf(context).value_or(-1)};
}

// `write()` twice (it sends one request id): the first time, the trailer is
// the sequence of the write's last change as a watcher sees it, its changes
// being the next ones; the replay's trailer is at least that.
template <typename Stub, typename Write>
void ExpectTheTrailerIsTheWritesSequence(Stub& stub, const std::string& what,
                                         Write write) {
  const int64_t start = Latest(stub);
  Watcher watcher(stub, After(start));
  const Written first = write();
  ASSERT_FALSE(first.resources.empty()) << what;
  EXPECT_GT(first.sequence, start) << what;
  std::set<std::string> seen;
  int64_t last = start;
  for (size_t i = 0; i < first.resources.size(); ++i) {
    auto change = watcher.NextChange();
    ASSERT_TRUE(change.has_value()) << what << ": " << *watcher.End();
    EXPECT_EQ(change->sequence(), last + 1) << what;
    last = change->sequence();
    seen.insert(change->resource());
  }
  EXPECT_EQ(seen, first.resources) << what;
  EXPECT_EQ(first.sequence, last) << what;
  const Written replay = write();
  EXPECT_GE(replay.sequence, first.sequence) << what << " (replay)";
}

class WatchChangesSuiteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto suite = palermo::test::Suite::Start(MakeTempDir());
    ASSERT_TRUE(suite.ok()) << suite.status();
    suite_ = *std::move(suite);
  }
  std::unique_ptr<palermo::test::Suite> suite_;
};

TEST_F(WatchChangesSuiteTest, EveryServiceServesItsFeedThroughTheGateway) {
  auto channel = suite_->gateway->Channel();
  auto legislation = lv1::LegislationService::NewStub(channel);
  ExpectHeartbeats(*legislation, "legislation");
  auto enforcement = enforcement::v1::EnforcementService::NewStub(channel);
  ExpectHeartbeats(*enforcement, "enforcement");
  auto assistance = assistance::v1::AssistanceService::NewStub(channel);
  ExpectHeartbeats(*assistance, "assistance");
  auto coordination = coordination::v1::CoordinationService::NewStub(channel);
  ExpectHeartbeats(*coordination, "coordination");
  auto reporting = reporting::v1::ReportingService::NewStub(channel);
  ExpectHeartbeats(*reporting, "reporting");
}

TEST_F(WatchChangesSuiteTest, EveryServicesWriteTellsTheSequenceOfItsChange) {
  auto channel = suite_->gateway->Channel();
  auto legislation = lv1::LegislationService::NewStub(channel);
  ExpectTheTrailerIsTheWritesSequence(*legislation, "legislation", [&] {
    lv1::CreateLegislationRequest request;
    request.set_parent("countries/EST");
    request.mutable_legislation()->mutable_protocol()->set_status(
        lv1::TREATY_STATUS_RATIFIED);
    auto* source =
        request.mutable_legislation()->mutable_protocol()->add_sources();
    source->set_document_symbol("E/CN.15/2008/6");
    source->set_paragraph(5);
    request.set_request_id("legislation-1");
    auto context = Context();
    lv1::Legislation out;
    grpc::Status status =
        legislation->CreateLegislation(context.get(), request, &out);
    return Answered(status, *context, {"countries/EST/legislation"}, out);
  });

  auto enforcement = ev1::EnforcementService::NewStub(channel);
  auto figure = [](int year) {
    ev1::Observation o;
    o.set_entity("countries/SLV");
    o.set_indicator("VICTIMS_IDENTIFIED");
    o.mutable_period()->mutable_start()->set_year(year);
    o.mutable_period()->mutable_start()->set_precision(
        common::v1::DATE_PRECISION_YEAR);
    *o.mutable_period()->mutable_end() = o.period().start();
    o.set_value(10 + year % 100);
    auto* s = o.add_sources();
    s->set_document_symbol("TEST/1");
    s->set_paragraph(1);
    return o;
  };
  ExpectTheTrailerIsTheWritesSequence(*enforcement, "enforcement upsert", [&] {
    ev1::UpsertObservationRequest request;
    *request.mutable_observation() = figure(2005);
    request.set_request_id("upsert-1");
    auto context = Context();
    ev1::Observation out;
    grpc::Status status =
        enforcement->UpsertObservation(context.get(), request, &out);
    return Answered(status, *context, {out.name()}, out);
  });
  // The import stream: its trailer is its last change's.
  std::set<std::string> imported;
  ExpectTheTrailerIsTheWritesSequence(*enforcement, "enforcement import", [&] {
    auto context = Context();
    ev1::ImportObservationsResponse response;
    auto writer = enforcement->ImportObservations(context.get(), &response);
    ev1::ImportObservationsRequest message;
    message.set_request_id("import-1");
    for (int year : {2006, 2007, 2008}) {
      *message.add_observations() = figure(year);
    }
    EXPECT_TRUE(writer->Write(message));
    writer->WritesDone();
    grpc::Status status = writer->Finish();
    EXPECT_EQ(response.created(), 3);  // the replay: the first answer
    if (imported.empty()) {            // the rows' names
      ev1::ListObservationsRequest list;
      list.set_parent("countries/SLV");
      ev1::ListObservationsResponse page;
      EXPECT_TRUE(
          enforcement->ListObservations(Context().get(), list, &page).ok());
      for (const auto& o : page.observations()) {
        if (o.period().start().year() >= 2006) imported.insert(o.name());
      }
      EXPECT_EQ(imported.size(), 3u);
    }
    return Answered(status, *context, imported, response);
  });

  auto assistance = av1::AssistanceService::NewStub(channel);
  ExpectTheTrailerIsTheWritesSequence(*assistance, "assistance", [&] {
    av1::CreateMeasureRequest request;
    request.set_parent("countries/ROU");
    request.set_measure_id("shelter");
    request.mutable_measure()->set_measure_type("SHELTER");
    auto* source = request.mutable_measure()->add_sources();
    source->set_document_symbol("E/CN.15/2008/6");
    source->set_paragraph(61);
    request.set_request_id("measure-1");
    auto context = Context();
    av1::Measure out;
    grpc::Status status =
        assistance->CreateMeasure(context.get(), request, &out);
    return Answered(status, *context, {"countries/ROU/measures/shelter"}, out);
  });

  auto coordination = cv1::CoordinationService::NewStub(channel);
  ExpectTheTrailerIsTheWritesSequence(*coordination, "coordination", [&] {
    cv1::CreateCoordinationBodyRequest request;
    request.set_parent("countries/CZE");
    request.set_coordination_body_id("rapporteur");
    auto* body = request.mutable_coordination_body();
    body->set_display_name("Rapporteur");
    body->set_kind(cv1::BODY_KIND_NATIONAL_RAPPORTEUR);
    auto* source = body->add_sources();
    source->set_document_symbol("E/CN.15/2008/6");
    source->set_paragraph(72);
    request.set_request_id("body-1");
    auto context = Context();
    cv1::CoordinationBody out;
    grpc::Status status =
        coordination->CreateCoordinationBody(context.get(), request, &out);
    return Answered(status, *context,
                    {"countries/CZE/coordinationBodies/rapporteur"}, out);
  });

  auto reporting = rv1::ReportingService::NewStub(channel);
  ExpectTheTrailerIsTheWritesSequence(*reporting, "reporting", [&] {
    rv1::CreateCycleRequest request;
    request.set_cycle_id("ccpcj-18");
    auto* c = request.mutable_cycle();
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
    request.set_request_id("cycle-1");
    auto context = Context();
    rv1::Cycle out;
    grpc::Status status = reporting->CreateCycle(context.get(), request, &out);
    return Answered(status, *context, {"cycles/ccpcj-18"}, out);
  });
}

// Writers at once: each answer's trailer is its own change's sequence, not
// the latest after it (which another's commit may have moved).
TEST_F(WatchChangesSuiteTest, ConcurrentWritesEachTellTheirOwnSequence) {
  auto stub = cv1::CoordinationService::NewStub(suite_->gateway->Channel());
  const int64_t start = Latest(*stub);
  Watcher watcher(*stub, After(start));
  constexpr int kWriters = 8, kEach = 5;
  std::vector<std::pair<std::string, int64_t>> written(kWriters * kEach);
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      for (int i = 0; i < kEach; ++i) {
        written[w * kEach + i] =
            CreateBody(*stub, absl::StrCat("w", w, "-", i));
      }
    });
  }
  for (std::thread& t : writers) t.join();
  std::map<std::string, int64_t> seen;
  for (size_t i = 0; i < written.size(); ++i) {
    auto change = watcher.NextChange();
    ASSERT_TRUE(change.has_value()) << *watcher.End();
    seen[change->resource()] = change->sequence();
  }
  for (const auto& [name, sequence] : written) {
    EXPECT_EQ(sequence, seen[name]) << name;
  }
}

// Case records are unlogged: created, updated and deleted through the case
// workers' service, they append nothing to the feed, directly or through
// the gateway, and no heartbeat's current sequence moves with them.
TEST_F(WatchChangesSuiteTest, CaseRecordsNeverReachTheAssistanceFeed) {
  auto public_stub =
      av1::AssistanceService::NewStub(suite_->gateway->Channel());
  auto direct = av1::AssistanceService::NewStub(suite_->assistance->Channel());
  auto cases =
      av1::CaseRecordService::NewStub(suite_->assistance->CaseRecordsChannel());
  const int64_t start = Latest(*public_stub);
  WatchChangesRequest request = After(start);
  *request.mutable_heartbeat_interval() =
      google::protobuf::util::TimeUtil::MillisecondsToDuration(100);
  Watcher through_gateway(*public_stub, request);
  Watcher at_the_service(*direct, request);

  av1::CreateCaseRecordRequest create;
  create.mutable_case_record()->set_entity("countries/ROU");
  create.mutable_case_record()->set_gender(av1::GENDER_FEMALE);
  create.mutable_case_record()->set_citizenship("MDA");
  create.set_request_id("case-1");
  av1::CaseRecord created;
  auto context = CaseWorkerContext();
  ASSERT_TRUE(cases->CreateCaseRecord(context.get(), create, &created).ok());
  // Its trailer: the latest sequence, which it did not move.
  EXPECT_EQ(ChangeSequenceOf(*context).value_or(-1), start);
  av1::UpdateCaseRecordRequest update;
  update.mutable_case_record()->set_name(created.name());
  update.mutable_case_record()->set_gender(av1::GENDER_MALE);
  update.mutable_update_mask()->add_paths("gender");
  av1::CaseRecord updated;
  context = CaseWorkerContext();
  ASSERT_TRUE(cases->UpdateCaseRecord(context.get(), update, &updated).ok());
  EXPECT_EQ(ChangeSequenceOf(*context).value_or(-1), start);
  av1::DeleteCaseRecordRequest del;
  del.set_name(created.name());
  google::protobuf::Empty empty;
  context = CaseWorkerContext();
  ASSERT_TRUE(cases->DeleteCaseRecord(context.get(), del, &empty).ok());
  EXPECT_EQ(ChangeSequenceOf(*context).value_or(-1), start);
  const absl::Time written = absl::Now();

  // Every event until a heartbeat sent after the writes is a heartbeat at
  // the start's sequence.
  for (Watcher* watcher : {&through_gateway, &at_the_service}) {
    bool after_writes = false;
    while (!after_writes) {
      auto event = watcher->Next();
      ASSERT_TRUE(event.has_value()) << *watcher->End();
      ASSERT_TRUE(event->has_heartbeat()) << event->DebugString();
      EXPECT_EQ(event->heartbeat().current_sequence(), start);
      after_writes =
          google::protobuf::util::TimeUtil::TimestampToNanoseconds(
              event->heartbeat().time()) >= absl::ToUnixNanos(written);
    }
  }
  // The next public write is the next sequence, and the next change seen.
  av1::CreateMeasureRequest measure;
  measure.set_parent("countries/ROU");
  measure.set_measure_id("shelter");
  measure.mutable_measure()->set_measure_type("SHELTER");
  auto* source = measure.mutable_measure()->add_sources();
  source->set_document_symbol("E/CN.15/2008/6");
  source->set_paragraph(61);
  av1::Measure out;
  context = Context();
  ASSERT_TRUE(public_stub->CreateMeasure(context.get(), measure, &out).ok());
  EXPECT_EQ(ChangeSequenceOf(*context).value_or(-1), start + 1);
  for (Watcher* watcher : {&through_gateway, &at_the_service}) {
    auto change = watcher->NextChange();
    ASSERT_TRUE(change.has_value()) << *watcher->End();
    EXPECT_EQ(change->sequence(), start + 1);
    EXPECT_EQ(change->resource(), out.name());
  }
  // Read from the beginning, the log names no case record.
  Watcher from_zero(*direct, After(0));
  for (int64_t i = 1; i <= start + 1; ++i) {
    auto change = from_zero.NextChange();
    ASSERT_TRUE(change.has_value()) << *from_zero.End();
    EXPECT_THAT(change->resource(), ::testing::Not(HasSubstr("cases/")));
  }
}

TEST_F(WatchChangesSuiteTest, SeesEveryWriteOnceInOrderWithItsSequence) {
  auto stub = cv1::CoordinationService::NewStub(suite_->gateway->Channel());
  const int64_t start = Latest(*stub);
  WatchChangesRequest request = After(start);
  *request.mutable_heartbeat_interval() =
      google::protobuf::util::TimeUtil::MillisecondsToDuration(100);
  Watcher watcher(*stub, request);
  std::vector<std::pair<std::string, int64_t>> written;
  for (int i = 0; i < 30; ++i) {
    written.push_back(CreateBody(*stub, "body-" + std::to_string(i)));
    EXPECT_EQ(written.back().second, start + i + 1) << "write " << i;
  }
  for (int i = 0; i < 30; ++i) {
    auto change = watcher.NextChange();
    ASSERT_TRUE(change.has_value()) << i << ": " << *watcher.End();
    EXPECT_EQ(change->sequence(), written[i].second);
    EXPECT_EQ(change->resource(), written[i].first);
    EXPECT_EQ(change->type(), common::v1::CHANGE_TYPE_CREATED);
    EXPECT_EQ(change->revision(), 1);
    EXPECT_GT(change->commit_time().seconds(), 0);
  }
  // Nothing more: the next event is a heartbeat at the last sequence.
  auto next = watcher.Next();
  ASSERT_TRUE(next.has_value());
  ASSERT_TRUE(next->has_heartbeat()) << next->DebugString();
  EXPECT_EQ(next->heartbeat().current_sequence(), start + 30);
}

TEST_F(WatchChangesSuiteTest,
       ResumesFromTheLastSequenceWithoutLossOrDuplicate) {
  auto stub = cv1::CoordinationService::NewStub(suite_->gateway->Channel());
  const int64_t start = Latest(*stub);
  std::vector<int64_t> seen;
  {
    Watcher first(*stub, After(start));
    for (int i = 0; i < 20; ++i) CreateBody(*stub, "a-" + std::to_string(i));
    for (int i = 0; i < 7; ++i) {
      auto change = first.NextChange();
      ASSERT_TRUE(change.has_value());
      seen.push_back(change->sequence());
    }
  }  // disconnects with 13 changes unread
  for (int i = 0; i < 5; ++i) CreateBody(*stub, "b-" + std::to_string(i));
  WatchChangesRequest request = After(seen.back());
  *request.mutable_heartbeat_interval() =
      google::protobuf::util::TimeUtil::MillisecondsToDuration(100);
  Watcher second(*stub, request);
  while (auto event = second.Next()) {
    if (event->has_heartbeat()) break;
    seen.push_back(event->change().sequence());
  }
  std::vector<int64_t> expected;
  for (int64_t i = start + 1; i <= start + 25; ++i) expected.push_back(i);
  EXPECT_EQ(seen, expected);
}

TEST_F(WatchChangesSuiteTest, ResumesAcrossARestartOfTheService) {
  auto stub = cv1::CoordinationService::NewStub(suite_->gateway->Channel());
  const int64_t start = Latest(*stub);
  Watcher before(*stub, After(start));
  for (int i = 0; i < 5; ++i) CreateBody(*stub, "a-" + std::to_string(i));
  int64_t last = start;
  for (int i = 0; i < 5; ++i) {
    auto change = before.NextChange();
    ASSERT_TRUE(change.has_value());
    EXPECT_EQ(change->sequence(), ++last);
  }
  EXPECT_EQ(suite_->coordination->Terminate(), 0);
  auto end = before.End();
  ASSERT_TRUE(end.has_value());
  EXPECT_EQ(end->code(), absl::StatusCode::kUnavailable) << *end;
  ASSERT_TRUE(suite_->coordination->Restart().ok());
  // As a client would: watch again from the last sequence until the
  // gateway has reconnected.
  WatchChangesRequest request = After(last);
  *request.mutable_heartbeat_interval() =
      google::protobuf::util::TimeUtil::MillisecondsToDuration(100);
  std::unique_ptr<Watcher> after;
  const absl::Time deadline = absl::Now() + absl::Seconds(20);
  while (absl::Now() < deadline) {
    after = std::make_unique<Watcher>(*stub, request);
    auto first = after->Next();
    if (first.has_value()) {
      ASSERT_TRUE(first->has_heartbeat());
      EXPECT_EQ(first->heartbeat().current_sequence(), last);
      break;
    }
    ASSERT_EQ(after->End()->code(), absl::StatusCode::kUnavailable);
    after.reset();
  }
  ASSERT_NE(after, nullptr) << "the gateway did not reconnect";
  for (int i = 0; i < 5; ++i) {
    auto [name, sequence] = CreateBody(*stub, "b-" + std::to_string(i));
    EXPECT_EQ(sequence, last + i + 1);
  }
  for (int i = 0; i < 5; ++i) {
    auto change = after->NextChange();
    ASSERT_TRUE(change.has_value());
    EXPECT_EQ(change->sequence(), ++last);
    EXPECT_THAT(change->resource(), HasSubstr("/b-"));
  }
}

TEST_F(WatchChangesSuiteTest,
       RefusesNegativeAndFutureSequencesAndBadIntervals) {
  auto stub = lv1::LegislationService::NewStub(suite_->gateway->Channel());
  {
    Watcher negative(*stub, After(-1));
    auto end = negative.End();
    ASSERT_TRUE(end.has_value());
    EXPECT_EQ(end->code(), absl::StatusCode::kInvalidArgument) << *end;
    EXPECT_THAT(BadRequestOf(*end).field_violations(0).field(),
                "after_sequence");
  }
  {
    Watcher future(*stub, After(1000000000));
    auto end = future.End();
    ASSERT_TRUE(end.has_value());
    EXPECT_EQ(end->code(), absl::StatusCode::kInvalidArgument) << *end;
    EXPECT_THAT(end->message(), HasSubstr("after the latest committed"));
  }
  {
    WatchChangesRequest request = FromLatest();
    request.mutable_heartbeat_interval()->set_nanos(1000000);  // 1 ms
    Watcher too_often(*stub, request);
    auto end = too_often.End();
    ASSERT_TRUE(end.has_value());
    EXPECT_EQ(end->code(), absl::StatusCode::kInvalidArgument) << *end;
    EXPECT_EQ(BadRequestOf(*end).field_violations(0).field(),
              "heartbeat_interval");
  }
}

TEST_F(WatchChangesSuiteTest, BackendShutdownEndsTheGatewaysWatchUnavailable) {
  auto stub = lv1::LegislationService::NewStub(suite_->gateway->Channel());
  Watcher watcher(*stub, FromLatest());
  ASSERT_TRUE(watcher.Next().has_value());
  EXPECT_EQ(suite_->legislation->Terminate(), 0);
  auto end = watcher.End();
  ASSERT_TRUE(end.has_value());
  EXPECT_EQ(end->code(), absl::StatusCode::kUnavailable) << *end;
}

// Alone, with a shutdown grace no test would wait for: only watches that
// end at once let the process stop.
TEST(WatchChangesShutdownTest, ServiceShutdownEndsWatchesAtOnce) {
  auto service = ServiceProcess::Start(
      PALERMO_LEGISLATION_SERVER,
      {"--data_dir=" + MakeTempDir(), "--shutdown_grace=1h"});
  ASSERT_TRUE(service.ok()) << service.status();
  auto stub = lv1::LegislationService::NewStub((*service)->Channel());
  Watcher a(*stub, FromLatest());
  WatchChangesRequest request = After(0);
  *request.mutable_heartbeat_interval() =
      google::protobuf::util::TimeUtil::MillisecondsToDuration(100);
  Watcher b(*stub, request);
  ASSERT_TRUE(a.Next().has_value());
  ASSERT_TRUE(b.Next().has_value());
  EXPECT_EQ((*service)->Terminate(), 0);
  for (Watcher* w : {&a, &b}) {
    auto end = w->End();
    ASSERT_TRUE(end.has_value());
    EXPECT_EQ(end->code(), absl::StatusCode::kUnavailable) << *end;
    EXPECT_THAT(end->message(), HasSubstr("shutting down"));
  }
}

TEST(WatchChangesShutdownTest, GatewayShutdownEndsForwardedWatchesAtOnce) {
  const std::string dir = MakeTempDir();
  auto legislation = ServiceProcess::Start(PALERMO_LEGISLATION_SERVER,
                                           {"--data_dir=" + dir + "/l"});
  ASSERT_TRUE(legislation.ok()) << legislation.status();
  auto gateway = ServiceProcess::Start(
      PALERMO_GATEWAY_SERVER,
      {"--shutdown_grace=1h",
       "--legislation_address=" + (*legislation)->address()});
  ASSERT_TRUE(gateway.ok()) << gateway.status();
  auto stub = lv1::LegislationService::NewStub((*gateway)->Channel());
  Watcher watcher(*stub, FromLatest());
  ASSERT_TRUE(watcher.Next().has_value());
  EXPECT_EQ((*gateway)->Terminate(), 0);
  auto end = watcher.End();
  ASSERT_TRUE(end.has_value());
  EXPECT_EQ(end->code(), absl::StatusCode::kUnavailable) << *end;
  EXPECT_THAT(end->message(), HasSubstr("gateway is shutting down"));
  // The backend's watch was cancelled: it serves on.
  auto direct = lv1::LegislationService::NewStub((*legislation)->Channel());
  Watcher again(*direct, FromLatest());
  EXPECT_TRUE(again.Next().has_value());
}

TEST(WatchChangesCompactionTest, ACompactedSequenceIsOutOfRange) {
  auto service = ServiceProcess::Start(
      PALERMO_COORDINATION_SERVER,
      {"--data_dir=" + MakeTempDir(), "--change_log_retain=5"});
  ASSERT_TRUE(service.ok()) << service.status();
  auto stub = cv1::CoordinationService::NewStub((*service)->Channel());
  const int64_t start = Latest(*stub);
  for (int i = 0; i < 20; ++i) CreateBody(*stub, "body-" + std::to_string(i));
  Watcher old(*stub, After(start + 1));
  auto end = old.End();
  ASSERT_TRUE(end.has_value());
  EXPECT_EQ(end->code(), absl::StatusCode::kOutOfRange) << *end;
  EXPECT_THAT(end->message(), HasSubstr("compacted"));
  EXPECT_THAT(end->message(), HasSubstr("current_sequence"));
  // The newest five are kept.
  Watcher recent(*stub, After(start + 15));
  for (int64_t i = start + 16; i <= start + 20; ++i) {
    auto change = recent.NextChange();
    ASSERT_TRUE(change.has_value()) << *recent.End();
    EXPECT_EQ(change->sequence(), i);
  }
}

TEST(WatchChangesLimitsTest, WatchesAreBoundedApartFromCallsInFlight) {
  auto service =
      ServiceProcess::Start(PALERMO_LEGISLATION_SERVER,
                            {"--data_dir=" + MakeTempDir(), "--max_watches=2",
                             "--max_inflight_calls=1"});
  ASSERT_TRUE(service.ok()) << service.status();
  auto stub = lv1::LegislationService::NewStub((*service)->Channel());
  auto a = std::make_unique<Watcher>(*stub, FromLatest());
  Watcher b(*stub, FromLatest());
  ASSERT_TRUE(a->Next().has_value());
  ASSERT_TRUE(b.Next().has_value());
  // Two open watches take no call slot: a unary call still runs.
  lv1::GetLegislationRequest get;
  get.set_name("countries/EST/legislation");
  lv1::Legislation legislation;
  EXPECT_EQ(
      stub->GetLegislation(Context().get(), get, &legislation).error_code(),
      grpc::StatusCode::NOT_FOUND);
  {
    Watcher third(*stub, FromLatest());
    auto end = third.End();
    ASSERT_TRUE(end.has_value());
    EXPECT_EQ(end->code(), absl::StatusCode::kResourceExhausted) << *end;
    EXPECT_THAT(end->message(), HasSubstr("--max_watches"));
  }
  // A cancelled watch ends CANCELLED (its place is given back once the
  // service learns it: ChangeFeedTest.BoundsTheNumberOfWatches).
  a->Cancel();
  auto end = a->End();
  ASSERT_TRUE(end.has_value());
  EXPECT_EQ(end->code(), absl::StatusCode::kCancelled) << *end;
}

}  // namespace
}  // namespace palermo
