// The HTTP API of a real kb-server process on loopback, over a real knowledge base.
#include <doctest/doctest.h>

#include <httplib.h>

#include <regex>

#include <nlohmann/json.hpp>

#include "process.h"
#include "temp_dir.h"

using nlohmann::json;

namespace {

struct Server {
  kb::test::TempDir dir;
  std::unique_ptr<kb::test::ServerProcess> process;
  std::unique_ptr<httplib::Client> client;

  explicit Server(std::map<std::string, std::string> env = {}, std::vector<std::string> args = {}) {
    const auto r = kb::test::run_command({kb::test::kb_index_path(), "build", "--content",
                                          std::string(KB_FIXTURES) + "/content", "--out",
                                          (dir / "kb").string()});
    REQUIRE(r.exit_code == 0);
    process = std::make_unique<kb::test::ServerProcess>(dir / "kb", std::move(args), std::move(env));
    client = std::make_unique<httplib::Client>("127.0.0.1", process->port());
    client->set_read_timeout(10, 0);
  }

  std::pair<int, json> get(const std::string& path, const httplib::Headers& headers = {}) {
    auto res = client->Get(path.c_str(), headers);
    REQUIRE(res);
    CHECK(res->get_header_value("Content-Type") == "application/json; charset=utf-8");
    return {res->status, json::parse(res->body)};
  }
};

void check_error(const std::pair<int, json>& r, int status, const std::string& code) {
  CHECK(r.first == status);
  REQUIRE(r.second.contains("error"));
  CHECK(r.second["error"]["code"] == code);
  CHECK(r.second["error"]["message"].is_string());
  CHECK_FALSE(r.second["error"]["message"].get<std::string>().empty());
}

}  // namespace

TEST_CASE("GET /v1/search returns ranked, highlighted results as JSON") {
  Server s;
  auto [status, body] = s.get("/v1/search?q=I+forgot+my+password&lang=en");
  CHECK(status == 200);
  REQUIRE(body["results"].size() >= 1);
  const auto& first = body["results"][0];
  CHECK(first["id"] == "reset-password");
  CHECK(first["lang"] == "en");
  CHECK(first["title"] == "How do I reset my password?");
  CHECK(first["summary"].get<std::string>().find("24 hours") != std::string::npos);
  CHECK(first["snippet"].get<std::string>().find("<mark>") != std::string::npos);
  CHECK(first["url"] == "/v1/articles/reset-password?lang=en");
  CHECK(first["score"].get<double>() > 0);
  CHECK(body["total"].get<int>() >= 1);
  CHECK(body["took_ms"].get<double>() >= 0);
  CHECK(body["index_version"] == "gen-000001");
  CHECK(body["served_lang"] == "en");
  CHECK(body["fallback"] == false);
}

TEST_CASE("search parameters: lang, Accept-Language, filters, paging") {
  Server s;
  // Japanese without spaces, percent-encoded, no lang.
  auto [st, ja] = s.get("/v1/search?q=%E3%83%91%E3%82%B9%E3%83%AF%E3%83%BC%E3%83%89%E3%82%92%E5%BF%98%E3%82%8C%E3%81%9F");
  CHECK(st == 200);
  CHECK(ja["results"][0]["id"] == "reset-password");
  CHECK(ja["results"][0]["lang"] == "ja");

  auto [st2, de] = s.get("/v1/search?q=Passwort", {{"Accept-Language", "de-CH,de;q=0.9,en;q=0.5"}});
  CHECK(st2 == 200);
  CHECK(de["results"][0]["lang"] == "de");

  auto [st3, fr] = s.get("/v1/search?q=password&lang=fr-CA");
  CHECK(st3 == 200);
  CHECK(fr["served_lang"] == "en");
  CHECK(fr["fallback"] == true);
  CHECK(fr["lang"] == "fr-ca");

  auto [st4, cat] = s.get("/v1/search?q=slow+password&lang=en&category=internet");
  CHECK(st4 == 200);
  REQUIRE(cat["results"].size() == 1);
  CHECK(cat["results"][0]["id"] == "wifi-slow");

  auto [st5, p2] = s.get("/v1/search?q=password+account&lang=en&per_page=1&page=2");
  CHECK(st5 == 200);
  CHECK(p2["results"].size() == 1);
  CHECK(p2["page"] == 2);
  CHECK(p2["per_page"] == 1);
}

TEST_CASE("bad requests get JSON errors with the right status") {
  Server s;
  check_error(s.get("/v1/search"), 400, "missing_parameter");
  check_error(s.get("/v1/search?q=a&page=0"), 400, "invalid_parameter");
  check_error(s.get("/v1/search?q=a&page=-3"), 400, "invalid_parameter");
  check_error(s.get("/v1/search?q=a&per_page=51"), 400, "invalid_parameter");
  check_error(s.get("/v1/search?q=a&per_page=ten"), 400, "invalid_parameter");
  check_error(s.get("/v1/search?q=a&page=99999999999"), 400, "invalid_parameter");
  check_error(s.get("/v1/search?q=a&lang=klingon"), 400, "invalid_parameter");
  check_error(s.get("/v1/search?q=a&channel=fax"), 400, "invalid_parameter");
  check_error(s.get("/v1/search?q=a&colour=red"), 400, "unknown_parameter");
  check_error(s.get("/v1/search?q=%FF%FE"), 400, "invalid_utf8");
  check_error(s.get("/v1/search?q=" + std::string(1200, 'a')), 400, "query_too_long");
  check_error(s.get("/nowhere"), 404, "not_found");
  check_error(s.get("/v1/search/extra"), 404, "not_found");
  auto res = s.client->Post("/v1/search", "{}", "application/json");
  REQUIRE(res);
  CHECK(res->status == 405);
  CHECK(json::parse(res->body)["error"]["code"] == "method_not_allowed");
}

