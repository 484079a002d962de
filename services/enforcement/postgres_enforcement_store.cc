// The enforcement store on PostgreSQL (postgres_enforcement_store.h).
#include "services/enforcement/postgres_enforcement_store.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include <spdlog/spdlog.h>
#include "services/common/postgres_change_log.h"
#include "services/common/postgres_requests.h"
#include "services/enforcement/indicator_seed.h"

namespace palermo::enforcement {
namespace {

using google::protobuf::util::TimeUtil;
using postgres::Connection;
using postgres::Param;
using postgres::Result;

std::vector<postgres::Migration> Migrations() {
  return {
      // Names and codes sort by bytes (COLLATE "C"), as on SQLite and in
      // page tokens. Days and times are integers, as on SQLite: days since
      // the epoch (open ends at the int64 bounds), microseconds.
      {1,
       "CREATE TABLE indicators ("
       "  code text COLLATE \"C\" PRIMARY KEY,"
       "  display_name text NOT NULL,"
       "  description text NOT NULL,"
       "  unit text NOT NULL);"
       // One row per version; valid_to_us is NULL for the current one.
       "CREATE TABLE observations ("
       "  name text COLLATE \"C\" NOT NULL,"
       "  revision bigint NOT NULL,"
       "  indicator text COLLATE \"C\" NOT NULL,"
       "  first_day bigint NOT NULL,"
       "  last_day bigint NOT NULL,"
       "  dims_mask integer NOT NULL,"
       "  valid_from_us bigint NOT NULL,"
       "  valid_to_us bigint,"
       "  record bytea NOT NULL,"
       "  PRIMARY KEY (name, revision));"
       // Names start with the entity, so the primary key also serves reads
       // by entity and by name; aggregates read by indicator and breakdown.
       "CREATE INDEX observations_by_indicator"
       "  ON observations (indicator, dims_mask, name);" +
           std::string(kPostgresRequestsTableSql)},
      {2, IndicatorSeedSteps()[0]},
      {3, IndicatorSeedSteps()[1]},
      {4, IndicatorSeedSteps()[2]},
      // The change log; its counter's row also carries the last commit
      // time, and its lock orders the batches of every process.
      PostgresChangeLogMigration(5),
  };
}

// The batch's rows, one transaction long. ord is the row's index.
constexpr char kStagingTableSql[] =
    "CREATE TEMP TABLE IF NOT EXISTS batch_rows ("
    "  ord integer NOT NULL,"
    "  name text COLLATE \"C\" NOT NULL,"
    "  indicator text COLLATE \"C\" NOT NULL,"
    "  first_day bigint NOT NULL,"
    "  last_day bigint NOT NULL,"
    "  dims_mask integer NOT NULL,"
    "  record bytea NOT NULL,"
    // Of the current version, if the name has one.
    "  revision bigint,"
    "  same boolean,"
    "  old_from bigint"
    ") ON COMMIT DELETE ROWS";

absl::Status Corrupt(absl::string_view name) {
  return absl::DataLossError(absl::StrCat("cannot parse stored ", name));
}

// The outcome of a batch replaced by an earlier request's.
BatchOutcome NothingWritten(int64_t latest_sequence) {
  BatchOutcome outcome;
  outcome.sequence = latest_sequence;
  return outcome;
}

// A text[] literal of `values`, each quoted ({"a","b\\"c"}).
std::string TextArray(const std::vector<absl::string_view>& values) {
  std::string out = "{";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ',';
    out += '"';
    for (char c : values[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  out += '}';
  return out;
}

google::protobuf::Timestamp Micros(int64_t us) {
  return TimeUtil::MicrosecondsToTimestamp(us);
}

}  // namespace

PostgresEnforcementStore::PostgresEnforcementStore(
    std::unique_ptr<postgres::Pool> pool, std::unique_ptr<PostgresChangeLog> log)
    : pool_(std::move(pool)), log_(std::move(log)) {}

PostgresEnforcementStore::~PostgresEnforcementStore() = default;

absl::StatusOr<std::unique_ptr<PostgresEnforcementStore>>
PostgresEnforcementStore::Open(const postgres::Options& options,
                               const ChangeLogOptions& log_options) {
  absl::StatusOr<std::unique_ptr<postgres::Pool>> pool =
      postgres::Pool::Open(options, Migrations());
  if (!pool.ok()) return pool.status();
  absl::StatusOr<std::unique_ptr<PostgresChangeLog>> log =
      PostgresChangeLog::Over(**pool, log_options);
  if (!log.ok()) return log.status();
  return std::unique_ptr<PostgresEnforcementStore>(
      new PostgresEnforcementStore(*std::move(pool), *std::move(log)));
}

ChangeLog& PostgresEnforcementStore::Changes() { return *log_; }

absl::StatusOr<std::vector<v1::Indicator>>
PostgresEnforcementStore::ListIndicators() {
  absl::StatusOr<postgres::Pool::Handle> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  absl::StatusOr<Result> rows = (*conn)->Execute(
      "SELECT code, display_name, description, unit, kind FROM indicators"
      " ORDER BY code");
  if (!rows.ok()) return rows.status();
  std::vector<v1::Indicator> out;
  for (int r = 0; r < rows->rows(); ++r) {
    v1::Indicator& i = out.emplace_back();
    i.set_code(rows->Text(r, 0));
    i.set_name(absl::StrCat("indicators/", i.code()));
    i.set_display_name(rows->Text(r, 1));
    i.set_description(rows->Text(r, 2));
    i.set_unit(rows->Text(r, 3));
    i.set_kind(static_cast<v1::IndicatorKind>(rows->Int(r, 4)));
  }
  return out;
}

absl::StatusOr<int64_t> PostgresEnforcementStore::CreateIndicator(
    const v1::Indicator& i) {
  int64_t sequence = 0;
  absl::Status status = pool_->InTransaction([&](Connection& conn) {
    absl::StatusOr<Result> inserted = conn.Execute(
        "INSERT INTO indicators (code, display_name, description, unit, kind)"
        " VALUES ($1, $2, $3, $4, $5)",
        {Param::Text(i.code()), Param::Text(i.display_name()),
         Param::Text(i.description()), Param::Text(i.unit()),
         Param::Int(i.kind() == v1::INDICATOR_KIND_STOCK
                        ? v1::INDICATOR_KIND_STOCK
                        : v1::INDICATOR_KIND_FLOW)});
    if (!inserted.ok()) return inserted.status();
    std::vector<ChangeEntry> created(1);
    created[0].resource = absl::StrCat("indicators/", i.code());
    created[0].revision = 1;
    created[0].type = common::v1::CHANGE_TYPE_CREATED;
    absl::StatusOr<PostgresChangeLog::Appended> appended =
        log_->Append(conn, created);
    if (!appended.ok()) return appended.status();
    sequence = appended->sequence;
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  log_->Committed();
  return sequence;
}

absl::StatusOr<std::vector<v1::Observation>> PostgresEnforcementStore::Query(
    const ObservationQuery& q) {
  std::vector<Param> params;
  auto param = [&params](Param p) {
    params.push_back(std::move(p));
    return absl::StrCat("$", params.size());
  };
  std::string sql =
      "SELECT name, revision, valid_from_us, record FROM observations WHERE ";
  if (q.as_of.has_value()) {
    const std::string at = param(Param::Int(absl::ToUnixMicros(*q.as_of)));
    absl::StrAppend(&sql, "valid_from_us <= ", at,
                    "::bigint AND (valid_to_us IS NULL OR valid_to_us > ", at,
                    "::bigint)");
  } else {
    sql += "valid_to_us IS NULL";
  }
  // `{entity}/observations/...`: the names of one entity lie between
  // "{entity}/" and "{entity}0" ('0' follows '/').
  if (!q.entity.empty()) {
    absl::StrAppend(&sql, " AND name >= ",
                    param(Param::Text(absl::StrCat(q.entity, "/"))),
                    "::text AND name < ",
                    param(Param::Text(absl::StrCat(q.entity, "0"))), "::text");
  }
  if (!q.indicator.empty()) {
    absl::StrAppend(&sql, " AND indicator = ", param(Param::Text(q.indicator)),
                    "::text");
  }
  if (!q.name.empty()) {
    absl::StrAppend(&sql, " AND name = ", param(Param::Text(q.name)), "::text");
  }
  if (q.overlaps.has_value()) {
    absl::StrAppend(&sql, " AND first_day <= ",
                    param(Param::Int(q.overlaps->last)),
                    "::bigint AND last_day >= ",
                    param(Param::Int(q.overlaps->first)), "::bigint");
  }
  if (q.dims_mask.has_value()) {
    absl::StrAppend(&sql, " AND dims_mask = ", param(Param::Int(*q.dims_mask)),
                    "::integer");
  }
  if (!q.after_name.empty()) {
    absl::StrAppend(&sql, " AND name > ", param(Param::Text(q.after_name)),
                    "::text");
  }
  sql += " ORDER BY name";
  if (q.limit > 0) {
    absl::StrAppend(&sql, " LIMIT ", param(Param::Int(q.limit)), "::bigint");
  }
  absl::StatusOr<postgres::Pool::Handle> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  absl::StatusOr<Result> rows = (*conn)->Execute(sql, params);
  if (!rows.ok()) return rows.status();
  std::vector<v1::Observation> out;
  out.reserve(rows->rows());
  for (int r = 0; r < rows->rows(); ++r) {
    v1::Observation& o = out.emplace_back();
    if (!o.ParseFromString(rows->Bytes(r, 3))) return Corrupt(rows->Text(r, 0));
    o.set_revision_id(rows->Int(r, 1));
    *o.mutable_update_time() = Micros(rows->Int(r, 2));
  }
  return out;
}

absl::StatusOr<std::vector<v1::ObservationRevision>>
PostgresEnforcementStore::Revisions(absl::string_view name,
                                    int64_t before_revision, int limit) {
  absl::StatusOr<postgres::Pool::Handle> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  absl::StatusOr<Result> rows = (*conn)->Execute(
      "SELECT revision, valid_from_us, valid_to_us, record FROM observations"
      " WHERE name = $1::text AND ($2::bigint = 0 OR revision < $2::bigint)"
      " ORDER BY revision DESC LIMIT $3::bigint",
      {Param::Text(name), Param::Int(before_revision), Param::Int(limit)});
  if (!rows.ok()) return rows.status();
  std::vector<v1::ObservationRevision> out;
  for (int r = 0; r < rows->rows(); ++r) {
    v1::ObservationRevision& revision = out.emplace_back();
    v1::Observation* o = revision.mutable_observation();
    if (!o->ParseFromString(rows->Bytes(r, 3))) return Corrupt(name);
    o->set_revision_id(rows->Int(r, 0));
    *o->mutable_update_time() = Micros(rows->Int(r, 1));
    if (!rows->IsNull(r, 2)) {
      *revision.mutable_superseded_time() = Micros(rows->Int(r, 2));
    }
  }
  return out;
}

absl::StatusOr<bool> PostgresEnforcementStore::AllNew(
    Connection& conn, const std::vector<v1::Observation>& rows) {
  std::vector<absl::string_view> names;
  names.reserve(rows.size());
  for (const v1::Observation& row : rows) names.push_back(row.name());
  // One probe of the primary key a name (an index scan over the sorted
  // array), stopping at the first found.
  absl::StatusOr<Result> found = conn.Execute(
      "SELECT EXISTS (SELECT 1 FROM observations"
      " WHERE name = ANY($1::text[]))",
      {Param::Text(TextArray(names))});
  if (!found.ok()) return found.status();
  return !found->Bool(0, 0);
}

absl::Status PostgresEnforcementStore::Stage(
    Connection& conn, const std::vector<v1::Observation>& rows,
    const std::vector<std::string>& contents) {
  if (absl::Status s = conn.Exec(kStagingTableSql); !s.ok()) return s;
  absl::StatusOr<postgres::CopyIn> copy = postgres::CopyIn::Begin(
      conn,
      "COPY batch_rows (ord, name, indicator, first_day, last_day, dims_mask,"
      " record) FROM STDIN (FORMAT binary)");
  if (!copy.ok()) return copy.status();
  for (size_t i = 0; i < rows.size(); ++i) {
    const v1::Observation& row = rows[i];
    const DayRange range = RangeOf(row.period());
    copy->Row(7)
        .Int32(static_cast<int32_t>(i))
        .Text(row.name())
        .Text(row.indicator())
        .Int64(range.first)
        .Int64(range.last)
        .Int32(DimensionsMask(row))
        .Bytes(contents[i]);
  }
  return copy->Finish().status();
}

absl::Status PostgresEnforcementStore::CopyFirstVersions(
    Connection& conn, std::vector<v1::Observation>& rows,
    const std::vector<std::string>& contents, int64_t commit_us) {
  absl::StatusOr<postgres::CopyIn> copy = postgres::CopyIn::Begin(
      conn,
      "COPY observations (name, revision, indicator, first_day, last_day,"
      " dims_mask, valid_from_us, record) FROM STDIN (FORMAT binary)");
  if (!copy.ok()) return copy.status();
  const google::protobuf::Timestamp now = Micros(commit_us);
  for (size_t i = 0; i < rows.size(); ++i) {
    v1::Observation& row = rows[i];
    const DayRange range = RangeOf(row.period());
    copy->Row(8)
        .Text(row.name())
        .Int64(1)
        .Text(row.indicator())
        .Int64(range.first)
        .Int64(range.last)
        .Int32(DimensionsMask(row))
        .Int64(commit_us)
        .Bytes(contents[i]);
    row.set_revision_id(1);
    *row.mutable_update_time() = now;
  }
  return copy->Finish().status();
}

absl::Status PostgresEnforcementStore::CompareAndInsert(
    Connection& conn, std::vector<v1::Observation>& rows, int64_t commit_us,
    BatchOutcome& outcome) {
  // The current version of each row's name, if any: one probe of the
  // primary key a row, a plan the planner cannot change (the temporary
  // table has no statistics; a join left to it hashed the whole
  // observations table for each batch, 1.9 s at a million rows against
  // 0.2 s). Big statements, short plans: no JIT.
  if (absl::Status s = conn.Exec("SET LOCAL jit = off"); !s.ok()) return s;
  absl::StatusOr<Result> existing = conn.Execute(
      "WITH found AS (UPDATE batch_rows b SET (revision, same, old_from) ="
      " (SELECT o.revision, o.record = b.record, o.valid_from_us"
      "  FROM observations o WHERE o.name = b.name AND o.valid_to_us IS NULL)"
      " RETURNING b.ord, b.revision, b.same, b.old_from)"
      " SELECT ord, revision, same, old_from FROM found"
      " WHERE revision IS NOT NULL");
  if (!existing.ok()) return existing.status();
  const google::protobuf::Timestamp now = Micros(commit_us);
  for (v1::Observation& row : rows) {
    row.set_revision_id(1);
    *row.mutable_update_time() = now;
  }
  for (int r = 0; r < existing->rows(); ++r) {
    v1::Observation& row = rows[existing->Int(r, 0)];
    const int64_t revision = existing->Int(r, 1);
    if (existing->Bool(r, 2)) {
      ++outcome.unchanged;
      row.set_revision_id(revision);
      *row.mutable_update_time() = Micros(existing->Int(r, 3));
    } else {
      ++outcome.revised;
      row.set_revision_id(revision + 1);
    }
  }
  outcome.created = static_cast<int64_t>(rows.size()) - existing->rows();
  const Param at = Param::Int(commit_us);
  if (outcome.revised > 0) {
    // The versions superseded, by key: a probe each (the planner takes an
    // array parameter for a few rows).
    std::vector<absl::string_view> names;
    std::vector<int64_t> revisions;
    for (const v1::Observation& row : rows) {
      if (row.revision_id() > 1 &&
          TimeUtil::TimestampToMicroseconds(row.update_time()) == commit_us) {
        names.push_back(row.name());
        revisions.push_back(row.revision_id() - 1);
      }
    }
    absl::StatusOr<Result> closed = conn.Execute(
        "UPDATE observations SET valid_to_us = $1::bigint"
        " WHERE (name, revision) IN (SELECT * FROM"
        " unnest($2::text[], $3::bigint[]))",
        {at, Param::Text(TextArray(names)),
         Param::Text(absl::StrCat("{", absl::StrJoin(revisions, ","), "}"))});
    if (!closed.ok()) return closed.status();
    if (closed->affected() != outcome.revised) {
      return absl::InternalError("superseded versions not found");
    }
  }
  if (outcome.created + outcome.revised > 0) {
    absl::StatusOr<Result> inserted = conn.Execute(
        "INSERT INTO observations (name, revision, indicator, first_day,"
        " last_day, dims_mask, valid_from_us, valid_to_us, record)"
        " SELECT name, COALESCE(revision, 0) + 1, indicator, first_day,"
        " last_day, dims_mask, $1::bigint, NULL, record FROM batch_rows"
        " WHERE same IS NOT TRUE",
        {at});
    if (!inserted.ok()) return inserted.status();
  }
  return absl::OkStatus();
}

absl::StatusOr<BatchOutcome> PostgresEnforcementStore::Apply(
    Connection& conn, std::vector<v1::Observation>& rows,
    const std::vector<std::string>& contents, bool staged,
    absl::Time not_before, const std::string& request_id,
    const std::string& fingerprint,
    const std::function<std::string(const BatchOutcome&)>& make_response,
    std::optional<StoredRequest>* earlier, bool* copy_conflicted) {
  // From here to the commit the counter's row is locked: the batches of
  // every process apply one at a time, in the order of their sequences and
  // commit times (what came before ran concurrently).
  absl::StatusOr<Result> counter = conn.Execute(
      "SELECT sequence, GREATEST(last_commit + interval '1 microsecond',"
      " $1::timestamptz) FROM change_counter WHERE id = 1 FOR UPDATE",
      {Param::Time(not_before)});
  if (!counter.ok()) return counter.status();
  if (counter->rows() != 1) return absl::InternalError("no change_counter row");
  BatchOutcome outcome;
  outcome.sequence = counter->Int(0, 0);
  outcome.commit_time = counter->Time(0, 1);
  const int64_t commit_us = absl::ToUnixMicros(outcome.commit_time);
  if (!request_id.empty()) {
    // Under the lock, a batch committed earlier with this id is visible.
    absl::StatusOr<std::optional<StoredRequest>> found =
        FindStoredRequest(conn, request_id);
    if (!found.ok()) return found.status();
    if (found->has_value()) {
      *earlier = *std::move(found);
      return NothingWritten(outcome.sequence);
    }
  }
  if (staged) {
    if (absl::Status s = CompareAndInsert(conn, rows, commit_us, outcome);
        !s.ok()) {
      return s;
    }
  } else {
    // Every name was new when looked up: the first versions go straight
    // into the table. Should another process have written one of the names
    // since, the primary key refuses the copy, and the batch runs again
    // staged (WriteBatch).
    absl::Status s = CopyFirstVersions(conn, rows, contents, commit_us);
    if (s.code() == absl::StatusCode::kAlreadyExists &&
        postgres::SqlState(s) == "23505") {
      *copy_conflicted = true;
    }
    if (!s.ok()) return s;
    outcome.created = static_cast<int64_t>(rows.size());
  }
  if (outcome.created + outcome.revised > 0) {
    // Appended last, at the commit time above: the counter's row is ours.
    std::vector<ChangeEntry> changes;
    changes.reserve(outcome.created + outcome.revised);
    for (const v1::Observation& row : rows) {
      if (TimeUtil::TimestampToMicroseconds(row.update_time()) != commit_us) {
        continue;  // unchanged: its version is older
      }
      ChangeEntry& e = changes.emplace_back();
      e.resource = row.name();
      e.revision = row.revision_id();
      e.type = row.revision_id() == 1 ? common::v1::CHANGE_TYPE_CREATED
                                      : common::v1::CHANGE_TYPE_UPDATED;
    }
    absl::StatusOr<PostgresChangeLog::Appended> appended =
        log_->Append(conn, changes, outcome.commit_time);
    if (!appended.ok()) return appended.status();
    outcome.sequence = appended->sequence;
  }
  if (!request_id.empty()) {
    // The primary key refuses a second batch under one id, should two ever
    // come past the check above: this one is rolled back.
    absl::StatusOr<bool> stored = TryStoreRequest(
        conn, request_id, {fingerprint, make_response(outcome)});
    if (!stored.ok()) return stored.status();
    if (!*stored) return absl::AlreadyExistsError("request id taken");
  }
  return outcome;
}

absl::StatusOr<BatchOutcome> PostgresEnforcementStore::WriteBatch(
    std::vector<v1::Observation>& rows, absl::Time not_before,
    const std::string& request_id, const std::string& fingerprint,
    const std::function<std::string(const BatchOutcome&)>& make_response,
    std::optional<StoredRequest>* earlier) {
  // The stored forms, once, outside the lock (rows arrive with their
  // output-only fields clear).
  std::vector<std::string> contents(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    rows[i].SerializeToString(&contents[i]);
  }
  BatchOutcome outcome;
  bool first_attempt = true;
  bool force_staging = false;
  absl::Status status;
  while (true) {
    bool copy_conflicted = false;
    status = pool_->InTransaction([&](Connection& conn) {
      earlier->reset();
      if (!first_attempt) {
        // Run again (a serialization failure, a name taken meanwhile): as
        // they came.
        for (v1::Observation& row : rows) {
          row.clear_revision_id();
          row.clear_update_time();
        }
      }
      first_attempt = false;
      bool staged = force_staging;
      if (!staged) {
        // The common case of a bulk import: names never written. Looked up
        // before the lock, so as not to hold it longer.
        absl::StatusOr<bool> all_new = AllNew(conn, rows);
        if (!all_new.ok()) return all_new.status();
        staged = !*all_new;
      }
      if (staged) {
        if (absl::Status s = Stage(conn, rows, contents); !s.ok()) return s;
      }
      if (before_lock_for_test_) before_lock_for_test_();
      absl::StatusOr<BatchOutcome> applied =
          Apply(conn, rows, contents, staged, not_before, request_id,
                fingerprint, make_response, earlier, &copy_conflicted);
      if (!applied.ok()) return applied.status();
      outcome = *applied;
      return absl::OkStatus();
    });
    if (!copy_conflicted) break;
    force_staging = true;
  }
  if (status.code() == absl::StatusCode::kAlreadyExists &&
      !request_id.empty()) {
    // The id was taken meanwhile: that request is the answer.
    absl::StatusOr<std::optional<StoredRequest>> found =
        FindRequest(request_id);
    if (!found.ok()) return found.status();
    if (found->has_value()) {
      *earlier = *std::move(found);
      absl::StatusOr<ChangeBounds> bounds = log_->Bounds();
      if (!bounds.ok()) return bounds.status();
      return NothingWritten(bounds->latest);
    }
  }
  if (!status.ok()) return status;
  if (outcome.created + outcome.revised > 0) log_->Committed();
  return outcome;
}

absl::StatusOr<std::optional<StoredRequest>>
PostgresEnforcementStore::FindRequest(absl::string_view request_id) {
  absl::StatusOr<postgres::Pool::Handle> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  return FindStoredRequest(**conn, request_id);
}

}  // namespace palermo::enforcement
