// The legislation service as a real process over gRPC: CRUD, filter,
// pagination, idempotency, etag conflicts, validation errors with field
// violations, persistence across SIGTERM and kill -9 (on PostgreSQL too
// under PALERMO_TEST_STORE=postgres); and a store that cannot be opened at
// start: the process says why and exits non-zero.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "palermo/legislation/v1/legislation.grpc.pb.h"
#include "absl/strings/match.h"
#include "services/common/principal.h"
#include "tests/support/service_process.h"

namespace palermo {
namespace {

namespace lv1 = legislation::v1;
using palermo::test::CommandResult;
using palermo::test::Context;
using palermo::test::MakeTempDir;
using palermo::test::ServiceProcess;
using palermo::test::ViolatedFields;
using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

lv1::Legislation Ratified() {
  lv1::Legislation l;
  l.mutable_protocol()->set_status(lv1::TREATY_STATUS_RATIFIED);
  auto* source = l.mutable_protocol()->add_sources();
  source->set_document_symbol("E/CN.15/2008/6");
  source->set_paragraph(5);
  source->set_footnote(1);
  return l;
}

class LegislationIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_dir_ = MakeTempDir();
    StartServer();
  }

  void StartServer() {
    auto server = ServiceProcess::Start(PALERMO_LEGISLATION_SERVER,
                                        {"--data_dir=" + data_dir_});
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    stub_ = lv1::LegislationService::NewStub(server_->Channel());
  }

  grpc::Status Create(const std::string& parent, const lv1::Legislation& l,
                      lv1::Legislation* out,
                      const std::string& request_id = "") {
    lv1::CreateLegislationRequest request;
    request.set_parent(parent);
    *request.mutable_legislation() = l;
    request.set_request_id(request_id);
    return stub_->CreateLegislation(Context().get(), request, out);
  }

  grpc::Status Get(const std::string& name, lv1::Legislation* out) {
    lv1::GetLegislationRequest request;
    request.set_name(name);
    return stub_->GetLegislation(Context().get(), request, out);
  }

  int Count() {
    lv1::ListLegislationsResponse response;
    EXPECT_TRUE(stub_->ListLegislations(Context().get(), {}, &response).ok());
    return response.total_size();
  }

  std::string data_dir_;
  std::unique_ptr<ServiceProcess> server_;
  std::unique_ptr<lv1::LegislationService::Stub> stub_;
};

TEST_F(LegislationIntegrationTest, CreateGetUpdateDeleteAndHistory) {
  lv1::Legislation created;
  ASSERT_TRUE(Create("countries/EST", Ratified(), &created).ok());
  EXPECT_EQ(created.name(), "countries/EST/legislation");
  EXPECT_EQ(created.entity().display_name(), "Estonia");

  lv1::UpdateLegislationRequest update;
  update.mutable_legislation()->set_name(created.name());
  update.mutable_legislation()->set_etag(created.etag());
  update.mutable_legislation()->set_notes("checked against the response");
  update.mutable_update_mask()->add_paths("notes");
  lv1::Legislation updated;
  auto context = Context();
  // A caller's word about who it is counts for nothing: only the gateway's
  // principals are believed. The actor is the test client's certificate.
  context->AddMetadata("palermo-actor", "analyst-7");
  context->AddMetadata(kPrincipalMetadataKey,
                       EncodePrincipal({"analyst-7", Role::kAnalyst, ""}));
  ASSERT_TRUE(stub_->UpdateLegislation(context.get(), update, &updated).ok());
  EXPECT_EQ(updated.notes(), "checked against the response");
  EXPECT_EQ(updated.protocol().status(), lv1::TREATY_STATUS_RATIFIED);

  lv1::Legislation read;
  ASSERT_TRUE(Get(created.name(), &read).ok());
  EXPECT_EQ(read.etag(), updated.etag());

  lv1::DeleteLegislationRequest del;
  del.set_name(created.name());
  google::protobuf::Empty empty;
  ASSERT_TRUE(stub_->DeleteLegislation(Context().get(), del, &empty).ok());
  EXPECT_EQ(Get(created.name(), &read).error_code(),
            grpc::StatusCode::NOT_FOUND);

  lv1::ListLegislationRevisionsRequest history;
  history.set_name(created.name());
  lv1::ListLegislationRevisionsResponse revisions;
  ASSERT_TRUE(
      stub_->ListLegislationRevisions(Context().get(), history, &revisions)
          .ok());
  ASSERT_EQ(revisions.revisions_size(), 3);
  EXPECT_EQ(revisions.revisions(0).change_kind(), lv1::CHANGE_KIND_DELETE);
  EXPECT_EQ(revisions.revisions(1).actor(), "client");
  EXPECT_THAT(revisions.revisions(1).changed_fields(), ElementsAre("notes"));
  EXPECT_EQ(revisions.revisions(2).actor(), "client");
}

