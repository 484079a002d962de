#include "services/common/pagination.h"

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/common/status.h"

namespace palermo {

absl::StatusOr<int> EffectivePageSize(int requested) {
  if (requested < 0) return InvalidField("page_size", "must not be negative");
  if (requested == 0) return kDefaultPageSize;
  return requested > kMaxPageSize ? kMaxPageSize : requested;
}

std::string EncodePageToken(absl::string_view query,
                            absl::string_view last_key) {
  return absl::WebSafeBase64Escape(
      absl::StrCat("v1:", query.size(), ":", query, last_key));
}

absl::StatusOr<std::string> DecodePageToken(absl::string_view token,
                                            absl::string_view query) {
  if (token.empty()) return std::string();
  std::string raw;
  auto invalid = [] {
    return InvalidField("page_token",
                        "not a token returned by this method for this query");
  };
  if (!absl::WebSafeBase64Unescape(token, &raw)) return invalid();
  absl::string_view rest = raw;
  if (rest.substr(0, 3) != "v1:") return invalid();
  rest.remove_prefix(3);
  size_t colon = rest.find(':');
  size_t length = 0;
  if (colon == absl::string_view::npos ||
      !absl::SimpleAtoi(rest.substr(0, colon), &length)) {
    return invalid();
  }
  rest.remove_prefix(colon + 1);
  if (rest.size() < length || rest.substr(0, length) != query) {
    return invalid();
  }
  return std::string(rest.substr(length));
}

}  // namespace palermo
