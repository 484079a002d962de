#include "services/assistance/suppression.h"

#include <algorithm>
#include <set>

namespace palermo::assistance {
namespace {

struct Cell {
  std::vector<std::string> keys;
  int64_t count = 0;
  v1::CellStatus status = v1::CELL_STATUS_PUBLISHED;
  bool hidden() const { return status != v1::CELL_STATUS_PUBLISHED; }
};

// A relation: `parts` add up to `total` (indices into the cell table).
struct Relation {
  std::vector<size_t> parts;
  size_t total;
};

}  // namespace

std::vector<v1::CaseCell> SuppressedTable(const Counts& counts, int dimensions,
                                          int64_t k) {
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
    if (cell.count > 0 && cell.count < k)
      cell.status = v1::CELL_STATUS_SUPPRESSED;
  }
  // Complementary suppression until every relation is safe.
  for (bool changed = true; changed;) {
    changed = false;
    for (const Relation& r : relations) {
      std::vector<size_t> entries = r.parts;
      entries.push_back(r.total);
      int hidden = 0;
      int64_t hidden_parts_sum = 0;
      for (size_t i : r.parts) {
        if (cells[i].hidden()) {
          ++hidden;
          hidden_parts_sum += cells[i].count;
        }
      }
      if (cells[r.total].hidden()) ++hidden;
      if (hidden == 0) continue;
      // What subtraction reveals: the hidden parts' sum, if the total shows.
      const bool revealed_small =
          !cells[r.total].hidden() && hidden_parts_sum < k;
      if (hidden >= 2 && !revealed_small) continue;
      // Hide one more: the smallest published part with a count, else any
      // published part, else the total.
      size_t pick = cells.size();
      for (size_t i : r.parts) {
        if (cells[i].hidden()) continue;
        if (pick == cells.size() ||
            (cells[i].count > 0 &&
             (cells[pick].count == 0 || cells[i].count < cells[pick].count))) {
          pick = i;
        }
      }
      if (pick == cells.size() && !cells[r.total].hidden()) pick = r.total;
      if (pick == cells.size()) continue;  // everything is hidden already
      cells[pick].status = v1::CELL_STATUS_SUPPRESSED;
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

}  // namespace palermo::assistance
