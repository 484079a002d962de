// The SQLite assistance store: the assistance store contract and the
// record store contract on real files, and what is SQLite's own (a
// database of earlier migrations opens, and the releases it keyed in their
// own column answer their retries through the requests table).
#include "services/assistance/sqlite_assistance_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "services/assistance/assistance_domain.h"
#include "services/assistance/assistance_store_contract.h"
#include "services/common/idempotency.h"
#include "services/common/test_support.h"

namespace palermo::assistance {
namespace {

AssistanceStoreImpl::Opener FreshSqlite() {
  // A fresh directory per test (FreshTestDir names it after the test).
  const std::string path = (FreshTestDir() / "assistance.db").string();
  return
      [path](
          const ChangeLogOptions& options) -> std::unique_ptr<AssistanceStore> {
        auto store = SqliteAssistanceStore::Open(path, options);
        EXPECT_TRUE(store.ok()) << store.status();
        if (!store.ok()) return nullptr;
        return *std::move(store);
      };
}

const AssistanceStoreImpl kSqlite{"Sqlite", FreshSqlite};

INSTANTIATE_TEST_SUITE_P(Sqlite, AssistanceStoreContract,
                         ::testing::Values(kSqlite), AssistanceStoreImpl::Name);
INSTANTIATE_TEST_SUITE_P(SqliteAssistance, RecordStoreContract,
                         ::testing::Values(RecordsOf(kSqlite)),
                         RecordStoreImpl::Name);

class SqliteAssistanceStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = FreshTestDir(); }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Path() const { return (dir_ / "assistance.db").string(); }

  std::filesystem::path dir_;
};

TEST_F(SqliteAssistanceStoreTest, ADatabaseOfEarlierMigrationsOpens) {
  // Migrations 1-4, before the change log: two releases, the first cut
  // with a request id, kept in the release's own column then.
  {
    std::vector<sqlite::Migration> earlier =
        SqliteAssistanceStore::Migrations();
    earlier.resize(4);
    auto old = sqlite::Database::Open(Path(), earlier);
    ASSERT_TRUE(old.ok()) << old.status();
    auto lock = (*old)->Lock();
    for (int n : {1, 2}) {
      auto insert =
          (*old)->Prepare("INSERT INTO case_releases VALUES (?, ?, 11, ?, ?)");
      ASSERT_TRUE(insert.ok());
      ASSERT_TRUE(insert->Bind(1, int64_t{n})
                      .Bind(2, int64_t{1700000000000000} + n)
                      .Bind(3, n == 1 ? "cut-1" : "")
                      .BindBlob(4, EncodeRelease({}))
                      .Run()
                      .ok());
    }
  }
  auto store = SqliteAssistanceStore::Open(Path());
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_EQ((*store)->ListMeasureTypes()->size(), 23u);
  EXPECT_EQ(*(*store)->LatestCaseReleaseNumber(), 2);
  // The first release's id is a key of the shared protocol now.
  v1::CreateCaseReleaseRequest retry;
  retry.set_request_id("cut-1");
  auto key = (*store)->FindRequest("cut-1");
  ASSERT_TRUE(key.ok() && key->has_value());
  EXPECT_EQ((*key)->fingerprint,
            RequestFingerprint(kCreateCaseReleaseMethod, retry));
  EXPECT_EQ((*key)->response, "caseReleases/1");
  // A retry of that cut gets release 1, before and after another open.
  for (int open = 0; open < 2; ++open) {
    if (open == 1) {
      store->reset();
      store = SqliteAssistanceStore::Open(Path());
      ASSERT_TRUE(store.ok()) << store.status();
    }
    AssistanceDomain domain(**store, TestEntities());
    auto again = domain.CreateCaseRelease(retry);
    ASSERT_TRUE(again.ok()) << again.status();
    EXPECT_EQ(again->name(), "caseReleases/1");
    EXPECT_EQ(again->cut_time().nanos(), 1000);
  }
  EXPECT_EQ(*(*store)->LatestCaseReleaseNumber(), 2);
  // The change log starts with what is written after.
  auto bounds = (*store)->Changes().Bounds();
  ASSERT_TRUE(bounds.ok());
  EXPECT_EQ(bounds->latest, 0);
}

}  // namespace
}  // namespace palermo::assistance
