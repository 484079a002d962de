// The record store contract suite (record_store_contract.h).
#include "services/common/record_store_contract.h"

#include <gmock/gmock.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"

namespace palermo {
namespace {

using common::v1::CHANGE_TYPE_CREATED;
using common::v1::CHANGE_TYPE_DELETED;
using common::v1::CHANGE_TYPE_UPDATED;
using ::testing::ElementsAre;

constexpr char kThings[] = "things";
constexpr char kSecrets[] = "secrets";  // unlogged

StoredRecord Rec(const std::string& name, const std::string& data,
                 int64_t revision) {
  return {name, data, revision};
}

std::vector<std::string> Names(const std::vector<StoredRecord>& records) {
  std::vector<std::string> out;
  for (const StoredRecord& r : records) out.push_back(r.name);
  return out;
}

// Writes `data` to `name`, expecting revision `revision` + 1.
WriteResult MustPut(RecordStore& store, const std::string& name,
                    const std::string& data, int64_t revision,
                    const std::string& request_id = "",
                    const StoredRequest& request = {}) {
  absl::StatusOr<WriteResult> put = store.Put(
      kThings, Rec(name, data, revision + 1), revision, request_id, request);
  EXPECT_TRUE(put.ok()) << put.status();
  return put.ok() ? *put : WriteResult{};
}

std::vector<ChangeEntry> AllChanges(RecordStore& store) {
  absl::StatusOr<std::vector<ChangeEntry>> changes =
      store.Changes().ReadChanges(0, 1000000);
  EXPECT_TRUE(changes.ok()) << changes.status();
  return changes.ok() ? *changes : std::vector<ChangeEntry>{};
}

}  // namespace

RecordSchema ContractSchema() {
  return {1, {{2, kThings}, {3, kSecrets, /*logged=*/false}}, 4};
}

void RecordStoreContract::SetUp() { store_ = Make(); }

std::unique_ptr<RecordStore> RecordStoreContract::Make(
    const ChangeLogOptions& options) {
  std::unique_ptr<RecordStore> store =
      GetParam().make(ContractSchema(), options);
  EXPECT_NE(store, nullptr) << "cannot make a " << GetParam().name << " store";
  return store;
}

namespace {

TEST_P(RecordStoreContract, PutCreatesWhatGetReads) {
  ASSERT_NE(store_, nullptr);
  auto absent = store_->Get(kThings, "things/a");
  ASSERT_TRUE(absent.ok()) << absent.status();
  EXPECT_FALSE(absent->has_value());
  WriteResult put = MustPut(*store_, "things/a", "one", 0);
  EXPECT_EQ(put.revision, 1);
  EXPECT_EQ(put.sequence, 1);
  EXPECT_FALSE(put.earlier.has_value());
  auto got = store_->Get(kThings, "things/a");
  ASSERT_TRUE(got.ok()) << got.status();
  ASSERT_TRUE(got->has_value());
  EXPECT_EQ((*got)->name, "things/a");
  EXPECT_EQ((*got)->record, "one");
  EXPECT_EQ((*got)->revision, 1);
  EXPECT_FALSE((*got)->deleted());
  // Binary data survives.
  const std::string bytes("\0\xff\x01z", 4);
  MustPut(*store_, "things/b", bytes, 0);
  EXPECT_EQ((*store_->Get(kThings, "things/b"))->record, bytes);
}

TEST_P(RecordStoreContract, CollectionsAreSeparate) {
  ASSERT_NE(store_, nullptr);
  MustPut(*store_, "x/a", "thing", 0);
  auto other = store_->Get(kSecrets, "x/a");
  ASSERT_TRUE(other.ok()) << other.status();
  EXPECT_FALSE(other->has_value());
  auto put = store_->Put(kSecrets, Rec("x/a", "other", 1), 0, "", {});
  ASSERT_TRUE(put.ok()) << put.status();
  EXPECT_EQ(put->revision, 1);
  EXPECT_EQ((*store_->Get(kThings, "x/a"))->record, "thing");
  EXPECT_THAT(Names(*store_->List(kSecrets, "", "")), ElementsAre("x/a"));
}

TEST_P(RecordStoreContract, ListsByPrefixAfterANameAndUpToALimit) {
  ASSERT_NE(store_, nullptr);
  for (const char* name : {"b/1", "a/2", "ab/1", "a/1", "a/3", "a/4"}) {
    MustPut(*store_, name, "x", 0);
  }
  ASSERT_TRUE(store_->Delete(kThings, "a/4", 1, "", {}).ok());
  auto all = store_->List(kThings, "", "");
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_THAT(Names(*all), ElementsAre("a/1", "a/2", "a/3", "ab/1", "b/1"));
  EXPECT_THAT(Names(*store_->List(kThings, "a/", "")),
              ElementsAre("a/1", "a/2", "a/3"));
  EXPECT_THAT(Names(*store_->List(kThings, "a", "")),
              ElementsAre("a/1", "a/2", "a/3", "ab/1"));
  EXPECT_THAT(Names(*store_->List(kThings, "a/", "a/1")),
              ElementsAre("a/2", "a/3"));
  EXPECT_THAT(Names(*store_->List(kThings, "a/", "", 2)),
              ElementsAre("a/1", "a/2"));
  EXPECT_THAT(Names(*store_->List(kThings, "", "a/2", 2)),
              ElementsAre("a/3", "ab/1"));
  EXPECT_THAT(Names(*store_->List(kThings, "c/", "")), ElementsAre());
  // A prefix is matched as bytes: no wildcard.
  MustPut(*store_, "a%/1", "x", 0);
  MustPut(*store_, "a_/1", "x", 0);
  EXPECT_THAT(Names(*store_->List(kThings, "a_", "")), ElementsAre("a_/1"));
  EXPECT_THAT(Names(*store_->List(kThings, "a%", "")), ElementsAre("a%/1"));
  auto listed = store_->List(kThings, "b/", "");
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].record, "x");
  EXPECT_EQ((*listed)[0].revision, 1);
}

