// /v1/answer, /v1/articles/{id} and the short links of a real kb-server over the fixture
// knowledge base built by the real kb-index: the same answer on every channel, visibility,
// no-answers, channel plugins and bad input.
#include <doctest/doctest.h>

#include <httplib.h>

#include <nlohmann/json.hpp>

#include <iomanip>
#include <regex>
#include <set>
#include <sstream>

#include "process.h"
#include "temp_dir.h"

using nlohmann::json;
using Env = std::map<std::string, std::string>;

namespace {

const std::string kToken = "fixture-agent-token-0123456789";
const std::string kCanaryNote = "FIXTURE-CANARY-NOTE";
const std::string kCanaryInternal = "FIXTURE-CANARY-INTERNAL";
const std::vector<std::string> kChannels = {"web", "botframework", "dialogflow", "slack",
                                            "voice", "sms", "agent", "json"};

struct Server {
  kb::test::TempDir dir;
  std::unique_ptr<kb::test::ServerProcess> process;
  std::unique_ptr<httplib::Client> client;

  explicit Server(std::map<std::string, std::string> env = {}) {
    const auto r = kb::test::run_command({kb::test::kb_index_path(), "build", "--content",
                                          std::string(KB_FIXTURES) + "/content", "--out",
                                          (dir / "kb").string()});
    REQUIRE(r.exit_code == 0);
    env.emplace("KB_AGENT_TOKEN", kToken);
    process = std::make_unique<kb::test::ServerProcess>(dir / "kb", std::vector<std::string>{}, std::move(env));
    client = std::make_unique<httplib::Client>("127.0.0.1", process->port());
    client->set_read_timeout(10, 0);
  }

  httplib::Result get(const std::string& path, bool agent_token = false) {
    httplib::Headers headers;
    if (agent_token) headers.emplace("Authorization", "Bearer " + kToken);
    auto res = client->Get(path.c_str(), headers);
    REQUIRE(res);
    return res;
  }
};

std::string with_channel(const std::string& path, const std::string& channel) {
  return path + (path.find('?') == std::string::npos ? "?" : "&") + "channel=" + channel;
}

// The article id and version as the channel's own metadata slot carries them.
std::pair<std::string, std::string> metadata_slot(const std::string& channel, const std::string& body) {
  auto attr = [&](const std::string& name) {
    std::smatch m;
    REQUIRE(std::regex_search(body, m, std::regex(name + "=\"([^\"]*)\"")));
    return m[1].str();
  };
  if (channel == "web") return {attr("data-kb-article"), attr("data-kb-version")};
  const json j = json::parse(body);
  if (channel == "botframework") return {j["channelData"]["kb"]["article"], j["channelData"]["kb"]["version"]};
  if (channel == "dialogflow") {
    CHECK(j["payload"]["kb"]["article"] == j["sessionInfo"]["parameters"]["kb_article"]);
    return {j["sessionInfo"]["parameters"]["kb_article"], j["sessionInfo"]["parameters"]["kb_version"]};
  }
  if (channel == "slack") return {j["metadata"]["event_payload"]["article"], j["metadata"]["event_payload"]["version"]};
  return {j["id"], j["version"]};  // json, agent
}

}  // namespace

