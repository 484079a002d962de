// Storage contract of the legislation service. The domain decides; a store
// only keeps records, their revisions, idempotency keys and the change log,
// and makes each write atomic: the compare-and-swap on the revision and the
// request id are checked by the database inside the write's transaction, so
// that several processes may share one database. Names no database: SQLite
// (sqlite_legislation_store.h) and PostgreSQL (postgres_legislation_store.h)
// implement it and pass one contract suite (legislation_store_contract.h).
#ifndef PALERMO_SERVICES_LEGISLATION_LEGISLATION_STORE_H_
#define PALERMO_SERVICES_LEGISLATION_LEGISLATION_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "palermo/common/v1/changes.pb.h"
#include "palermo/legislation/v1/legislation.pb.h"
#include "services/common/change_log.h"
#include "services/common/idempotency.h"

namespace palermo::legislation {

// A record as stored: its last revision number and whether it was deleted
// (a deleted record keeps its revisions and its name's revision sequence).
struct StoredRecord {
  v1::Legislation record;
  int64_t revision = 0;
  bool deleted = false;
};

// One atomic write: the new state of a record, its revision entry, its change
// log entry and, if the request carried one, its idempotency key.
struct Write {
  v1::ChangeKind kind = v1::CHANGE_KIND_UNSPECIFIED;
  std::string name;
  // Compare-and-swap guard: the revision the record must still have (0 for a
  // record that never existed). A mismatch fails with ABORTED.
  int64_t expected_revision = 0;
  v1::Legislation record;  // after the change; before it, for a delete
  std::vector<std::string> changed_fields;
  std::string actor;
  absl::Time time;
  std::string request_id;  // empty: not idempotent
  StoredRequest request;
};

struct ApplyResult {
  int64_t revision = 0;                  // the new revision, if written
  int64_t sequence = 0;                  // the change log's, if written
  std::optional<StoredRequest> earlier;  // set if the request id was taken
};

// The change log's type of a write of `kind`.
inline common::v1::ChangeType ChangeTypeOf(v1::ChangeKind kind) {
  switch (kind) {
    case v1::CHANGE_KIND_CREATE:
      return common::v1::CHANGE_TYPE_CREATED;
    case v1::CHANGE_KIND_DELETE:
      return common::v1::CHANGE_TYPE_DELETED;
    default:
      return common::v1::CHANGE_TYPE_UPDATED;
  }
}

class LegislationStore {
 public:
  virtual ~LegislationStore() = default;

  // The record, deleted or not; nullopt if the name was never written.
  virtual absl::StatusOr<std::optional<StoredRecord>> Get(
      absl::string_view name) = 0;

  // Live records with a name after `after_name`, ordered by name.
  virtual absl::StatusOr<std::vector<StoredRecord>> ListLive(
      absl::string_view after_name) = 0;

  // Applies `write` atomically: record, revision, change log entry (its
  // sequence in the result), request key. If the request id was already
  // committed (a concurrent retry), writes nothing and returns that request
  // in `earlier`. ABORTED if the record's revision is not
  // `expected_revision`. Durable once it returns.
  virtual absl::StatusOr<ApplyResult> Apply(const Write& write) = 0;

  virtual absl::StatusOr<std::optional<StoredRequest>> FindRequest(
      absl::string_view request_id) = 0;

  // Records a request that changed nothing, so that its id is taken all the
  // same. ALREADY_EXISTS if it was taken meanwhile.
  virtual absl::Status RecordRequest(absl::string_view request_id,
                                     const StoredRequest& request) = 0;

  // Revisions of `name` older than `before_revision` (0: from the newest),
  // newest first, at most `limit`.
  virtual absl::StatusOr<std::vector<v1::LegislationRevision>> ListRevisions(
      absl::string_view name, int64_t before_revision, int limit) = 0;

  // The change log every Apply appends to.
  virtual ChangeLog& Changes() = 0;
};

}  // namespace palermo::legislation

#endif  // PALERMO_SERVICES_LEGISLATION_LEGISLATION_STORE_H_
