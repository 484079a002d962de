// The enforcement domain's arithmetic: sums over a window without double
// counting (Aggregate), and changes and ratios only between comparable
// figures, each answer saying which figures it used and why not the others.
#include "services/enforcement/enforcement_domain.h"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/common/bounds.h"
#include "services/common/periods.h"
#include "services/common/status.h"
#include "services/common/validation.h"
#include "services/enforcement/aggregation.h"
#include "services/enforcement/observation_facts.h"

namespace palermo::enforcement {
namespace {

// Footnote 9 of E/CN.15/2008/6: figures of different countries are not
// comparable. Carried by every answer that sums figures of several entities.
v1::ComparabilityCaveat ComparabilityCaveat() {
  v1::ComparabilityCaveat caveat;
  caveat.set_english(
      "Very few responses contain detailed information on the number of "
      "cases of trafficking investigated and prosecuted. The figures "
      "provided do not allow the number of cases of trafficking in "
      "different countries to be put into perspective.");
  caveat.set_french(
      "Très peu de réponses contiennent des informations détaillées sur le "
      "nombre de cas de traite ayant fait l’objet d’enquêtes et de "
      "poursuites. Les chiffres fournis ne permettent pas de mettre en "
      "perspective le nombre de cas de traite dans les différents pays.");
  common::v1::Provenance* source = caveat.add_sources();
  source->set_document_symbol("E/CN.15/2008/6");
  source->set_paragraph(10);
  source->set_footnote(9);
  source->set_excerpt(
      "Les chiffres fournis ne permettent pas de mettre en perspective le "
      "nombre de cas de traite dans les différents pays.");
  source->set_excerpt_language("fr");
  return caveat;
}

}  // namespace

absl::StatusOr<v1::AggregateResponse> EnforcementDomain::Aggregate(
    const v1::AggregateRequest& request) {
  FieldViolations violations;
  if (request.indicator().empty()) violations.Add("indicator", "required");
  for (int i = 0; i < request.entities_size(); ++i) {
    const std::string field = absl::StrCat("entities[", i, "]");
    violations.AddAll(CheckEntity(request.entities(i), field), field);
  }
  ValidateCommonTypes(request.window(), "window", violations);
  absl::Status codes_error;
  v1::IndicatorKind kind = v1::INDICATOR_KIND_FLOW;
  if (!request.indicator().empty() &&
      !HasIndicator(request.indicator(), &codes_error, &kind)) {
    violations.Add("indicator", codes_error.ok()
                                    ? "not in the indicator code list"
                                    : std::string(codes_error.message()));
  }
  bool by_entity = false;
  int mask = 0;
  for (int i = 0; i < request.group_by_size(); ++i) {
    switch (request.group_by(i)) {
      case v1::DIMENSION_ENTITY:
        by_entity = true;
        break;
      case v1::DIMENSION_SEX:
        mask |= 1;
        break;
      case v1::DIMENSION_AGE_GROUP:
        mask |= 2;
        break;
      case v1::DIMENSION_EXPLOITATION_FORM:
        mask |= 4;
        break;
      case v1::DIMENSION_CITIZENSHIP:
        mask |= 8;
        break;
      default:
        violations.Add(absl::StrCat("group_by[", i, "]"), "not a dimension");
    }
  }
  if (!violations.empty()) return violations.ToStatus();

  const DayRange window = RangeOf(request.window());
  ObservationQuery query;
  query.indicator = request.indicator();
  query.overlaps = window;
  query.dims_mask = mask;
  query.as_of = AsOfTimestamp(request.has_as_of(), request.as_of());
  if (request.entities_size() == 1) query.entity = request.entities(0);
  absl::StatusOr<std::vector<v1::Observation>> found = store_.Query(query);
  if (!found.ok()) return found.status();
  const std::set<std::string> wanted(request.entities().begin(),
                                     request.entities().end());

  // Series: one entity and one breakdown. Figures never cross series.
  std::map<std::pair<std::string, std::string>,
           std::vector<const v1::Observation*>>
      series;
  for (const v1::Observation& o : *found) {
    if (!wanted.empty() && !wanted.count(o.entity())) continue;
    series[{o.entity(), BreakdownOf(o).SerializeAsString()}].push_back(&o);
  }
  v1::AggregateResponse response;
  std::map<std::pair<std::string, std::string>, v1::AggregateCell> cells;
  std::set<std::string> used_entities;
  for (const auto& [key, members] : series) {
    std::vector<Figure> figures;
    for (const v1::Observation* o : members) {
      figures.push_back(
          {RangeOf(o->period()),
           o->has_value() ? std::optional<int64_t>(o->value()) : std::nullopt});
    }
    const Selection selection =
        SelectFigures(figures, window, kind == v1::INDICATOR_KIND_STOCK);
    const std::string cell_entity = by_entity ? key.first : "";
    v1::AggregateCell& cell = cells[{cell_entity, key.second}];
    cell.set_entity(cell_entity);
    cell.mutable_breakdown()->ParseFromString(key.second);
    cell.set_value(cell.value() + selection.sum);
    cell.set_observation_count(cell.observation_count() + selection.count);
    if (by_entity) {
      for (const DayRange& r : selection.covered) {
        common::v1::ReportingPeriod* p = cell.add_covered();
        // The covered range, stated with the periods that make it up.
        for (size_t i = 0; i < members.size(); ++i) {
          if (!selection.used[i]) continue;
          const DayRange mr = RangeOf(members[i]->period());
          const auto& period = members[i]->period();
          if (mr.first == r.first && period.has_start()) {
            *p->mutable_start() = period.start();
          }
          if (mr.last == r.last && period.has_end()) {
            *p->mutable_end() = period.end();
          }
        }
      }
    }
    for (size_t i = 0; i < members.size(); ++i) {
      const v1::Observation& o = *members[i];
      v1::ObservationUse* use = response.add_observations();
      use->set_observation(o.name());
      *use->mutable_period() = o.period();
      if (o.has_value()) use->set_value(o.value());
      use->set_used(selection.used[i]);
      use->set_reason(selection.reason[i]);
      const int conflict = selection.conflicts_with[i];
      switch (selection.reason[i]) {
        case v1::EXCLUSION_REASON_NESTED:
          use->set_explanation(absl::StrCat("its period lies inside that of ",
                                            members[conflict]->name(),
                                            ", which is counted"));
          break;
        case v1::EXCLUSION_REASON_OVERLAPS:
          use->set_explanation(absl::StrCat("its period overlaps that of ",
                                            members[conflict]->name(),
                                            ", which is counted"));
          break;
        case v1::EXCLUSION_REASON_OUTSIDE_WINDOW:
          use->set_explanation(
              "its period extends outside the window and cannot be split");
          break;
        case v1::EXCLUSION_REASON_EARLIER_STOCK:
          use->set_explanation(absl::StrCat(
              "a stock indicator: the later figure ", members[conflict]->name(),
              " stands for the window"));
          break;
        case v1::EXCLUSION_REASON_NO_VALUE:
          use->set_explanation(
              absl::StrCat("no value (status ", StatusName(o.status()), ")"));
          break;
        default:
          break;
      }
      if (selection.used[i]) used_entities.insert(o.entity());
      if (selection.used[i] &&
          (o.status() != v1::OBSERVATION_STATUS_NORMAL || !o.notes().empty())) {
        cell.add_caveats(absl::StrCat(o.name(), ": ", StatusName(o.status()),
                                      o.notes().empty() ? "" : "; ",
                                      o.notes()));
      }
    }
  }
  for (auto& [key, cell] : cells) *response.add_cells() = std::move(cell);
  // Figures of several entities summed: the sum does not compare them.
  if (used_entities.size() > 1) {
    *response.mutable_comparability_caveat() = ComparabilityCaveat();
  }
  TrimToBytes(&response);
  return response;
}

namespace {

// The single observation of a series key, or why there is none.
absl::StatusOr<std::optional<v1::Observation>> FindExact(
    EnforcementStore& store, const std::string& entity,
    const std::string& indicator, const common::v1::ReportingPeriod& period,
    const v1::Breakdown& breakdown) {
  ObservationQuery query;
  query.entity = entity;
  query.indicator = indicator;
  query.overlaps = RangeOf(period);
  absl::StatusOr<std::vector<v1::Observation>> found = store.Query(query);
  if (!found.ok()) return found.status();
  for (auto& o : *found) {
    if (SameBreakdown(o, breakdown) && SamePeriod(o.period(), period)) {
      return std::optional<v1::Observation>(std::move(o));
    }
  }
  return std::optional<v1::Observation>();
}

// Why a figure cannot take part in a comparison, or "".
std::string Unusable(const v1::Observation& o) {
  if (!o.has_value()) {
    return absl::StrCat(o.name(), " has no value (", StatusName(o.status()),
                        ")");
  }
  if (o.status() == v1::OBSERVATION_STATUS_DEFINITION_DIFFERS ||
      o.status() == v1::OBSERVATION_STATUS_BREAK) {
    return absl::StrCat(o.name(), " has status ", StatusName(o.status()),
                        o.notes().empty() ? "" : ": ", o.notes());
  }
  return "";
}

}  // namespace

absl::StatusOr<v1::ComputeChangeResponse> EnforcementDomain::ComputeChange(
    const v1::ComputeChangeRequest& request) {
  FieldViolations violations;
  violations.AddAll(CheckEntity(request.entity(), "entity"), "entity");
  if (request.indicator().empty()) violations.Add("indicator", "required");
  if (!request.has_from_period()) violations.Add("from_period", "required");
  if (!request.has_to_period()) violations.Add("to_period", "required");
  ValidateCommonTypes(request, "", violations);
  if (!violations.empty()) return violations.ToStatus();
  v1::ComputeChangeResponse response;
  auto from = FindExact(store_, request.entity(), request.indicator(),
                        request.from_period(), request.breakdown());
  if (!from.ok()) return from.status();
  auto to = FindExact(store_, request.entity(), request.indicator(),
                      request.to_period(), request.breakdown());
  if (!to.ok()) return to.status();
  if (from->has_value()) *response.mutable_from_observation() = **from;
  if (to->has_value()) *response.mutable_to_observation() = **to;
  std::string reason;
  if (!from->has_value()) {
    reason =
        absl::StrCat("no figure for ", FormatTimePeriod(request.from_period()));
  } else if (!to->has_value()) {
    reason =
        absl::StrCat("no figure for ", FormatTimePeriod(request.to_period()));
  } else if (!(reason = Unusable(**from)).empty() ||
             !(reason = Unusable(**to)).empty()) {
  } else if (!SameShape(request.from_period(), request.to_period())) {
    reason = absl::StrCat("periods ", FormatTimePeriod(request.from_period()),
                          " and ", FormatTimePeriod(request.to_period()),
                          " differ in length or precision");
  } else if (RangeOf(request.from_period())
                 .Overlaps(RangeOf(request.to_period()))) {
    reason = "the periods overlap";
  }
  if (!reason.empty()) {
    response.set_reason(reason);
    return response;
  }
  response.set_comparable(true);
  const int64_t a = (*from)->value();
  const int64_t b = (*to)->value();
  response.set_absolute_change(b - a);
  if (a != 0) response.set_relative_change(static_cast<double>(b - a) / a);
  return response;
}

absl::StatusOr<v1::ComputeRatioResponse> EnforcementDomain::ComputeRatio(
    const v1::ComputeRatioRequest& request) {
  FieldViolations violations;
  violations.AddAll(CheckEntity(request.entity(), "entity"), "entity");
  if (request.numerator().empty()) violations.Add("numerator", "required");
  if (request.denominator().empty()) violations.Add("denominator", "required");
  if (!request.has_period()) violations.Add("period", "required");
  ValidateCommonTypes(request, "", violations);
  if (!violations.empty()) return violations.ToStatus();
  v1::ComputeRatioResponse response;
  auto num = FindExact(store_, request.entity(), request.numerator(),
                       request.period(), request.breakdown());
  if (!num.ok()) return num.status();
  auto den = FindExact(store_, request.entity(), request.denominator(),
                       request.period(), request.breakdown());
  if (!den.ok()) return den.status();
  if (num->has_value()) *response.mutable_numerator_observation() = **num;
  if (den->has_value()) *response.mutable_denominator_observation() = **den;
  std::string reason;
  const std::string period = FormatTimePeriod(request.period());
  if (!num->has_value()) {
    reason = absl::StrCat("no ", request.numerator(), " figure for exactly ",
                          period);
  } else if (!den->has_value()) {
    reason = absl::StrCat("no ", request.denominator(), " figure for exactly ",
                          period);
  } else if (!(reason = Unusable(**num)).empty() ||
             !(reason = Unusable(**den)).empty()) {
  } else if ((*den)->value() == 0) {
    reason = "the denominator is zero";
  }
  if (!reason.empty()) {
    response.set_reason(reason);
    return response;
  }
  response.set_comparable(true);
  response.set_ratio(static_cast<double>((*num)->value()) / (*den)->value());
  return response;
}

}  // namespace palermo::enforcement