TEST_P(RecordStoreContract, CompareAndSwapRefusesAStaleRevision) {
  ASSERT_NE(store_, nullptr);
  MustPut(*store_, "things/a", "one", 0);
  EXPECT_EQ(store_->Put(kThings, Rec("things/a", "two", 1), 0, "", {})
                .status()
                .code(),
            absl::StatusCode::kAborted);
  WriteResult second = MustPut(*store_, "things/a", "two", 1);
  EXPECT_EQ(second.revision, 2);
  EXPECT_EQ(store_->Put(kThings, Rec("things/a", "three", 2), 1, "", {})
                .status()
                .code(),
            absl::StatusCode::kAborted);
  EXPECT_EQ(store_->Put(kThings, Rec("things/b", "new", 6), 5, "", {})
                .status()
                .code(),
            absl::StatusCode::kAborted);
  EXPECT_EQ(store_->Delete(kThings, "things/a", 1, "", {}).status().code(),
            absl::StatusCode::kAborted);
  auto now = store_->Get(kThings, "things/a");
  EXPECT_EQ((*now)->record, "two");
  EXPECT_EQ((*now)->revision, 2);
  EXPECT_FALSE(store_->Get(kThings, "things/b")->has_value());
  EXPECT_EQ(AllChanges(*store_).size(), 2u);  // refusals append nothing
}

TEST_P(RecordStoreContract, RevisionsGoOnThroughTombstones) {
  ASSERT_NE(store_, nullptr);
  MustPut(*store_, "things/a", "one", 0);
  auto deleted = store_->Delete(kThings, "things/a", 1, "", {});
  ASSERT_TRUE(deleted.ok()) << deleted.status();
  EXPECT_EQ(deleted->revision, 2);
  auto tombstone = store_->Get(kThings, "things/a");
  ASSERT_TRUE(tombstone->has_value());
  EXPECT_TRUE((*tombstone)->deleted());
  EXPECT_EQ((*tombstone)->revision, 2);
  EXPECT_THAT(Names(*store_->List(kThings, "", "")), ElementsAre());
  // Created again, the name's revisions go on from the tombstone's.
  EXPECT_EQ(store_->Put(kThings, Rec("things/a", "two", 1), 0, "", {})
                .status()
                .code(),
            absl::StatusCode::kAborted);
  WriteResult again = MustPut(*store_, "things/a", "two", 2);
  EXPECT_EQ(again.revision, 3);
  auto live = store_->Get(kThings, "things/a");
  EXPECT_EQ((*live)->record, "two");
  EXPECT_EQ((*live)->revision, 3);
  EXPECT_FALSE((*live)->deleted());
}

