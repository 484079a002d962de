// The enforcement domain's reads: one observation, lists and their pages,
// revisions, one series, and coverage (who reported what); each as of a
// past time when asked.
#include "services/enforcement/enforcement_domain.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/common/bounds.h"
#include "services/common/filter.h"
#include "services/common/pagination.h"
#include "services/common/periods.h"
#include "services/common/status.h"
#include "services/common/validation.h"
#include "services/enforcement/observation_facts.h"

namespace palermo::enforcement {
namespace {

using google::protobuf::util::TimeUtil;

std::optional<absl::Time> AsOf(const v1::GetObservationRequest& r) {
  if (!r.has_as_of()) return std::nullopt;
  return absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(r.as_of()));
}

}  // namespace

absl::StatusOr<std::vector<v1::Observation>> EnforcementDomain::Scan(
    ObservationQuery query, const Filter* filter, PageBudget* page,
    bool* more) {
  std::vector<v1::Observation> out;
  if (more) *more = false;
  // Read in chunks so that a selective filter does not load everything.
  const int chunk = page != nullptr ? std::max(page->max_items() * 2, 100) : 0;
  query.limit = chunk;
  while (true) {
    absl::StatusOr<std::vector<v1::Observation>> rows = store_.Query(query);
    if (!rows.ok()) return rows.status();
    const std::string last = rows->empty() ? "" : rows->back().name();
    for (auto& o : *rows) {
      if (filter != nullptr && !filter->Matches(o)) continue;
      if (page != nullptr && !page->Admit(o)) {
        if (more) *more = true;
        return out;
      }
      out.push_back(std::move(o));
    }
    if (chunk == 0 || static_cast<int>(rows->size()) < chunk) return out;
    query.after_name = last;
  }
}

absl::StatusOr<v1::Observation> EnforcementDomain::Get(
    const v1::GetObservationRequest& request) {
  const std::string& name = request.name();
  if (absl::Status s = CheckName(name, "name"); !s.ok()) return s;
  ObservationQuery query;
  query.name = name;
  query.as_of = AsOf(request);
  absl::StatusOr<std::vector<v1::Observation>> found = store_.Query(query);
  if (!found.ok()) return found.status();
  if (found->empty()) return NotFoundError(kObservationType, name);
  return std::move(found->front());
}

absl::StatusOr<v1::ListObservationsResponse> EnforcementDomain::List(
    const v1::ListObservationsRequest& request) {
  FieldViolations violations;
  ObservationQuery query;
  if (request.parent() != "-") {
    violations.AddAll(CheckEntity(request.parent(), "parent"), "parent");
    query.entity = request.parent();
  }
  absl::StatusOr<Filter> filter =
      Filter::Compile(request.filter(), v1::Observation::descriptor());
  violations.AddAll(filter.status(), "filter");
  if (request.has_overlaps()) {
    ValidateCommonTypes(request.overlaps(), "overlaps", violations);
    query.overlaps = RangeOf(request.overlaps());
  }
  query.as_of = AsOfTimestamp(request.has_as_of(), request.as_of());
  absl::StatusOr<int> page_size = EffectivePageSize(request.page_size());
  violations.AddAll(page_size.status(), "page_size");
  // A token belongs to the query that made it.
  v1::ListObservationsRequest key = request;
  key.clear_page_size();
  key.clear_page_token();
  absl::StatusOr<std::string> after =
      DecodePageToken(request.page_token(), key.SerializeAsString());
  violations.AddAll(after.status(), "page_token");
  if (!violations.empty()) return violations.ToStatus();
  query.after_name = *after;
  bool more = false;
  PageBudget budget(*page_size);
  absl::StatusOr<std::vector<v1::Observation>> page =
      Scan(query, &*filter, &budget, &more);
  if (!page.ok()) return page.status();
  v1::ListObservationsResponse response;
  for (auto& o : *page) *response.add_observations() = std::move(o);
  if (more) {
    response.set_next_page_token(EncodePageToken(
        key.SerializeAsString(),
        response.observations(response.observations_size() - 1).name()));
  }
  return response;
}

