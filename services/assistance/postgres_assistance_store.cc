// The victim assistance store on PostgreSQL (postgres_assistance_store.h).
#include "services/assistance/postgres_assistance_store.h"

#include <utility>

#include "services/assistance/measure_type_seed.h"
#include "services/common/postgres_requests.h"

namespace palermo::assistance {
namespace {

using postgres::Connection;
using postgres::Param;

constexpr char kReleaseColumns[] =
    "SELECT number, cut_time, k, cells FROM case_releases ";

StoredCaseRelease ReleaseAt(const postgres::Result& r, int row) {
  return {r.Int(row, 0), r.Time(row, 1), r.Int(row, 2), r.Bytes(row, 3)};
}

// The record collections: measures by migration 3, cases by 4.
std::vector<CollectionSchema> Collections() { return RecordCollections(3, 4); }

}  // namespace

absl::StatusOr<std::vector<postgres::Migration>>
PostgresAssistanceStore::Migrations() {
  // The record store's tables (requests 2, measures 3, cases 4, change log
  // 6) around the catalogue (1) and the releases (5).
  const RecordSchema records = {/*requests_version=*/2, Collections(),
                                /*changes_version=*/6};
  absl::StatusOr<std::vector<postgres::Migration>> migrations =
      PostgresRecordStore::Migrations(records);
  if (!migrations.ok()) return migrations.status();
  migrations->push_back({1,
                         "CREATE TABLE measure_types ("
                         "  code text COLLATE \"C\" PRIMARY KEY,"
                         "  display_name text NOT NULL,"
                         "  description text NOT NULL);" +
                             InitialMeasureTypesSql() + ";" +
                             AddedMeasureTypesSql()});
  migrations->push_back({5,
                         "CREATE TABLE case_releases ("
                         "  number bigint PRIMARY KEY,"
                         "  cut_time timestamptz NOT NULL,"
                         "  k bigint NOT NULL,"
                         "  cells bytea NOT NULL)"});
  return migrations;
}

absl::StatusOr<std::unique_ptr<PostgresAssistanceStore>>
PostgresAssistanceStore::Open(const postgres::Options& options,
                              const ChangeLogOptions& log) {
  absl::StatusOr<std::vector<postgres::Migration>> migrations = Migrations();
  if (!migrations.ok()) return migrations.status();
  absl::StatusOr<std::unique_ptr<postgres::Pool>> pool =
      postgres::Pool::Open(options, *migrations);
  if (!pool.ok()) return pool.status();
  auto records = PostgresRecordStore::Over(**pool, Collections(), log);
  if (!records.ok()) return records.status();
  return std::unique_ptr<PostgresAssistanceStore>(
      new PostgresAssistanceStore(*std::move(pool), *std::move(records)));
}

absl::StatusOr<WriteResult> PostgresAssistanceStore::Create(
    const std::string& resource, const std::string& request_id,
    const StoredRequest& request,
    const std::function<absl::Status(Connection&)>& insert) {
  PostgresChangeLog& log = records_->change_log();
  WriteResult result;
  bool written = false;
  absl::Status status =
      pool_->InTransaction([&](Connection& conn) -> absl::Status {
        written = false;
        // The key first: a concurrent retry holding it makes this wait for its
        // end, then find it taken.
        if (!request_id.empty()) {
          absl::StatusOr<bool> stored =
              TryStoreRequest(conn, request_id, request);
          if (!stored.ok()) return stored.status();
          if (!*stored) {
            absl::StatusOr<std::optional<StoredRequest>> earlier =
                FindStoredRequest(conn, request_id);
            if (!earlier.ok()) return earlier.status();
            if (!earlier->has_value()) {
              return absl::InternalError("request id taken but not found");
            }
            absl::StatusOr<int64_t> latest = log.Latest(conn);
            if (!latest.ok()) return latest.status();
            result = {0, *latest, *std::move(*earlier)};
            return absl::OkStatus();
          }
        }
        if (absl::Status s = insert(conn); !s.ok()) return s;
        ChangeEntry change;
        change.resource = resource;
        change.revision = 1;
        change.type = common::v1::CHANGE_TYPE_CREATED;
        std::vector<ChangeEntry> entries = {std::move(change)};
        auto appended = log.Append(conn, entries);
        if (!appended.ok()) return appended.status();
        result = {1, appended->sequence, std::nullopt};
        written = true;
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  if (written) log.Committed();
  return result;
}

absl::StatusOr<std::vector<v1::MeasureType>>
PostgresAssistanceStore::ListMeasureTypes() {
  absl::StatusOr<postgres::Pool::Handle> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  absl::StatusOr<postgres::Result> r = (*conn)->Execute(
      "SELECT code, display_name, description FROM measure_types"
      " ORDER BY code");
  if (!r.ok()) return r.status();
  std::vector<v1::MeasureType> out(r->rows());
  for (int i = 0; i < r->rows(); ++i) {
    out[i].set_code(r->Text(i, 0));
    out[i].set_name(MeasureTypeName(out[i].code()));
    out[i].set_display_name(r->Text(i, 1));
    out[i].set_description(r->Text(i, 2));
  }
  return out;
}

absl::StatusOr<WriteResult> PostgresAssistanceStore::CreateMeasureType(
    const v1::MeasureType& t) {
  return Create(MeasureTypeName(t.code()), "", {},
                [&](Connection& conn) -> absl::Status {
                  return conn
                      .Execute(
                          "INSERT INTO measure_types(code, display_name,"
                          " description) VALUES ($1, $2, $3)",
                          {Param::Text(t.code()), Param::Text(t.display_name()),
                           Param::Text(t.description())})
                      .status();
                });
}

absl::StatusOr<std::vector<StoredCaseRelease>>
PostgresAssistanceStore::ListCaseReleases() {
  absl::StatusOr<postgres::Pool::Handle> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  absl::StatusOr<postgres::Result> r =
      (*conn)->Execute(std::string(kReleaseColumns) + "ORDER BY number");
  if (!r.ok()) return r.status();
  std::vector<StoredCaseRelease> out;
  out.reserve(r->rows());
  for (int i = 0; i < r->rows(); ++i) out.push_back(ReleaseAt(*r, i));
  return out;
}

absl::StatusOr<std::optional<StoredCaseRelease>>
PostgresAssistanceStore::GetCaseRelease(int64_t number) {
  absl::StatusOr<postgres::Pool::Handle> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  absl::StatusOr<postgres::Result> r =
      number == 0
          ? (*conn)->Execute(std::string(kReleaseColumns) +
                             "ORDER BY number DESC LIMIT 1")
          : (*conn)->Execute(std::string(kReleaseColumns) + "WHERE number = $1",
                             {Param::Int(number)});
  if (!r.ok()) return r.status();
  if (r->rows() == 0) return std::nullopt;
  return ReleaseAt(*r, 0);
}

absl::StatusOr<int64_t> PostgresAssistanceStore::LatestCaseReleaseNumber() {
  absl::StatusOr<postgres::Pool::Handle> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  absl::StatusOr<postgres::Result> r = (*conn)->Execute(
      "SELECT COALESCE(MAX(number), 0)::bigint FROM case_releases");
  if (!r.ok()) return r.status();
  return r->Int(0, 0);
}

absl::StatusOr<WriteResult> PostgresAssistanceStore::AddCaseRelease(
    const StoredCaseRelease& release, const std::string& request_id,
    const StoredRequest& request) {
  return Create(
      CaseReleaseName(release.number), request_id, request,
      [&](Connection& conn) -> absl::Status {
        return conn
            .Execute(
                "INSERT INTO case_releases(number, cut_time, k,"
                " cells) VALUES ($1, $2, $3, $4)",
                {Param::Int(release.number), Param::Time(release.cut_time),
                 Param::Int(release.k), Param::Bytes(release.cells)})
            .status();
      });
}

}  // namespace palermo::assistance
