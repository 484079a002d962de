// The record store on SQLite (sqlite_record_store.h).
#include "services/common/sqlite_record_store.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/sqlite_requests.h"
#include "services/common/status.h"

namespace palermo {

absl::StatusOr<std::vector<sqlite::Migration>> SqliteRecordStore::Migrations(
    const RecordSchema& schema) {
  if (absl::Status s = ValidateRecordSchema(schema); !s.ok()) return s;
  std::vector<sqlite::Migration> migrations = {
      {schema.requests_version, kRequestsTableSql},
      ChangeLogMigration(schema.changes_version)};
  for (const CollectionSchema& c : schema.collections) {
    migrations.push_back({c.version, TableSql(c.collection)});
  }
  return migrations;
}

absl::StatusOr<std::unique_ptr<SqliteRecordStore>> SqliteRecordStore::Open(
    const std::string& path, const RecordSchema& schema,
    const ChangeLogOptions& options) {
  absl::StatusOr<std::vector<sqlite::Migration>> migrations =
      Migrations(schema);
  if (!migrations.ok()) return migrations.status();
  auto db = sqlite::Database::Open(path, *migrations);
  if (!db.ok()) return db.status();
  auto changes = SqliteChangeLog::Over(**db, options);
  if (!changes.ok()) return changes.status();
  sqlite::Database* raw = db->get();
  return std::unique_ptr<SqliteRecordStore>(new SqliteRecordStore(
      *std::move(db), raw, schema.collections, *std::move(changes)));
}

std::string SqliteRecordStore::TableSql(const std::string& collection) {
  return absl::StrCat("CREATE TABLE ", collection,
                      " (name TEXT PRIMARY KEY, revision INTEGER NOT NULL,"
                      " record BLOB NOT NULL);");
}

absl::StatusOr<std::unique_ptr<SqliteRecordStore>> SqliteRecordStore::Over(
    sqlite::Database& db, const std::vector<CollectionSchema>& collections,
    const ChangeLogOptions& options) {
  if (absl::Status s = ValidateCollections(collections); !s.ok()) return s;
  auto changes = SqliteChangeLog::Over(db, options);
  if (!changes.ok()) return changes.status();
  return std::unique_ptr<SqliteRecordStore>(
      new SqliteRecordStore(nullptr, &db, collections, *std::move(changes)));
}

SqliteRecordStore::SqliteRecordStore(
    std::unique_ptr<sqlite::Database> owned, sqlite::Database* db,
    const std::vector<CollectionSchema>& collections,
    std::unique_ptr<SqliteChangeLog> changes)
    : owned_(std::move(owned)), db_(db), changes_(std::move(changes)) {
  for (const CollectionSchema& c : collections) {
    collections_.emplace(c.collection, c.logged);
  }
}

absl::StatusOr<bool> SqliteRecordStore::CheckCollection(
    absl::string_view collection) const {
  auto it = collections_.find(std::string(collection));
  if (it != collections_.end()) return it->second;
  return absl::InternalError(
      absl::StrCat("no collection ", std::string(collection)));
}

absl::StatusOr<std::optional<StoredRecord>> SqliteRecordStore::Get(
    absl::string_view collection, absl::string_view name) {
  if (auto known = CheckCollection(collection); !known.ok()) {
    return known.status();
  }
  auto lock = db_->Lock();
  auto stmt = db_->Prepare(absl::StrCat("SELECT revision, record FROM ",
                                        collection, " WHERE name = ?"));
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, name);
  absl::StatusOr<bool> row = stmt->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::nullopt;
  return StoredRecord{std::string(name), stmt->ColumnBlob(1),
                      stmt->ColumnInt(0)};
}

absl::StatusOr<std::vector<StoredRecord>> SqliteRecordStore::List(
    absl::string_view collection, absl::string_view prefix,
    absl::string_view after_name, int limit) {
  if (auto known = CheckCollection(collection); !known.ok()) {
    return known.status();
  }
  auto lock = db_->Lock();
  // Names under a prefix lie between the prefix and the prefix followed by
  // byte 0xFF, which no UTF-8 text contains (names compare as bytes).
  auto stmt = db_->Prepare(
      absl::StrCat("SELECT name, revision, record FROM ", collection,
                   " WHERE name > ? AND name >= ? AND name < ?"
                   " AND length(record) > 0 ORDER BY name LIMIT ?"));
  if (!stmt.ok()) return stmt.status();
  const std::string upper = absl::StrCat(prefix, "\xff");
  stmt->Bind(1, after_name)
      .Bind(2, prefix)
      .Bind(3, upper)
      .Bind(4, int64_t{limit > 0 ? limit : -1});
  std::vector<StoredRecord> out;
  while (true) {
    absl::StatusOr<bool> row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    out.push_back(
        {stmt->ColumnText(0), stmt->ColumnBlob(2), stmt->ColumnInt(1)});
  }
  return out;
}

