// The libpq wrapper of postgres.h: connections, results in binary, errors
// as absl::Status, COPY, transactions, the pool, migrations and LISTEN.
#include "services/common/postgres.h"

#include <endian.h>
#include <fcntl.h>
#include <poll.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/cord.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace palermo::postgres {
namespace {

// Type OIDs (pg_type.dat): what the binary accessors accept.
constexpr Oid kBool = 16, kBytea = 17, kName = 19, kInt8 = 20, kInt2 = 21,
              kInt4 = 23, kText = 25, kBpchar = 1042, kVarchar = 1043,
              kTimestamptz = 1184, kUnknown = 705;

constexpr char kSqlStatePayload[] = "type.palermo.dev/postgres.sqlstate";

// PostgreSQL's epoch for timestamps: 2000-01-01 00:00:00 UTC.
const absl::Time kPostgresEpoch = absl::FromUnixSeconds(946684800);

std::string Trimmed(const char* message) {
  return std::string(
      absl::StripAsciiWhitespace(message ? message : "(no message)"));
}

bool LostConnection(absl::string_view sqlstate) {
  // Class 08: connection exception; 57P01-57P03: the server shuts down or
  // is starting up.
  return absl::StartsWith(sqlstate, "08") || sqlstate == "57P01" ||
         sqlstate == "57P02" || sqlstate == "57P03";
}

// Logs the details (SQL included) and returns a status fit for a client:
// the SQL stays in the log, the server's message goes to the caller.
absl::Status Error(PGconn* conn, const PGresult* result,
                   absl::string_view what) {
  std::string sqlstate;
  std::string message;
  if (result != nullptr) {
    const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
    sqlstate = state ? state : "";
    const char* primary = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
    message = primary ? primary : Trimmed(PQresultErrorMessage(result));
  }
  if (message.empty()) message = Trimmed(PQerrorMessage(conn));
  const bool lost =
      LostConnection(sqlstate) ||
      (sqlstate.empty() && conn && PQstatus(conn) == CONNECTION_BAD);
  absl::Status status;
  if (lost) {
    spdlog::warn("postgres: {}: connection lost: {}", std::string(what),
                 message);
    status = absl::UnavailableError(
        absl::StrCat("storage unavailable (PostgreSQL): ", message));
  } else if (sqlstate == "23505") {
    spdlog::debug("postgres: {}: {}", std::string(what), message);
    status = absl::AlreadyExistsError("storage: key already exists");
  } else if (sqlstate == "40001" || sqlstate == "40P01") {
    spdlog::debug("postgres: {}: {}", std::string(what), message);
    status = absl::AbortedError(absl::StrCat("storage conflict: ", message));
  } else {
    spdlog::error("postgres: {}: {} (SQLSTATE {})", std::string(what), message,
                  sqlstate);
    status = absl::InternalError(absl::StrCat("storage error: ", message));
  }
  if (!sqlstate.empty()) {
    status.SetPayload(kSqlStatePayload, absl::Cord(sqlstate));
  }
  return status;
}

bool ValidSchemaName(absl::string_view name) {
  if (name.empty() || name.size() > 63 || absl::ascii_isdigit(name[0])) {
    return false;
  }
  return std::all_of(name.begin(), name.end(), [](char c) {
    return absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '_';
  });
}

void AppendInt16(std::string& out, int16_t v) {
  const uint16_t be = htobe16(static_cast<uint16_t>(v));
  out.append(reinterpret_cast<const char*>(&be), 2);
}
void AppendInt32(std::string& out, int32_t v) {
  const uint32_t be = htobe32(static_cast<uint32_t>(v));
  out.append(reinterpret_cast<const char*>(&be), 4);
}
void AppendInt64(std::string& out, int64_t v) {
  const uint64_t be = htobe64(static_cast<uint64_t>(v));
  out.append(reinterpret_cast<const char*>(&be), 8);
}

// Runs a statement that must not return an error, on a raw result.
absl::Status Check(PGconn* conn, PGresult* result, absl::string_view what) {
  const ExecStatusType status = PQresultStatus(result);
  absl::Status out = status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK
                         ? absl::OkStatus()
                         : Error(conn, result, what);
  PQclear(result);
  return out;
}

}  // namespace

