#include "services/assistance/sqlite_assistance_store.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "services/common/sqlite_change_log.h"
#include "services/common/sqlite_requests.h"

namespace palermo::assistance {
namespace {

// The catalogue the report needs (issue: a managed catalogue of measure
// types); managed through the API afterwards.
constexpr const char* kSeedTypes[][3] = {
    {"SHELTER", "Shelter or safe housing",
     "Shelters, homes, reception and counselling centres"},
    {"HEALTH_CARE", "Health care", "Medical care"},
    {"PSYCHOLOGICAL_SUPPORT", "Psychological support",
     "Psychological support and counselling"},
    {"LEGAL_AID", "Legal aid", "Legal aid or counselling"},
    {"VOCATIONAL_TRAINING", "Vocational training",
     "Vocational training and education"},
    {"INTERPRETATION", "Interpretation",
     "Interpretation, information in a language the victim understands"},
    {"TRANSPORT", "Transport", "Transport"},
    {"FOOD_AID", "Food aid", "Food aid"},
    {"REPATRIATION", "Repatriation", "Assistance with repatriation"},
    {"REINTEGRATION", "Reintegration",
     "Rehabilitation and reintegration after return"},
    {"CONSULAR_ASSISTANCE", "Consular assistance",
     "Assistance to nationals abroad by consulates and embassies"},
    {"CHILD_TRANSIT_CENTRE", "Transit centres for children",
     "Reception and transit centres for child victims"},
    {"WITNESS_ANONYMITY", "Witness anonymity",
     "Protection of the anonymity of victims and witnesses"},
    {"VIDEO_TESTIMONY", "Testimony by video link",
     "Interviews or testimony by video link"},
    {"IDENTITY_CHANGE", "Change of identity",
     "Change of the witness's identity"},
    {"RELOCATION", "Relocation", "New residence at home or abroad"},
    {"RELEASE_NOTIFICATION", "Notice of a suspect's release",
     "Informing victims of a suspect's release"},
    {"REFLECTION_PERIOD", "Reflection and recovery period",
     "A period to recover and reflect, in days"},
    {"TEMPORARY_RESIDENCE", "Temporary residence permit",
     "Temporary visa or residence permit"},
    {"PROTOCOL_OR_MANUAL", "Protocol or manual",
     "A protocol or manual on assistance"},
    {"SUPPORT_PROGRAMME", "Support programme",
     "A national programme of support and protection"},
    {"NEEDS_ASSESSMENT", "Needs assessment",
     "Experts defining victims' needs and services"},
};

std::vector<sqlite::Migration> Migrations() {
  std::string seed =
      "INSERT INTO measure_types(code, display_name, description) VALUES ";
  bool first = true;
  for (const auto& row : kSeedTypes) {
    // SQL string literals: a quote is doubled.
    auto quote = [](const char* text) {
      return absl::StrCat("'", absl::StrReplaceAll(text, {{"'", "''"}}), "'");
    };
    absl::StrAppend(&seed, first ? "" : ",", "(", quote(row[0]), ",",
                    quote(row[1]), ",", quote(row[2]), ")");
    first = false;
  }
  return {
      {1, std::string("CREATE TABLE measure_types ("
                      "  code TEXT PRIMARY KEY,"
                      "  display_name TEXT NOT NULL,"
                      "  description TEXT NOT NULL);") +
              SqliteRecordStore::TableSql(kMeasuresTable) +
              SqliteRecordStore::TableSql(kCasesTable) + kRequestsTableSql},
      {2, seed},
      {3,
       "CREATE TABLE case_releases ("
       "  number INTEGER PRIMARY KEY,"
       "  cut_time_micros INTEGER NOT NULL,"
       "  k INTEGER NOT NULL,"
       "  request_id TEXT NOT NULL,"
       "  cells BLOB NOT NULL);"},
      // Para 23 (Philippines): information on victims' rights and related
      // laws had no code (issue 10).
      {4,
       "INSERT INTO measure_types(code, display_name, description) VALUES "
       "('RIGHTS_INFORMATION', 'Information on rights',"
       " 'Information for victims on their rights and on related laws');"},
      // Issue 11: the change feed.
      ChangeLogMigration(5),
  };
}

}  // namespace

absl::StatusOr<std::unique_ptr<SqliteAssistanceStore>>
SqliteAssistanceStore::Open(const std::string& path,
                            const ChangeLogOptions& options) {
  auto db = sqlite::Database::Open(path, Migrations());
  if (!db.ok()) return db.status();
  auto records =
      SqliteRecordStore::Over(**db, {kMeasuresTable, kCasesTable}, options);
  if (!records.ok()) return records.status();
  return std::unique_ptr<SqliteAssistanceStore>(
      new SqliteAssistanceStore(*std::move(db), *std::move(records)));
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
    t.set_name(absl::StrCat("measureTypes/", t.code()));
    t.set_display_name(stmt->ColumnText(1));
    t.set_description(stmt->ColumnText(2));
  }
  return out;
}

absl::Status SqliteAssistanceStore::CreateMeasureType(
    const v1::MeasureType& t) {
  auto lock = db_->Lock();
  auto stmt = db_->Prepare(
      "INSERT INTO measure_types(code, display_name, description) VALUES (?, "
      "?, ?)");
  if (!stmt.ok()) return stmt.status();
  return stmt->Bind(1, t.code())
      .Bind(2, t.display_name())
      .Bind(3, t.description())
      .Run();
}

namespace {
constexpr char kReleaseColumns[] =
    "SELECT number, cut_time_micros, k, request_id, cells FROM case_releases ";

StoredCaseRelease ReleaseAt(const sqlite::Statement& stmt) {
  StoredCaseRelease r;
  r.number = stmt.ColumnInt(0);
  r.cut_time = absl::FromUnixMicros(stmt.ColumnInt(1));
  r.k = stmt.ColumnInt(2);
  r.request_id = stmt.ColumnText(3);
  r.cells = stmt.ColumnBlob(4);
  return r;
}
}  // namespace

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

absl::Status SqliteAssistanceStore::AddCaseRelease(const StoredCaseRelease& r) {
  auto lock = db_->Lock();
  auto stmt = db_->Prepare(
      "INSERT INTO case_releases(number, cut_time_micros, k, request_id, "
      "cells) VALUES (?, ?, ?, ?, ?)");
  if (!stmt.ok()) return stmt.status();
  return stmt->Bind(1, r.number)
      .Bind(2, absl::ToUnixMicros(r.cut_time))
      .Bind(3, r.k)
      .Bind(4, r.request_id)
      .BindBlob(5, r.cells)
      .Run();
}

}  // namespace palermo::assistance
