#include "services/common/sqlite.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"

namespace palermo::sqlite {
namespace {

// Logs the details (SQL included) and returns a status fit for a client:
// the SQL and the schema stay in the log.
absl::Status Error(sqlite3* db, absl::string_view what) {
  const int code = db ? sqlite3_extended_errcode(db) : SQLITE_ERROR;
  const std::string detail = db ? sqlite3_errmsg(db) : "cannot open";
  spdlog::error("sqlite: {}: {} (code {})", std::string(what), detail, code);
  switch (code) {
    case SQLITE_CONSTRAINT_PRIMARYKEY:
    case SQLITE_CONSTRAINT_UNIQUE:
      return absl::AlreadyExistsError("storage: key already exists");
    default:
      break;
  }
  switch (code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return absl::UnavailableError("storage busy, retry");
    default:
      return absl::InternalError(absl::StrCat("storage error: ", detail));
  }
}

}  // namespace

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_),
      stmt_(std::exchange(other.stmt_, nullptr)),
      bind_error_(std::move(other.bind_error_)) {}

Statement::~Statement() {
  if (stmt_) sqlite3_finalize(stmt_);
}

Statement& Statement::Bind(int index, int64_t value) {
  if (sqlite3_bind_int64(stmt_, index, value) != SQLITE_OK) {
    bind_error_ = Error(db_, "bind");
  }
  return *this;
}

Statement& Statement::Bind(int index, absl::string_view text) {
  if (sqlite3_bind_text(stmt_, index, text.data(),
                        static_cast<int>(text.size()),
                        SQLITE_TRANSIENT) != SQLITE_OK) {
    bind_error_ = Error(db_, "bind");
  }
  return *this;
}

Statement& Statement::BindBlob(int index, absl::string_view bytes) {
  if (sqlite3_bind_blob(stmt_, index, bytes.data(),
                        static_cast<int>(bytes.size()),
                        SQLITE_TRANSIENT) != SQLITE_OK) {
    bind_error_ = Error(db_, "bind");
  }
  return *this;
}

absl::StatusOr<bool> Statement::Step() {
  if (!bind_error_.ok()) return bind_error_;
  switch (sqlite3_step(stmt_)) {
    case SQLITE_ROW:
      return true;
    case SQLITE_DONE:
      return false;
    default:
      return Error(db_, sqlite3_sql(stmt_));
  }
}

absl::Status Statement::Run() {
  absl::StatusOr<bool> row = Step();
  if (!row.ok()) return row.status();
  return absl::OkStatus();
}

Statement& Statement::BindStatic(int index, absl::string_view bytes,
                                 bool blob) {
  const int rc =
      blob ? sqlite3_bind_blob(stmt_, index, bytes.data(),
                               static_cast<int>(bytes.size()), SQLITE_STATIC)
           : sqlite3_bind_text(stmt_, index, bytes.data(),
                               static_cast<int>(bytes.size()), SQLITE_STATIC);
  if (rc != SQLITE_OK) bind_error_ = Error(db_, "bind");
  return *this;
}

void Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  bind_error_ = absl::OkStatus();
}

int64_t Statement::ColumnInt(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

std::string Statement::ColumnText(int column) const {
  const auto* text = sqlite3_column_text(stmt_, column);
  return text ? std::string(reinterpret_cast<const char*>(text),
                            sqlite3_column_bytes(stmt_, column))
              : std::string();
}

std::string Statement::ColumnBlob(int column) const {
  const void* blob = sqlite3_column_blob(stmt_, column);
  return blob ? std::string(static_cast<const char*>(blob),
                            sqlite3_column_bytes(stmt_, column))
              : std::string();
}

absl::StatusOr<std::unique_ptr<Database>> Database::Open(
    const std::string& path, const std::vector<Migration>& migrations,
    absl::string_view migrations_table) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(
      path.c_str(), &raw,
      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
      nullptr);
  if (rc != SQLITE_OK) {
    absl::Status status = Error(raw, absl::StrCat("open ", path));
    sqlite3_close(raw);
    return status;
  }
  std::unique_ptr<Database> db(new Database(raw, migrations_table));
  sqlite3_busy_timeout(raw, 5000);
  // WAL lets readers proceed during a write; FULL syncs the WAL on every
  // commit, so an acknowledged write is on disk before the reply is sent.
  for (const char* pragma :
       {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL",
        "PRAGMA foreign_keys=ON",
        // 64 MiB of page cache: bulk imports touch many index pages.
        "PRAGMA cache_size=-65536",
        // Checkpoint the WAL into the database every 64 MiB rather than
        // 4 MiB, so that a bulk import does not checkpoint at every commit.
        // Durability is the WAL's: it is synced at each commit either way.
        "PRAGMA wal_autocheckpoint=16384"}) {
    if (absl::Status s = db->Exec(pragma); !s.ok()) return s;
  }
  if (absl::Status s = db->Migrate(migrations); !s.ok()) return s;
  return db;
}

