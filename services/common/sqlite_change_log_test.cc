// The change log in SQLite, appended inside its owner's transactions.
#include "services/common/sqlite_change_log.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>

#include "services/common/test_support.h"

namespace palermo {
namespace {

class SqliteChangeLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = FreshTestDir();
    auto db = sqlite::Database::Open((dir_ / "c.db").string(),
                                     {ChangeLogMigration(1)});
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = *std::move(db);
    auto log = SqliteChangeLog::Over(*db_, {3});
    ASSERT_TRUE(log.ok()) << log.status();
    log_ = *std::move(log);
  }
  void TearDown() override {
    log_.reset();
    db_.reset();
    std::filesystem::remove_all(dir_);
  }
  // Appends `n` entries in one transaction, committed or not.
  absl::StatusOr<SqliteChangeLog::Appended> AppendInTransaction(
      int n, absl::Time not_before, bool commit = true) {
    auto lock = db_->Lock();
    auto txn = sqlite::Transaction::Begin(*db_);
    if (!txn.ok()) return txn.status();
    std::vector<ChangeEntry> entries(n);
    for (int i = 0; i < n; ++i) {
      entries[i].resource = "r/" + std::to_string(i);
      entries[i].revision = i + 1;
      entries[i].type = common::v1::CHANGE_TYPE_UPDATED;
    }
    auto appended = log_->Append(entries, not_before);
    if (!appended.ok()) return appended.status();
    for (int i = 0; i < n; ++i) {
      EXPECT_EQ(entries[i].sequence, appended->sequence - n + 1 + i);
      EXPECT_EQ(entries[i].commit_time, appended->commit_time);
    }
    if (commit) {
      if (absl::Status s = txn->Commit(); !s.ok()) return s;
    }
    return appended;
  }

  std::filesystem::path dir_;
  std::unique_ptr<sqlite::Database> db_;
  std::unique_ptr<SqliteChangeLog> log_;
};

TEST_F(SqliteChangeLogTest, ABatchTakesContiguousSequencesAndOneTime) {
  const absl::Time t = absl::FromUnixSeconds(1700000000);
  auto first = AppendInTransaction(2, t);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->sequence, 2);
  EXPECT_EQ(first->commit_time, t);
  auto second = AppendInTransaction(1, t + absl::Seconds(5));
  EXPECT_EQ(second->sequence, 3);
  EXPECT_EQ(second->commit_time, t + absl::Seconds(5));
  auto entries = log_->ReadChanges(0, 10);
  ASSERT_EQ(entries->size(), 3u);
  EXPECT_EQ((*entries)[1].resource, "r/1");
  EXPECT_EQ((*entries)[1].revision, 2);
  EXPECT_EQ((*entries)[2].commit_time, t + absl::Seconds(5));
}

TEST_F(SqliteChangeLogTest, CommitTimesGoForwardEvenWhenTheClockDoesNot) {
  const absl::Time t = absl::FromUnixSeconds(1700000000);
  ASSERT_TRUE(AppendInTransaction(1, t).ok());
  auto earlier = AppendInTransaction(1, t - absl::Hours(1));
  ASSERT_TRUE(earlier.ok());
  EXPECT_EQ(earlier->commit_time, t + absl::Microseconds(1));
  auto same = AppendInTransaction(1, t + absl::Microseconds(1));
  EXPECT_EQ(same->commit_time, t + absl::Microseconds(2));
}

TEST_F(SqliteChangeLogTest, ARolledBackTransactionLeavesNoGap) {
  ASSERT_TRUE(AppendInTransaction(1, absl::Now()).ok());
  ASSERT_TRUE(AppendInTransaction(4, absl::Now(), /*commit=*/false).ok());
  auto next = AppendInTransaction(1, absl::Now());
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->sequence, 2);
  EXPECT_EQ(log_->Bounds()->latest, 2);
}

TEST_F(SqliteChangeLogTest, NothingToAppendWritesNothing) {
  ASSERT_TRUE(AppendInTransaction(2, absl::Now()).ok());
  auto none = AppendInTransaction(0, absl::Now());
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->sequence, 2);
  EXPECT_EQ(log_->ReadChanges(0, 10)->size(), 2u);
}

TEST_F(SqliteChangeLogTest, CompactionKeepsRetainAndBoundsFollow) {
  for (int i = 0; i < 10; ++i)
    ASSERT_TRUE(AppendInTransaction(1, absl::Now()).ok());
  auto bounds = log_->Bounds();
  EXPECT_EQ(bounds->latest, 10);
  EXPECT_EQ(bounds->oldest, 8);  // retain 3, compacted at every write
  EXPECT_EQ(log_->ReadChanges(0, 10)->front().sequence, 8);
  EXPECT_EQ(log_->ReadChanges(8, 1)->front().sequence, 9);
}

TEST_F(SqliteChangeLogTest, ListenersRunOnCommittedOnly) {
  std::atomic<int> calls{0};
  log_->AddListener([&] { ++calls; });
  log_->AddListener([&] { ++calls; });
  ASSERT_TRUE(AppendInTransaction(1, absl::Now()).ok());
  EXPECT_EQ(calls.load(), 0);  // the owner calls Committed() after COMMIT
  log_->Committed();
  EXPECT_EQ(calls.load(), 2);
}

TEST_F(SqliteChangeLogTest, RetainBelowOneIsRefused) {
  EXPECT_EQ(SqliteChangeLog::Over(*db_, {0}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace palermo