TEST_CASE("bodies over the configured limit get 413") {
  kb::test::TempDir config;
  config.write("kb.yaml", "max_body_bytes: 1000\n");
  Server s({}, {"--config", (config / "kb.yaml").string()});
  auto big = s.client->Post("/v1/anything", std::string(5000, 'x'), "text/plain");
  REQUIRE(big);
  CHECK(big->status == 413);
  CHECK(json::parse(big->body)["error"]["code"] == "payload_too_large");
}

TEST_CASE("the agent channel needs the agent token; internal content stays internal") {
  Server s(std::map<std::string, std::string>{{"KB_AGENT_TOKEN", "s3cret-agent-token"}});
  check_error(s.get("/v1/search?q=retention&lang=en&channel=agent"), 401, "unauthorized");
  check_error(s.get("/v1/search?q=retention&lang=en&channel=agent",
                    {{"Authorization", "Bearer wrong-token-xxxxxxx"}}),
              403, "forbidden");
  auto [status, body] = s.get("/v1/search?q=retention&lang=en&channel=agent",
                              {{"Authorization", "Bearer s3cret-agent-token"}});
  CHECK(status == 200);
  REQUIRE(body["results"].size() >= 1);
  CHECK(body["results"][0]["id"] == "internal-retention");

  for (const std::string channel : {"web", "botframework", "dialogflow", "slack", "voice", "sms", "json"}) {
    auto [st, pub] = s.get("/v1/search?q=retention+FIXTURE-CANARY-INTERNAL+security+questions&channel=" + channel);
    CHECK(st == 200);
    // The query is echoed back; nothing else may carry the canaries.
    CHECK(pub["results"].dump().find("FIXTURE-CANARY") == std::string::npos);
    CHECK(pub["results"].dump().find("internal-retention") == std::string::npos);
  }
  // Tokens never reach the log.
  s.process->stop();
  CHECK(s.process->log().find("s3cret-agent-token") == std::string::npos);
  CHECK(s.process->log().find("GET /v1/search 200") != std::string::npos);
}

TEST_CASE("every response carries a request id, which error bodies and the access log repeat") {
  Server s;
  // A client's (or a proxy's) id is kept, so its logs join ours.
  auto given = s.client->Get("/v1/search?q=router&lang=en", {{"X-Request-Id", "support-ticket-4711"}});
  REQUIRE(given);
  CHECK(given->status == 200);
  CHECK(given->get_header_value("X-Request-Id") == "support-ticket-4711");
  // Without one, or with one that could forge log lines, the server makes its own.
  const std::regex generated("[0-9a-f]{16}");
  auto own = s.client->Get("/v1/search?q=router&lang=en");
  auto forged = s.client->Get("/v1/search?q=router&lang=en", {{"X-Request-Id", "x 200 GET /v1/admin"}});
  REQUIRE(own);
  REQUIRE(forged);
  CHECK(std::regex_match(own->get_header_value("X-Request-Id"), generated));
  CHECK(std::regex_match(forged->get_header_value("X-Request-Id"), generated));
  CHECK(own->get_header_value("X-Request-Id") != forged->get_header_value("X-Request-Id"));
  // Errors name it in their body: what a customer or an agent quotes to support.
  for (const char* path : {"/v1/nowhere", "/v1/search?lang=en"}) {
    auto err = s.client->Get(path, {{"X-Request-Id", "quote-me"}});
    REQUIRE(err);
    CHECK(err->status >= 400);
    CHECK(err->get_header_value("X-Request-Id") == "quote-me");
    CHECK(json::parse(err->body)["error"]["request_id"] == "quote-me");
  }
  s.process->stop();
  const std::string log = s.process->log();
  CHECK(log.find("GET /v1/search 200") != std::string::npos);
  CHECK(log.find(" support-ticket-4711\n") != std::string::npos);
  CHECK(log.find(" quote-me\n") != std::string::npos);
  CHECK(log.find("x 200 GET /v1/admin") == std::string::npos);
}

TEST_CASE("GET /health reports the live generation") {
  Server s;
  auto [status, body] = s.get("/health");
  CHECK(status == 200);
  CHECK(body["status"] == "ok");
  CHECK(body["index_version"] == "gen-000001");
  CHECK(body["documents"] == 10);
  CHECK(body["languages"]["ja"] == 2);
  // Ten articles: no language is large enough for champion lists, and none is damaged.
  CHECK(body["champion_lists"] == nlohmann::json::object());
  CHECK(body["champion_lists_damaged"] == nlohmann::json::array());
  CHECK(body["schema"] == "4");
  CHECK(body["refused_generation"].is_null());
}

TEST_CASE("SIGTERM stops the server cleanly") {
  Server s;
  CHECK(s.get("/health").first == 200);
  CHECK(s.process->stop() == 0);
}
