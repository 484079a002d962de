// The LegislationStore contract suite (legislation_store_contract.h).
#include "services/legislation/legislation_store_contract.h"

#include <gmock/gmock.h>

#include <atomic>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/blocking_counter.h"
#include "absl/synchronization/notification.h"
#include "services/common/test_support.h"
#include "services/legislation/legislation_domain.h"

namespace palermo::legislation {

void LegislationStoreContract::SetUp() {
  harness_ = GetParam()();
  ASSERT_NE(harness_, nullptr);
  store_ = OpenAnother();
  ASSERT_NE(store_, nullptr);
}

void LegislationStoreContract::TearDown() {
  store_.reset();
  harness_.reset();
}

std::unique_ptr<LegislationStore> LegislationStoreContract::OpenAnother(
    int64_t change_log_retain) {
  absl::StatusOr<std::unique_ptr<LegislationStore>> store =
      harness_->Open(change_log_retain);
  EXPECT_TRUE(store.ok()) << store.status();
  return store.ok() ? *std::move(store) : nullptr;
}

namespace {

using common::v1::CHANGE_TYPE_CREATED;
using common::v1::CHANGE_TYPE_DELETED;
using common::v1::CHANGE_TYPE_UPDATED;
using testing::ElementsAre;
using testing::IsEmpty;

constexpr char kEst[] = "countries/EST/legislation";

Write MakeWrite(v1::ChangeKind kind, int64_t expected, std::string notes,
                std::string request_id = "", std::string name = kEst) {
  Write w;
  w.kind = kind;
  w.name = std::move(name);
  w.expected_revision = expected;
  w.record.set_name(w.name);
  w.record.set_notes(std::move(notes));
  w.changed_fields = {"notes", "protocol"};
  w.actor = "tester";
  // Microseconds, which every store keeps exactly.
  w.time = absl::FromUnixMicros(1200000000123456);
  w.request_id = std::move(request_id);
  // Bytes, not text: NUL and 0xff survive.
  w.request = {std::string("fingerprint\0\xff", 13) + w.request_id,
               std::string("response\0\xff", 10) + w.record.notes()};
  return w;
}

std::vector<std::string> Names(const std::vector<StoredRecord>& records) {
  std::vector<std::string> out;
  for (const auto& r : records) out.push_back(r.record.name());
  return out;
}

std::vector<ChangeEntry> AllChanges(LegislationStore& store) {
  absl::StatusOr<std::vector<ChangeEntry>> changes =
      store.Changes().ReadChanges(0, 1000000);
  EXPECT_TRUE(changes.ok()) << changes.status();
  return changes.ok() ? *std::move(changes) : std::vector<ChangeEntry>{};
}

TEST_P(LegislationStoreContract, ANameNeverWrittenIsAbsent) {
  auto got = store_->Get(kEst);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_FALSE(got->has_value());
  EXPECT_THAT(*store_->ListLive(""), IsEmpty());
  auto bounds = store_->Changes().Bounds();
  ASSERT_TRUE(bounds.ok()) << bounds.status();
  EXPECT_EQ(bounds->latest, 0);
  EXPECT_EQ(bounds->oldest, 1);
}

TEST_P(LegislationStoreContract, WritesAreCompareAndSwap) {
  auto created = store_->Apply(MakeWrite(v1::CHANGE_KIND_CREATE, 0, "a"));
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->revision, 1);
  EXPECT_FALSE(created->earlier.has_value());
  EXPECT_EQ(store_->Apply(MakeWrite(v1::CHANGE_KIND_CREATE, 0, "b"))
                .status()
                .code(),
            absl::StatusCode::kAborted);
  auto updated = store_->Apply(MakeWrite(v1::CHANGE_KIND_UPDATE, 1, "c"));
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->revision, 2);
  // A stale revision, and one from the future.
  EXPECT_EQ(store_->Apply(MakeWrite(v1::CHANGE_KIND_UPDATE, 1, "d"))
                .status()
                .code(),
            absl::StatusCode::kAborted);
  EXPECT_EQ(store_->Apply(MakeWrite(v1::CHANGE_KIND_UPDATE, 7, "d"))
                .status()
                .code(),
            absl::StatusCode::kAborted);
  auto got = store_->Get(kEst);
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->revision, 2);
  EXPECT_EQ((*got)->record.notes(), "c");
  EXPECT_FALSE((*got)->deleted);
}

