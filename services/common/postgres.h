// A small, strict wrapper over libpq for Palermo's PostgreSQL stores (as
// sqlite.h is over SQLite).
//
// - Pool: a bounded set of connections to one database, safe to share
//   between threads, each with its search_path set to the service's schema.
//   A connection lost with the server is dropped with every idle one, and
//   the next Acquire connects afresh: UNAVAILABLE while the server is away,
//   working again once it returns.
// - Parameters only: values are always sent apart from the SQL (text, or
//   binary for bytea), never spliced into it. Results come back in binary.
// - Transactions (Transaction), and Retry() on serialization failures and
//   deadlocks.
// - Errors as absl::Status: a unique violation is ALREADY_EXISTS, a lost
//   connection UNAVAILABLE, a serialization failure or deadlock ABORTED
//   (retryable: IsRetryable), anything else INTERNAL with the server's
//   message. The SQLSTATE rides along (SqlState).
// - COPY FROM STDIN in the binary format for bulk loads (CopyIn).
// - Numbered migrations in the schema's `schema_version` table (or another,
//   Options::migrations_table), applied once each, under an advisory lock so
//   that two processes never migrate at once.
// - Listener: LISTEN on a dedicated connection and thread, reconnecting when
//   the server returns.
#ifndef PALERMO_SERVICES_COMMON_POSTGRES_H_
#define PALERMO_SERVICES_COMMON_POSTGRES_H_

#include <libpq-fe.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "absl/types/span.h"

namespace palermo::postgres {

// Where and how to connect.
struct Options {
  std::string dsn;     // libpq conninfo ("host=... dbname=...") or URI
  std::string schema;  // the service's schema: lower-case letters, digits, _
  int pool_size = 8;   // connections at most
  // How long Acquire waits for a free connection before UNAVAILABLE.
  absl::Duration acquire_timeout = absl::Seconds(30);
  // The table recording the applied migrations, in the schema: a part with
  // its own numbering (the audit log) keeps its own beside the store's.
  std::string migrations_table = "schema_version";
};

// INVALID_ARGUMENT if `dsn` is not a valid conninfo or URI (naming what
// libpq found wrong); never echoes a password.
absl::Status CheckDsn(const std::string& dsn);

// The SQLSTATE of an error this wrapper returned ("" if none).
std::string SqlState(const absl::Status& status);
// A serialization failure (40001) or deadlock (40P01): the transaction may
// succeed if run again.
bool IsRetryable(const absl::Status& status);

// One query parameter: text (the server infers its type: integers, times
// and text alike), bytes (bytea, sent in binary), or NULL.
class Param {
 public:
  static Param Text(absl::string_view text) { return Param(text, false); }
  static Param Bytes(absl::string_view bytes) { return Param(bytes, true); }
  static Param Int(int64_t value);
  // A timestamptz (RFC 3339 text, microseconds).
  static Param Time(absl::Time time);
  static Param Null() { return Param(); }

  const std::string& value() const { return value_; }
  bool binary() const { return binary_; }
  bool null() const { return null_; }

 private:
  Param() : null_(true) {}
  Param(absl::string_view value, bool binary)
      : value_(value), binary_(binary) {}
  std::string value_;
  bool binary_ = false;
  bool null_ = false;
};

// The rows a statement returned, in binary. Accessors check the column's
// type: asking an integer of a text column is a bug, and aborts.
class Result {
 public:
  Result(Result&& other) noexcept;
  Result& operator=(Result&& other) noexcept;
  ~Result();

  int rows() const;
  int columns() const;
  // Rows an INSERT, UPDATE or DELETE changed.
  int64_t affected() const;

  bool IsNull(int row, int column) const;
  // int2, int4 or int8.
  int64_t Int(int row, int column) const;
  bool Bool(int row, int column) const;
  // text, varchar, name, bytea: the bytes as stored.
  std::string Text(int row, int column) const;
  std::string Bytes(int row, int column) const { return Text(row, column); }
  // timestamptz.
  absl::Time Time(int row, int column) const;

 private:
  friend class Connection;
  explicit Result(PGresult* result) : result_(result) {}
  const char* Value(int row, int column, std::initializer_list<Oid> types,
                    const char* what) const;
  PGresult* result_;
};

class Connection {
 public:
  // Connects; UNAVAILABLE naming the server if it cannot be reached,
  // INVALID_ARGUMENT if the DSN is malformed.
  static absl::StatusOr<std::unique_ptr<Connection>> Open(
      const std::string& dsn);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // One statement, with $1, $2, ... bound to `params`.
  absl::StatusOr<Result> Execute(absl::string_view sql,
                                 absl::Span<const Param> params = {});
  absl::StatusOr<Result> Execute(absl::string_view sql,
                                 std::initializer_list<Param> params) {
    return Execute(sql, absl::MakeConstSpan(params.begin(), params.size()));
  }
  // SQL with no parameters, possibly several statements (DDL, migrations).
  absl::Status Exec(absl::string_view sql);

  // Whether the connection is known to be lost.
  bool broken() const;
  // A quoted identifier (schema, channel, table names built at run time).
  std::string QuoteIdentifier(absl::string_view name);

  PGconn* raw() { return conn_; }

