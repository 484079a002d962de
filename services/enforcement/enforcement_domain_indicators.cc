// The enforcement domain's indicator code list: listing and creating
// indicators, and the cached lookup validation uses.
#include "services/enforcement/enforcement_domain.h"

#include <mutex>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "services/common/bounds.h"
#include "services/common/pagination.h"
#include "services/common/status.h"
#include "services/common/validation.h"

namespace palermo::enforcement {
bool EnforcementDomain::HasIndicator(const std::string& code,
                                     absl::Status* error,
                                     v1::IndicatorKind* kind) {
  std::lock_guard<std::mutex> lock(indicators_mu_);
  if (indicator_codes_.empty()) {
    absl::StatusOr<std::vector<v1::Indicator>> all = store_.ListIndicators();
    if (!all.ok()) {
      *error = all.status();
      return false;
    }
    for (const auto& i : *all) indicator_codes_[i.code()] = i.kind();
  }
  auto it = indicator_codes_.find(code);
  if (it == indicator_codes_.end()) return false;
  if (kind != nullptr) *kind = it->second;
  return true;
}

absl::StatusOr<v1::ListIndicatorsResponse> EnforcementDomain::ListIndicators(
    const v1::ListIndicatorsRequest& request) {
  FieldViolations violations;
  absl::StatusOr<int> page_size = EffectivePageSize(request.page_size());
  violations.AddAll(page_size.status(), "page_size");
  absl::StatusOr<std::string> after =
      DecodePageToken(request.page_token(), "indicators");
  violations.AddAll(after.status(), "page_token");
  if (!violations.empty()) return violations.ToStatus();
  absl::StatusOr<std::vector<v1::Indicator>> all = store_.ListIndicators();
  if (!all.ok()) return all.status();
  v1::ListIndicatorsResponse response;
  PageBudget page(*page_size);
  for (auto& i : *all) {
    if (i.code() <= *after) continue;
    if (!page.Admit(i)) {
      response.set_next_page_token(EncodePageToken(
          "indicators",
          response.indicators(response.indicators_size() - 1).code()));
      break;
    }
    *response.add_indicators() = std::move(i);
  }
  return response;
}

absl::StatusOr<v1::Indicator> EnforcementDomain::CreateIndicator(
    const v1::CreateIndicatorRequest& request, int64_t* sequence) {
  v1::Indicator indicator = request.indicator();
  FieldViolations violations;
  const std::string& code = indicator.code();
  bool code_ok = !code.empty() && code.size() <= 64 &&
                 absl::ascii_isupper(static_cast<unsigned char>(code[0]));
  for (char c : code) {
    code_ok = code_ok &&
              (absl::ascii_isupper(static_cast<unsigned char>(c)) ||
               absl::ascii_isdigit(static_cast<unsigned char>(c)) || c == '_');
  }
  if (!code_ok) {
    violations.Add("indicator.code",
                   "1-64 of A-Z, 0-9 and _, starting with a letter");
  }
  if (indicator.display_name().empty()) {
    violations.Add("indicator.display_name", "required");
  }
  if (indicator.unit().empty()) violations.Add("indicator.unit", "required");
  ValidateCommonTypes(indicator, "indicator", violations);
  indicator.set_name(absl::StrCat("indicators/", code));
  ValidateRecordSize(indicator, "indicator", violations);
  if (!violations.empty()) return violations.ToStatus();
  absl::StatusOr<int64_t> created = store_.CreateIndicator(indicator);
  if (created.status().code() == absl::StatusCode::kAlreadyExists) {
    return AlreadyExistsError("palermo.enforcement.v1.Indicator",
                              indicator.name());
  }
  if (!created.ok()) return created.status();
  if (sequence != nullptr) *sequence = *created;
  std::lock_guard<std::mutex> lock(indicators_mu_);
  indicator_codes_.clear();  // re-read on next use
  return indicator;
}

}  // namespace palermo::enforcement