TEST_CASE("for the same question every channel names the same article and version") {
  Server s;
  auto canonical = s.get("/v1/articles/reset-password?lang=en");
  REQUIRE(canonical->status == 200);
  const json article = json::parse(canonical->body);
  const std::string version = article["version"];
  CHECK(version.size() == 16);
  CHECK(canonical->get_header_value("X-KB-Version") == version);

  std::set<std::string> confidences;
  for (const auto& channel : kChannels) {
    CAPTURE(channel);
    auto res = s.get(with_channel("/v1/answer?q=I%20forgot%20my%20password&lang=en", channel), channel == "agent");
    REQUIRE(res->status == 200);
    CHECK(res->get_header_value("X-KB-Answered") == "true");
    CHECK(res->get_header_value("X-KB-Article") == "reset-password");
    CHECK(res->get_header_value("X-KB-Lang") == "en");
    CHECK(res->get_header_value("X-KB-Version") == version);
    CHECK(res->get_header_value("X-KB-Channel") == channel);
    CHECK(res->get_header_value("X-KB-Index-Version") == "gen-000001");
    confidences.insert(res->get_header_value("X-KB-Confidence"));
    if (channel != "voice" && channel != "sms") {
      const auto [id, v] = metadata_slot(channel, res->body);
      CHECK(id == "reset-password");
      CHECK(v == version);
    }
  }
  // One search, one confidence, whatever the channel.
  REQUIRE(confidences.size() == 1);
  CHECK(std::regex_match(*confidences.begin(), std::regex("0\\.[0-9][0-9]|1\\.00")));

  // The content types a client gets.
  CHECK(s.get("/v1/answer?q=I%20forgot%20my%20password&lang=en&channel=web")->get_header_value("Content-Type") ==
        "text/html; charset=utf-8");
  CHECK(s.get("/v1/answer?q=I%20forgot%20my%20password&lang=en&channel=voice")->get_header_value("Content-Type") ==
        "application/ssml+xml; charset=utf-8");
  CHECK(s.get("/v1/answer?q=I%20forgot%20my%20password&lang=en&channel=sms")->get_header_value("Content-Type") ==
        "text/plain; charset=utf-8");
}

TEST_CASE("the canonical answer over HTTP: steps from the body, follow-ups, related items") {
  Server s;
  auto res = s.get("/v1/answer?q=I%20forgot%20my%20password&lang=en");  // json is the default channel
  REQUIRE(res->status == 200);
  const json a = json::parse(res->body);
  CHECK(a["kind"] == "answer");
  CHECK(a["id"] == "reset-password");
  CHECK(a["title"] == "How do I reset my password?");
  CHECK(a["short_answer"] ==
        "Choose \"Forgot password\" on the sign-in page and we e-mail you a reset link that works for 24 hours.");
  CHECK(a["steps"].size() == 3);
  CHECK(a["steps"][0] == "Open the sign-in page and choose Forgot password.");
  CHECK(a["steps"][1] == "Enter the e-mail address of your account.");
  CHECK(a["related"] == json::array({{{"id", "account-locked"}, {"title", "Why is my account locked?"},
                                      {"url", "/v1/articles/account-locked?lang=en"}}}));
  // Related titles, then the article's other questions, never the question just asked.
  CHECK(a["follow_ups"] == json::array({"Why is my account locked?", "can't sign in"}));
  CHECK(a["updated"] == "2026-09-14");
  CHECK(a["source"] == "en/reset-password.md");
  CHECK(a["query"] == "I forgot my password");
  CHECK_FALSE(a.contains("internal_notes"));
  CHECK(res->get_header_value("X-KB-Confidence") ==
        (std::ostringstream() << std::fixed << std::setprecision(2) << a["confidence"].get<double>()).str());
}

TEST_CASE("internal notes and internal articles reach the agent channel with a valid token only") {
  Server s;
  for (const auto& channel : kChannels) {
    CAPTURE(channel);
    const bool agent = channel == "agent";
    for (const std::string path : {"/v1/answer?q=I%20forgot%20my%20password&lang=en", "/v1/articles/reset-password?lang=en",
                                   "/v1/answer?q=retention%20offers%20cancel&lang=en",
                                   "/v1/articles/internal-retention?lang=en"}) {
      CAPTURE(path);
      auto res = s.get(with_channel(path, channel), agent);
      CHECK(res->status == ((!agent && path.find("/v1/articles/internal") == 0) ? 404 : 200));
      if (!agent) {
        CHECK(res->body.find(kCanaryNote) == std::string::npos);
        CHECK(res->body.find(kCanaryInternal) == std::string::npos);
        if (res->status == 200) CHECK(res->body.find("internal-retention") == std::string::npos);
        CHECK(res->get_header_value("X-KB-Article") != "internal-retention");
      }
    }
  }
  auto notes = s.get("/v1/answer?q=I%20forgot%20my%20password&lang=en&channel=agent", true);
  REQUIRE(notes->status == 200);
  const json a = json::parse(notes->body);
  REQUIRE(a["internal_notes"].size() == 1);
  CHECK(a["internal_notes"][0].get<std::string>().rfind(kCanaryNote, 0) == 0);
  CHECK(a["reply"].get<std::string>().find(kCanaryNote) == std::string::npos);  // the reply goes to the customer
  auto internal = s.get("/v1/articles/internal-retention?lang=en&channel=agent", true);
  REQUIRE(internal->status == 200);
  CHECK(internal->body.find(kCanaryInternal) != std::string::npos);

  // Without the token, or with a wrong one, the agent channel shows nothing.
  for (const std::string path : {"/v1/answer?q=I%20forgot%20my%20password&lang=en&channel=agent",
                                 "/v1/articles/reset-password?channel=agent"}) {
    auto none = s.get(path);
    CHECK(none->status == 401);
    CHECK(json::parse(none->body)["error"]["code"] == "unauthorized");
    CHECK(none->body.find(kCanaryNote) == std::string::npos);
    auto wrong = s.client->Get(path.c_str(), {{"Authorization", "Bearer " + kToken + "x"}});
    REQUIRE(wrong);
    CHECK(wrong->status == 403);
    CHECK(json::parse(wrong->body)["error"]["code"] == "forbidden");
    CHECK(wrong->body.find(kCanaryNote) == std::string::npos);
  }
}

