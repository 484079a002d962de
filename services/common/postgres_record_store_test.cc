// The PostgreSQL record store: the contract suite on a real server, and
// what is PostgreSQL's own: two stores (two pools, as two processes would
// have) writing one schema at once lose no update, write once per request
// id and number their changes in one contiguous order; one store's commit
// wakes the other's listeners (NOTIFY); names list in byte order whatever
// the database's collation.
#include "services/common/postgres_record_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "services/common/record_store_contract.h"
#include "tests/support/postgres_for_test.h"

namespace palermo {
namespace {

using ::testing::ElementsAre;

// One database for the binary; a schema of its own per store.
std::string ContractDsn() {
  static std::mutex mu;
  static std::string dsn;
  std::lock_guard<std::mutex> lock(mu);
  if (dsn.empty()) {
    absl::StatusOr<std::string> fresh = test::FreshPostgresDatabase();
    EXPECT_TRUE(fresh.ok()) << fresh.status();
    if (fresh.ok()) dsn = *fresh;
  }
  return dsn;
}

std::string FreshSchema() {
  static std::atomic<int> n{0};
  return absl::StrCat("store_", n.fetch_add(1));
}

std::unique_ptr<RecordStore> MakePostgresStore(
    const RecordSchema& schema, const ChangeLogOptions& options) {
  const std::string dsn = ContractDsn();
  if (dsn.empty()) return nullptr;
  auto store =
      PostgresRecordStore::Open({dsn, FreshSchema(), 8}, schema, options);
  EXPECT_TRUE(store.ok()) << store.status();
  if (!store.ok()) return nullptr;
  return *std::move(store);
}

INSTANTIATE_TEST_SUITE_P(Postgres, RecordStoreContract,
                         ::testing::Values(RecordStoreImpl{"Postgres",
                                                           MakePostgresStore}),
                         RecordStoreImpl::Name);

class PostgresRecordStoreTest : public ::testing::Test {
 protected:
  // A store on the test's schema: each call a new pool, as another process
  // would open.
  std::unique_ptr<PostgresRecordStore> Open() {
    auto store = PostgresRecordStore::Open({ContractDsn(), schema_, 4},
                                           ContractSchema());
    EXPECT_TRUE(store.ok()) << store.status();
    return store.ok() ? *std::move(store) : nullptr;
  }
  const std::string schema_ = FreshSchema();
};

TEST_F(PostgresRecordStoreTest, TwoStoresWritingAtOnceAgreeOnEverything) {
  std::unique_ptr<PostgresRecordStore> stores[2] = {Open(), Open()};
  ASSERT_NE(stores[0], nullptr);
  ASSERT_NE(stores[1], nullptr);
  ASSERT_TRUE(stores[0]->Put("things", {"things/counter", "0", 1}, 0, "", {})
                  .ok());

  // Compare-and-swap increments through both stores, 3 threads each.
  constexpr int kThreadsPerStore = 3, kIncrements = 30;
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int s = 0; s < 2; ++s) {
    for (int t = 0; t < kThreadsPerStore; ++t) {
      threads.emplace_back([&, s] {
        RecordStore& store = *stores[s];
        for (int done = 0; done < kIncrements;) {
          auto current = store.Get("things", "things/counter");
          if (!current.ok() || !current->has_value()) {
            ++errors;
            return;
          }
          const int value = std::stoi((*current)->record);
          const int64_t revision = (*current)->revision;
          auto put = store.Put(
              "things",
              {"things/counter", std::to_string(value + 1), revision + 1},
              revision, "", {});
          if (put.ok()) {
            ++done;
          } else if (put.status().code() != absl::StatusCode::kAborted) {
            ADD_FAILURE() << put.status();
            ++errors;
            return;
          }
        }
      });
    }
  }
  // Meanwhile, one request id sent through both stores from 4 threads.
  std::vector<absl::StatusOr<WriteResult>> same_id(
      4, absl::UnknownError("not run"));
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      const std::string name = absl::StrCat("things/retry", t);
      same_id[t] = stores[t % 2]->Put("things", {name, "x", 1}, 0, "one-id",
                                      {"fp", name});
    });
  }
  for (std::thread& t : threads) t.join();
  ASSERT_EQ(errors.load(), 0);

  constexpr int kTotal = 2 * kThreadsPerStore * kIncrements;
  for (auto& store : stores) {
    auto counter = store->Get("things", "things/counter");
    ASSERT_TRUE(counter.ok() && counter->has_value());
    EXPECT_EQ((*counter)->record, std::to_string(kTotal));  // none lost
    EXPECT_EQ((*counter)->revision, kTotal + 1);
  }
  int written = 0;
  for (const auto& r : same_id) {
    ASSERT_TRUE(r.ok()) << r.status();
    if (!r->earlier.has_value()) ++written;
  }
  EXPECT_EQ(written, 1);  // one write for one request id
  EXPECT_EQ(stores[1]->List("things", "things/retry", "")->size(), 1u);

  // One log, contiguous, in commit order: the counter's revisions rise by
  // one from each sequence to the next, and so do the commit times.
  auto changes = stores[1]->Changes().ReadChanges(0, 100000);
  ASSERT_TRUE(changes.ok()) << changes.status();
  ASSERT_EQ(changes->size(), static_cast<size_t>(kTotal + 2));
  int64_t counter_revision = 0;
  for (size_t i = 0; i < changes->size(); ++i) {
    const ChangeEntry& e = (*changes)[i];
    EXPECT_EQ(e.sequence, static_cast<int64_t>(i) + 1);
    if (i > 0) {
      EXPECT_GT(e.commit_time, (*changes)[i - 1].commit_time);
    }
    if (e.resource == "things/counter") {
      EXPECT_EQ(e.revision, counter_revision + 1) << "at " << e.sequence;
      counter_revision = e.revision;
    }
  }
  EXPECT_EQ(counter_revision, kTotal + 1);
  auto bounds = stores[0]->Changes().Bounds();
  ASSERT_TRUE(bounds.ok());
  EXPECT_EQ(bounds->latest, kTotal + 2);
}