TEST_P(LegislationStoreContract, ListLiveIsInByteOrderAfterAName) {
  // Byte order: upper case before lower case, whatever the locale.
  for (const std::string name :
       {"organizations/b/legislation", "countries/LVA/legislation",
        "organizations/B/legislation", kEst, "organizations/a/legislation"}) {
    ASSERT_TRUE(
        store_->Apply(MakeWrite(v1::CHANGE_KIND_CREATE, 0, name, "", name))
            .ok());
  }
  ASSERT_TRUE(store_
                  ->Apply(MakeWrite(v1::CHANGE_KIND_DELETE, 1, "", "",
                                    "countries/LVA/legislation"))
                  .ok());
  auto all = store_->ListLive("");
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_THAT(Names(*all),
              ElementsAre(kEst, "organizations/B/legislation",
                          "organizations/a/legislation",
                          "organizations/b/legislation"));
  EXPECT_EQ((*all)[0].revision, 1);
  EXPECT_EQ((*all)[0].record.notes(), kEst);
  EXPECT_THAT(Names(*store_->ListLive("organizations/B/legislation")),
              ElementsAre("organizations/a/legislation",
                          "organizations/b/legislation"));
  EXPECT_THAT(*store_->ListLive("organizations/c"), IsEmpty());
}

TEST_P(LegislationStoreContract, ADeletionLeavesATombstoneWhoseRevisionGoesOn) {
  ASSERT_TRUE(store_->Apply(MakeWrite(v1::CHANGE_KIND_CREATE, 0, "a")).ok());
  auto deleted = store_->Apply(MakeWrite(v1::CHANGE_KIND_DELETE, 1, "a"));
  ASSERT_TRUE(deleted.ok()) << deleted.status();
  EXPECT_EQ(deleted->revision, 2);
  EXPECT_THAT(*store_->ListLive(""), IsEmpty());
  auto got = store_->Get(kEst);
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_TRUE((*got)->deleted);
  EXPECT_EQ((*got)->revision, 2);
  // Created again: guarded by the tombstone's revision, not by 0.
  EXPECT_EQ(store_->Apply(MakeWrite(v1::CHANGE_KIND_CREATE, 0, "b"))
                .status()
                .code(),
            absl::StatusCode::kAborted);
  auto again = store_->Apply(MakeWrite(v1::CHANGE_KIND_CREATE, 2, "b"));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->revision, 3);
  EXPECT_FALSE((*store_->Get(kEst))->deleted);
  EXPECT_THAT(Names(*store_->ListLive("")), ElementsAre(kEst));
}

TEST_P(LegislationStoreContract, RevisionsKeepWhoWhatWhenAndPageNewestFirst) {
  ASSERT_TRUE(store_->Apply(MakeWrite(v1::CHANGE_KIND_CREATE, 0, "a")).ok());
  ASSERT_TRUE(store_->Apply(MakeWrite(v1::CHANGE_KIND_UPDATE, 1, "b")).ok());
  ASSERT_TRUE(store_->Apply(MakeWrite(v1::CHANGE_KIND_DELETE, 2, "b")).ok());
  ASSERT_TRUE(store_
                  ->Apply(MakeWrite(v1::CHANGE_KIND_CREATE, 0, "other", "",
                                    "countries/LVA/legislation"))
                  .ok());
  auto all = store_->ListRevisions(kEst, 0, 10);
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].revision_id(), 3);
  EXPECT_EQ((*all)[0].change_kind(), v1::CHANGE_KIND_DELETE);
  EXPECT_EQ((*all)[1].change_kind(), v1::CHANGE_KIND_UPDATE);
  EXPECT_EQ((*all)[2].change_kind(), v1::CHANGE_KIND_CREATE);
  const v1::LegislationRevision& first = (*all)[2];
  EXPECT_EQ(first.name(), kEst);
  EXPECT_EQ(first.actor(), "tester");
  EXPECT_EQ(first.change_time().seconds(), 1200000000);
  EXPECT_EQ(first.change_time().nanos(), 123456000);
  EXPECT_THAT(first.changed_fields(), ElementsAre("notes", "protocol"));
  EXPECT_EQ(first.snapshot().notes(), "a");

  auto page = store_->ListRevisions(kEst, 0, 2);
  ASSERT_EQ(page->size(), 2u);
  EXPECT_EQ((*page)[1].revision_id(), 2);
  auto rest = store_->ListRevisions(kEst, 2, 2);
  ASSERT_EQ(rest->size(), 1u);
  EXPECT_EQ((*rest)[0].revision_id(), 1);
  EXPECT_THAT(*store_->ListRevisions(kEst, 1, 2), IsEmpty());
  EXPECT_THAT(*store_->ListRevisions("countries/BGR/legislation", 0, 2),
              IsEmpty());
}