TEST_CASE("below the channel's threshold or without hits the answer is an explicit no-answer") {
  Server s(Env{{"KB_CHANNEL_THRESHOLDS", "json=0.99, web=0.99"}});
  // Half the question is about something the base does not cover: low confidence.
  auto low = s.get("/v1/answer?q=I%20forgot%20my%20password%20for%20the%20satellite%20dish&lang=en");
  REQUIRE(low->status == 200);
  CHECK(low->get_header_value("X-KB-Answered") == "false");
  CHECK_FALSE(low->has_header("X-KB-Article"));
  CHECK(low->get_header_value("X-KB-Lang") == "en");
  const json n = json::parse(low->body);
  CHECK(n["kind"] == "no_answer");
  CHECK(n["reason"] == "low_confidence");
  CHECK(n["threshold"] == 0.99);
  REQUIRE(n["candidates"].size() >= 1);
  CHECK(n["candidates"][0]["id"] == "reset-password");
  CHECK(n["candidates"][0]["url"] == "/v1/articles/reset-password?lang=en");
  CHECK(n["clarifying_prompts"][0] == "How do I reset my password?");
  CHECK(n["handoff"] == json{{"channel", "agent"}, {"message", "Would you like to talk to one of our team?"}});
  CHECK(low->get_header_value("X-KB-Confidence") ==
        (std::ostringstream() << std::fixed << std::setprecision(2) << n["confidence"].get<double>()).str());

  // Other channels keep their own threshold.
  CHECK(s.get("/v1/answer?q=I%20forgot%20my%20password&lang=en&channel=slack")->get_header_value("X-KB-Answered") == "true");
  CHECK(s.get("/v1/answer?q=I%20forgot%20my%20password%20for%20the%20satellite%20dish&lang=en&channel=slack")
            ->get_header_value("X-KB-Answered") == "false");
  auto web = s.get("/v1/answer?q=I%20forgot%20my%20password%20for%20the%20satellite%20dish&lang=en&channel=web");
  CHECK(web->body.find("<section class=\"kb-no-answer\"") == 0);

  auto nothing = s.get("/v1/answer?q=xyzzy%20plugh%20frobnicate&lang=en&channel=slack");
  REQUIRE(nothing->status == 200);
  CHECK(nothing->get_header_value("X-KB-Answered") == "false");
  CHECK(nothing->get_header_value("X-KB-Confidence") == "0.00");
  const json slack = json::parse(nothing->body);
  CHECK(slack["metadata"]["event_type"] == "kb_no_answer");
  CHECK(slack["metadata"]["event_payload"]["reason"] == "no_match");
  CHECK(slack["metadata"]["event_payload"]["candidates"] == json::array());

  // German prompts for a German question without hits.
  auto de = json::parse(s.get("/v1/answer?q=xyzzy&lang=de")->body);
  CHECK(de["lang"] == "de");
  CHECK(de["clarifying_prompts"] == json::array({"Können Sie Ihre Frage etwas genauer beschreiben?"}));
}