TEST_F(LegislationIntegrationTest, FilterAndPagination) {
  lv1::Legislation out;
  for (const char* code : {"BGR", "BLR", "EST", "HRV", "HUN", "LVA"}) {
    ASSERT_TRUE(
        Create(std::string("countries/") + code, Ratified(), &out).ok());
  }
  ASSERT_TRUE(Create("countries/JPN", lv1::Legislation(), &out).ok());

  lv1::ListLegislationsRequest request;
  request.set_filter("protocol.status = TREATY_STATUS_RATIFIED");
  request.set_page_size(4);
  std::vector<std::string> names;
  int pages = 0;
  do {
    lv1::ListLegislationsResponse response;
    ASSERT_TRUE(
        stub_->ListLegislations(Context().get(), request, &response).ok());
    EXPECT_EQ(response.total_size(), 6);
    for (const auto& l : response.legislations()) names.push_back(l.name());
    request.set_page_token(response.next_page_token());
    ++pages;
  } while (!request.page_token().empty());
  EXPECT_EQ(pages, 2);
  EXPECT_THAT(
      names,
      ElementsAre("countries/BGR/legislation", "countries/BLR/legislation",
                  "countries/EST/legislation", "countries/HRV/legislation",
                  "countries/HUN/legislation", "countries/LVA/legislation"));

  request.set_filter("protocol.status = PERHAPS");
  lv1::ListLegislationsResponse response;
  grpc::Status bad =
      stub_->ListLegislations(Context().get(), request, &response);
  EXPECT_EQ(bad.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(bad), ElementsAre("filter"));
}

