// Client contexts of the domains' client libraries.
#include "services/common/client_call.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "services/common/client.h"

namespace palermo {

std::unique_ptr<grpc::ClientContext> CallContext(const CallOptions& options) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(absl::ToChronoTime(absl::Now() + options.timeout));
  if (!options.bearer_token.empty()) {
    context->AddMetadata("authorization",
                         absl::StrCat("Bearer ", options.bearer_token));
  }
  return context;
}

std::optional<int64_t> ChangeSequenceOf(const grpc::ClientContext& context) {
  const auto& trailers = context.GetServerTrailingMetadata();
  auto it = trailers.find(kChangeSequenceMetadataKey);
  int64_t sequence;
  if (it == trailers.end() ||
      !absl::SimpleAtoi(absl::string_view(it->second.data(), it->second.size()),
                        &sequence)) {
    return std::nullopt;
  }
  return sequence;
}

void ReadChangeSequence(const grpc::ClientContext& context,
                        int64_t* sequence) {
  if (sequence != nullptr) *sequence = ChangeSequenceOf(context).value_or(0);
}

std::unique_ptr<grpc::ClientContext> ChangeWatch::WatchContext(
    const CallOptions& options) {
  auto context = std::make_unique<grpc::ClientContext>();
  if (!options.bearer_token.empty()) {
    context->AddMetadata("authorization",
                         absl::StrCat("Bearer ", options.bearer_token));
  }
  return context;
}

ChangeWatch::~ChangeWatch() {
  if (finished_) return;
  context_->TryCancel();
  common::v1::WatchChangesResponse ignored;
  while (reader_->Read(&ignored)) {
  }
  reader_->Finish();
}

absl::Status ChangeWatch::Finish() {
  finished_ = true;
  return FromGrpcStatus(reader_->Finish());
}

}  // namespace palermo