TEST_P(LegislationStoreContract, ATakenRequestIdWritesNothingAndReturnsIt) {
  auto first = store_->Apply(MakeWrite(v1::CHANGE_KIND_CREATE, 0, "a", "id"));
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_FALSE(first->earlier.has_value());
  // Checked before the revision: a retry racing the first call learns that
  // the call was committed instead of failing on the revision.
  auto again = store_->Apply(MakeWrite(v1::CHANGE_KIND_CREATE, 0, "b", "id"));
  ASSERT_TRUE(again.ok()) << again.status();
  ASSERT_TRUE(again->earlier.has_value());
  EXPECT_EQ(again->earlier->fingerprint, std::string("fingerprint\0\xff", 13) + "id");
  EXPECT_EQ(again->earlier->response, std::string("response\0\xff", 10) + "a");
  auto got = store_->Get(kEst);
  EXPECT_EQ((*got)->record.notes(), "a");  // nothing written
  EXPECT_EQ((*got)->revision, 1);
  EXPECT_EQ(AllChanges(*store_).size(), 1u);
  auto request = store_->FindRequest("id");
  ASSERT_TRUE(request.ok() && request->has_value());
  EXPECT_EQ((*request)->response, std::string("response\0\xff", 10) + "a");
  EXPECT_FALSE(store_->FindRequest("other")->has_value());
}

TEST_P(LegislationStoreContract, AFailedWriteRecordsNeitherItsKeyNorAChange) {
  ASSERT_TRUE(store_->Apply(MakeWrite(v1::CHANGE_KIND_CREATE, 0, "a")).ok());
  EXPECT_EQ(store_->Apply(MakeWrite(v1::CHANGE_KIND_UPDATE, 5, "b", "lost"))
                .status()
                .code(),
            absl::StatusCode::kAborted);
  EXPECT_FALSE(store_->FindRequest("lost")->has_value());
  EXPECT_EQ(AllChanges(*store_).size(), 1u);
  EXPECT_EQ(store_->ListRevisions(kEst, 0, 10)->size(), 1u);
  // The id is free for the next attempt.
  auto next = store_->Apply(MakeWrite(v1::CHANGE_KIND_UPDATE, 1, "b", "lost"));
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_FALSE(next->earlier.has_value());
  EXPECT_EQ(next->revision, 2);
}

TEST_P(LegislationStoreContract, RecordRequestTakesAnIdOnceAndWritesNoChange) {
  ASSERT_TRUE(store_->RecordRequest("noop", {"fp", "answer"}).ok());
  auto found = store_->FindRequest("noop");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->fingerprint, "fp");
  EXPECT_EQ((*found)->response, "answer");
  EXPECT_EQ(store_->RecordRequest("noop", {"fp2", "other"}).code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ((*store_->FindRequest("noop"))->response, "answer");
  EXPECT_EQ(store_->Changes().Bounds()->latest, 0);
  // A write with that id finds it taken.
  auto write = store_->Apply(MakeWrite(v1::CHANGE_KIND_CREATE, 0, "a", "noop"));
  ASSERT_TRUE(write.ok()) << write.status();
  ASSERT_TRUE(write->earlier.has_value());
  EXPECT_EQ(write->earlier->response, "answer");
  EXPECT_FALSE(store_->Get(kEst)->has_value());
  // And a committed write's id cannot be recorded again.
  ASSERT_TRUE(
      store_->Apply(MakeWrite(v1::CHANGE_KIND_CREATE, 0, "a", "written")).ok());
  EXPECT_EQ(store_->RecordRequest("written", {"fp", "x"}).code(),
            absl::StatusCode::kAlreadyExists);
}

