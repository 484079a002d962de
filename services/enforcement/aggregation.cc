#include "services/enforcement/aggregation.h"

#include <algorithm>
#include <numeric>
#include <utility>

#include "absl/time/civil_time.h"

namespace palermo::enforcement {
namespace {

// Days before 1900 cannot hold a reported figure: an open start counts from
// there when it must be weighed.
const int64_t kEarliestDay =
    absl::CivilDay(1900, 1, 1) - absl::CivilDay(1970, 1, 1);

int64_t Weight(const DayRange& r) {
  return r.last - std::max(r.first, kEarliestDay) + 1;
}

}  // namespace

Selection SelectFigures(const std::vector<Figure>& figures,
                        const DayRange& window, bool stock) {
  const size_t n = figures.size();
  Selection s;
  s.used.assign(n, false);
  s.reason.assign(n, v1::EXCLUSION_REASON_UNSPECIFIED);
  s.conflicts_with.assign(n, -1);

  std::vector<int> candidates;
  for (size_t i = 0; i < n; ++i) {
    if (!figures[i].value.has_value()) {
      s.reason[i] = v1::EXCLUSION_REASON_NO_VALUE;
    } else if (!window.Contains(figures[i].range)) {
      s.reason[i] = v1::EXCLUSION_REASON_OUTSIDE_WINDOW;
    } else {
      candidates.push_back(static_cast<int>(i));
    }
  }
  if (stock) {
    int latest = -1;
    for (int i : candidates) {
      if (latest < 0 ||
          std::make_pair(figures[i].range.last, figures[i].range.first) >
              std::make_pair(figures[latest].range.last,
                             figures[latest].range.first)) {
        latest = i;
      }
    }
    for (int i : candidates) {
      if (i == latest) {
        s.used[i] = true;
        s.sum = *figures[i].value;
        s.count = 1;
        s.covered.push_back(figures[i].range);
      } else {
        s.reason[i] = v1::EXCLUSION_REASON_EARLIER_STOCK;
        s.conflicts_with[i] = latest;
      }
    }
    return s;
  }
  // Weighted interval scheduling, ordered by last day: best[k] is the best
  // (days covered, figures used) among the first k candidates.
  std::sort(candidates.begin(), candidates.end(), [&](int a, int b) {
    return std::make_pair(figures[a].range.last, figures[a].range.first) <
           std::make_pair(figures[b].range.last, figures[b].range.first);
  });
  const size_t m = candidates.size();
  std::vector<std::pair<int64_t, int>> best(m + 1, {0, 0});
  std::vector<bool> take(m + 1, false);
  std::vector<size_t> previous(m + 1, 0);
  for (size_t k = 1; k <= m; ++k) {
    const DayRange& r = figures[candidates[k - 1]].range;
    // The last candidate ending before this one starts.
    size_t p = k - 1;
    while (p > 0 && figures[candidates[p - 1]].range.last >= r.first) --p;
    previous[k] = p;
    std::pair<int64_t, int> with = {best[p].first + Weight(r),
                                    best[p].second + 1};
    if (with > best[k - 1]) {
      best[k] = with;
      take[k] = true;
    } else {
      best[k] = best[k - 1];
    }
  }
  for (size_t k = m; k > 0;) {
    if (take[k]) {
      s.used[candidates[k - 1]] = true;
      k = previous[k];
    } else {
      --k;
    }
  }

  std::vector<int> chosen;
  for (int i : candidates) {
    if (s.used[i]) chosen.push_back(i);
  }
  for (int i : candidates) {
    if (s.used[i]) {
      s.sum += *figures[i].value;
      ++s.count;
      continue;
    }
    for (int c : chosen) {
      if (figures[c].range.Contains(figures[i].range)) {
        s.reason[i] = v1::EXCLUSION_REASON_NESTED;
        s.conflicts_with[i] = c;
        break;
      }
      if (figures[c].range.Overlaps(figures[i].range) &&
          s.conflicts_with[i] < 0) {
        s.reason[i] = v1::EXCLUSION_REASON_OVERLAPS;
        s.conflicts_with[i] = c;
      }
    }
  }
  for (int c : chosen) {  // chosen is ordered by last day, and disjoint
    const DayRange& r = figures[c].range;
    if (!s.covered.empty() && s.covered.back().last + 1 == r.first) {
      s.covered.back().last = r.last;
    } else {
      s.covered.push_back(r);
    }
  }
  return s;
}

}  // namespace palermo::enforcement
