// The record store (record_store.h) on PostgreSQL: one table per collection,
// the requests table (postgres_requests.h) and the change log
// (postgres_change_log.h) in the service's schema, each write one
// transaction. Correct with several processes on one database: the request
// id's primary key makes one write per id, a row lock (or the name's
// primary key, for a record not yet written) makes compare-and-swap exact,
// and the change counter's row orders the commits.
#ifndef PALERMO_SERVICES_COMMON_POSTGRES_RECORD_STORE_H_
#define PALERMO_SERVICES_COMMON_POSTGRES_RECORD_STORE_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/common/postgres.h"
#include "services/common/postgres_change_log.h"
#include "services/common/record_schema.h"
#include "services/common/record_store.h"

namespace palermo {

class PostgresRecordStore : public RecordStore {
 public:
  // Connects (options.dsn, options.schema), creating or migrating the
  // schema's tables as `schema` declares them, each at its version.
  static absl::StatusOr<std::unique_ptr<PostgresRecordStore>> Open(
      const postgres::Options& options, const RecordSchema& schema,
      const ChangeLogOptions& log_options = {});
  // The migrations of `schema`'s tables, for Open or for a service that
  // owns its schema and adds its own.
  static absl::StatusOr<std::vector<postgres::Migration>> Migrations(
      const RecordSchema& schema);
  // The DDL of one collection's table.
  static std::string TableSql(const std::string& collection);
  // Over a pool whose migrations created the collections' tables
  // (TableSql), the requests table and the change log's (the collections'
  // versions are not used); `pool` must outlive the store.
  static absl::StatusOr<std::unique_ptr<PostgresRecordStore>> Over(
      postgres::Pool& pool, const std::vector<CollectionSchema>& collections,
      const ChangeLogOptions& log_options = {});

  absl::StatusOr<std::optional<StoredRecord>> Get(
      absl::string_view collection, absl::string_view name) override;
  absl::StatusOr<std::vector<StoredRecord>> List(
      absl::string_view collection, absl::string_view prefix,
      absl::string_view after_name, int limit = 0) override;
  absl::StatusOr<WriteResult> Put(absl::string_view collection,
                                  const StoredRecord& record,
                                  int64_t expected_revision,
                                  const std::string& request_id,
                                  const StoredRequest& request) override;
  absl::StatusOr<WriteResult> Delete(absl::string_view collection,
                                     absl::string_view name,
                                     int64_t expected_revision,
                                     const std::string& request_id,
                                     const StoredRequest& request) override;
  absl::StatusOr<std::optional<StoredRequest>> FindRequest(
      const std::string& request_id) override;
  absl::Status RecordRequest(const std::string& request_id,
                             const StoredRequest& request) override;
  ChangeLog& Changes() override { return *changes_; }
  // The same log, for a store over a shared schema that appends changes of
  // its own.
  PostgresChangeLog& change_log() { return *changes_; }
  postgres::Pool& pool() { return *pool_; }

 private:
  PostgresRecordStore(std::unique_ptr<postgres::Pool> owned,
                      postgres::Pool* pool,
                      const std::vector<CollectionSchema>& collections,
                      std::unique_ptr<PostgresChangeLog> changes);
  // Whether `collection` is logged; INTERNAL if the store has none of
  // that name.
  absl::StatusOr<bool> CheckCollection(absl::string_view collection) const;
  // One compare-and-swap write with its idempotency key and its change, in
  // a transaction: `apply` runs once the key is taken for this write, the
  // record's row locked (if it exists), live if `deleting`, and its
  // revision still the expected one, given the stored revision (0: never
  // written) and whether the record is live; it writes and returns the
  // change, which is appended unless the collection is unlogged.
  absl::StatusOr<WriteResult> Commit(
      absl::string_view collection, absl::string_view name,
      int64_t expected_revision, const std::string& request_id,
      const StoredRequest& request, bool deleting,
      const std::function<absl::StatusOr<ChangeEntry>(
          postgres::Connection& conn, int64_t revision, bool live)>& apply);

  std::unique_ptr<postgres::Pool> owned_;  // null when Over() another's
  postgres::Pool* pool_;
  std::map<std::string, bool> collections_;  // name -> logged
  std::unique_ptr<PostgresChangeLog> changes_;
};

}  // namespace palermo

#endif  // PALERMO_SERVICES_COMMON_POSTGRES_RECORD_STORE_H_
