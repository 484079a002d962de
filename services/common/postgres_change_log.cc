// The change log in PostgreSQL (postgres_change_log.h).
#include "services/common/postgres_change_log.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <random>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace palermo {

using postgres::Param;

postgres::Migration PostgresChangeLogMigration(int version) {
  return {version,
          "CREATE TABLE changes ("
          "  sequence bigint PRIMARY KEY,"
          "  resource text COLLATE \"C\" NOT NULL,"
          "  revision bigint NOT NULL,"
          "  type integer NOT NULL,"
          "  commit_time timestamptz NOT NULL);"
          "CREATE TABLE change_counter ("
          "  id integer PRIMARY KEY CHECK (id = 1),"
          "  sequence bigint NOT NULL,"
          "  last_commit timestamptz NOT NULL);"
          "INSERT INTO change_counter(id, sequence, last_commit)"
          " VALUES (1, 0, '-infinity');"};
}

std::string PostgresChangeLog::Channel(const std::string& schema) {
  // A channel name is an identifier: at most 63 bytes.
  return absl::StrCat("palermo_changes.", schema).substr(0, 63);
}

absl::StatusOr<std::unique_ptr<PostgresChangeLog>> PostgresChangeLog::Over(
    postgres::Pool& pool, const ChangeLogOptions& options) {
  if (options.retain < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "change_log_retain must be at least 1, not ", options.retain));
  }
  std::unique_ptr<PostgresChangeLog> log(new PostgresChangeLog(pool, options));
  PostgresChangeLog* raw = log.get();
  absl::StatusOr<std::unique_ptr<postgres::Listener>> listener =
      postgres::Listener::Start(
          pool.options().dsn, Channel(pool.options().schema),
          [raw](const std::string& payload) { raw->Notified(payload); });
  if (!listener.ok()) return listener.status();
  log->listener_ = *std::move(listener);
  return log;
}

PostgresChangeLog::PostgresChangeLog(postgres::Pool& pool,
                                     const ChangeLogOptions& options)
    : pool_(pool),
      retain_(options.retain),
      // As on SQLite: an eighth of the kept entries, at most 10,000, and the
      // first write after a start compacts what an earlier process left.
      since_compaction_(std::clamp<int64_t>(options.retain / 8, 1, 10000)),
      compact_every_(std::clamp<int64_t>(options.retain / 8, 1, 10000)),
      origin_(absl::StrCat(getpid(), ".", std::random_device()())) {}

PostgresChangeLog::~PostgresChangeLog() { listener_.reset(); }

absl::StatusOr<PostgresChangeLog::Appended> PostgresChangeLog::Append(
    postgres::Connection& conn, std::vector<ChangeEntry>& entries,
    absl::Time not_before) {
  if (entries.empty()) {
    absl::StatusOr<int64_t> latest = Latest(conn);
    if (!latest.ok()) return latest.status();
    return Appended{*latest, not_before};
  }
  const int64_t n = static_cast<int64_t>(entries.size());
  // Compaction before the counter's lock, so as not to hold it longer: the
  // counter read here can only be behind, which deletes less, never more.
  if (since_compaction_.fetch_add(n) + n >= compact_every_) {
    since_compaction_ = 0;
    absl::StatusOr<postgres::Result> compacted = conn.Execute(
        "DELETE FROM changes WHERE sequence <="
        " (SELECT sequence FROM change_counter WHERE id = 1) - $1",
        {Param::Int(retain_)});
    if (!compacted.ok()) return compacted.status();
  }
  // The counter's row: its lock, held to the commit, orders the commits;
  // the sequences and the commit time both follow the last commit's.
  absl::StatusOr<postgres::Result> counter = conn.Execute(
      "UPDATE change_counter SET sequence = sequence + $1,"
      " last_commit = GREATEST(last_commit + interval '1 microsecond',"
      " $2::timestamptz)"
      " WHERE id = 1 RETURNING sequence, last_commit",
      {Param::Int(n), Param::Time(not_before)});
  if (!counter.ok()) return counter.status();
  if (counter->rows() != 1) {
    return absl::InternalError("change_counter has no row");
  }
  const Appended appended{counter->Int(0, 0), counter->Time(0, 1)};
  int64_t sequence = appended.sequence - n + 1;
  for (ChangeEntry& e : entries) {
    e.sequence = sequence++;
    e.commit_time = appended.commit_time;
  }
  if (n == 1) {
    const ChangeEntry& e = entries[0];
    absl::StatusOr<postgres::Result> inserted = conn.Execute(
        "INSERT INTO changes(sequence, resource, revision, type, commit_time)"
        " VALUES ($1, $2, $3, $4, $5)",
        {Param::Int(e.sequence), Param::Text(e.resource),
         Param::Int(e.revision), Param::Int(e.type),
         Param::Time(e.commit_time)});
    if (!inserted.ok()) return inserted.status();
  } else {
    absl::StatusOr<postgres::CopyIn> copy = postgres::CopyIn::Begin(
        conn,
        "COPY changes(sequence, resource, revision, type, commit_time)"
        " FROM STDIN (FORMAT binary)");
    if (!copy.ok()) return copy.status();
    for (const ChangeEntry& e : entries) {
      copy->Row(5)
          .Int64(e.sequence)
          .Text(e.resource)
          .Int64(e.revision)
          .Int32(static_cast<int32_t>(e.type))
          .Time(e.commit_time);
    }
    if (absl::StatusOr<int64_t> rows = copy->Finish(); !rows.ok()) {
      return rows.status();
    }
  }
  // Delivered at the commit, to the other stores' listeners.
  if (absl::Status s = postgres::Notify(
          conn, Channel(pool_.options().schema),
          absl::StrCat(origin_, " ", appended.sequence));
      !s.ok()) {
    return s;
  }
  return appended;
}

