// CaseRecordService's handlers with fake case-worker checks, without a
// server: a refused call of each method answers the check's status and
// writes nothing; an accepted one reaches the domain.
#include "services/assistance/case_record_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>

#include "services/assistance/sqlite_assistance_store.h"
#include "services/common/test_support.h"

namespace palermo::assistance {
namespace {

class CaseRecordServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = FreshTestDir();
    auto store = SqliteAssistanceStore::Open((dir_ / "a.db").string());
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
    domain_ = std::make_unique<AssistanceDomain>(*store_, TestEntities());
    // Counts the checks, and refuses while `refuse_` is set.
    service_ = std::make_unique<CaseRecordServiceImpl>(
        *domain_, [this](const grpc::ServerContextBase&) {
          ++checks_;
          return refuse_ ? absl::PermissionDeniedError("not a case worker")
                         : absl::OkStatus();
        });
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  v1::CreateCaseRecordRequest NewCase() {
    v1::CreateCaseRecordRequest request;
    request.mutable_case_record()->set_entity("countries/ROU");
    request.mutable_case_record()->set_gender(v1::GENDER_FEMALE);
    request.set_request_id("case-1");
    return request;
  }

  // The records the domain holds, read past the service.
  int StoredCases() {
    auto page = domain_->ListCases({});
    EXPECT_TRUE(page.ok()) << page.status();
    return page.ok() ? page->case_records_size() : -1;
  }

  std::filesystem::path dir_;
  std::unique_ptr<SqliteAssistanceStore> store_;
  std::unique_ptr<AssistanceDomain> domain_;
  std::unique_ptr<CaseRecordServiceImpl> service_;
  bool refuse_ = false;
  int checks_ = 0;
};

TEST_F(CaseRecordServiceTest, ARefusedCallGetsTheChecksStatusAndWritesNothing) {
  refuse_ = true;
  grpc::ServerContext context;
  v1::CaseRecord record;
  const v1::CreateCaseRecordRequest create = NewCase();
  grpc::Status status = service_->CreateCaseRecord(&context, &create, &record);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(status.error_message(), "not a case worker");
  EXPECT_EQ(record.name(), "");
  v1::CaseRelease release;
  v1::CreateCaseReleaseRequest cut;
  EXPECT_EQ(service_->CreateCaseRelease(&context, &cut, &release).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(checks_, 2);
  EXPECT_EQ(StoredCases(), 0);
  auto latest = store_->LatestCaseReleaseNumber();
  ASSERT_TRUE(latest.ok()) << latest.status();
  EXPECT_EQ(*latest, 0);
}

TEST_F(CaseRecordServiceTest, EveryMethodIsChecked) {
  // A record to name, written while the check accepts.
  grpc::ServerContext create_context;
  v1::CaseRecord created;
  const v1::CreateCaseRecordRequest create = NewCase();
  ASSERT_TRUE(
      service_->CreateCaseRecord(&create_context, &create, &created).ok());
  EXPECT_EQ(StoredCases(), 1);
  refuse_ = true;
  checks_ = 0;
  grpc::ServerContext context;
  const auto denied = grpc::StatusCode::PERMISSION_DENIED;
  v1::CaseRecord record;
  v1::GetCaseRecordRequest get;
  get.set_name(created.name());
  EXPECT_EQ(service_->GetCaseRecord(&context, &get, &record).error_code(),
            denied);
  EXPECT_EQ(record.name(), "");
  v1::ListCaseRecordsRequest list;
  v1::ListCaseRecordsResponse page;
  EXPECT_EQ(service_->ListCaseRecords(&context, &list, &page).error_code(),
            denied);
  EXPECT_EQ(page.case_records_size(), 0);
  v1::UpdateCaseRecordRequest update;
  *update.mutable_case_record() = created;
  update.mutable_case_record()->set_gender(v1::GENDER_MALE);
  update.mutable_update_mask()->add_paths("gender");
  EXPECT_EQ(service_->UpdateCaseRecord(&context, &update, &record).error_code(),
            denied);
  v1::DeleteCaseRecordRequest del;
  del.set_name(created.name());
  google::protobuf::Empty empty;
  EXPECT_EQ(service_->DeleteCaseRecord(&context, &del, &empty).error_code(),
            denied);
  EXPECT_EQ(checks_, 4);
  // Neither updated nor deleted.
  auto stored = domain_->GetCase(get);
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->gender(), v1::GENDER_FEMALE);
}

TEST_F(CaseRecordServiceTest, AnAcceptedCallReachesTheDomain) {
  grpc::ServerContext context;
  v1::CaseRecord created;
  const v1::CreateCaseRecordRequest create = NewCase();
  ASSERT_TRUE(service_->CreateCaseRecord(&context, &create, &created).ok());
  EXPECT_THAT(created.name(), ::testing::StartsWith("cases/"));
  grpc::ServerContext release_context;
  v1::CreateCaseReleaseRequest cut;
  v1::CaseRelease release;
  ASSERT_TRUE(
      service_->CreateCaseRelease(&release_context, &cut, &release).ok());
  EXPECT_EQ(release.number(), 1);
  EXPECT_EQ(checks_, 2);
  EXPECT_EQ(StoredCases(), 1);
}

TEST(RefuseEveryCallerTest, RefusesUnauthenticated) {
  grpc::ServerContext context;
  absl::Status status = RefuseEveryCaller()(context);
  EXPECT_EQ(status.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(status.message(), "case records need a case worker's token");
}

}  // namespace
}  // namespace palermo::assistance
