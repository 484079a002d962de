#include "services/common/client.h"

#include <algorithm>

#include "absl/time/clock.h"
#include "services/common/flags.h"
#include "services/common/overload.h"

namespace palermo {

std::shared_ptr<grpc::Channel> MakeChannel(const std::string& address) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(absl::GetFlag(FLAGS_max_receive_message_bytes));
  args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS,
              static_cast<int>(absl::ToInt64Milliseconds(
                  absl::GetFlag(FLAGS_keepalive_time))));
  args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS,
              static_cast<int>(absl::ToInt64Milliseconds(
                  absl::GetFlag(FLAGS_keepalive_timeout))));
  // Errors of a bulk import name every bad row in their trailers.
  args.SetInt(GRPC_ARG_MAX_METADATA_SIZE, kMaxErrorMetadataBytes);
  // Buffers of outgoing calls count against the process's memory quota.
  args.SetResourceQuota(ProcessResourceQuota());
  return grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(),
                                   args);
}

namespace {

std::unique_ptr<grpc::ClientContext> Outgoing(
    grpc::CallbackServerContext* incoming, absl::Duration bound) {
  auto context = grpc::ClientContext::FromCallbackServerContext(*incoming);
  std::chrono::system_clock::time_point deadline =
      absl::ToChronoTime(absl::Now() + bound);
  deadline = std::min(deadline, incoming->deadline());
  context->set_deadline(deadline);
  context->AddMetadata(kActorMetadataKey, ActorOf(*incoming));
  return context;
}

}  // namespace

std::unique_ptr<grpc::ClientContext> OutgoingContext(
    grpc::CallbackServerContext* incoming) {
  return Outgoing(incoming, absl::GetFlag(FLAGS_outgoing_timeout));
}

std::unique_ptr<grpc::ClientContext> OutgoingStreamContext(
    grpc::CallbackServerContext* incoming) {
  return Outgoing(incoming, absl::GetFlag(FLAGS_outgoing_stream_timeout));
}

std::string ActorOf(const grpc::ServerContextBase& context) {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find(kActorMetadataKey);
  if (it != metadata.end())
    return std::string(it->second.data(), it->second.size());
  return context.peer();
}

}  // namespace palermo