absl::Status CheckDsn(const std::string& dsn) {
  if (dsn.empty()) {
    return absl::InvalidArgumentError(
        "malformed PostgreSQL DSN: empty (give a conninfo such as "
        "'host=/run/postgresql dbname=palermo' or a postgresql:// URI)");
  }
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(dsn.c_str(), &error);
  if (options == nullptr) {
    std::string message = error ? Trimmed(error) : "out of memory";
    PQfreemem(error);
    return absl::InvalidArgumentError(
        absl::StrCat("malformed PostgreSQL DSN: ", message));
  }
  PQconninfoFree(options);
  return absl::OkStatus();
}

std::string SqlState(const absl::Status& status) {
  auto payload = status.GetPayload(kSqlStatePayload);
  return payload ? std::string(*payload) : std::string();
}

bool IsRetryable(const absl::Status& status) {
  const std::string state = SqlState(status);
  return state == "40001" || state == "40P01";
}

Param Param::Int(int64_t value) { return Text(absl::StrCat(value)); }

Param Param::Time(absl::Time time) {
  if (time == absl::InfiniteFuture()) return Text("infinity");
  if (time == absl::InfinitePast()) return Text("-infinity");
  return Text(
      absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", time, absl::UTCTimeZone()));
}

// ---- Result ----

Result::Result(Result&& other) noexcept
    : result_(std::exchange(other.result_, nullptr)) {}

Result& Result::operator=(Result&& other) noexcept {
  if (this != &other) {
    if (result_) PQclear(result_);
    result_ = std::exchange(other.result_, nullptr);
  }
  return *this;
}

Result::~Result() {
  if (result_) PQclear(result_);
}

int Result::rows() const { return PQntuples(result_); }
int Result::columns() const { return PQnfields(result_); }

int64_t Result::affected() const {
  int64_t n = 0;
  return absl::SimpleAtoi(PQcmdTuples(result_), &n) ? n : 0;
}

bool Result::IsNull(int row, int column) const {
  return PQgetisnull(result_, row, column);
}

const char* Result::Value(int row, int column, std::initializer_list<Oid> types,
                          const char* what) const {
  const Oid type = PQftype(result_, column);
  if (row < 0 || row >= rows() || column < 0 || column >= columns() ||
      std::find(types.begin(), types.end(), type) == types.end()) {
    spdlog::critical(
        "postgres: {} of row {} column {} (type oid {}) of a result of {}x{}",
        what, row, column, type, rows(), columns());
    std::abort();
  }
  return PQgetisnull(result_, row, column) ? nullptr
                                           : PQgetvalue(result_, row, column);
}

int64_t Result::Int(int row, int column) const {
  const char* v = Value(row, column, {kInt2, kInt4, kInt8}, "Int");
  if (v == nullptr) return 0;
  switch (PQgetlength(result_, row, column)) {
    case 2: {
      uint16_t be;
      std::memcpy(&be, v, 2);
      return static_cast<int16_t>(be16toh(be));
    }
    case 4: {
      uint32_t be;
      std::memcpy(&be, v, 4);
      return static_cast<int32_t>(be32toh(be));
    }
    default: {
      uint64_t be;
      std::memcpy(&be, v, 8);
      return static_cast<int64_t>(be64toh(be));
    }
  }
}

bool Result::Bool(int row, int column) const {
  const char* v = Value(row, column, {kBool}, "Bool");
  return v != nullptr && *v != 0;
}

std::string Result::Text(int row, int column) const {
  const char* v = Value(row, column,
                        {kText, kVarchar, kName, kBpchar, kBytea, kUnknown},
                        "Text");
  return v ? std::string(v, PQgetlength(result_, row, column)) : std::string();
}

absl::Time Result::Time(int row, int column) const {
  const char* v = Value(row, column, {kTimestamptz}, "Time");
  if (v == nullptr) return absl::UnixEpoch();
  uint64_t be;
  std::memcpy(&be, v, 8);
  const int64_t micros = static_cast<int64_t>(be64toh(be));
  if (micros == INT64_MAX) return absl::InfiniteFuture();
  if (micros == INT64_MIN) return absl::InfinitePast();
  return kPostgresEpoch + absl::Microseconds(micros);
}

// ---- Connection ----

absl::StatusOr<std::unique_ptr<Connection>> Connection::Open(
    const std::string& dsn) {
  if (absl::Status s = CheckDsn(dsn); !s.ok()) return s;
  // Defaults first: the DSN (expanded from "dbname") overrides them.
  const char* keys[] = {"connect_timeout", "application_name",
                        "client_encoding", "dbname", nullptr};
  const char* values[] = {"10", "palermo", "UTF8", dsn.c_str(), nullptr};
  PGconn* conn = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
  if (conn == nullptr) return absl::ResourceExhaustedError("libpq: no memory");
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = Trimmed(PQerrorMessage(conn));
    PQfinish(conn);
    spdlog::warn("postgres: cannot connect: {}", message);
    return absl::UnavailableError(
        absl::StrCat("cannot connect to PostgreSQL: ", message));
  }
  // The server's notices (NOTICE: ... already exists, skipping) go to the
  // log, not to stderr.
  PQsetNoticeProcessor(
      conn,
      [](void*, const char* message) {
        spdlog::debug("postgres: {}", Trimmed(message));
      },
      nullptr);
  return std::unique_ptr<Connection>(new Connection(conn));
}