TEST_P(LegislationStoreContract, EveryWriteAppendsOneChangeInSequence) {
  std::vector<int64_t> sequences;
  for (const Write& w :
       {MakeWrite(v1::CHANGE_KIND_CREATE, 0, "a"),
        MakeWrite(v1::CHANGE_KIND_UPDATE, 1, "b", "k"),
        MakeWrite(v1::CHANGE_KIND_CREATE, 0, "c", "",
                  "countries/LVA/legislation"),
        MakeWrite(v1::CHANGE_KIND_DELETE, 2, "b")}) {
    auto applied = store_->Apply(w);
    ASSERT_TRUE(applied.ok()) << applied.status();
    sequences.push_back(applied->sequence);
  }
  EXPECT_THAT(sequences, ElementsAre(1, 2, 3, 4));
  std::vector<ChangeEntry> changes = AllChanges(*store_);
  ASSERT_EQ(changes.size(), 4u);
  const std::vector<std::tuple<std::string, int64_t, common::v1::ChangeType>>
      expected = {{kEst, 1, CHANGE_TYPE_CREATED},
                  {kEst, 2, CHANGE_TYPE_UPDATED},
                  {"countries/LVA/legislation", 1, CHANGE_TYPE_CREATED},
                  {kEst, 3, CHANGE_TYPE_DELETED}};
  for (size_t i = 0; i < changes.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(changes[i].sequence, static_cast<int64_t>(i) + 1);
    EXPECT_EQ(changes[i].resource, std::get<0>(expected[i]));
    EXPECT_EQ(changes[i].revision, std::get<1>(expected[i]));
    EXPECT_EQ(changes[i].type, std::get<2>(expected[i]));
    if (i > 0) EXPECT_GT(changes[i].commit_time, changes[i - 1].commit_time);
  }
  // Neither a taken id nor a failed compare-and-swap is a change.
  ASSERT_TRUE(store_->Apply(MakeWrite(v1::CHANGE_KIND_UPDATE, 9, "x", "k")).ok());
  EXPECT_FALSE(store_->Apply(MakeWrite(v1::CHANGE_KIND_UPDATE, 9, "x")).ok());
  auto bounds = store_->Changes().Bounds();
  ASSERT_TRUE(bounds.ok()) << bounds.status();
  EXPECT_EQ(bounds->oldest, 1);
  EXPECT_EQ(bounds->latest, 4);
  auto page = store_->Changes().ReadChanges(1, 2);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->size(), 2u);
  EXPECT_EQ((*page)[0].sequence, 2);
  EXPECT_EQ((*page)[1].sequence, 3);
  EXPECT_THAT(*store_->Changes().ReadChanges(4, 10), IsEmpty());
}

TEST_P(LegislationStoreContract, TheLogKeepsTheNewestEntriesItMustRetain) {
  std::unique_ptr<LegislationStore> store = OpenAnother(/*change_log_retain=*/2);
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->Apply(MakeWrite(v1::CHANGE_KIND_CREATE, 0, "a")).ok());
  for (int64_t revision = 1; revision < 6; ++revision) {
    ASSERT_TRUE(
        store->Apply(MakeWrite(v1::CHANGE_KIND_UPDATE, revision, "b")).ok());
  }
  auto bounds = store->Changes().Bounds();
  ASSERT_TRUE(bounds.ok()) << bounds.status();
  EXPECT_EQ(bounds->latest, 6);
  // At least the newest two; compaction is amortised, so perhaps more.
  EXPECT_LE(bounds->oldest, 5);
  EXPECT_GT(bounds->oldest, 1);
  std::vector<ChangeEntry> kept = AllChanges(*store);
  ASSERT_FALSE(kept.empty());
  EXPECT_EQ(kept.front().sequence, bounds->oldest);
  EXPECT_EQ(kept.back().sequence, 6);
  EXPECT_EQ(kept.size(), static_cast<size_t>(6 - bounds->oldest + 1));
}

