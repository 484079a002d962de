// The enforcement store contract suite (enforcement_store_contract.h).
#include "services/enforcement/enforcement_store_contract.h"

#include <gmock/gmock.h>
#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/common/periods.h"
#include "services/enforcement/enforcement_domain.h"

namespace palermo::enforcement {
namespace {

using google::protobuf::util::TimeUtil;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

const absl::Time kT0 = absl::FromUnixSeconds(1200000000);

// A normalised row as the domain hands it to the store: named, output
// fields clear.
v1::Observation Row(const std::string& entity, const std::string& indicator,
                    int year, int64_t value,
                    v1::Sex sex = v1::SEX_UNSPECIFIED) {
  v1::Observation o;
  o.set_entity(entity);
  o.set_indicator(indicator);
  *o.mutable_period() = *ParseTimePeriod(absl::StrCat(year));
  o.set_sex(sex);
  o.set_value(value);
  o.set_status(v1::OBSERVATION_STATUS_NORMAL);
  o.set_name(EnforcementDomain::NameOf(o));
  return o;
}

absl::Time TimeOf(const google::protobuf::Timestamp& t) {
  return absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(t));
}

struct Written {
  absl::StatusOr<BatchOutcome> outcome;
  std::vector<v1::Observation> rows;  // as stored
  std::optional<StoredRequest> earlier;
};

Written Write(EnforcementStore& store, std::vector<v1::Observation> rows,
              absl::Time not_before = kT0, const std::string& request_id = "",
              const std::string& fingerprint = "fp",
              const std::string& response = "answer") {
  Written w;
  w.rows = std::move(rows);
  w.outcome = store.WriteBatch(
      w.rows, not_before, request_id, fingerprint,
      [&](const BatchOutcome&) { return response; }, &w.earlier);
  return w;
}

std::vector<std::string> Names(const std::vector<v1::Observation>& rows) {
  std::vector<std::string> out;
  for (const auto& r : rows) out.push_back(r.name());
  return out;
}

std::vector<v1::Observation> QueryOk(EnforcementStore& store,
                                     const ObservationQuery& q) {
  absl::StatusOr<std::vector<v1::Observation>> rows = store.Query(q);
  EXPECT_TRUE(rows.ok()) << rows.status();
  return rows.ok() ? *std::move(rows) : std::vector<v1::Observation>{};
}

std::vector<ChangeEntry> AllChanges(EnforcementStore& store) {
  absl::StatusOr<std::vector<ChangeEntry>> all =
      store.Changes().ReadChanges(0, 1000000);
  EXPECT_TRUE(all.ok()) << all.status();
  return all.ok() ? *std::move(all) : std::vector<ChangeEntry>{};
}

}  // namespace

void EnforcementStoreContract::SetUp() {
  where_ = GetParam().fresh();
  ASSERT_FALSE(where_.empty());
  store_ = Open();
  ASSERT_NE(store_, nullptr);
}

std::unique_ptr<EnforcementStore> EnforcementStoreContract::Open(
    const ChangeLogOptions& options) {
  return GetParam().open(where_, options);
}

