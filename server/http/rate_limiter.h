// Per-client token buckets: the rate limit of kb-server's public endpoints.
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

namespace kb::server {

// Each client (an IP address; IPv6 addresses by their /64 network, which is what one
// subscriber gets) has a bucket of `burst` tokens that refills at `per_second`; a request
// takes one token or is refused with the time until the next one. Memory is bounded: at
// `max_clients` buckets, the ones that are full again (idle clients) are dropped (at most
// once a second), and when every bucket is in use a new client is let through untracked
// rather than refused.
// Thread-safe.
class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  struct Decision {
    bool allowed = true;
    int retry_after_s = 0;  // when refused: whole seconds until a token is available (>= 1)
  };

  // `per_second` <= 0 disables the limiter (every request is allowed).
  RateLimiter(double per_second, double burst, std::size_t max_clients = 100000);

  bool enabled() const { return per_second_ > 0; }
  Decision take(const std::string& client_address, Clock::time_point now = Clock::now());
  std::size_t tracked_clients() const;

  // The bucket key of an address: IPv4 as is, IPv4-mapped IPv6 as IPv4, IPv6 by /64.
  static std::string client_key(const std::string& address);

 private:
  struct Bucket {
    double tokens;
    Clock::time_point updated;
  };
  void drop_full_buckets(Clock::time_point now);

  const double per_second_;
  const double burst_;
  const std::size_t max_clients_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
  Clock::time_point last_drop_ = Clock::time_point::min();
};

}  // namespace kb::server
