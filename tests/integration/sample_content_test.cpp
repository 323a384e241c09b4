// The bundled help center (content/): it validates cleanly, covers the promised languages,
// and customers' questions find the right article first through a real kb-server.
#include <doctest/doctest.h>

#include <httplib.h>

#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "process.h"
#include "temp_dir.h"

using nlohmann::json;

namespace {

struct Question {
  const char* q;
  const char* lang;  // "" to let the server detect it
  const char* expected_id;
};

// Written as customers type them: paraphrases, not titles.
const Question kQuestions[] = {
    {"I forgot my password", "en", "reset-password"},
    {"my internet is really slow", "en", "wifi-slow"},
    {"how much does roaming cost in the US", "en", "roaming-abroad"},
    {"someone stole my phone", "en", "lost-or-stolen-phone"},
    {"keep my number when switching", "en", "port-number"},
    {"tv says no signal", "en", "tv-no-signal"},
    {"how do I get a refund", "en", "refund-request"},
    {"what do the lights on my router mean", "en", "hub-lights-meaning"},
    {"Passwort vergessen", "de", "reset-password"},
    {"Internet ist langsam", "de", "wifi-slow"},
    {"Handy gestohlen", "de", "lost-or-stolen-phone"},
    {"Rufnummer mitnehmen", "de", "port-number"},
    {"Fernseher kein Signal", "de", "tv-no-signal"},
    {"Rechnung verstehen", "de", "understand-your-bill"},
    {"mot de passe oublié", "fr", "reset-password"},
    {"wifi lent", "fr", "wifi-slow"},
    {"téléphone volé", "fr", "lost-or-stolen-phone"},
    {"résilier mon contrat", "fr", "cancel-contract"},
    {"remboursement", "fr", "refund-request"},
    {"パスワードを忘れた", "ja", "reset-password"},
    {"ネットが遅い", "ja", "wifi-slow"},
    {"携帯を盗まれた", "ja", "lost-or-stolen-phone"},
    {"海外で使いたい", "ja", "roaming-abroad"},
    {"解約したい", "ja", "cancel-contract"},
    {"請求書の見方", "ja", "understand-your-bill"},
    // Without lang: detected from the script or by matching each language.
    {"パスワードを忘れた", "", "reset-password"},
    {"Handy gestohlen", "", "lost-or-stolen-phone"},
    {"someone stole my phone", "", "lost-or-stolen-phone"},
};

}  // namespace

TEST_CASE("the bundled help center validates, indexes and answers its customers' questions") {
  kb::test::TempDir dir;
  const std::string content = (kb::test::source_dir() / "content").string();
  const auto v = kb::test::run_command({kb::test::kb_index_path(), "validate", "--json", "--content", content});
  REQUIRE(v.exit_code == 0);
  const auto report = json::parse(v.out);
  CHECK(report["errors"] == 0);
  CHECK(report["warnings"] == 0);

  const auto b = kb::test::run_command({kb::test::kb_index_path(), "build", "--content", content,
                                        "--out", (dir / "kb").string()});
  REQUIRE(b.exit_code == 0);
  kb::test::ServerProcess server(dir / "kb");
  httplib::Client client("127.0.0.1", server.port());

  // At least 40 public knowledge items in English and in three more languages, one of them CJK.
  auto health = client.Get("/health");
  REQUIRE(health);
  const auto languages = json::parse(health->body)["languages"];
  for (const char* lang : {"en", "de", "fr", "ja"}) {
    CAPTURE(lang);
    CHECK(languages[lang].get<int>() >= 40);
  }

  for (const auto& q : kQuestions) {
    CAPTURE(q.q);
    httplib::Params params = {{"q", q.q}, {"per_page", "3"}};
    if (*q.lang) params.emplace("lang", q.lang);
    auto res = client.Get("/v1/search", params, httplib::Headers{});
    REQUIRE(res);
    REQUIRE(res->status == 200);
    const auto body = json::parse(res->body);
    REQUIRE(body["results"].size() >= 1);
    CHECK(body["results"][0]["id"] == q.expected_id);
    if (*q.lang) CHECK(body["results"][0]["lang"] == q.lang);
  }
}

TEST_CASE("internal articles and agent notes of the bundled content never reach public search") {
  kb::test::TempDir dir;
  const std::string content = (kb::test::source_dir() / "content").string();
  REQUIRE(kb::test::run_command({kb::test::kb_index_path(), "build", "--content", content, "--out",
                                 (dir / "kb").string()})
              .exit_code == 0);
  kb::test::ServerProcess server(dir / "kb");
  httplib::Client client("127.0.0.1", server.port());
  const char* queries[] = {"retention offers discount", "outage escalation",
                           "lost stolen phone", "cancel contract", "CANARY"};
  for (const char* q : queries) {
    for (const char* channel : {"web", "botframework", "voice", "sms"}) {
      for (const char* lang : {"en", "de", "fr", "ja"}) {
        httplib::Params params = {{"q", q}, {"channel", channel}, {"lang", lang}, {"per_page", "50"}};
        auto res = client.Get("/v1/search", params, httplib::Headers{});
        REQUIRE(res);
        CHECK(res->status == 200);
        const std::string results = json::parse(res->body)["results"].dump();
        CHECK(results.find("CANARY-RETENTION-7Q2") == std::string::npos);
        CHECK(results.find("CANARY-AGENTNOTE-5K8") == std::string::npos);
        CHECK(results.find("internal-") == std::string::npos);
      }
    }
  }
}
