// Unit tests of server/http/rate_limiter.h (token buckets per client) and the settings of
// the request limits in server_config.h.
#include <doctest/doctest.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "errors.h"
#include "rate_limiter.h"
#include "server_config.h"
#include "temp_dir.h"

using kb::server::RateLimiter;
using namespace std::chrono_literals;

namespace {

const RateLimiter::Clock::time_point t0{};

// One request of a scripted sequence: who asks, when, and what the limiter must answer.
struct Step {
  const char* client;
  std::chrono::milliseconds at;
  bool allowed;
  int retry_after_s;  // when refused
};

}  // namespace

TEST_CASE("token buckets: bursts pass, then one request per token, per client") {
  struct Case {
    const char* name;
    double per_second;
    double burst;
    std::vector<Step> steps;
  };
  const std::vector<Case> cases = {
      {"a burst of 3, then refused until a token is back", 1, 3,
       {{"10.0.0.1", 0ms, true, 0}, {"10.0.0.1", 0ms, true, 0}, {"10.0.0.1", 0ms, true, 0},
        {"10.0.0.1", 0ms, false, 1}, {"10.0.0.1", 500ms, false, 1}, {"10.0.0.1", 1000ms, true, 0},
        {"10.0.0.1", 1000ms, false, 1}}},
      {"a slow rate says how long to wait", 0.1, 1,
       {{"10.0.0.1", 0ms, true, 0}, {"10.0.0.1", 0ms, false, 10}, {"10.0.0.1", 5000ms, false, 5},
        {"10.0.0.1", 10000ms, true, 0}}},
      {"clients have their own buckets", 1, 1,
       {{"10.0.0.1", 0ms, true, 0}, {"10.0.0.2", 0ms, true, 0}, {"10.0.0.1", 0ms, false, 1},
        {"10.0.0.2", 0ms, false, 1}}},
      {"a long pause refills only up to the burst", 10, 2,
       {{"10.0.0.1", 0ms, true, 0}, {"10.0.0.1", 60000ms, true, 0}, {"10.0.0.1", 60000ms, true, 0},
        {"10.0.0.1", 60000ms, false, 1}}},
      {"IPv6 addresses share the bucket of their /64", 1, 1,
       {{"2001:db8::1", 0ms, true, 0}, {"2001:db8::2", 0ms, false, 1}, {"2001:db8:0:1::1", 0ms, true, 0}}},
      {"IPv4-mapped IPv6 is the IPv4 address", 1, 1,
       {{"::ffff:192.0.2.7", 0ms, true, 0}, {"192.0.2.7", 0ms, false, 1}}},
      {"a rate of 0 disables the limit", 0, 1,
       {{"10.0.0.1", 0ms, true, 0}, {"10.0.0.1", 0ms, true, 0}, {"10.0.0.1", 0ms, true, 0}}},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    RateLimiter limiter(c.per_second, c.burst);
    CHECK(limiter.enabled() == (c.per_second > 0));
    int i = 0;
    for (const auto& s : c.steps) {
      CAPTURE(i++);
      const auto d = limiter.take(s.client, t0 + s.at);
      CHECK(d.allowed == s.allowed);
      if (!s.allowed) CHECK(d.retry_after_s == s.retry_after_s);
    }
  }
}

TEST_CASE("client keys: IPv4 as is, IPv6 by /64, mapped IPv4 unwrapped") {
  const std::map<std::string, std::string> keys = {
      {"192.0.2.7", "192.0.2.7"},
      {"::ffff:192.0.2.7", "192.0.2.7"},
      {"2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"},
      {"::1", "::/64"},
      {"not an address", "not an address"},
  };
  for (const auto& entry : keys) {
    CAPTURE(entry.first);
    CHECK(RateLimiter::client_key(entry.first) == entry.second);
  }
}

TEST_CASE("memory stays bounded: idle clients are forgotten, the overflow passes untracked") {
  RateLimiter limiter(1, 2, 2);
  CHECK(limiter.take("10.0.0.1", t0).allowed);
  CHECK(limiter.take("10.0.0.2", t0).allowed);
  // Both buckets are in use: a third client is let through but not tracked.
  CHECK(limiter.take("10.0.0.3", t0).allowed);
  CHECK(limiter.tracked_clients() == 2);
  // Two seconds later both buckets are full again, so they make room for the new one.
  CHECK(limiter.take("10.0.0.3", t0 + 2s).allowed);
  CHECK(limiter.tracked_clients() == 1);
  CHECK(limiter.take("10.0.0.4", t0 + 2s).allowed);
  CHECK(limiter.tracked_clients() == 2);
  // Full again, but the last scan was 200 ms ago: no scan, the new client passes untracked.
  CHECK(limiter.take("10.0.0.5", t0 + 2200ms).allowed);
  CHECK(limiter.tracked_clients() == 2);
  // A second after the last scan, idle buckets make room again.
  CHECK(limiter.take("10.0.0.5", t0 + 3500ms).allowed);
  CHECK(limiter.tracked_clients() == 1);
}

TEST_CASE("request limit settings: defaults, YAML, environment, and range errors") {
  const auto defaults = kb::server::load_server_config({"--kb", "/srv/kb"}, {});
  CHECK(defaults.rate_limit_per_s == 0);
  CHECK(defaults.rate_limit_burst == 40);
  CHECK(defaults.request_timeout_ms == 10000);
  CHECK(defaults.max_header_bytes == 32768);

  kb::test::TempDir dir;
  const auto yaml = dir.write("kb.yaml",
                              "kb: /srv/kb\nrate_limit_per_s: 2.5\nrate_limit_burst: 5\n"
                              "request_timeout_ms: 1500\nmax_header_bytes: 4096\n");
  const auto c = kb::server::load_server_config({"--config", yaml.string()}, {});
  CHECK(c.rate_limit_per_s == 2.5);
  CHECK(c.rate_limit_burst == 5);
  CHECK(c.request_timeout_ms == 1500);
  CHECK(c.max_header_bytes == 4096);

  const auto e = kb::server::load_server_config(
      {"--kb", "/srv/kb"}, {{"KB_RATE_LIMIT_PER_S", "20"}, {"KB_RATE_LIMIT_BURST", "100"}});
  CHECK(e.rate_limit_per_s == 20);
  CHECK(e.rate_limit_burst == 100);

  const std::map<std::string, std::string> bad = {
      {"KB_RATE_LIMIT_PER_S", "environment KB_RATE_LIMIT_PER_S: rate_limit_per_s: 'fast' is not a number"},
      {"KB_RATE_LIMIT_BURST", "environment KB_RATE_LIMIT_BURST: rate_limit_burst: 0 is out of range [1, 1000000]"},
  };
  const std::map<std::string, std::string> values = {{"KB_RATE_LIMIT_PER_S", "fast"}, {"KB_RATE_LIMIT_BURST", "0"}};
  for (const auto& entry : bad) {
    CAPTURE(entry.first);
    try {
      kb::server::load_server_config({"--kb", "/srv/kb"}, {{entry.first, values.at(entry.first)}});
      FAIL("no error");
    } catch (const kb::InvalidArgument& ex) {
      CHECK(std::string(ex.what()) == entry.second);
    }
  }
  CHECK_THROWS_AS(kb::server::load_server_config({"--kb", "/srv/kb"}, {{"KB_RATE_LIMIT_PER_S", "-1"}}),
                  kb::InvalidArgument);
}
