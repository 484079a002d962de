#include "services/assistance/suppression.h"

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <optional>
#include <set>
#include <tuple>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace palermo::assistance {
namespace {

constexpr int kTotal = -1;
using Key = std::array<int, kCaseDimensions>;  // value index or kTotal

// A relation: `parts` (the values of `dimension`, in order) add up to
// `total` (indices into the cells).
struct Relation {
  std::vector<size_t> parts;
  size_t total;
  int dimension;
};

// A two-way table: rows are the values of `a` then the total, columns those
// of `b` then the total.
struct Table {
  int a, b;
  std::vector<std::vector<size_t>> grid;
};

// What an earlier release published, aligned with the new cells.
struct Earlier {
  std::vector<int64_t> count;
  std::vector<char> hidden;
};

struct Problem {
  std::array<std::vector<std::string>, kCaseDimensions> values;
  std::vector<Key> keys;
  std::map<Key, size_t> index;
  std::vector<int64_t> count;
  std::vector<char> hidden;  // in the new release
  std::array<std::vector<size_t>, kCaseDimensions> one_way;  // {d: v}
  std::vector<Relation> relations;
  std::vector<Table> tables;
  std::vector<Earlier> earlier;

  size_t Add(const Key& key) {
    auto [it, added] = index.emplace(key, keys.size());
    if (added) keys.push_back(key);
    return it->second;
  }
};

Key Totals() {
  Key key;
  key.fill(kTotal);
  return key;
}

// Every canonical cell, relation and two-way table over `values`.
void Build(Problem& p) {
  const size_t grand = p.Add(Totals());
  for (int d = 0; d < kCaseDimensions; ++d) {
    Relation r{{}, grand, d};
    for (int v = 0; v < static_cast<int>(p.values[d].size()); ++v) {
      Key key = Totals();
      key[d] = v;
      r.parts.push_back(p.Add(key));
    }
    p.one_way[d] = r.parts;
    p.relations.push_back(std::move(r));
  }
  for (int a = 0; a < kCaseDimensions; ++a) {
    for (int b = a + 1; b < kCaseDimensions; ++b) {
      const int rows = p.values[a].size(), cols = p.values[b].size();
      Table t{a, b, {}};
      t.grid.assign(rows + 1, std::vector<size_t>(cols + 1));
      for (int r = 0; r <= rows; ++r) {
        for (int c = 0; c <= cols; ++c) {
          Key key = Totals();
          key[a] = r == rows ? kTotal : r;
          key[b] = c == cols ? kTotal : c;
          t.grid[r][c] = p.Add(key);
        }
      }
      // Rows and columns; the total row and column are one-way relations.
      for (int r = 0; r < rows; ++r) {
        Relation along_b{{}, t.grid[r][cols], b};
        for (int c = 0; c < cols; ++c) along_b.parts.push_back(t.grid[r][c]);
        p.relations.push_back(std::move(along_b));
      }
      for (int c = 0; c < cols; ++c) {
        Relation along_a{{}, t.grid[rows][c], a};
        for (int r = 0; r < rows; ++r) along_a.parts.push_back(t.grid[r][c]);
        p.relations.push_back(std::move(along_a));
      }
      p.tables.push_back(std::move(t));
    }
  }
  p.count.assign(p.keys.size(), 0);
  p.hidden.assign(p.keys.size(), 0);
}

// Snapshot rule for one relation of the new release: no hidden entry
// alone, and the hidden parts' sum, which subtraction reveals when the total
// is published, not below k. Returns whether it hid a cell.
bool SecureSnapshot(const Relation& r, int64_t k, Problem& p) {
  int hidden = 0;
  int64_t hidden_parts_sum = 0;
  for (size_t i : r.parts) {
    if (p.hidden[i]) {
      ++hidden;
      hidden_parts_sum += p.count[i];
    }
  }
  if (p.hidden[r.total]) ++hidden;
  if (hidden == 0) return false;
  // A revealed 0 says the hidden parts are zeros, which identify no one.
  const bool revealed_small =
      !p.hidden[r.total] && hidden_parts_sum > 0 && hidden_parts_sum < k;
  if (hidden >= 2 && !revealed_small) return false;
  // Hide one more: the smallest published part with a count, else any
  // published part, else the total.
  std::optional<size_t> pick;
  for (size_t i : r.parts) {
    if (p.hidden[i]) continue;
    if (!pick || (p.count[i] > 0 &&
                  (p.count[*pick] == 0 || p.count[i] < p.count[*pick]))) {
      pick = i;
    }
  }
  if (!pick && !p.hidden[r.total]) pick = r.total;
  if (!pick) return false;
  p.hidden[*pick] = 1;
  return true;
}

bool Unknown(const Problem& p, const Earlier& e, size_t i) {
  return p.hidden[i] || e.hidden[i];
}

// Difference rule for one relation of D = new - earlier. Returns whether it
// hid a cell of the new release.
bool SecureDifference(const Relation& r, int64_t k, const Earlier& e,
                      Problem& p) {
  int unknown_parts = 0;
  int64_t unknown_sum = 0;
  bool moved_unseen = false;  // an unknown difference that is not 0
  for (size_t i : r.parts) {
    if (Unknown(p, e, i)) {
      ++unknown_parts;
      unknown_sum += p.count[i] - e.count[i];
      moved_unseen = moved_unseen || p.count[i] != e.count[i];
    }
  }
  const bool total_unknown = Unknown(p, e, r.total);
  moved_unseen =
      moved_unseen || (total_unknown && p.count[r.total] != e.count[r.total]);
  // Where nothing moved there is no change to single out.
  if (!moved_unseen) return false;
  const bool revealed_small =
      !total_unknown && unknown_sum != 0 && std::llabs(unknown_sum) < k;
  if (unknown_parts >= 2 && !revealed_small) return false;
  if (unknown_parts >= 2) {
    // Only the total can hide what the unknown parts add up to.
    p.hidden[r.total] = 1;
    return true;
  }
  // Hide a known part, preferring values whose one-way cell is unknown too
  // and then values with the smallest one-way count, the same choice in
  // every table, so that a lone unknown value gets the same decoy
  // everywhere; then the smallest cell.
  std::optional<size_t> pick;
  std::tuple<bool, int64_t, int64_t> best;
  for (size_t v = 0; v < r.parts.size(); ++v) {
    const size_t i = r.parts[v];
    if (Unknown(p, e, i)) continue;
    const size_t margin = p.one_way[r.dimension][v];
    const std::tuple<bool, int64_t, int64_t> rank = {
        !Unknown(p, e, margin), p.count[margin], p.count[i]};
    if (!pick || rank < best) {
      pick = i;
      best = rank;
    }
  }
  // No known part left (a dimension with one value): the total, if known.
  if (!pick && !total_unknown) pick = r.total;
  if (!pick) return false;
  p.hidden[*pick] = 1;
  return true;
}

// The decoy of value `v` of dimension `d` in a difference: the other value
// with an unknown one-way cell and the smallest one-way count, the same in
// every table; none if v's own one-way cell is known.
std::optional<size_t> Decoy(const Problem& p, const Earlier& e, int d,
                            size_t v) {
  const std::vector<size_t>& one_way = p.one_way[d];
  if (!Unknown(p, e, one_way[v])) return std::nullopt;
  std::optional<size_t> best;
  for (size_t u = 0; u < one_way.size(); ++u) {
    if (u == v || !Unknown(p, e, one_way[u])) continue;
    if (!best || p.count[one_way[u]] < p.count[one_way[*best]]) best = u;
  }
  return best;
}

// Against elimination across tables: for each cell that moved unseen (its
// difference unknown and not 0), the cells of its row and column decoys
// are unknown too, so that every combination of a moved tuple's values and
// their decoys stays possible in every table at once. Returns whether it
// hid a cell.
bool KeepDecoys(const Table& t, const Earlier& e, Problem& p) {
  const size_t rows = t.grid.size() - 1, cols = t.grid[0].size() - 1;
  std::vector<std::optional<size_t>> row_decoy(rows), col_decoy(cols);
  for (size_t r = 0; r < rows; ++r) row_decoy[r] = Decoy(p, e, t.a, r);
  for (size_t c = 0; c < cols; ++c) col_decoy[c] = Decoy(p, e, t.b, c);
  bool hid = false;
  for (size_t r = 0; r < rows; ++r) {
    for (size_t c = 0; c < cols; ++c) {
      const size_t i = t.grid[r][c];
      if (!Unknown(p, e, i) || p.count[i] == e.count[i]) continue;
      std::vector<size_t> rs = {r}, cs = {c};
      if (row_decoy[r]) rs.push_back(*row_decoy[r]);
      if (col_decoy[c]) cs.push_back(*col_decoy[c]);
      for (size_t rr : rs) {
        for (size_t cc : cs) {
          const size_t j = t.grid[rr][cc];
          if (!Unknown(p, e, j)) {
            p.hidden[j] = 1;
            hid = true;
          }
        }
      }
    }
  }
  return hid;
}

// In a two-way table with its margins, the unknown cells are the edges of a
// bipartite graph (row values and column values, totals included). The
// known cells fix the unknown ones up to the graph's cycles: an unknown cell
// on no cycle (a bridge) can be solved for exactly, however many unknown
// neighbours each of its rows and columns has. Finds a bridge and hides, in
// the new release, the cheapest rectangle that puts it on a cycle. Returns
// whether it hid a cell.
bool BreakABridge(const Table& t, const std::function<bool(size_t)>& unknown,
                  Problem& p) {
  const size_t rows = t.grid.size(), cols = t.grid[0].size();
  // Nodes: rows 0..rows-1, columns rows..rows+cols-1.
  std::vector<std::vector<std::pair<size_t, size_t>>> adjacent(rows + cols);
  std::vector<std::pair<size_t, size_t>> edges;
  for (size_t r = 0; r < rows; ++r) {
    for (size_t c = 0; c < cols; ++c) {
      if (!unknown(t.grid[r][c])) continue;
      adjacent[r].push_back({rows + c, edges.size()});
      adjacent[rows + c].push_back({r, edges.size()});
      edges.push_back({r, c});
    }
  }
  if (edges.empty()) return false;
  // Tarjan's bridges, by depth-first search.
  std::vector<int> order(rows + cols, -1), low(rows + cols, 0);
  int counter = 0;
  std::optional<size_t> bridge;
  std::function<void(size_t, size_t)> visit = [&](size_t node, size_t via) {
    order[node] = low[node] = counter++;
    for (auto [next, edge] : adjacent[node]) {
      if (edge == via) continue;
      if (order[next] < 0) {
        visit(next, edge);
        low[node] = std::min(low[node], low[next]);
        if (low[next] > order[node] && !bridge) bridge = edge;
      } else {
        low[node] = std::min(low[node], order[next]);
      }
    }
  };
  for (size_t node = 0; node < rows + cols && !bridge; ++node) {
    if (order[node] < 0) visit(node, edges.size());
  }
  if (!bridge) return false;
  const auto [r, c] = edges[*bridge];
  // The rectangle (r, c), (r, c2), (r2, c), (r2, c2) hiding the least.
  int64_t best_cost = -1;
  size_t best_r = 0, best_c = 0;
  for (size_t r2 = 0; r2 < rows; ++r2) {
    if (r2 == r) continue;
    for (size_t c2 = 0; c2 < cols; ++c2) {
      if (c2 == c) continue;
      int64_t cost = 0;
      for (size_t i : {t.grid[r][c2], t.grid[r2][c], t.grid[r2][c2]}) {
        if (!unknown(i)) cost += p.count[i] + 1;  // a zero is not free
      }
      if (cost > 0 && (best_cost < 0 || cost < best_cost)) {
        best_cost = cost;
        best_r = r2;
        best_c = c2;
      }
    }
  }
  if (best_cost < 0) return false;
  for (size_t i :
       {t.grid[r][best_c], t.grid[best_r][c], t.grid[best_r][best_c]}) {
    if (!unknown(i)) p.hidden[i] = 1;
  }
  return true;
}

}  // namespace

