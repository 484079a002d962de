// Checks of a record store's declared schema (record_schema.h).
#include "services/common/record_schema.h"

#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace palermo {

bool ValidCollectionName(absl::string_view name) {
  bool ok = !name.empty();
  for (char c : name) ok = ok && (absl::ascii_islower(c) || c == '_');
  return ok;
}

absl::Status ValidateRecordSchema(const RecordSchema& schema) {
  std::set<int> versions;
  auto version = [&versions](int v, absl::string_view what) -> absl::Status {
    if (v <= 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("schema: ", what, " has version ", v, ", not > 0"));
    }
    if (!versions.insert(v).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("schema: version ", v, " used twice (", what, ")"));
    }
    return absl::OkStatus();
  };
  if (absl::Status s = version(schema.requests_version, "requests"); !s.ok()) {
    return s;
  }
  if (absl::Status s = version(schema.changes_version, "changes"); !s.ok()) {
    return s;
  }
  if (absl::Status s = ValidateCollections(schema.collections); !s.ok()) {
    return s;
  }
  for (const CollectionSchema& c : schema.collections) {
    if (absl::Status s = version(c.version, c.collection); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status ValidateCollections(
    const std::vector<CollectionSchema>& collections) {
  std::set<std::string> names;
  for (const CollectionSchema& c : collections) {
    if (!ValidCollectionName(c.collection)) {
      return absl::InvalidArgumentError(
          absl::StrCat("schema: bad collection name \"", c.collection, "\""));
    }
    if (!names.insert(c.collection).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("schema: collection ", c.collection, " twice"));
    }
  }
  return absl::OkStatus();
}

std::vector<std::string> CollectionNames(const RecordSchema& schema) {
  std::vector<std::string> out;
  for (const CollectionSchema& c : schema.collections) {
    out.push_back(c.collection);
  }
  return out;
}

}  // namespace palermo
