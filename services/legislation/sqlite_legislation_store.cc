#include "services/legislation/sqlite_legislation_store.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/util/time_util.h"
#include "services/common/sqlite_requests.h"

namespace palermo::legislation {
namespace {

using google::protobuf::util::TimeUtil;

const std::vector<sqlite::Migration>& Migrations() {
  static const auto* migrations = new std::vector<sqlite::Migration>{
      {1,
       // Records are stored as serialised protos: the domain filters and
       // validates them, SQL only keys and orders them.
       "CREATE TABLE legislation ("
       "  name TEXT PRIMARY KEY,"
       "  revision INTEGER NOT NULL,"
       "  deleted INTEGER NOT NULL DEFAULT 0,"
       "  record BLOB NOT NULL);"
       "CREATE TABLE legislation_revisions ("
       "  name TEXT NOT NULL,"
       "  revision INTEGER NOT NULL,"
       "  change_kind INTEGER NOT NULL,"
       "  actor TEXT NOT NULL,"
       "  change_time_us INTEGER NOT NULL,"
       "  changed_fields TEXT NOT NULL,"
       "  snapshot BLOB NOT NULL,"
       "  PRIMARY KEY (name, revision));" +
           std::string(kRequestsTableSql)},
  };
  return *migrations;
}

absl::Status Corrupt(absl::string_view what, absl::string_view name) {
  return absl::DataLossError(
      absl::StrCat("cannot parse stored ", what, " of ", name));
}

}  // namespace

absl::StatusOr<std::unique_ptr<SqliteLegislationStore>>
SqliteLegislationStore::Open(const std::string& path) {
  absl::StatusOr<std::unique_ptr<sqlite::Database>> db =
      sqlite::Database::Open(path, Migrations());
  if (!db.ok()) return db.status();
  return std::unique_ptr<SqliteLegislationStore>(
      new SqliteLegislationStore(*std::move(db)));
}

absl::StatusOr<std::optional<StoredRecord>> SqliteLegislationStore::Get(
    absl::string_view name) {
  auto lock = db_->Lock();
  auto stmt = db_->Prepare(
      "SELECT revision, deleted, record FROM legislation WHERE name = ?");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, name);
  absl::StatusOr<bool> row = stmt->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::nullopt;
  StoredRecord out;
  out.revision = stmt->ColumnInt(0);
  out.deleted = stmt->ColumnInt(1) != 0;
  if (!out.record.ParseFromString(stmt->ColumnBlob(2))) {
    return Corrupt("record", name);
  }
  return out;
}

absl::StatusOr<std::vector<StoredRecord>> SqliteLegislationStore::ListLive(
    absl::string_view after_name) {
  auto lock = db_->Lock();
  auto stmt = db_->Prepare(
      "SELECT name, revision, record FROM legislation"
      " WHERE deleted = 0 AND name > ? ORDER BY name");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, after_name);
  std::vector<StoredRecord> out;
  while (true) {
    absl::StatusOr<bool> row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    StoredRecord r;
    r.revision = stmt->ColumnInt(1);
    if (!r.record.ParseFromString(stmt->ColumnBlob(2))) {
      return Corrupt("record", stmt->ColumnText(0));
    }
    out.push_back(std::move(r));
  }
  return out;
}

