// Choosing which figures to sum so that none is counted twice.
//
// Within one series (an entity, an indicator and a breakdown) periods may
// overlap or nest: Croatia reports 65 victims for 2002 - January 2007 and,
// inside it, 6 for 2005 and 13 for 2006, then 11 for 2007 (which overlaps the
// total's January 2007). SelectFigures keeps the set of non-overlapping
// figures covering the most days of the window (on a tie, the finer one),
// and says for every other figure why it was left out.
#ifndef PALERMO_SERVICES_ENFORCEMENT_AGGREGATION_H_
#define PALERMO_SERVICES_ENFORCEMENT_AGGREGATION_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "palermo/enforcement/v1/enforcement.pb.h"
#include "services/common/periods.h"

namespace palermo::enforcement {

// One figure of a series, as SelectFigures sees it.
struct Figure {
  DayRange range;
  std::optional<int64_t> value;
};

struct Selection {
  // Per input figure: used, or why not.
  std::vector<bool> used;
  std::vector<v1::ExclusionReason> reason;
  // For NESTED and OVERLAPS: the index of the used figure in the way.
  std::vector<int> conflicts_with;
  int64_t sum = 0;
  int count = 0;
  // The used ranges, merged where adjacent, in order.
  std::vector<DayRange> covered;
};

// Chooses the figures of one series to sum over `window`. For a stock
// indicator only the figure ending last in the window counts: stocks of
// successive periods do not add up.
Selection SelectFigures(const std::vector<Figure>& figures,
                        const DayRange& window, bool stock = false);

}  // namespace palermo::enforcement

#endif  // PALERMO_SERVICES_ENFORCEMENT_AGGREGATION_H_
