// The assistance store contract suite (assistance_store_contract.h).
#include "services/assistance/assistance_store_contract.h"

#include <gmock/gmock.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"

namespace palermo::assistance {
namespace {

using common::v1::CHANGE_TYPE_CREATED;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

// The record store contract's collections, renamed to the store's.
class RenamedRecords : public RecordStore {
 public:
  explicit RenamedRecords(std::unique_ptr<AssistanceStore> store)
      : store_(std::move(store)) {}

  absl::StatusOr<std::optional<StoredRecord>> Get(
      absl::string_view collection, absl::string_view name) override {
    return store_->Get(Rename(collection), name);
  }
  absl::StatusOr<std::vector<StoredRecord>> List(absl::string_view collection,
                                                 absl::string_view prefix,
                                                 absl::string_view after_name,
                                                 int limit) override {
    return store_->List(Rename(collection), prefix, after_name, limit);
  }
  absl::StatusOr<WriteResult> Put(absl::string_view collection,
                                  const StoredRecord& record,
                                  int64_t expected_revision,
                                  const std::string& request_id,
                                  const StoredRequest& request) override {
    return store_->Put(Rename(collection), record, expected_revision,
                       request_id, request);
  }
  absl::StatusOr<WriteResult> Delete(absl::string_view collection,
                                     absl::string_view name,
                                     int64_t expected_revision,
                                     const std::string& request_id,
                                     const StoredRequest& request) override {
    return store_->Delete(Rename(collection), name, expected_revision,
                          request_id, request);
  }
  absl::StatusOr<std::optional<StoredRequest>> FindRequest(
      const std::string& request_id) override {
    return store_->FindRequest(request_id);
  }
  absl::Status RecordRequest(const std::string& request_id,
                             const StoredRequest& request) override {
    return store_->RecordRequest(request_id, request);
  }
  ChangeLog& Changes() override { return store_->Changes(); }

 private:
  static absl::string_view Rename(absl::string_view collection) {
    if (collection == "things") return kMeasuresTable;
    if (collection == "secrets") return kCasesTable;
    return collection;
  }
  std::unique_ptr<AssistanceStore> store_;
};

StoredCaseRelease Release(int64_t number, std::string cells = "cells") {
  // Microseconds are kept; the cells are bytes, NULs included.
  return {number, absl::FromUnixMicros(1700000000123456 + number), 11,
          std::move(cells)};
}

v1::MeasureType Type(const std::string& code) {
  v1::MeasureType t;
  t.set_code(code);
  t.set_display_name(absl::StrCat("Display ", code));
  t.set_description(absl::StrCat("About ", code));
  return t;
}

std::vector<ChangeEntry> AllChanges(AssistanceStore& store) {
  absl::StatusOr<std::vector<ChangeEntry>> changes =
      store.Changes().ReadChanges(0, 1000000);
  EXPECT_TRUE(changes.ok()) << changes.status();
  return changes.ok() ? *changes : std::vector<ChangeEntry>{};
}

std::vector<std::string> Resources(const std::vector<ChangeEntry>& changes) {
  std::vector<std::string> out;
  for (const ChangeEntry& e : changes) out.push_back(e.resource);
  return out;
}

int64_t Latest(AssistanceStore& store) {
  absl::StatusOr<ChangeBounds> bounds = store.Changes().Bounds();
  EXPECT_TRUE(bounds.ok()) << bounds.status();
  return bounds.ok() ? bounds->latest : -1;
}

}  // namespace

RecordStoreImpl RecordsOf(const AssistanceStoreImpl& impl) {
  return {
      impl.name,
      [impl](const RecordSchema&,
             const ChangeLogOptions& options) -> std::unique_ptr<RecordStore> {
        std::unique_ptr<AssistanceStore> store = impl.fresh()(options);
        if (store == nullptr) return nullptr;
        return std::make_unique<RenamedRecords>(std::move(store));
      }};
}

void AssistanceStoreContract::SetUp() {
  open_ = GetParam().fresh();
  store_ = Open();
  ASSERT_NE(store_, nullptr);
}

std::unique_ptr<AssistanceStore> AssistanceStoreContract::Open(
    const ChangeLogOptions& options) {
  std::unique_ptr<AssistanceStore> store = open_ ? open_(options) : nullptr;
  EXPECT_NE(store, nullptr) << GetParam().name << " made no store";
  return store;
}

TEST_P(AssistanceStoreContract, TheCatalogueIsSeededInCodeOrder) {
  auto types = store_->ListMeasureTypes();
  ASSERT_TRUE(types.ok()) << types.status();
  ASSERT_EQ(types->size(), 23u);
  for (size_t i = 1; i < types->size(); ++i) {
    EXPECT_LT((*types)[i - 1].code(), (*types)[i].code());
  }
  const v1::MeasureType* rights = nullptr;
  for (const v1::MeasureType& t : *types) {
    EXPECT_EQ(t.name(), MeasureTypeName(t.code()));
    if (t.code() == "RIGHTS_INFORMATION") rights = &t;
  }
  ASSERT_NE(rights, nullptr);
  EXPECT_EQ(rights->display_name(), "Information on rights");
  EXPECT_EQ(rights->description(),
            "Information for victims on their rights and on related laws");
  // Seeding is no change.
  EXPECT_EQ(Latest(*store_), 0);
}

TEST_P(AssistanceStoreContract, ANewMeasureTypeAppendsItsChange) {
  std::atomic<int> calls{0};
  store_->Changes().AddListener([&] { ++calls; });
  auto created = store_->CreateMeasureType(Type("ZZ_NEW"));
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->sequence, 1);
  EXPECT_EQ(created->revision, 1);
  EXPECT_FALSE(created->earlier.has_value());
  EXPECT_GE(calls.load(), 1);
  auto types = store_->ListMeasureTypes();
  ASSERT_TRUE(types.ok());
  ASSERT_EQ(types->back().code(), "ZZ_NEW");
  EXPECT_EQ(types->back().name(), "measureTypes/ZZ_NEW");
  EXPECT_EQ(types->back().display_name(), "Display ZZ_NEW");
  EXPECT_EQ(types->back().description(), "About ZZ_NEW");
  std::vector<ChangeEntry> changes = AllChanges(*store_);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].sequence, 1);
  EXPECT_EQ(changes[0].resource, "measureTypes/ZZ_NEW");
  EXPECT_EQ(changes[0].revision, 1);
  EXPECT_EQ(changes[0].type, CHANGE_TYPE_CREATED);
}

