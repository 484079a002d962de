// Storage contract of the enforcement statistics service: observations with
// every version kept (valid from its commit until the next), the indicator
// code list, idempotency keys and the service's change log (change_log.h).
// Each batch is one atomic write, its changes logged in its transaction.
// Names no database: SQLite (sqlite_enforcement_store.h) and PostgreSQL
// (postgres_enforcement_store.h) implement it and pass one contract suite
// (enforcement_store_contract.h).
#ifndef PALERMO_SERVICES_ENFORCEMENT_ENFORCEMENT_STORE_H_
#define PALERMO_SERVICES_ENFORCEMENT_ENFORCEMENT_STORE_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "palermo/enforcement/v1/enforcement.pb.h"
#include "services/common/change_log.h"
#include "services/common/idempotency.h"
#include "services/common/periods.h"

namespace palermo::enforcement {

// Which observations to read. Empty fields do not constrain.
struct ObservationQuery {
  std::string entity;
  std::string indicator;
  std::string name;
  std::optional<DayRange> overlaps;
  std::optional<int> dims_mask;     // exactly these dimensions broken down
  std::optional<absl::Time> as_of;  // unset: current versions
  std::string after_name;           // pagination: names after this one
  int limit = 0;                    // 0: no limit
};

struct BatchOutcome {
  absl::Time commit_time;  // when the batch's versions became valid
  int64_t created = 0;
  int64_t revised = 0;
  int64_t unchanged = 0;
  // The change log's sequence of the batch's last change; when it logged
  // none (every row unchanged, or a request committed before), the latest
  // committed sequence.
  int64_t sequence = 0;
};

// Bit set of the dimensions an observation is broken down by: 1 sex, 2 age
// group, 4 form of exploitation, 8 citizenship; 0 for a total.
inline int DimensionsMask(const v1::Observation& o) {
  return (o.sex() != v1::SEX_UNSPECIFIED ? 1 : 0) |
         (o.age_group() != v1::AGE_GROUP_UNSPECIFIED ? 2 : 0) |
         (o.exploitation_form() != common::v1::EXPLOITATION_FORM_UNSPECIFIED
              ? 4
              : 0) |
         (!o.citizenship().empty() ? 8 : 0);
}

class EnforcementStore {
 public:
  virtual ~EnforcementStore() = default;

  virtual absl::StatusOr<std::vector<v1::Indicator>> ListIndicators() = 0;
  // ALREADY_EXISTS if the code is taken. Logs a change CREATED of
  // `indicators/CODE` (revision 1) and returns its sequence.
  virtual absl::StatusOr<int64_t> CreateIndicator(
      const v1::Indicator& indicator) = 0;

  // Versions matching the query, ordered by name.
  virtual absl::StatusOr<std::vector<v1::Observation>> Query(
      const ObservationQuery& query) = 0;

  // Every version of one observation, newest first, with the time each was
  // superseded (unset for the current one).
  virtual absl::StatusOr<std::vector<v1::ObservationRevision>> Revisions(
      absl::string_view name, int64_t before_revision, int limit) = 0;

  // Writes `rows` (names set, output fields clear, no name twice) as one
  // transaction, valid from a commit time no earlier than `not_before` and
  // later than every earlier commit's, by any process on the database (the
  // last commit time is kept in the database and updated in the batch's
  // transaction), so that versions never overlap and commit times follow
  // the sequences: a row
  // equal to the current version is unchanged, another becomes a new
  // version. On return each row holds its stored version. Logs one change
  // per version written (resource: the observation's name, revision: its
  // revision_id; CREATED for a first version, UPDATED for a later one),
  // none for an unchanged row, numbered in row order.
  // If `request_id` was committed before, writes nothing and returns that
  // request in `earlier`; otherwise stores `make_response(outcome)` under it.
  virtual absl::StatusOr<BatchOutcome> WriteBatch(
      std::vector<v1::Observation>& rows, absl::Time not_before,
      const std::string& request_id, const std::string& fingerprint,
      const std::function<std::string(const BatchOutcome&)>& make_response,
      std::optional<StoredRequest>* earlier) = 0;

  virtual absl::StatusOr<std::optional<StoredRequest>> FindRequest(
      absl::string_view request_id) = 0;

  // The service's change log, written by every write above.
  virtual ChangeLog& Changes() = 0;
};

}  // namespace palermo::enforcement

#endif  // PALERMO_SERVICES_ENFORCEMENT_ENFORCEMENT_STORE_H_
