#include "services/assistance/sqlite_assistance_store.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"

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

const char* Table(Collection c) {
  return c == Collection::kMeasures ? "measures" : "cases";
}

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
                      "  description TEXT NOT NULL);"
                      "CREATE TABLE measures ("
                      "  name TEXT PRIMARY KEY,"
                      "  revision INTEGER NOT NULL,"
                      "  record BLOB NOT NULL);"
                      "CREATE TABLE cases ("
                      "  name TEXT PRIMARY KEY,"
                      "  revision INTEGER NOT NULL,"
                      "  record BLOB NOT NULL);") +
              kRequestsTableSql},
      {2, seed},
  };
}

}  // namespace

absl::StatusOr<std::unique_ptr<SqliteAssistanceStore>>
SqliteAssistanceStore::Open(const std::string& path) {
  auto db = sqlite::Database::Open(path, Migrations());
  if (!db.ok()) return db.status();
  return std::unique_ptr<SqliteAssistanceStore>(
      new SqliteAssistanceStore(*std::move(db)));
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

absl::StatusOr<std::optional<StoredItem>> SqliteAssistanceStore::Get(
    Collection collection, absl::string_view name) {
  auto lock = db_->Lock();
  auto stmt = db_->Prepare(absl::StrCat("SELECT revision, record FROM ",
                                        Table(collection), " WHERE name = ?"));
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, name);
  absl::StatusOr<bool> row = stmt->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::nullopt;
  return StoredItem{std::string(name), stmt->ColumnBlob(1), stmt->ColumnInt(0)};
}

absl::StatusOr<std::vector<StoredItem>> SqliteAssistanceStore::List(
    Collection collection, absl::string_view prefix,
    absl::string_view after_name) {
  auto lock = db_->Lock();
  // Names under a prefix lie between the prefix and the prefix followed by
  // the highest byte.
  auto stmt = db_->Prepare(
      absl::StrCat("SELECT name, revision, record FROM ", Table(collection),
                   " WHERE name > ? AND name >= ? AND name < ? || char(255)"
                   " AND length(record) > 0 ORDER BY name"));
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, after_name).Bind(2, prefix).Bind(3, prefix);
  std::vector<StoredItem> out;
  while (true) {
    absl::StatusOr<bool> row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    out.push_back(
        {stmt->ColumnText(0), stmt->ColumnBlob(2), stmt->ColumnInt(1)});
  }
  return out;
}

absl::StatusOr<int64_t> SqliteAssistanceStore::RevisionLocked(
    Collection collection, absl::string_view name) {
  auto stmt = db_->Prepare(absl::StrCat("SELECT revision FROM ",
                                        Table(collection), " WHERE name = ?"));
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, name);
  absl::StatusOr<bool> row = stmt->Step();
  if (!row.ok()) return row.status();
  return *row ? stmt->ColumnInt(0) : 0;
}

absl::Status SqliteAssistanceStore::Put(Collection collection,
                                        const StoredItem& item,
                                        int64_t expected_revision,
                                        const std::string& request_id,
                                        const StoredRequest& request,
                                        std::optional<StoredRequest>* earlier) {
  auto lock = db_->Lock();
  absl::StatusOr<sqlite::Transaction> txn = sqlite::Transaction::Begin(*db_);
  if (!txn.ok()) return txn.status();
  if (!request_id.empty()) {
    auto found = FindStoredRequest(*db_, request_id);
    if (!found.ok()) return found.status();
    if (found->has_value()) {
      *earlier = *std::move(found);
      return absl::OkStatus();
    }
  }
  absl::StatusOr<int64_t> revision = RevisionLocked(collection, item.name);
  if (!revision.ok()) return revision.status();
  if (*revision != expected_revision) {
    return absl::AbortedError(absl::StrCat(item.name, " changed concurrently"));
  }
  auto stmt = db_->Prepare(absl::StrCat(
      "INSERT INTO ", Table(collection),
      "(name, revision, record) VALUES (?1, ?2, ?3)"
      " ON CONFLICT(name) DO UPDATE SET revision = ?2, record = ?3"));
  if (!stmt.ok()) return stmt.status();
  if (absl::Status s = stmt->Bind(1, item.name)
                           .Bind(2, item.revision)
                           .BindBlob(3, item.record)
                           .Run();
      !s.ok()) {
    return s;
  }
  if (!request_id.empty()) {
    if (absl::Status s = StoreRequest(*db_, request_id, request); !s.ok())
      return s;
  }
  return txn->Commit();
}

absl::Status SqliteAssistanceStore::Delete(Collection collection,
                                           absl::string_view name,
                                           int64_t expected_revision) {
  auto lock = db_->Lock();
  absl::StatusOr<sqlite::Transaction> txn = sqlite::Transaction::Begin(*db_);
  if (!txn.ok()) return txn.status();
  absl::StatusOr<int64_t> revision = RevisionLocked(collection, name);
  if (!revision.ok()) return revision.status();
  if (*revision != expected_revision) {
    return absl::AbortedError(absl::StrCat(name, " changed concurrently"));
  }
  // A tombstone: the data is erased, the revision goes on, so that an etag
  // of the deleted item never matches an item created again under its name.
  auto stmt = db_->Prepare(absl::StrCat(
      "UPDATE ", Table(collection),
      " SET record = x'', revision = revision + 1 WHERE name = ?"));
  if (!stmt.ok()) return stmt.status();
  if (absl::Status s = stmt->Bind(1, name).Run(); !s.ok()) return s;
  return txn->Commit();
}

}  // namespace palermo::assistance
