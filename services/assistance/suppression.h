// Small-cell suppression for published counts of victim case records, over
// every table at once and across releases.
//
// Cells. A cell is a set {dimension: value} over the five case dimensions
// (entity, gender, age group, citizenship, referral source); a dimension
// absent is totalled over (kTotalKey). The canonical tables are the grand
// total, the five one-way tables and the ten two-way tables of each
// unordered pair; a two-way table's margins are the one-way cells and its
// corner is the grand total. A cell is computed and protected once, so every
// table that contains it, in whatever order its dimensions are asked for,
// and every entity's table (its row of [entity, X]), shows the same cell.
//
// Relations. In every table, along each dimension, the parts add up to
// their total. Within one release (snapshot rule): primary suppression hides
// every cell with 0 < count < k; complementary suppression then hides more
// cells until, in every relation, either nothing is hidden or at least two
// entries are and the sum the relation reveals (its published total minus
// its published parts) is 0 (zeros) or at least k; and, within each two-way
// table, no hidden cell lies on no cycle of hidden cells (the published
// cells would then fix it). Zero cells are published: an absence identifies
// no one. Every value of a dimension is listed from the first release on
// (Domains), so a value does not appear when its first case is recorded.
//
// Releases. Counts are published as frozen releases, so what two fetches at
// two moments can tell apart is the difference D_j = C_new - C_j between the
// new release and an earlier one R_j (every earlier one, since an attacker
// may have kept any). A new release also hides, until a fixpoint, every cell
// needed so that for every j the difference table is protected. A cell's
// difference is known if the cell is published in both releases (a value
// absent from R_j counts as a published 0 there), unknown otherwise; it
// "moved unseen" if unknown and not 0. Rules: every known difference is 0
// or |D| >= k (primary); in every relation where something moved unseen, at
// least two parts are unknown (one for a dimension with a single value),
// since a lone unknown part would be singled out by elimination ("whatever
// changed is here"), and a known total reveals a difference of 0 or at
// least k for the unknown parts; in each two-way table no unknown
// difference lies on no cycle of unknown differences; and for each cell that
// moved unseen, the cells pairing its values with their decoys are unknown
// too. A value's decoy is the other value of its dimension with an unknown
// one-way cell and the smallest one-way count, the same in every table, so
// every combination of a new case's values and their decoys stays possible
// in all tables at once: each attribute keeps two candidate values.
// Earlier releases never change.
//
// Why it holds. Two fetches of one release are identical: nothing to
// subtract. Two releases R_i, R_j (i < j) are each protected alone, and
// their only link is D = C_j - C_i, the cases recorded, changed or deleted
// in between; D obeys the same relations as the counts (a difference of
// sums is the sum of the differences) and its known cells are those
// published in both, so the rules make D a protected table. R_j is cut
// knowing every R_i, so every pair is covered. A fixpoint exists (hiding
// every cell of R_j satisfies every rule) and hidden sets only grow, so the
// iteration ends. Parameters: k (--min_published_count), the sixteen
// canonical tables, releases cut explicitly (CreateCaseRelease).
//
// Not guaranteed: intervals (a hidden cell can be narrowed to a range, and
// non-negativity narrows more); three or more tables solved together (the
// tests solve every two tables sharing a margin together; random data shows
// that three or more can determine a hidden cell); inference from which
// cells are hidden (the pattern) beyond the rules above; more than k-1
// cases between two releases are protected as a table, not case by case.
// Releases cut often hide more, since each new one must protect its
// difference with every earlier one.
#ifndef PALERMO_SERVICES_ASSISTANCE_SUPPRESSION_H_
#define PALERMO_SERVICES_ASSISTANCE_SUPPRESSION_H_

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "palermo/assistance/v1/assistance.pb.h"

namespace palermo::assistance {

inline constexpr char kTotalKey[] = "_T";
// Entity, gender, age group, citizenship, referral source: CaseDimension
// minus one.
inline constexpr int kCaseDimensions = 5;

// A canonical cell: one value per dimension, kTotalKey where totalled over
// (at most two dimensions not totalled). For a case, no kTotalKey.
using CellKey = std::array<std::string, kCaseDimensions>;

struct CellValue {
  int64_t count = 0;
  bool hidden = false;
  bool operator==(const CellValue& o) const {
    return count == o.count && hidden == o.hidden;
  }
};

// Every canonical cell of a release: all combinations of the values seen
// (in the cases or any earlier release) in every canonical table.
using ReleaseCells = std::map<CellKey, CellValue>;

// Number of cases by their values on the five dimensions.
using CaseTuples = std::map<CellKey, int64_t>;

// Values each dimension has whether or not a case has them: a value that
// first appears in a release would tell that a case with it was recorded.
using Domains = std::array<std::vector<std::string>, kCaseDimensions>;

// The cells of a new release of `cases`, protected by the rules above given
// every earlier release (in any order), over the values of `domains` and
// any other value of the cases or earlier releases.
ReleaseCells ProtectRelease(const CaseTuples& cases,
                            const std::vector<const ReleaseCells*>& earlier,
                            int64_t k, const Domains& domains = {});

// The table of `dimensions` (0-based, in the order asked; one or two), with
// its totals, ordered by keys ("_T" last); with `fixed_dimension` >= 0 only
// the cells with `fixed_value` on it (an entity's table), keys without it.
std::vector<v1::CaseCell> TableOf(const ReleaseCells& cells,
                                  const std::vector<int>& dimensions,
                                  int fixed_dimension = -1,
                                  const std::string& fixed_value = "");

// Storage form: one line per cell, values, count and hidden flag separated
// by tabs (values hold no tab or newline).
std::string EncodeRelease(const ReleaseCells& cells);
absl::StatusOr<ReleaseCells> DecodeRelease(absl::string_view text);

}  // namespace palermo::assistance

#endif  // PALERMO_SERVICES_ASSISTANCE_SUPPRESSION_H_