TEST_F(PostgresRecordStoreTest, OneStoresCommitWakesTheOthersListeners) {
  std::unique_ptr<PostgresRecordStore> writer = Open(), reader = Open();
  ASSERT_NE(writer, nullptr);
  ASSERT_NE(reader, nullptr);
  absl::Mutex mu;
  int64_t seen = 0;
  reader->Changes().AddListener([&] {
    auto bounds = reader->Changes().Bounds();
    absl::MutexLock lock(&mu);
    if (bounds.ok()) seen = std::max(seen, bounds->latest);
  });
  auto put = writer->Put("things", {"things/a", "one", 1}, 0, "", {});
  ASSERT_TRUE(put.ok()) << put.status();
  absl::MutexLock lock(&mu);
  auto arrived = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
    return seen >= put->sequence;
  };
  EXPECT_TRUE(mu.AwaitWithTimeout(absl::Condition(&arrived),
                                  absl::Seconds(30)));
}

TEST_F(PostgresRecordStoreTest, NamesListInByteOrderAcrossCodePoints) {
  std::unique_ptr<PostgresRecordStore> store = Open();
  ASSERT_NE(store, nullptr);
  // 'Z' < 'a' < 'é' (U+00E9) < 'ÿ' (U+00FF) < 'Ā' (U+0100) < '中' < '😀'.
  for (const std::string name :
       {"p/a", "p/Z", "p/\xc3\xa9", "p/\xc3\xbf", "p/\xc3\xbfz", "p/\xc4\x80",
        "p/\xe4\xb8\xad", "p/\xf0\x9f\x98\x80", "q/a", "p\xc3\xbf/x"}) {
    ASSERT_TRUE(store->Put("things", {name, "x", 1}, 0, "", {}).ok()) << name;
  }
  auto names = [&](const std::string& prefix) {
    std::vector<std::string> out;
    absl::StatusOr<std::vector<StoredRecord>> listed =
        store->List("things", prefix, "");
    EXPECT_TRUE(listed.ok()) << listed.status();
    if (!listed.ok()) return out;
    for (const StoredRecord& r : *listed) out.push_back(r.name);
    return out;
  };
  EXPECT_THAT(names("p/"),
              ElementsAre("p/Z", "p/a", "p/\xc3\xa9", "p/\xc3\xbf",
                          "p/\xc3\xbfz", "p/\xc4\x80", "p/\xe4\xb8\xad",
                          "p/\xf0\x9f\x98\x80"));
  // A prefix ending in a multi-byte character bounds its range right.
  EXPECT_THAT(names("p/\xc3\xbf"), ElementsAre("p/\xc3\xbf", "p/\xc3\xbfz"));
  EXPECT_THAT(names("p\xc3\xbf"), ElementsAre("p\xc3\xbf/x"));
  // A prefix ending in part of a character matches as bytes.
  EXPECT_THAT(names("p/\xf0\x9f"), ElementsAre("p/\xf0\x9f\x98\x80"));
  EXPECT_THAT(names("p/\xc3"),
              ElementsAre("p/\xc3\xa9", "p/\xc3\xbf", "p/\xc3\xbfz"));
  EXPECT_THAT(names("p/\xff"), ElementsAre());
}

}  // namespace
}  // namespace palermo
