#include "services/gateway/profile.h"

#include "absl/strings/str_cat.h"

namespace palermo::gateway {

absl::StatusOr<v1::CountryProfile> ComposeProfile(
    const common::v1::ReportingEntity& entity,
    const absl::StatusOr<legislation::v1::Legislation>& legislation) {
  v1::CountryProfile profile;
  profile.set_name(entity.name());
  *profile.mutable_entity() = entity;
  if (legislation.ok()) {
    *profile.mutable_legislation() = *legislation;
  } else if (legislation.status().code() != absl::StatusCode::kNotFound) {
    absl::Status failed(legislation.status().code(),
                        absl::StrCat("legislation section of ", entity.name(),
                                     ": ", legislation.status().message()));
    legislation.status().ForEachPayload(
        [&failed](absl::string_view url, const absl::Cord& payload) {
          failed.SetPayload(url, payload);
        });
    return failed;
  }
  return profile;
}

}  // namespace palermo::gateway
