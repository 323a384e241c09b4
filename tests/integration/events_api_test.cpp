// Journeys, feedback, posted events, analytics and explain over HTTP: the real kb-index
// builds the fixture base, the real kb-server records into a real SQLite file.
#include <doctest/doctest.h>

#include <httplib.h>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "event_reader.h"
#include "process.h"
#include "temp_dir.h"

using nlohmann::json;
using Env = std::map<std::string, std::string>;

namespace {

const std::string kAgentToken = "events-agent-token-5e1d";
const std::string kEditorToken = "events-editor-token-77aa";
const std::string kQuestion = "/v1/answer?q=I%20forgot%20my%20password&lang=en";

struct Server {
  kb::test::TempDir dir;
  std::unique_ptr<kb::test::ServerProcess> process;
  std::unique_ptr<httplib::Client> client;

  explicit Server(Env env = {}, bool events = true) {
    const auto r = kb::test::run_command({kb::test::kb_index_path(), "build", "--content",
                                          std::string(KB_FIXTURES) + "/content", "--out", (dir / "kb").string(),
                                          "--quiet"});
    REQUIRE(r.exit_code == 0);
    env.emplace("KB_AGENT_TOKEN", kAgentToken);
    env.emplace("KB_EDITOR_TOKEN", kEditorToken);
    if (events) env.emplace("KB_EVENTS_PATH", events_path().string());
    process = std::make_unique<kb::test::ServerProcess>(dir / "kb", std::vector<std::string>{}, std::move(env));
    client = std::make_unique<httplib::Client>("127.0.0.1", process->port());
    client->set_read_timeout(10, 0);
  }
  std::filesystem::path events_path() const { return dir / "var" / "events.db"; }

  httplib::Result get(const std::string& path, const std::string& token = "", httplib::Headers headers = {}) {
    if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
    auto res = client->Get(path.c_str(), headers);
    REQUIRE(res);
    return res;
  }
  httplib::Result post(const std::string& path, const std::string& body, const std::string& token = "",
                       httplib::Headers headers = {}) {
    if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
    auto res = client->Post(path.c_str(), headers, body, "application/json");
    REQUIRE(res);
    return res;
  }
};

std::string error_code(const httplib::Result& r) {
  const json body = json::parse(r->body, nullptr, false);
  return body.is_object() && body.contains("error") ? body["error"]["code"].get<std::string>() : "";
}

}  // namespace

