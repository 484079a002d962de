// AIP-158 pagination: page sizes and opaque page tokens. A token remembers the
// last key returned and the query it belongs to, so a token replayed with a
// different filter is rejected instead of silently skipping records.
#ifndef PALERMO_SERVICES_COMMON_PAGINATION_H_
#define PALERMO_SERVICES_COMMON_PAGINATION_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace palermo {

inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 500;

// 0 -> kDefaultPageSize; above kMaxPageSize -> kMaxPageSize; negative ->
// INVALID_ARGUMENT on `page_size`.
absl::StatusOr<int> EffectivePageSize(int requested);

// Token continuing after `last_key` for the query `query`.
std::string EncodePageToken(absl::string_view query,
                            absl::string_view last_key);

// The last key of a token; "" for an empty token. INVALID_ARGUMENT on
// `page_token` if it is malformed or was made for another query.
absl::StatusOr<std::string> DecodePageToken(absl::string_view token,
                                            absl::string_view query);

}  // namespace palermo

#endif  // PALERMO_SERVICES_COMMON_PAGINATION_H_
