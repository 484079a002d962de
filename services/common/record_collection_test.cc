// The standard methods over one collection (record_collection.h), on a real
// SQLite record store.
#include "services/common/record_collection.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "palermo/assistance/v1/assistance.pb.h"
#include "services/common/sqlite_record_store.h"
#include "services/common/test_support.h"
#include "services/common/validation.h"

namespace palermo {
namespace {

// Any message with name, etag and update_time will do.
using Record = assistance::v1::Measure;
using ::testing::ElementsAre;

Record Named(const std::string& name, const std::string& notes) {
  Record r;
  r.set_name(name);
  r.set_notes(notes);
  return r;
}

// Stands for another writer: just before the next Put of a record, it writes
// that record itself (through the same real store), so the Put's expected
// revision is stale.
class RacingStore : public RecordStore {
 public:
  explicit RacingStore(RecordStore& real) : real_(real) {}
  void RaceNextPut(std::string title) { race_title_ = std::move(title); }
  // The next FindRequest finds nothing: a call whose twin (the same key)
  // commits just after its replay looked.
  void HideNextRequest() { hide_request_ = true; }

  absl::StatusOr<std::optional<StoredRecord>> Get(
      absl::string_view c, absl::string_view name) override {
    return real_.Get(c, name);
  }
  absl::StatusOr<std::vector<StoredRecord>> List(absl::string_view c,
                                                 absl::string_view prefix,
                                                 absl::string_view after,
                                                 int limit) override {
    ++lists_;
    return real_.List(c, prefix, after, limit);
  }
  absl::StatusOr<WriteResult> Put(absl::string_view c,
                                  const StoredRecord& record, int64_t expected,
                                  const std::string& request_id,
                                  const StoredRequest& request) override {
    if (!race_title_.empty()) {
      auto current = real_.Get(c, record.name);
      Record other;
      other.ParseFromString((*current)->record);
      other.set_title(race_title_);
      race_title_.clear();
      const int64_t revision = (*current)->revision;
      EXPECT_TRUE(
          real_
              .Put(c, {record.name, other.SerializeAsString(), revision + 1},
                   revision, "", {})
              .ok());
    }
    return real_.Put(c, record, expected, request_id, request);
  }
  absl::StatusOr<WriteResult> Delete(absl::string_view c,
                                     absl::string_view name, int64_t expected,
                                     const std::string& request_id,
                                     const StoredRequest& request) override {
    return real_.Delete(c, name, expected, request_id, request);
  }
  absl::StatusOr<std::optional<StoredRequest>> FindRequest(
      const std::string& request_id) override {
    if (hide_request_) {
      hide_request_ = false;
      return std::nullopt;
    }
    return real_.FindRequest(request_id);
  }
  absl::Status RecordRequest(const std::string& request_id,
                             const StoredRequest& request) override {
    return real_.RecordRequest(request_id, request);
  }
  ChangeLog& Changes() override { return real_.Changes(); }
  int lists() const { return lists_; }

 private:
  RecordStore& real_;
  std::string race_title_;
  bool hide_request_ = false;
  int lists_ = 0;
};

class RecordCollectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = FreshTestDir();
    Open({1, {{2, "things"}, {3, "others"}}, 4});
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  void Open(const RecordSchema& schema) {
    store_.reset();
    auto store = SqliteRecordStore::Open((dir_ / "r.db").string(), schema);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
  }
  RecordCollection<Record> Things(KeptResponse kept = KeptResponse::kRecord) {
    return RecordCollection<Record>(
        *store_, "things",
        [](const Record& r, absl::string_view prefix, FieldViolations& v) {
          if (r.notes() == "invalid") v.Add(FieldPath(prefix, "notes"), "no");
        },
        absl::Now, kept);
  }

  std::filesystem::path dir_;
  std::unique_ptr<SqliteRecordStore> store_;
};

TEST_F(RecordCollectionTest, RevisionsGoOnThroughDeletes) {
  auto things = Things();
  auto a = things.Create(Named("things/a", "one"), "thing", "", "");
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->etag(), "r1");
  ASSERT_TRUE(things.Delete("things/a", "r1").ok());
  EXPECT_EQ(things.Get("things/a").status().code(),
            absl::StatusCode::kNotFound);
  auto again = things.Create(Named("things/a", "two"), "thing", "", "");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->etag(), "r3");  // r1 can never match the successor
  EXPECT_EQ(things.Delete("things/a", "r1").code(), absl::StatusCode::kAborted);
}