 private:
  explicit Connection(PGconn* conn) : conn_(conn) {}
  PGconn* conn_;
};

// A bulk load: COPY ... FROM STDIN (FORMAT binary). Add each row's fields in
// the table's column order, with the columns' exact types; Finish() ends
// the COPY (it commits only with the surrounding transaction, if any).
// Abandoned unfinished, the COPY fails and loads nothing.
class CopyIn {
 public:
  // `sql` is "COPY table (columns) FROM STDIN (FORMAT binary)".
  static absl::StatusOr<CopyIn> Begin(Connection& conn, absl::string_view sql);
  CopyIn(CopyIn&& other) noexcept;
  ~CopyIn();

  CopyIn& Row(int fields);
  CopyIn& Int64(int64_t value);  // int8
  CopyIn& Int32(int32_t value);  // int4
  CopyIn& Text(absl::string_view text);    // text
  CopyIn& Bytes(absl::string_view bytes);  // bytea
  CopyIn& Time(absl::Time time);           // timestamptz
  CopyIn& Null();
  // Sends what is buffered; the first error stops the COPY.
  absl::Status Flush();
  // Rows loaded, or the error.
  absl::StatusOr<int64_t> Finish();

 private:
  explicit CopyIn(Connection* conn);
  Connection* conn_;
  std::string buffer_;
  absl::Status error_;
};

// One transaction (BEGIN ... COMMIT) on a connection. Rolls back unless
// Commit() succeeded.
class Transaction {
 public:
  static absl::StatusOr<Transaction> Begin(Connection& conn);
  Transaction(Transaction&& other) noexcept;
  ~Transaction();
  absl::Status Commit();

 private:
  explicit Transaction(Connection* conn) : conn_(conn) {}
  Connection* conn_;
};

// A schema step: `version` is applied once, in ascending order.
struct Migration {
  int version;
  std::string sql;
};

class Pool {
 public:
  // Checks the DSN, connects once (UNAVAILABLE naming the server if it is
  // unreachable), creates the schema if needed and applies `migrations` in
  // it.
  static absl::StatusOr<std::unique_ptr<Pool>> Open(
      const Options& options, const std::vector<Migration>& migrations = {});
  ~Pool();

  // A connection for one use, back in the pool when the handle goes.
  class Handle {
   public:
    Handle(Handle&& other) noexcept;
    ~Handle();
    Connection* operator->() const { return conn_.get(); }
    Connection& operator*() const { return *conn_; }

   private:
    friend class Pool;
    Handle(Pool* pool, std::unique_ptr<Connection> conn, int64_t generation)
        : pool_(pool), conn_(std::move(conn)), generation_(generation) {}
    Pool* pool_;
    std::unique_ptr<Connection> conn_;
    int64_t generation_;
  };

  // An idle connection, or a new one if fewer than pool_size are open;
  // waits for one otherwise. UNAVAILABLE if the server cannot be reached.
  absl::StatusOr<Handle> Acquire();

  // Runs `body` in a transaction, committing if it returns OK; runs it again
  // (at most `attempts` times) on a serialization failure or deadlock.
  absl::Status InTransaction(
      const std::function<absl::Status(Connection&)>& body, int attempts = 8);

  // SELECT 1: whether the database answers (for health checks).
  absl::Status Ping();

  // The schema version after migrations.
  absl::StatusOr<int> SchemaVersion();

  const Options& options() const { return options_; }

 private:
  explicit Pool(Options options) : options_(std::move(options)) {}
  absl::StatusOr<std::unique_ptr<Connection>> Connect();
  absl::Status Migrate(const std::vector<Migration>& migrations);
  void Release(std::unique_ptr<Connection> conn, int64_t generation);

  const Options options_;
  absl::Mutex mu_;
  std::vector<std::unique_ptr<Connection>> idle_ ABSL_GUARDED_BY(mu_);
  int open_ ABSL_GUARDED_BY(mu_) = 0;  // idle and in use
  // Bumped when a connection is found lost: older connections are dropped.
  int64_t generation_ ABSL_GUARDED_BY(mu_) = 0;
};

// Sends a notification on `channel` (pg_notify), delivered at commit if the
// connection is in a transaction.
absl::Status Notify(Connection& conn, absl::string_view channel,
                    absl::string_view payload);

// LISTEN on `channel` on a connection and a thread of its own, calling
// `callback` with each notification's payload. When the connection is lost
// it connects again, and calls `callback("")` once listening again, since
// notifications may have been missed meanwhile.
class Listener {
 public:
  using Callback = std::function<void(const std::string& payload)>;
  // Connects and listens before returning (UNAVAILABLE if it cannot).
  static absl::StatusOr<std::unique_ptr<Listener>> Start(
      const std::string& dsn, const std::string& channel, Callback callback);
  ~Listener();  // stops the thread

  // Times the connection was made again after a loss.
  int reconnects() const { return reconnects_.load(); }

 private:
  Listener(std::string dsn, std::string channel, Callback callback);
  absl::Status Listen();
  void Run();
  // Waits until the socket is readable or Stop; false on stop.
  bool Wait(int socket, absl::Duration timeout);

  const std::string dsn_;
  const std::string channel_;
  const Callback callback_;
  std::unique_ptr<Connection> conn_;  // the thread's own
  int wake_[2] = {-1, -1};            // a pipe: a byte stops the thread
  std::atomic<int> reconnects_{0};
  std::thread thread_;
};

}  // namespace palermo::postgres

#endif  // PALERMO_SERVICES_COMMON_POSTGRES_H_