TEST_P(LegislationStoreContract, ListenersHearOfTheWritesOfTheirStore) {
  std::atomic<int> heard{0};
  store_->Changes().AddListener([&] { heard.fetch_add(1); });
  ASSERT_TRUE(store_->Apply(MakeWrite(v1::CHANGE_KIND_CREATE, 0, "a")).ok());
  // Called before Apply returns: the write's own process never waits.
  EXPECT_GE(heard.load(), 1);
}

TEST_P(LegislationStoreContract, CommittedWritesSurviveReopening) {
  ASSERT_TRUE(
      store_->Apply(MakeWrite(v1::CHANGE_KIND_CREATE, 0, "durable", "k")).ok());
  store_.reset();
  store_ = OpenAnother();
  ASSERT_NE(store_, nullptr);
  auto got = store_->Get(kEst);
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->record.notes(), "durable");
  EXPECT_TRUE(store_->FindRequest("k")->has_value());
  EXPECT_EQ(store_->Changes().Bounds()->latest, 1);
  auto next = store_->Apply(MakeWrite(v1::CHANGE_KIND_UPDATE, 1, "next"));
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_EQ(next->sequence, 2);
}

// Two store instances on one database, as two processes: every writer of
// one revision races every other; exactly one wins, and the log holds its
// change alone.
TEST_P(LegislationStoreContract, ConcurrentStoresLetOneWriterWinEachRevision) {
  std::unique_ptr<LegislationStore> other = OpenAnother();
  ASSERT_NE(other, nullptr);
  ASSERT_TRUE(store_->Apply(MakeWrite(v1::CHANGE_KIND_CREATE, 0, "a")).ok());
  constexpr int kWriters = 8;
  constexpr int kRounds = 5;
  for (int round = 0; round < kRounds; ++round) {
    std::vector<absl::StatusOr<ApplyResult>> results(
        kWriters, absl::UnknownError("not run"));
    absl::Notification start;
    std::vector<std::thread> threads;
    for (int i = 0; i < kWriters; ++i) {
      threads.emplace_back([&, i] {
        LegislationStore& store = i % 2 == 0 ? *store_ : *other;
        start.WaitForNotification();
        results[i] = store.Apply(MakeWrite(v1::CHANGE_KIND_UPDATE, round + 1,
                                           absl::StrCat(round, "/", i)));
      });
    }
    start.Notify();
    for (auto& t : threads) t.join();
    int won = 0;
    for (const auto& r : results) {
      if (r.ok()) {
        ++won;
        EXPECT_EQ(r->revision, round + 2);
        EXPECT_EQ(r->sequence, round + 2);
      } else {
        EXPECT_EQ(r.status().code(), absl::StatusCode::kAborted) << r.status();
      }
    }
    EXPECT_EQ(won, 1) << "round " << round;
  }
  std::vector<ChangeEntry> changes = AllChanges(*other);
  ASSERT_EQ(changes.size(), static_cast<size_t>(kRounds + 1));
  for (size_t i = 0; i < changes.size(); ++i) {
    EXPECT_EQ(changes[i].sequence, static_cast<int64_t>(i) + 1);
    EXPECT_EQ(changes[i].revision, static_cast<int64_t>(i) + 1);
  }
}