TEST_P(RecordStoreContract, DeletingWhatIsNotThereIsNotFound) {
  ASSERT_NE(store_, nullptr);
  EXPECT_EQ(store_->Delete(kThings, "things/never", 0, "", {}).status().code(),
            absl::StatusCode::kNotFound);
  MustPut(*store_, "things/a", "one", 0);
  ASSERT_TRUE(store_->Delete(kThings, "things/a", 1, "", {}).ok());
  // A tombstone is not there either, whatever revision the caller names.
  EXPECT_EQ(store_->Delete(kThings, "things/a", 2, "", {}).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(store_->Delete(kThings, "things/a", 1, "", {}).status().code(),
            absl::StatusCode::kNotFound);
  // The key of a refused delete is not taken.
  EXPECT_EQ(store_->Delete(kThings, "things/a", 2, "del-1", {"fp", "x"})
                .status()
                .code(),
            absl::StatusCode::kNotFound);
  EXPECT_FALSE(store_->FindRequest("del-1")->has_value());
  EXPECT_EQ(AllChanges(*store_).size(), 2u);
}

TEST_P(RecordStoreContract, ATakenRequestIdWritesNothingAndReturnsTheEarlier) {
  ASSERT_NE(store_, nullptr);
  WriteResult first =
      MustPut(*store_, "things/a", "one", 0, "key-1", {"fp-1", "answer-1"});
  EXPECT_FALSE(first.earlier.has_value());
  auto found = store_->FindRequest("key-1");
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->fingerprint, "fp-1");
  EXPECT_EQ((*found)->response, "answer-1");
  EXPECT_FALSE(store_->FindRequest("key-2")->has_value());

  // The same id again, whatever the write: nothing written, the earlier
  // request returned, with the latest sequence.
  auto again = store_->Put(kThings, Rec("things/b", "two", 1), 0, "key-1",
                           {"fp-2", "answer-2"});
  ASSERT_TRUE(again.ok()) << again.status();
  ASSERT_TRUE(again->earlier.has_value());
  EXPECT_EQ(again->earlier->fingerprint, "fp-1");
  EXPECT_EQ(again->earlier->response, "answer-1");
  EXPECT_EQ(again->sequence, 1);
  EXPECT_FALSE(store_->Get(kThings, "things/b")->has_value());
  // Checked before the revision: a retry's expected revision is stale.
  auto stale = store_->Put(kThings, Rec("things/a", "one", 1), 0, "key-1",
                           {"fp-1", "answer-1"});
  ASSERT_TRUE(stale.ok()) << stale.status();
  EXPECT_TRUE(stale->earlier.has_value());
  auto del = store_->Delete(kThings, "things/a", 1, "key-1", {"fp-3", ""});
  ASSERT_TRUE(del.ok()) << del.status();
  EXPECT_TRUE(del->earlier.has_value());
  EXPECT_EQ((*store_->Get(kThings, "things/a"))->record, "one");
  EXPECT_EQ(AllChanges(*store_).size(), 1u);

  // A write refused for its revision takes no key.
  EXPECT_EQ(
      store_->Put(kThings, Rec("things/a", "x", 1), 0, "key-2", {"fp", "x"})
          .status()
          .code(),
      absl::StatusCode::kAborted);
  EXPECT_FALSE(store_->FindRequest("key-2")->has_value());
  // Binary fingerprints survive.
  const std::string digest("\x00\x9f\xff", 3);
  MustPut(*store_, "things/c", "c", 0, "key-3", {digest, std::string(1, 0)});
  EXPECT_EQ((*store_->FindRequest("key-3"))->fingerprint, digest);
  EXPECT_EQ((*store_->FindRequest("key-3"))->response, std::string(1, 0));
}

