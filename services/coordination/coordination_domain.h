// The coordination service's rules, free of gRPC: valid coordination
// bodies, plans, referral mechanisms, training, campaigns, cooperation and
// inter-agency groups; their standard methods; and the questions analysts
// ask across States (who has a national rapporteur, whose plan is in force,
// who cooperates with whom, how many were trained).
#ifndef PALERMO_SERVICES_COORDINATION_COORDINATION_DOMAIN_H_
#define PALERMO_SERVICES_COORDINATION_COORDINATION_DOMAIN_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/clock.h"
#include "palermo/coordination/v1/coordination.pb.h"
#include "services/common/entities.h"
#include "services/common/record_collection.h"
#include "services/common/status.h"
#include "services/coordination/coordination_schema.h"

namespace palermo::coordination {

// Get, List, Create, Update and Delete of one resource type. Each write
// sets `*sequence` (if not null) to the change log's sequence of its
// change; a replay or a write that changed nothing, to the latest (at
// least as fresh).
#define PALERMO_STANDARD_METHODS(T, Ts)                                 \
  absl::StatusOr<v1::T> Get##T(const v1::Get##T##Request& r);           \
  absl::StatusOr<v1::List##Ts##Response> List##Ts(                      \
      const v1::List##Ts##Request& r);                                  \
  absl::StatusOr<v1::T> Create##T(const v1::Create##T##Request& r,      \
                                  int64_t* sequence = nullptr);         \
  absl::StatusOr<v1::T> Update##T(const v1::Update##T##Request& r,      \
                                  int64_t* sequence = nullptr);         \
  absl::Status Delete##T(const v1::Delete##T##Request& r,               \
                         int64_t* sequence = nullptr);

class CoordinationDomain {
 public:
  using Clock = std::function<absl::Time()>;

  CoordinationDomain(RecordStore& store, const EntityRegistry& entities,
                     Clock clock = absl::Now);
  // Its collections validate through `this`.
  CoordinationDomain(const CoordinationDomain&) = delete;
  CoordinationDomain& operator=(const CoordinationDomain&) = delete;

  PALERMO_STANDARD_METHODS(CoordinationBody, CoordinationBodies)
  PALERMO_STANDARD_METHODS(ActionPlan, ActionPlans)
  PALERMO_STANDARD_METHODS(ReferralMechanism, ReferralMechanisms)
  PALERMO_STANDARD_METHODS(TrainingActivity, TrainingActivities)
  PALERMO_STANDARD_METHODS(AwarenessCampaign, AwarenessCampaigns)
  PALERMO_STANDARD_METHODS(CooperationActivity, CooperationActivities)
  PALERMO_STANDARD_METHODS(InterAgencyGroup, InterAgencyGroups)

  absl::StatusOr<v1::FindEntitiesResponse> FindEntities(
      const v1::FindEntitiesRequest& request);
  absl::StatusOr<v1::ListCooperationPartnersResponse> ListCooperationPartners(
      const v1::ListCooperationPartnersRequest& request);
  absl::StatusOr<v1::SummarizeTrainingResponse> SummarizeTraining(
      const v1::SummarizeTrainingRequest& request);
  absl::StatusOr<v1::EntityCoordination> GetEntityCoordination(
      const v1::GetEntityCoordinationRequest& request);

  // Record validation: every problem of a complete record, with field paths
  // under `prefix`.
  void Validate(const v1::CoordinationBody& r, absl::string_view prefix,
                FieldViolations& v) const;
  void Validate(const v1::ActionPlan& r, absl::string_view prefix,
                FieldViolations& v) const;
  void Validate(const v1::ReferralMechanism& r, absl::string_view prefix,
                FieldViolations& v) const;
  void Validate(const v1::TrainingActivity& r, absl::string_view prefix,
                FieldViolations& v) const;
  void Validate(const v1::AwarenessCampaign& r, absl::string_view prefix,
                FieldViolations& v) const;
  void Validate(const v1::CooperationActivity& r, absl::string_view prefix,
                FieldViolations& v) const;
  void Validate(const v1::InterAgencyGroup& r, absl::string_view prefix,
                FieldViolations& v) const;

 private:
  template <typename T>
  struct Kind;  // per-type collection and URL segment
  template <typename T>
  RecordCollection<T>& CollectionOf();
  template <typename T>
  absl::StatusOr<T> GetIn(const std::string& name);
  template <typename T>
  absl::StatusOr<std::vector<T>> ListIn(const std::string& parent,
                                        const std::string& filter,
                                        int page_size,
                                        const std::string& page_token,
                                        std::string* next_page_token);
  template <typename T, typename Request>
  absl::StatusOr<T> CreateIn(const Request& request, const std::string& parent,
                             const std::string& id, const T& record,
                             absl::string_view record_field,
                             absl::string_view id_field, int64_t* sequence);
  template <typename T, typename Request>
  absl::StatusOr<T> UpdateIn(const Request& request, const T& record,
                             const google::protobuf::FieldMask& mask,
                             absl::string_view field, int64_t* sequence);
  template <typename T, typename Request>
  absl::Status DeleteIn(const Request& request, int64_t* sequence);
  // The entity owning `name` (`{entity}/{segment}/{id}`), or
  // INVALID_ARGUMENT on `field`.
  template <typename T>
  absl::StatusOr<std::string> OwnerOf(absl::string_view name,
                                      absl::string_view field) const;

  void ValidateEntity(absl::string_view entity, const std::string& path,
                      FieldViolations& v) const;
  // Entity names: each known, none repeated, none `owner`, and with
  // `organizations_only` none a country.
  void ValidateEntities(
      const google::protobuf::RepeatedPtrField<std::string>& names,
      const std::string& path, const std::string& owner,
      bool organizations_only, FieldViolations& v) const;
  void ValidateInstitution(const v1::Institution& institution,
                           const std::string& path, FieldViolations& v) const;
  // A place: `country` a known `countries/{alpha3}`.
  void ValidatePlace(const v1::Place& place, const std::string& path,
                     FieldViolations& v) const;
  // Meetings (`path` is the repeated field): each sourced, hosts known.
  void ValidateMeetings(
      const google::protobuf::RepeatedPtrField<v1::GroupMeeting>& meetings,
      const std::string& path, bool require_sources, FieldViolations& v) const;
  // The checks every record type shares; false if a repeated field is over
  // kMaxRepeatedElements (named), and then its elements are not checked.
  bool ValidateRecord(const google::protobuf::Message& record,
                      absl::string_view prefix, FieldViolations& v) const;

  const EntityRegistry& entities_;
  RecordCollection<v1::CoordinationBody> bodies_;
  RecordCollection<v1::ActionPlan> plans_;
  RecordCollection<v1::ReferralMechanism> mechanisms_;
  RecordCollection<v1::TrainingActivity> trainings_;
  RecordCollection<v1::AwarenessCampaign> campaigns_;
  RecordCollection<v1::CooperationActivity> cooperations_;
  RecordCollection<v1::InterAgencyGroup> groups_;
};

#undef PALERMO_STANDARD_METHODS

}  // namespace palermo::coordination

#endif  // PALERMO_SERVICES_COORDINATION_COORDINATION_DOMAIN_H_
