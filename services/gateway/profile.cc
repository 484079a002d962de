#include "services/gateway/profile.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "services/common/bounds.h"
#include "services/common/periods.h"
#include "services/common/status.h"

namespace palermo::gateway {
namespace {

// Room kept for `omitted_sections`: one entry per section (five), each with
// a message of at most kMaxOmittedMessageBytes.
constexpr size_t kMaxOmittedMessageBytes = 1024;
constexpr size_t kOmittedReserve = 5 * (kMaxOmittedMessageBytes + 32);
// The bytes left for sections.
class Budget {
 public:
  explicit Budget(size_t bytes) : left_(bytes) {}
  // Takes room for `part` as a field of the profile (ElementBytes: with its
  // tag and length); false if there is none.
  bool Take(const google::protobuf::Message& part) {
    const size_t cost = ElementBytes(part);
    return TakeBytes(cost);
  }
  // Takes `bytes`; false if there are not that many left.
  bool TakeBytes(size_t bytes) {
    if (bytes > left_) return false;
    left_ -= bytes;
    return true;
  }

 private:
  size_t left_;
};

void Omit(v1::CountryProfile& profile, v1::ProfileSection section,
          const absl::Status& status) {
  v1::OmittedSection* omitted = profile.add_omitted_sections();
  omitted->set_section(section);
  omitted->set_code(static_cast<int32_t>(status.code()));
  omitted->set_message(Abbreviate(status.message(), kMaxOmittedMessageBytes));
}

enforcement::v1::Breakdown BreakdownOf(const enforcement::v1::Observation& o) {
  enforcement::v1::Breakdown b;
  b.set_sex(o.sex());
  b.set_age_group(o.age_group());
  b.set_exploitation_form(o.exploitation_form());
  b.set_citizenship(o.citizenship());
  return b;
}

// Series: indicator and breakdown; figures ordered by period.
v1::EnforcementSection SeriesOf(
    absl::string_view entity,
    const std::vector<enforcement::v1::Observation>& observations) {
  std::map<std::pair<std::string, std::string>,
           std::vector<const enforcement::v1::Observation*>>
      series;
  for (const auto& o : observations) {
    series[{o.indicator(), BreakdownOf(o).SerializeAsString()}].push_back(&o);
  }
  v1::EnforcementSection section;
  for (auto& [key, figures] : series) {
    std::stable_sort(figures.begin(), figures.end(), [](auto* a, auto* b) {
      const auto ra = RangeOf(a->period());
      const auto rb = RangeOf(b->period());
      return std::tie(ra.first, ra.last) < std::tie(rb.first, rb.last);
    });
    enforcement::v1::Series* s = section.add_series();
    s->set_entity(std::string(entity));
    s->set_indicator(key.first);
    s->mutable_breakdown()->ParseFromString(key.second);
    const enforcement::v1::Observation* latest = figures.front();
    for (const auto* o : figures) {
      *s->add_observations() = *o;
      const auto r = RangeOf(o->period());
      const auto rl = RangeOf(latest->period());
      if (std::tie(r.last, r.first) > std::tie(rl.last, rl.first)) latest = o;
    }
    *section.add_latest() = *latest;
  }
  return section;
}

void AddLegislation(const common::v1::ReportingEntity& entity,
                    const absl::StatusOr<legislation::v1::Legislation>& part,
                    Budget& budget, v1::CountryProfile& profile) {
  const auto section = v1::PROFILE_SECTION_LEGISLATION;
  if (!part.ok()) {
    if (part.status().code() != absl::StatusCode::kNotFound) {
      Omit(profile, section, part.status());
    }
    return;
  }
  if (!budget.Take(*part)) {
    Omit(profile, section,
         SectionTooLarge(section, entity.name(), "the record is left out"));
    return;
  }
  *profile.mutable_legislation() = *part;
}

void AddEnforcement(
    const common::v1::ReportingEntity& entity,
    const absl::StatusOr<std::vector<enforcement::v1::Observation>>& part,
    Budget& budget, v1::CountryProfile& profile) {
  const auto section = v1::PROFILE_SECTION_ENFORCEMENT;
  if (!part.ok()) {
    Omit(profile, section, part.status());
    return;
  }
  if (part->empty()) return;
  v1::EnforcementSection all = SeriesOf(entity.name(), *part);
  // The section's own tag and length, which grows as series are added: a
  // one-byte tag and a length varint of at most 5 bytes.
  if (!budget.TakeBytes(6)) {
    Omit(profile, section,
         SectionTooLarge(section, entity.name(), "every series is left out"));
    return;
  }
  v1::EnforcementSection* out = profile.mutable_enforcement();
  for (int i = 0; i < all.series_size(); ++i) {
    if (!budget.Take(all.series(i)) || !budget.Take(all.latest(i))) {
      Omit(profile, section,
           SectionTooLarge(section, entity.name(),
                           absl::StrCat(i, " of ", all.series_size(),
                                        " series are included")));
      return;
    }
    *out->add_series() = std::move(*all.mutable_series(i));
    *out->add_latest() = std::move(*all.mutable_latest(i));
  }
}

// A section made of whole records (measures, responses): those that fit
// the budget, and the section named as cut when one does not.
template <typename Record>
void AddEach(const common::v1::ReportingEntity& entity,
             const absl::StatusOr<std::vector<Record>>& part,
             v1::ProfileSection section, absl::string_view noun,
             google::protobuf::RepeatedPtrField<Record>* out, Budget& budget,
             v1::CountryProfile& profile) {
  if (!part.ok()) {
    Omit(profile, section, part.status());
    return;
  }
  for (size_t i = 0; i < part->size(); ++i) {
    if (!budget.Take((*part)[i])) {
      Omit(profile, section,
           SectionTooLarge(section, entity.name(),
                           absl::StrCat("the first ", i, " of ", part->size(),
                                        " ", noun, " are included")));
      return;
    }
    *out->Add() = (*part)[i];
  }
}

void AddCoordination(
    const common::v1::ReportingEntity& entity,
    const absl::StatusOr<coordination::v1::EntityCoordination>& part,
    Budget& budget, v1::CountryProfile& profile) {
  const auto section = v1::PROFILE_SECTION_COORDINATION;
  if (!part.ok()) {
    Omit(profile, section, part.status());
    return;
  }
  if (!budget.Take(*part)) {
    Omit(profile, section,
         SectionTooLarge(section, entity.name(), "the section is left out"));
    return;
  }
  *profile.mutable_coordination() = *part;
  // The coordination service stopped adding records at its own bound.
  if (part->truncated()) {
    Omit(profile, section,
         SectionTooLarge(section, entity.name(),
                         "only the records that fit are here"));
  }
}

}  // namespace

absl::Status SectionTooLarge(v1::ProfileSection section,
                             absl::string_view entity,
                             absl::string_view detail) {
  absl::string_view what, where;
  switch (section) {
    case v1::PROFILE_SECTION_LEGISLATION:
      what = "legislation";
      where = "palermo.legislation.v1.LegislationService.GetLegislation";
      break;
    case v1::PROFILE_SECTION_ENFORCEMENT:
      what = "enforcement";
      where = "palermo.enforcement.v1.EnforcementService.ListObservations";
      break;
    case v1::PROFILE_SECTION_ASSISTANCE:
      what = "assistance";
      where = "palermo.assistance.v1.AssistanceService.ListMeasures";
      break;
    case v1::PROFILE_SECTION_RESPONSES:
      what = "responses";
      where =
          "palermo.reporting.v1.ReportingService.ListResponses (parent "
          "cycles/-, filter on entity)";
      break;
    default:
      what = "coordination";
      where =
          "palermo.coordination.v1.CoordinationService.GetEntityCoordination "
          "or the coordination List methods";
      break;
  }
  return absl::ResourceExhaustedError(absl::StrCat(
      "the ", what, " section of ", entity, " does not fit in a profile (",
      kMaxResponseBytes, " bytes): ", detail, "; read it whole with ", where));
}

v1::CountryProfile ComposeProfile(const common::v1::ReportingEntity& entity,
                                  const ProfileParts& parts, size_t max_bytes) {
  v1::CountryProfile profile;
  profile.set_name(entity.name());
  *profile.mutable_entity() = entity;
  const size_t used = profile.ByteSizeLong() + kOmittedReserve;
  Budget budget(max_bytes > used ? max_bytes - used : 0);
  AddLegislation(entity, parts.legislation, budget, profile);
  AddEnforcement(entity, parts.observations, budget, profile);
  AddEach(entity, parts.measures, v1::PROFILE_SECTION_ASSISTANCE, "measures",
          profile.mutable_assistance_measures(), budget, profile);
  AddCoordination(entity, parts.coordination, budget, profile);
  AddEach(entity, parts.responses, v1::PROFILE_SECTION_RESPONSES, "responses",
          profile.mutable_responses(), budget, profile);
  return profile;
}

}  // namespace palermo::gateway
