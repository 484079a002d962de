// The victim assistance store on SQLite (sqlite_assistance_store.h).
#include "services/assistance/sqlite_assistance_store.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "services/assistance/measure_type_seed.h"
#include "services/common/idempotency.h"
#include "services/common/sqlite_change_log.h"
#include "services/common/sqlite_requests.h"

namespace palermo::assistance {
namespace {

constexpr char kReleaseColumns[] =
    "SELECT number, cut_time_micros, k, cells FROM case_releases ";

StoredCaseRelease ReleaseAt(const sqlite::Statement& stmt) {
  StoredCaseRelease r;
  r.number = stmt.ColumnInt(0);
  r.cut_time = absl::FromUnixMicros(stmt.ColumnInt(1));
  r.k = stmt.ColumnInt(2);
  r.cells = stmt.ColumnBlob(3);
  return r;
}

}  // namespace

std::vector<sqlite::Migration> SqliteAssistanceStore::Migrations() {
  return {
      {1, std::string("CREATE TABLE measure_types ("
                      "  code TEXT PRIMARY KEY,"
                      "  display_name TEXT NOT NULL,"
                      "  description TEXT NOT NULL);") +
              SqliteRecordStore::TableSql(kMeasuresTable) +
              SqliteRecordStore::TableSql(kCasesTable) + kRequestsTableSql},
      {2, InitialMeasureTypesSql()},
      // request_id: only releases cut before their keys went to the
      // requests table have one (KeyEarlierReleases empties it).
      {3,
       "CREATE TABLE case_releases ("
       "  number INTEGER PRIMARY KEY,"
       "  cut_time_micros INTEGER NOT NULL,"
       "  k INTEGER NOT NULL,"
       "  request_id TEXT NOT NULL,"
       "  cells BLOB NOT NULL);"},
      {4, AddedMeasureTypesSql()},
      // Issue 11: the change feed.
      ChangeLogMigration(5),
  };
}

absl::StatusOr<std::unique_ptr<SqliteAssistanceStore>>
SqliteAssistanceStore::Open(const std::string& path,
                            const ChangeLogOptions& options) {
  auto db = sqlite::Database::Open(path, Migrations());
  if (!db.ok()) return db.status();
  // Migration 1 creates both collections' tables.
  auto records =
      SqliteRecordStore::Over(**db, RecordCollections(1, 1), options);
  if (!records.ok()) return records.status();
  std::unique_ptr<SqliteAssistanceStore> store(
      new SqliteAssistanceStore(*std::move(db), *std::move(records)));
  if (absl::Status s = store->KeyEarlierReleases(); !s.ok()) return s;
  return store;
}

absl::Status SqliteAssistanceStore::KeyEarlierReleases() {
  auto lock = db_->Lock();
  auto stmt = db_->Prepare(
      "SELECT number, request_id FROM case_releases WHERE request_id <> ''");
  if (!stmt.ok()) return stmt.status();
  std::vector<std::pair<int64_t, std::string>> keyed;
  while (true) {
    absl::StatusOr<bool> row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    keyed.emplace_back(stmt->ColumnInt(0), stmt->ColumnText(1));
  }
  if (keyed.empty()) return absl::OkStatus();
  absl::StatusOr<sqlite::Transaction> txn = sqlite::Transaction::Begin(*db_);
  if (!txn.ok()) return txn.status();
  for (const auto& [number, request_id] : keyed) {
    v1::CreateCaseReleaseRequest request;
    request.set_request_id(request_id);
    // As the domain keys a cut: its fingerprint, the release's name.
    auto insert = db_->Prepare(
        "INSERT OR IGNORE INTO requests(request_id, fingerprint, response)"
        " VALUES (?, ?, ?)");
    if (!insert.ok()) return insert.status();
    absl::Status s =
        insert->Bind(1, request_id)
            .BindBlob(2, RequestFingerprint(kCreateCaseReleaseMethod, request))
            .BindBlob(3, CaseReleaseName(number))
            .Run();
    if (!s.ok()) return s;
  }
  if (absl::Status s = db_->Exec("UPDATE case_releases SET request_id = ''");
      !s.ok()) {
    return s;
  }
  return txn->Commit();
}

absl::StatusOr<WriteResult> SqliteAssistanceStore::Create(
    const std::string& resource, const std::string& request_id,
    const StoredRequest& request, const std::function<absl::Status()>& insert) {
  SqliteChangeLog& log = records_->change_log();
  bool written = false;
  absl::StatusOr<WriteResult> result = [&]() -> absl::StatusOr<WriteResult> {
    auto lock = db_->Lock();
    absl::StatusOr<sqlite::Transaction> txn = sqlite::Transaction::Begin(*db_);
    if (!txn.ok()) return txn.status();
    if (!request_id.empty()) {
      auto earlier = FindStoredRequest(*db_, request_id);
      if (!earlier.ok()) return earlier.status();
      if (earlier->has_value()) {
        absl::StatusOr<int64_t> latest = log.LatestLocked();
        if (!latest.ok()) return latest.status();
        return WriteResult{0, *latest, *std::move(earlier)};
      }
    }
    if (absl::Status s = insert(); !s.ok()) return s;
    if (!request_id.empty()) {
      if (absl::Status s = StoreRequest(*db_, request_id, request); !s.ok()) {
        return s;
      }
    }
    ChangeEntry change;
    change.resource = resource;
    change.revision = 1;
    change.type = common::v1::CHANGE_TYPE_CREATED;
    std::vector<ChangeEntry> entries = {std::move(change)};
    auto appended = log.Append(entries);
    if (!appended.ok()) return appended.status();
    if (absl::Status s = txn->Commit(); !s.ok()) return s;
    written = true;
    return WriteResult{1, appended->sequence, std::nullopt};
  }();
  if (written) log.Committed();
  return result;
}

absl::StatusOr<std::vector<v1::MeasureType>>
SqliteAssistanceStore::ListMeasureTypes() {
  auto lock = db_->Lock();
  auto stmt = db_->Prepare(
      "SELECT code, display_name, description FROM measure_types ORDER BY "
      "code");
  if (!stmt.ok()) return stmt.status();
  std::vector<v1::MeasureType> out;
  while (true) {
    absl::StatusOr<bool> row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    v1::MeasureType& t = out.emplace_back();
    t.set_code(stmt->ColumnText(0));
    t.set_name(MeasureTypeName(t.code()));
    t.set_display_name(stmt->ColumnText(1));
    t.set_description(stmt->ColumnText(2));
  }
  return out;
}

absl::StatusOr<WriteResult> SqliteAssistanceStore::CreateMeasureType(
    const v1::MeasureType& t) {
  return Create(MeasureTypeName(t.code()), "", {}, [&]() -> absl::Status {
    auto stmt = db_->Prepare(
        "INSERT INTO measure_types(code, display_name, description)"
        " VALUES (?, ?, ?)");
    if (!stmt.ok()) return stmt.status();
    return stmt->Bind(1, t.code())
        .Bind(2, t.display_name())
        .Bind(3, t.description())
        .Run();
  });
}

absl::StatusOr<std::vector<StoredCaseRelease>>
SqliteAssistanceStore::ListCaseReleases() {
  auto lock = db_->Lock();
  auto stmt = db_->Prepare(absl::StrCat(kReleaseColumns, "ORDER BY number"));
  if (!stmt.ok()) return stmt.status();
  std::vector<StoredCaseRelease> out;
  while (true) {
    absl::StatusOr<bool> row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    out.push_back(ReleaseAt(*stmt));
  }
  return out;
}

absl::StatusOr<std::optional<StoredCaseRelease>>
SqliteAssistanceStore::GetCaseRelease(int64_t number) {
  auto lock = db_->Lock();
  auto stmt = db_->Prepare(
      absl::StrCat(kReleaseColumns, number == 0 ? "ORDER BY number DESC LIMIT 1"
                                                : "WHERE number = ?"));
  if (!stmt.ok()) return stmt.status();
  if (number != 0) stmt->Bind(1, number);
  absl::StatusOr<bool> row = stmt->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::nullopt;
  return ReleaseAt(*stmt);
}

absl::StatusOr<int64_t> SqliteAssistanceStore::LatestCaseReleaseNumber() {
  auto lock = db_->Lock();
  auto stmt =
      db_->Prepare("SELECT COALESCE(MAX(number), 0) FROM case_releases");
  if (!stmt.ok()) return stmt.status();
  absl::StatusOr<bool> row = stmt->Step();
  if (!row.ok()) return row.status();
  return *row ? stmt->ColumnInt(0) : 0;
}

absl::StatusOr<WriteResult> SqliteAssistanceStore::AddCaseRelease(
    const StoredCaseRelease& r, const std::string& request_id,
    const StoredRequest& request) {
  return Create(CaseReleaseName(r.number), request_id, request,
                [&]() -> absl::Status {
                  auto stmt = db_->Prepare(
                      "INSERT INTO case_releases(number, cut_time_micros, k,"
                      " request_id, cells) VALUES (?, ?, ?, '', ?)");
                  if (!stmt.ok()) return stmt.status();
                  return stmt->Bind(1, r.number)
                      .Bind(2, absl::ToUnixMicros(r.cut_time))
                      .Bind(3, r.k)
                      .BindBlob(4, r.cells)
                      .Run();
                });
}

}  // namespace palermo::assistance
