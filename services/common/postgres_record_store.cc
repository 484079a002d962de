// The record store on PostgreSQL (postgres_record_store.h).
#include "services/common/postgres_record_store.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/postgres_requests.h"
#include "services/common/status.h"

namespace palermo {
namespace {

using postgres::Connection;
using postgres::Param;

// A collection's table in SQL: its name is lower-case letters and '_'
// (checked), quoted so that none is taken for a keyword ("order").
std::string Table(absl::string_view collection) {
  return absl::StrCat("\"", collection, "\"");
}

// The least string above every string starting with `prefix`, in byte
// (code point) order: the prefix with its last code point the next one;
// none if there is no such string or the prefix is not UTF-8.
std::optional<std::string> PrefixEnd(std::string prefix) {
  while (!prefix.empty()) {
    size_t start = prefix.size() - 1;
    while (start > 0 && (static_cast<unsigned char>(prefix[start]) & 0xC0) ==
                            0x80) {
      --start;
    }
    const auto* p = reinterpret_cast<const unsigned char*>(&prefix[start]);
    const size_t len = prefix.size() - start;
    uint32_t cp;
    if (len == 1 && p[0] < 0x80) {
      cp = p[0];
    } else if (len == 2 && (p[0] & 0xE0) == 0xC0) {
      cp = (p[0] & 0x1F) << 6 | (p[1] & 0x3F);
    } else if (len == 3 && (p[0] & 0xF0) == 0xE0) {
      cp = (p[0] & 0x0F) << 12 | (p[1] & 0x3F) << 6 | (p[2] & 0x3F);
    } else if (len == 4 && (p[0] & 0xF8) == 0xF0) {
      cp = (p[0] & 0x07) << 18 | (p[1] & 0x3F) << 12 | (p[2] & 0x3F) << 6 |
           (p[3] & 0x3F);
    } else {
      return std::nullopt;
    }
    prefix.resize(start);
    if (cp >= 0x10FFFF) continue;  // the last code point: carry
    ++cp;
    if (cp == 0xD800) cp = 0xE000;  // no surrogates in UTF-8
    if (cp < 0x80) {
      prefix += static_cast<char>(cp);
    } else if (cp < 0x800) {
      prefix += static_cast<char>(0xC0 | cp >> 6);
      prefix += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      prefix += static_cast<char>(0xE0 | cp >> 12);
      prefix += static_cast<char>(0x80 | (cp >> 6 & 0x3F));
      prefix += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      prefix += static_cast<char>(0xF0 | cp >> 18);
      prefix += static_cast<char>(0x80 | (cp >> 12 & 0x3F));
      prefix += static_cast<char>(0x80 | (cp >> 6 & 0x3F));
      prefix += static_cast<char>(0x80 | (cp & 0x3F));
    }
    return prefix;
  }
  return std::nullopt;
}

// Whether `s` is UTF-8 that PostgreSQL takes as text (no NUL either).
bool IsUtf8Text(absl::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = s[i];
    size_t len;
    uint32_t min;
    if (c == 0) return false;
    if (c < 0x80) {
      ++i;
      continue;
    }
    if ((c & 0xE0) == 0xC0) {
      len = 2, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4, min = 0x10000;
    } else {
      return false;
    }
    if (i + len > s.size()) return false;
    uint32_t cp = c & (0x7F >> len);
    for (size_t k = 1; k < len; ++k) {
      const unsigned char d = s[i + k];
      if ((d & 0xC0) != 0x80) return false;
      cp = cp << 6 | (d & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp < 0xE000)) {
      return false;
    }
    i += len;
  }
  return true;
}

}  // namespace

absl::StatusOr<std::vector<postgres::Migration>>
PostgresRecordStore::Migrations(const RecordSchema& schema) {
  if (absl::Status s = ValidateRecordSchema(schema); !s.ok()) return s;
  std::vector<postgres::Migration> migrations = {
      {schema.requests_version, kPostgresRequestsTableSql},
      PostgresChangeLogMigration(schema.changes_version)};
  for (const CollectionSchema& c : schema.collections) {
    migrations.push_back({c.version, TableSql(c.collection)});
  }
  return migrations;
}

