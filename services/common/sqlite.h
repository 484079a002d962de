// A small, strict wrapper over SQLite for Palermo's embedded stores.
//
// - WAL journal with synchronous=FULL: a committed transaction survives a
//   process kill and a power loss.
// - Schema migrations recorded in a `schema_version` table, applied in order,
//   each in its own transaction.
// - Prepared statements only: values are always bound, never spliced into SQL.
// - One transaction per write (see Transaction).
//
// A Database is safe to share between threads: every use holds its mutex
// through Lock().
#ifndef PALERMO_SERVICES_COMMON_SQLITE_H_
#define PALERMO_SERVICES_COMMON_SQLITE_H_

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace palermo::sqlite {

class Database;

// A prepared statement. Bind with 1-based indices, then Step() until it
// returns false.
class Statement {
 public:
  Statement(Statement&&) noexcept;
  Statement& operator=(Statement&&) = delete;
  ~Statement();

  Statement& Bind(int index, int64_t value);
  Statement& Bind(int index, absl::string_view text);
  Statement& BindBlob(int index, absl::string_view bytes);
  // Binds without copying: `bytes` must stay valid until the statement is
  // stepped for the last time or reset. For hot loops.
  Statement& BindStatic(int index, absl::string_view bytes, bool blob = false);

  // Advances to the next row: true if a row is available, false when done.
  absl::StatusOr<bool> Step();
  // Runs a statement that returns no rows.
  absl::Status Run();
  // Makes the statement ready to run again with new bindings.
  void Reset();

  int64_t ColumnInt(int column) const;
  std::string ColumnText(int column) const;
  std::string ColumnBlob(int column) const;
  bool ColumnIsNull(int column) const;

 private:
  friend class Database;
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  sqlite3* db_;
  sqlite3_stmt* stmt_;
  absl::Status bind_error_;
};

// A schema step: `version` is applied once, in ascending order.
struct Migration {
  int version;
  std::string sql;
};

class Database {
 public:
  // Opens (creating if needed) the database file and applies migrations,
  // recorded in `migrations_table` (a part with its own numbering, such as
  // the audit log, keeps its own table beside the store's).
  static absl::StatusOr<std::unique_ptr<Database>> Open(
      const std::string& path, const std::vector<Migration>& migrations,
      absl::string_view migrations_table = "schema_version");
  ~Database();

  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Serialises access to the connection. Hold the lock for the whole
  // statement or transaction.
  std::unique_lock<std::mutex> Lock() { return std::unique_lock(mu_); }

  absl::StatusOr<Statement> Prepare(absl::string_view sql);
  // Executes SQL with no parameters (DDL, BEGIN/COMMIT).
  absl::Status Exec(absl::string_view sql);
  // Rows changed by the last INSERT, UPDATE or DELETE.
  int Changes() { return sqlite3_changes(db_); }
  // The schema version after migrations.
  absl::StatusOr<int> SchemaVersion();

 private:
  Database(sqlite3* db, absl::string_view migrations_table)
      : db_(db), migrations_table_(migrations_table) {}
  absl::Status Migrate(const std::vector<Migration>& migrations);

  std::mutex mu_;
  sqlite3* db_;
  const std::string migrations_table_;
};

// One write transaction (BEGIN IMMEDIATE). Rolls back unless Commit()
// succeeded. The caller holds the Database lock for its lifetime.
class Transaction {
 public:
  static absl::StatusOr<Transaction> Begin(Database& db);
  Transaction(Transaction&& other) noexcept;
  ~Transaction();
  absl::Status Commit();

 private:
  explicit Transaction(Database* db) : db_(db) {}
  Database* db_;
};

}  // namespace palermo::sqlite

#endif  // PALERMO_SERVICES_COMMON_SQLITE_H_
