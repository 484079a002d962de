// The legislation store on PostgreSQL (postgres_legislation_store.h).
#include "services/legislation/postgres_legislation_store.h"

#include <google/protobuf/util/time_util.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "services/common/postgres_requests.h"

namespace palermo::legislation {
namespace {

using google::protobuf::util::TimeUtil;
using postgres::Connection;
using postgres::Param;
using postgres::Result;

// Explicit versions of this dialect's schema, never renumbered.
std::vector<postgres::Migration> Migrations() {
  return {
      {1,
       // Records are stored as serialised protos: the domain filters and
       // validates them, SQL only keys and orders them. Names compare
       // bytewise (COLLATE "C"), as on SQLite.
       "CREATE TABLE legislation ("
       "  name text COLLATE \"C\" PRIMARY KEY,"
       "  revision bigint NOT NULL,"
       "  deleted boolean NOT NULL DEFAULT false,"
       "  record bytea NOT NULL);"
       "CREATE TABLE legislation_revisions ("
       "  name text COLLATE \"C\" NOT NULL,"
       "  revision bigint NOT NULL,"
       "  change_kind integer NOT NULL,"
       "  actor text NOT NULL,"
       "  change_time timestamptz NOT NULL,"
       "  changed_fields text NOT NULL,"
       "  snapshot bytea NOT NULL,"
       "  PRIMARY KEY (name, revision));" +
           std::string(kPostgresRequestsTableSql)},
      PostgresChangeLogMigration(2),
  };
}

absl::Status Corrupt(absl::string_view what, absl::string_view name) {
  return absl::DataLossError(
      absl::StrCat("cannot parse stored ", what, " of ", name));
}

// The compare-and-swap: writes the record at `expected + 1` if its revision
// is still `expected`. A concurrent writer of the same row is waited for,
// and its commit makes the condition false. False if it did not hold.
absl::StatusOr<bool> SwapRecord(Connection& conn, const Write& write,
                                const std::string& record) {
  const Param deleted =
      Param::Text(write.kind == v1::CHANGE_KIND_DELETE ? "true" : "false");
  absl::StatusOr<Result> written =
      write.expected_revision == 0
          ? conn.Execute(
                "INSERT INTO legislation(name, revision, deleted, record)"
                " VALUES ($1, 1, $2::boolean, $3)"
                " ON CONFLICT (name) DO NOTHING",
                {Param::Text(write.name), deleted, Param::Bytes(record)})
          : conn.Execute(
                "UPDATE legislation SET revision = revision + 1,"
                " deleted = $3::boolean, record = $4"
                " WHERE name = $1 AND revision = $2::bigint",
                {Param::Text(write.name), Param::Int(write.expected_revision),
                 deleted, Param::Bytes(record)});
  if (!written.ok()) return written.status();
  return written->affected() == 1;
}

absl::Status ConcurrentChange(Connection& conn, const Write& write) {
  absl::StatusOr<Result> current = conn.Execute(
      "SELECT revision FROM legislation WHERE name = $1",
      {Param::Text(write.name)});
  if (!current.ok()) return current.status();
  const int64_t revision = current->rows() == 0 ? 0 : current->Int(0, 0);
  return absl::AbortedError(
      absl::StrCat(write.name, " changed concurrently (revision ", revision,
                   ", expected ", write.expected_revision, ")"));
}

}  // namespace

absl::StatusOr<std::unique_ptr<PostgresLegislationStore>>
PostgresLegislationStore::Open(const postgres::Options& options,
                               int64_t change_log_retain) {
  absl::StatusOr<std::unique_ptr<postgres::Pool>> pool =
      postgres::Pool::Open(options, Migrations());
  if (!pool.ok()) return pool.status();
  absl::StatusOr<std::unique_ptr<PostgresChangeLog>> changes =
      PostgresChangeLog::Over(**pool, {change_log_retain});
  if (!changes.ok()) return changes.status();
  return std::unique_ptr<PostgresLegislationStore>(
      new PostgresLegislationStore(*std::move(pool), *std::move(changes)));
}

absl::StatusOr<std::optional<StoredRecord>> PostgresLegislationStore::Get(
    absl::string_view name) {
  absl::StatusOr<postgres::Pool::Handle> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  absl::StatusOr<Result> row = (*conn)->Execute(
      "SELECT revision, deleted, record FROM legislation WHERE name = $1",
      {Param::Text(name)});
  if (!row.ok()) return row.status();
  if (row->rows() == 0) return std::nullopt;
  StoredRecord out;
  out.revision = row->Int(0, 0);
  out.deleted = row->Bool(0, 1);
  if (!out.record.ParseFromString(row->Bytes(0, 2))) {
    return Corrupt("record", name);
  }
  return out;
}

absl::StatusOr<std::vector<StoredRecord>> PostgresLegislationStore::ListLive(
    absl::string_view after_name) {
  absl::StatusOr<postgres::Pool::Handle> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  absl::StatusOr<Result> rows = (*conn)->Execute(
      "SELECT name, revision, record FROM legislation"
      " WHERE NOT deleted AND name > $1 COLLATE \"C\""
      " ORDER BY name COLLATE \"C\"",
      {Param::Text(after_name)});
  if (!rows.ok()) return rows.status();
  std::vector<StoredRecord> out;
  out.reserve(rows->rows());
  for (int i = 0; i < rows->rows(); ++i) {
    StoredRecord& r = out.emplace_back();
    r.revision = rows->Int(i, 1);
    if (!r.record.ParseFromString(rows->Bytes(i, 2))) {
      return Corrupt("record", rows->Text(i, 0));
    }
  }
  return out;
}

absl::StatusOr<ApplyResult> PostgresLegislationStore::Apply(
    const Write& write) {
  const std::string record = write.record.SerializeAsString();
  ApplyResult result;
  absl::Status status = pool_->InTransaction([&](Connection& conn)
                                                 -> absl::Status {
    result = ApplyResult{};
    if (!write.request_id.empty()) {
      // First, so that a retry racing the first call waits for it and then
      // learns it was committed, instead of failing on the revision.
      absl::StatusOr<bool> claimed =
          TryStoreRequest(conn, write.request_id, write.request);
      if (!claimed.ok()) return claimed.status();
      if (!*claimed) {
        absl::StatusOr<std::optional<StoredRequest>> earlier =
            FindStoredRequest(conn, write.request_id);
        if (!earlier.ok()) return earlier.status();
        if (!earlier->has_value()) {
          return absl::InternalError("storage error: a request id vanished");
        }
        result.earlier = **std::move(earlier);
        return absl::OkStatus();  // nothing written
      }
    }

    absl::StatusOr<bool> swapped = SwapRecord(conn, write, record);
    if (!swapped.ok()) return swapped.status();
    if (!*swapped) return ConcurrentChange(conn, write);
    result.revision = write.expected_revision + 1;

    absl::StatusOr<Result> revision = conn.Execute(
        // The time goes as microseconds, exact.
        "INSERT INTO legislation_revisions(name, revision, change_kind,"
        " actor, change_time, changed_fields, snapshot)"
        " VALUES ($1, $2::bigint, $3::integer, $4,"
        "   'epoch'::timestamptz + $5::bigint * interval '1 microsecond',"
        "   $6, $7)",
        {Param::Text(write.name), Param::Int(result.revision),
         Param::Int(int64_t{write.kind}), Param::Text(write.actor),
         Param::Int(absl::ToUnixMicros(write.time)),
         Param::Text(absl::StrJoin(write.changed_fields, ",")),
         Param::Bytes(record)});
    if (!revision.ok()) return revision.status();

    std::vector<ChangeEntry> entries(1);
    entries[0].resource = write.name;
    entries[0].revision = result.revision;
    entries[0].type = ChangeTypeOf(write.kind);
    absl::StatusOr<PostgresChangeLog::Appended> appended =
        changes_->Append(conn, entries);
    if (!appended.ok()) return appended.status();
    result.sequence = appended->sequence;
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (result.sequence != 0) changes_->Committed();
  return result;
}

absl::StatusOr<std::optional<StoredRequest>>
PostgresLegislationStore::FindRequest(absl::string_view request_id) {
  absl::StatusOr<postgres::Pool::Handle> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  return FindStoredRequest(**conn, request_id);
}

absl::Status PostgresLegislationStore::RecordRequest(
    absl::string_view request_id, const StoredRequest& request) {
  absl::StatusOr<postgres::Pool::Handle> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  // One statement, its own transaction; a taken id is a unique violation:
  // ALREADY_EXISTS.
  return (*conn)
      ->Execute(
          "INSERT INTO requests(request_id, fingerprint, response)"
          " VALUES ($1, $2, $3)",
          {Param::Text(request_id), Param::Bytes(request.fingerprint),
           Param::Bytes(request.response)})
      .status();
}

absl::StatusOr<std::vector<v1::LegislationRevision>>
PostgresLegislationStore::ListRevisions(absl::string_view name,
                                        int64_t before_revision, int limit) {
  absl::StatusOr<postgres::Pool::Handle> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  absl::StatusOr<Result> rows = (*conn)->Execute(
      "SELECT revision, change_kind, actor, change_time, changed_fields,"
      " snapshot FROM legislation_revisions"
      " WHERE name = $1 AND ($2::bigint = 0 OR revision < $2::bigint)"
      " ORDER BY revision DESC LIMIT $3::bigint",
      {Param::Text(name), Param::Int(before_revision),
       Param::Int(int64_t{limit})});
  if (!rows.ok()) return rows.status();
  std::vector<v1::LegislationRevision> out;
  out.reserve(rows->rows());
  for (int i = 0; i < rows->rows(); ++i) {
    v1::LegislationRevision& r = out.emplace_back();
    r.set_name(std::string(name));
    r.set_revision_id(rows->Int(i, 0));
    r.set_change_kind(static_cast<v1::ChangeKind>(rows->Int(i, 1)));
    r.set_actor(rows->Text(i, 2));
    *r.mutable_change_time() = TimeUtil::MicrosecondsToTimestamp(
        absl::ToUnixMicros(rows->Time(i, 3)));
    for (absl::string_view f :
         absl::StrSplit(rows->Text(i, 4), ',', absl::SkipEmpty())) {
      r.add_changed_fields(std::string(f));
    }
    if (!r.mutable_snapshot()->ParseFromString(rows->Bytes(i, 5))) {
      return Corrupt("revision", name);
    }
  }
  return out;
}

}  // namespace palermo::legislation