TEST_CASE("GET /v1/articles/{id}: rendered for the channel, 404 when missing or not visible there") {
  Server s;
  auto de = s.get("/v1/articles/reset-password?lang=de&channel=sms");
  REQUIRE(de->status == 200);
  CHECK(de->get_header_value("X-KB-Lang") == "de");
  CHECK(de->get_header_value("X-KB-Confidence") == "1.00");
  CHECK(de->get_header_value("Content-Language") == "de");
  CHECK(de->body == "Wählen Sie auf der Anmeldeseite „Passwort vergessen\" – wir senden Ihnen einen Link, der 24 "
                    "Stunden gültig ist.");
  auto ja = s.get("/v1/articles/wifi-slow", false);
  ja = s.client->Get("/v1/articles/wifi-slow", {{"Accept-Language", "ja"}});
  REQUIRE(ja);
  CHECK(ja->get_header_value("X-KB-Lang") == "ja");

  auto check_404 = [&](const std::string& path) {
    CAPTURE(path);
    auto res = s.get(path);
    CHECK(res->status == 404);
    CHECK(res->get_header_value("Content-Type") == "application/json; charset=utf-8");
    CHECK(json::parse(res->body)["error"]["code"] == "not_found");
  };
  check_404("/v1/articles/no-such-article");
  check_404("/v1/articles/internal-retention");
  check_404("/v1/articles/cancel-contract?channel=sms");  // the article allows web, voice, agent
  check_404("/v1/articles/new-feature-draft");
  CHECK(s.get("/v1/articles/cancel-contract?channel=voice")->status == 200);
  // Channel restrictions also hold for answers: the SMS answer is not the excluded article.
  auto sms = s.get("/v1/answer?q=cancel%20my%20contract&lang=en&channel=sms");
  CHECK(sms->get_header_value("X-KB-Article") != "cancel-contract");
  CHECK(s.get("/v1/answer?q=cancel%20my%20contract&lang=en&channel=voice")->get_header_value("X-KB-Article") ==
        "cancel-contract");
}

TEST_CASE("short links for SMS use the public base URL and redirect to the article") {
  Server s(Env{{"KB_PUBLIC_BASE_URL", "https://help.example.test/"}});
  auto sms = s.get("/v1/answer?q=I%20forgot%20my%20password&lang=en&channel=sms");
  REQUIRE(sms->status == 200);
  CHECK(sms->body ==
        "Choose \"Forgot password\" on the sign-in page and we e-mail you a reset link that works for 24 hours.\n"
        "https://help.example.test/a/en/reset-password");
  auto json_answer = json::parse(s.get("/v1/answer?q=I%20forgot%20my%20password&lang=en")->body);
  CHECK(json_answer["url"] == "https://help.example.test/v1/articles/reset-password?lang=en");
  auto redirect = s.get("/a/en/reset-password");
  CHECK(redirect->status == 302);
  CHECK(redirect->get_header_value("Location") == "https://help.example.test/v1/articles/reset-password?lang=en");
  CHECK(s.get("/a/klingon-xx-yy-zz/reset-password")->status == 404);
}

TEST_CASE("bad requests to the answer endpoints get JSON errors, never a crash") {
  Server s;
  auto check_error = [&](const std::string& path, int status, const std::string& code) {
    CAPTURE(path);
    auto res = s.get(path);
    CHECK(res->status == status);
    CHECK(res->get_header_value("Content-Type") == "application/json; charset=utf-8");
    CHECK(json::parse(res->body)["error"]["code"] == code);
  };
  check_error("/v1/answer", 400, "missing_parameter");
  check_error("/v1/answer?q=%20%20%0A", 400, "missing_parameter");
  check_error("/v1/answer?q=password&channel=fax", 400, "invalid_parameter");
  check_error("/v1/answer?q=password&channel=", 400, "invalid_parameter");
  check_error("/v1/answer?q=password&lang=klingon", 400, "invalid_parameter");
  check_error("/v1/answer?q=password&page=2", 400, "unknown_parameter");
  check_error("/v1/answer?q=%FF%FE&channel=sms", 400, "invalid_utf8");
  check_error("/v1/answer?q=" + std::string(1200, 'a'), 400, "query_too_long");
  check_error("/v1/articles/reset-password?channel=fax", 400, "invalid_parameter");
  check_error("/v1/articles/reset-password?colour=red", 400, "unknown_parameter");
  check_error("/v1/articles/" + std::string(300, 'a'), 400, "invalid_parameter");
  check_error("/v1/articles/%FF", 400, "invalid_utf8");
  check_error("/v1/articles/", 404, "not_found");
  auto post = s.client->Post("/v1/answer?q=x", "{}", "application/json");
  REQUIRE(post);
  CHECK(post->status == 405);
  CHECK(post->get_header_value("Allow") == "GET, HEAD");
  // Odd but valid input is answered on every channel.
  for (const auto& channel : kChannels) {
    for (const std::string q : {"%3Cscript%3Ealert(1)%3C%2Fscript%3E", "%F0%9F%98%80%F0%9F%98%80", "%22%27%26%5C"}) {
      auto res = s.get("/v1/answer?q=" + q + "&channel=" + channel, channel == "agent");
      CHECK(res->status == 200);
      // JSON bodies may quote the question; the HTML fragment never contains it raw.
      if (channel == "web") CHECK(res->body.find("<script>alert") == std::string::npos);
    }
  }
  CHECK(s.get("/health")->status == 200);
}