Connection::~Connection() { PQfinish(conn_); }

bool Connection::broken() const { return PQstatus(conn_) == CONNECTION_BAD; }

std::string Connection::QuoteIdentifier(absl::string_view name) {
  char* quoted = PQescapeIdentifier(conn_, name.data(), name.size());
  if (quoted == nullptr) return "\"\"";  // an invalid name fails at the server
  std::string out(quoted);
  PQfreemem(quoted);
  return out;
}

absl::StatusOr<Result> Connection::Execute(absl::string_view sql,
                                           absl::Span<const Param> params) {
  const int n = static_cast<int>(params.size());
  std::vector<Oid> types(n, 0);
  std::vector<const char*> values(n, nullptr);
  std::vector<int> lengths(n, 0);
  std::vector<int> formats(n, 0);
  for (int i = 0; i < n; ++i) {
    const Param& p = params[i];
    if (p.null()) continue;
    values[i] = p.value().data();
    lengths[i] = static_cast<int>(p.value().size());
    if (p.binary()) {
      types[i] = kBytea;
      formats[i] = 1;
    }
  }
  const std::string statement(sql);
  PGresult* result = PQexecParams(conn_, statement.c_str(), n, types.data(),
                                  values.data(), lengths.data(),
                                  formats.data(), /*resultFormat=*/1);
  const ExecStatusType status = PQresultStatus(result);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    absl::Status error = Error(conn_, result, statement);
    PQclear(result);
    return error;
  }
  return Result(result);
}

absl::Status Connection::Exec(absl::string_view sql) {
  const std::string statement(sql);
  return Check(conn_, PQexec(conn_, statement.c_str()), statement);
}

// ---- CopyIn ----

CopyIn::CopyIn(Connection* conn) : conn_(conn) {
  // The binary COPY header: signature, flags, header extension length.
  buffer_.append("PGCOPY\n\377\r\n\0", 11);
  AppendInt32(buffer_, 0);
  AppendInt32(buffer_, 0);
}

