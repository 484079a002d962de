// The schema of a record store (record_store.h), declared once per service
// and dialect-neutral: each table with the explicit migration version that
// creates it, never a position in a list. The SQLite store
// (sqlite_record_store.h) and the PostgreSQL store migrate by the same
// declaration; a collection added later takes the next unused version.
#ifndef PALERMO_SERVICES_COMMON_RECORD_SCHEMA_H_
#define PALERMO_SERVICES_COMMON_RECORD_SCHEMA_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace palermo {

// One collection: its table, created by migration `version`. A collection
// that is not `logged` keeps its writes out of the change log: they append
// no change (a write reports the log's latest sequence), so that no watcher
// of the service's public feed learns its names or counts its writes
// (the victim assistance service's case records).
struct CollectionSchema {
  int version = 0;
  std::string collection;  // lower-case letters and '_' only
  bool logged = true;
};

struct RecordSchema {
  int requests_version = 0;  // creates the requests table (idempotency keys)
  std::vector<CollectionSchema> collections;
  int changes_version = 0;  // creates the change log's tables
};

// Whether `name` may name a collection (it is spliced into SQL as a table
// name): lower-case ASCII letters and '_', not empty.
bool ValidCollectionName(absl::string_view name);

// INVALID_ARGUMENT unless every version is positive and used once and every
// collection name is valid and used once.
absl::Status ValidateRecordSchema(const RecordSchema& schema);

// The collections' names, in declaration order.
std::vector<std::string> CollectionNames(const RecordSchema& schema);

// INVALID_ARGUMENT unless every collection name is valid and used once
// (versions are not checked: for a store over tables another's migrations
// created).
absl::Status ValidateCollections(
    const std::vector<CollectionSchema>& collections);

}  // namespace palermo

#endif  // PALERMO_SERVICES_COMMON_RECORD_SCHEMA_H_