std::string PostgresRecordStore::TableSql(const std::string& collection) {
  return absl::StrCat("CREATE TABLE ", Table(collection),
                      " (name text COLLATE \"C\" PRIMARY KEY,"
                      " revision bigint NOT NULL, record bytea NOT NULL)");
}

absl::StatusOr<std::unique_ptr<PostgresRecordStore>> PostgresRecordStore::Open(
    const postgres::Options& options, const RecordSchema& schema,
    const ChangeLogOptions& log_options) {
  absl::StatusOr<std::vector<postgres::Migration>> migrations =
      Migrations(schema);
  if (!migrations.ok()) return migrations.status();
  absl::StatusOr<std::unique_ptr<postgres::Pool>> pool =
      postgres::Pool::Open(options, *migrations);
  if (!pool.ok()) return pool.status();
  auto changes = PostgresChangeLog::Over(**pool, log_options);
  if (!changes.ok()) return changes.status();
  postgres::Pool* raw = pool->get();
  return std::unique_ptr<PostgresRecordStore>(new PostgresRecordStore(
      *std::move(pool), raw, schema.collections, *std::move(changes)));
}

absl::StatusOr<std::unique_ptr<PostgresRecordStore>> PostgresRecordStore::Over(
    postgres::Pool& pool, const std::vector<CollectionSchema>& collections,
    const ChangeLogOptions& log_options) {
  if (absl::Status s = ValidateCollections(collections); !s.ok()) return s;
  auto changes = PostgresChangeLog::Over(pool, log_options);
  if (!changes.ok()) return changes.status();
  return std::unique_ptr<PostgresRecordStore>(new PostgresRecordStore(
      nullptr, &pool, collections, *std::move(changes)));
}

PostgresRecordStore::PostgresRecordStore(
    std::unique_ptr<postgres::Pool> owned, postgres::Pool* pool,
    const std::vector<CollectionSchema>& collections,
    std::unique_ptr<PostgresChangeLog> changes)
    : owned_(std::move(owned)), pool_(pool), changes_(std::move(changes)) {
  for (const CollectionSchema& c : collections) {
    collections_.emplace(c.collection, c.logged);
  }
}

absl::StatusOr<bool> PostgresRecordStore::CheckCollection(
    absl::string_view collection) const {
  auto it = collections_.find(std::string(collection));
  if (it != collections_.end()) return it->second;
  return absl::InternalError(
      absl::StrCat("no collection ", std::string(collection)));
}

absl::StatusOr<std::optional<StoredRecord>> PostgresRecordStore::Get(
    absl::string_view collection, absl::string_view name) {
  if (auto known = CheckCollection(collection); !known.ok()) {
    return known.status();
  }
  absl::StatusOr<postgres::Pool::Handle> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  absl::StatusOr<postgres::Result> r = (*conn)->Execute(
      absl::StrCat("SELECT revision, record FROM ", Table(collection),
                   " WHERE name = $1"),
      {Param::Text(name)});
  if (!r.ok()) return r.status();
  if (r->rows() == 0) return std::nullopt;
  return StoredRecord{std::string(name), r->Bytes(0, 1), r->Int(0, 0)};
}

