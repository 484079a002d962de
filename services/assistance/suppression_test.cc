#include "services/assistance/suppression.h"

#include <gtest/gtest.h>

#include <random>

#include "absl/strings/str_cat.h"

namespace palermo::assistance {
namespace {

const v1::CaseCell* Find(const std::vector<v1::CaseCell>& cells,
                         std::vector<std::string> keys) {
  for (const auto& c : cells) {
    if (std::vector<std::string>(c.keys().begin(), c.keys().end()) == keys)
      return &c;
  }
  return nullptr;
}

// The auditor: every relation hides nothing, or at least two entries whose
// revealed sum is not a small count.
void ExpectSafe(const std::vector<v1::CaseCell>& cells, int dims, int64_t k) {
  std::map<std::vector<std::string>, const v1::CaseCell*> by_key;
  std::vector<std::set<std::string>> values(dims);
  for (const auto& c : cells) {
    std::vector<std::string> key(c.keys().begin(), c.keys().end());
    by_key[key] = &c;
    for (int d = 0; d < dims; ++d) values[d].insert(key[d]);
    if (c.has_count()) {
      EXPECT_TRUE(c.count() == 0 || c.count() >= k) << "published small cell";
    }
  }
  for (int d = 0; d < dims; ++d) {
    std::set<std::string> others =
        dims == 1 ? std::set<std::string>{""} : values[1 - d];
    for (const std::string& other : others) {
      int hidden = 0;
      int64_t published_parts = 0;
      const v1::CaseCell* total = nullptr;
      for (const std::string& v : values[d]) {
        std::vector<std::string> key(dims);
        key[d] = v;
        if (dims == 2) key[1 - d] = other;
        const v1::CaseCell* c = by_key.at(key);
        if (v == kTotalKey) {
          total = c;
          if (!c->has_count()) ++hidden;
        } else if (c->has_count()) {
          published_parts += c->count();
        } else {
          ++hidden;
        }
      }
      EXPECT_NE(hidden, 1) << "one hidden entry can be worked out";
      if (hidden >= 2 && total->has_count()) {
        EXPECT_GE(total->count() - published_parts, k)
            << "the hidden cells' sum is a small count";
      }
    }
  }
}

TEST(SuppressionTest, ACellOfThreeIsHiddenAndCannotBeDerived) {
  Counts counts = {{{"F"}, 40}, {{"M"}, 3}, {{"X"}, 25}};
  auto cells = SuppressedTable(counts, 1, 11);
  EXPECT_EQ(Find(cells, {"M"})->status(), v1::CELL_STATUS_SUPPRESSED);
  EXPECT_FALSE(Find(cells, {"M"})->has_count());
  // Total 68 is published: so a second cell is hidden, and together they
  // reveal 28, not 3.
  EXPECT_EQ(Find(cells, {"X"})->status(), v1::CELL_STATUS_SUPPRESSED);
  EXPECT_EQ(Find(cells, {"_T"})->count(), 68);
  ExpectSafe(cells, 1, 11);
}

TEST(SuppressionTest, KChangesTheResult) {
  Counts counts = {{{"F"}, 40}, {{"M"}, 3}, {{"X"}, 25}};
  auto cells = SuppressedTable(counts, 1, 3);
  EXPECT_EQ(Find(cells, {"M"})->count(), 3);
  EXPECT_EQ(Find(cells, {"X"})->count(), 25);
  ExpectSafe(cells, 1, 3);
}

TEST(SuppressionTest, TwoDimensionsSuppressAcrossRowsAndColumns) {
  Counts counts = {{{"ROU", "F"}, 30},
                   {{"ROU", "M"}, 2},
                   {{"LVA", "F"}, 15},
                   {{"LVA", "M"}, 14}};
  auto cells = SuppressedTable(counts, 2, 11);
  EXPECT_EQ(Find(cells, {"ROU", "M"})->status(), v1::CELL_STATUS_SUPPRESSED);
  ExpectSafe(cells, 2, 11);
}

TEST(SuppressionTest, RandomTablesNeverRevealACellBelowK) {
  std::mt19937 random(20071112);
  for (int trial = 0; trial < 300; ++trial) {
    const int dims = 1 + trial % 2;
    const int64_t k = 2 + trial % 15;
    Counts counts;
    const int rows = 1 + random() % 6, cols = 1 + random() % 5;
    for (int r = 0; r < rows; ++r) {
      for (int c = 0; c < (dims == 2 ? cols : 1); ++c) {
        std::vector<std::string> key = {absl::StrCat("r", r)};
        if (dims == 2) key.push_back(absl::StrCat("c", c));
        const int64_t n = random() % 3 == 0 ? random() % 5 : random() % 60;
        if (n > 0) counts[key] = n;
      }
    }
    if (counts.empty()) continue;
    ExpectSafe(SuppressedTable(counts, dims, k), dims, k);
  }
}

}  // namespace
}  // namespace palermo::assistance