TEST_P(EnforcementStoreContract, IndicatorsAreSeededAndEachCodeCreatedOnce) {
  absl::StatusOr<std::vector<v1::Indicator>> seeded = store_->ListIndicators();
  ASSERT_TRUE(seeded.ok()) << seeded.status();
  ASSERT_EQ(seeded->size(), 20u);
  EXPECT_TRUE(std::is_sorted(seeded->begin(), seeded->end(),
                             [](const auto& a, const auto& b) {
                               return a.code() < b.code();
                             }));
  std::map<std::string, v1::Indicator> by_code;
  for (const auto& i : *seeded) by_code[i.code()] = i;
  EXPECT_EQ(by_code["CASES_INVESTIGATED"].kind(), v1::INDICATOR_KIND_FLOW);
  EXPECT_EQ(by_code["SPECIALIZED_UNITS"].kind(), v1::INDICATOR_KIND_STOCK);
  EXPECT_EQ(by_code["PERSONS_ARRESTED"].name(), "indicators/PERSONS_ARRESTED");
  EXPECT_EQ(by_code["PERSONS_ARRESTED"].unit(), "persons");

  v1::Indicator shelters;
  shelters.set_code("SHELTERS");
  shelters.set_display_name("Shelters");
  shelters.set_description("Shelters open");
  shelters.set_unit("shelters");
  shelters.set_kind(v1::INDICATOR_KIND_STOCK);
  absl::StatusOr<int64_t> created = store_->CreateIndicator(shelters);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(*created, 1);
  shelters.set_display_name("Other");
  EXPECT_EQ(store_->CreateIndicator(shelters).status().code(),
            absl::StatusCode::kAlreadyExists);

  absl::StatusOr<std::vector<v1::Indicator>> listed = store_->ListIndicators();
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->size(), 21u);
  auto it = std::find_if(listed->begin(), listed->end(),
                         [](const auto& i) { return i.code() == "SHELTERS"; });
  ASSERT_NE(it, listed->end());
  EXPECT_EQ(it->display_name(), "Shelters");
  EXPECT_EQ(it->kind(), v1::INDICATOR_KIND_STOCK);
  const std::vector<ChangeEntry> changes = AllChanges(*store_);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].sequence, 1);
  EXPECT_EQ(changes[0].resource, "indicators/SHELTERS");
  EXPECT_EQ(changes[0].revision, 1);
  EXPECT_EQ(changes[0].type, common::v1::CHANGE_TYPE_CREATED);
}

TEST_P(EnforcementStoreContract, ABatchCreatesRevisesAndLeavesUnchanged) {
  Written first = Write(*store_, {Row("countries/HRV", "VICTIMS_IDENTIFIED",
                                      2005, 6),
                                  Row("countries/HRV", "VICTIMS_IDENTIFIED",
                                      2006, 13),
                                  Row("countries/SLV", "CASES_INVESTIGATED",
                                      2005, 32)});
  ASSERT_TRUE(first.outcome.ok()) << first.outcome.status();
  EXPECT_EQ(first.outcome->created, 3);
  EXPECT_EQ(first.outcome->revised, 0);
  EXPECT_EQ(first.outcome->unchanged, 0);
  EXPECT_EQ(first.outcome->commit_time, kT0);
  for (const auto& r : first.rows) {
    EXPECT_EQ(r.revision_id(), 1);
    EXPECT_EQ(TimeOf(r.update_time()), kT0);
  }

  const absl::Time t1 = kT0 + absl::Seconds(10);
  Written second = Write(*store_,
                         {Row("countries/HRV", "VICTIMS_IDENTIFIED", 2005, 6),
                          Row("countries/HRV", "VICTIMS_IDENTIFIED", 2006, 14),
                          Row("countries/SLV", "CASES_INVESTIGATED", 2006, 67)},
                         t1);
  ASSERT_TRUE(second.outcome.ok()) << second.outcome.status();
  EXPECT_EQ(second.outcome->created, 1);
  EXPECT_EQ(second.outcome->revised, 1);
  EXPECT_EQ(second.outcome->unchanged, 1);
  EXPECT_EQ(second.outcome->commit_time, t1);
  // Each row holds its stored version: the unchanged keeps its first.
  EXPECT_EQ(second.rows[0].revision_id(), 1);
  EXPECT_EQ(TimeOf(second.rows[0].update_time()), kT0);
  EXPECT_EQ(second.rows[1].revision_id(), 2);
  EXPECT_EQ(TimeOf(second.rows[1].update_time()), t1);
  EXPECT_EQ(second.rows[2].revision_id(), 1);
  EXPECT_EQ(TimeOf(second.rows[2].update_time()), t1);

  ObservationQuery current;
  current.name = second.rows[1].name();
  std::vector<v1::Observation> now = QueryOk(*store_, current);
  ASSERT_EQ(now.size(), 1u);
  EXPECT_EQ(now[0].value(), 14);
  EXPECT_EQ(now[0].revision_id(), 2);
  EXPECT_EQ(TimeOf(now[0].update_time()), t1);

  // As of a time between the batches: the first version.
  current.as_of = kT0 + absl::Seconds(5);
  std::vector<v1::Observation> then = QueryOk(*store_, current);
  ASSERT_EQ(then.size(), 1u);
  EXPECT_EQ(then[0].value(), 13);
  EXPECT_EQ(then[0].revision_id(), 1);
  // Before the first batch: nothing; at a commit time: that version.
  current.as_of = kT0 - absl::Microseconds(1);
  EXPECT_THAT(QueryOk(*store_, current), IsEmpty());
  current.as_of = t1;
  then = QueryOk(*store_, current);
  ASSERT_EQ(then.size(), 1u);
  EXPECT_EQ(then[0].value(), 14);
  ObservationQuery all;
  EXPECT_EQ(QueryOk(*store_, all).size(), 4u);
}

