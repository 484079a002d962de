// --reflection on real processes: by default a process answers reflection
// (lists its services); with --reflection=false the reflection service is
// unimplemented, on the gateway and on a service alike.
#include <grpcpp/grpcpp.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "tests/support/service_process.h"

namespace palermo {
namespace {

namespace refl = grpc::reflection::v1alpha;
using palermo::test::Context;
using palermo::test::MakeTempDir;
using palermo::test::ServiceProcess;
using ::testing::Contains;

struct Listed {
  grpc::Status status;
  std::vector<std::string> services;
};

// What grpcurl list does.
Listed ListServices(ServiceProcess& process) {
  auto stub = refl::ServerReflection::NewStub(process.Channel());
  auto context = Context();
  auto stream = stub->ServerReflectionInfo(context.get());
  refl::ServerReflectionRequest list;
  list.set_list_services("");
  Listed out;
  refl::ServerReflectionResponse response;
  if (stream->Write(list) && stream->Read(&response)) {
    for (const auto& s : response.list_services_response().service()) {
      out.services.push_back(s.name());
    }
  }
  stream->WritesDone();
  out.status = stream->Finish();
  return out;
}

struct Binary {
  std::string path;
  std::string service;
};

class ReflectionFlagTest : public ::testing::TestWithParam<Binary> {
 protected:
  std::unique_ptr<ServiceProcess> Start(std::vector<std::string> args) {
    args.push_back("--data_dir=" + MakeTempDir());
    auto process = ServiceProcess::Start(GetParam().path, std::move(args));
    EXPECT_TRUE(process.ok()) << process.status();
    return process.ok() ? *std::move(process) : nullptr;
  }
};

TEST_P(ReflectionFlagTest, AnswersByDefault) {
  auto process = Start({});
  ASSERT_NE(process, nullptr);
  Listed listed = ListServices(*process);
  ASSERT_TRUE(listed.status.ok()) << listed.status.error_message();
  EXPECT_THAT(listed.services, Contains(GetParam().service));
}

TEST_P(ReflectionFlagTest, IsUnimplementedWhenTurnedOff) {
  auto process = Start({"--reflection=false"});
  ASSERT_NE(process, nullptr);
  Listed listed = ListServices(*process);
  EXPECT_EQ(listed.status.error_code(), grpc::StatusCode::UNIMPLEMENTED)
      << listed.status.error_message();
  EXPECT_TRUE(listed.services.empty());
}

INSTANTIATE_TEST_SUITE_P(
    Processes, ReflectionFlagTest,
    ::testing::Values(
        Binary{PALERMO_GATEWAY_SERVER, "palermo.gateway.v1.GatewayService"},
        Binary{PALERMO_LEGISLATION_SERVER,
               "palermo.legislation.v1.LegislationService"}),
    [](const auto& info) {
      return info.index == 0 ? std::string("Gateway")
                             : std::string("Legislation");
    });

}  // namespace
}  // namespace palermo