TEST_P(AssistanceStoreContract, ATakenCodeIsAlreadyExistsAndWritesNothing) {
  EXPECT_EQ(store_->CreateMeasureType(Type("SHELTER")).status().code(),
            absl::StatusCode::kAlreadyExists);
  ASSERT_TRUE(store_->CreateMeasureType(Type("ZZ_NEW")).ok());
  v1::MeasureType again = Type("ZZ_NEW");
  again.set_display_name("Another");
  EXPECT_EQ(store_->CreateMeasureType(again).status().code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(Latest(*store_), 1);
  EXPECT_EQ(store_->ListMeasureTypes()->back().display_name(),
            "Display ZZ_NEW");
}

TEST_P(AssistanceStoreContract, WithoutReleasesThereIsNone) {
  EXPECT_THAT(*store_->ListCaseReleases(), IsEmpty());
  EXPECT_FALSE(store_->GetCaseRelease(0)->has_value());
  EXPECT_FALSE(store_->GetCaseRelease(1)->has_value());
  EXPECT_EQ(*store_->LatestCaseReleaseNumber(), 0);
}

TEST_P(AssistanceStoreContract, ReleasesReadBackAsAdded) {
  const std::string cells("a\0b\xff", 4);
  for (int64_t n : {1, 2, 3}) {
    auto added =
        store_->AddCaseRelease(Release(n, cells + std::to_string(n)), "", {});
    ASSERT_TRUE(added.ok()) << added.status();
    EXPECT_EQ(added->sequence, n);
  }
  auto all = store_->ListCaseReleases();
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->size(), 3u);
  for (int i = 0; i < 3; ++i) {
    const StoredCaseRelease expected =
        Release(i + 1, cells + std::to_string(i + 1));
    EXPECT_EQ((*all)[i].number, expected.number);
    EXPECT_EQ((*all)[i].cut_time, expected.cut_time);
    EXPECT_EQ((*all)[i].k, 11);
    EXPECT_EQ((*all)[i].cells, expected.cells);
  }
  auto second = store_->GetCaseRelease(2);
  ASSERT_TRUE(second.ok() && second->has_value());
  EXPECT_EQ((*second)->cells, cells + "2");
  EXPECT_EQ((*second)->cut_time, Release(2).cut_time);
  auto latest = store_->GetCaseRelease(0);
  ASSERT_TRUE(latest.ok() && latest->has_value());
  EXPECT_EQ((*latest)->number, 3);
  EXPECT_EQ(*store_->LatestCaseReleaseNumber(), 3);
  EXPECT_FALSE(store_->GetCaseRelease(4)->has_value());
  EXPECT_THAT(
      Resources(AllChanges(*store_)),
      ElementsAre("caseReleases/1", "caseReleases/2", "caseReleases/3"));
}

