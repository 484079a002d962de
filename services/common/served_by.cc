// The palermo-served-by trailer (served_by.h).
#include "services/common/served_by.h"

#include <limits.h>
#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "services/common/client.h"

ABSL_FLAG(bool, served_by_trailer, false,
          "Every answer carries the trailing metadata palermo-served-by: "
          "<hostname>:<port>, the process that answered (to see which "
          "replica of a service did).");

namespace palermo {
namespace {

using grpc::experimental::InterceptionHookPoints;

class ServedByInterceptor : public grpc::experimental::Interceptor {
 public:
  explicit ServedByInterceptor(std::string value) : value_(std::move(value)) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_STATUS)) {
      std::multimap<std::string, std::string>* trailers =
          methods->GetSendTrailingMetadata();
      if (trailers->find(kServedByMetadataKey) == trailers->end()) {
        trailers->emplace(kServedByMetadataKey, value_);
      }
    }
    methods->Proceed();
  }

 private:
  const std::string value_;
};

}  // namespace

std::string HostName() {
  char name[HOST_NAME_MAX + 1] = {};
  if (gethostname(name, sizeof(name) - 1) != 0 || name[0] == '\0') {
    return "localhost";
  }
  return name;
}

grpc::experimental::Interceptor*
ServedByInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo*) {
  return new ServedByInterceptor(
      absl::StrCat(host_, ":", port_.load(std::memory_order_relaxed)));
}

}  // namespace palermo