TEST_P(EnforcementStoreContract, RevisionsAreNewestFirstWithSupersededTimes) {
  for (int v = 1; v <= 4; ++v) {
    Written w = Write(*store_, {Row("countries/HRV", "VICTIMS_IDENTIFIED",
                                    2005, v)},
                      kT0 + absl::Seconds(v));
    ASSERT_TRUE(w.outcome.ok()) << w.outcome.status();
  }
  const std::string name =
      Row("countries/HRV", "VICTIMS_IDENTIFIED", 2005, 0).name();
  absl::StatusOr<std::vector<v1::ObservationRevision>> all =
      store_->Revisions(name, 0, 10);
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->size(), 4u);
  for (int i = 0; i < 4; ++i) {
    const auto& r = (*all)[i];
    EXPECT_EQ(r.observation().revision_id(), 4 - i);
    EXPECT_EQ(r.observation().value(), 4 - i);
    EXPECT_EQ(TimeOf(r.observation().update_time()),
              kT0 + absl::Seconds(4 - i));
    if (i == 0) {
      EXPECT_FALSE(r.has_superseded_time());
    } else {
      EXPECT_EQ(TimeOf(r.superseded_time()), kT0 + absl::Seconds(5 - i));
    }
  }
  absl::StatusOr<std::vector<v1::ObservationRevision>> page =
      store_->Revisions(name, 3, 1);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->size(), 1u);
  EXPECT_EQ((*page)[0].observation().revision_id(), 2);
  absl::StatusOr<std::vector<v1::ObservationRevision>> none =
      store_->Revisions("countries/HRV/observations/NONE", 0, 10);
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_THAT(*none, IsEmpty());
}

TEST_P(EnforcementStoreContract, CommitTimesStrictlyIncreaseWhateverTheClock) {
  Written first = Write(*store_, {Row("countries/HRV", "VICTIMS_IDENTIFIED",
                                      2005, 1)});
  ASSERT_TRUE(first.outcome.ok()) << first.outcome.status();
  // A clock gone back, then the same time again: still later.
  Written back = Write(*store_, {Row("countries/HRV", "VICTIMS_IDENTIFIED",
                                     2005, 2)},
                       kT0 - absl::Hours(1));
  ASSERT_TRUE(back.outcome.ok()) << back.outcome.status();
  EXPECT_EQ(back.outcome->commit_time, kT0 + absl::Microseconds(1));
  Written same = Write(*store_, {Row("countries/HRV", "VICTIMS_IDENTIFIED",
                                     2006, 2)},
                       kT0);
  ASSERT_TRUE(same.outcome.ok()) << same.outcome.status();
  EXPECT_EQ(same.outcome->commit_time, kT0 + absl::Microseconds(2));
  // The versions do not overlap: the first ended when the second began.
  absl::StatusOr<std::vector<v1::ObservationRevision>> revisions =
      store_->Revisions(first.rows[0].name(), 0, 10);
  ASSERT_TRUE(revisions.ok()) << revisions.status();
  ASSERT_EQ(revisions->size(), 2u);
  EXPECT_EQ(TimeOf((*revisions)[1].superseded_time()),
            kT0 + absl::Microseconds(1));
  // And after a reopen, as another process would.
  store_.reset();
  store_ = Open();
  ASSERT_NE(store_, nullptr);
  Written later = Write(*store_, {Row("countries/HRV", "VICTIMS_IDENTIFIED",
                                      2005, 3)},
                        kT0 - absl::Hours(2));
  ASSERT_TRUE(later.outcome.ok()) << later.outcome.status();
  EXPECT_EQ(later.outcome->commit_time, kT0 + absl::Microseconds(3));
}