TEST_P(RecordStoreContract, RecordRequestTakesAnIdOnce) {
  ASSERT_NE(store_, nullptr);
  ASSERT_TRUE(store_->RecordRequest("noop-1", {"fp", "unchanged"}).ok());
  auto found = store_->FindRequest("noop-1");
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->response, "unchanged");
  EXPECT_EQ(store_->RecordRequest("noop-1", {"fp", "again"}).code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ((*store_->FindRequest("noop-1"))->response, "unchanged");
  auto put =
      store_->Put(kThings, Rec("things/a", "one", 1), 0, "noop-1", {"fp", "x"});
  ASSERT_TRUE(put.ok()) << put.status();
  EXPECT_TRUE(put->earlier.has_value());
  // Recording a request changes no resource: the log stays empty.
  EXPECT_TRUE(AllChanges(*store_).empty());
  MustPut(*store_, "things/b", "b", 0, "put-1", {"fp", "b"});
  EXPECT_EQ(store_->RecordRequest("put-1", {"fp", "b"}).code(),
            absl::StatusCode::kAlreadyExists);
}

TEST_P(RecordStoreContract, EveryWriteAppendsItsChangeInCommitOrder) {
  ASSERT_NE(store_, nullptr);
  EXPECT_EQ(MustPut(*store_, "things/a", "1", 0).sequence, 1);
  EXPECT_EQ(MustPut(*store_, "things/a", "2", 1).sequence, 2);
  EXPECT_EQ(MustPut(*store_, "things/z", "z", 0).sequence, 3);
  auto deleted = store_->Delete(kThings, "things/a", 2, "", {});
  ASSERT_TRUE(deleted.ok());
  EXPECT_EQ(deleted->sequence, 4);
  EXPECT_EQ(MustPut(*store_, "things/a", "3", 3).sequence, 5);

  std::vector<ChangeEntry> changes = AllChanges(*store_);
  ASSERT_EQ(changes.size(), 5u);
  const std::vector<std::string> resources = {
      "things/a", "things/a", "things/z", "things/a", "things/a"};
  const std::vector<int64_t> revisions = {1, 2, 1, 3, 4};
  const std::vector<common::v1::ChangeType> types = {
      CHANGE_TYPE_CREATED, CHANGE_TYPE_UPDATED, CHANGE_TYPE_CREATED,
      CHANGE_TYPE_DELETED, CHANGE_TYPE_CREATED};
  for (size_t i = 0; i < changes.size(); ++i) {
    EXPECT_EQ(changes[i].sequence, static_cast<int64_t>(i) + 1);
    EXPECT_EQ(changes[i].resource, resources[i]) << i;
    EXPECT_EQ(changes[i].revision, revisions[i]) << i;
    EXPECT_EQ(changes[i].type, types[i]) << i;
    EXPECT_GT(changes[i].commit_time, absl::UnixEpoch());
    if (i > 0) {
      EXPECT_GE(changes[i].commit_time, changes[i - 1].commit_time);
    }
  }
  auto middle = store_->Changes().ReadChanges(2, 2);
  ASSERT_TRUE(middle.ok()) << middle.status();
  ASSERT_EQ(middle->size(), 2u);
  EXPECT_EQ((*middle)[0].sequence, 3);
  EXPECT_EQ((*middle)[1].sequence, 4);
  EXPECT_TRUE(store_->Changes().ReadChanges(5, 10)->empty());
  // A proto of an entry carries all of it.
  common::v1::Change proto = ToProto(changes[3]);
  EXPECT_EQ(proto.sequence(), 4);
  EXPECT_EQ(proto.resource(), "things/a");
  EXPECT_EQ(proto.type(), CHANGE_TYPE_DELETED);
}