absl::StatusOr<v1::ListObservationRevisionsResponse>
EnforcementDomain::ListRevisions(
    const v1::ListObservationRevisionsRequest& request) {
  FieldViolations violations;
  violations.AddAll(CheckName(request.name(), "name"), "name");
  absl::StatusOr<int> page_size = EffectivePageSize(request.page_size());
  violations.AddAll(page_size.status(), "page_size");
  absl::StatusOr<std::string> token =
      DecodePageToken(request.page_token(), request.name());
  violations.AddAll(token.status(), "page_token");
  int64_t before = 0;
  if (token.ok() && !token->empty() && !absl::SimpleAtoi(*token, &before)) {
    violations.Add("page_token", "not a revision token");
  }
  if (!violations.empty()) return violations.ToStatus();
  absl::StatusOr<std::vector<v1::ObservationRevision>> revisions =
      store_.Revisions(request.name(), before, *page_size + 1);
  if (!revisions.ok()) return revisions.status();
  if (revisions->empty() && before == 0) {
    return NotFoundError(kObservationType, request.name());
  }
  v1::ListObservationRevisionsResponse response;
  PageBudget page(*page_size);
  for (auto& r : *revisions) {
    if (!page.Admit(r)) {
      response.set_next_page_token(EncodePageToken(
          request.name(), absl::StrCat(response.revisions(page.items() - 1)
                                           .observation()
                                           .revision_id())));
      break;
    }
    *response.add_revisions() = std::move(r);
  }
  return response;
}

absl::StatusOr<v1::Series> EnforcementDomain::GetSeries(
    const v1::GetSeriesRequest& request) {
  FieldViolations violations;
  violations.AddAll(CheckEntity(request.entity(), "entity"), "entity");
  if (request.indicator().empty()) violations.Add("indicator", "required");
  ValidateCommonTypes(request.breakdown(), "breakdown", violations);
  if (!violations.empty()) return violations.ToStatus();
  ObservationQuery query;
  query.entity = request.entity();
  query.indicator = request.indicator();
  query.as_of = AsOfTimestamp(request.has_as_of(), request.as_of());
  absl::StatusOr<std::vector<v1::Observation>> found = store_.Query(query);
  if (!found.ok()) return found.status();
  v1::Series series;
  series.set_entity(request.entity());
  series.set_indicator(request.indicator());
  *series.mutable_breakdown() = request.breakdown();
  std::vector<v1::Observation> matching;
  for (auto& o : *found) {
    if (SameBreakdown(o, request.breakdown())) matching.push_back(std::move(o));
  }
  std::stable_sort(matching.begin(), matching.end(),
                   [](const v1::Observation& a, const v1::Observation& b) {
                     const DayRange ra = RangeOf(a.period());
                     const DayRange rb = RangeOf(b.period());
                     return std::tie(ra.first, ra.last) <
                            std::tie(rb.first, rb.last);
                   });
  for (auto& o : matching) *series.add_observations() = std::move(o);
  TrimToBytes(&series);
  return series;
}

absl::StatusOr<v1::GetCoverageResponse> EnforcementDomain::GetCoverage(
    const v1::GetCoverageRequest& request) {
  FieldViolations violations;
  for (int i = 0; i < request.entities_size(); ++i) {
    const std::string field = absl::StrCat("entities[", i, "]");
    violations.AddAll(CheckEntity(request.entities(i), field), field);
  }
  if (!violations.empty()) return violations.ToStatus();
  const std::set<std::string> entities(request.entities().begin(),
                                       request.entities().end());
  const std::set<std::string> indicators(request.indicators().begin(),
                                         request.indicators().end());
  ObservationQuery query;
  query.as_of = AsOfTimestamp(request.has_as_of(), request.as_of());
  if (entities.size() == 1) query.entity = *entities.begin();
  if (indicators.size() == 1) query.indicator = *indicators.begin();
  absl::StatusOr<std::vector<v1::Observation>> found =
      Scan(query, nullptr, nullptr, nullptr);
  if (!found.ok()) return found.status();
  struct Entry {
    std::map<std::pair<int64_t, int64_t>, common::v1::ReportingPeriod> periods;
    int values = 0;
    int missing = 0;
  };
  std::map<std::pair<std::string, std::string>, Entry> entries;
  for (const auto& o : *found) {
    if (!entities.empty() && !entities.count(o.entity())) continue;
    if (!indicators.empty() && !indicators.count(o.indicator())) continue;
    Entry& e = entries[{o.entity(), o.indicator()}];
    const DayRange r = RangeOf(o.period());
    e.periods[{r.first, r.last}] = o.period();
    ++(o.has_value() ? e.values : e.missing);
  }
  v1::GetCoverageResponse response;
  for (auto& [key, e] : entries) {
    v1::CoverageEntry* out = response.add_entries();
    out->set_entity(key.first);
    out->set_indicator(key.second);
    for (auto& [range, period] : e.periods) *out->add_periods() = period;
    out->set_values(e.values);
    out->set_missing(e.missing);
  }
  TrimToBytes(&response);
  return response;
}

}  // namespace palermo::enforcement
