// The enforcement store on SQLite (sqlite_enforcement_store.h).
#include "services/enforcement/sqlite_enforcement_store.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "services/common/sqlite_requests.h"
#include "services/enforcement/indicator_seed.h"

namespace palermo::enforcement {
namespace {

using google::protobuf::util::TimeUtil;

std::vector<sqlite::Migration> Migrations() {
  return {
      {1,
       "CREATE TABLE indicators ("
       "  code TEXT PRIMARY KEY,"
       "  display_name TEXT NOT NULL,"
       "  description TEXT NOT NULL,"
       "  unit TEXT NOT NULL);"
       // One row per version. valid_to_us is NULL for the current version;
       // as-of reads pick the version valid at that time.
       "CREATE TABLE observations ("
       "  name TEXT NOT NULL,"
       "  revision INTEGER NOT NULL,"
       "  entity TEXT NOT NULL,"
       "  indicator TEXT NOT NULL,"
       "  first_day INTEGER NOT NULL,"
       "  last_day INTEGER NOT NULL,"
       // Bit set of the dimensions broken down (see DimensionsMask).
       "  dims_mask INTEGER NOT NULL,"
       "  valid_from_us INTEGER NOT NULL,"
       "  valid_to_us INTEGER,"
       "  record BLOB NOT NULL,"
       "  PRIMARY KEY (name, revision)) WITHOUT ROWID;"
       // Names start with the entity, so the primary key also serves reads
       // by entity; aggregates read by indicator and breakdown.
       "CREATE INDEX observations_by_indicator ON observations(indicator, "
       "dims_mask, name);" +
           std::string(kRequestsTableSql)},
      // The seed is data, not schema (indicator_seed.h).
      {2, IndicatorSeedSteps()[0]},
      {3, IndicatorSeedSteps()[1]},
      {4, IndicatorSeedSteps()[2]},
      // The change log (issue 11). A database written before it keeps its
      // commit times: the next goes on after its versions'.
      {5, ChangeLogMigration(5).sql +
              "UPDATE change_counter SET last_commit_micros = (SELECT"
              " COALESCE(MAX(MAX(valid_from_us), MAX(COALESCE(valid_to_us,"
              " 0))), 0) FROM observations);"},
  };
}

// The stored form: the observation without its output-only fields.
// Rows arrive with their output-only fields clear (WriteBatch's contract).
std::string Content(const v1::Observation& o) {
  std::string out;
  o.SerializeToString(&out);
  return out;
}

absl::Status Corrupt(absl::string_view name) {
  return absl::DataLossError(absl::StrCat("cannot parse stored ", name));
}

}  // namespace

absl::StatusOr<std::unique_ptr<SqliteEnforcementStore>>
SqliteEnforcementStore::Open(const std::string& path,
                             const ChangeLogOptions& log_options) {
  auto db = sqlite::Database::Open(path, Migrations());
  if (!db.ok()) return db.status();
  auto log = SqliteChangeLog::Over(**db, log_options);
  if (!log.ok()) return log.status();
  return std::unique_ptr<SqliteEnforcementStore>(
      new SqliteEnforcementStore(*std::move(db), *std::move(log)));
}

absl::StatusOr<std::vector<v1::Indicator>>
SqliteEnforcementStore::ListIndicators() {
  auto lock = db_->Lock();
  auto stmt = db_->Prepare(
      "SELECT code, display_name, description, unit, kind FROM indicators"
      " ORDER BY code");
  if (!stmt.ok()) return stmt.status();
  std::vector<v1::Indicator> out;
  while (true) {
    absl::StatusOr<bool> row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    v1::Indicator& i = out.emplace_back();
    i.set_code(stmt->ColumnText(0));
    i.set_name(absl::StrCat("indicators/", i.code()));
    i.set_display_name(stmt->ColumnText(1));
    i.set_description(stmt->ColumnText(2));
    i.set_unit(stmt->ColumnText(3));
    i.set_kind(static_cast<v1::IndicatorKind>(stmt->ColumnInt(4)));
  }
  return out;
}

absl::StatusOr<int64_t> SqliteEnforcementStore::CreateIndicator(
    const v1::Indicator& i) {
  int64_t sequence = 0;
  {
    auto lock = db_->Lock();
    absl::StatusOr<sqlite::Transaction> txn = sqlite::Transaction::Begin(*db_);
    if (!txn.ok()) return txn.status();
    auto stmt = db_->Prepare(
        "INSERT INTO indicators(code, display_name, description, unit, kind)"
        " VALUES (?, ?, ?, ?, ?)");
    if (!stmt.ok()) return stmt.status();
    if (absl::Status s =
            stmt->Bind(1, i.code())
                .Bind(2, i.display_name())
                .Bind(3, i.description())
                .Bind(4, i.unit())
                .Bind(5, int64_t{i.kind() == v1::INDICATOR_KIND_STOCK
                                     ? v1::INDICATOR_KIND_STOCK
                                     : v1::INDICATOR_KIND_FLOW})
                .Run();
        !s.ok()) {
      return s;
    }
    std::vector<ChangeEntry> created(1);
    created[0].resource = absl::StrCat("indicators/", i.code());
    created[0].revision = 1;
    created[0].type = common::v1::CHANGE_TYPE_CREATED;
    absl::StatusOr<SqliteChangeLog::Appended> appended = log_->Append(created);
    if (!appended.ok()) return appended.status();
    if (absl::Status s = txn->Commit(); !s.ok()) return s;
    sequence = appended->sequence;
  }
  log_->Committed();
  return sequence;
}

absl::StatusOr<std::vector<v1::Observation>> SqliteEnforcementStore::Query(
    const ObservationQuery& q) {
  std::string sql =
      "SELECT name, revision, valid_from_us, record FROM observations WHERE ";
  if (q.as_of.has_value()) {
    sql += "valid_from_us <= ?1 AND (valid_to_us IS NULL OR valid_to_us > ?1)";
  } else {
    sql += "valid_to_us IS NULL";
  }
  // `{entity}/observations/...`: the names of one entity lie between
  // "{entity}/" and "{entity}0" ('0' follows '/').
  if (!q.entity.empty()) sql += " AND name >= ?2 || '/' AND name < ?2 || '0'";
  if (!q.indicator.empty()) sql += " AND indicator = ?3";
  if (!q.name.empty()) sql += " AND name = ?4";
  if (q.overlaps.has_value()) sql += " AND first_day <= ?5 AND last_day >= ?6";
  if (q.dims_mask.has_value()) sql += " AND dims_mask = ?9";
  sql += " AND name > ?7 ORDER BY name";
  if (q.limit > 0) sql += " LIMIT ?8";

  auto lock = db_->Lock();
  auto stmt = db_->Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  if (q.as_of.has_value()) stmt->Bind(1, absl::ToUnixMicros(*q.as_of));
  if (!q.entity.empty()) stmt->Bind(2, q.entity);
  if (!q.indicator.empty()) stmt->Bind(3, q.indicator);
  if (!q.name.empty()) stmt->Bind(4, q.name);
  if (q.overlaps.has_value()) {
    stmt->Bind(5, q.overlaps->last).Bind(6, q.overlaps->first);
  }
  stmt->Bind(7, q.after_name);
  if (q.limit > 0) stmt->Bind(8, int64_t{q.limit});
  if (q.dims_mask.has_value()) stmt->Bind(9, int64_t{*q.dims_mask});
  std::vector<v1::Observation> out;
  while (true) {
    absl::StatusOr<bool> row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    v1::Observation& o = out.emplace_back();
    if (!o.ParseFromString(stmt->ColumnBlob(3))) {
      return Corrupt(stmt->ColumnText(0));
    }
    o.set_revision_id(stmt->ColumnInt(1));
    *o.mutable_update_time() =
        TimeUtil::MicrosecondsToTimestamp(stmt->ColumnInt(2));
  }
  return out;
}

absl::StatusOr<std::vector<v1::ObservationRevision>>
SqliteEnforcementStore::Revisions(absl::string_view name,
                                  int64_t before_revision, int limit) {
  auto lock = db_->Lock();
  auto stmt = db_->Prepare(
      "SELECT revision, valid_from_us, valid_to_us, record FROM observations"
      " WHERE name = ? AND (? = 0 OR revision < ?)"
      " ORDER BY revision DESC LIMIT ?");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, name)
      .Bind(2, before_revision)
      .Bind(3, before_revision)
      .Bind(4, int64_t{limit});
  std::vector<v1::ObservationRevision> out;
  while (true) {
    absl::StatusOr<bool> row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    v1::ObservationRevision& r = out.emplace_back();
    v1::Observation* o = r.mutable_observation();
    if (!o->ParseFromString(stmt->ColumnBlob(3))) return Corrupt(name);
    o->set_revision_id(stmt->ColumnInt(0));
    *o->mutable_update_time() =
        TimeUtil::MicrosecondsToTimestamp(stmt->ColumnInt(1));
    if (!stmt->ColumnIsNull(2)) {
      *r.mutable_superseded_time() =
          TimeUtil::MicrosecondsToTimestamp(stmt->ColumnInt(2));
    }
  }
  return out;
}

