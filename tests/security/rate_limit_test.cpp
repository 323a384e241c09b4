// Per-client rate limits on a real kb-server (a tiny limit set in its config), and what the
// access log may hold.
#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "process.h"
#include "raw_http.h"
#include "temp_dir.h"

using nlohmann::json;

namespace {

constexpr const char* kAgentToken = "agent-token-rate-6c2a";
constexpr const char* kEditorToken = "editor-token-rate-0e8b";

struct Limited {
  kb::test::TempDir dir;
  std::unique_ptr<kb::test::ServerProcess> server;

  explicit Limited(const std::string& limits) {
    REQUIRE(kb::test::run_command({kb::test::kb_index_path(), "build", "--content", std::string(KB_FIXTURES) + "/content",
                                   "--out", (dir / "kb").string(), "--quiet"})
                .exit_code == 0);
    const auto config = dir.write("kb.yaml", limits);
    server = std::make_unique<kb::test::ServerProcess>(
        dir / "kb", std::vector<std::string>{"--config", config.string()},
        std::map<std::string, std::string>{{"KB_AGENT_TOKEN", kAgentToken}, {"KB_EDITOR_TOKEN", kEditorToken}});
  }

  kb::test::RawResponse get(const std::string& target, const std::string& token = "") const {
    std::string request = "GET " + target + " HTTP/1.1\r\nHost: kb\r\nConnection: close\r\n";
    if (!token.empty()) request += "Authorization: Bearer " + token + "\r\n";
    const auto r = kb::test::raw_request(server->port(), request + "\r\n");
    REQUIRE(r);
    return *r;
  }
};

void check_limited(const kb::test::RawResponse& r) {
  CHECK(r.status == 429);
  CHECK(r.header("content-type") == "application/json; charset=utf-8");
  const json body = json::parse(r.body);
  CHECK(body["error"]["code"] == "rate_limited");
  CHECK(body["error"]["message"].get<std::string>().find("retry in") != std::string::npos);
  const std::string retry = r.header("retry-after");
  REQUIRE_FALSE(retry.empty());
  CHECK(std::stoi(retry) >= 1);
}

}  // namespace

TEST_CASE("over the rate limit a client gets 429 with Retry-After; health and agents are not limited") {
  // A burst of 5, then one request every 5 seconds: slow enough that no token comes back
  // while the test asks, even on a loaded machine under sanitizers.
  Limited s("rate_limit_per_s: 0.2\nrate_limit_burst: 5\n");
  for (int i = 0; i < 5; ++i) {
    CAPTURE(i);
    CHECK(s.get("/v1/search?q=password&lang=en").status == 200);
  }
  const auto limited = s.get("/v1/search?q=password&lang=en");
  check_limited(limited);
  CHECK(std::stoi(limited.header("retry-after")) <= 5);

  // Every endpoint counts against the same client, unknown paths and token guesses too.
  check_limited(s.get("/v1/suggest?q=pass"));
  check_limited(s.get("/v1/answer?q=password&channel=sms"));
  check_limited(s.get("/v1/articles/reset-password"));
  check_limited(s.get("/a/en/reset-password"));
  check_limited(s.get("/nowhere"));
  check_limited(s.get("/v1/search?q=retention&channel=agent", "guessed-token"));
  check_limited(s.get("/v1/admin/index", "guessed-token"));

  // Load balancers' health checks and requests with a valid token pass.
  CHECK(s.get("/health").status == 200);
  CHECK(s.get("/v1/search?q=retention&channel=agent", kAgentToken).status == 200);
  CHECK(s.get("/v1/admin/index", kEditorToken).status == 200);

  // Once a token is back (Retry-After), the client is served again (bounded wait).
  bool served = false;
  for (int i = 0; i < 150 && !served; ++i) {
    served = s.get("/v1/search?q=password&lang=en").status == 200;
    if (!served) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  CHECK(served);

  CHECK(s.server->stop() == 0);
  const std::string log = s.server->log();
  CHECK(log.find("GET /v1/search 429") != std::string::npos);
  CHECK(log.find(kAgentToken) == std::string::npos);
  CHECK(log.find(kEditorToken) == std::string::npos);
  CHECK(log.find("guessed-token") == std::string::npos);
}

TEST_CASE("without a rate limit configured nothing is refused") {
  Limited s("access_log: true\n");
  for (int i = 0; i < 200; ++i) {
    const auto r = s.get("/v1/search?q=password&lang=en");
    REQUIRE(r.status == 200);
  }
}

TEST_CASE("tokens and query strings never reach the access log") {
  Limited s("access_log: true\n");
  CHECK(s.get("/v1/search?q=my+secret+question&channel=agent", kAgentToken).status == 200);
  CHECK(s.get("/v1/search?q=x&channel=agent&token=" + std::string(kAgentToken), kAgentToken).status == 400);
  CHECK(s.get("/v1/admin/index", kEditorToken).status == 200);
  CHECK(s.get("/v1/admin/index", "Bearer-looking-but-wrong-7f3").status == 403);
  CHECK(s.get("/v1/articles/reset-password?channel=agent", kAgentToken).status == 200);
  CHECK(s.server->stop() == 0);
  const std::string log = s.server->log();
  INFO(log);
  for (const char* secret : {kAgentToken, kEditorToken, "Bearer-looking-but-wrong-7f3", "secret question", "secret+question",
                             "Authorization"}) {
    CAPTURE(std::string(secret));
    CHECK(log.find(secret) == std::string::npos);
  }
  CHECK(log.find("GET /v1/admin/index 403") != std::string::npos);
  CHECK(log.find("GET /v1/articles/reset-password 200") != std::string::npos);
}