TEST_P(RecordStoreContract, AnUnloggedCollectionAppendsNoChange) {
  ASSERT_NE(store_, nullptr);
  // On an empty log, the latest sequence is 0.
  auto created = store_->Put(kSecrets, Rec("secrets/a", "one", 1), 0, "s-1",
                             {"fp-1", "answer-1"});
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->revision, 1);
  EXPECT_EQ(created->sequence, 0);
  EXPECT_EQ(MustPut(*store_, "things/a", "x", 0).sequence, 1);
  // Compare-and-swap, revisions, tombstones and keys as in any collection,
  // each write reporting the latest sequence.
  EXPECT_EQ(store_->Put(kSecrets, Rec("secrets/a", "two", 2), 0, "", {})
                .status()
                .code(),
            absl::StatusCode::kAborted);
  auto updated = store_->Put(kSecrets, Rec("secrets/a", "two", 2), 1, "", {});
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->revision, 2);
  EXPECT_EQ(updated->sequence, 1);
  auto replay = store_->Put(kSecrets, Rec("secrets/b", "b", 1), 0, "s-1",
                            {"fp-1", "answer-1"});
  ASSERT_TRUE(replay.ok()) << replay.status();
  ASSERT_TRUE(replay->earlier.has_value());
  EXPECT_EQ(replay->earlier->response, "answer-1");
  EXPECT_EQ(replay->sequence, 1);
  auto deleted = store_->Delete(kSecrets, "secrets/a", 2, "s-2", {"fp", ""});
  ASSERT_TRUE(deleted.ok()) << deleted.status();
  EXPECT_EQ(deleted->revision, 3);
  EXPECT_EQ(deleted->sequence, 1);
  EXPECT_TRUE(store_->FindRequest("s-2")->has_value());
  EXPECT_TRUE((*store_->Get(kSecrets, "secrets/a"))->deleted());
  // The log holds the logged write only, and numbers on without a gap.
  std::vector<ChangeEntry> changes = AllChanges(*store_);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].resource, "things/a");
  EXPECT_EQ(store_->Changes().Bounds()->latest, 1);
  EXPECT_EQ(MustPut(*store_, "things/b", "x", 0).sequence, 2);
}

TEST_P(RecordStoreContract, BoundsSayWhatTheLogHolds) {
  ASSERT_NE(store_, nullptr);
  auto empty = store_->Changes().Bounds();
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_EQ(empty->oldest, 1);
  EXPECT_EQ(empty->latest, 0);
  for (int i = 0; i < 3; ++i) MustPut(*store_, "things/a", "x", i);
  auto bounds = store_->Changes().Bounds();
  EXPECT_EQ(bounds->oldest, 1);
  EXPECT_EQ(bounds->latest, 3);
}

TEST_P(RecordStoreContract, CompactionKeepsTheNewestEntries) {
  constexpr int kRetain = 4;
  std::unique_ptr<RecordStore> store = Make({kRetain});
  ASSERT_NE(store, nullptr);
  constexpr int kWrites = kRetain + 8 * kRetain;
  for (int i = 0; i < kWrites; ++i) MustPut(*store, "things/a", "x", i);
  auto bounds = store->Changes().Bounds();
  ASSERT_TRUE(bounds.ok()) << bounds.status();
  EXPECT_EQ(bounds->latest, kWrites);
  EXPECT_GT(bounds->oldest, 1);                      // compacted
  EXPECT_LE(bounds->oldest, kWrites - kRetain + 1);  // kept enough
  auto kept = store->Changes().ReadChanges(0, 1000);
  ASSERT_TRUE(kept.ok()) << kept.status();
  ASSERT_FALSE(kept->empty());
  EXPECT_EQ(kept->front().sequence, bounds->oldest);
  EXPECT_EQ(kept->back().sequence, kWrites);
  for (size_t i = 1; i < kept->size(); ++i) {
    EXPECT_EQ((*kept)[i].sequence, (*kept)[i - 1].sequence + 1);
  }
  // Compaction never resets the numbering.
  EXPECT_EQ(MustPut(*store, "things/b", "x", 0).sequence, kWrites + 1);
}