absl::StatusOr<BatchOutcome> SqliteEnforcementStore::WriteBatch(
    std::vector<v1::Observation>& rows, absl::Time not_before,
    const std::string& request_id, const std::string& fingerprint,
    const std::function<std::string(const BatchOutcome&)>& make_response,
    std::optional<StoredRequest>* earlier) {
  absl::StatusOr<BatchOutcome> outcome;
  {
    auto lock = db_->Lock();
    outcome = WriteBatchLocked(rows, not_before, request_id, fingerprint,
                               make_response, earlier);
  }
  if (outcome.ok() && outcome->created + outcome->revised > 0) {
    log_->Committed();
  }
  return outcome;
}

absl::StatusOr<BatchOutcome> SqliteEnforcementStore::WriteBatchLocked(
    std::vector<v1::Observation>& rows, absl::Time not_before,
    const std::string& request_id, const std::string& fingerprint,
    const std::function<std::string(const BatchOutcome&)>& make_response,
    std::optional<StoredRequest>* earlier) {
  absl::StatusOr<sqlite::Transaction> txn = sqlite::Transaction::Begin(*db_);
  if (!txn.ok()) return txn.status();
  if (!request_id.empty()) {
    absl::StatusOr<std::optional<StoredRequest>> found =
        FindStoredRequest(*db_, request_id);
    if (!found.ok()) return found.status();
    if (found->has_value()) {
      *earlier = *std::move(found);
      absl::StatusOr<int64_t> latest = log_->LatestLocked();
      if (!latest.ok()) return latest.status();
      BatchOutcome outcome;
      outcome.sequence = *latest;
      return outcome;
    }
  }
  // Commit times strictly increase, by any process on the file (the last is
  // in the change counter's row, ours since BEGIN IMMEDIATE): a version
  // never starts before the one it closes, whatever the clock did between
  // two batches. The log's Append below stamps its entries with this time.
  auto last = db_->Prepare(
      "SELECT MAX(last_commit_micros + 1, ?) FROM change_counter WHERE id = 1");
  if (!last.ok()) return last.status();
  last->Bind(1, absl::ToUnixMicros(not_before));
  if (absl::StatusOr<bool> row = last->Step(); !row.ok() || !*row) {
    return row.ok() ? absl::InternalError("change_counter has no row")
                    : row.status();
  }
  const int64_t now_us = last->ColumnInt(0);
  const google::protobuf::Timestamp now =
      TimeUtil::MicrosecondsToTimestamp(now_us);
  // The newest version of the name, current unless superseded.
  auto current = db_->Prepare(
      "SELECT revision, record, valid_from_us, valid_to_us FROM observations"
      " WHERE name = ? ORDER BY revision DESC LIMIT 1");
  auto close = db_->Prepare(
      "UPDATE observations SET valid_to_us = ? WHERE name = ? AND revision = "
      "?");
  auto insert = db_->Prepare(
      "INSERT INTO observations(name, revision, entity, indicator, first_day,"
      " last_day, dims_mask, valid_from_us, valid_to_us, record)"
      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)");
  for (auto* s : {&current, &close, &insert}) {
    if (!s->ok()) return s->status();
  }
  // The first version of a name, skipped if the name has one already.
  auto insert_first = db_->Prepare(
      "INSERT INTO observations(name, revision, entity, indicator, first_day,"
      " last_day, dims_mask, valid_from_us, valid_to_us, record)"
      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?) ON CONFLICT DO NOTHING");
  if (!insert_first.ok()) return insert_first.status();
  BatchOutcome outcome;
  outcome.commit_time = absl::FromUnixMicros(now_us);
  std::vector<ChangeEntry> changes;
  auto logged = [&changes](const v1::Observation& row) {
    ChangeEntry& e = changes.emplace_back();
    e.resource = row.name();
    e.revision = row.revision_id();
    e.type = row.revision_id() == 1 ? common::v1::CHANGE_TYPE_CREATED
                                    : common::v1::CHANGE_TYPE_UPDATED;
  };
  for (v1::Observation& row : rows) {
    const std::string content = Content(row);
    const DayRange range = RangeOf(row.period());
    auto bind = [&](sqlite::Statement& st,
                    int64_t revision) -> sqlite::Statement& {
      st.Reset();
      return st.BindStatic(1, row.name())
          .Bind(2, revision)
          .BindStatic(3, row.entity())
          .BindStatic(4, row.indicator())
          .Bind(5, range.first)
          .Bind(6, range.last)
          .Bind(7, int64_t{DimensionsMask(row)})
          .Bind(8, now_us)
          .BindStatic(9, content, /*blob=*/true);
    };
    // Most rows of a bulk import are new: one B-tree descent settles them.
    if (absl::Status s = bind(*insert_first, 1).Run(); !s.ok()) return s;
    if (db_->Changes() == 1) {
      ++outcome.created;
      row.set_revision_id(1);
      *row.mutable_update_time() = now;
      logged(row);
      continue;
    }
    current->Reset();
    current->BindStatic(1, row.name());
    absl::StatusOr<bool> found = current->Step();
    if (!found.ok()) return found.status();
    const int64_t revision = *found ? current->ColumnInt(0) : 0;
    if (*found && current->ColumnIsNull(3)) {
      if (current->ColumnBlob(1) == content) {
        ++outcome.unchanged;
        row.set_revision_id(revision);
        *row.mutable_update_time() =
            TimeUtil::MicrosecondsToTimestamp(current->ColumnInt(2));
        continue;
      }
      close->Reset();
      if (absl::Status s = close->Bind(1, now_us)
                               .Bind(2, row.name())
                               .Bind(3, revision)
                               .Run();
          !s.ok()) {
        return s;
      }
    }
    ++outcome.revised;
    if (absl::Status s = bind(*insert, revision + 1).Run(); !s.ok()) return s;
    row.set_revision_id(revision + 1);
    *row.mutable_update_time() = now;
    logged(row);
  }
  absl::StatusOr<SqliteChangeLog::Appended> appended =
      log_->Append(changes, outcome.commit_time);
  if (!appended.ok()) return appended.status();
  outcome.sequence = appended->sequence;
  if (!request_id.empty()) {
    if (absl::Status s = StoreRequest(*db_, request_id,
                                      {fingerprint, make_response(outcome)});
        !s.ok()) {
      return s;
    }
  }
  if (absl::Status s = txn->Commit(); !s.ok()) return s;
  return outcome;
}

absl::StatusOr<std::optional<StoredRequest>>
SqliteEnforcementStore::FindRequest(absl::string_view request_id) {
  auto lock = db_->Lock();
  return FindStoredRequest(*db_, request_id);
}

}  // namespace palermo::enforcement
