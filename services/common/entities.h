// Reporting entities: States identified by ISO 3166-1 alpha-3 codes, looked up
// in Debian's iso-codes data, and the few intergovernmental organizations that
// answer the Secretariat without an ISO code.
#ifndef PALERMO_SERVICES_COMMON_ENTITIES_H_
#define PALERMO_SERVICES_COMMON_ENTITIES_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "palermo/common/v1/common.pb.h"

namespace palermo {

class EntityRegistry {
 public:
  // Reads `iso_3166-1.json` from Debian's iso-codes JSON folder.
  static absl::StatusOr<EntityRegistry> Load(const std::string& iso_codes_dir);
  // Load() from the folder given by --iso_codes_dir.
  static absl::StatusOr<EntityRegistry> LoadDefault();

  // Resolves `countries/{alpha3}` or `organizations/{id}`. INVALID_ARGUMENT
  // naming `field` when the name is malformed or the code unknown.
  absl::StatusOr<common::v1::ReportingEntity> Resolve(
      absl::string_view entity_name, absl::string_view field) const;

  // Whether `entity_name` resolves, without building the entity.
  bool Contains(absl::string_view entity_name) const;

  // The entity a bare id names, where a resource spells it without its
  // collection (a cycle's `responses/{entity_id}`, SDMX's REF_AREA):
  // `countries/{id}` when a country has that code, otherwise
  // `organizations/{id}`.
  std::string EntityOfId(absl::string_view id) const;

  size_t country_count() const { return countries_.size(); }
  // Every ISO 3166-1 alpha-3 code, sorted.
  std::vector<std::string> CountryCodes() const;
  // Every organization id (`LAS`, `ICAT`, ...), sorted.
  std::vector<std::string> OrganizationIds() const;

 private:
  absl::flat_hash_map<std::string, common::v1::ReportingEntity> countries_;
  absl::flat_hash_map<std::string, common::v1::ReportingEntity> organizations_;
};

}  // namespace palermo

#endif  // PALERMO_SERVICES_COMMON_ENTITIES_H_
