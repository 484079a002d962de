#include "services/common/records.h"

#include "absl/strings/ascii.h"

namespace palermo {
namespace {

// Table names are spliced into SQL, so they are checked, not trusted.
bool ValidTableName(const std::string& name) {
  bool ok = !name.empty();
  for (char c : name) ok = ok && (absl::ascii_islower(c) || c == '_');
  return ok;
}

// Inside the caller's transaction: whether `request_id` was used before,
// and if so its earlier request in `earlier`.
absl::StatusOr<bool> SeenLocked(sqlite::Database& db,
                                const std::string& request_id,
                                std::optional<StoredRequest>* earlier) {
  if (request_id.empty()) return false;
  auto found = FindStoredRequest(db, request_id);
  if (!found.ok()) return found.status();
  if (!found->has_value()) return false;
  *earlier = *std::move(found);
  return true;
}

}  // namespace

absl::StatusOr<std::unique_ptr<SqliteRecordStore>> SqliteRecordStore::Open(
    const std::string& path, const std::vector<std::string>& collections) {
  // Version 1 is the requests table, version 2 + i collection i: a
  // collection appended to the list later gets its table on the next start.
  std::vector<sqlite::Migration> migrations = {{1, kRequestsTableSql}};
  for (size_t i = 0; i < collections.size(); ++i) {
    if (!ValidTableName(collections[i])) {
      return absl::InvalidArgumentError("bad collection name: " +
                                        collections[i]);
    }
    migrations.push_back({static_cast<int>(i) + 2, TableSql(collections[i])});
  }
  auto db = sqlite::Database::Open(path, migrations);
  if (!db.ok()) return db.status();
  sqlite::Database* raw = db->get();
  return std::unique_ptr<SqliteRecordStore>(new SqliteRecordStore(
      *std::move(db), raw, {collections.begin(), collections.end()}));
}

std::string SqliteRecordStore::TableSql(const std::string& collection) {
  return absl::StrCat("CREATE TABLE ", collection,
                      " (name TEXT PRIMARY KEY, revision INTEGER NOT NULL,"
                      " record BLOB NOT NULL);");
}

absl::StatusOr<std::unique_ptr<SqliteRecordStore>> SqliteRecordStore::Over(
    sqlite::Database& db, const std::vector<std::string>& collections) {
  for (const std::string& c : collections) {
    if (!ValidTableName(c)) {
      return absl::InvalidArgumentError("bad collection name: " + c);
    }
  }
  return std::unique_ptr<SqliteRecordStore>(new SqliteRecordStore(
      nullptr, &db, {collections.begin(), collections.end()}));
}

absl::Status SqliteRecordStore::CheckCollection(
    absl::string_view collection) const {
  if (collections_.count(std::string(collection))) return absl::OkStatus();
  return absl::InternalError(
      absl::StrCat("no collection ", std::string(collection)));
}

absl::StatusOr<std::optional<StoredRecord>> SqliteRecordStore::Get(
    absl::string_view collection, absl::string_view name) {
  if (absl::Status s = CheckCollection(collection); !s.ok()) return s;
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
    absl::string_view after_name) {
  if (absl::Status s = CheckCollection(collection); !s.ok()) return s;
  auto lock = db_->Lock();
  // Names under a prefix lie between the prefix and the prefix followed by
  // byte 0xFF, which no UTF-8 text contains (names compare as bytes).
  auto stmt = db_->Prepare(
      absl::StrCat("SELECT name, revision, record FROM ", collection,
                   " WHERE name > ? AND name >= ? AND name < ?"
                   " AND length(record) > 0 ORDER BY name"));
  if (!stmt.ok()) return stmt.status();
  const std::string upper = absl::StrCat(prefix, "\xff");
  stmt->Bind(1, after_name).Bind(2, prefix).Bind(3, upper);
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

absl::StatusOr<int64_t> SqliteRecordStore::RevisionLocked(
    absl::string_view collection, absl::string_view name) {
  auto stmt = db_->Prepare(
      absl::StrCat("SELECT revision FROM ", collection, " WHERE name = ?"));
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, name);
  absl::StatusOr<bool> row = stmt->Step();
  if (!row.ok()) return row.status();
  return *row ? stmt->ColumnInt(0) : 0;
}

absl::Status SqliteRecordStore::Commit(
    absl::string_view collection, absl::string_view name,
    int64_t expected_revision, const std::string& request_id,
    const StoredRequest& request, std::optional<StoredRequest>* earlier,
    const std::function<absl::Status()>& apply) {
  if (absl::Status s = CheckCollection(collection); !s.ok()) return s;
  auto lock = db_->Lock();
  absl::StatusOr<sqlite::Transaction> txn = sqlite::Transaction::Begin(*db_);
  if (!txn.ok()) return txn.status();
  if (absl::StatusOr<bool> seen = SeenLocked(*db_, request_id, earlier);
      !seen.ok() || *seen) {
    return seen.status();
  }
  absl::StatusOr<int64_t> revision = RevisionLocked(collection, name);
  if (!revision.ok()) return revision.status();
  if (*revision != expected_revision) {
    return absl::AbortedError(
        absl::StrCat(Abbreviate(name), " changed concurrently"));
  }
  if (absl::Status s = apply(); !s.ok()) return s;
  if (!request_id.empty()) {
    if (absl::Status s = StoreRequest(*db_, request_id, request); !s.ok()) {
      return s;
    }
  }
  return txn->Commit();
}

absl::Status SqliteRecordStore::Put(absl::string_view collection,
                                    const StoredRecord& record,
                                    int64_t expected_revision,
                                    const std::string& request_id,
                                    const StoredRequest& request,
                                    std::optional<StoredRequest>* earlier) {
  return Commit(collection, record.name, expected_revision, request_id, request,
                earlier, [&]() -> absl::Status {
                  auto stmt = db_->Prepare(absl::StrCat(
                      "INSERT INTO ", collection,
                      "(name, revision, record) VALUES (?1, ?2, ?3)"
                      " ON CONFLICT(name) DO UPDATE SET revision = ?2,"
                      " record = ?3"));
                  if (!stmt.ok()) return stmt.status();
                  return stmt->Bind(1, record.name)
                      .Bind(2, record.revision)
                      .BindBlob(3, record.record)
                      .Run();
                });
}

absl::StatusOr<std::optional<StoredRequest>> SqliteRecordStore::FindRequest(
    const std::string& request_id) {
  auto lock = db_->Lock();
  return FindStoredRequest(*db_, request_id);
}

absl::Status SqliteRecordStore::Delete(absl::string_view collection,
                                       absl::string_view name,
                                       int64_t expected_revision,
                                       const std::string& request_id,
                                       const StoredRequest& request,
                                       std::optional<StoredRequest>* earlier) {
  // A tombstone: the data is erased, the revision goes on, so that an etag
  // of the deleted record never matches one created again under its name.
  return Commit(collection, name, expected_revision, request_id, request,
                earlier, [&]() -> absl::Status {
                  auto stmt = db_->Prepare(
                      absl::StrCat("UPDATE ", collection,
                                   " SET record = x'', revision = revision + 1"
                                   " WHERE name = ?"));
                  if (!stmt.ok()) return stmt.status();
                  return stmt->Bind(1, name).Run();
                });
}

google::protobuf::FieldMask WrittenFields(
    const google::protobuf::Message& input,
    const google::protobuf::FieldMask& mask,
    const std::set<std::string>& output_only) {
  if (!mask.paths().empty() &&
      !(mask.paths_size() == 1 && mask.paths(0) == "*")) {
    return mask;
  }
  const bool all = !mask.paths().empty();
  google::protobuf::FieldMask written;
  const auto* d = input.GetDescriptor();
  const auto* r = input.GetReflection();
  for (int i = 0; i < d->field_count(); ++i) {
    const auto* f = d->field(i);
    if (output_only.count(f->name())) continue;
    const bool set =
        f->is_repeated() ? r->FieldSize(input, f) > 0 : r->HasField(input, f);
    if (all || set) written.add_paths(f->name());
  }
  return written;
}

}  // namespace palermo