ReleaseCells ProtectRelease(const CaseTuples& cases,
                            const std::vector<const ReleaseCells*>& earlier,
                            int64_t k, const Domains& domains) {
  // The values: the domains', and those of the cases and of every earlier
  // release, so that a release's cells include every earlier release's.
  std::array<std::set<std::string>, kCaseDimensions> seen;
  for (int d = 0; d < kCaseDimensions; ++d) {
    seen[d].insert(domains[d].begin(), domains[d].end());
  }
  for (const auto& [key, n] : cases) {
    for (int d = 0; d < kCaseDimensions; ++d) seen[d].insert(key[d]);
  }
  for (const ReleaseCells* release : earlier) {
    for (const auto& [key, value] : *release) {
      for (int d = 0; d < kCaseDimensions; ++d) {
        if (key[d] != kTotalKey) seen[d].insert(key[d]);
      }
    }
  }
  Problem p;
  std::array<std::map<std::string, int>, kCaseDimensions> value_index;
  for (int d = 0; d < kCaseDimensions; ++d) {
    p.values[d].assign(seen[d].begin(), seen[d].end());
    for (size_t v = 0; v < p.values[d].size(); ++v) {
      value_index[d][p.values[d][v]] = v;
    }
  }
  Build(p);
  auto to_key = [&](const CellKey& key) {
    Key out;
    for (int d = 0; d < kCaseDimensions; ++d) {
      out[d] = key[d] == kTotalKey ? kTotal : value_index[d].at(key[d]);
    }
    return out;
  };
  // Counts: each case adds to the grand total, its five one-way cells and
  // its ten two-way cells.
  for (const auto& [tuple, n] : cases) {
    const Key full = to_key(tuple);
    p.count[p.index.at(Totals())] += n;
    for (int a = 0; a < kCaseDimensions; ++a) {
      Key one = Totals();
      one[a] = full[a];
      p.count[p.index.at(one)] += n;
      for (int b = a + 1; b < kCaseDimensions; ++b) {
        Key two = one;
        two[b] = full[b];
        p.count[p.index.at(two)] += n;
      }
    }
  }
  for (const ReleaseCells* release : earlier) {
    Earlier& e = p.earlier.emplace_back();
    e.count.assign(p.keys.size(), 0);
    e.hidden.assign(p.keys.size(), 0);
    for (const auto& [key, value] : *release) {
      auto it = p.index.find(to_key(key));
      if (it == p.index.end()) continue;  // not a canonical cell
      e.count[it->second] = value.count;
      e.hidden[it->second] = value.hidden;
    }
  }

  // Primary suppression, in the release and in every difference.
  for (size_t i = 0; i < p.keys.size(); ++i) {
    if (p.count[i] > 0 && p.count[i] < k) p.hidden[i] = 1;
    for (const Earlier& e : p.earlier) {
      const int64_t d = p.count[i] - e.count[i];
      if (!e.hidden[i] && d != 0 && std::llabs(d) < k) p.hidden[i] = 1;
    }
  }
  // Complementary suppression until every rule holds.
  for (bool changed = true; changed;) {
    changed = false;
    for (const Relation& r : p.relations) {
      if (SecureSnapshot(r, k, p)) changed = true;
      for (const Earlier& e : p.earlier) {
        if (SecureDifference(r, k, e, p)) changed = true;
      }
    }
    for (const Table& t : p.tables) {
      for (const Earlier& e : p.earlier) {
        if (KeepDecoys(t, e, p)) changed = true;
      }
    }
    if (changed) continue;
    for (const Table& t : p.tables) {
      if (BreakABridge(
              t, [&](size_t i) { return p.hidden[i] != 0; }, p)) {
        changed = true;
      }
      for (const Earlier& e : p.earlier) {
        if (BreakABridge(
                t, [&](size_t i) { return Unknown(p, e, i); }, p)) {
          changed = true;
        }
      }
    }
  }

  ReleaseCells out;
  for (size_t i = 0; i < p.keys.size(); ++i) {
    CellKey key;
    for (int d = 0; d < kCaseDimensions; ++d) {
      key[d] = p.keys[i][d] == kTotal ? kTotalKey : p.values[d][p.keys[i][d]];
    }
    out.emplace_hint(out.end(), std::move(key),
                     CellValue{p.count[i], p.hidden[i] != 0});
  }
  return out;
}

