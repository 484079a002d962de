// The gateway's access policy: which principal may call which method, and on
// which entity. Every method the gateway serves has one kind of access:
//
//   public read        anyone, anonymous readers included;
//   entity write       a token: an analyst or an administrator on any entity,
//                      a focal point on its own entity only (read from the
//                      request, per method); readers and case workers never;
//   Secretariat write  a token of an analyst or an administrator (cycles,
//                      narrative blocks, report versions, inter-agency groups);
//   Secretariat read   the same (the findings of a cycle's checks, which are
//                      for analysts: DOMAIN.md);
//   catalogue write    an administrator (indicators, measure types);
//   audit read         an administrator.
//
// A method the policy does not list is refused (default deny), so a new RPC
// is closed until it is classified here. Pure: no gRPC; the gateway's server
// interceptor calls it with the authenticated principal.
#ifndef PALERMO_SERVICES_GATEWAY_ACCESS_POLICY_H_
#define PALERMO_SERVICES_GATEWAY_ACCESS_POLICY_H_

#include <google/protobuf/message.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/common/entities.h"
#include "services/common/principal.h"

namespace palermo::gateway {

enum class Access {
  kPublicRead,
  kEntityWrite,
  kSecretariatWrite,
  kSecretariatRead,
  kCatalogueWrite,
  kAuditRead,
};

// "public read", "entity write", ...: for messages.
absl::string_view AccessName(Access access);

// Whether `who` is the caller without a token (AnonymousReader()).
bool IsAnonymous(const Principal& who);

class AccessPolicy {
 public:
  // The entities an entity write touches, read from its request (or, for a
  // client stream, from one of its messages): `countries/EST`,
  // `organizations/LAS`. An error when they cannot be determined.
  using EntitiesOf = std::function<absl::StatusOr<std::vector<std::string>>(
      const google::protobuf::Message&)>;

  // `entities` maps the bare entity ids some requests carry (a cycle's
  // responses/{entity_id}, SDMX's REF_AREA) to entity names, as the
  // services do; it must outlive the policy.
  explicit AccessPolicy(const EntityRegistry& entities);

  // The kind of access of a full method name ("/pkg.Service/Method"), or
  // nullopt if the policy does not list it.
  std::optional<Access> AccessOf(absl::string_view full_method) const;

  // Whether `who` may call `full_method` at all, before any message is read
  // (the start of a client stream): OK; UNAUTHENTICATED for an anonymous
  // caller on a method that needs a token; PERMISSION_DENIED naming the role
  // otherwise, and for an unlisted method. A focal point passes here on an
  // entity write; each message is then checked by AuthorizeMessage.
  absl::Status AuthorizeMethod(const Principal& who,
                               absl::string_view full_method) const;

  // AuthorizeMethod, then, for a focal point on an entity write, the
  // entities `request` writes: PERMISSION_DENIED naming them if one is not
  // the focal point's ("focal point of countries/EST may not write
  // countries/FRA"), or if the request names none that can be determined.
  absl::Status Authorize(const Principal& who, absl::string_view full_method,
                         const google::protobuf::Message& request) const;

  // Authorize for one message of a client-streamed call (ImportObservations):
  // call it for every message read. A message that carries no rows writes
  // nothing and passes.
  absl::Status AuthorizeMessage(const Principal& who,
                                absl::string_view full_method,
                                const google::protobuf::Message& message) const {
    return Authorize(who, full_method, message);
  }

  // Every method the policy lists, for tests.
  std::vector<std::string> Methods() const;

 private:
  struct Rule {
    Access access;
    EntitiesOf entities;  // entity writes only
  };
  void Add(absl::string_view service, absl::string_view method, Access access,
           EntitiesOf entities = nullptr);

  const EntityRegistry& entities_;
  absl::flat_hash_map<std::string, Rule> rules_;
};

}  // namespace palermo::gateway

#endif  // PALERMO_SERVICES_GATEWAY_ACCESS_POLICY_H_
