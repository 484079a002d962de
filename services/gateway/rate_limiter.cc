// The gateway's rate limit per principal (rate_limiter.h).
#include "services/gateway/rate_limiter.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/strings/cord.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "google/rpc/error_details.pb.h"
#include "services/common/status.h"
#include "services/gateway/access_policy.h"
#include "services/gateway/gateway_flags.h"

namespace palermo::gateway {

RateLimiter::RateLimiter(RateLimiterOptions options)
    : per_second_(options.per_second),
      burst_(options.burst > 0
                 ? options.burst
                 : std::max(1.0, std::ceil(options.per_second))),
      max_keys_(std::max<size_t>(1, options.max_keys)),
      clock_(std::move(options.clock)) {}

std::unique_ptr<RateLimiter> RateLimiter::FromFlags() {
  const double per_second = absl::GetFlag(FLAGS_rate_limit_per_second);
  if (!(per_second > 0)) return nullptr;
  RateLimiterOptions options;
  options.per_second = per_second;
  options.burst = std::max(0, absl::GetFlag(FLAGS_rate_limit_burst));
  options.max_keys = static_cast<size_t>(
      std::max(1, absl::GetFlag(FLAGS_rate_limit_max_principals)));
  return std::make_unique<RateLimiter>(std::move(options));
}

std::optional<absl::Duration> RateLimiter::Acquire(absl::string_view key) {
  const absl::Time now = clock_();
  absl::MutexLock lock(&mu_);
  auto it = buckets_.find(key);
  if (it == buckets_.end()) {
    if (buckets_.size() >= max_keys_) {
      buckets_.erase(recency_.back());
      recency_.pop_back();
    }
    recency_.emplace_front(key);
    it = buckets_.emplace(key, Bucket{burst_, now, recency_.begin()}).first;
  } else {
    recency_.splice(recency_.begin(), recency_, it->second.recency);
  }
  Bucket& bucket = it->second;
  if (now > bucket.refilled) {
    bucket.tokens =
        std::min(burst_, bucket.tokens + absl::ToDoubleSeconds(
                                             now - bucket.refilled) *
                                             per_second_);
    bucket.refilled = now;
  }
  // A token, give or take rounding: refills are sums of floating-point
  // fractions.
  constexpr double kToken = 1 - 1e-6;
  if (bucket.tokens >= kToken) {
    bucket.tokens = std::max(0.0, bucket.tokens - 1);
    return std::nullopt;
  }
  // Rounded up to the millisecond, so that a retry after it succeeds.
  const double wait_ms =
      std::ceil((kToken - bucket.tokens) / per_second_ * 1000);
  return absl::Milliseconds(std::max(1.0, wait_ms));
}

size_t RateLimiter::key_count() const {
  absl::MutexLock lock(&mu_);
  return buckets_.size();
}

std::string PeerAddress(absl::string_view peer) {
  absl::string_view address = peer;
  if (absl::ConsumePrefix(&address, "ipv4:")) {
    return std::string(address.substr(0, address.rfind(':')));
  }
  if (absl::ConsumePrefix(&address, "ipv6:")) {
    // "[::1]:port", or percent-encoded "%5B::1%5D:port".
    for (auto [open, close] : {std::pair<absl::string_view, absl::string_view>{
                                   "[", "]"},
                               {"%5B", "%5D"}}) {
      if (absl::ConsumePrefix(&address, open)) {
        return std::string(address.substr(0, address.find(close)));
      }
    }
    return std::string(address.substr(0, address.rfind(':')));
  }
  return std::string(peer);
}

namespace {

// An IPv6 address's /64 prefix ("2001:db8:0:1::/64"): one host holds a
// whole /64, so it shares one bucket. Other addresses as they are.
std::string Prefix64(const std::string& address) {
  in6_addr parsed;
  if (address.find(':') == std::string::npos ||
      inet_pton(AF_INET6, address.c_str(), &parsed) != 1) {
    return address;
  }
  for (int i = 8; i < 16; ++i) parsed.s6_addr[i] = 0;
  char text[INET6_ADDRSTRLEN];
  if (inet_ntop(AF_INET6, &parsed, text, sizeof(text)) == nullptr) {
    return address;
  }
  return absl::StrCat(text, "/64");
}

}  // namespace

std::string RateLimitKey(const Principal& who, absl::string_view peer) {
  if (IsAnonymous(who)) {
    return absl::StrCat("ip:", Prefix64(PeerAddress(peer)));
  }
  return absl::StrCat("subject:", who.subject);
}

absl::Status RateLimitedError(absl::string_view key,
                              absl::Duration retry_delay) {
  absl::Status status = absl::ResourceExhaustedError(
      absl::StrCat("rate limit reached for ", Abbreviate(key), ": retry after ",
                   absl::FormatDuration(retry_delay),
                   " (--rate_limit_per_second)"));
  google::rpc::RetryInfo info;
  const int64_t nanos = absl::ToInt64Nanoseconds(retry_delay);
  info.mutable_retry_delay()->set_seconds(nanos / 1000000000);
  info.mutable_retry_delay()->set_nanos(static_cast<int32_t>(nanos % 1000000000));
  status.SetPayload(kRetryInfoTypeUrl, absl::Cord(info.SerializeAsString()));
  return status;
}

}  // namespace palermo::gateway