// Both instances get the same request at once (a client retrying on
// another replica): one write, one answer.
TEST_P(LegislationStoreContract, ConcurrentStoresWriteARequestIdOnce) {
  std::unique_ptr<LegislationStore> other = OpenAnother();
  ASSERT_NE(other, nullptr);
  constexpr int kWriters = 8;
  std::vector<absl::StatusOr<ApplyResult>> results(
      kWriters, absl::UnknownError("not run"));
  absl::Notification start;
  std::vector<std::thread> threads;
  for (int i = 0; i < kWriters; ++i) {
    threads.emplace_back([&, i] {
      LegislationStore& store = i % 2 == 0 ? *store_ : *other;
      start.WaitForNotification();
      results[i] =
          store.Apply(MakeWrite(v1::CHANGE_KIND_CREATE, 0, "once", "same-id"));
    });
  }
  start.Notify();
  for (auto& t : threads) t.join();
  int written = 0;
  for (const auto& r : results) {
    ASSERT_TRUE(r.ok()) << r.status();
    if (r->earlier.has_value()) {
      EXPECT_EQ(r->earlier->response, std::string("response\0\xff", 10) + "once");
    } else {
      ++written;
    }
  }
  EXPECT_EQ(written, 1);
  EXPECT_EQ(store_->ListRevisions(kEst, 0, 10)->size(), 1u);
  EXPECT_EQ(AllChanges(*store_).size(), 1u);
}

// Two domains, each over its own store instance on one database, as two
// replicas of the service.
class TwoReplicas {
 public:
  TwoReplicas(LegislationStore& a, LegislationStore& b)
      : domains_{std::make_unique<LegislationDomain>(a, TestEntities()),
                 std::make_unique<LegislationDomain>(b, TestEntities())} {}
  LegislationDomain& operator[](int i) { return *domains_[i % 2]; }

 private:
  std::unique_ptr<LegislationDomain> domains_[2];
};

v1::Legislation Ratified() {
  v1::Legislation l;
  l.mutable_protocol()->set_status(v1::TREATY_STATUS_RATIFIED);
  common::v1::Provenance* source = l.mutable_protocol()->add_sources();
  source->set_document_symbol("E/CN.15/2008/6");
  source->set_paragraph(5);
  return l;
}

v1::UpdateLegislationRequest SetNotes(const std::string& notes,
                                      const std::string& etag,
                                      const std::string& request_id) {
  v1::UpdateLegislationRequest request;
  request.mutable_legislation()->set_name(kEst);
  request.mutable_legislation()->set_notes(notes);
  request.mutable_legislation()->set_etag(etag);
  request.mutable_update_mask()->add_paths("notes");
  request.set_request_id(request_id);
  return request;
}

// Read, modify, write with the etag, again on ABORTED: through both
// replicas at once, no acknowledged update is lost, every one is a revision
// of its own, and the log numbers them 1, 2, ... in revision order.
TEST_P(LegislationStoreContract, ReplicasLoseNoUpdateAndNumberEveryChange) {
  std::unique_ptr<LegislationStore> other = OpenAnother();
  ASSERT_NE(other, nullptr);
  TwoReplicas replicas(*store_, *other);
  v1::CreateLegislationRequest create;
  create.set_parent("countries/EST");
  *create.mutable_legislation() = Ratified();
  ASSERT_TRUE(replicas[0].Create(create, "creator").ok());

  constexpr int kWriters = 6;
  constexpr int kUpdates = 4;
  std::vector<absl::Status> failures(kWriters);
  absl::Notification start;
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      LegislationDomain& domain = replicas[w];
      start.WaitForNotification();
      for (int u = 0; u < kUpdates; ++u) {
        while (true) {
          v1::GetLegislationRequest get;
          get.set_name(kEst);
          absl::StatusOr<v1::Legislation> current = domain.Get(get);
          if (!current.ok()) {
            failures[w] = current.status();
            return;
          }
          const std::string notes =
              absl::StrCat(current->notes(), "w", w, "u", u, ";");
          absl::StatusOr<v1::Legislation> updated = domain.Update(
              SetNotes(notes, current->etag(), absl::StrCat("w", w, "u", u)),
              absl::StrCat("writer ", w));
          if (updated.ok()) break;
          if (updated.status().code() != absl::StatusCode::kAborted) {
            failures[w] = updated.status();
            return;
          }
        }
      }
    });
  }
  start.Notify();
  for (auto& t : threads) t.join();
  for (const auto& f : failures) ASSERT_TRUE(f.ok()) << f;

  v1::GetLegislationRequest get;
  get.set_name(kEst);
  absl::StatusOr<v1::Legislation> final_record = replicas[1].Get(get);
  ASSERT_TRUE(final_record.ok()) << final_record.status();
  std::set<std::string> tokens;
  for (absl::string_view t :
       absl::StrSplit(final_record->notes(), ';', absl::SkipEmpty())) {
    EXPECT_TRUE(tokens.insert(std::string(t)).second) << "twice: " << t;
  }
  EXPECT_EQ(tokens.size(), static_cast<size_t>(kWriters * kUpdates));
  EXPECT_EQ(final_record->etag(), EtagFor(1 + kWriters * kUpdates));

  std::vector<ChangeEntry> changes = AllChanges(*store_);
  ASSERT_EQ(changes.size(), static_cast<size_t>(1 + kWriters * kUpdates));
  for (size_t i = 0; i < changes.size(); ++i) {
    EXPECT_EQ(changes[i].sequence, static_cast<int64_t>(i) + 1);
    EXPECT_EQ(changes[i].revision, static_cast<int64_t>(i) + 1);
    EXPECT_EQ(changes[i].type,
              i == 0 ? CHANGE_TYPE_CREATED : CHANGE_TYPE_UPDATED);
  }
  // Each request id was written once: a retry of any gets its answer back.
  auto retry = replicas[0].Update(SetNotes("ignored", "r1", "w0u0"), "again");
  EXPECT_EQ(retry.status().code(), absl::StatusCode::kInvalidArgument)
      << "a request id replayed for another request: " << retry.status();
}

