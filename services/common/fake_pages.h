// Shared by the client libraries' unit tests: a fake service served in
// process (no port), and the pages of a fake List method, so that paging
// helpers are tested against real gRPC calls.
#ifndef PALERMO_SERVICES_COMMON_FAKE_PAGES_H_
#define PALERMO_SERVICES_COMMON_FAKE_PAGES_H_

#include <google/protobuf/repeated_ptr_field.h>
#include <grpcpp/grpcpp.h>

#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace palermo::test {

// Serves `service` in process for as long as it lives.
class InProcessServer {
 public:
  explicit InProcessServer(grpc::Service* service) {
    grpc::ServerBuilder builder;
    builder.RegisterService(service);
    server_ = builder.BuildAndStart();
  }
  ~InProcessServer() { server_->Shutdown(); }
  std::shared_ptr<grpc::Channel> Channel() {
    return server_->InProcessChannel(grpc::ChannelArguments());
  }

 private:
  std::unique_ptr<grpc::Server> server_;
};

// The requests a fake method received, safe to read once its calls are over.
template <typename Request>
class Received {
 public:
  void Add(const Request& request) {
    std::lock_guard<std::mutex> lock(mu_);
    requests_.push_back(request);
  }
  std::vector<Request> all() {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }

 private:
  std::mutex mu_;
  std::vector<Request> requests_;
};

// The page of `items` that starts at `token` (the index of its first item;
// empty: 0), `per_page` items long, into `out`; `next_token` is the next
// page's, empty after the last. A token that is no index is
// INVALID_ARGUMENT.
template <typename Item>
grpc::Status ServePage(const std::vector<Item>& items, size_t per_page,
                       const std::string& token,
                       google::protobuf::RepeatedPtrField<Item>* out,
                       std::string* next_token) {
  size_t first = 0;
  if (!token.empty()) {
    try {
      first = std::stoul(token);
    } catch (...) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "bad token");
    }
  }
  const size_t end = std::min(items.size(), first + per_page);
  for (size_t i = first; i < end; ++i) *out->Add() = items[i];
  *next_token = end < items.size() ? std::to_string(end) : "";
  return grpc::Status::OK;
}

}  // namespace palermo::test

#endif  // PALERMO_SERVICES_COMMON_FAKE_PAGES_H_