TEST_F(RecordCollectionTest, UpdateWithoutEtagMergesAConcurrentWrite) {
  RacingStore racing(*store_);
  RecordCollection<Record> things(
      racing, "things",
      [](const Record&, absl::string_view, FieldViolations&) {});
  ASSERT_TRUE(things.Create(Named("things/a", "one"), "thing", "", "").ok());
  racing.RaceNextPut("set by the other writer");
  google::protobuf::FieldMask mask;
  mask.add_paths("notes");
  auto updated = things.Update(Named("things/a", "two"), mask, "thing");
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->notes(), "two");
  EXPECT_EQ(updated->title(), "set by the other writer");  // not lost
  EXPECT_EQ(updated->etag(), "r3");
  // With an etag, the same race is refused, naming the current etag.
  racing.RaceNextPut("again");
  Record guarded = Named("things/a", "three");
  guarded.set_etag("r3");
  auto refused = things.Update(guarded, mask, "thing");
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kAborted);
  EXPECT_EQ(things.Get("things/a")->notes(), "two");
}

TEST_F(RecordCollectionTest, UpdateThatChangesNothingKeepsTheVersion) {
  auto things = Things();
  ASSERT_TRUE(things.Create(Named("things/a", "one"), "thing", "", "").ok());
  google::protobuf::FieldMask mask;
  mask.add_paths("notes");
  auto same = things.Update(Named("things/a", "one"), mask, "thing");
  ASSERT_TRUE(same.ok()) << same.status();
  EXPECT_EQ(same->etag(), "r1");
  auto invalid = things.Update(Named("things/a", "invalid"), mask, "thing");
  EXPECT_EQ(invalid.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(things.Get("things/a")->notes(), "one");
}

TEST_F(RecordCollectionTest, DeletedRecordsAreListedNowhere) {
  auto things = Things();
  for (const char* n : {"x/a", "x/b", "x/c"}) {
    ASSERT_TRUE(things.Create(Named(n, "kept"), "thing", "", "").ok());
  }
  ASSERT_TRUE(things.Delete("x/b", "r1").ok());
  std::string next;
  auto page = things.ListPage("x/", "", 10, "", "q", &next);
  ASSERT_TRUE(page.ok()) << page.status();
  std::vector<std::string> names;
  for (const Record& r : *page) names.push_back(r.name());
  EXPECT_THAT(names, ElementsAre("x/a", "x/c"));
  EXPECT_TRUE(next.empty());
  auto all = things.All("x/");
  ASSERT_TRUE(all.ok()) << all.status();
  names.clear();
  for (const Record& r : *all) names.push_back(r.name());
  EXPECT_THAT(names, ElementsAre("x/a", "x/c"));
}

TEST_F(RecordCollectionTest, PageTokensBelongToTheirCollection) {
  auto things = Things();
  RecordCollection<Record> others(
      *store_, "others",
      [](const Record&, absl::string_view, FieldViolations&) {});
  for (const char* n : {"x/a", "x/b", "x/c"}) {
    ASSERT_TRUE(things.Create(Named(n, ""), "thing", "", "").ok());
    ASSERT_TRUE(others.Create(Named(n, ""), "thing", "", "").ok());
  }
  std::string next;
  auto page = things.ListPage("x/", "", 2, "", "q", &next);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->size(), 2u);
  ASSERT_FALSE(next.empty());
  std::string unused;
  EXPECT_EQ(others.ListPage("x/", "", 2, next, "q", &unused).status().code(),
            absl::StatusCode::kInvalidArgument);
  auto rest = things.ListPage("x/", "", 2, next, "q", &unused);
  ASSERT_TRUE(rest.ok()) << rest.status();
  ASSERT_EQ(rest->size(), 1u);
  EXPECT_EQ(rest->front().name(), "x/c");
  EXPECT_TRUE(unused.empty());
}

