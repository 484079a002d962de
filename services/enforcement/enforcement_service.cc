#include "services/enforcement/enforcement_service.h"

#include "absl/strings/str_cat.h"
#include "services/common/status.h"

namespace palermo::enforcement {
#define PALERMO_UNARY(Method, Request, Response, Call)                    \
  grpc::Status EnforcementServiceImpl::Method(                            \
      grpc::ServerContext*, const Request* request, Response* response) { \
    return Respond(domain_.Call(*request), response);                     \
  }

PALERMO_UNARY(ListIndicators, v1::ListIndicatorsRequest,
              v1::ListIndicatorsResponse, ListIndicators)
PALERMO_UNARY(CreateIndicator, v1::CreateIndicatorRequest, v1::Indicator,
              CreateIndicator)
PALERMO_UNARY(GetObservation, v1::GetObservationRequest, v1::Observation, Get)
PALERMO_UNARY(ListObservations, v1::ListObservationsRequest,
              v1::ListObservationsResponse, List)
PALERMO_UNARY(UpsertObservation, v1::UpsertObservationRequest, v1::Observation,
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
PALERMO_UNARY(ImportSdmxCsv, v1::ImportSdmxCsvRequest,
              v1::ImportObservationsResponse, ImportSdmxCsv)

#undef PALERMO_UNARY

grpc::Status EnforcementServiceImpl::ImportObservations(
    grpc::ServerContext* context,
    grpc::ServerReader<v1::ImportObservationsRequest>* reader,
    v1::ImportObservationsResponse* response) {
  std::vector<v1::Observation> rows;
  std::string request_id;
  v1::ImportObservationsRequest message;
  bool first = true;
  while (reader->Read(&message)) {
    if (first) {
      request_id = message.request_id();
    } else if (!message.request_id().empty() &&
               message.request_id() != request_id) {
      return ToGrpcStatus(InvalidField(
          "request_id", "differs between messages of one import stream"));
    }
    first = false;
    if (rows.size() + message.observations_size() > kMaxImportRows) {
      return ToGrpcStatus(InvalidField(
          "observations", absl::StrCat("more than ", kMaxImportRows,
                                       " rows in one import; split it")));
    }
    for (auto& o : *message.mutable_observations())
      rows.push_back(std::move(o));
  }
  // Read() also ends when the caller cancels or its deadline passes: a
  // stream that did not end normally is never committed.
  if (context->IsCancelled()) {
    return grpc::Status(grpc::StatusCode::CANCELLED,
                        "the import stream was cancelled; nothing written");
  }
  return Respond(domain_.Import(request_id, std::move(rows)), response);
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
