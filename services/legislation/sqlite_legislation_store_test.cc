// Storage contract of the SQLite legislation store: atomic compare-and-swap
// writes, revisions, idempotency keys, durability across reopen.
#include "services/legislation/sqlite_legislation_store.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "services/common/test_support.h"

namespace palermo::legislation {
namespace {

class SqliteLegislationStoreTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = FreshTestDir();
    Reopen();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void Reopen() {
    store_.reset();
    auto store = SqliteLegislationStore::Open((dir_ / "l.db").string());
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
  }

  static Write MakeWrite(v1::ChangeKind kind, int64_t expected,
                         std::string notes, std::string request_id = "") {
    Write w;
    w.kind = kind;
    w.name = "countries/EST/legislation";
    w.expected_revision = expected;
    w.record.set_name(w.name);
    w.record.set_notes(std::move(notes));
    w.changed_fields = {"notes"};
    w.actor = "tester";
    w.time = absl::FromUnixSeconds(1000);
    w.request_id = std::move(request_id);
    w.request = {"fp", "resp"};
    return w;
  }

  std::filesystem::path dir_;
  std::unique_ptr<SqliteLegislationStore> store_;
};

TEST_F(SqliteLegislationStoreTest, WritesAreCompareAndSwap) {
  ASSERT_EQ(store_->Apply(MakeWrite(v1::CHANGE_KIND_CREATE, 0, "a"))->revision,
            1);
  EXPECT_EQ(
      store_->Apply(MakeWrite(v1::CHANGE_KIND_CREATE, 0, "b")).status().code(),
      absl::StatusCode::kAborted);
  ASSERT_EQ(store_->Apply(MakeWrite(v1::CHANGE_KIND_UPDATE, 1, "c"))->revision,
            2);
  auto got = store_->Get("countries/EST/legislation");
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->revision, 2);
  EXPECT_EQ((*got)->record.notes(), "c");
}

TEST_F(SqliteLegislationStoreTest, ATakenRequestIdWritesNothingAndReturnsIt) {
  ASSERT_TRUE(
      store_->Apply(MakeWrite(v1::CHANGE_KIND_CREATE, 0, "a", "id")).ok());
  // Checked before the revision: a retry racing the first call learns that
  // the call was committed instead of failing on the revision.
  auto again = store_->Apply(MakeWrite(v1::CHANGE_KIND_CREATE, 0, "b", "id"));
  ASSERT_TRUE(again.ok()) << again.status();
  ASSERT_TRUE(again->earlier.has_value());
  EXPECT_EQ(again->earlier->response, "resp");
  auto got = store_->Get("countries/EST/legislation");
  EXPECT_EQ((*got)->record.notes(), "a");  // nothing written
  EXPECT_EQ((*got)->revision, 1);
  auto request = store_->FindRequest("id");
  ASSERT_TRUE(request.ok() && request->has_value());
  EXPECT_EQ((*request)->response, "resp");
}

TEST_F(SqliteLegislationStoreTest, DeletedRecordsLeaveListsButKeepRevisions) {
  ASSERT_TRUE(store_->Apply(MakeWrite(v1::CHANGE_KIND_CREATE, 0, "a")).ok());
  ASSERT_TRUE(store_->Apply(MakeWrite(v1::CHANGE_KIND_DELETE, 1, "a")).ok());
  EXPECT_TRUE(store_->ListLive("")->empty());
  EXPECT_TRUE((*store_->Get("countries/EST/legislation"))->deleted);
  auto revisions = store_->ListRevisions("countries/EST/legislation", 0, 10);
  ASSERT_EQ(revisions->size(), 2u);
  EXPECT_EQ((*revisions)[0].change_kind(), v1::CHANGE_KIND_DELETE);
  EXPECT_EQ((*revisions)[1].actor(), "tester");
}

TEST_F(SqliteLegislationStoreTest, CommittedWritesSurviveReopen) {
  ASSERT_TRUE(
      store_->Apply(MakeWrite(v1::CHANGE_KIND_CREATE, 0, "durable", "k")).ok());
  Reopen();
  auto got = store_->Get("countries/EST/legislation");
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->record.notes(), "durable");
  EXPECT_TRUE(store_->FindRequest("k")->has_value());
}

}  // namespace
}  // namespace palermo::legislation