absl::StatusOr<ApplyResult> SqliteLegislationStore::Apply(const Write& write) {
  auto lock = db_->Lock();
  absl::StatusOr<sqlite::Transaction> txn = sqlite::Transaction::Begin(*db_);
  if (!txn.ok()) return txn.status();

  if (!write.request_id.empty()) {
    absl::StatusOr<std::optional<StoredRequest>> earlier =
        FindStoredRequest(*db_, write.request_id);
    if (!earlier.ok()) return earlier.status();
    if (earlier->has_value()) return ApplyResult{0, *std::move(earlier)};
  }

  auto current =
      db_->Prepare("SELECT revision FROM legislation WHERE name = ?");
  if (!current.ok()) return current.status();
  current->Bind(1, write.name);
  absl::StatusOr<bool> row = current->Step();
  if (!row.ok()) return row.status();
  const int64_t revision = *row ? current->ColumnInt(0) : 0;
  if (revision != write.expected_revision) {
    return absl::AbortedError(
        absl::StrCat(write.name, " changed concurrently (revision ", revision,
                     ", expected ", write.expected_revision, ")"));
  }
  const int64_t next = revision + 1;
  const std::string record = write.record.SerializeAsString();
  auto upsert = db_->Prepare(
      "INSERT INTO legislation(name, revision, deleted, record)"
      " VALUES (?1, ?2, ?3, ?4)"
      " ON CONFLICT(name) DO UPDATE SET revision = ?2, deleted = ?3,"
      " record = ?4");
  if (!upsert.ok()) return upsert.status();
  upsert->Bind(1, write.name)
      .Bind(2, next)
      .Bind(3, int64_t{write.kind == v1::CHANGE_KIND_DELETE})
      .BindBlob(4, record);
  if (absl::Status s = upsert->Run(); !s.ok()) return s;

  auto revision_row = db_->Prepare(
      "INSERT INTO legislation_revisions(name, revision, change_kind, actor,"
      " change_time_us, changed_fields, snapshot) VALUES (?, ?, ?, ?, ?, ?, "
      "?)");
  if (!revision_row.ok()) return revision_row.status();
  revision_row->Bind(1, write.name)
      .Bind(2, next)
      .Bind(3, int64_t{write.kind})
      .Bind(4, write.actor)
      .Bind(5, absl::ToUnixMicros(write.time))
      .Bind(6, absl::StrJoin(write.changed_fields, ","))
      .BindBlob(7, record);
  if (absl::Status s = revision_row->Run(); !s.ok()) return s;

  if (!write.request_id.empty()) {
    if (absl::Status s = StoreRequest(*db_, write.request_id, write.request);
        !s.ok()) {
      return s;
    }
  }
  if (absl::Status s = txn->Commit(); !s.ok()) return s;
  return ApplyResult{next, std::nullopt};
}

absl::StatusOr<std::optional<StoredRequest>>
SqliteLegislationStore::FindRequest(absl::string_view request_id) {
  auto lock = db_->Lock();
  return FindStoredRequest(*db_, request_id);
}

absl::StatusOr<std::vector<v1::LegislationRevision>>
SqliteLegislationStore::ListRevisions(absl::string_view name,
                                      int64_t before_revision, int limit) {
  auto lock = db_->Lock();
  auto stmt = db_->Prepare(
      "SELECT revision, change_kind, actor, change_time_us, changed_fields,"
      " snapshot FROM legislation_revisions"
      " WHERE name = ? AND (? = 0 OR revision < ?)"
      " ORDER BY revision DESC LIMIT ?");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, name)
      .Bind(2, before_revision)
      .Bind(3, before_revision)
      .Bind(4, int64_t{limit});
  std::vector<v1::LegislationRevision> out;
  while (true) {
    absl::StatusOr<bool> row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    v1::LegislationRevision& r = out.emplace_back();
    r.set_name(std::string(name));
    r.set_revision_id(stmt->ColumnInt(0));
    r.set_change_kind(static_cast<v1::ChangeKind>(stmt->ColumnInt(1)));
    r.set_actor(stmt->ColumnText(2));
    *r.mutable_change_time() =
        TimeUtil::MicrosecondsToTimestamp(stmt->ColumnInt(3));
    for (absl::string_view f :
         absl::StrSplit(stmt->ColumnText(4), ',', absl::SkipEmpty())) {
      r.add_changed_fields(std::string(f));
    }
    if (!r.mutable_snapshot()->ParseFromString(stmt->ColumnBlob(5))) {
      return Corrupt("revision", name);
    }
  }
  return out;
}

absl::Status SqliteLegislationStore::RecordRequest(
    absl::string_view request_id, const StoredRequest& request) {
  auto lock = db_->Lock();
  absl::StatusOr<sqlite::Transaction> txn = sqlite::Transaction::Begin(*db_);
  if (!txn.ok()) return txn.status();
  if (absl::Status s = StoreRequest(*db_, request_id, request); !s.ok()) {
    return s;
  }
  return txn->Commit();
}

}  // namespace palermo::legislation