absl::StatusOr<CopyIn> CopyIn::Begin(Connection& conn, absl::string_view sql) {
  const std::string statement(sql);
  PGresult* result = PQexec(conn.raw(), statement.c_str());
  if (PQresultStatus(result) != PGRES_COPY_IN) {
    absl::Status error = Error(conn.raw(), result, statement);
    PQclear(result);
    if (error.ok() || (SqlState(error).empty() && !conn.broken())) {
      return absl::InternalError(
          absl::StrCat("storage error: not a COPY FROM STDIN: ", statement));
    }
    return error;
  }
  PQclear(result);
  return CopyIn(&conn);
}

CopyIn::CopyIn(CopyIn&& other) noexcept
    : conn_(std::exchange(other.conn_, nullptr)),
      buffer_(std::move(other.buffer_)),
      error_(std::move(other.error_)) {}

CopyIn::~CopyIn() {
  if (conn_ == nullptr) return;
  // Unfinished: the server discards the rows.
  PQputCopyEnd(conn_->raw(), "COPY abandoned by the client");
  while (PGresult* r = PQgetResult(conn_->raw())) PQclear(r);
}

CopyIn& CopyIn::Row(int fields) {
  AppendInt16(buffer_, static_cast<int16_t>(fields));
  return *this;
}

CopyIn& CopyIn::Int64(int64_t value) {
  AppendInt32(buffer_, 8);
  AppendInt64(buffer_, value);
  return *this;
}

CopyIn& CopyIn::Int32(int32_t value) {
  AppendInt32(buffer_, 4);
  AppendInt32(buffer_, value);
  return *this;
}

CopyIn& CopyIn::Text(absl::string_view text) {
  AppendInt32(buffer_, static_cast<int32_t>(text.size()));
  buffer_.append(text.data(), text.size());
  if (buffer_.size() >= (1 << 20)) Flush().IgnoreError();  // kept in error_
  return *this;
}

CopyIn& CopyIn::Bytes(absl::string_view bytes) { return Text(bytes); }

CopyIn& CopyIn::Time(absl::Time time) {
  AppendInt32(buffer_, 8);
  AppendInt64(buffer_, absl::ToInt64Microseconds(time - kPostgresEpoch));
  return *this;
}

CopyIn& CopyIn::Null() {
  AppendInt32(buffer_, -1);
  return *this;
}

absl::Status CopyIn::Flush() {
  if (!error_.ok() || buffer_.empty()) return error_;
  if (PQputCopyData(conn_->raw(), buffer_.data(),
                    static_cast<int>(buffer_.size())) != 1) {
    error_ = Error(conn_->raw(), nullptr, "COPY data");
  }
  buffer_.clear();
  return error_;
}

absl::StatusOr<int64_t> CopyIn::Finish() {
  Connection* conn = std::exchange(conn_, nullptr);
  if (conn == nullptr) return absl::InternalError("COPY already finished");
  if (error_.ok()) {
    AppendInt16(buffer_, -1);  // the trailer
    conn_ = conn;
    Flush().IgnoreError();
    conn_ = nullptr;
  }
  PQputCopyEnd(conn->raw(),
               error_.ok() ? nullptr : "COPY failed on the client");
  absl::Status status = error_;
  int64_t rows = 0;
  while (PGresult* result = PQgetResult(conn->raw())) {
    if (status.ok()) {
      if (PQresultStatus(result) == PGRES_COMMAND_OK) {
        absl::SimpleAtoi(PQcmdTuples(result), &rows);
      } else {
        status = Error(conn->raw(), result, "COPY");
      }
    }
    PQclear(result);
  }
  if (!status.ok()) return status;
  return rows;
}

// ---- Transaction ----

absl::StatusOr<Transaction> Transaction::Begin(Connection& conn) {
  if (absl::Status s = conn.Exec("BEGIN"); !s.ok()) return s;
  return Transaction(&conn);
}

Transaction::Transaction(Transaction&& other) noexcept
    : conn_(std::exchange(other.conn_, nullptr)) {}

Transaction::~Transaction() {
  if (conn_ && !conn_->broken()) conn_->Exec("ROLLBACK").IgnoreError();
}

