#include "services/assistance/suppression.h"

#include <algorithm>
#include <functional>
#include <optional>
#include <set>

namespace palermo::assistance {
namespace {

struct Cell {
  std::vector<std::string> keys;
  int64_t count = 0;
  v1::CellStatus status = v1::CELL_STATUS_PUBLISHED;
  bool fixed = false;  // a margin whose status another table decided
  bool hidden() const { return status != v1::CELL_STATUS_PUBLISHED; }
};

// A relation: `parts` add up to `total` (indices into the cell table).
struct Relation {
  std::vector<size_t> parts;
  size_t total;
};

// Makes one relation safe: no hidden entry alone, and the hidden parts' sum,
// which subtraction reveals when the total is published, not below k.
// Returns whether it hid a cell.
bool SecureRelation(const Relation& r, int64_t k, std::vector<Cell>& cells) {
  int hidden = 0;
  int64_t hidden_parts_sum = 0;
  for (size_t i : r.parts) {
    if (cells[i].hidden()) {
      ++hidden;
      hidden_parts_sum += cells[i].count;
    }
  }
  if (cells[r.total].hidden()) ++hidden;
  if (hidden == 0) return false;
  const bool revealed_small = !cells[r.total].hidden() && hidden_parts_sum < k;
  if (hidden >= 2 && !revealed_small) return false;
  // Hide one more: the smallest published part with a count, else any
  // published part, else the total.
  size_t pick = cells.size();
  for (size_t i : r.parts) {
    if (cells[i].hidden() || cells[i].fixed) continue;
    if (pick == cells.size() ||
        (cells[i].count > 0 &&
         (cells[pick].count == 0 || cells[i].count < cells[pick].count))) {
      pick = i;
    }
  }
  if (pick == cells.size() && !cells[r.total].hidden() &&
      !cells[r.total].fixed) {
    pick = r.total;
  }
  if (pick == cells.size()) return false;  // nothing left it may hide
  cells[pick].status = v1::CELL_STATUS_SUPPRESSED;
  return true;
}

// In a two-way table with its margins, the hidden cells are the edges of a
// bipartite graph (row values and column values, totals included). The
// published cells fix the hidden ones up to the graph's cycles: a hidden cell
// on no cycle (a bridge) can be solved for exactly, however many hidden
// neighbours each of its rows and columns has. Finds a bridge and hides the
// cheapest rectangle that puts it on a cycle. Returns whether it hid a cell.
bool BreakABridge(const std::vector<std::vector<std::string>>& keys,
                  const std::map<std::vector<std::string>, size_t>& index,
                  std::vector<Cell>& cells) {
  const size_t rows = keys[0].size(), cols = keys[1].size();
  auto at = [&](size_t r, size_t c) -> Cell& {
    return cells[index.at({keys[0][r], keys[1][c]})];
  };
  // Nodes: rows 0..rows-1, columns rows..rows+cols-1.
  std::vector<std::vector<std::pair<size_t, size_t>>> adjacent(rows + cols);
  std::vector<std::pair<size_t, size_t>> edges;
  for (size_t r = 0; r < rows; ++r) {
    for (size_t c = 0; c < cols; ++c) {
      if (!at(r, c).hidden()) continue;
      adjacent[r].push_back({rows + c, edges.size()});
      adjacent[rows + c].push_back({r, edges.size()});
      edges.push_back({r, c});
    }
  }
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
  for (size_t node = 0; node < rows + cols; ++node) {
    if (order[node] < 0) visit(node, edges.size());
  }
  if (!bridge) return false;
  const auto [r, c] = edges[*bridge];
  // The rectangle (r, c), (r, c2), (r2, c), (r2, c2) hiding the least.
  int64_t best_cost = -1;
  size_t best_r = 0, best_c = 0;
  for (size_t r2 = 0; r2 < rows; ++r2) {
    for (size_t c2 = 0; c2 < cols; ++c2) {
      if (r2 == r || c2 == c) continue;
      int64_t cost = 0;
      int added = 0;
      bool possible = true;
      for (Cell* cell : {&at(r, c2), &at(r2, c), &at(r2, c2)}) {
        if (cell->hidden()) continue;
        if (cell->fixed) possible = false;  // another table publishes it
        cost += cell->count + 1;  // +1: hiding a zero is not free either
        ++added;
      }
      if (possible && added > 0 && (best_cost < 0 || cost < best_cost)) {
        best_cost = cost;
        best_r = r2;
        best_c = c2;
      }
    }
  }
  if (best_cost < 0) {
    // No rectangle without a fixed margin: hide every interior cell, which
    // puts every hidden margin on a cycle with another hidden margin.
    bool hid = false;
    for (Cell& cell : cells) {
      if (!cell.fixed && !cell.hidden()) {
        cell.status = v1::CELL_STATUS_SUPPRESSED;
        hid = true;
      }
    }
    return hid;
  }
  for (Cell* cell : {&at(r, best_c), &at(best_r, c), &at(best_r, best_c)}) {
    cell->status = v1::CELL_STATUS_SUPPRESSED;
  }
  return true;
}

}  // namespace

std::vector<v1::CaseCell> SuppressedTable(const Counts& counts, int dimensions,
                                          int64_t k, const Margins* margins) {
  // The keys of each dimension, and the full table including totals.
  std::vector<std::vector<std::string>> keys(dimensions);
  for (int d = 0; d < dimensions; ++d) {
    std::set<std::string> seen;
    for (const auto& [key, count] : counts) seen.insert(key[d]);
    keys[d].assign(seen.begin(), seen.end());
    keys[d].push_back(kTotalKey);
  }
  std::vector<Cell> cells;
  std::map<std::vector<std::string>, size_t> index;
  auto add = [&](std::vector<std::string> key) {
    index[key] = cells.size();
    cells.push_back({std::move(key)});
  };
  if (dimensions == 1) {
    for (const auto& a : keys[0]) add({a});
  } else {
    for (const auto& a : keys[0]) {
      for (const auto& b : keys[1]) add({a, b});
    }
  }
  for (const auto& [key, count] : counts) {
    for (Cell& cell : cells) {
      bool covers = true;
      for (int d = 0; d < dimensions; ++d) {
        covers =
            covers && (cell.keys[d] == kTotalKey || cell.keys[d] == key[d]);
      }
      if (covers) cell.count += count;
    }
  }

  // The relations: along each dimension, for every fixed value of the others.
  std::vector<Relation> relations;
  for (int d = 0; d < dimensions; ++d) {
    const std::vector<std::string>& others =
        dimensions == 1 ? std::vector<std::string>{""} : keys[1 - d];
    for (const std::string& other : others) {
      Relation relation;
      for (const std::string& value : keys[d]) {
        std::vector<std::string> key(dimensions);
        key[d] = value;
        if (dimensions == 2) key[1 - d] = other;
        const size_t i = index.at(key);
        if (value == kTotalKey) {
          relation.total = i;
        } else {
          relation.parts.push_back(i);
        }
      }
      relations.push_back(std::move(relation));
    }
  }

  for (Cell& cell : cells) {
    const bool margin = std::find(cell.keys.begin(), cell.keys.end(),
                                  kTotalKey) != cell.keys.end();
    if (margins != nullptr && margin) {
      // The margins are the one-way tables, published elsewhere: they keep
      // the status those tables gave them.
      cell.fixed = true;
      const bool hidden = cell.keys[0] == kTotalKey
                              ? (cell.keys[1] == kTotalKey
                                     ? margins->grand_total_hidden
                                     : margins->second.count(cell.keys[1]) > 0)
                              : margins->first.count(cell.keys[0]) > 0;
      if (hidden) cell.status = v1::CELL_STATUS_SUPPRESSED;
    } else if (cell.count > 0 && cell.count < k) {
      cell.status = v1::CELL_STATUS_SUPPRESSED;
    }
  }
  // Complementary suppression until every relation is safe and, for two
  // dimensions, no hidden cell can be solved for from all relations
  // together.
  for (bool changed = true; changed;) {
    changed = false;
    for (const Relation& r : relations) {
      if (SecureRelation(r, k, cells)) changed = true;
    }
    if (!changed && dimensions == 2 && BreakABridge(keys, index, cells)) {
      changed = true;
    }
  }

  std::vector<v1::CaseCell> out;
  for (const Cell& cell : cells) {
    v1::CaseCell& c = out.emplace_back();
    for (const auto& key : cell.keys) c.add_keys(key);
    c.set_status(cell.status);
    if (!cell.hidden()) c.set_count(cell.count);
  }
  return out;
}

Margins MarginsOf(const std::vector<v1::CaseCell>& first,
                  const std::vector<v1::CaseCell>& second) {
  Margins m;
  for (const auto& c : first) {
    if (c.has_count()) continue;
    if (c.keys(0) == kTotalKey) {
      m.grand_total_hidden = true;
    } else {
      m.first.insert(c.keys(0));
    }
  }
  for (const auto& c : second) {
    if (c.has_count()) continue;
    if (c.keys(0) == kTotalKey) {
      m.grand_total_hidden = true;
    } else {
      m.second.insert(c.keys(0));
    }
  }
  return m;
}

}  // namespace palermo::assistance