TEST_P(EnforcementStoreContract, ACommittedRequestIdWritesNothingMore) {
  Written first = Write(*store_, {Row("countries/HRV", "VICTIMS_IDENTIFIED",
                                      2005, 6)},
                        kT0, "import-1", "fingerprint-1", "first answer");
  ASSERT_TRUE(first.outcome.ok()) << first.outcome.status();
  EXPECT_FALSE(first.earlier.has_value());
  EXPECT_EQ(first.outcome->sequence, 1);
  absl::StatusOr<std::optional<StoredRequest>> found =
      store_->FindRequest("import-1");
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->fingerprint, "fingerprint-1");
  EXPECT_EQ((*found)->response, "first answer");
  absl::StatusOr<std::optional<StoredRequest>> missing =
      store_->FindRequest("import-2");
  ASSERT_TRUE(missing.ok()) << missing.status();
  EXPECT_FALSE(missing->has_value());

  // The same id again, even for other rows: the earlier request, nothing
  // written, the latest sequence.
  Written again = Write(*store_, {Row("countries/HRV", "VICTIMS_IDENTIFIED",
                                      2005, 7),
                                  Row("countries/SLV", "CASES_INVESTIGATED",
                                      2005, 1)},
                        kT0 + absl::Seconds(1), "import-1", "fingerprint-2",
                        "second answer");
  ASSERT_TRUE(again.outcome.ok()) << again.outcome.status();
  ASSERT_TRUE(again.earlier.has_value());
  EXPECT_EQ(again.earlier->fingerprint, "fingerprint-1");
  EXPECT_EQ(again.earlier->response, "first answer");
  EXPECT_EQ(again.outcome->created + again.outcome->revised, 0);
  EXPECT_EQ(again.outcome->sequence, 1);
  std::vector<v1::Observation> stored = QueryOk(*store_, {});
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].value(), 6);
  EXPECT_EQ(AllChanges(*store_).size(), 1u);

  // A key is recorded even when every row was unchanged.
  Written unchanged = Write(*store_, {Row("countries/HRV",
                                          "VICTIMS_IDENTIFIED", 2005, 6)},
                            kT0 + absl::Seconds(2), "import-3", "fp-3", "noop");
  ASSERT_TRUE(unchanged.outcome.ok()) << unchanged.outcome.status();
  EXPECT_EQ(unchanged.outcome->unchanged, 1);
  found = store_->FindRequest("import-3");
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->response, "noop");
}

