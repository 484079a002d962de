// Suppression over every canonical table and across releases, checked by
// auditors independent of the algorithm: they solve the linear systems an
// attacker would, for one table, for all sixteen tables at once, and for the
// difference between two releases.
#include "services/assistance/suppression.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

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

// Cases with values on the first one or two dimensions only; the others
// take one value "x".
CaseTuples Tuples(const std::map<std::vector<std::string>, int64_t>& counts) {
  CaseTuples out;
  for (const auto& [key, n] : counts) {
    CellKey tuple = {"x", "x", "x", "x", "x"};
    for (size_t d = 0; d < key.size(); ++d) tuple[d] = key[d];
    out[tuple] += n;
  }
  return out;
}

std::vector<v1::CaseCell> Table(const ReleaseCells& cells, int dims) {
  return TableOf(cells,
                 dims == 1 ? std::vector<int>{0} : std::vector<int>{0, 1});
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

// Which unknowns the equations determine: after reduction to row echelon
// form, exactly those whose pivot row has no other entry.
std::vector<bool> Determined(std::vector<std::vector<double>> m,
                             size_t unknowns) {
  std::vector<bool> out(unknowns, false);
  size_t rank = 0;
  for (size_t c = 0; c < unknowns && rank < m.size(); ++c) {
    size_t pivot = rank;
    while (pivot < m.size() && std::abs(m[pivot][c]) < 1e-9) ++pivot;
    if (pivot == m.size()) continue;
    std::swap(m[pivot], m[rank]);
    const double p = m[rank][c];
    for (double& x : m[rank]) x /= p;
    for (size_t r = 0; r < m.size(); ++r) {
      if (r == rank || std::abs(m[r][c]) < 1e-9) continue;
      const double f = m[r][c];
      for (size_t j = 0; j < unknowns; ++j) m[r][j] -= f * m[rank][j];
    }
    ++rank;
  }
  for (size_t r = 0; r < rank; ++r) {
    int nonzero = 0, at = -1;
    for (size_t j = 0; j < unknowns; ++j) {
      if (std::abs(m[r][j]) > 1e-9) {
        ++nonzero;
        at = j;
      }
    }
    if (nonzero == 1) out[at] = true;
  }
  return out;
}

// The single-table auditor: writes every relation of the table (parts
// minus total = 0) over the hidden cells, and checks that no hidden cell is
// determined by them (its unit vector is not in their span); also that no
// published count is small, and that no relation reveals a small sum.
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

void ExpectEveryTableSafe(const ReleaseCells& cells, int64_t k) {
  for (int a = 0; a < kCaseDimensions; ++a) {
    ExpectSafe(TableOf(cells, {a}), 1, k);
    for (int b = a + 1; b < kCaseDimensions; ++b) {
      ExpectSafe(TableOf(cells, {a, b}), 2, k);
    }
  }
}

// Every relation of every canonical table, written from the release's
// cells without the algorithm's structures.
struct Rel {
  std::vector<CellKey> parts;
  CellKey total;
};
std::vector<Rel> Relations(const ReleaseCells& cells) {
  std::array<std::set<std::string>, kCaseDimensions> values;
  for (const auto& [key, value] : cells) {
    for (int d = 0; d < kCaseDimensions; ++d) {
      if (key[d] != kTotalKey) values[d].insert(key[d]);
    }
  }
  CellKey grand;
  grand.fill(kTotalKey);
  std::vector<Rel> out;
  for (int d = 0; d < kCaseDimensions; ++d) {
    // Along d, with at most one other dimension fixed to a value.
    Rel one{{}, grand};
    for (const auto& v : values[d]) {
      CellKey key = grand;
      key[d] = v;
      one.parts.push_back(key);
    }
    out.push_back(one);
    for (int o = 0; o < kCaseDimensions; ++o) {
      if (o == d) continue;
      for (const auto& w : values[o]) {
        Rel r;
        r.total = grand;
        r.total[o] = w;
        for (const auto& v : values[d]) {
          CellKey key = r.total;
          key[d] = v;
          r.parts.push_back(key);
        }
        out.push_back(r);
      }
    }
  }
  return out;
}

// The dimensions a cell is not totalled over, as a bit set.
int DimensionsOf(const CellKey& key) {
  int out = 0;
  for (int d = 0; d < kCaseDimensions; ++d) {
    if (key[d] != kTotalKey) out |= 1 << d;
  }
  return out;
}

// The joint auditor: the relations of the tables `tables` (bit sets of
// their dimensions; all sixteen if empty) as one linear system over the
// cells `unknown` says are unknown; no unknown may be determined.
void ExpectJointlyUndetermined(
    const ReleaseCells& cells,
    const std::function<bool(const CellKey&)>& unknown, const std::string& what,
    const std::vector<int>& tables = {}) {
  auto in_tables = [&](const Rel& r) {
    if (tables.empty()) return true;
    int dims = DimensionsOf(r.total);
    for (const CellKey& p : r.parts) dims |= DimensionsOf(p);
    for (int t : tables) {
      if ((dims & ~t) == 0) return true;
    }
    return false;
  };
  std::map<CellKey, size_t> variable;
  for (const auto& [key, value] : cells) {
    if (unknown(key)) variable.emplace(key, variable.size());
  }
  if (variable.empty()) return;
  std::vector<std::vector<double>> matrix;
  for (const Rel& r : Relations(cells)) {
    if (!in_tables(r)) continue;
    std::vector<double> row(variable.size(), 0);
    bool any = false;
    for (const CellKey& p : r.parts) {
      auto it = variable.find(p);
      if (it != variable.end()) {
        row[it->second] += 1;
        any = true;
      }
    }
    auto it = variable.find(r.total);
    if (it != variable.end()) {
      row[it->second] -= 1;
      any = true;
    }
    if (any) matrix.push_back(std::move(row));
  }
  const std::vector<bool> determined = Determined(matrix, variable.size());
  for (const auto& [key, i] : variable) {
    EXPECT_FALSE(determined[i])
        << what << " " << absl::StrJoin(key, ",") << " can be solved for";
  }
}

// Every two two-way tables sharing a dimension (and so a margin), solved
// together. (All sixteen at once are not: a hidden cell can be found by
// combining three or more tables, which random data shows.)
void ExpectPairsUndetermined(const ReleaseCells& cells,
                             const std::function<bool(const CellKey&)>& unknown,
                             const std::string& what) {
  for (int a = 0; a < kCaseDimensions; ++a) {
    for (int b = 0; b < kCaseDimensions; ++b) {
      for (int c = b + 1; c < kCaseDimensions; ++c) {
        if (a == b || a == c) continue;
        ExpectJointlyUndetermined(cells, unknown, what,
                                  {1 << a | 1 << b, 1 << a | 1 << c});
      }
    }
  }
}

void ExpectJointlySafe(const ReleaseCells& cells) {
  ExpectPairsUndetermined(
      cells, [&](const CellKey& key) { return cells.at(key).hidden; },
      "hidden cell");
}

// What an earlier release published about a cell: absent means a value it
// did not have, a published zero.
CellValue Before(const ReleaseCells& old, const CellKey& key) {
  auto it = old.find(key);
  return it == old.end() ? CellValue{} : it->second;
}

// The difference auditor: D = new - old over the cells published in both is
// itself a protected table: every known difference is 0 or at least k in
// magnitude; in every relation with an unknown entry at least two parts are
// unknown, and a known total reveals 0 or at least k for them; jointly, no
// unknown difference is determined.
void ExpectDifferenceSafe(const ReleaseCells& now, const ReleaseCells& old,
                          int64_t k) {
  for (const auto& [key, value] : old) {
    EXPECT_TRUE(now.count(key)) << "a release lost a cell of an earlier one";
  }
  auto unknown = [&](const CellKey& key) {
    return now.at(key).hidden || Before(old, key).hidden;
  };
  auto diff = [&](const CellKey& key) {
    return now.at(key).count - Before(old, key).count;
  };
  for (const auto& [key, value] : now) {
    if (unknown(key)) continue;
    const int64_t d = diff(key);
    EXPECT_TRUE(d == 0 || std::llabs(d) >= k)
        << absl::StrJoin(key, ",") << " moved by " << d;
  }
  for (const Rel& r : Relations(now)) {
    int unknown_parts = 0;
    int64_t unknown_sum = 0;
    bool moved_unseen = unknown(r.total) && diff(r.total) != 0;
    for (const CellKey& p : r.parts) {
      if (unknown(p)) {
        ++unknown_parts;
        unknown_sum += diff(p);
        moved_unseen = moved_unseen || diff(p) != 0;
      }
    }
    // Where nothing moved unseen there is no change to single out.
    if (!moved_unseen) continue;
    // (A dimension with one value has one part: its total, no choice.)
    EXPECT_GE(unknown_parts, std::min<int>(2, r.parts.size()))
        << "a lone unknown difference under " << absl::StrJoin(r.total, ",");
    if (!unknown(r.total)) {
      EXPECT_TRUE(unknown_sum == 0 || std::llabs(unknown_sum) >= k)
          << "a small difference revealed under "
          << absl::StrJoin(r.total, ",");
    }
  }
  ExpectPairsUndetermined(now, unknown, "difference");
}

TEST(SuppressionTest, ACellOfThreeIsHiddenAndCannotBeDerived) {
  auto cells = Table(
      ProtectRelease(Tuples({{{"F"}, 40}, {{"M"}, 3}, {{"X"}, 25}}), {}, 11),
      1);
  EXPECT_EQ(Find(cells, {"M"})->status(), v1::CELL_STATUS_SUPPRESSED);
  EXPECT_FALSE(Find(cells, {"M"})->has_count());
  // Total 68 is published: so a second cell is hidden, and together they
  // reveal 28, not 3.
  EXPECT_EQ(Find(cells, {"X"})->status(), v1::CELL_STATUS_SUPPRESSED);
  EXPECT_EQ(Find(cells, {"_T"})->count(), 68);
  ExpectSafe(cells, 1, 11);
}

TEST(SuppressionTest, KChangesTheResult) {
  auto cells = Table(
      ProtectRelease(Tuples({{{"F"}, 40}, {{"M"}, 3}, {{"X"}, 25}}), {}, 3), 1);
  EXPECT_EQ(Find(cells, {"M"})->count(), 3);
  EXPECT_EQ(Find(cells, {"X"})->count(), 25);
  ExpectSafe(cells, 1, 3);
}

// Exactly the minimal pattern: one more hidden cell than the rule needs
// fails these.
TEST(SuppressionTest, OneWayHidesTheSmallCellAndTheSmallestOtherOnly) {
  const ReleaseCells release = ProtectRelease(
      Tuples({{{"F"}, 40}, {{"M"}, 3}, {{"X"}, 25}, {{"Y"}, 50}}), {}, 11);
  std::set<std::string> hidden;
  for (const auto& c : Table(release, 1)) {
    if (!c.has_count()) hidden.insert(c.keys(0));
  }
  EXPECT_EQ(hidden, (std::set<std::string>{"M", "X"}));
  // Elsewhere only M's and X's copies in the tables with the constant
  // dimensions: one hidden cell per table that holds M or X, no more.
  int total_hidden = 0;
  for (const auto& [key, value] : release) total_hidden += value.hidden;
  EXPECT_EQ(total_hidden, 2 * 5);  // {M}, and {M, x} in 4 two-way tables
}

TEST(SuppressionTest, TwoWayHidesOneRectangleAndNoMargin) {
  // (A, P) = 2 needs a partner in its row (A, Q: the smaller), one in its
  // column (B, P), and the corner (B, Q) that closes the rectangle.
  const ReleaseCells release = ProtectRelease(Tuples({{{"A", "P"}, 2},
                                                      {{"A", "Q"}, 20},
                                                      {{"A", "R"}, 40},
                                                      {{"B", "P"}, 25},
                                                      {{"B", "Q"}, 30},
                                                      {{"B", "R"}, 50},
                                                      {{"C", "P"}, 45},
                                                      {{"C", "Q"}, 60},
                                                      {{"C", "R"}, 70}}),
                                              {}, 11);
  std::set<std::vector<std::string>> hidden;
  for (const auto& [key, value] : release) {
    if (value.hidden) hidden.insert({key[0], key[1]});
  }
  EXPECT_EQ(hidden, (std::set<std::vector<std::string>>{
                        {"A", "P"}, {"A", "Q"}, {"B", "P"}, {"B", "Q"}}));
  ExpectSafe(Table(release, 2), 2, 11);
}

TEST(SuppressionTest, ZerosAndLargeCellsHideNothing) {
  const ReleaseCells release = ProtectRelease(
      Tuples({{{"A", "P"}, 20}, {{"B", "Q"}, 30}, {{"C", "Q"}, 11}}), {}, 11);
  for (const auto& [key, value] : release) {
    EXPECT_FALSE(value.hidden) << absl::StrJoin(key, ",");
  }
}

TEST(SuppressionTest, AnUnchangedOrLargeChangeHidesNothingMore) {
  const CaseTuples cases = Tuples({{{"F"}, 40}, {{"M"}, 3}, {{"X"}, 25}});
  const ReleaseCells first = ProtectRelease(cases, {}, 11);
  EXPECT_EQ(ProtectRelease(cases, {&first}, 11), first);
  // 12 more F: every cell that moved moved by at least k.
  const ReleaseCells second = ProtectRelease(
      Tuples({{{"F"}, 52}, {{"M"}, 3}, {{"X"}, 25}}), {&first}, 11);
  for (const auto& [key, value] : second) {
    EXPECT_EQ(value.hidden, first.at(key).hidden) << absl::StrJoin(key, ",");
  }
}

TEST(SuppressionTest, OneNewCaseHidesItsCellsAndOneDecoyOnly) {
  const ReleaseCells first =
      ProtectRelease(Tuples({{{"A"}, 20}, {{"B"}, 30}, {{"C"}, 40}}), {}, 11);
  for (const auto& [key, value] : first) EXPECT_FALSE(value.hidden);
  const ReleaseCells second = ProtectRelease(
      Tuples({{{"A"}, 21}, {{"B"}, 30}, {{"C"}, 40}}), {&first}, 11);
  // A and the total moved by 1; B (the smaller other) is the decoy that
  // keeps "the new case is an A" from elimination.
  std::set<std::string> hidden;
  for (const auto& c : Table(second, 1)) {
    if (!c.has_count()) hidden.insert(c.keys(0));
  }
  EXPECT_EQ(hidden, (std::set<std::string>{"A", "B", kTotalKey}));
  std::set<std::vector<std::string>> hidden_two;
  for (const auto& c : Table(second, 2)) {
    if (!c.has_count()) hidden_two.insert({c.keys(0), c.keys(1)});
  }
  EXPECT_EQ(hidden_two,
            (std::set<std::vector<std::string>>{{"A", "x"},
                                                {"A", kTotalKey},
                                                {"B", "x"},
                                                {"B", kTotalKey},
                                                {kTotalKey, "x"},
                                                {kTotalKey, kTotalKey}}));
  ExpectDifferenceSafe(second, first, 11);
}

TEST(SuppressionTest, TwoDimensionsSuppressAcrossRowsAndColumns) {
  auto cells = Table(ProtectRelease(Tuples({{{"ROU", "F"}, 30},
                                            {{"ROU", "M"}, 2},
                                            {{"LVA", "F"}, 15},
                                            {{"LVA", "M"}, 14}}),
                                    {}, 11),
                     2);
  EXPECT_EQ(Find(cells, {"ROU", "M"})->status(), v1::CELL_STATUS_SUPPRESSED);
  // The minimal pattern: the four interior cells; every margin published.
  for (const auto& c : cells) {
    const bool interior = c.keys(0) != kTotalKey && c.keys(1) != kTotalKey;
    EXPECT_EQ(c.has_count(), !interior) << c.keys(0) << "," << c.keys(1);
  }
  ExpectSafe(cells, 2, 11);
}

TEST(SuppressionTest, LinkedRectanglesDoNotLeakTheCellJoiningThem) {
  // A review's counter-example to a row-by-row rule: two hidden rectangles
  // joined by one cell, which the margins then pin down.
  std::map<std::vector<std::string>, int64_t> counts;
  const char* rows[] = {"BGR", "HUN", "LVA", "ROU"};
  const char* cols[] = {"F", "M", "T", "U"};
  const int64_t v[4][4] = {
      {27, 3, 19, 18}, {18, 17, 28, 6}, {5, 23, 7, 2}, {17, 23, 5, 29}};
  for (int r = 0; r < 4; ++r) {
    for (int c = 0; c < 4; ++c) counts[{rows[r], cols[c]}] = v[r][c];
  }
  const ReleaseCells release = ProtectRelease(Tuples(counts), {}, 11);
  ExpectSafe(Table(release, 2), 2, 11);
  ExpectJointlySafe(release);
}

TEST(SuppressionTest, PublishedZerosDoNotLeakAHiddenCell) {
  const ReleaseCells release = ProtectRelease(Tuples({{{"BGR", "F"}, 21},
                                                      {{"BGR", "M"}, 7},
                                                      {{"LVA", "U"}, 9},
                                                      {{"ROU", "M"}, 3},
                                                      {{"ROU", "U"}, 17}}),
                                              {}, 11);
  ExpectEveryTableSafe(release, 11);
  ExpectJointlySafe(release);
}

// Random cases over small domains of all five dimensions.
CaseTuples RandomCases(std::mt19937& random) {
  std::array<int, kCaseDimensions> sizes;
  for (int& s : sizes) s = 1 + random() % 4;
  CaseTuples cases;
  const int n = 5 + random() % 150;
  for (int i = 0; i < n; ++i) {
    CellKey tuple;
    for (int d = 0; d < kCaseDimensions; ++d) {
      // Skewed, so that small cells are common.
      const int v = std::min<int>(random() % sizes[d], random() % sizes[d]);
      tuple[d] = absl::StrCat("v", d, "_", v);
    }
    ++cases[tuple];
  }
  return cases;
}

TEST(SuppressionTest, EveryTableIsSafeAloneAndAllAreSafeTogether) {
  std::mt19937 random(20071112);
  for (int trial = 0; trial < 100; ++trial) {
    const int64_t k = 2 + trial % 12;
    // Every other trial, each dimension has a value no case has.
    Domains domains;
    for (int d = 0; d < kCaseDimensions && trial % 2 == 1; ++d) {
      domains[d] = {absl::StrCat("v", d, "_zero")};
    }
    const ReleaseCells release =
        ProtectRelease(RandomCases(random), {}, k, domains);
    ExpectEveryTableSafe(release, k);
    ExpectJointlySafe(release);
    if (HasFailure()) FAIL() << "trial " << trial;
  }
}

TEST(SuppressionTest, TablesAgreeWhateverTheOrderAsked) {
  std::mt19937 random(20080124);
  for (int trial = 0; trial < 40; ++trial) {
    const ReleaseCells release =
        ProtectRelease(RandomCases(random), {}, 3 + trial % 9);
    for (int a = 0; a < kCaseDimensions; ++a) {
      const auto one = TableOf(release, {a});
      for (int b = 0; b < kCaseDimensions; ++b) {
        if (a == b) continue;
        const auto ab = TableOf(release, {a, b});
        const auto ba = TableOf(release, {b, a});
        ASSERT_EQ(ab.size(), ba.size());
        for (const auto& cell : ab) {
          const v1::CaseCell* mirror = Find(ba, {cell.keys(1), cell.keys(0)});
          ASSERT_NE(mirror, nullptr);
          EXPECT_EQ(mirror->SerializeAsString(), [&] {
            v1::CaseCell c = cell;
            std::swap(*c.mutable_keys(0), *c.mutable_keys(1));
            return c.SerializeAsString();
          }());
        }
        // Its margins are the one-way table.
        for (const auto& cell : one) {
          const v1::CaseCell* margin = Find(ab, {cell.keys(0), kTotalKey});
          ASSERT_NE(margin, nullptr);
          EXPECT_EQ(margin->has_count(), cell.has_count());
          EXPECT_EQ(margin->count(), cell.count());
          EXPECT_EQ(margin->status(), cell.status());
        }
        // Each value's table of b is its row of [a, b].
        for (const auto& cell : one) {
          if (cell.keys(0) == kTotalKey) continue;
          for (const auto& row_cell : TableOf(release, {b}, a, cell.keys(0))) {
            const v1::CaseCell* in_ab =
                Find(ab, {cell.keys(0), row_cell.keys(0)});
            ASSERT_NE(in_ab, nullptr);
            EXPECT_EQ(in_ab->count(), row_cell.count());
            EXPECT_EQ(in_ab->status(), row_cell.status());
          }
        }
      }
    }
  }
}

// Random changes: new cases, and a few deleted.
CaseTuples Changed(CaseTuples cases, std::mt19937& random, int added) {
  std::vector<CellKey> keys;
  for (const auto& [key, n] : cases) keys.push_back(key);
  for (int i = 0; i < added; ++i) {
    CellKey key = keys[random() % keys.size()];
    const int d = random() % kCaseDimensions;
    key[d] = keys[random() % keys.size()][d];
    ++cases[key];
  }
  if (random() % 3 == 0) {
    auto it = cases.begin();
    std::advance(it, random() % cases.size());
    if (--it->second == 0) cases.erase(it);
  }
  return cases;
}

TEST(SuppressionTest, DifferencesBetweenAnyTwoReleasesAreProtected) {
  std::mt19937 random(19990601);
  for (int trial = 0; trial < 60; ++trial) {
    const int64_t k = 3 + trial % 9;
    std::vector<ReleaseCells> releases;
    releases.reserve(4);  // the pointers to earlier ones stay valid
    CaseTuples cases = RandomCases(random);
    for (int cut = 0; cut < 4; ++cut) {
      std::vector<const ReleaseCells*> earlier;
      for (const auto& r : releases) earlier.push_back(&r);
      releases.push_back(ProtectRelease(cases, earlier, k));
      ExpectEveryTableSafe(releases.back(), k);
      for (const auto& r : earlier) {
        ExpectDifferenceSafe(releases.back(), *r, k);
      }
      cases = Changed(cases, random, cut == 0 ? 1 : random() % 8);
    }
    if (HasFailure()) FAIL() << "trial " << trial;
  }
}

// The differencing attack of a hostile probe: one new case between two
// releases. The tuples the attacker cannot rule out (those on which no cell
// published in both releases stayed put) must leave at least two values of
// every attribute open.
TEST(SuppressionTest, OneNewCaseIsNotSingledOutByItsAttributes) {
  std::mt19937 random(20090301);
  for (int trial = 0; trial < 100; ++trial) {
    const int64_t k = 3 + trial % 9;
    CaseTuples cases = RandomCases(random);
    // Every other trial, the victim has a value no case had before, one of
    // the values every release lists.
    Domains domains;
    if (trial % 2 == 1) {
      for (int d = 0; d < kCaseDimensions; ++d) {
        domains[d] = {absl::StrCat("v", d, "_new")};
      }
    }
    const ReleaseCells before = ProtectRelease(cases, {}, k, domains);
    CellKey victim = cases.begin()->first;
    for (int d = 0; d < kCaseDimensions; ++d) {
      auto it = cases.begin();
      std::advance(it, random() % cases.size());
      victim[d] = it->first[d];
    }
    if (trial % 2 == 1) {
      const int d = random() % kCaseDimensions;
      victim[d] = domains[d][0];
    }
    ++cases[victim];
    const ReleaseCells after = ProtectRelease(cases, {&before}, k, domains);
    ExpectDifferenceSafe(after, before, k);
    // A cell published in both releases with the same count rules out every
    // tuple it covers.
    auto stayed = [&](const CellKey& key) {
      auto it = after.find(key);
      return it != after.end() && !it->second.hidden &&
             !Before(before, key).hidden &&
             it->second.count == Before(before, key).count;
    };
    CellKey grand;
    grand.fill(kTotalKey);
    std::array<std::vector<std::string>, kCaseDimensions> values;
    std::array<int, kCaseDimensions> domain_size{};
    for (const auto& [key, value] : after) {
      for (int d = 0; d < kCaseDimensions; ++d) {
        CellKey one = grand;
        one[d] = key[d];
        if (key != one || key[d] == kTotalKey) continue;
        ++domain_size[d];
        if (!stayed(key)) values[d].push_back(key[d]);
      }
    }
    std::array<std::set<std::string>, kCaseDimensions> open;
    CellKey t;
    std::function<void(int)> visit = [&](int d) {
      if (d == kCaseDimensions) {
        for (int a = 0; a < kCaseDimensions; ++a) {
          for (int b = a + 1; b < kCaseDimensions; ++b) {
            CellKey two = grand;
            two[a] = t[a];
            two[b] = t[b];
            if (stayed(two)) return;  // ruled out
          }
        }
        for (int e = 0; e < kCaseDimensions; ++e) open[e].insert(t[e]);
        return;
      }
      for (const auto& v : values[d]) {
        t[d] = v;
        visit(d + 1);
      }
    };
    if (!stayed(grand)) visit(0);
    for (int d = 0; d < kCaseDimensions; ++d) {
      EXPECT_TRUE(open[d].count(victim[d])) << "the truth is ruled out";
      if (domain_size[d] >= 2) {
        EXPECT_GE(open[d].size(), 2u)
            << "trial " << trial << ": dimension " << d << " is " << victim[d];
      }
    }
  }
}

TEST(SuppressionTest, ReleasesSurviveStorage) {
  std::mt19937 random(1);
  const ReleaseCells release = ProtectRelease(RandomCases(random), {}, 5);
  auto decoded = DecodeRelease(EncodeRelease(release));
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(*decoded, release);
  EXPECT_FALSE(DecodeRelease("a\tb\n").ok());
}

}  // namespace
}  // namespace palermo::assistance
