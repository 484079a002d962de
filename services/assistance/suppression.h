// Small-cell suppression for published counts of victim case records.
//
// A table of one or two dimensions with its totals is a set of linear
// relations: in each row, column and the margins, the cells add up to their
// total. Primary suppression hides every cell (totals included) with
// 0 < count < k. Complementary suppression then hides more cells until, in
// every relation, either nothing is hidden or at least two entries are and
// what the relation reveals about them (the published total minus the
// published cells) is itself at least k: no hidden cell can be worked out by
// subtraction, and no small count is revealed as a sum. Zero cells are
// published: an absence identifies no one.
#ifndef PALERMO_SERVICES_ASSISTANCE_SUPPRESSION_H_
#define PALERMO_SERVICES_ASSISTANCE_SUPPRESSION_H_

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "palermo/assistance/v1/assistance.pb.h"

namespace palermo::assistance {

inline constexpr char kTotalKey[] = "_T";

// Counts by key tuple (one key per dimension, one or two dimensions).
using Counts = std::map<std::vector<std::string>, int64_t>;

// Which margins of a two-way table are hidden: the hidden cells of the two
// one-way tables it shares them with.
struct Margins {
  std::set<std::string> first;   // hidden values of the first dimension
  std::set<std::string> second;  // hidden values of the second dimension
  bool grand_total_hidden = false;
};

// The full table (every combination of the keys seen, the totals and the
// grand total) with suppression applied, ordered by keys ("_T" last). A
// two-way table given `margins` keeps exactly those margins hidden and hides
// interior cells only: served tables that share a margin then agree on it,
// so one cannot be subtracted from another.
std::vector<v1::CaseCell> SuppressedTable(const Counts& counts, int dimensions,
                                          int64_t k,
                                          const Margins* margins = nullptr);

// The margins decided by the one-way tables of the two dimensions.
Margins MarginsOf(const std::vector<v1::CaseCell>& first,
                  const std::vector<v1::CaseCell>& second);

}  // namespace palermo::assistance

#endif  // PALERMO_SERVICES_ASSISTANCE_SUPPRESSION_H_
