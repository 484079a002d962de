// --reflection (reflection.h).
#include "services/common/reflection.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/impl/server_builder_option.h>
#include <grpcpp/impl/server_builder_plugin.h>

#include <algorithm>
#include <memory>
#include <vector>

ABSL_FLAG(bool, reflection, true,
          "Serve gRPC server reflection (grpc.reflection.v1alpha), which "
          "describes every service of the port; false: the reflection "
          "service is unimplemented.");

namespace palermo {
namespace {

// Takes gRPC's reflection plugin ("proto_server_reflection") out of a
// builder's plugins.
class WithoutReflection final : public grpc::ServerBuilderOption {
 public:
  void UpdateArguments(grpc::ChannelArguments*) override {}
  void UpdatePlugins(
      std::vector<std::unique_ptr<grpc::ServerBuilderPlugin>>* plugins)
      override {
    plugins->erase(
        std::remove_if(plugins->begin(), plugins->end(),
                       [](const std::unique_ptr<grpc::ServerBuilderPlugin>& p) {
                         return p->name() == "proto_server_reflection";
                       }),
        plugins->end());
  }
};

}  // namespace

void ConfigureReflection(grpc::ServerBuilder& builder) {
  // Registers the plugin for builders made from now on (and links it in).
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  if (!absl::GetFlag(FLAGS_reflection)) {
    builder.SetOption(std::make_unique<WithoutReflection>());
  }
}

}  // namespace palermo