absl::StatusOr<WriteResult> SqliteRecordStore::Commit(
    absl::string_view collection, absl::string_view name,
    int64_t expected_revision, const std::string& request_id,
    const StoredRequest& request, bool deleting,
    const std::function<absl::StatusOr<ChangeEntry>(int64_t, bool)>& apply) {
  absl::StatusOr<bool> logged = CheckCollection(collection);
  if (!logged.ok()) return logged.status();
  bool written = false;
  absl::StatusOr<WriteResult> result = [&]() -> absl::StatusOr<WriteResult> {
    auto lock = db_->Lock();
    absl::StatusOr<sqlite::Transaction> txn = sqlite::Transaction::Begin(*db_);
    if (!txn.ok()) return txn.status();
    auto stmt =
        db_->Prepare(absl::StrCat("SELECT revision, length(record) > 0 FROM ",
                                  collection, " WHERE name = ?"));
    if (!stmt.ok()) return stmt.status();
    stmt->Bind(1, name);
    absl::StatusOr<bool> row = stmt->Step();
    if (!row.ok()) return row.status();
    const int64_t revision = *row ? stmt->ColumnInt(0) : 0;
    const bool live = *row && stmt->ColumnInt(1) != 0;
    if (!request_id.empty()) {
      auto earlier = FindStoredRequest(*db_, request_id);
      if (!earlier.ok()) return earlier.status();
      if (earlier->has_value()) {
        absl::StatusOr<int64_t> latest = changes_->LatestLocked();
        if (!latest.ok()) return latest.status();
        return WriteResult{revision, *latest, *std::move(earlier)};
      }
    }
    if (deleting && !live) {
      return absl::NotFoundError(
          absl::StrCat(Abbreviate(name), " does not exist"));
    }
    if (revision != expected_revision) {
      return absl::AbortedError(
          absl::StrCat(Abbreviate(name), " changed concurrently"));
    }
    absl::StatusOr<ChangeEntry> change = apply(revision, live);
    if (!change.ok()) return change.status();
    if (!request_id.empty()) {
      if (absl::Status s = StoreRequest(*db_, request_id, request); !s.ok()) {
        return s;
      }
    }
    if (!*logged) {  // no change appended: the latest sequence
      absl::StatusOr<int64_t> latest = changes_->LatestLocked();
      if (!latest.ok()) return latest.status();
      if (absl::Status s = txn->Commit(); !s.ok()) return s;
      return WriteResult{change->revision, *latest, std::nullopt};
    }
    std::vector<ChangeEntry> entries = {*std::move(change)};
    auto appended = changes_->Append(entries);
    if (!appended.ok()) return appended.status();
    if (absl::Status s = txn->Commit(); !s.ok()) return s;
    written = true;
    return WriteResult{entries[0].revision, appended->sequence, std::nullopt};
  }();
  if (written) changes_->Committed();
  return result;
}

absl::StatusOr<WriteResult> SqliteRecordStore::Put(
    absl::string_view collection, const StoredRecord& record,
    int64_t expected_revision, const std::string& request_id,
    const StoredRequest& request) {
  return Commit(
      collection, record.name, expected_revision, request_id, request,
      /*deleting=*/false,
      [&](int64_t revision, bool live) -> absl::StatusOr<ChangeEntry> {
        auto stmt = db_->Prepare(absl::StrCat(
            "INSERT INTO ", collection,
            "(name, revision, record) VALUES (?1, ?2, ?3)"
            " ON CONFLICT(name) DO UPDATE SET revision = ?2, record = ?3"));
        if (!stmt.ok()) return stmt.status();
        absl::Status s = stmt->Bind(1, record.name)
                             .Bind(2, revision + 1)
                             .BindBlob(3, record.record)
                             .Run();
        if (!s.ok()) return s;
        ChangeEntry change;
        change.resource = record.name;
        change.revision = revision + 1;
        change.type = live ? common::v1::CHANGE_TYPE_UPDATED
                           : common::v1::CHANGE_TYPE_CREATED;
        return change;
      });
}

absl::StatusOr<WriteResult> SqliteRecordStore::Delete(
    absl::string_view collection, absl::string_view name,
    int64_t expected_revision, const std::string& request_id,
    const StoredRequest& request) {
  // A tombstone: the data is erased, the revision goes on, so that an etag
  // of the deleted record never matches one created again under its name.
  return Commit(collection, name, expected_revision, request_id, request,
                /*deleting=*/true,
                [&](int64_t revision, bool) -> absl::StatusOr<ChangeEntry> {
                  auto stmt = db_->Prepare(
                      absl::StrCat("UPDATE ", collection,
                                   " SET record = x'', revision = revision + 1"
                                   " WHERE name = ?"));
                  if (!stmt.ok()) return stmt.status();
                  if (absl::Status s = stmt->Bind(1, name).Run(); !s.ok())
                    return s;
                  ChangeEntry change;
                  change.resource = std::string(name);
                  change.revision = revision + 1;
                  change.type = common::v1::CHANGE_TYPE_DELETED;
                  return change;
                });
}

absl::StatusOr<std::optional<StoredRequest>> SqliteRecordStore::FindRequest(
    const std::string& request_id) {
  auto lock = db_->Lock();
  return FindStoredRequest(*db_, request_id);
}

absl::Status SqliteRecordStore::RecordRequest(const std::string& request_id,
                                              const StoredRequest& request) {
  auto lock = db_->Lock();
  absl::StatusOr<sqlite::Transaction> txn = sqlite::Transaction::Begin(*db_);
  if (!txn.ok()) return txn.status();
  if (absl::Status s = StoreRequest(*db_, request_id, request); !s.ok()) {
    return s;
  }
  return txn->Commit();
}

}  // namespace palermo
