// The record store (record_store.h) on embedded SQLite (WAL,
// synchronous=FULL): one table per collection, the requests table
// (sqlite_requests.h) and the change log (sqlite_change_log.h) in one
// database, each write one transaction.
#ifndef PALERMO_SERVICES_COMMON_SQLITE_RECORD_STORE_H_
#define PALERMO_SERVICES_COMMON_SQLITE_RECORD_STORE_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/common/record_schema.h"
#include "services/common/record_store.h"
#include "services/common/sqlite.h"
#include "services/common/sqlite_change_log.h"

namespace palermo {

class SqliteRecordStore : public RecordStore {
 public:
  // Opens (creating or migrating) the database at `path` with the tables
  // `schema` declares, each at its version.
  static absl::StatusOr<std::unique_ptr<SqliteRecordStore>> Open(
      const std::string& path, const RecordSchema& schema,
      const ChangeLogOptions& options = {});
  // The migrations of `schema`'s tables, for Open or for a service that
  // owns its database and adds its own.
  static absl::StatusOr<std::vector<sqlite::Migration>> Migrations(
      const RecordSchema& schema);
  // The DDL of one collection's table.
  static std::string TableSql(const std::string& collection);
  // Over a database whose migrations created the collections' tables
  // (TableSql), the requests table and the change log's (the collections'
  // versions are not used); `db` must outlive the store.
  static absl::StatusOr<std::unique_ptr<SqliteRecordStore>> Over(
      sqlite::Database& db, const std::vector<CollectionSchema>& collections,
      const ChangeLogOptions& options = {});

  absl::StatusOr<std::optional<StoredRecord>> Get(
      absl::string_view collection, absl::string_view name) override;
  absl::StatusOr<std::vector<StoredRecord>> List(absl::string_view collection,
                                                 absl::string_view prefix,
                                                 absl::string_view after_name,
                                                 int limit = 0) override;
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
  // The same log, for a store over a shared database that appends changes
  // of its own.
  SqliteChangeLog& change_log() { return *changes_; }

 private:
  SqliteRecordStore(std::unique_ptr<sqlite::Database> owned,
                    sqlite::Database* db,
                    const std::vector<CollectionSchema>& collections,
                    std::unique_ptr<SqliteChangeLog> changes);
  // Whether `collection` is logged; INTERNAL if the store has none of
  // that name.
  absl::StatusOr<bool> CheckCollection(absl::string_view collection) const;
  // One compare-and-swap write with its idempotency key and its change, in
  // a transaction: `apply` runs once the key is new, the record live if
  // `deleting`, and the revision still the expected one, given the stored
  // revision (0: never written) and whether the record is live; it writes
  // and returns the change, which is appended unless the collection is
  // unlogged.
  absl::StatusOr<WriteResult> Commit(
      absl::string_view collection, absl::string_view name,
      int64_t expected_revision, const std::string& request_id,
      const StoredRequest& request, bool deleting,
      const std::function<absl::StatusOr<ChangeEntry>(int64_t revision,
                                                      bool live)>& apply);

  std::unique_ptr<sqlite::Database> owned_;  // null when Over() another's
  sqlite::Database* db_;
  std::map<std::string, bool> collections_;  // name -> logged
  std::unique_ptr<SqliteChangeLog> changes_;
};

}  // namespace palermo

#endif  // PALERMO_SERVICES_COMMON_SQLITE_RECORD_STORE_H_
