// Golden files: each built-in channel's rendering of one fixed answer and one fixed
// no-answer, compared byte for byte with tests/golden/channels/. After an intended change,
// run with KB_UPDATE_GOLDEN=1 to rewrite the files, and review the diff.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "answer.h"
#include "builtin_channels.h"
#include "channel.h"
#include "temp_dir.h"

using nlohmann::json;
using namespace kb::plugins;

namespace {

const std::filesystem::path kGoldenDir = std::filesystem::path(KB_FIXTURES) / ".." / "golden" / "channels";

Answer golden_answer() {
  Answer a;
  a.id = "reset-password";
  a.lang = "en";
  a.version = "12aba7eeb847483e";
  a.title = "How do I reset my password?";
  a.short_answer =
      "Choose \"Forgot password\" on the sign-in page and we e-mail you a reset link that works for 24 hours.";
  a.steps = {"Open the sign-in page and choose Forgot password.", "Enter the e-mail address of your account.",
             "Follow the link in the e-mail within 24 hours. Links & codes expire quickly."};
  a.body_markdown =
      "1. Open the sign-in page and choose **Forgot password**.\n"
      "2. Enter the e-mail address of your account.\n"
      "3. Follow the link in the e-mail within 24 hours. Links & codes expire <em>quickly</em>.\n\n"
      "Still stuck? [Contact us](https://help.example.test/contact) or [not this](javascript:alert(1)).\n";
  a.url = "https://help.example.test/v1/articles/reset-password?lang=en";
  a.related = {{"account-locked", "Why is my account locked?",
                "https://help.example.test/v1/articles/account-locked?lang=en"}};
  a.follow_ups = {"Why is my account locked?", "can't sign in"};
  a.internal_notes = {"GOLDEN-CANARY-NOTE: verify identity with the security questions first.\n"};
  a.updated = "2026-09-14";
  a.source = "en/reset-password.md";
  a.confidence = 0.85;
  a.query = "I forgot my password";
  return a;
}

NoAnswer golden_no_answer() {
  NoAnswer n;
  n.query = "satellite dish alignment";
  n.lang = "en";
  n.reason = "low_confidence";
  n.confidence = 0.21;
  n.threshold = 0.45;
  n.candidates = {{"wifi-slow", "en", "Why is my Wi-Fi slow?", "https://help.example.test/v1/articles/wifi-slow?lang=en", 0.21},
                  {"cancel-contract", "en", "How do I cancel my contract?",
                   "https://help.example.test/v1/articles/cancel-contract?lang=en", 0.12}};
  n.clarifying_prompts = {"Why is my Wi-Fi slow?", "How do I cancel my contract?"};
  n.handoff = {"agent", "Would you like to talk to one of our team?"};
  return n;
}

std::string extension(const std::string& content_type) {
  if (content_type.rfind("text/html", 0) == 0) return "html";
  if (content_type.rfind("application/json", 0) == 0) return "json";
  if (content_type.rfind("application/ssml+xml", 0) == 0) return "ssml";
  return "txt";
}

// JSON is stored pretty-printed (keys are sorted by the library) so that diffs are readable;
// the body itself must be the compact form of exactly that document.
std::string stored_form(const Rendered& r) {
  if (extension(r.content_type) != "json") return r.body;
  const json doc = json::parse(r.body);
  CHECK(doc.dump() == r.body);
  return doc.dump(2) + "\n";
}

void check_golden(const std::string& file, const Rendered& r) {
  CAPTURE(file);
  const auto path = kGoldenDir / file;
  const std::string actual = stored_form(r);
  const char* update = std::getenv("KB_UPDATE_GOLDEN");
  if (update && std::string(update) == "1") {
    std::filesystem::create_directories(kGoldenDir);
    std::ofstream(path, std::ios::binary) << actual;
    MESSAGE("rewrote " << path.string());
    return;
  }
  REQUIRE_MESSAGE(std::filesystem::exists(path), "missing golden file; run with KB_UPDATE_GOLDEN=1");
  CHECK(actual == kb::test::read_file(path));
}

}  // namespace

TEST_CASE("every built-in channel matches its golden files") {
  RenderContext context;
  context.short_url = "https://help.example.test/a/en/reset-password";
  int checked = 0;
  for (const auto& c : make_builtin_channels()) {
    SUBCASE(c->name().c_str()) {
      const Rendered answer = c->render(golden_answer(), context);
      check_golden(c->name() + ".answer." + extension(answer.content_type), answer);
      const Rendered none = c->render_no_answer(golden_no_answer(), context);
      check_golden(c->name() + ".no_answer." + extension(none.content_type), none);
      // The golden answer's internal note is in the agent's files only.
      CHECK((answer.body.find("GOLDEN-CANARY-NOTE") != std::string::npos) == (c->name() == "agent"));
      ++checked;
    }
  }
  CHECK(checked == 1);  // each subcase run sees exactly one channel
}

TEST_CASE("the golden folder has exactly the files of the built-in channels") {
  std::set<std::string> expected;
  for (const auto& c : make_builtin_channels()) {
    expected.insert(c->name() + ".answer." + extension(c->render(golden_answer(), {}).content_type));
    expected.insert(c->name() + ".no_answer." + extension(c->render_no_answer(golden_no_answer(), {}).content_type));
  }
  std::set<std::string> present;
  for (const auto& e : std::filesystem::directory_iterator(kGoldenDir)) present.insert(e.path().filename().string());
  CHECK(present == expected);
  CHECK(expected.size() == 16);
}
