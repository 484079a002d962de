#include "services/gateway/profile.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "services/common/periods.h"

namespace palermo::gateway {
namespace {

absl::Status SectionFailed(absl::string_view section, absl::string_view entity,
                           const absl::Status& status) {
  absl::Status failed(
      status.code(),
      absl::StrCat(section, " section of ", entity, ": ", status.message()));
  status.ForEachPayload(
      [&failed](absl::string_view url, const absl::Cord& payload) {
        failed.SetPayload(url, payload);
      });
  return failed;
}

enforcement::v1::Breakdown BreakdownOf(const enforcement::v1::Observation& o) {
  enforcement::v1::Breakdown b;
  b.set_sex(o.sex());
  b.set_age_group(o.age_group());
  b.set_exploitation_form(o.exploitation_form());
  b.set_citizenship(o.citizenship());
  return b;
}

}  // namespace

absl::StatusOr<v1::CountryProfile> ComposeProfile(
    const common::v1::ReportingEntity& entity, const ProfileParts& parts) {
  v1::CountryProfile profile;
  profile.set_name(entity.name());
  *profile.mutable_entity() = entity;
  if (parts.legislation.ok()) {
    *profile.mutable_legislation() = *parts.legislation;
  } else if (parts.legislation.status().code() != absl::StatusCode::kNotFound) {
    return SectionFailed("legislation", entity.name(),
                         parts.legislation.status());
  }
  if (!parts.measures.ok()) {
    return SectionFailed("assistance", entity.name(), parts.measures.status());
  }
  for (const auto& m : *parts.measures) *profile.add_assistance_measures() = m;
  if (!parts.coordination.ok()) {
    return SectionFailed("coordination", entity.name(),
                         parts.coordination.status());
  }
  *profile.mutable_coordination() = *parts.coordination;
  if (!parts.observations.ok()) {
    return SectionFailed("enforcement", entity.name(),
                         parts.observations.status());
  }
  if (parts.observations->empty()) return profile;

  // Series: indicator and breakdown; figures ordered by period.
  std::map<std::pair<std::string, std::string>,
           std::vector<const enforcement::v1::Observation*>>
      series;
  for (const auto& o : *parts.observations) {
    series[{o.indicator(), BreakdownOf(o).SerializeAsString()}].push_back(&o);
  }
  v1::EnforcementSection* section = profile.mutable_enforcement();
  for (auto& [key, figures] : series) {
    std::stable_sort(figures.begin(), figures.end(), [](auto* a, auto* b) {
      const auto ra = RangeOf(a->period());
      const auto rb = RangeOf(b->period());
      return std::tie(ra.first, ra.last) < std::tie(rb.first, rb.last);
    });
    enforcement::v1::Series* s = section->add_series();
    s->set_entity(entity.name());
    s->set_indicator(key.first);
    s->mutable_breakdown()->ParseFromString(key.second);
    const enforcement::v1::Observation* latest = figures.front();
    for (const auto* o : figures) {
      *s->add_observations() = *o;
      const auto r = RangeOf(o->period());
      const auto rl = RangeOf(latest->period());
      if (std::tie(r.last, r.first) > std::tie(rl.last, rl.first)) latest = o;
    }
    *section->add_latest() = *latest;
  }
  return profile;
}

}  // namespace palermo::gateway