TEST_P(AssistanceStoreContract, AReleaseKeepsItsRequestKey) {
  auto added = store_->AddCaseRelease(Release(1), "cut-1",
                                      {"fingerprint", "caseReleases/1"});
  ASSERT_TRUE(added.ok()) << added.status();
  EXPECT_FALSE(added->earlier.has_value());
  auto key = store_->FindRequest("cut-1");
  ASSERT_TRUE(key.ok() && key->has_value());
  EXPECT_EQ((*key)->fingerprint, "fingerprint");
  EXPECT_EQ((*key)->response, "caseReleases/1");
}

TEST_P(AssistanceStoreContract, ATakenNumberIsAlreadyExistsAndTakesNoKey) {
  ASSERT_TRUE(store_->AddCaseRelease(Release(1, "first"), "", {}).ok());
  EXPECT_EQ(store_->AddCaseRelease(Release(1, "second"), "cut-2", {"fp", "x"})
                .status()
                .code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_FALSE(store_->FindRequest("cut-2")->has_value());
  EXPECT_EQ((*store_->GetCaseRelease(1))->cells, "first");
  EXPECT_EQ(Latest(*store_), 1);
}

TEST_P(AssistanceStoreContract, ATakenRequestIdWritesNothingAndReturnsIt) {
  // Releases and records share one requests table: a measure's key.
  auto put = store_->Put(kMeasuresTable, {"countries/ROU/measures/a", "m", 1},
                         0, "key-1", {"fp-measure", "answer"});
  ASSERT_TRUE(put.ok()) << put.status();
  auto added = store_->AddCaseRelease(Release(1), "key-1", {"fp-cut", "x"});
  ASSERT_TRUE(added.ok()) << added.status();
  ASSERT_TRUE(added->earlier.has_value());
  EXPECT_EQ(added->earlier->fingerprint, "fp-measure");
  EXPECT_EQ(added->earlier->response, "answer");
  EXPECT_EQ(added->sequence, put->sequence);  // the latest
  EXPECT_EQ(*store_->LatestCaseReleaseNumber(), 0);
  EXPECT_EQ(Latest(*store_), 1);
}

TEST_P(AssistanceStoreContract, OneChangeLogNumbersEveryWriteInOrder) {
  ASSERT_TRUE(
      store_
          ->Put(kMeasuresTable, {"countries/ROU/measures/a", "m", 1}, 0, "", {})
          .ok());
  auto type = store_->CreateMeasureType(Type("ZZ_NEW"));
  ASSERT_TRUE(type.ok());
  EXPECT_EQ(type->sequence, 2);
  auto release = store_->AddCaseRelease(Release(1), "cut-1", {"fp", "r"});
  ASSERT_TRUE(release.ok());
  EXPECT_EQ(release->sequence, 3);
  std::vector<ChangeEntry> changes = AllChanges(*store_);
  EXPECT_THAT(Resources(changes),
              ElementsAre("countries/ROU/measures/a", "measureTypes/ZZ_NEW",
                          "caseReleases/1"));
  for (size_t i = 0; i < changes.size(); ++i) {
    EXPECT_EQ(changes[i].sequence, static_cast<int64_t>(i) + 1);
    if (i > 0) {
      EXPECT_GE(changes[i].commit_time, changes[i - 1].commit_time);
    }
  }
}

TEST_P(AssistanceStoreContract, CaseRecordsNeverReachTheChangeLog) {
  ASSERT_TRUE(
      store_
          ->Put(kMeasuresTable, {"countries/ROU/measures/a", "m", 1}, 0, "", {})
          .ok());
  auto created =
      store_->Put(kCasesTable, {"cases/0001", "c", 1}, 0, "new-1", {"fp", "n"});
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->sequence, 1);  // the latest
  auto updated = store_->Put(kCasesTable, {"cases/0001", "d", 2}, 1, "", {});
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->revision, 2);
  EXPECT_EQ(updated->sequence, 1);
  auto deleted =
      store_->Delete(kCasesTable, "cases/0001", 2, "del-1", {"fp", "d"});
  ASSERT_TRUE(deleted.ok()) << deleted.status();
  EXPECT_EQ(deleted->sequence, 1);
  EXPECT_THAT(Resources(AllChanges(*store_)),
              ElementsAre("countries/ROU/measures/a"));
  EXPECT_EQ(Latest(*store_), 1);
  // The next logged write follows without a gap.
  auto type = store_->CreateMeasureType(Type("ZZ_NEW"));
  ASSERT_TRUE(type.ok());
  EXPECT_EQ(type->sequence, 2);
}