TEST_P(EnforcementStoreContract, QueriesFilterAndPageInByteOrder) {
  std::vector<v1::Observation> rows = {
      Row("countries/HRV", "VICTIMS_IDENTIFIED", 2005, 6),
      Row("countries/HRV", "VICTIMS_IDENTIFIED", 2006, 13),
      Row("countries/HRV", "VICTIMS_IDENTIFIED", 2006, 7, v1::SEX_FEMALE),
      Row("countries/HRV", "CASES_INVESTIGATED", 2006, 3),
      Row("countries/SLV", "CASES_INVESTIGATED", 2005, 32),
      Row("countries/SLV", "CASES_INVESTIGATED", 2006, 67),
      Row("countries/SLV", "CASES_INVESTIGATED", 2006, 40, v1::SEX_MALE),
  };
  // An entity whose code extends another's is not in it; a lower-case
  // suffix sorts after every upper-case one by bytes (not by a locale).
  v1::Observation longer = Row("countries/HR", "CASES_INVESTIGATED", 2006, 1);
  longer.set_name("countries/HRVX/observations/CASES_INVESTIGATED_2006");
  v1::Observation lower = Row("countries/HRV", "CASES_INVESTIGATED", 2007, 1);
  lower.set_name("countries/HRV/observations/cases_2007");
  v1::Observation upper = Row("countries/HRV", "CASES_INVESTIGATED", 2008, 1);
  upper.set_name("countries/HRV/observations/Z_2008");
  rows.push_back(longer);
  rows.push_back(lower);
  rows.push_back(upper);
  Written w = Write(*store_, rows);
  ASSERT_TRUE(w.outcome.ok()) << w.outcome.status();

  std::vector<std::string> names = Names(QueryOk(*store_, {}));
  ASSERT_EQ(names.size(), rows.size());
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));

  ObservationQuery hrv;
  hrv.entity = "countries/HRV";
  names = Names(QueryOk(*store_, hrv));
  EXPECT_EQ(names.size(), 6u);
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  EXPECT_EQ(names.back(), "countries/HRV/observations/cases_2007");
  EXPECT_EQ(names[names.size() - 2], "countries/HRV/observations/Z_2008");

  ObservationQuery victims;
  victims.indicator = "VICTIMS_IDENTIFIED";
  EXPECT_EQ(QueryOk(*store_, victims).size(), 3u);
  victims.dims_mask = 0;
  EXPECT_EQ(QueryOk(*store_, victims).size(), 2u);
  victims.dims_mask = 1;
  std::vector<v1::Observation> by_sex = QueryOk(*store_, victims);
  ASSERT_EQ(by_sex.size(), 1u);
  EXPECT_EQ(by_sex[0].sex(), v1::SEX_FEMALE);

  ObservationQuery in_2006;
  in_2006.entity = "countries/SLV";
  in_2006.overlaps = RangeOf(*ParseTimePeriod("2006-03/2007"));
  std::vector<v1::Observation> slv = QueryOk(*store_, in_2006);
  ASSERT_EQ(slv.size(), 2u);
  for (const auto& o : slv) EXPECT_EQ(o.period().start().year(), 2006);

  ObservationQuery one;
  one.name = rows[1].name();
  std::vector<v1::Observation> exact = QueryOk(*store_, one);
  ASSERT_EQ(exact.size(), 1u);
  EXPECT_EQ(exact[0].value(), 13);

  // Pages: after a name, up to a limit.
  ObservationQuery page;
  page.limit = 4;
  std::vector<std::string> seen;
  for (int i = 0; i < 10; ++i) {
    std::vector<std::string> got = Names(QueryOk(*store_, page));
    if (got.empty()) break;
    EXPECT_LE(got.size(), 4u);
    seen.insert(seen.end(), got.begin(), got.end());
    page.after_name = got.back();
  }
  EXPECT_EQ(seen, Names(QueryOk(*store_, {})));

  // Filters together.
  ObservationQuery both;
  both.entity = "countries/SLV";
  both.indicator = "CASES_INVESTIGATED";
  both.dims_mask = 0;
  both.overlaps = RangeOf(*ParseTimePeriod("2006"));
  both.as_of = kT0;
  std::vector<v1::Observation> single = QueryOk(*store_, both);
  ASSERT_EQ(single.size(), 1u);
  EXPECT_EQ(single[0].value(), 67);
}

TEST_P(EnforcementStoreContract, EachVersionWrittenIsLoggedInOrder) {
  Written first = Write(*store_, {Row("countries/HRV", "VICTIMS_IDENTIFIED",
                                      2005, 6),
                                  Row("countries/HRV", "VICTIMS_IDENTIFIED",
                                      2006, 13)});
  ASSERT_TRUE(first.outcome.ok()) << first.outcome.status();
  EXPECT_EQ(first.outcome->sequence, 2);
  const absl::Time t1 = kT0 + absl::Seconds(1);
  Written second = Write(*store_,
                         {Row("countries/HRV", "VICTIMS_IDENTIFIED", 2005, 6),
                          Row("countries/HRV", "VICTIMS_IDENTIFIED", 2006, 14)},
                         t1);
  ASSERT_TRUE(second.outcome.ok()) << second.outcome.status();
  EXPECT_EQ(second.outcome->sequence, 3);
  // Nothing changed: nothing logged, the latest sequence.
  Written third = Write(*store_, {Row("countries/HRV", "VICTIMS_IDENTIFIED",
                                      2005, 6)},
                        kT0 + absl::Seconds(2));
  ASSERT_TRUE(third.outcome.ok()) << third.outcome.status();
  EXPECT_EQ(third.outcome->sequence, 3);

  const std::vector<ChangeEntry> changes = AllChanges(*store_);
  ASSERT_EQ(changes.size(), 3u);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(changes[i].sequence, i + 1);
  EXPECT_EQ(changes[0].resource, first.rows[0].name());
  EXPECT_EQ(changes[1].resource, first.rows[1].name());
  EXPECT_EQ(changes[2].resource, first.rows[1].name());
  EXPECT_EQ(changes[0].type, common::v1::CHANGE_TYPE_CREATED);
  EXPECT_EQ(changes[1].type, common::v1::CHANGE_TYPE_CREATED);
  EXPECT_EQ(changes[2].type, common::v1::CHANGE_TYPE_UPDATED);
  EXPECT_EQ(changes[0].revision, 1);
  EXPECT_EQ(changes[2].revision, 2);
  EXPECT_EQ(changes[0].commit_time, kT0);
  EXPECT_EQ(changes[1].commit_time, kT0);
  EXPECT_EQ(changes[2].commit_time, t1);

  absl::StatusOr<std::vector<ChangeEntry>> after =
      store_->Changes().ReadChanges(1, 1);
  ASSERT_TRUE(after.ok()) << after.status();
  ASSERT_EQ(after->size(), 1u);
  EXPECT_EQ((*after)[0].sequence, 2);
  absl::StatusOr<ChangeBounds> bounds = store_->Changes().Bounds();
  ASSERT_TRUE(bounds.ok()) << bounds.status();
  EXPECT_EQ(bounds->oldest, 1);
  EXPECT_EQ(bounds->latest, 3);
}

