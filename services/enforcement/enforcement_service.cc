// gRPC handlers of the enforcement statistics service
// (enforcement_service.h).
#include "services/enforcement/enforcement_service.h"

#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/common/client_stream.h"
#include "services/common/status.h"

namespace palermo::enforcement {
#define PALERMO_UNARY(Method, Request, Response, Call)                    \
  grpc::Status EnforcementServiceImpl::Method(                            \
      grpc::ServerContext*, const Request* request, Response* response) { \
    return Respond(domain_.Call(*request), response);                     \
  }

// A write: its answer carries the sequence of its change (RespondToWrite).
#define PALERMO_WRITE(Method, Request, Response, Call)                      \
  grpc::Status EnforcementServiceImpl::Method(                              \
      grpc::ServerContext* context, const Request* request,                 \
      Response* response) {                                                 \
    return RespondToWrite(*context, response, [&](int64_t* sequence) {      \
      return domain_.Call(*request, sequence);                              \
    });                                                                     \
  }

PALERMO_UNARY(ListIndicators, v1::ListIndicatorsRequest,
              v1::ListIndicatorsResponse, ListIndicators)
PALERMO_WRITE(CreateIndicator, v1::CreateIndicatorRequest, v1::Indicator,
              CreateIndicator)
PALERMO_UNARY(GetObservation, v1::GetObservationRequest, v1::Observation, Get)
PALERMO_UNARY(ListObservations, v1::ListObservationsRequest,
              v1::ListObservationsResponse, List)
PALERMO_WRITE(UpsertObservation, v1::UpsertObservationRequest, v1::Observation,
              Upsert)
PALERMO_UNARY(ListObservationRevisions, v1::ListObservationRevisionsRequest,
              v1::ListObservationRevisionsResponse, ListRevisions)
PALERMO_UNARY(GetSeries, v1::GetSeriesRequest, v1::Series, GetSeries)
PALERMO_UNARY(Aggregate, v1::AggregateRequest, v1::AggregateResponse, Aggregate)
PALERMO_UNARY(ComputeChange, v1::ComputeChangeRequest,
              v1::ComputeChangeResponse, ComputeChange)
PALERMO_UNARY(ComputeRatio, v1::ComputeRatioRequest, v1::ComputeRatioResponse,
              ComputeRatio)
PALERMO_UNARY(GetCoverage, v1::GetCoverageRequest, v1::GetCoverageResponse,
              GetCoverage)
PALERMO_WRITE(ImportSdmxCsv, v1::ImportSdmxCsvRequest,
              v1::ImportObservationsResponse, ImportSdmxCsv)

#undef PALERMO_UNARY
#undef PALERMO_WRITE

namespace {

// One ImportObservations stream: rows are collected in memory and committed
// as one batch only after a clean end of the stream.
//
// The commit is blocking SQLite work that can take seconds for a large
// batch: it runs on a thread of its own, not on one of gRPC's callback
// threads, which serve every other call. The reactor is finished from that
// thread; nothing touches it afterwards. A committed import's answer
// carries the sequence of its change (RespondToWrite).
class ImportReactor : public ClientStreamReader<v1::ImportObservationsRequest> {
 public:
  ImportReactor(grpc::CallbackServerContext* context, EnforcementDomain& domain,
                grpc::ByteBuffer* response)
      : context_(context), domain_(domain), response_(response) {
    ReadNext();
  }

 private:
  void OnMessage(int, v1::ImportObservationsRequest message) override {
    if (first_) {
      request_id_ = message.request_id();
      first_ = false;
    } else if (!message.request_id().empty() &&
               message.request_id() != request_id_) {
      Finish(ToGrpcStatus(InvalidField(
          "request_id", "differs between messages of one import stream")));
      return;
    }
    if (rows_.size() + message.observations_size() > kMaxImportRows) {
      Finish(ToGrpcStatus(InvalidField(
          "observations", absl::StrCat("more than ", kMaxImportRows,
                                       " rows in one import; split it"))));
      return;
    }
    for (auto& o : *message.mutable_observations()) {
      rows_.push_back(std::move(o));
    }
    ReadNext();
  }

  void OnUnparsed(grpc::Status status) override { Finish(status); }

  void OnStreamEnd(bool clean) override {
    if (!clean) {
      // The call is over already (cancelled, deadline, size limit): its
      // status went to the caller; this one only closes the reactor.
      Finish(grpc::Status(grpc::StatusCode::CANCELLED,
                          "the import stream did not end normally; nothing "
                          "written"));
      return;
    }
    std::thread([this] {
      v1::ImportObservationsResponse response;
      grpc::Status status =
          RespondToWrite(*context_, &response, [this](int64_t* sequence) {
            return domain_.Import(request_id_, std::move(rows_), sequence);
          });
      if (status.ok()) SerializeToByteBuffer(response, response_);
      Finish(status);
    }).detach();
  }

  void OnDone() override { delete this; }

  grpc::CallbackServerContext* context_;
  EnforcementDomain& domain_;
  grpc::ByteBuffer* response_;
  std::vector<v1::Observation> rows_;
  std::string request_id_;
  bool first_ = true;
};

}  // namespace

grpc::ServerReadReactor<grpc::ByteBuffer>*
EnforcementServiceImpl::ImportObservations(grpc::CallbackServerContext* context,
                                           grpc::ByteBuffer* response) {
  return new ImportReactor(context, domain_, response);
}

grpc::Status EnforcementServiceImpl::ExportSdmxCsv(
    grpc::ServerContext*, const v1::ExportSdmxCsvRequest* request,
    grpc::ServerWriter<v1::ExportSdmxCsvResponse>* writer) {
  return ToGrpcStatus(
      domain_.ExportSdmxCsv(*request, [writer](std::string chunk) {
        v1::ExportSdmxCsvResponse response;
        response.set_chunk(std::move(chunk));
        return writer->Write(response);
      }));
}

}  // namespace palermo::enforcement