absl::Status Transaction::Commit() {
  // COMMIT of a failed transaction "succeeds" as a ROLLBACK: refuse it.
  if (PQtransactionStatus(conn_->raw()) == PQTRANS_INERROR) {
    return absl::InternalError(
        "storage error: commit of a transaction that failed");
  }
  PGresult* result = PQexec(conn_->raw(), "COMMIT");
  const bool rolled_back =
      PQresultStatus(result) == PGRES_COMMAND_OK &&
      std::strcmp(PQcmdStatus(result), "ROLLBACK") == 0;
  absl::Status s = Check(conn_->raw(), result, "COMMIT");
  if (s.ok() && rolled_back) {
    s = absl::InternalError("storage error: the transaction rolled back");
  }
  // Done either way: a failed COMMIT leaves no transaction open.
  conn_ = nullptr;
  return s;
}

// ---- Pool ----

absl::StatusOr<std::unique_ptr<Pool>> Pool::Open(
    const Options& options, const std::vector<Migration>& migrations) {
  if (absl::Status s = CheckDsn(options.dsn); !s.ok()) return s;
  if (!ValidSchemaName(options.schema)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "bad PostgreSQL schema name '", options.schema,
        "': lower-case letters, digits and '_', at most 63"));
  }
  if (options.pool_size < 1) {
    return absl::InvalidArgumentError("PostgreSQL pool size must be >= 1");
  }
  std::unique_ptr<Pool> pool(new Pool(options));
  {
    absl::StatusOr<std::unique_ptr<Connection>> first = pool->Connect();
    if (!first.ok()) return first.status();
    absl::MutexLock lock(&pool->mu_);
    pool->idle_.push_back(*std::move(first));
    pool->open_ = 1;
  }
  if (absl::Status s = pool->Migrate(migrations); !s.ok()) return s;
  return pool;
}

Pool::~Pool() = default;

absl::StatusOr<std::unique_ptr<Connection>> Pool::Connect() {
  absl::StatusOr<std::unique_ptr<Connection>> conn =
      Connection::Open(options_.dsn);
  if (!conn.ok()) return conn.status();
  // The schema alone: unqualified names are the service's.
  const std::string path = (*conn)->QuoteIdentifier(options_.schema);
  absl::StatusOr<Result> set = (*conn)->Execute(
      "SELECT set_config('search_path', $1, false)", {Param::Text(path)});
  if (!set.ok()) return set.status();
  return conn;
}

absl::StatusOr<Pool::Handle> Pool::Acquire() {
  int64_t generation;
  {
    absl::MutexLock lock(&mu_);
    auto available = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return !idle_.empty() || open_ < options_.pool_size;
    };
    if (!mu_.AwaitWithTimeout(absl::Condition(&available),
                              options_.acquire_timeout)) {
      return absl::UnavailableError(
          "storage busy: no PostgreSQL connection free, retry");
    }
    generation = generation_;
    if (!idle_.empty()) {
      std::unique_ptr<Connection> conn = std::move(idle_.back());
      idle_.pop_back();
      return Handle(this, std::move(conn), generation);
    }
    ++open_;
  }
  absl::StatusOr<std::unique_ptr<Connection>> conn = Connect();
  if (!conn.ok()) {
    absl::MutexLock lock(&mu_);
    --open_;
    return conn.status();
  }
  return Handle(this, *std::move(conn), generation);
}

void Pool::Release(std::unique_ptr<Connection> conn, int64_t generation) {
  std::vector<std::unique_ptr<Connection>> dropped;  // closed unlocked
  {
    absl::MutexLock lock(&mu_);
    if (conn->broken()) {
      // The server went away: the idle connections are lost too.
      if (generation == generation_) ++generation_;
      open_ -= static_cast<int>(idle_.size());
      dropped = std::move(idle_);
      idle_.clear();
    }
    if (conn->broken() || generation != generation_ ||
        PQtransactionStatus(conn->raw()) != PQTRANS_IDLE) {
      --open_;
      dropped.push_back(std::move(conn));
    } else {
      idle_.push_back(std::move(conn));
    }
  }
}