TEST_P(EnforcementStoreContract, ListenersAreCalledAfterACommit) {
  std::atomic<int> calls{0};
  store_->Changes().AddListener([&calls] { ++calls; });
  Written w = Write(*store_, {Row("countries/HRV", "VICTIMS_IDENTIFIED",
                                  2005, 6)});
  ASSERT_TRUE(w.outcome.ok()) << w.outcome.status();
  EXPECT_GE(calls.load(), 1);
}

TEST_P(EnforcementStoreContract, CompactionKeepsTheNewestEntries) {
  store_.reset();
  ChangeLogOptions small;
  small.retain = 4;
  store_ = Open(small);
  ASSERT_NE(store_, nullptr);
  for (int i = 0; i < 40; ++i) {
    Written w = Write(*store_, {Row("countries/HRV", "VICTIMS_IDENTIFIED",
                                    2005, i)},
                      kT0 + absl::Seconds(i));
    ASSERT_TRUE(w.outcome.ok()) << w.outcome.status();
  }
  absl::StatusOr<ChangeBounds> bounds = store_->Changes().Bounds();
  ASSERT_TRUE(bounds.ok()) << bounds.status();
  EXPECT_EQ(bounds->latest, 40);
  EXPECT_GT(bounds->oldest, 1);
  EXPECT_LE(bounds->oldest, 37);
  const std::vector<ChangeEntry> kept = AllChanges(*store_);
  ASSERT_FALSE(kept.empty());
  EXPECT_EQ(kept.front().sequence, bounds->oldest);
  EXPECT_EQ(kept.back().sequence, 40);
}