TEST_F(RecordCollectionTest, RetryAnswersFromItsKeyOrFromTheRecord) {
  auto things = Things();
  auto first = things.Create(Named("things/a", "one"), "thing", "key-1", "fp");
  ASSERT_TRUE(first.ok());
  auto replay = things.Create(Named("things/a", "one"), "thing", "key-1", "fp");
  ASSERT_TRUE(replay.ok()) << replay.status();
  EXPECT_EQ(replay->etag(), first->etag());
  EXPECT_EQ(
      things.Create(Named("things/b", "one"), "thing", "key-1", "other fp")
          .status()
          .code(),
      absl::StatusCode::kInvalidArgument);
  // A key that keeps the name only answers with the record as it is now,
  // and not at all once it is deleted.
  auto by_name = Things(KeptResponse::kNameOnly);
  ASSERT_TRUE(
      by_name.Create(Named("things/c", "one"), "thing", "key-2", "fp").ok());
  ASSERT_TRUE(by_name.Delete("things/c", "").ok());
  EXPECT_EQ(by_name.Create(Named("things/c", "one"), "thing", "key-2", "fp")
                .status()
                .code(),
            absl::StatusCode::kNotFound);
}

TEST_F(RecordCollectionTest, UpdateAndDeleteRetriesGetTheFirstAnswer) {
  auto things = Things();
  ASSERT_TRUE(things.Create(Named("things/a", "one"), "thing", "", "").ok());
  google::protobuf::FieldMask mask;
  mask.add_paths("notes");
  Record change = Named("things/a", "two");
  change.set_etag("r1");
  auto first = things.Update(change, mask, "thing", "upd-1", "fp-upd");
  ASSERT_TRUE(first.ok()) << first.status();
  // The response was lost; the retry carries the now stale etag r1.
  auto retry = things.Update(change, mask, "thing", "upd-1", "fp-upd");
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(retry->etag(), first->etag());
  // Without the key, the same stale etag is refused.
  EXPECT_EQ(things.Update(change, mask, "thing").status().code(),
            absl::StatusCode::kAborted);
  ASSERT_TRUE(things.Delete("things/a", "", "del-1", "fp-del").ok());
  EXPECT_TRUE(things.Delete("things/a", "", "del-1", "fp-del").ok());
  EXPECT_EQ(things.Delete("things/a", "", "del-1", "other").code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(things.Delete("things/a", "").code(), absl::StatusCode::kNotFound);
}

TEST_F(RecordCollectionTest, ACallWhoseTwinCommitsFirstGetsTheFirstAnswer) {
  RacingStore racing(*store_);
  RecordCollection<Record> things(
      racing, "things",
      [](const Record&, absl::string_view, FieldViolations&) {});
  ASSERT_TRUE(things.Create(Named("things/a", "one"), "thing", "", "").ok());
  google::protobuf::FieldMask mask;
  mask.add_paths("notes");
  Record change = Named("things/a", "two");
  change.set_etag("r1");
  auto first = things.Update(change, mask, "thing", "upd-1", "fp-upd");
  ASSERT_TRUE(first.ok()) << first.status();
  // The twin's replay missed the key, then found the etag stale: it is
  // answered as the first call was, not ABORTED.
  racing.HideNextRequest();
  auto twin = things.Update(change, mask, "thing", "upd-1", "fp-upd");
  ASSERT_TRUE(twin.ok()) << twin.status();
  EXPECT_EQ(twin->etag(), first->etag());
  // The same for a delete, which finds the record gone.
  ASSERT_TRUE(things.Delete("things/a", "", "del-1", "fp-del").ok());
  racing.HideNextRequest();
  EXPECT_TRUE(things.Delete("things/a", "", "del-1", "fp-del").ok());
  // Without its key, the call is refused as before.
  racing.HideNextRequest();
  EXPECT_EQ(things.Delete("things/a", "").code(), absl::StatusCode::kNotFound);
}

TEST_F(RecordCollectionTest, WritesReportTheSequenceOfTheirChange) {
  auto things = Things();
  int64_t sequence = -1;
  ASSERT_TRUE(
      things.Create(Named("things/a", "one"), "thing", "key-1", "fp", &sequence)
          .ok());
  EXPECT_EQ(sequence, 1);
  google::protobuf::FieldMask mask;
  mask.add_paths("notes");
  ASSERT_TRUE(
      things.Update(Named("things/a", "two"), mask, "thing", "", "", &sequence)
          .ok());
  EXPECT_EQ(sequence, 2);
  ASSERT_TRUE(things.Create(Named("things/b", "b"), "thing", "", "").ok());
  // A replay and a no-op report the latest sequence: at least as fresh.
  sequence = -1;
  ASSERT_TRUE(
      things.Create(Named("things/a", "one"), "thing", "key-1", "fp", &sequence)
          .ok());
  EXPECT_EQ(sequence, 3);
  sequence = -1;
  ASSERT_TRUE(
      things.Update(Named("things/a", "two"), mask, "thing", "", "", &sequence)
          .ok());
  EXPECT_EQ(sequence, 3);
  ASSERT_TRUE(things.Delete("things/a", "", "", "", &sequence).ok());
  EXPECT_EQ(sequence, 4);
  auto changes = store_->Changes().ReadChanges(0, 10);
  ASSERT_EQ(changes->size(), 4u);
  EXPECT_EQ((*changes)[3].type, common::v1::CHANGE_TYPE_DELETED);
  EXPECT_EQ((*changes)[3].resource, "things/a");
  EXPECT_EQ((*changes)[3].revision, 3);
}

TEST_F(RecordCollectionTest, ARetryAfterANoOpUpdateGetsTheSameAnswer) {
  auto things = Things();
  ASSERT_TRUE(things.Create(Named("things/a", "one"), "thing", "", "").ok());
  google::protobuf::FieldMask mask;
  mask.add_paths("notes");
  auto first = things.Update(Named("things/a", "one"), mask, "thing", "noop-1",
                             "fp-noop");
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->etag(), "r1");  // nothing changed
  EXPECT_TRUE(store_->FindRequest("noop-1")->has_value());
  // Another writer changes the record; the retry still gets the first
  // answer instead of writing "one" over "two".
  ASSERT_TRUE(things.Update(Named("things/a", "two"), mask, "thing").ok());
  auto retry = things.Update(Named("things/a", "one"), mask, "thing", "noop-1",
                             "fp-noop");
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(retry->etag(), "r1");
  EXPECT_EQ(retry->notes(), "one");
  EXPECT_EQ(things.Get("things/a")->notes(), "two");
  // Reused for another request: refused.
  EXPECT_EQ(
      things
          .Update(Named("things/a", "three"), mask, "thing", "noop-1", "other")
          .status()
          .code(),
      absl::StatusCode::kInvalidArgument);
}