Database::~Database() { sqlite3_close_v2(db_); }

absl::StatusOr<Statement> Database::Prepare(absl::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt,
                         nullptr) != SQLITE_OK) {
    return Error(db_, absl::StrCat("prepare ", sql));
  }
  return Statement(db_, stmt);
}

absl::Status Database::Exec(absl::string_view sql) {
  char* message = nullptr;
  std::string owned(sql);
  if (sqlite3_exec(db_, owned.c_str(), nullptr, nullptr, &message) !=
      SQLITE_OK) {
    absl::Status status = Error(db_, owned);
    sqlite3_free(message);
    return status;
  }
  return absl::OkStatus();
}

absl::StatusOr<int> Database::SchemaVersion() {
  absl::StatusOr<Statement> stmt = Prepare(absl::StrCat(
      "SELECT COALESCE(MAX(version), 0) FROM ", migrations_table_));
  if (!stmt.ok()) return stmt.status();
  absl::StatusOr<bool> row = stmt->Step();
  if (!row.ok()) return row.status();
  return static_cast<int>(stmt->ColumnInt(0));
}

absl::Status Database::Migrate(const std::vector<Migration>& migrations) {
  auto lock = Lock();
  if (absl::Status s =
          Exec(absl::StrCat("CREATE TABLE IF NOT EXISTS ", migrations_table_,
                            " ("
                            " version INTEGER PRIMARY KEY,"
                            " applied_at TEXT NOT NULL DEFAULT "
                            "(strftime('%Y-%m-%dT%H:%M:%fZ')))"));
      !s.ok()) {
    return s;
  }
  absl::StatusOr<int> current = SchemaVersion();
  if (!current.ok()) return current.status();
  std::vector<Migration> ordered = migrations;
  std::sort(ordered.begin(), ordered.end(),
            [](const auto& a, const auto& b) { return a.version < b.version; });
  if (!ordered.empty() && *current > ordered.back().version) {
    return absl::FailedPreconditionError(absl::StrCat(
        "database schema version ", *current,
        " is newer than this binary knows (", ordered.back().version, ")"));
  }
  for (const Migration& m : ordered) {
    if (m.version <= *current) continue;
    absl::StatusOr<Transaction> txn = Transaction::Begin(*this);
    if (!txn.ok()) return txn.status();
    if (absl::Status s = Exec(m.sql); !s.ok()) return s;
    absl::StatusOr<Statement> record = Prepare(absl::StrCat(
        "INSERT INTO ", migrations_table_, "(version) VALUES (?)"));
    if (!record.ok()) return record.status();
    if (absl::Status s = record->Bind(1, int64_t{m.version}).Run(); !s.ok()) {
      return s;
    }
    if (absl::Status s = txn->Commit(); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::StatusOr<Transaction> Transaction::Begin(Database& db) {
  if (absl::Status s = db.Exec("BEGIN IMMEDIATE"); !s.ok()) return s;
  return Transaction(&db);
}

Transaction::Transaction(Transaction&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)) {}

Transaction::~Transaction() {
  if (db_) db_->Exec("ROLLBACK").IgnoreError();
}

absl::Status Transaction::Commit() {
  absl::Status s = db_->Exec("COMMIT");
  if (s.ok()) db_ = nullptr;
  return s;
}

bool Statement::ColumnIsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

}  // namespace palermo::sqlite
