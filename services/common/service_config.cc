// The suite's service config (service_config.h): the JSON gRPC's client
// channel parses (gRPC's doc/service_config.md, and A6-client-retries for
// retryPolicy), built from the method descriptors.
#include "services/common/service_config.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "palermo/assistance/v1/assistance.grpc.pb.h"
#include "palermo/common/v1/audit.grpc.pb.h"
#include "palermo/coordination/v1/coordination.grpc.pb.h"
#include "palermo/enforcement/v1/enforcement.grpc.pb.h"
#include "palermo/gateway/v1/gateway.grpc.pb.h"
#include "palermo/legislation/v1/legislation.grpc.pb.h"
#include "palermo/reporting/v1/reporting.grpc.pb.h"

namespace palermo {
namespace {

using google::protobuf::MethodDescriptor;
using google::protobuf::MethodOptions;
using google::protobuf::ServiceDescriptor;

// `Service`'s descriptor. Naming `Message`, one of its file's messages,
// links the file's descriptors in (palermo_protos is a static library).
template <typename Service, typename Message>
const ServiceDescriptor* DescriptorOf() {
  return Message::descriptor()->file()->pool()->FindServiceByName(
      Service::service_full_name());
}

// A protobuf JSON duration: "0.050s".
std::string JsonDuration(absl::Duration d) {
  return absl::StrFormat("\"%.3fs\"", absl::ToDoubleSeconds(d));
}

std::string RetryPolicyJson(const RetryPolicy& retry) {
  return absl::StrCat(
      "{\"maxAttempts\":", retry.max_attempts,
      ",\"initialBackoff\":", JsonDuration(retry.initial_backoff),
      ",\"maxBackoff\":", JsonDuration(retry.max_backoff),
      ",\"backoffMultiplier\":", retry.backoff_multiplier,
      ",\"retryableStatusCodes\":[\"UNAVAILABLE\"]}");
}

bool HasNoSideEffects(const MethodDescriptor& method) {
  return method.options().idempotency_level() == MethodOptions::NO_SIDE_EFFECTS;
}

// The methods of `services` marked NO_SIDE_EFFECTS, in descriptor order.
std::vector<const MethodDescriptor*> WithoutSideEffects(
    const std::vector<const ServiceDescriptor*>& services) {
  std::vector<const MethodDescriptor*> out;
  for (const ServiceDescriptor* service : services) {
    for (int i = 0; i < service->method_count(); ++i) {
      if (HasNoSideEffects(*service->method(i))) {
        out.push_back(service->method(i));
      }
    }
  }
  return out;
}

}  // namespace

const std::vector<const ServiceDescriptor*>& SuiteServices() {
  static const auto* services = [] {
    auto* out = new std::vector<const ServiceDescriptor*>{
        DescriptorOf<gateway::v1::GatewayService,
                     gateway::v1::GetCountryProfileRequest>(),
        DescriptorOf<legislation::v1::LegislationService,
                     legislation::v1::GetLegislationRequest>(),
        DescriptorOf<enforcement::v1::EnforcementService,
                     enforcement::v1::ListIndicatorsRequest>(),
        DescriptorOf<assistance::v1::AssistanceService,
                     assistance::v1::ListMeasureTypesRequest>(),
        DescriptorOf<coordination::v1::CoordinationService,
                     coordination::v1::FindEntitiesRequest>(),
        DescriptorOf<reporting::v1::ReportingService,
                     reporting::v1::GetCycleRequest>(),
        DescriptorOf<common::v1::AuditService,
                     common::v1::ListAuditRecordsRequest>(),
    };
    out->erase(std::remove(out->begin(), out->end(), nullptr), out->end());
    return out;
  }();
  return *services;
}

std::vector<std::string> MethodsWithoutSideEffects(
    const std::vector<const ServiceDescriptor*>& services) {
  std::vector<std::string> out;
  for (const MethodDescriptor* method : WithoutSideEffects(services)) {
    out.push_back(
        absl::StrCat("/", method->service()->full_name(), "/", method->name()));
  }
  return out;
}

std::string ServiceConfigJson(
    const std::vector<const ServiceDescriptor*>& services,
    const RetryPolicy& retry) {
  // Service and method names are protobuf identifiers: nothing to escape.
  std::vector<std::string> names;
  for (const MethodDescriptor* method : WithoutSideEffects(services)) {
    names.push_back(absl::StrCat("{\"service\":\"",
                                 method->service()->full_name(),
                                 "\",\"method\":\"", method->name(), "\"}"));
  }
  // Retries stop while failures outrun successes (gRPC's retry throttling:
  // a failure takes a token, a success gives back 0.1, retries only above
  // half of 100): a replica's loss is retried, a long outage of the
  // database every replica shares is not multiplied by the attempts.
  std::string json =
      "{\"loadBalancingConfig\":[{\"round_robin\":{}}],"
      "\"retryThrottling\":{\"maxTokens\":100,\"tokenRatio\":0.1}";
  if (!names.empty()) {
    absl::StrAppend(&json, ",\"methodConfig\":[{\"name\":[",
                    absl::StrJoin(names, ","),
                    "],\"retryPolicy\":", RetryPolicyJson(retry), "}]");
  }
  json += "}";
  return json;
}

const std::string& SuiteServiceConfig() {
  static const auto* json = new std::string(ServiceConfigJson(SuiteServices()));
  return *json;
}

}  // namespace palermo