std::vector<v1::CaseCell> TableOf(const ReleaseCells& cells,
                                  const std::vector<int>& dimensions,
                                  int fixed_dimension,
                                  const std::string& fixed_value) {
  // The values of each dimension asked for: those of its one-way cells.
  std::vector<std::vector<std::string>> values(dimensions.size());
  for (size_t n = 0; n < dimensions.size(); ++n) {
    const int d = dimensions[n];
    for (const auto& [key, value] : cells) {
      int totalled = 0;
      for (const std::string& v : key) totalled += v == kTotalKey;
      if (totalled == kCaseDimensions - 1 && key[d] != kTotalKey) {
        values[n].push_back(key[d]);
      }
    }
    std::sort(values[n].begin(), values[n].end());
    values[n].push_back(kTotalKey);
  }
  std::vector<v1::CaseCell> out;
  std::function<void(size_t, CellKey&)> emit = [&](size_t n, CellKey& key) {
    if (n == dimensions.size()) {
      v1::CaseCell& cell = out.emplace_back();
      for (int d : dimensions) cell.add_keys(key[d]);
      auto it = cells.find(key);
      // A combination absent from the release (an entity without cases)
      // has no case: a published zero.
      const CellValue value = it == cells.end() ? CellValue{} : it->second;
      if (value.hidden) {
        cell.set_status(v1::CELL_STATUS_SUPPRESSED);
      } else {
        cell.set_status(v1::CELL_STATUS_PUBLISHED);
        cell.set_count(value.count);
      }
      return;
    }
    for (const std::string& v : values[n]) {
      key[dimensions[n]] = v;
      emit(n + 1, key);
    }
    key[dimensions[n]] = kTotalKey;
  };
  CellKey key;
  key.fill(kTotalKey);
  if (fixed_dimension >= 0) key[fixed_dimension] = fixed_value;
  emit(0, key);
  return out;
}

std::string EncodeRelease(const ReleaseCells& cells) {
  std::string out;
  for (const auto& [key, value] : cells) {
    for (const std::string& v : key) absl::StrAppend(&out, v, "\t");
    absl::StrAppend(&out, value.count, "\t", value.hidden ? 1 : 0, "\n");
  }
  return out;
}

absl::StatusOr<ReleaseCells> DecodeRelease(absl::string_view text) {
  ReleaseCells cells;
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
    std::vector<absl::string_view> fields = absl::StrSplit(line, '\t');
    CellValue value;
    int hidden = 0;
    if (fields.size() != kCaseDimensions + 2 ||
        !absl::SimpleAtoi(fields[kCaseDimensions], &value.count) ||
        !absl::SimpleAtoi(fields[kCaseDimensions + 1], &hidden)) {
      return absl::DataLossError(
          absl::StrCat("a stored case release has a bad line: ", line));
    }
    value.hidden = hidden != 0;
    CellKey key;
    for (int d = 0; d < kCaseDimensions; ++d) key[d] = std::string(fields[d]);
    cells.emplace_hint(cells.end(), std::move(key), value);
  }
  return cells;
}

}  // namespace palermo::assistance