Pool::Handle::Handle(Handle&& other) noexcept
    : pool_(std::exchange(other.pool_, nullptr)),
      conn_(std::move(other.conn_)),
      generation_(other.generation_) {}

Pool::Handle::~Handle() {
  if (pool_ && conn_) pool_->Release(std::move(conn_), generation_);
}

absl::Status Pool::InTransaction(
    const std::function<absl::Status(Connection&)>& body, int attempts) {
  absl::Status status;
  for (int attempt = 0; attempt < std::max(attempts, 1); ++attempt) {
    absl::StatusOr<Handle> conn = Acquire();
    if (!conn.ok()) return conn.status();
    absl::StatusOr<Transaction> txn = Transaction::Begin(**conn);
    if (!txn.ok()) return txn.status();
    status = body(**conn);
    if (status.ok()) status = txn->Commit();
    if (!IsRetryable(status)) return status;
  }
  return status;
}

absl::Status Pool::Ping() {
  absl::StatusOr<Handle> conn = Acquire();
  if (!conn.ok()) return conn.status();
  return (*conn)->Execute("SELECT 1").status();
}

absl::StatusOr<int> Pool::SchemaVersion() {
  absl::StatusOr<Handle> conn = Acquire();
  if (!conn.ok()) return conn.status();
  absl::StatusOr<Result> version = (*conn)->Execute(
      absl::StrCat("SELECT COALESCE(MAX(version), 0) FROM ",
                   (*conn)->QuoteIdentifier(options_.schema), ".",
                   (*conn)->QuoteIdentifier(options_.migrations_table)));
  if (!version.ok()) return version.status();
  return static_cast<int>(version->Int(0, 0));
}

absl::Status Pool::Migrate(const std::vector<Migration>& migrations) {
  std::vector<Migration> ordered = migrations;
  std::sort(ordered.begin(), ordered.end(),
            [](const auto& a, const auto& b) { return a.version < b.version; });
  for (size_t i = 1; i < ordered.size(); ++i) {
    if (ordered[i].version == ordered[i - 1].version) {
      return absl::InternalError(
          absl::StrCat("two migrations numbered ", ordered[i].version));
    }
  }
  // One transaction, behind a lock of the schema's: a second process
  // migrating at once waits, then finds the versions applied.
  return InTransaction([&](Connection& conn) -> absl::Status {
    absl::StatusOr<Result> locked = conn.Execute(
        "SELECT pg_advisory_xact_lock(hashtext($1))",
        {Param::Text(absl::StrCat("palermo.migrate.", options_.schema))});
    if (!locked.ok()) return locked.status();
    const std::string schema = conn.QuoteIdentifier(options_.schema);
    const std::string table = conn.QuoteIdentifier(options_.migrations_table);
    if (absl::Status s = conn.Exec(
            absl::StrCat("CREATE SCHEMA IF NOT EXISTS ", schema,
                         ";"
                         "CREATE TABLE IF NOT EXISTS ",
                         schema, ".", table,
                         " (version integer PRIMARY KEY,"
                         " applied_at timestamptz NOT NULL DEFAULT now())"));
        !s.ok()) {
      return s;
    }
    absl::StatusOr<Result> current = conn.Execute(absl::StrCat(
        "SELECT COALESCE(MAX(version), 0) FROM ", schema, ".", table));
    if (!current.ok()) return current.status();
    const int64_t version = current->Int(0, 0);
    if (!ordered.empty() && version > ordered.back().version) {
      return absl::FailedPreconditionError(absl::StrCat(
          "database schema ", options_.schema, " is at version ", version,
          ", newer than this binary knows (", ordered.back().version, ")"));
    }
    for (const Migration& m : ordered) {
      if (m.version <= version) continue;
      if (absl::Status s = conn.Exec(m.sql); !s.ok()) return s;
      absl::StatusOr<Result> recorded =
          conn.Execute(absl::StrCat("INSERT INTO ", schema, ".", table,
                                    "(version) VALUES ($1)"),
                       {Param::Int(m.version)});
      if (!recorded.ok()) return recorded.status();
    }
    return absl::OkStatus();
  });
}