TEST_CASE("one journey across two channels: web search, bot answer, unhelpful, then an agent") {
  Server s;
  // The customer searches on the web site...
  auto search = s.get("/v1/search?q=reset%20password&lang=en&channel=web&session=cust-42");
  REQUIRE(search->status == 200);
  // ...then asks the bot, which answers with the password article...
  auto first = s.get(kQuestion + "&channel=botframework", "", {{"X-Session-Id", "cust-42"}});
  REQUIRE(first->status == 200);
  CHECK(first->get_header_value("X-KB-Article") == "reset-password");
  // ...which did not help.
  auto rated = s.post("/v1/feedback",
                      json{{"item", "reset-password"}, {"lang", "en"}, {"helpful", false}, {"channel", "botframework"},
                           {"reason", "no e-mail came, write to jo@example.com or call 07700 900123"},
                           {"session", "cust-42"}}
                          .dump());
  CHECK(rated->status == 202);
  CHECK(json::parse(rated->body) == json{{"accepted", true}});

  // Asked again, the bot does not serve the same article: it hands off honestly.
  auto again = s.get(kQuestion + "&channel=botframework&session=cust-42");
  REQUIRE(again->status == 200);
  CHECK(again->get_header_value("X-KB-Article") != "reset-password");
  CHECK(again->body.find("reset-password") == std::string::npos);
  // Another customer still gets it.
  CHECK(s.get(kQuestion + "&channel=botframework&session=someone-else")->get_header_value("X-KB-Article") ==
        "reset-password");

  // The agent sees what the customer saw and how they rated it.
  auto agent = s.get(kQuestion + "&channel=agent&session=cust-42", kAgentToken);
  REQUIRE(agent->status == 200);
  CHECK(agent->get_header_value("X-KB-Article") == "reset-password");  // agents may still use it
  const json a = json::parse(agent->body);
  REQUIRE(a.contains("journey"));
  const json& steps = a["journey"]["steps"];
  REQUIRE(steps.size() == 4);
  CHECK(steps[0]["type"] == "search");
  CHECK(steps[0]["channel"] == "web");
  CHECK(steps[0]["query"] == "reset password");
  CHECK(steps[0]["top"][0] == "reset-password");
  CHECK(steps[1]["type"] == "answer");
  CHECK(steps[1]["channel"] == "botframework");
  CHECK(steps[1]["item"] == "reset-password");
  CHECK(steps[2]["type"] == "feedback");
  CHECK(steps[2]["helpful"] == false);
  CHECK(steps[2]["reason"] == "no e-mail came, write to [email] or call [phone]");
  CHECK(steps[3]["type"] == "answer");
  CHECK(steps[3]["answered"] == (again->get_header_value("X-KB-Answered") == "true"));
  const json& seen = a["journey"]["seen"];
  REQUIRE(seen.size() >= 1);
  CHECK(seen[0]["id"] == "reset-password");
  CHECK(seen[0]["rating"] == "unhelpful");
  CHECK(seen[0]["channels"] == json::array({"botframework"}));
  // Without a session the agent answer has no journey.
  CHECK_FALSE(json::parse(s.get(kQuestion + "&channel=agent", kAgentToken)->body).contains("journey"));

  // The session endpoint lists every step in order, the agent's answer last.
  auto journey = s.get("/v1/sessions/cust-42", kAgentToken);
  REQUIRE(journey->status == 200);
  const json j = json::parse(journey->body);
  CHECK(j["session"] == "cust-42");
  REQUIRE(j["steps"].size() == 5);
  std::vector<std::string> channels;
  for (const auto& step : j["steps"]) channels.push_back(step["channel"]);
  CHECK(channels == std::vector<std::string>{"web", "botframework", "botframework", "botframework", "agent"});
  for (std::size_t i = 1; i < j["steps"].size(); ++i) {
    CHECK(j["steps"][i - 1]["time"].get<std::string>() <= j["steps"][i]["time"].get<std::string>());
  }
  CHECK(s.get("/v1/sessions/cust-42")->status == 401);
  CHECK(s.get("/v1/sessions/cust-42", kEditorToken)->status == 403);
  CHECK(json::parse(s.get("/v1/sessions/nobody", kAgentToken)->body)["steps"] == json::array());
  CHECK(error_code(s.get("/v1/sessions/bad%20id", kAgentToken)) == "invalid_parameter");

  // Everything is in the SQLite file once the server stops, with personal data redacted.
  CHECK(s.process->stop() == 0);
  kb::events::EventReader reader(s.events_path());
  const auto stored = reader.journey("cust-42", 100);
  REQUIRE(stored.size() == 5);
  CHECK(stored[2].reason == "no e-mail came, write to [email] or call [phone]");
  const std::string bytes = kb::test::read_file(s.events_path());
  CHECK(bytes.find("jo@example.com") == std::string::npos);
  CHECK(bytes.find("900123") == std::string::npos);
}

