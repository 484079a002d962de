// The FactSource of the running suite: reads every collection of the four
// domain services over gRPC, page by page to the end, and keeps the facts
// of the asked cycle (RestrictToCycle).
#ifndef PALERMO_SERVICES_REPORTING_GRPC_FACT_SOURCE_H_
#define PALERMO_SERVICES_REPORTING_GRPC_FACT_SOURCE_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "services/reporting/reporting_domain.h"

namespace palermo::reporting {

struct DomainChannels {
  std::shared_ptr<grpc::Channel> legislation;
  std::shared_ptr<grpc::Channel> enforcement;
  std::shared_ptr<grpc::Channel> assistance;
  std::shared_ptr<grpc::Channel> coordination;
};

class GrpcFactSource : public FactSource {
 public:
  explicit GrpcFactSource(DomainChannels channels)
      : channels_(std::move(channels)) {}
  // UNAVAILABLE (or the domain's own error), naming the domain, when one
  // cannot be read: a report is never made from part of the facts.
  absl::Status Fill(const std::string& cycle, CycleData& data) override;

 private:
  DomainChannels channels_;
};

}  // namespace palermo::reporting

#endif  // PALERMO_SERVICES_REPORTING_GRPC_FACT_SOURCE_H_
