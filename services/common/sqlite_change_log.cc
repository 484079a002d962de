// The change log in SQLite (sqlite_change_log.h).
#include "services/common/sqlite_change_log.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"

namespace palermo {

sqlite::Migration ChangeLogMigration(int version) {
  return {version,
          "CREATE TABLE changes ("
          "  sequence INTEGER PRIMARY KEY,"
          "  resource TEXT NOT NULL,"
          "  revision INTEGER NOT NULL,"
          "  type INTEGER NOT NULL,"
          "  commit_time_micros INTEGER NOT NULL);"
          "CREATE TABLE change_counter ("
          "  id INTEGER PRIMARY KEY CHECK (id = 1),"
          "  sequence INTEGER NOT NULL,"
          "  last_commit_micros INTEGER NOT NULL);"
          "INSERT INTO change_counter(id, sequence, last_commit_micros)"
          " VALUES (1, 0, 0);"};
}

absl::StatusOr<std::unique_ptr<SqliteChangeLog>> SqliteChangeLog::Over(
    sqlite::Database& db, const ChangeLogOptions& options) {
  if (options.retain < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "change_log_retain must be at least 1, not ", options.retain));
  }
  return std::unique_ptr<SqliteChangeLog>(new SqliteChangeLog(db, options));
}

SqliteChangeLog::SqliteChangeLog(sqlite::Database& db,
                                 const ChangeLogOptions& options)
    : db_(db),
      retain_(options.retain),
      // An eighth of the kept entries, at most 10,000: a compaction deletes
      // a range of the primary key, rarely.
      compact_every_(std::clamp<int64_t>(options.retain / 8, 1, 10000)) {
  // The first write after a start compacts what an earlier process left.
  since_compaction_ = compact_every_;
}

absl::StatusOr<SqliteChangeLog::Appended> SqliteChangeLog::Append(
    std::vector<ChangeEntry>& entries, absl::Time not_before) {
  if (entries.empty()) {
    absl::StatusOr<int64_t> latest = LatestLocked();
    if (!latest.ok()) return latest.status();
    return Appended{*latest, not_before};
  }
  // The counter's row first, as on PostgreSQL where its lock orders the
  // commits: the sequences and the commit time both follow the last commit.
  auto counter = db_.Prepare(
      "UPDATE change_counter SET sequence = sequence + ?1,"
      " last_commit_micros = MAX(last_commit_micros + 1, ?2)"
      " WHERE id = 1 RETURNING sequence, last_commit_micros");
  if (!counter.ok()) return counter.status();
  counter->Bind(1, static_cast<int64_t>(entries.size()))
      .Bind(2, absl::ToUnixMicros(not_before));
  absl::StatusOr<bool> row = counter->Step();
  if (!row.ok()) return row.status();
  if (!*row) return absl::InternalError("change_counter has no row");
  Appended appended{counter->ColumnInt(0),
                    absl::FromUnixMicros(counter->ColumnInt(1))};
  if (absl::StatusOr<bool> done = counter->Step(); !done.ok()) {
    return done.status();
  }
  auto insert = db_.Prepare(
      "INSERT INTO changes(sequence, resource, revision, type,"
      " commit_time_micros) VALUES (?, ?, ?, ?, ?)");
  if (!insert.ok()) return insert.status();
  int64_t sequence =
      appended.sequence - static_cast<int64_t>(entries.size()) + 1;
  for (ChangeEntry& e : entries) {
    e.sequence = sequence++;
    e.commit_time = appended.commit_time;
    insert->Reset();
    absl::Status s = insert->Bind(1, e.sequence)
                         .BindStatic(2, e.resource)
                         .Bind(3, e.revision)
                         .Bind(4, static_cast<int64_t>(e.type))
                         .Bind(5, absl::ToUnixMicros(e.commit_time))
                         .Run();
    if (!s.ok()) return s;
  }
  since_compaction_ += static_cast<int64_t>(entries.size());
  if (since_compaction_ >= compact_every_) {
    auto compact = db_.Prepare("DELETE FROM changes WHERE sequence <= ?");
    if (!compact.ok()) return compact.status();
    if (absl::Status s = compact->Bind(1, appended.sequence - retain_).Run();
        !s.ok()) {
      return s;
    }
    since_compaction_ = 0;
  }
  return appended;
}

absl::StatusOr<int64_t> SqliteChangeLog::LatestLocked() {
  auto stmt = db_.Prepare("SELECT sequence FROM change_counter WHERE id = 1");
  if (!stmt.ok()) return stmt.status();
  absl::StatusOr<bool> row = stmt->Step();
  if (!row.ok()) return row.status();
  if (!*row) return absl::InternalError("change_counter has no row");
  return stmt->ColumnInt(0);
}

void SqliteChangeLog::Committed() {
  std::vector<std::function<void()>> listeners;
  {
    std::lock_guard<std::mutex> lock(listeners_mu_);
    listeners = listeners_;
  }
  for (const auto& listener : listeners) listener();
}

absl::StatusOr<std::vector<ChangeEntry>> SqliteChangeLog::ReadChanges(
    int64_t after, int limit) {
  auto lock = db_.Lock();
  auto stmt = db_.Prepare(
      "SELECT sequence, resource, revision, type, commit_time_micros"
      " FROM changes WHERE sequence > ? ORDER BY sequence LIMIT ?");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, after).Bind(2, int64_t{std::max(limit, 0)});
  std::vector<ChangeEntry> out;
  while (true) {
    absl::StatusOr<bool> row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    ChangeEntry& e = out.emplace_back();
    e.sequence = stmt->ColumnInt(0);
    e.resource = stmt->ColumnText(1);
    e.revision = stmt->ColumnInt(2);
    e.type = static_cast<common::v1::ChangeType>(stmt->ColumnInt(3));
    e.commit_time = absl::FromUnixMicros(stmt->ColumnInt(4));
  }
  return out;
}

absl::StatusOr<ChangeBounds> SqliteChangeLog::Bounds() {
  auto lock = db_.Lock();
  // One statement, so that both ends are read from one snapshot.
  auto stmt = db_.Prepare(
      "SELECT c.sequence, (SELECT MIN(sequence) FROM changes)"
      " FROM change_counter c WHERE c.id = 1");
  if (!stmt.ok()) return stmt.status();
  absl::StatusOr<bool> row = stmt->Step();
  if (!row.ok()) return row.status();
  if (!*row) return absl::InternalError("change_counter has no row");
  ChangeBounds bounds;
  bounds.latest = stmt->ColumnInt(0);
  bounds.oldest =
      stmt->ColumnIsNull(1) ? bounds.latest + 1 : stmt->ColumnInt(1);
  return bounds;
}

void SqliteChangeLog::AddListener(std::function<void()> listener) {
  std::lock_guard<std::mutex> lock(listeners_mu_);
  listeners_.push_back(std::move(listener));
}

}  // namespace palermo