TEST_CASE("posted events and feedback are validated with exact error codes") {
  Server s;
  struct Case {
    const char* name;
    const char* path;
    std::string body;
    int status;
    const char* code;
  };
  const std::vector<Case> cases = {
      {"a click", "/v1/events", R"({"type":"click","item":"reset-password","position":1,"query":"pw","session":"s1"})", 202, ""},
      {"a view with a language", "/v1/events", R"({"type":"view","item":"wifi-slow","lang":"de-de","channel":"sms"})", 202, ""},
      {"helpful feedback", "/v1/feedback", R"({"item":"wifi-slow","helpful":true})", 202, ""},
      {"malformed JSON", "/v1/feedback", R"({"item":"wifi-slow","helpful":tru)", 400, "invalid_json"},
      {"empty body", "/v1/events", "", 400, "invalid_json"},
      {"an array, not an object", "/v1/events", R"([{"type":"click"}])", 400, "invalid_json"},
      {"invalid UTF-8", "/v1/feedback", "{\"item\":\"\xff\",\"helpful\":true}", 400, "invalid_json"},
      {"helpful as a string", "/v1/feedback", R"({"item":"wifi-slow","helpful":"yes"})", 400, "invalid_field"},
      {"item as a number", "/v1/feedback", R"({"item":42,"helpful":true})", 400, "invalid_field"},
      {"position as a string", "/v1/events", R"({"type":"click","item":"a","position":"1"})", 400, "invalid_field"},
      {"position zero", "/v1/events", R"({"type":"click","item":"a","position":0})", 400, "invalid_field"},
      {"missing item", "/v1/feedback", R"({"helpful":false})", 400, "missing_field"},
      {"empty item", "/v1/events", R"({"type":"view","item":""})", 400, "missing_field"},
      {"missing helpful", "/v1/feedback", R"({"item":"wifi-slow"})", 400, "missing_field"},
      {"missing type", "/v1/events", R"({"item":"wifi-slow"})", 400, "missing_field"},
      {"unknown event type", "/v1/events", R"({"type":"purchase","item":"wifi-slow"})", 400, "unknown_event_type"},
      {"search is recorded by the server", "/v1/events", R"({"type":"search","item":"x"})", 400, "unknown_event_type"},
      {"unknown field", "/v1/feedback", R"({"item":"a","helpful":true,"email":"x@y.z"})", 400, "unknown_field"},
      {"unknown channel", "/v1/events", R"({"type":"view","item":"a","channel":"fax"})", 400, "invalid_field"},
      {"bad language", "/v1/events", R"({"type":"view","item":"a","lang":"not a tag"})", 400, "invalid_field"},
      {"bad session", "/v1/feedback", R"({"item":"a","helpful":true,"session":"a b"})", 400, "invalid_parameter"},
      {"long reason", "/v1/feedback", R"({"item":"a","helpful":false,"reason":")" + std::string(1001, 'r') + "\"}", 400,
       "invalid_field"},
      {"item over 200 bytes", "/v1/events", R"({"type":"view","item":")" + std::string(201, 'i') + "\"}", 400,
       "invalid_field"},
      {"oversize body", "/v1/feedback", R"({"item":"a","helpful":true,"reason":")" + std::string(20000, ' ') + "\"}", 413,
       "payload_too_large"},
      {"the agent channel without the agent token", "/v1/events", R"({"type":"view","item":"a","channel":"agent"})", 401,
       "unauthorized"},
  };
  for (const auto& c : cases) {
    CAPTURE(std::string(c.name));
    auto r = s.post(c.path, c.body);
    CHECK(r->status == c.status);
    CHECK(r->get_header_value("Content-Type") == "application/json; charset=utf-8");
    CHECK(error_code(r) == c.code);
  }
  CHECK(s.get("/v1/events")->status == 405);
  CHECK(s.post("/v1/events?colour=red", R"({"type":"view","item":"a"})")->status == 400);
  CHECK(s.post("/v1/events", R"({"type":"view","item":"a","channel":"agent"})", kAgentToken)->status == 202);
  CHECK(s.process->stop() == 0);
  CHECK(s.process->log().find("unhandled") == std::string::npos);
}