TEST_F(RecordCollectionTest, APageReadsNoFurtherThanItNeeds) {
  RacingStore counting(*store_);
  RecordCollection<Record> things(
      counting, "things",
      [](const Record&, absl::string_view, FieldViolations&) {});
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(things
                    .Create(Named(absl::StrCat("things/r", i),
                                  i == 9 ? "last" : "other"),
                            "thing", "", "")
                    .ok());
  }
  std::string next;
  auto page = things.ListPage("things/", "", 3, "", "q", &next);
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->size(), 3u);
  EXPECT_FALSE(next.empty());
  EXPECT_EQ(counting.lists(), 1);
  // A filter that skips records reads on, chunk after chunk.
  auto filtered =
      things.ListPage("things/", "notes = \"last\"", 3, "", "q2", &next);
  ASSERT_TRUE(filtered.ok()) << filtered.status();
  ASSERT_EQ(filtered->size(), 1u);
  EXPECT_EQ(filtered->front().name(), "things/r9");
  EXPECT_TRUE(next.empty());
  EXPECT_EQ(counting.lists(), 1 + 3);  // 4 + 4 + 2 records
}

// The limits, with a fixed clock so that the stored size is known exactly.
class RecordLimitsTest : public RecordCollectionTest {
 protected:
  static absl::Time Noon() { return absl::FromUnixSeconds(1200000000); }
  RecordCollection<Record> FixedClockThings() {
    return RecordCollection<Record>(
        *store_, "things",
        [](const Record& r, absl::string_view prefix, FieldViolations& v) {
          ValidateCommonTypes(r, prefix, v);
        },
        Noon);
  }
  // `r` as the collection would store it at revision `revision`.
  static size_t StoredBytes(Record r, int revision) {
    r.set_etag(EtagFor(revision));
    *r.mutable_update_time() =
        google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(
            absl::ToUnixMicros(Noon()));
    return r.ByteSizeLong();
  }
};