// The same request to both replicas at once, again and again: one revision
// each time, one answer for all.
TEST_P(LegislationStoreContract, ReplicasWriteEachRequestIdOnce) {
  std::unique_ptr<LegislationStore> other = OpenAnother();
  ASSERT_NE(other, nullptr);
  TwoReplicas replicas(*store_, *other);
  v1::CreateLegislationRequest create;
  create.set_parent("countries/EST");
  *create.mutable_legislation() = Ratified();
  create.set_request_id("create-once");
  constexpr int kCallers = 6;
  std::vector<absl::StatusOr<v1::Legislation>> created(
      kCallers, absl::UnknownError("not run"));
  {
    absl::Notification start;
    std::vector<std::thread> threads;
    for (int c = 0; c < kCallers; ++c) {
      threads.emplace_back([&, c] {
        start.WaitForNotification();
        created[c] = replicas[c].Create(create, "creator");
      });
    }
    start.Notify();
    for (auto& t : threads) t.join();
  }
  for (const auto& r : created) {
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->etag(), "r1");
  }

  constexpr int kRequests = 4;
  for (int n = 0; n < kRequests; ++n) {
    const v1::UpdateLegislationRequest request =
        SetNotes(absl::StrCat("note ", n), "", absl::StrCat("update-", n));
    std::vector<absl::StatusOr<v1::Legislation>> results(
        kCallers, absl::UnknownError("not run"));
    absl::Notification start;
    std::vector<std::thread> threads;
    for (int c = 0; c < kCallers; ++c) {
      threads.emplace_back([&, c] {
        start.WaitForNotification();
        results[c] = replicas[c].Update(request, "caller");
      });
    }
    start.Notify();
    for (auto& t : threads) t.join();
    for (const auto& r : results) {
      ASSERT_TRUE(r.ok()) << r.status();
      EXPECT_EQ(r->etag(), EtagFor(n + 2));
      EXPECT_EQ(r->notes(), absl::StrCat("note ", n));
    }
  }
  v1::ListLegislationRevisionsRequest revisions;
  revisions.set_name(kEst);
  revisions.set_page_size(100);
  EXPECT_EQ(replicas[0].ListRevisions(revisions)->revisions_size(),
            1 + kRequests);
  std::vector<ChangeEntry> changes = AllChanges(*other);
  ASSERT_EQ(changes.size(), static_cast<size_t>(1 + kRequests));
  for (size_t i = 0; i < changes.size(); ++i) {
    EXPECT_EQ(changes[i].sequence, static_cast<int64_t>(i) + 1);
  }
}

}  // namespace
}  // namespace palermo::legislation