absl::StatusOr<int64_t> PostgresChangeLog::Latest(postgres::Connection& conn) {
  absl::StatusOr<postgres::Result> r =
      conn.Execute("SELECT sequence FROM change_counter WHERE id = 1");
  if (!r.ok()) return r.status();
  if (r->rows() != 1) return absl::InternalError("change_counter has no row");
  return r->Int(0, 0);
}

void PostgresChangeLog::Committed() {
  std::vector<std::function<void()>> listeners;
  {
    std::lock_guard<std::mutex> lock(listeners_mu_);
    listeners = listeners_;
  }
  for (const auto& listener : listeners) listener();
}

void PostgresChangeLog::Notified(const std::string& payload) {
  // This log's own commits called the listeners already (Committed).
  if (absl::StartsWith(payload, absl::StrCat(origin_, " "))) return;
  Committed();
}

absl::StatusOr<std::vector<ChangeEntry>> PostgresChangeLog::ReadChanges(
    int64_t after, int limit) {
  absl::StatusOr<postgres::Pool::Handle> conn = pool_.Acquire();
  if (!conn.ok()) return conn.status();
  absl::StatusOr<postgres::Result> r = (*conn)->Execute(
      "SELECT sequence, resource, revision, type, commit_time FROM changes"
      " WHERE sequence > $1 ORDER BY sequence LIMIT $2",
      {Param::Int(after), Param::Int(std::max(limit, 0))});
  if (!r.ok()) return r.status();
  std::vector<ChangeEntry> out(r->rows());
  for (int i = 0; i < r->rows(); ++i) {
    ChangeEntry& e = out[i];
    e.sequence = r->Int(i, 0);
    e.resource = r->Text(i, 1);
    e.revision = r->Int(i, 2);
    e.type = static_cast<common::v1::ChangeType>(r->Int(i, 3));
    e.commit_time = r->Time(i, 4);
  }
  return out;
}

absl::StatusOr<ChangeBounds> PostgresChangeLog::Bounds() {
  absl::StatusOr<postgres::Pool::Handle> conn = pool_.Acquire();
  if (!conn.ok()) return conn.status();
  // One statement, so that both ends are read from one snapshot.
  absl::StatusOr<postgres::Result> r = (*conn)->Execute(
      "SELECT c.sequence, (SELECT MIN(sequence) FROM changes)"
      " FROM change_counter c WHERE c.id = 1");
  if (!r.ok()) return r.status();
  if (r->rows() != 1) return absl::InternalError("change_counter has no row");
  ChangeBounds bounds;
  bounds.latest = r->Int(0, 0);
  bounds.oldest = r->IsNull(0, 1) ? bounds.latest + 1 : r->Int(0, 1);
  return bounds;
}

void PostgresChangeLog::AddListener(std::function<void()> listener) {
  std::lock_guard<std::mutex> lock(listeners_mu_);
  listeners_.push_back(std::move(listener));
}

}  // namespace palermo
