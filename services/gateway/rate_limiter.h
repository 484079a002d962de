// The gateway's rate limit per principal: a token bucket for each key (a
// token's subject; an anonymous reader's IP address), refilled at a steady
// rate up to a burst. A refused call learns how long to wait; the gateway
// answers it RESOURCE_EXHAUSTED with a google.rpc.RetryInfo detail
// (RateLimitedError). The number of buckets is bounded: beyond it the least
// recently used is forgotten (a bucket unused for burst / rate seconds is
// full again, so forgetting it loses nothing). Thread-safe; the clock is
// injected for tests.
#ifndef PALERMO_SERVICES_GATEWAY_RATE_LIMITER_H_
#define PALERMO_SERVICES_GATEWAY_RATE_LIMITER_H_

#include <functional>
#include <list>
#include <memory>
#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/common/principal.h"

namespace palermo::gateway {

inline constexpr char kRetryInfoTypeUrl[] =
    "type.googleapis.com/google.rpc.RetryInfo";

struct RateLimiterOptions {
  // Calls per second, on average; must be > 0.
  double per_second = 1;
  // Calls at once after idleness; 0 means one second's worth, at least 1.
  int burst = 0;
  // Buckets kept at most (at least 1).
  size_t max_keys = 100000;
  std::function<absl::Time()> clock = [] { return absl::Now(); };
};

class RateLimiter {
 public:
  explicit RateLimiter(RateLimiterOptions options);

  // From --rate_limit_per_second, --rate_limit_burst and
  // --rate_limit_max_principals; nullptr when the limit is off (rate 0).
  static std::unique_ptr<RateLimiter> FromFlags();

  // Takes a token from `key`'s bucket: nullopt if the call may go ahead,
  // otherwise how long until the bucket holds a token again.
  std::optional<absl::Duration> Acquire(absl::string_view key);

  double per_second() const { return per_second_; }
  double burst() const { return burst_; }
  // Buckets held now (at most max_keys).
  size_t key_count() const;

 private:
  struct Bucket {
    double tokens;
    absl::Time refilled;
    std::list<std::string>::iterator recency;  // into recency_
  };

  const double per_second_;
  const double burst_;
  const size_t max_keys_;
  const std::function<absl::Time()> clock_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, Bucket> buckets_ ABSL_GUARDED_BY(mu_);
  // Keys, most recently used first.
  std::list<std::string> recency_ ABSL_GUARDED_BY(mu_);
};

// The key of a caller: "subject:<sub>" for a token's subject, "ip:<address>"
// for an anonymous reader, from gRPC's peer string ("ipv4:10.0.0.7:51234",
// "ipv6:[::1]:51234"): every connection of one address shares a bucket.
std::string RateLimitKey(const Principal& who, absl::string_view peer);

// The IP address of a gRPC peer string, without its port; the string
// itself when it is not ipv4: or ipv6: (unix:...).
std::string PeerAddress(absl::string_view peer);

// RESOURCE_EXHAUSTED for `key` (RateLimitKey), with a RetryInfo detail of
// `retry_delay` and a message naming both:
// "rate limit reached for subject:user-1: retry after 200ms".
absl::Status RateLimitedError(absl::string_view key,
                              absl::Duration retry_delay);

}  // namespace palermo::gateway

#endif  // PALERMO_SERVICES_GATEWAY_RATE_LIMITER_H_
