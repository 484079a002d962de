// SDMX-CSV through the enforcement domain: an import validated and written
// like any other, and an export streamed in chunks from one snapshot.
#include "services/enforcement/enforcement_domain.h"

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/common/filter.h"
#include "services/common/idempotency.h"
#include "services/common/idempotent_write.h"
#include "services/common/status.h"
#include "services/enforcement/observation_facts.h"
#include "services/enforcement/sdmx_csv.h"

namespace palermo::enforcement {
namespace {

constexpr size_t kExportChunkBytes = 64 * 1024;

}  // namespace

absl::StatusOr<v1::ImportObservationsResponse> EnforcementDomain::ImportSdmxCsv(
    const v1::ImportSdmxCsvRequest& request, int64_t* sequence) {
  FieldViolations violations;
  std::vector<CsvRow> parsed = ParseSdmxCsv(
      request.csv(),
      [this](absl::string_view area) { return entities_.EntityOfId(area); },
      violations);
  std::vector<int> numbers;
  std::vector<v1::Observation> rows;
  for (CsvRow& row : parsed) {
    numbers.push_back(row.number);
    rows.push_back(std::move(row.observation));
  }
  if (!violations.empty()) {
    // Rows that parsed are validated too, so every problem is reported at
    // once. Otherwise WriteRows validates them, naming them rows[n] too.
    for (size_t i = 0; i < rows.size(); ++i) {
      Validate(rows[i], absl::StrCat("rows[", numbers[i], "]"), violations);
    }
    return violations.ToStatus("invalid SDMX-CSV, nothing written");
  }
  std::string replayed;
  v1::ImportObservationsResponse response;
  int64_t unused_sequence = 0;
  absl::StatusOr<std::vector<v1::Observation>> written = WriteRows(
      std::move(rows),
      [&numbers](size_t i) { return absl::StrCat("rows[", numbers[i], "]"); },
      IdempotentWrite(
          request.request_id(),
          RequestFingerprint("enforcement.import-sdmx-csv", request)),
      /*respond_with_row=*/false, &replayed, &response,
      sequence != nullptr ? sequence : &unused_sequence);
  if (!written.ok()) return written.status();
  if (!replayed.empty() && !response.ParseFromString(replayed)) {
    return absl::DataLossError("cannot parse a stored response");
  }
  return response;
}

absl::Status EnforcementDomain::ExportSdmxCsv(
    const v1::ExportSdmxCsvRequest& request,
    const std::function<bool(std::string)>& sink) {
  FieldViolations violations;
  ObservationQuery query;
  if (request.parent() != "-" && !request.parent().empty()) {
    violations.AddAll(CheckEntity(request.parent(), "parent"), "parent");
    query.entity = request.parent();
  }
  absl::StatusOr<Filter> filter =
      Filter::Compile(request.filter(), v1::Observation::descriptor());
  violations.AddAll(filter.status(), "filter");
  if (!violations.empty()) return violations.ToStatus();
  // One snapshot for the whole export, even while writes go on.
  query.as_of = request.has_as_of() ? AsOfTimestamp(true, request.as_of())
                                    : std::optional<absl::Time>(clock_());
  std::string chunk = SdmxCsvHeader();
  constexpr int kPage = 5000;
  query.limit = kPage;
  while (true) {
    absl::StatusOr<std::vector<v1::Observation>> page = store_.Query(query);
    if (!page.ok()) return page.status();
    for (const auto& o : *page) {
      if (!filter->Matches(o)) continue;
      chunk += SdmxCsvLine(o);
      if (chunk.size() >= kExportChunkBytes) {
        if (!sink(std::move(chunk))) return absl::CancelledError("client gone");
        chunk.clear();
      }
    }
    if (static_cast<int>(page->size()) < kPage) break;
    query.after_name = page->back().name();
  }
  if (!chunk.empty() && !sink(std::move(chunk))) {
    return absl::CancelledError("client gone");
  }
  return absl::OkStatus();
}

}  // namespace palermo::enforcement
