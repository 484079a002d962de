#include "services/common/client.h"

#include <algorithm>
#include <optional>

#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "services/common/caller.h"
#include "services/common/flags.h"
#include "services/common/overload.h"
#include "services/common/service_config.h"
#include "services/common/tls.h"

namespace palermo {

namespace {

// The first address of an ipv4: or ipv6: target listing several
// ("ipv4:127.0.0.1:5001,127.0.0.1:5002" -> "127.0.0.1:5001"); "" for any
// other target. gRPC's own authority for such a target is the whole list,
// which no certificate names.
std::string FirstOfAddressList(absl::string_view target) {
  if (!absl::ConsumePrefix(&target, "ipv4:") &&
      !absl::ConsumePrefix(&target, "ipv6:")) {
    return "";
  }
  target = absl::StripPrefix(target, "///");  // "ipv4:///..." is the same
  const size_t comma = target.find(',');
  if (comma == absl::string_view::npos) return "";
  return std::string(target.substr(0, comma));
}

grpc::ChannelArguments ChannelArgs(const std::string& address) {
  grpc::ChannelArguments args;
  // round_robin over every address `address` resolves to, and retries of
  // the calls without side effects (service_config.h); never a config of
  // the resolver's (a DNS TXT record) instead.
  args.SetServiceConfigJSON(SuiteServiceConfig());
  args.SetInt(GRPC_ARG_SERVICE_CONFIG_DISABLE_RESOLUTION, 1);
  // Certificates are checked against the first of a list of addresses.
  if (std::string first = FirstOfAddressList(address); !first.empty()) {
    args.SetString(GRPC_ARG_DEFAULT_AUTHORITY, first);
  }
  args.SetMaxReceiveMessageSize(absl::GetFlag(FLAGS_max_receive_message_bytes));
  args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS,
              static_cast<int>(absl::ToInt64Milliseconds(
                  absl::GetFlag(FLAGS_keepalive_time))));
  args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS,
              static_cast<int>(absl::ToInt64Milliseconds(
                  absl::GetFlag(FLAGS_keepalive_timeout))));
  // Reconnect soon after a service is back (gRPC 1.51 defaults: first retry
  // after 1 s, growing 1.6x to 120 s). In gRPC 1.51 MIN_RECONNECT_BACKOFF
  // is the least time given to one connection attempt; each value is at
  // least 100 ms.
  const int max_backoff_ms = std::max<int>(
      100,
      absl::ToInt64Milliseconds(absl::GetFlag(FLAGS_reconnect_backoff_max)));
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, max_backoff_ms);
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS,
              static_cast<int>(absl::ToInt64Milliseconds(
                  absl::GetFlag(FLAGS_connect_timeout))));
  // Errors of a bulk import name every bad row in their trailers.
  args.SetInt(GRPC_ARG_MAX_METADATA_SIZE, kMaxErrorMetadataBytes);
  // Buffers of outgoing calls count against the process's memory quota.
  args.SetResourceQuota(ProcessResourceQuota());
  return args;
}

}  // namespace

std::shared_ptr<grpc::Channel> MakeChannel(const std::string& address) {
  return MakeChannel(address, SuiteChannelCredentials());
}

std::shared_ptr<grpc::Channel> MakeChannel(
    const std::string& address,
    std::shared_ptr<grpc::ChannelCredentials> credentials) {
  return grpc::CreateCustomChannel(address, std::move(credentials),
                                   ChannelArgs(address));
}

std::shared_ptr<grpc::Channel> MakeStreamChannel(const std::string& address) {
  grpc::ChannelArguments args = ChannelArgs(address);
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  return grpc::CreateCustomChannel(address, SuiteChannelCredentials(), args);
}

namespace {

std::unique_ptr<grpc::ClientContext> Outgoing(
    grpc::CallbackServerContext* incoming, const Principal& principal,
    std::optional<absl::Duration> bound) {
  auto context = grpc::ClientContext::FromCallbackServerContext(*incoming);
  std::chrono::system_clock::time_point deadline = incoming->deadline();
  if (bound.has_value()) {
    deadline = std::min(deadline, absl::ToChronoTime(absl::Now() + *bound));
  }
  context->set_deadline(deadline);
  context->AddMetadata(kPrincipalMetadataKey, EncodePrincipal(principal));
  return context;
}

}  // namespace

std::unique_ptr<grpc::ClientContext> OutgoingContext(
    grpc::CallbackServerContext* incoming) {
  return OutgoingContext(incoming, CallerOf(*incoming));
}

std::unique_ptr<grpc::ClientContext> OutgoingContext(
    grpc::CallbackServerContext* incoming, const Principal& principal) {
  return Outgoing(incoming, principal, absl::GetFlag(FLAGS_outgoing_timeout));
}

std::unique_ptr<grpc::ClientContext> OutgoingStreamContext(
    grpc::CallbackServerContext* incoming, const Principal& principal) {
  return Outgoing(incoming, principal,
                  absl::GetFlag(FLAGS_outgoing_stream_timeout));
}

std::unique_ptr<grpc::ClientContext> OutgoingWatchContext(
    grpc::CallbackServerContext* incoming, const Principal& principal) {
  return Outgoing(incoming, principal, std::nullopt);
}

void ForwardTrailers(const grpc::ClientContext& outgoing,
                     grpc::ServerContextBase& incoming) {
  const auto& trailers = outgoing.GetServerTrailingMetadata();
  for (const char* key : {kChangeSequenceMetadataKey, kServedByMetadataKey}) {
    auto it = trailers.find(key);
    if (it == trailers.end()) continue;
    incoming.AddTrailingMetadata(
        key, std::string(it->second.data(), it->second.size()));
  }
}


}  // namespace palermo