TEST_F(LegislationIntegrationTest, RequestIdMakesCreateIdempotent) {
  lv1::Legislation first, second;
  ASSERT_TRUE(Create("countries/EST", Ratified(), &first, "load-est-1").ok());
  ASSERT_TRUE(Create("countries/EST", Ratified(), &second, "load-est-1").ok());
  EXPECT_EQ(first.SerializeAsString(), second.SerializeAsString());
  lv1::Legislation other;
  grpc::Status reused =
      Create("countries/LVA", Ratified(), &other, "load-est-1");
  EXPECT_EQ(reused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(reused), ElementsAre("request_id"));
  // Without the key, a second create is a conflict.
  EXPECT_EQ(Create("countries/EST", Ratified(), &other).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(Count(), 1);
}

TEST_F(LegislationIntegrationTest, StaleEtagIsAbortedAndChangesNothing) {
  lv1::Legislation created;
  ASSERT_TRUE(Create("countries/EST", Ratified(), &created).ok());
  lv1::UpdateLegislationRequest update;
  update.mutable_legislation()->set_name(created.name());
  update.mutable_legislation()->set_etag(created.etag());
  update.mutable_legislation()->set_notes("first writer");
  update.mutable_update_mask()->add_paths("notes");
  lv1::Legislation out;
  ASSERT_TRUE(stub_->UpdateLegislation(Context().get(), update, &out).ok());
  update.mutable_legislation()->set_notes("second writer, stale copy");
  grpc::Status stale = stub_->UpdateLegislation(Context().get(), update, &out);
  EXPECT_EQ(stale.error_code(), grpc::StatusCode::ABORTED);
  lv1::Legislation read;
  ASSERT_TRUE(Get(created.name(), &read).ok());
  EXPECT_EQ(read.notes(), "first writer");
}

TEST_F(LegislationIntegrationTest, InvalidWritesNameEachFieldAndChangeNothing) {
  lv1::Legislation bad = Ratified();
  bad.mutable_penalties()->set_min_imprisonment_months(180);
  bad.mutable_penalties()->set_max_imprisonment_months(12);
  *bad.mutable_penalties()->add_sources() = bad.protocol().sources(0);
  auto* date = bad.mutable_protocol()->mutable_signature_date();
  date->set_year(2002);
  date->set_month(2);
  date->set_day(31);
  date->set_precision(common::v1::DATE_PRECISION_DAY);
  bad.mutable_specific_law()->set_status(static_cast<lv1::LawStatus>(17));
  *bad.mutable_specific_law()->add_sources() = bad.protocol().sources(0);
  lv1::Legislation out;
  grpc::Status status = Create("countries/ZZZ", bad, &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(
      ViolatedFields(status),
      UnorderedElementsAre("parent", "legislation.protocol.signature_date.day",
                           "legislation.specific_law.status",
                           "legislation.penalties.min_imprisonment_months"));
  EXPECT_EQ(Count(), 0);

  // The same content under a valid parent is still refused as a whole.
  status = Create("countries/EST", bad, &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Count(), 0);
  lv1::ListLegislationRevisionsRequest history;
  history.set_name("countries/EST/legislation");
  lv1::ListLegislationRevisionsResponse revisions;
  EXPECT_EQ(
      stub_->ListLegislationRevisions(Context().get(), history, &revisions)
          .error_code(),
      grpc::StatusCode::NOT_FOUND);
}

TEST_F(LegislationIntegrationTest, DataSurvivesGracefulRestart) {
  lv1::Legislation created;
  ASSERT_TRUE(Create("countries/EST", Ratified(), &created, "k1").ok());
  // An idle gRPC 1.51 client does not read the server's GOAWAY, which holds
  // the shutdown to its grace period: close it as a restarting client would.
  stub_.reset();
  EXPECT_EQ(server_->Terminate(), 0);
  StartServer();
  lv1::Legislation read;
  ASSERT_TRUE(Get("countries/EST/legislation", &read).ok());
  EXPECT_EQ(read.etag(), created.etag());
  // The idempotency key survives too.
  lv1::Legislation replay;
  ASSERT_TRUE(Create("countries/EST", Ratified(), &replay, "k1").ok());
  EXPECT_EQ(replay.etag(), created.etag());
}

TEST_F(LegislationIntegrationTest, AcknowledgedWritesSurviveKill9) {
  std::vector<std::string> acknowledged;
  for (const char* code : {"BGR", "BLR", "EST", "HRV", "HUN"}) {
    lv1::Legislation out;
    ASSERT_TRUE(
        Create(std::string("countries/") + code, Ratified(), &out).ok());
    acknowledged.push_back(out.name());
  }
  server_->Kill();
  StartServer();
  for (const std::string& name : acknowledged) {
    lv1::Legislation read;
    EXPECT_TRUE(Get(name, &read).ok()) << name;
  }
  EXPECT_EQ(Count(), 5);
}

// Runs the server with `args` (and a free port) to its exit.
CommandResult RunServer(std::vector<std::string> args) {
  args.push_back("--listen=127.0.0.1:0");
  absl::StatusOr<CommandResult> result =
      test::RunCommand(PALERMO_LEGISLATION_SERVER, args);
  EXPECT_TRUE(result.ok()) << result.status();
  return result.ok() ? *std::move(result) : CommandResult{-1, "", ""};
}

TEST(LegislationStartupTest, AMalformedDsnExitsNonZeroSayingWhy) {
  CommandResult run = RunServer(
      {"--store=postgres", "--postgres_dsn=host=/tmp no_such_option=1"});
  EXPECT_NE(run.exit_code, 0);
  EXPECT_TRUE(absl::StrContains(run.errors, "INVALID_ARGUMENT")) << run.errors;
  EXPECT_TRUE(absl::StrContains(run.errors, "no_such_option")) << run.errors;
  EXPECT_FALSE(absl::StrContains(run.errors, "SERVING")) << run.errors;
}

TEST(LegislationStartupTest, AnUnreachableDatabaseExitsNonZeroSayingWhy) {
  // A socket folder where no server listens.
  CommandResult run = RunServer(
      {"--store=postgres",
       "--postgres_dsn=postgresql:///palermo?host=/nonexistent-palermo-socket"});
  EXPECT_NE(run.exit_code, 0);
  EXPECT_TRUE(absl::StrContains(run.errors, "UNAVAILABLE")) << run.errors;
  EXPECT_TRUE(absl::StrContains(run.errors, "cannot open the legislation store"))
      << run.errors;
  EXPECT_FALSE(absl::StrContains(run.errors, "SERVING")) << run.errors;
}

TEST(LegislationStartupTest, AStoreFlagOfNoKnownStoreExitsNonZero) {
  // The latter: no --postgres_dsn.
  for (const std::string store : {"--store=mysql", "--store=postgres"}) {
    CommandResult run = RunServer({store});
    EXPECT_NE(run.exit_code, 0) << store;
    EXPECT_TRUE(absl::StrContains(run.errors, "--store")) << run.errors;
  }
}

}  // namespace
}  // namespace palermo