TEST_P(RecordStoreContract, ListenersAreCalledAfterTheCommit) {
  ASSERT_NE(store_, nullptr);
  std::atomic<int> calls{0};
  std::atomic<int64_t> seen_latest{0};
  RecordStore* store = store_.get();
  store_->Changes().AddListener([&] {
    // Called outside the store's lock: the store can be read, and the
    // change is visible.
    auto bounds = store->Changes().Bounds();
    if (bounds.ok()) seen_latest = bounds->latest;
    ++calls;
  });
  WriteResult put = MustPut(*store_, "things/a", "one", 0);
  EXPECT_GE(calls.load(), 1);
  EXPECT_EQ(seen_latest.load(), put.sequence);
  auto deleted = store_->Delete(kThings, "things/a", 1, "", {});
  ASSERT_TRUE(deleted.ok());
  EXPECT_GE(calls.load(), 2);
  EXPECT_EQ(seen_latest.load(), deleted->sequence);
}

TEST_P(RecordStoreContract, ConcurrentCompareAndSwapLosesNoUpdate) {
  ASSERT_NE(store_, nullptr);
  MustPut(*store_, "things/counter", "0", 0);
  constexpr int kThreads = 4, kIncrements = 25;
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int done = 0; done < kIncrements;) {
        auto current = store_->Get(kThings, "things/counter");
        if (!current.ok() || !current->has_value()) {
          ++errors;
          return;
        }
        const int value = std::stoi((*current)->record);
        const int64_t revision = (*current)->revision;
        auto put = store_->Put(
            kThings,
            Rec("things/counter", std::to_string(value + 1), revision + 1),
            revision, "", {});
        if (put.ok()) {
          ++done;
        } else if (put.status().code() != absl::StatusCode::kAborted) {
          ++errors;
          return;
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(errors.load(), 0);
  auto final_state = store_->Get(kThings, "things/counter");
  ASSERT_TRUE(final_state.ok());
  EXPECT_EQ((*final_state)->record, std::to_string(kThreads * kIncrements));
  EXPECT_EQ((*final_state)->revision, kThreads * kIncrements + 1);
  // One change per committed write, revisions in one order.
  std::vector<ChangeEntry> changes = AllChanges(*store_);
  ASSERT_EQ(changes.size(), static_cast<size_t>(kThreads * kIncrements + 1));
  for (size_t i = 0; i < changes.size(); ++i) {
    EXPECT_EQ(changes[i].sequence, static_cast<int64_t>(i) + 1);
    EXPECT_EQ(changes[i].revision, static_cast<int64_t>(i) + 1);
  }
}

TEST_P(RecordStoreContract, ConcurrentWritesWithOneRequestIdWriteOnce) {
  ASSERT_NE(store_, nullptr);
  constexpr int kThreads = 8;
  std::vector<absl::StatusOr<WriteResult>> results(
      kThreads, absl::UnknownError("not run"));
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const std::string name = absl::StrCat("things/t", t);
      results[t] =
          store_->Put(kThings, Rec(name, "x", 1), 0, "one-id", {"fp", name});
    });
  }
  for (std::thread& t : threads) t.join();
  int written = 0;
  std::string winner;
  for (const auto& r : results) {
    ASSERT_TRUE(r.ok()) << r.status();
    if (!r->earlier.has_value()) ++written;
  }
  ASSERT_EQ(written, 1);
  for (int t = 0; t < kThreads; ++t) {
    if (!results[t]->earlier.has_value()) winner = absl::StrCat("things/t", t);
  }
  for (const auto& r : results) {
    if (r->earlier.has_value()) {
      EXPECT_EQ(r->earlier->response, winner);
    }
  }
  EXPECT_THAT(Names(*store_->List(kThings, "", "")), ElementsAre(winner));
  std::vector<ChangeEntry> changes = AllChanges(*store_);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].resource, winner);
}

}  // namespace
}  // namespace palermo
