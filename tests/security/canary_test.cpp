// The canary test: two unique strings live only in internal content of the bundled help
// center (CANARY-RETENTION-7Q2 in the internal article internal-retention-offers,
// CANARY-AGENTNOTE-5K8 in the agent notes of lost-or-stolen-phone in every language).
// content/ is built with kb-index and served by kb-server; every public endpoint and channel
// is asked, with queries aimed at the internal content, and no body or header may carry
// them. With the agent token the agent channel shows them, so the test can fail.
#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "process.h"
#include "raw_http.h"
#include "temp_dir.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr const char* kAgentToken = "agent-token-canary-4d1f";
constexpr const char* kEditorToken = "editor-token-canary-9b7e";
const std::vector<std::string> kPublicChannels = {"web", "botframework", "dialogflow", "slack", "voice", "sms", "json"};
const std::vector<std::string> kLanguages = {"en", "de", "fr", "ja", "es"};
// The canaries, and fragments that occur nowhere else in the content (checked only when the
// request itself does not carry them, since queries are echoed).
const std::vector<std::string> kCanaries = {"canary-retention-7q2", "canary-agentnote-5k8"};
const std::vector<std::string> kFragments = {"canary", "agentnote", "7q2", "5k8"};

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string encode(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_') {
      out.push_back(static_cast<char>(c));
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

struct Article {
  std::string id;
  std::string lang;
  bool internal;
};

std::vector<Article> bundled_articles() {
  std::vector<Article> out;
  static const std::regex id_line("^id: *(\\S+)"), lang_line("^lang: *(\\S+)");
  for (const auto& entry : fs::recursive_directory_iterator(kb::test::source_dir() / "content/articles")) {
    if (entry.path().extension() != ".md") continue;
    std::ifstream in(entry.path());
    Article a{"", "", false};
    std::string line;
    std::smatch m;
    while (std::getline(in, line)) {
      if (std::regex_search(line, m, id_line)) a.id = m[1];
      if (std::regex_search(line, m, lang_line)) a.lang = lower(m[1]);
      if (line == "audience: internal") a.internal = true;
    }
    if (!a.id.empty()) out.push_back(a);
  }
  return out;
}

class Probe {
 public:
  explicit Probe(int port) : port_(port) {}

  // GETs `target` and checks that nothing in the response leaks; returns the response.
  kb::test::RawResponse get(const std::string& target, const std::string& echoed = "", const std::string& token = "") {
    return request(target, echoed, token, true);
  }
  // The agent channel with its token: internal content may (and must) be there.
  kb::test::RawResponse get_as_agent(const std::string& target) { return request(target, "", kAgentToken, false); }
  // POSTs a JSON body and checks the response like get().
  kb::test::RawResponse post(const std::string& target, const std::string& body, const std::string& echoed = "",
                             const std::string& token = "") {
    return request(target, echoed, token, true, body);
  }

 private:
  kb::test::RawResponse request(const std::string& target, const std::string& echoed, const std::string& token,
                                bool check, const std::optional<std::string>& body = std::nullopt) {
    std::string request = (body ? "POST " : "GET ") + target + " HTTP/1.1\r\nHost: kb\r\nConnection: close\r\n";
    if (!token.empty()) request += "Authorization: Bearer " + token + "\r\n";
    if (body) request += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body->size()) + "\r\n";
    const auto r = kb::test::raw_request(port_, request + "\r\n" + body.value_or(""));
    REQUIRE(r);
    ++requests_;
    std::string all = r->body;
    for (const auto& [name, value] : r->headers) all += "\n" + name + ": " + value;
    all = lower(all);
    if (!check) return *r;
    INFO("GET " << target << " -> " << r->status);
    for (const auto& canary : kCanaries) CHECK(all.find(canary) == std::string::npos);
    const std::string asked = lower(echoed + " " + target);
    for (const auto& fragment : kFragments) {
      if (asked.find(fragment) == std::string::npos) CHECK(all.find(fragment) == std::string::npos);
    }
    return *r;
  }


 public:
  int requests() const { return requests_; }

 private:
  int port_;
  int requests_ = 0;
};

