#include "services/assistance/suppression.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <set>

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

// Rank of a matrix of small integers, by Gaussian elimination.
int Rank(std::vector<std::vector<double>> m) {
  int rank = 0;
  const size_t columns = m.empty() ? 0 : m[0].size();
  for (size_t c = 0; c < columns && rank < static_cast<int>(m.size()); ++c) {
    size_t pivot = rank;
    while (pivot < m.size() && std::abs(m[pivot][c]) < 1e-9) ++pivot;
    if (pivot == m.size()) continue;
    std::swap(m[pivot], m[rank]);
    for (size_t r = 0; r < m.size(); ++r) {
      if (r == static_cast<size_t>(rank) || std::abs(m[r][c]) < 1e-9) continue;
      const double f = m[r][c] / m[rank][c];
      for (size_t j = 0; j < columns; ++j) m[r][j] -= f * m[rank][j];
    }
    ++rank;
  }
  return rank;
}

// The auditor, independent of the algorithm: writes every relation of the
// table (parts minus total = 0) over the hidden cells, and checks that no
// hidden cell is determined by them (its unit vector is not in their span);
// also that no published count is small, and that no relation reveals a
// small sum.
void ExpectSafe(const std::vector<v1::CaseCell>& cells, int dims, int64_t k) {
  std::map<std::vector<std::string>, const v1::CaseCell*> by_key;
  std::vector<std::set<std::string>> values(dims);
  std::map<std::vector<std::string>, int> hidden_index;
  for (const auto& c : cells) {
    std::vector<std::string> key(c.keys().begin(), c.keys().end());
    by_key[key] = &c;
    for (int d = 0; d < dims; ++d) values[d].insert(key[d]);
    if (c.has_count()) {
      EXPECT_TRUE(c.count() == 0 || c.count() >= k) << "published small cell";
    } else {
      const int next = static_cast<int>(hidden_index.size());
      hidden_index[key] = next;
    }
  }
  std::vector<std::vector<double>> relations;
  for (int d = 0; d < dims; ++d) {
    std::set<std::string> others =
        dims == 1 ? std::set<std::string>{""} : values[1 - d];
    for (const std::string& other : others) {
      std::vector<double> row(hidden_index.size(), 0);
      int64_t published_parts = 0;
      const v1::CaseCell* total = nullptr;
      for (const std::string& v : values[d]) {
        std::vector<std::string> key(dims);
        key[d] = v;
        if (dims == 2) key[1 - d] = other;
        const v1::CaseCell* c = by_key.at(key);
        const bool is_total = v == kTotalKey;
        if (is_total) total = c;
        if (!c->has_count()) {
          row[hidden_index.at(key)] = is_total ? -1 : 1;
        } else if (!is_total) {
          published_parts += c->count();
        }
      }
      if (total->has_count() && published_parts != total->count()) {
        EXPECT_GE(total->count() - published_parts, k)
            << "a small sum is revealed";
      }
      relations.push_back(std::move(row));
    }
  }
  const int rank = Rank(relations);
  for (const auto& [key, i] : hidden_index) {
    std::vector<std::vector<double>> with = relations;
    std::vector<double> unit(hidden_index.size(), 0);
    unit[i] = 1;
    with.push_back(unit);
    EXPECT_GT(Rank(with), rank)
        << "hidden cell " << key[0] << (dims == 2 ? "," + key[1] : "")
        << " can be solved for";
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

TEST(SuppressionTest, LinkedRectanglesDoNotLeakTheCellJoiningThem) {
  // A review's counter-example to a row-by-row rule: two hidden rectangles
  // joined by one cell, which the margins then pin down.
  Counts counts;
  const char* rows[] = {"BGR", "HUN", "LVA", "ROU"};
  const char* cols[] = {"F", "M", "T", "U"};
  const int64_t v[4][4] = {
      {27, 3, 19, 18}, {18, 17, 28, 6}, {5, 23, 7, 2}, {17, 23, 5, 29}};
  for (int r = 0; r < 4; ++r) {
    for (int c = 0; c < 4; ++c) counts[{rows[r], cols[c]}] = v[r][c];
  }
  ExpectSafe(SuppressedTable(counts, 2, 11), 2, 11);
}

TEST(SuppressionTest, PublishedZerosDoNotLeakAHiddenCell) {
  Counts counts = {{{"BGR", "F"}, 21},
                   {{"BGR", "M"}, 7},
                   {{"LVA", "U"}, 9},
                   {{"ROU", "M"}, 3},
                   {{"ROU", "U"}, 17}};
  ExpectSafe(SuppressedTable(counts, 2, 11), 2, 11);
}

TEST(SuppressionTest, TwoWayTablesKeepTheOneWayMarginsAndStaySafe) {
  std::mt19937 random(20080124);
  for (int trial = 0; trial < 200; ++trial) {
    const int64_t k = 3 + trial % 10;
    Counts counts, first, second;
    const int rows = 2 + random() % 5, cols = 2 + random() % 4;
    for (int r = 0; r < rows; ++r) {
      for (int c = 0; c < cols; ++c) {
        const int64_t n = random() % 3 == 0 ? random() % 5 : random() % 40;
        if (n == 0) continue;
        counts[{absl::StrCat("r", r), absl::StrCat("c", c)}] = n;
        first[{absl::StrCat("r", r)}] += n;
        second[{absl::StrCat("c", c)}] += n;
      }
    }
    if (counts.empty()) continue;
    const auto one_a = SuppressedTable(first, 1, k);
    const auto one_b = SuppressedTable(second, 1, k);
    const Margins margins = MarginsOf(one_a, one_b);
    const auto two = SuppressedTable(counts, 2, k, &margins);
    ExpectSafe(two, 2, k);
    // Every margin says what the one-way table says: same count, or hidden.
    for (const auto& cell : one_a) {
      const v1::CaseCell* m = Find(two, {cell.keys(0), kTotalKey});
      ASSERT_NE(m, nullptr);
      EXPECT_EQ(m->has_count(), cell.has_count());
      if (cell.has_count()) EXPECT_EQ(m->count(), cell.count());
    }
    for (const auto& cell : one_b) {
      const v1::CaseCell* m = Find(two, {kTotalKey, cell.keys(0)});
      ASSERT_NE(m, nullptr);
      EXPECT_EQ(m->has_count(), cell.has_count());
    }
  }
}

// Audits several two-way tables that share their first dimension (entity x
// gender, entity x age...) as one system: the shared margins (first
// dimension's totals and the grand total) are the same unknowns in every
// table.
void ExpectJointlySafe(const std::vector<std::vector<v1::CaseCell>>& tables) {
  std::map<std::string, int> variable;  // "shared|key" or "t<i>|key"
  auto id = [&](size_t table, const std::vector<std::string>& key) {
    const bool shared = key[1] == kTotalKey;
    const std::string name =
        (shared ? std::string("shared") : absl::StrCat("t", table)) + "|" +
        key[0] + "|" + key[1];
    auto it = variable.find(name);
    if (it != variable.end()) return it->second;
    const int next = static_cast<int>(variable.size());
    variable[name] = next;
    return next;
  };
  struct Term {
    int var;
    double sign;
  };
  std::vector<std::vector<Term>> equations;
  for (size_t t = 0; t < tables.size(); ++t) {
    std::map<std::vector<std::string>, const v1::CaseCell*> by_key;
    std::set<std::string> a, b;
    for (const auto& c : tables[t]) {
      std::vector<std::string> key(c.keys().begin(), c.keys().end());
      by_key[key] = &c;
      a.insert(key[0]);
      b.insert(key[1]);
    }
    for (int d = 0; d < 2; ++d) {
      for (const std::string& other : d == 0 ? b : a) {
        std::vector<Term> eq;
        for (const std::string& v : d == 0 ? a : b) {
          std::vector<std::string> key =
              d == 0 ? std::vector<std::string>{v, other}
                     : std::vector<std::string>{other, v};
          if (!by_key.at(key)->has_count()) {
            eq.push_back({id(t, key), v == kTotalKey ? -1.0 : 1.0});
          }
        }
        equations.push_back(std::move(eq));
      }
    }
  }
  std::vector<std::vector<double>> matrix;
  for (const auto& eq : equations) {
    std::vector<double> row(variable.size(), 0);
    for (const Term& term : eq) row[term.var] = term.sign;
    matrix.push_back(std::move(row));
  }
  const int rank = Rank(matrix);
  for (const auto& [name, i] : variable) {
    std::vector<std::vector<double>> with = matrix;
    std::vector<double> unit(variable.size(), 0);
    unit[i] = 1;
    with.push_back(unit);
    EXPECT_GT(Rank(with), rank) << name << " can be solved for across tables";
  }
}

TEST(SuppressionTest, TablesSharingAMarginAreSafeTogether) {
  std::mt19937 random(19990601);
  for (int trial = 0; trial < 150; ++trial) {
    const int64_t k = 3 + trial % 9;
    const int entities = 3 + random() % 5;
    std::vector<std::vector<v1::CaseCell>> tables;
    // Per-entity records, then two breakdowns of the same records.
    std::vector<std::map<std::string, int64_t>> by_x(entities), by_y(entities);
    Counts first;
    for (int e = 0; e < entities; ++e) {
      const int64_t n = random() % 3 == 0 ? 1 + random() % 6 : random() % 50;
      for (int64_t i = 0; i < n; ++i) {
        ++by_x[e][absl::StrCat("x", random() % 3)];
        ++by_y[e][absl::StrCat("y", random() % 4)];
      }
      if (n > 0) first[{absl::StrCat("e", e)}] = n;
    }
    if (first.empty()) continue;
    const auto one_entity = SuppressedTable(first, 1, k);
    for (const auto* by : {&by_x, &by_y}) {
      Counts counts, second;
      for (int e = 0; e < entities; ++e) {
        for (const auto& [value, n] : (*by)[e]) {
          counts[{absl::StrCat("e", e), value}] = n;
          second[{value}] += n;
        }
      }
      const Margins margins =
          MarginsOf(one_entity, SuppressedTable(second, 1, k));
      tables.push_back(SuppressedTable(counts, 2, k, &margins));
      ExpectSafe(tables.back(), 2, k);
    }
    ExpectJointlySafe(tables);
  }
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