// Two stores on one database, as two processes: each writes batches that
// revise the same observations, at once, with commit times asked from
// clocks that disagree.
TEST_P(EnforcementStoreContract, TwoStoresWritingAtOnceCommitInOneOrder) {
  std::unique_ptr<EnforcementStore> other = Open();
  ASSERT_NE(other, nullptr);
  constexpr int kBatches = 15;
  constexpr int kRows = 40;
  struct Committed {
    int64_t sequence;
    absl::Time commit_time;
    int64_t written;
  };
  std::vector<Committed> committed[2];
  std::atomic<int> failures{0};
  auto writer = [&](int w, EnforcementStore* store) {
    for (int b = 0; b < kBatches; ++b) {
      std::vector<v1::Observation> rows;
      for (int r = 0; r < kRows; ++r) {
        rows.push_back(Row("countries/HRV", "VICTIMS_IDENTIFIED", 1990 + r,
                           w * 1000 + b));
      }
      // The second writer's clock runs an hour behind.
      Written out = Write(*store, std::move(rows),
                          kT0 - absl::Hours(w) + absl::Milliseconds(b));
      if (!out.outcome.ok()) {
        ADD_FAILURE() << out.outcome.status();
        ++failures;
        return;
      }
      committed[w].push_back({out.outcome->sequence, out.outcome->commit_time,
                              out.outcome->created + out.outcome->revised});
    }
  };
  std::thread a(writer, 0, store_.get());
  std::thread b(writer, 1, other.get());
  a.join();
  b.join();
  ASSERT_EQ(failures.load(), 0);
  std::vector<Committed> all = committed[0];
  all.insert(all.end(), committed[1].begin(), committed[1].end());
  std::sort(all.begin(), all.end(), [](const auto& x, const auto& y) {
    return x.sequence < y.sequence;
  });
  for (size_t i = 1; i < all.size(); ++i) {
    EXPECT_LT(all[i - 1].commit_time, all[i].commit_time)
        << "batches " << i - 1 << " and " << i << " by sequence";
    EXPECT_EQ(all[i].sequence, all[i - 1].sequence + all[i].written);
  }
  // The log: every version once, contiguous, commit times never going
  // back, each name's revisions 1, 2, ... in sequence order.
  const std::vector<ChangeEntry> changes = AllChanges(*store_);
  ASSERT_EQ(changes.size(), 2u * kBatches * kRows);
  std::map<std::string, int64_t> last_revision;
  for (size_t i = 0; i < changes.size(); ++i) {
    EXPECT_EQ(changes[i].sequence, static_cast<int64_t>(i) + 1);
    if (i > 0) {
      EXPECT_LE(changes[i - 1].commit_time, changes[i].commit_time);
    }
    EXPECT_EQ(changes[i].revision, ++last_revision[changes[i].resource]);
  }
  // The versions of one observation never overlap.
  absl::StatusOr<std::vector<v1::ObservationRevision>> revisions =
      store_->Revisions(
          Row("countries/HRV", "VICTIMS_IDENTIFIED", 1990, 0).name(), 0, 100);
  ASSERT_TRUE(revisions.ok()) << revisions.status();
  ASSERT_EQ(revisions->size(), 2u * kBatches);
  for (size_t i = 1; i < revisions->size(); ++i) {
    EXPECT_EQ(TimeOf((*revisions)[i].superseded_time()),
              TimeOf((*revisions)[i - 1].observation().update_time()));
    EXPECT_LT(TimeOf((*revisions)[i].observation().update_time()),
              TimeOf((*revisions)[i].superseded_time()));
  }
}

TEST_P(EnforcementStoreContract, OneRequestIdFromTwoStoresWritesOnce) {
  std::unique_ptr<EnforcementStore> other = Open();
  ASSERT_NE(other, nullptr);
  constexpr int kRounds = 6;
  for (int round = 0; round < kRounds; ++round) {
    const std::string id = absl::StrCat("retry-", round);
    Written out[2];
    auto writer = [&](int w, EnforcementStore* store) {
      std::vector<v1::Observation> rows;
      for (int r = 0; r < 20; ++r) {
        rows.push_back(Row("countries/SLV", "CASES_INVESTIGATED", 1990 + r,
                           round));
      }
      out[w] = Write(*store, std::move(rows), kT0 + absl::Seconds(round), id,
                     "same request", absl::StrCat("answer of ", w));
    };
    std::thread a(writer, 0, store_.get());
    std::thread b(writer, 1, other.get());
    a.join();
    b.join();
    ASSERT_TRUE(out[0].outcome.ok()) << out[0].outcome.status();
    ASSERT_TRUE(out[1].outcome.ok()) << out[1].outcome.status();
    // Exactly one wrote; the other got its answer.
    ASSERT_NE(out[0].earlier.has_value(), out[1].earlier.has_value());
    const int winner = out[0].earlier.has_value() ? 1 : 0;
    EXPECT_EQ(out[1 - winner].earlier->response,
              absl::StrCat("answer of ", winner));
    EXPECT_EQ(out[winner].outcome->created + out[winner].outcome->revised, 20);
  }
  const std::vector<ChangeEntry> changes = AllChanges(*store_);
  EXPECT_EQ(changes.size(), 20u * kRounds);
  absl::StatusOr<std::vector<v1::ObservationRevision>> revisions =
      store_->Revisions(
          Row("countries/SLV", "CASES_INVESTIGATED", 1990, 0).name(), 0, 100);
  ASSERT_TRUE(revisions.ok()) << revisions.status();
  EXPECT_EQ(revisions->size(), static_cast<size_t>(kRounds));
}

}  // namespace palermo::enforcement
