// The legislation service's rules, free of gRPC: what a valid record is, how
// writes are made idempotent (idempotent_write.h), guarded by etags and kept
// as revisions, and how records are filtered and paged. Handlers translate;
// this decides.
#ifndef PALERMO_SERVICES_LEGISLATION_LEGISLATION_DOMAIN_H_
#define PALERMO_SERVICES_LEGISLATION_LEGISLATION_DOMAIN_H_

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "palermo/legislation/v1/legislation.pb.h"
#include "services/common/entities.h"
#include "services/common/idempotent_write.h"
#include "services/common/status.h"
#include "services/legislation/legislation_store.h"

namespace palermo::legislation {

inline constexpr char kLegislationType[] = "palermo.legislation.v1.Legislation";

class LegislationDomain {
 public:
  using Clock = std::function<absl::Time()>;

  LegislationDomain(LegislationStore& store, const EntityRegistry& entities,
                    Clock clock = absl::Now)
      : store_(store), entities_(entities), clock_(std::move(clock)) {}

  absl::StatusOr<v1::Legislation> Get(const v1::GetLegislationRequest& request);
  absl::StatusOr<v1::ListLegislationsResponse> List(
      const v1::ListLegislationsRequest& request);
  // The writes. Each sets `*sequence` (if given) to the change log's
  // sequence of its change; for a replayed request or a write that changed
  // nothing, to the latest committed sequence, which is at least as fresh.
  absl::StatusOr<v1::Legislation> Create(
      const v1::CreateLegislationRequest& request, absl::string_view actor,
      int64_t* sequence = nullptr);
  absl::StatusOr<v1::Legislation> Update(
      const v1::UpdateLegislationRequest& request, absl::string_view actor,
      int64_t* sequence = nullptr);
  absl::Status Delete(const v1::DeleteLegislationRequest& request,
                      absl::string_view actor, int64_t* sequence = nullptr);
  absl::StatusOr<v1::ListLegislationRevisionsResponse> ListRevisions(
      const v1::ListLegislationRevisionsRequest& request);

  // Adds a violation for everything wrong in a record's writable content;
  // field paths start with `prefix`.
  static void ValidateContent(const v1::Legislation& legislation,
                              absl::string_view prefix,
                              FieldViolations& violations);

 private:
  // The entity named by a `{entity}/legislation` name, or a violation on
  // `field`.
  absl::StatusOr<common::v1::ReportingEntity> EntityOfName(
      absl::string_view name, absl::string_view field) const;

  // What one attempt at a write answered (a serialised response) and the
  // sequence of its change (0: it wrote none).
  struct Answer {
    std::string response;
    int64_t sequence = 0;
  };

  // The idempotent-write protocol (idempotent_write.h) around `attempt`:
  // replays a request committed before, redoes `attempt` on ABORTED unless
  // `guarded` (the caller sent an etag), and gives a failed write the answer
  // of a concurrent retry that committed it meanwhile.
  absl::StatusOr<std::string> RunWrite(
      const IdempotentWrite& write, bool guarded,
      const std::function<absl::StatusOr<Answer>()>& attempt,
      int64_t* sequence);

  // Applies a write (guarded by its expected revision: ABORTED if the record
  // changed since it was read); if its request id was committed meanwhile
  // by a concurrent retry, that retry's answer.
  absl::StatusOr<Answer> Commit(const IdempotentWrite& write,
                                const Write& change);

  // The live record, or NOT_FOUND.
  absl::StatusOr<StoredRecord> GetLive(absl::string_view name);

  // ABORTED with the current etag, for a write that lost a race.
  absl::Status ConflictError(absl::string_view name,
                             absl::string_view sent_etag);

  // No lock of the process's own: writes are correct by the store's
  // compare-and-swap alone, so replicas may share one database.
  LegislationStore& store_;
  const EntityRegistry& entities_;
  Clock clock_;
};

}  // namespace palermo::legislation

#endif  // PALERMO_SERVICES_LEGISLATION_LEGISLATION_DOMAIN_H_
