// The idempotent-write protocol's non-template part (idempotent_write.h).
#include "services/common/idempotent_write.h"

namespace palermo {

absl::StatusOr<std::string> IdempotentWrite::Answer(
    const StoredRequest& earlier) const {
  if (earlier.fingerprint != fingerprint_) return RequestIdReusedError();
  return earlier.response;
}

}  // namespace palermo