TEST_CASE("a third-party channel plugin named in the config answers over HTTP") {
  kb::test::TempDir config;
  config.write("kb.yaml", std::string("channel_plugins:\n  - ") + KB_TEST_CHANNEL_GOOD +
                              "\nchannel_thresholds:\n  test-echo: 0.1\n");
  Server s(Env{{"KB_CONFIG", (config / "kb.yaml").string()}});
  auto res = s.get("/v1/answer?q=I%20forgot%20my%20password&lang=en&channel=test-echo");
  REQUIRE(res->status == 200);
  const std::string version = res->get_header_value("X-KB-Version");
  CHECK(res->body == "echo reset-password en " + version + " [How do I reset my password?]");
  CHECK(res->get_header_value("X-KB-Article") == "reset-password");
  CHECK(res->get_header_value("Content-Type") == "text/plain; charset=utf-8");
  // A plugin channel has its visibility channel's rules: no internal article, no notes.
  CHECK(s.get("/v1/articles/internal-retention?channel=test-echo")->status == 404);
  CHECK(s.get("/v1/articles/reset-password?channel=test-echo", true)->body.find(kCanaryNote) == std::string::npos);
}

TEST_CASE("kb-server refuses to start with a plugin of the wrong ABI version or unknown thresholds") {
  kb::test::TempDir dir;
  REQUIRE(kb::test::run_command({kb::test::kb_index_path(), "build", "--content",
                                 std::string(KB_FIXTURES) + "/content", "--out", (dir / "kb").string()})
              .exit_code == 0);
  const auto wrong = kb::test::run_command({kb::test::kb_server_path(), "--kb", (dir / "kb").string(), "--port", "0"},
                                           {{"KB_CHANNEL_PLUGINS", KB_TEST_CHANNEL_WRONG_ABI}});
  CHECK(wrong.exit_code == 1);
  CHECK(wrong.err == "kb-server: channel_plugin: channel plugin " + std::string(KB_TEST_CHANNEL_WRONG_ABI) +
                         ": was built for channel ABI version 99, but this kb-server has version 1 (rebuild it "
                         "against this kb-server's plugins/channels headers)\n");
  CHECK(wrong.out.find("listening") == std::string::npos);

  const auto unknown = kb::test::run_command({kb::test::kb_server_path(), "--kb", (dir / "kb").string(), "--port", "0"},
                                             {{"KB_CHANNEL_THRESHOLDS", "fax=0.5"}});
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.err.rfind("kb-server: threshold for unknown channel 'fax'\n", 0) == 0);

  const auto range = kb::test::run_command({kb::test::kb_server_path(), "--kb", (dir / "kb").string(), "--port", "0"},
                                           {{"KB_CHANNEL_THRESHOLDS", "sms=1.5"}});
  CHECK(range.exit_code == 2);
  CHECK(range.err.rfind("kb-server: environment KB_CHANNEL_THRESHOLDS: channel_thresholds (sms): 1.5 is out of "
                        "range [0, 1]\n", 0) == 0);
}