absl::StatusOr<std::vector<StoredRecord>> PostgresRecordStore::List(
    absl::string_view collection, absl::string_view prefix,
    absl::string_view after_name, int limit) {
  if (auto known = CheckCollection(collection); !known.ok()) {
    return known.status();
  }
  // A prefix that is not whole UTF-8 characters (names always are) ends in
  // part of one: the range is that of its whole characters, and the bytes
  // are compared.
  absl::string_view head = prefix;
  while (!head.empty() && !IsUtf8Text(head) &&
         prefix.size() - head.size() < 3) {
    head.remove_suffix(1);
  }
  if (!IsUtf8Text(head)) return std::vector<StoredRecord>();  // none match
  if (!IsUtf8Text(after_name)) {
    return absl::InvalidArgumentError("after_name is not UTF-8");
  }
  // The prefix as a range of the primary key (names compare as bytes:
  // COLLATE "C"), so that the index bounds the scan.
  const std::optional<std::string> end = PrefixEnd(std::string(head));
  std::vector<Param> params = {
      Param::Text(after_name), Param::Text(head),
      limit > 0 ? Param::Int(limit) : Param::Null()};
  std::string sql = absl::StrCat(
      "SELECT name, revision, record FROM ", Table(collection),
      " WHERE name > $1 AND name >= $2 AND starts_with(name, $2)"
      " AND length(record) > 0");
  if (end.has_value()) {
    params.push_back(Param::Text(*end));
    absl::StrAppend(&sql, " AND name < $", params.size());
  }
  if (head.size() < prefix.size()) {
    params.push_back(Param::Bytes(prefix));
    absl::StrAppend(&sql, " AND substr(convert_to(name, 'UTF8'), 1, ",
                    prefix.size(), ") = $", params.size());
  }
  absl::StrAppend(&sql, " ORDER BY name LIMIT $3");
  absl::StatusOr<postgres::Pool::Handle> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  absl::StatusOr<postgres::Result> r = (*conn)->Execute(sql, params);
  if (!r.ok()) return r.status();
  std::vector<StoredRecord> out(r->rows());
  for (int i = 0; i < r->rows(); ++i) {
    out[i] = {r->Text(i, 0), r->Bytes(i, 2), r->Int(i, 1)};
  }
  return out;
}