TEST_F(RecordLimitsTest, CreateAcceptsARecordOfExactlyTheLimitNotOneByteMore) {
  auto things = FixedClockThings();
  Record at = Named("things/at", "");
  PadWithSources(
      at.mutable_sources(), [&at] { return StoredBytes(at, 1); },
      kMaxRecordBytes);
  auto created = things.Create(at, "thing", "", "");
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->ByteSizeLong(), kMaxRecordBytes);

  Record over = at;
  over.set_name("things/ov");
  over.mutable_sources(0)->mutable_excerpt()->push_back('x');
  auto refused = things.Create(over, "thing", "key-1", "fp");
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(refused.status()), ElementsAre("thing"));
  EXPECT_EQ(things.Get("things/ov").status().code(),
            absl::StatusCode::kNotFound);
  // The request id was not taken either.
  over.mutable_sources(0)->mutable_excerpt()->pop_back();
  EXPECT_TRUE(things.Create(over, "thing", "key-1", "fp").ok());
}

TEST_F(RecordLimitsTest, UpdateMeasuresTheRecordAfterTheMerge) {
  auto things = FixedClockThings();
  Record base = Named("things/a", "");
  PadWithSources(
      base.mutable_sources(), [&base] { return StoredBytes(base, 1); },
      kMaxRecordBytes - 100);
  ASSERT_TRUE(things.Create(base, "thing", "", "").ok());
  // Notes alone are small; merged with the stored sources they reach the
  // limit exactly, then one byte beyond it.
  Record change;
  change.set_name("things/a");
  google::protobuf::FieldMask mask;
  mask.add_paths("notes");
  for (size_t n = 0;; ++n) {
    Record merged = base;
    merged.set_notes(std::string(n, 'n'));
    if (StoredBytes(merged, 2) == kMaxRecordBytes) {
      change.set_notes(merged.notes());
      break;
    }
    ASSERT_LT(n, 100u);
  }
  auto updated = things.Update(change, mask, "thing");
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->ByteSizeLong(), kMaxRecordBytes);

  change.mutable_notes()->push_back('n');
  auto refused = things.Update(change, mask, "thing");
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(refused.status()), ElementsAre("thing"));
  auto now = things.Get("things/a");
  ASSERT_TRUE(now.ok());
  EXPECT_EQ(now->etag(), "r2");  // unchanged by the refusal
}

TEST_F(RecordLimitsTest, PagesEndByBytesAndTogetherReturnEverything) {
  auto things = FixedClockThings();
  constexpr int kRecords = 12;
  for (int i = 0; i < kRecords; ++i) {
    Record r = Named(absl::StrCat("things/r", 10 + i), "");
    PadWithSources(
        r.mutable_sources(), [&r] { return StoredBytes(r, 1); },
        kMaxRecordBytes - 1000);
    ASSERT_TRUE(things.Create(r, "thing", "", "").ok());
  }
  std::string token;
  int seen = 0, pages = 0;
  do {
    std::string next;
    auto page = things.ListPage("things/", "", 500, token, "q", &next);
    ASSERT_TRUE(page.ok()) << page.status();
    size_t bytes = 0;
    for (const Record& r : *page) bytes += ElementBytes(r);
    EXPECT_LE(bytes, kMaxPageBytes);
    EXPECT_FALSE(page->empty());
    seen += page->size();
    ++pages;
    token = next;
  } while (!token.empty());
  EXPECT_EQ(seen, kRecords);
  EXPECT_EQ(pages, 3);  // four records of ~255 KiB make a 1 MiB page
}

TEST_F(RecordLimitsTest, ARecordStoredBeforeTheLimitIsListedAloneOnItsPage) {
  Record old = Named("things/old", std::string(kMaxPageBytes + 10, 'x'));
  ASSERT_TRUE(
      store_->Put("things", {old.name(), old.SerializeAsString(), 1}, 0, "", {})
          .ok());
  ASSERT_TRUE(
      FixedClockThings().Create(Named("things/z", ""), "thing", "", "").ok());
  std::string next;
  auto first = Things().ListPage("things/", "", 10, "", "q", &next);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(first->size(), 1u);
  EXPECT_EQ((*first)[0].name(), "things/old");
  ASSERT_FALSE(next.empty());
  auto second = Things().ListPage("things/", "", 10, next, "q", &next);
  ASSERT_TRUE(second.ok()) << second.status();
  ASSERT_EQ(second->size(), 1u);
  EXPECT_TRUE(next.empty());
}

}  // namespace
}  // namespace palermo
