// The legislation service's rules, free of gRPC: what a valid record is, how
// writes are made idempotent, guarded by etags and kept as revisions, and how
// records are filtered and paged. Handlers translate; this decides.
#ifndef PALERMO_SERVICES_LEGISLATION_LEGISLATION_DOMAIN_H_
#define PALERMO_SERVICES_LEGISLATION_LEGISLATION_DOMAIN_H_

#include <functional>
#include <mutex>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "palermo/legislation/v1/legislation.pb.h"
#include "services/common/entities.h"
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
  absl::StatusOr<v1::Legislation> Create(
      const v1::CreateLegislationRequest& request, absl::string_view actor);
  absl::StatusOr<v1::Legislation> Update(
      const v1::UpdateLegislationRequest& request, absl::string_view actor);
  absl::Status Delete(const v1::DeleteLegislationRequest& request,
                      absl::string_view actor);
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

  // The response of an earlier request with the same id, if any; an error if
  // the id was used for a different request.
  absl::StatusOr<std::optional<std::string>> Replay(
      absl::string_view request_id, const std::string& fingerprint);

  // Applies a write and returns the serialised response; if its request id
  // was committed meanwhile by a concurrent retry, returns that response.
  // ABORTED if the record changed since it was read.
  absl::StatusOr<std::string> Commit(const Write& write);
  absl::StatusOr<v1::Legislation> CommitRecord(const Write& write);

  // A write that failed after its replay check may have lost to a concurrent
  // retry of the same request: then that retry's answer is its answer too.
  absl::StatusOr<v1::Legislation> Settle(
      absl::string_view request_id, const std::string& fingerprint,
      absl::StatusOr<v1::Legislation> result);
  absl::Status Settle(absl::string_view request_id,
                      const std::string& fingerprint, absl::Status result);

  // The live record, or NOT_FOUND.
  absl::StatusOr<StoredRecord> GetLive(absl::string_view name);

  // ABORTED with the current etag, for a write that lost a race.
  absl::Status ConflictError(absl::string_view name,
                             absl::string_view sent_etag);

  LegislationStore& store_;
  const EntityRegistry& entities_;
  Clock clock_;
  // Serialises this process's read-merge-write cycles so they never race
  // each other; the store's compare-and-swap still guards against other
  // processes sharing the database.
  std::mutex write_mu_;
};

}  // namespace palermo::legislation

#endif  // PALERMO_SERVICES_LEGISLATION_LEGISLATION_DOMAIN_H_