absl::StatusOr<WriteResult> PostgresRecordStore::Commit(
    absl::string_view collection, absl::string_view name,
    int64_t expected_revision, const std::string& request_id,
    const StoredRequest& request, bool deleting,
    const std::function<absl::StatusOr<ChangeEntry>(Connection&, int64_t,
                                                    bool)>& apply) {
  absl::StatusOr<bool> logged = CheckCollection(collection);
  if (!logged.ok()) return logged.status();
  WriteResult result;
  bool written = false;
  absl::Status status = pool_->InTransaction([&](Connection& conn)
                                                 -> absl::Status {
    written = false;
    // The key first: a concurrent retry holding it makes this wait for its
    // end, then find it taken.
    if (!request_id.empty()) {
      absl::StatusOr<bool> stored = TryStoreRequest(conn, request_id, request);
      if (!stored.ok()) return stored.status();
      if (!*stored) {
        absl::StatusOr<std::optional<StoredRequest>> earlier =
            FindStoredRequest(conn, request_id);
        if (!earlier.ok()) return earlier.status();
        if (!earlier->has_value()) {
          return absl::InternalError("request id taken but not found");
        }
        absl::StatusOr<postgres::Result> current = conn.Execute(
            absl::StrCat("SELECT revision FROM ", Table(collection),
                         " WHERE name = $1"),
            {Param::Text(name)});
        if (!current.ok()) return current.status();
        absl::StatusOr<int64_t> latest = changes_->Latest(conn);
        if (!latest.ok()) return latest.status();
        result = {current->rows() ? current->Int(0, 0) : 0, *latest,
                  *std::move(*earlier)};
        return absl::OkStatus();
      }
    }
    // The record's row, locked to the commit (a concurrent writer waits).
    absl::StatusOr<postgres::Result> row = conn.Execute(
        absl::StrCat("SELECT revision, length(record) > 0 FROM ",
                     Table(collection), " WHERE name = $1 FOR UPDATE"),
        {Param::Text(name)});
    if (!row.ok()) return row.status();
    const int64_t revision = row->rows() ? row->Int(0, 0) : 0;
    const bool live = row->rows() && row->Bool(0, 1);
    if (deleting && !live) {
      return absl::NotFoundError(
          absl::StrCat(Abbreviate(name), " does not exist"));
    }
    if (revision != expected_revision) {
      return absl::AbortedError(
          absl::StrCat(Abbreviate(name), " changed concurrently"));
    }
    absl::StatusOr<ChangeEntry> change = apply(conn, revision, live);
    if (!change.ok()) return change.status();
    if (!*logged) {  // no change appended: the latest sequence
      absl::StatusOr<int64_t> latest = changes_->Latest(conn);
      if (!latest.ok()) return latest.status();
      result = {change->revision, *latest, std::nullopt};
      return absl::OkStatus();
    }
    std::vector<ChangeEntry> entries = {*std::move(change)};
    auto appended = changes_->Append(conn, entries);
    if (!appended.ok()) return appended.status();
    result = {entries[0].revision, appended->sequence, std::nullopt};
    written = true;
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (written) changes_->Committed();
  return result;
}

absl::StatusOr<WriteResult> PostgresRecordStore::Put(
    absl::string_view collection, const StoredRecord& record,
    int64_t expected_revision, const std::string& request_id,
    const StoredRequest& request) {
  return Commit(
      collection, record.name, expected_revision, request_id, request,
      /*deleting=*/false,
      [&](Connection& conn, int64_t revision,
          bool live) -> absl::StatusOr<ChangeEntry> {
        // A name not written yet has no row to lock: its primary key
        // decides between concurrent creators, and the revision check in
        // the statement refuses the later one.
        absl::StatusOr<postgres::Result> r = conn.Execute(
            absl::StrCat("INSERT INTO ", Table(collection),
                         " AS t (name, revision, record) VALUES ($1, $2, $3)"
                         " ON CONFLICT (name) DO UPDATE SET"
                         " revision = EXCLUDED.revision,"
                         " record = EXCLUDED.record"
                         " WHERE t.revision = $4"),
            {Param::Text(record.name), Param::Int(revision + 1),
             Param::Bytes(record.record), Param::Int(revision)});
        if (!r.ok()) return r.status();
        if (r->affected() != 1) {
          return absl::AbortedError(
              absl::StrCat(Abbreviate(record.name), " changed concurrently"));
        }
        ChangeEntry change;
        change.resource = record.name;
        change.revision = revision + 1;
        change.type = live ? common::v1::CHANGE_TYPE_UPDATED
                           : common::v1::CHANGE_TYPE_CREATED;
        return change;
      });
}

absl::StatusOr<WriteResult> PostgresRecordStore::Delete(
    absl::string_view collection, absl::string_view name,
    int64_t expected_revision, const std::string& request_id,
    const StoredRequest& request) {
  // A tombstone: the data is erased, the revision goes on, so that an etag
  // of the deleted record never matches one created again under its name.
  return Commit(
      collection, name, expected_revision, request_id, request,
      /*deleting=*/true,
      [&](Connection& conn, int64_t revision,
          bool) -> absl::StatusOr<ChangeEntry> {
        absl::StatusOr<postgres::Result> r = conn.Execute(
            absl::StrCat("UPDATE ", Table(collection),
                         " SET record = '', revision = revision + 1"
                         " WHERE name = $1"),
            {Param::Text(name)});
        if (!r.ok()) return r.status();
        ChangeEntry change;
        change.resource = std::string(name);
        change.revision = revision + 1;
        change.type = common::v1::CHANGE_TYPE_DELETED;
        return change;
      });
}

absl::StatusOr<std::optional<StoredRequest>> PostgresRecordStore::FindRequest(
    const std::string& request_id) {
  absl::StatusOr<postgres::Pool::Handle> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  return FindStoredRequest(**conn, request_id);
}

absl::Status PostgresRecordStore::RecordRequest(const std::string& request_id,
                                                const StoredRequest& request) {
  return pool_->InTransaction([&](Connection& conn) -> absl::Status {
    absl::StatusOr<bool> stored = TryStoreRequest(conn, request_id, request);
    if (!stored.ok()) return stored.status();
    if (!*stored) {
      return absl::AlreadyExistsError(
          absl::StrCat("request id ", Abbreviate(request_id), " taken"));
    }
    return absl::OkStatus();
  });
}

}  // namespace palermo