std::set<std::string> ids_in(const json& list) {
  std::set<std::string> out;
  for (const auto& item : list) out.insert(item["id"].get<std::string>());
  return out;
}

}  // namespace

TEST_CASE("internal content never reaches a public endpoint or channel; agents see it") {
  kb::test::TempDir dir;
  const auto built = kb::test::run_command({kb::test::kb_index_path(), "build", "--content",
                                            (kb::test::source_dir() / "content").string(), "--out",
                                            (dir / "kb").string(), "--quiet"});
  REQUIRE(built.exit_code == 0);
  kb::test::ServerProcess server(dir / "kb", {},
                                 {{"KB_AGENT_TOKEN", kAgentToken},
                                  {"KB_EDITOR_TOKEN", kEditorToken},
                                  {"KB_PUBLIC_BASE_URL", "https://help.example.test"},
                                  {"KB_EVENTS_PATH", (dir / "events.db").string()}});
  Probe probe(server.port());

  const std::vector<Article> articles = bundled_articles();
  std::set<std::string> internal_ids;
  for (const auto& a : articles) {
    if (a.internal) internal_ids.insert(a.id);
  }
  REQUIRE(internal_ids.count("internal-retention-offers") == 1);

  // Positive control first: the agent channel with the token shows both canaries.
  {
    const auto answer = probe.get_as_agent("/v1/answer?channel=agent&q=" + encode("what retention offers can I make") + "&lang=en");
    CHECK(answer.status == 200);
    CHECK(lower(answer.body).find("canary-retention-7q2") != std::string::npos);
    for (const std::string lang : {"en", "de", "fr", "ja"}) {
      const auto notes = probe.get_as_agent("/v1/articles/lost-or-stolen-phone?channel=agent&lang=" + lang);
      CHECK(notes.status == 200);
      CHECK(notes.body.find("CANARY-AGENTNOTE-5K8") != std::string::npos);
    }
    const auto search = probe.get_as_agent("/v1/search?channel=agent&q=retention+offer&lang=en");
    CHECK(ids_in(json::parse(search.body)["results"]).count("internal-retention-offers") == 1);
  }

  // Queries aimed at the internal content, its fragments and typos of them, next to ordinary
  // ones in every language.
  const std::vector<std::string> queries = {
      "retention offers", "what discount can I give a customer who wants to leave", "retention offer approval levels",
      "maximum discount without team leader approval", "customer threatening to cancel, what can I offer?",
      "RET-OFFER-2", "RET-L3 queue", "AgentDesk", "canary", "canar", "CANARY retention", "agentnote", "AGENTNOTE 5K8",
      "7Q2", "note ref", "Note ref: CANARY", "internal guidance only", "canery retension", "retension ofers",
      "agentnot", "goodwill credit", "Fraud team FRD-MOB", "IMEI-BL macro", "identity check replacement SIM",
      "outage escalation", "major incident bridge", "lost or stolen phone", "my phone was stolen", "block my sim",
      "Handy gestohlen", "téléphone volé", "携帯電話 盗難", "スマホをなくした", "cancel my contract", "password",
      "wifi slow", "retention", "offers", "discount", "escalation"};

  for (const auto& q : queries) {
    CAPTURE(q);
    const std::string eq = encode(q);
    for (const auto& channel : kPublicChannels) {
      const auto search = probe.get("/v1/search?q=" + eq + "&channel=" + channel, q);
      REQUIRE(search.status == 200);
      const json s = json::parse(search.body);
      for (const auto& id : ids_in(s["results"])) CHECK(internal_ids.count(id) == 0);
      const auto suggest = probe.get("/v1/suggest?q=" + eq + "&channel=" + channel + "&limit=20", q);
      REQUIRE(suggest.status == 200);
      for (const auto& id : ids_in(json::parse(suggest.body)["suggestions"])) CHECK(internal_ids.count(id) == 0);
      const auto answer = probe.get("/v1/answer?q=" + eq + "&channel=" + channel, q);
      CHECK(answer.status == 200);
      for (const auto& id : internal_ids) CHECK(answer.header("x-kb-article") != id);
    }
    for (const auto& lang : kLanguages) {
      probe.get("/v1/search?q=" + eq + "&lang=" + lang + "&per_page=50&prefix=false", q);
      probe.get("/v1/search?q=" + eq + "&lang=" + lang + "&per_page=50&prefix=true&facets=true", q);
    }
  }
  // Browsing by the internal article's category and tags lists no internal article.
  for (const std::string filter : {"category=orders", "tag=retention", "tag=discounts", "tag=cancel", "product=mobile-plan"}) {
    const auto browse = probe.get("/v1/search?" + filter + "&per_page=50");
    CHECK(browse.status == 200);
    for (const auto& id : ids_in(json::parse(browse.body)["results"])) CHECK(internal_ids.count(id) == 0);
  }

  // Every article, internal ones included, on every public channel and in every language.
  for (const auto& a : articles) {
    for (const auto& channel : kPublicChannels) {
      const auto r = probe.get("/v1/articles/" + a.id + "?channel=" + channel);
      if (a.internal) CHECK(r.status == 404);
    }
    for (const auto& lang : kLanguages) {
      const auto r = probe.get("/v1/articles/" + a.id + "?lang=" + lang);
      if (a.internal) CHECK(r.status == 404);
    }
    const auto link = probe.get("/a/" + a.lang + "/" + a.id);
    CHECK(link.status == 302);
  }

  // Feedback and events about internal items, with queries and reasons aimed at them, are
  // accepted without echoing anything; the journeys they make are for agents only.
  for (const auto& q : queries) {
    CAPTURE(q);
    for (const auto& id : internal_ids) {
      const json feedback = {{"item", id}, {"helpful", false}, {"reason", q}, {"query", q}, {"session", "probe-s1"}};
      CHECK(probe.post("/v1/feedback", feedback.dump(), q).status == 202);
      const json click = {{"type", "click"}, {"item", id}, {"query", q}, {"position", 1}, {"session", "probe-s1"}};
      CHECK(probe.post("/v1/events", click.dump(), q).status == 202);
    }
    CHECK(probe.post("/v1/feedback", "{\"item\": \"" + q, q).status == 400);
    const auto bot = probe.get("/v1/answer?q=" + encode(q) + "&channel=botframework&session=probe-s1", q);
    CHECK(bot.status == 200);
  }
  CHECK(probe.get("/v1/sessions/probe-s1").status == 401);
  CHECK(probe.get("/v1/sessions/probe-s1", "", kEditorToken).status == 403);
  CHECK(probe.get("/v1/admin/analytics").status == 401);
  CHECK(probe.get("/v1/admin/analytics", "", kAgentToken).status == 403);
  CHECK(probe.post("/v1/events", R"({"type":"view","item":"internal-retention-offers","channel":"agent"})", "",
                   kEditorToken).status == 403);
  {
    // Positive control: the agent sees the session, internal items included.
    const auto journey = probe.get_as_agent("/v1/sessions/probe-s1");
    CHECK(journey.status == 200);
    CHECK(journey.body.find("internal-retention-offers") != std::string::npos);
  }

  // The agent channel without a token, or with a wrong one, shows nothing.
  CHECK(probe.get("/v1/answer?channel=agent&q=retention+offers").status == 401);
  CHECK(probe.get("/v1/articles/lost-or-stolen-phone?channel=agent", "", "not-the-agent-token").status == 403);
  CHECK(probe.get("/v1/search?channel=agent&q=retention", "", kEditorToken).status == 403);
  CHECK(probe.get("/health").status == 200);
  CHECK(probe.get("/v1/admin/index").status == 401);

  MESSAGE(probe.requests() << " requests checked for the canaries");
  CHECK(server.stop() == 0);
  // The access log holds neither tokens nor query strings.
  const std::string log = server.log();
  CHECK(log.find(kAgentToken) == std::string::npos);
  CHECK(log.find(kEditorToken) == std::string::npos);
  CHECK(log.find("q=") == std::string::npos);
  CHECK(log.find("GET /v1/answer 200") != std::string::npos);
  // Posted bodies are not logged either.
  CHECK(log.find("POST /v1/feedback 202") != std::string::npos);
  CHECK(log.find("goodwill credit") == std::string::npos);
}
