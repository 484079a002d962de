// The storage contract of services whose resources are documents: keyed
// collections of serialised protobuf records. Each record has a revision for
// compare-and-swap (etags); a deleted record leaves a tombstone so that its
// revision goes on; a write may carry an idempotency key (AIP-155) recorded
// in the same transaction; and every write appends to the service's change
// log (change_log.h) in that transaction too, except a write to a collection
// its schema declares unlogged (record_schema.h), which appends nothing and
// reports the log's latest sequence. Names no database: SQLite
// (sqlite_record_store.h) and PostgreSQL (postgres_record_store.h) implement
// it and pass one contract suite (record_store_contract.h).
#ifndef PALERMO_SERVICES_COMMON_RECORD_STORE_H_
#define PALERMO_SERVICES_COMMON_RECORD_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/common/change_log.h"
#include "services/common/idempotency.h"

namespace palermo {

struct StoredRecord {
  std::string name;
  std::string record;  // serialised message; empty once deleted
  int64_t revision = 0;
  bool deleted() const { return record.empty(); }
};

// What a committed write did.
struct WriteResult {
  int64_t revision = 0;  // the record's revision after the write
  // The change log's sequence of the write (of an unlogged collection's:
  // the latest).
  int64_t sequence = 0;
  // Set, and nothing written, when the request id had been taken (by a
  // concurrent retry): that earlier request.
  std::optional<StoredRequest> earlier;
};

class RecordStore {
 public:
  virtual ~RecordStore() = default;

  // The record, or its tombstone (deleted(), revision kept) once deleted.
  virtual absl::StatusOr<std::optional<StoredRecord>> Get(
      absl::string_view collection, absl::string_view name) = 0;
  // Live records whose name is after `after_name` and starts with `prefix`,
  // in name (byte) order; at most `limit` of them (0: all).
  virtual absl::StatusOr<std::vector<StoredRecord>> List(
      absl::string_view collection, absl::string_view prefix,
      absl::string_view after_name, int limit = 0) = 0;
  // Writes `record` (its revision is expected_revision + 1) if the stored
  // revision is still `expected_revision` (0: never written), else ABORTED;
  // appends a change (CREATED if absent or a tombstone, else UPDATED; none
  // to an unlogged collection) and records the request id, all in one
  // transaction. If the id was taken
  // before, writes nothing and returns it in `earlier`.
  virtual absl::StatusOr<WriteResult> Put(absl::string_view collection,
                                          const StoredRecord& record,
                                          int64_t expected_revision,
                                          const std::string& request_id,
                                          const StoredRequest& request) = 0;
  // Deletes if the stored revision is still `expected_revision`, else
  // ABORTED (NOT_FOUND if there is no live record): erases the record,
  // leaving a tombstone with the next revision, and appends a DELETED change.
  // A request id is recorded as for Put.
  virtual absl::StatusOr<WriteResult> Delete(absl::string_view collection,
                                             absl::string_view name,
                                             int64_t expected_revision,
                                             const std::string& request_id,
                                             const StoredRequest& request) = 0;
  // The write recorded under `request_id`, if any.
  virtual absl::StatusOr<std::optional<StoredRequest>> FindRequest(
      const std::string& request_id) = 0;
  // Records a request that changed nothing (a no-op update), so that its id
  // is taken all the same. ALREADY_EXISTS if it was taken meanwhile.
  virtual absl::Status RecordRequest(const std::string& request_id,
                                     const StoredRequest& request) = 0;

  // The service's change log, written by every write above.
  virtual ChangeLog& Changes() = 0;
};

}  // namespace palermo

#endif  // PALERMO_SERVICES_COMMON_RECORD_STORE_H_