// ---- NOTIFY and LISTEN ----

absl::Status Notify(Connection& conn, absl::string_view channel,
                    absl::string_view payload) {
  return conn
      .Execute("SELECT pg_notify($1, $2)",
               {Param::Text(channel), Param::Text(payload)})
      .status();
}

Listener::Listener(std::string dsn, std::string channel, Callback callback)
    : dsn_(std::move(dsn)),
      channel_(std::move(channel)),
      callback_(std::move(callback)) {}

absl::StatusOr<std::unique_ptr<Listener>> Listener::Start(
    const std::string& dsn, const std::string& channel, Callback callback) {
  std::unique_ptr<Listener> listener(
      new Listener(dsn, channel, std::move(callback)));
  if (pipe2(listener->wake_, O_CLOEXEC | O_NONBLOCK) != 0) {
    return absl::InternalError(
        absl::StrCat("pipe: ", std::strerror(errno)));
  }
  absl::StatusOr<std::unique_ptr<Connection>> conn = Connection::Open(dsn);
  if (!conn.ok()) return conn.status();
  listener->conn_ = *std::move(conn);
  if (absl::Status s = listener->Listen(); !s.ok()) return s;
  listener->thread_ = std::thread([l = listener.get()] { l->Run(); });
  return listener;
}

Listener::~Listener() {
  if (thread_.joinable()) {
    const char byte = 0;
    while (write(wake_[1], &byte, 1) < 0 && errno == EINTR) {
    }
    thread_.join();
  }
  for (int fd : wake_) {
    if (fd >= 0) close(fd);
  }
}

absl::Status Listener::Listen() {
  return conn_->Exec(
      absl::StrCat("LISTEN ", conn_->QuoteIdentifier(channel_)));
}

bool Listener::Wait(int socket, absl::Duration timeout) {
  pollfd fds[2] = {{wake_[0], POLLIN, 0}, {socket, POLLIN, 0}};
  const int ms = timeout == absl::InfiniteDuration()
                     ? -1
                     : static_cast<int>(absl::ToInt64Milliseconds(timeout));
  while (poll(fds, socket >= 0 ? 2 : 1, ms) < 0) {
    if (errno != EINTR) return true;
  }
  return (fds[0].revents & POLLIN) == 0;
}

void Listener::Run() {
  auto deliver = [this] {
    while (PGnotify* n = PQnotifies(conn_->raw())) {
      std::string payload = n->extra ? n->extra : "";
      PQfreemem(n);
      callback_(payload);
    }
  };
  while (true) {
    if (conn_ == nullptr) {
      // Connect again, backing off, until the server answers or Stop.
      absl::Duration backoff = absl::Milliseconds(20);
      while (conn_ == nullptr) {
        if (!Wait(-1, backoff)) return;
        backoff = std::min(backoff * 2, absl::Seconds(1));
        absl::StatusOr<std::unique_ptr<Connection>> conn =
            Connection::Open(dsn_);
        if (!conn.ok()) continue;
        conn_ = *std::move(conn);
        if (!Listen().ok()) conn_.reset();
      }
      reconnects_.fetch_add(1);
      callback_("");  // notifications may have been missed meanwhile
    }
    // Those libpq read while running a command, then those to come.
    deliver();
    if (!Wait(PQsocket(conn_->raw()), absl::InfiniteDuration())) return;
    if (!PQconsumeInput(conn_->raw()) || conn_->broken()) {
      spdlog::warn("postgres: listener on {} lost its connection: {}",
                   channel_, Trimmed(PQerrorMessage(conn_->raw())));
      deliver();  // what arrived before the loss
      conn_.reset();
    }
  }
}

}  // namespace palermo::postgres