TEST_P(AssistanceStoreContract, AnotherStoreOnTheDatabaseSeesEverything) {
  ASSERT_TRUE(store_->CreateMeasureType(Type("ZZ_NEW")).ok());
  ASSERT_TRUE(store_->AddCaseRelease(Release(1), "cut-1", {"fp", "r"}).ok());
  std::unique_ptr<AssistanceStore> other = Open();
  ASSERT_NE(other, nullptr);
  EXPECT_EQ(other->ListMeasureTypes()->size(), 24u);
  EXPECT_EQ(*other->LatestCaseReleaseNumber(), 1);
  EXPECT_TRUE(other->FindRequest("cut-1")->has_value());
  auto next = other->AddCaseRelease(Release(2), "", {});
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_EQ(next->sequence, 3);
  EXPECT_EQ(*store_->LatestCaseReleaseNumber(), 2);
}

TEST_P(AssistanceStoreContract, TwoStoresCuttingAtOnceTakeEachNumberOnce) {
  std::unique_ptr<AssistanceStore> stores[2] = {std::move(store_), Open()};
  ASSERT_NE(stores[1], nullptr);
  constexpr int kNumbers = 15;
  std::atomic<int> errors{0};
  std::vector<int> won[2];
  std::vector<std::thread> threads;
  for (int s = 0; s < 2; ++s) {
    threads.emplace_back([&, s] {
      // Both try every number: one wins it, the other finds it taken.
      for (int n = 1; n <= kNumbers; ++n) {
        auto added = stores[s]->AddCaseRelease(
            Release(n, absl::StrCat("store ", s)), absl::StrCat("s", s, "-", n),
            {"fp", CaseReleaseName(n)});
        if (added.ok()) {
          won[s].push_back(n);
        } else if (added.status().code() != absl::StatusCode::kAlreadyExists) {
          ++errors;
          ADD_FAILURE() << added.status();
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(won[0].size() + won[1].size(), static_cast<size_t>(kNumbers));
  for (int s = 0; s < 2; ++s) {
    for (int n : won[s]) {
      EXPECT_EQ((*stores[0]->GetCaseRelease(n))->cells,
                absl::StrCat("store ", s));
      EXPECT_TRUE(
          stores[1]->FindRequest(absl::StrCat("s", s, "-", n))->has_value());
      EXPECT_FALSE(stores[1]
                       ->FindRequest(absl::StrCat("s", 1 - s, "-", n))
                       ->has_value());
    }
  }
  // One change per release, numbered in one contiguous order.
  std::vector<ChangeEntry> changes = AllChanges(*stores[1]);
  ASSERT_EQ(changes.size(), static_cast<size_t>(kNumbers));
  for (int i = 0; i < kNumbers; ++i) {
    EXPECT_EQ(changes[i].sequence, i + 1);
  }
}

TEST_P(AssistanceStoreContract, OneRequestIdOnTwoStoresWritesOnce) {
  std::unique_ptr<AssistanceStore> stores[2] = {std::move(store_), Open()};
  ASSERT_NE(stores[1], nullptr);
  std::vector<absl::StatusOr<WriteResult>> results(
      2, absl::UnknownError("not run"));
  std::vector<std::thread> threads;
  for (int s = 0; s < 2; ++s) {
    threads.emplace_back([&, s] {
      // Different numbers, one id: a retry reaching both replicas.
      results[s] = stores[s]->AddCaseRelease(Release(s + 1), "one-id",
                                             {"fp", CaseReleaseName(s + 1)});
    });
  }
  for (std::thread& t : threads) t.join();
  int written = 0;
  for (const auto& r : results) {
    ASSERT_TRUE(r.ok()) << r.status();
    if (!r->earlier.has_value()) ++written;
  }
  EXPECT_EQ(written, 1);
  EXPECT_EQ(stores[0]->ListCaseReleases()->size(), 1u);
  EXPECT_EQ(AllChanges(*stores[0]).size(), 1u);
}

}  // namespace palermo::assistance