TEST_CASE("analytics for editors over what was recorded; explain shows the parts of a score") {
  Server s;
  for (int i = 0; i < 3; ++i) s.get("/v1/search?q=password&lang=en&session=a" + std::to_string(i));
  s.get("/v1/search?q=xyzzy%20plugh&lang=en&session=b");
  s.get("/v1/search?q=password&lang=en&page=2");  // the same search read further: not counted again
  s.get(kQuestion + "&channel=sms&session=c");
  s.post("/v1/events", R"({"type":"click","item":"reset-password","lang":"en","position":1,"session":"a0"})");
  s.post("/v1/feedback", R"({"item":"reset-password","lang":"en","helpful":true,"channel":"sms","session":"c"})");
  s.get("/v1/suggest?q=pass&lang=en");

  auto r = s.get("/v1/admin/analytics?channel=web", kEditorToken);
  REQUIRE(r->status == 200);
  const json web = json::parse(r->body);
  CHECK(web["totals"]["searches"] == 4);
  CHECK(web["totals"]["zero_result_searches"] == 1);
  CHECK(web["totals"]["clicks"] == 1);
  CHECK(web["totals"]["click_through"] == doctest::Approx(1.0 / 3));
  CHECK(web["top_queries"][0] == json{{"query", "password"}, {"count", 3}});
  CHECK(web["zero_result_queries"] == json::array({json{{"query", "xyzzy plugh"}, {"count", 1}}}));
  CHECK(web["events_dropped"] == 0);

  const json all = json::parse(s.get("/v1/admin/analytics?from=2000-01-01&lang=en", kEditorToken)->body);
  CHECK(all["totals"]["answers"] == 1);
  CHECK(all["totals"]["helpful"] == 1);
  CHECK(all["by_channel"]["sms"]["answered"] == 1);
  CHECK(all["articles"][0] == json{{"id", "reset-password"}, {"lang", "en"}, {"helpful", 1}, {"unhelpful", 0},
                                   {"helpfulness", 1.0}});
  CHECK(all["from"] == "2000-01-01T00:00:00.000Z");
  const json none = json::parse(s.get("/v1/admin/analytics?to=2000-01-01", kEditorToken)->body);
  CHECK(none["totals"]["searches"] == 0);

  CHECK(s.get("/v1/admin/analytics")->status == 401);
  CHECK(s.get("/v1/admin/analytics", kAgentToken)->status == 403);
  CHECK(error_code(s.get("/v1/admin/analytics?from=yesterday", kEditorToken)) == "invalid_parameter");
  CHECK(error_code(s.get("/v1/admin/analytics?from=2024-05-02&to=2024-05-01", kEditorToken)) == "invalid_parameter");
  CHECK(error_code(s.get("/v1/admin/analytics?channel=fax", kEditorToken)) == "invalid_parameter");

  const json explained = json::parse(s.get("/v1/search?q=password&lang=en&explain=1")->body);
  REQUIRE(explained["results"].size() >= 1);
  for (const auto& hit : explained["results"]) {
    const json& e = hit["explain"];
    CHECK(e["bm25"].get<double>() > 0);
    CHECK(e["feedback"].get<double>() >= 0.9);
    CHECK(e["feedback"].get<double>() <= 1.1);
    CHECK(e["score"].get<double>() == doctest::Approx(e["bm25"].get<double>() * e["feedback"].get<double>()));
  }
  CHECK_FALSE(json::parse(s.get("/v1/search?q=password&lang=en")->body)["results"][0].contains("explain"));
}

TEST_CASE("without an events path nothing is recorded and the event endpoints say so") {
  Server s({}, false);
  CHECK(s.get("/v1/search?q=password&session=x")->status == 200);
  auto r = s.post("/v1/feedback", R"({"item":"reset-password","helpful":false})");
  CHECK(r->status == 503);
  CHECK(error_code(r) == "events_disabled");
  CHECK(error_code(s.get("/v1/sessions/x", kAgentToken)) == "events_disabled");
  CHECK(error_code(s.get("/v1/admin/analytics", kEditorToken)) == "events_disabled");
  CHECK(s.get(kQuestion + "&channel=botframework&session=x")->get_header_value("X-KB-Article") == "reset-password");
  CHECK_FALSE(std::filesystem::exists(s.events_path()));
}
