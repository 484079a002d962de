// The suite's service config, read back as JSON: round_robin, and a retry
// policy of UNAVAILABLE naming exactly the methods marked NO_SIDE_EFFECTS,
// never a write. (That gRPC accepts it: client_test.cc.)
#include "services/common/service_config.h"

#include <gmock/gmock.h>
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "palermo/legislation/v1/legislation.grpc.pb.h"

namespace palermo {
namespace {

using google::protobuf::ListValue;
using google::protobuf::MethodOptions;
using google::protobuf::Struct;
using google::protobuf::Value;
using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

Struct Parse(const std::string& json) {
  Struct out;
  auto status = google::protobuf::util::JsonStringToMessage(json, &out);
  EXPECT_TRUE(status.ok()) << status << "\n" << json;
  return out;
}

const Value& Field(const Struct& s, const std::string& name) {
  static const Value* none = new Value();
  auto it = s.fields().find(name);
  EXPECT_NE(it, s.fields().end()) << name;
  return it == s.fields().end() ? *none : it->second;
}

const google::protobuf::ServiceDescriptor* Legislation() {
  return legislation::v1::GetLegislationRequest::descriptor()
      ->file()
      ->FindServiceByName("LegislationService");
}

TEST(ServiceConfigTest, TheSuiteIsItsSevenServices) {
  std::vector<std::string> names;
  for (const auto* service : SuiteServices()) {
    names.push_back(service->full_name());
  }
  EXPECT_THAT(names, UnorderedElementsAre(
                         "palermo.gateway.v1.GatewayService",
                         "palermo.legislation.v1.LegislationService",
                         "palermo.enforcement.v1.EnforcementService",
                         "palermo.assistance.v1.AssistanceService",
                         "palermo.coordination.v1.CoordinationService",
                         "palermo.reporting.v1.ReportingService",
                         "palermo.common.v1.AuditService"));
}

TEST(ServiceConfigTest, OnlyTheReadsOfAServiceAreWithoutSideEffects) {
  EXPECT_THAT(
      MethodsWithoutSideEffects({Legislation()}),
      ElementsAre("/palermo.legislation.v1.LegislationService/GetLegislation",
                  "/palermo.legislation.v1.LegislationService/ListLegislations",
                  "/palermo.legislation.v1.LegislationService/"
                  "ListLegislationRevisions",
                  "/palermo.legislation.v1.LegislationService/WatchChanges"));
}

TEST(ServiceConfigTest, RoundRobinAndRetriesOfUnavailableForTheReadsOnly) {
  const Struct config = Parse(SuiteServiceConfig());
  const ListValue& lb = Field(config, "loadBalancingConfig").list_value();
  ASSERT_EQ(lb.values_size(), 1);
  EXPECT_EQ(lb.values(0).struct_value().fields().size(), 1u);
  EXPECT_EQ(lb.values(0).struct_value().fields().count("round_robin"), 1u);
  const Struct& throttling = Field(config, "retryThrottling").struct_value();
  EXPECT_EQ(Field(throttling, "maxTokens").number_value(), 100);
  EXPECT_EQ(Field(throttling, "tokenRatio").number_value(), 0.1);

  const ListValue& methods = Field(config, "methodConfig").list_value();
  ASSERT_EQ(methods.values_size(), 1);
  const Struct& method_config = methods.values(0).struct_value();
  std::set<std::string> named;
  for (const Value& name : Field(method_config, "name").list_value().values()) {
    const Struct& n = name.struct_value();
    ASSERT_EQ(n.fields().size(), 2u) << "a whole service is never named";
    named.insert(absl::StrCat("/", Field(n, "service").string_value(), "/",
                              Field(n, "method").string_value()));
  }
  // Every method of the suite: named exactly when it has no side effects.
  int reads = 0;
  for (const auto* service : SuiteServices()) {
    for (int i = 0; i < service->method_count(); ++i) {
      const auto* method = service->method(i);
      const std::string full =
          absl::StrCat("/", service->full_name(), "/", method->name());
      const bool read = method->options().idempotency_level() ==
                        MethodOptions::NO_SIDE_EFFECTS;
      EXPECT_EQ(named.count(full), read ? 1u : 0u) << full;
      reads += read;
    }
  }
  EXPECT_EQ(named.size(), reads);
  EXPECT_EQ(named.count(
                "/palermo.legislation.v1.LegislationService/CreateLegislation"),
            0u);
  EXPECT_EQ(
      named.count("/palermo.legislation.v1.LegislationService/GetLegislation"),
      1u);

  const Struct& retry = Field(method_config, "retryPolicy").struct_value();
  EXPECT_EQ(Field(retry, "maxAttempts").number_value(), 4);
  EXPECT_EQ(Field(retry, "initialBackoff").string_value(), "0.050s");
  EXPECT_EQ(Field(retry, "maxBackoff").string_value(), "0.500s");
  EXPECT_EQ(Field(retry, "backoffMultiplier").number_value(), 2);
  const ListValue& codes = Field(retry, "retryableStatusCodes").list_value();
  ASSERT_EQ(codes.values_size(), 1);
  EXPECT_EQ(codes.values(0).string_value(), "UNAVAILABLE");
}

TEST(ServiceConfigTest, APolicyOfItsOwn) {
  RetryPolicy policy;
  policy.max_attempts = 2;
  policy.initial_backoff = absl::Milliseconds(5);
  policy.max_backoff = absl::Seconds(2);
  policy.backoff_multiplier = 1.5;
  const Struct config = Parse(ServiceConfigJson({Legislation()}, policy));
  const Struct& retry =
      Field(Field(config, "methodConfig").list_value().values(0).struct_value(),
            "retryPolicy")
          .struct_value();
  EXPECT_EQ(Field(retry, "maxAttempts").number_value(), 2);
  EXPECT_EQ(Field(retry, "initialBackoff").string_value(), "0.005s");
  EXPECT_EQ(Field(retry, "maxBackoff").string_value(), "2.000s");
  EXPECT_EQ(Field(retry, "backoffMultiplier").number_value(), 1.5);
}

TEST(ServiceConfigTest, NoReadsNoMethodConfig) {
  const Struct config = Parse(ServiceConfigJson({}));
  EXPECT_EQ(config.fields().count("methodConfig"), 0u);
  EXPECT_EQ(config.fields().count("loadBalancingConfig"), 1u);
}

}  // namespace
}  // namespace palermo
