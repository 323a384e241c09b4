// Every built-in renderer: its format, its limits, its metadata slot, hostile content, and
// internal notes only on the agent channel.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <string>

#include "answer.h"
#include "builtin_channels.h"
#include "channel.h"
#include "sms_text.h"
#include "text.h"

using nlohmann::json;
using namespace kb::plugins;

namespace {

const std::string kCanary = "UNIT-CANARY-NOTE";

Answer sample() {
  Answer a;
  a.id = "reset-password";
  a.lang = "en";
  a.version = "0123456789abcdef";
  a.title = "How do I reset my password?";
  a.short_answer = "Choose \"Forgot password\" on the sign-in page; we e-mail you a link that works for 24 hours.";
  a.steps = {"Open the sign-in page.", "Enter your e-mail address.", "Follow the link within 24 hours."};
  a.body_markdown = "1. Open the sign-in page.\n2. Enter your e-mail address.\n3. Follow the link within 24 hours.\n";
  a.url = "https://help.example.test/articles/reset-password";
  a.related = {{"account-locked", "Why is my account locked?", "https://help.example.test/articles/account-locked"}};
  a.follow_ups = {"Why is my account locked?", "can't sign in"};
  a.internal_notes = {kCanary + ": verify identity first."};
  a.updated = "2026-09-14";
  a.source = "en/reset-password.md";
  a.confidence = 0.87;
  a.query = "forgot password";
  return a;
}

Rendered render(const std::string& channel, const Answer& a, RenderContext ctx = {}) {
  for (const auto& c : make_builtin_channels()) {
    if (c->name() == channel) return c->render(a, ctx);
  }
  FAIL("no channel " << channel);
  return {};
}

std::string repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

}  // namespace

TEST_CASE("the built-in channels, their thresholds and who sees internal notes") {
  const auto channels = make_builtin_channels();
  std::vector<std::string> names;
  for (const auto& c : channels) {
    names.push_back(c->name());
    CHECK(c->visibility() == c->name());
    CHECK(c->shows_internal_notes() == (c->name() == "agent"));
  }
  CHECK(names == std::vector<std::string>{"web", "botframework", "dialogflow", "slack", "voice", "sms", "agent", "json"});
  CHECK(channels[0]->default_threshold() == 0.35);
  CHECK(channels[4]->default_threshold() == 0.6);
  CHECK(channels[5]->default_threshold() == 0.55);
  CHECK(channels[6]->default_threshold() == 0.2);
}

TEST_CASE("internal notes in the answer appear on the agent channel only") {
  // The HTTP layer never passes notes to other channels; the renderers do not show them
  // even if it did.
  for (const auto& c : make_builtin_channels()) {
    CAPTURE(c->name());
    const Rendered r = c->render(sample(), {});
    CHECK((r.body.find(kCanary) != std::string::npos) == (c->name() == "agent"));
  }
  const json agent = json::parse(render("agent", sample()).body);
  CHECK(agent["internal_notes"] == json::array({kCanary + ": verify identity first."}));
  // The reply is sent to the customer: public content only.
  CHECK(agent["reply"] ==
        "Choose \"Forgot password\" on the sign-in page; we e-mail you a link that works for 24 hours.\n\n"
        "1. Open the sign-in page.\n2. Enter your e-mail address.\n3. Follow the link within 24 hours.\n\n"
        "More: https://help.example.test/articles/reset-password");
  CHECK(agent["source"] == "en/reset-password.md");
  CHECK(agent["updated"] == "2026-09-14");
  CHECK(agent["related"][0]["id"] == "account-locked");
}

TEST_CASE("every channel carries the article, language, version and confidence in its metadata slot") {
  const Answer a = sample();
  const std::string web = render("web", a).body;
  CHECK(web.find("data-kb-article=\"reset-password\" data-kb-lang=\"en\" data-kb-version=\"0123456789abcdef\" "
                 "data-kb-confidence=\"0.87\"") != std::string::npos);
  const json meta = {{"answered", true}, {"article", "reset-password"}, {"lang", "en"},
                     {"version", "0123456789abcdef"}, {"confidence", 0.87}};
  CHECK(json::parse(render("botframework", a).body)["channelData"]["kb"] == meta);
  const json df = json::parse(render("dialogflow", a).body);
  CHECK(df["payload"]["kb"] == meta);
  CHECK(df["sessionInfo"]["parameters"] == json{{"kb_answered", true}, {"kb_article", "reset-password"},
                                                {"kb_lang", "en"}, {"kb_version", "0123456789abcdef"},
                                                {"kb_confidence", 0.87}});
  CHECK(json::parse(render("slack", a).body)["metadata"] ==
        json{{"event_type", "kb_answer"}, {"event_payload", meta}});
  for (const char* c : {"json", "agent"}) {
    const json j = json::parse(render(c, a).body);
    CHECK(j["id"] == "reset-password");
    CHECK(j["lang"] == "en");
    CHECK(j["version"] == "0123456789abcdef");
    CHECK(j["confidence"] == 0.87);
  }
  // Voice and SMS have no metadata slot in their body (headers carry it): nothing leaks.
  CHECK(render("voice", a).body.find("reset-password") == std::string::npos);
  CHECK(render("sms", a).body.find("0123456789abcdef") == std::string::npos);
}

TEST_CASE("botframework: a message activity botbuilder can send unchanged") {
  const json act = json::parse(render("botframework", sample()).body);
  CHECK(act["type"] == "message");
  CHECK(act["textFormat"] == "markdown");
  CHECK(act["locale"] == "en");
  CHECK(act["text"] ==
        "**How do I reset my password?**\n\nChoose \"Forgot password\" on the sign-in page; we e-mail you a link "
        "that works for 24 hours.\n\n1. Open the sign-in page.\n2. Enter your e-mail address.\n3. Follow the link "
        "within 24 hours.\n\n[Read more](https://help.example.test/articles/reset-password)");
  REQUIRE(act["attachments"].size() == 1);
  CHECK(act["attachments"][0]["contentType"] == "application/vnd.microsoft.card.hero");
  CHECK(act["attachments"][0]["content"]["title"] == "How do I reset my password?");
  CHECK(act["attachments"][0]["content"]["buttons"][0] ==
        json{{"type", "openUrl"}, {"title", "Read more"}, {"value", "https://help.example.test/articles/reset-password"}});
  CHECK(act["suggestedActions"]["actions"] ==
        json::array({{{"type", "imBack"}, {"title", "Why is my account locked?"}, {"value", "Why is my account locked?"}},
                     {{"type", "imBack"}, {"title", "can't sign in"}, {"value", "can't sign in"}}}));
  const std::string speak = act["speak"];
  CHECK(speak.rfind("<speak version=\"1.0\"", 0) == 0);
  CHECK(speak.find("Choose &quot;Forgot password&quot;") != std::string::npos);
}

TEST_CASE("dialogflow: a CX webhook response with text, SSML and rich content") {
  const json r = json::parse(render("dialogflow", sample()).body);
  const json& messages = r["fulfillmentResponse"]["messages"];
  REQUIRE(messages.size() == 4);
  CHECK(messages[0]["text"]["text"] == json::array({sample().short_answer}));
  CHECK(messages[1]["text"]["text"][0] ==
        "1. Open the sign-in page.\n2. Enter your e-mail address.\n3. Follow the link within 24 hours.");
  CHECK(messages[2]["outputAudioText"]["ssml"].get<std::string>().rfind("<speak", 0) == 0);
  const json& rich = messages[3]["payload"]["richContent"][0];
  CHECK(rich[0]["type"] == "info");
  CHECK(rich[0]["actionLink"] == "https://help.example.test/articles/reset-password");
  CHECK(rich.back()["type"] == "chips");
}

TEST_CASE("slack stays within Block Kit limits whatever the content") {
  Answer a = sample();
  a.title = repeat("Very long title ", 30);
  a.short_answer = repeat("A <b>&</b> sentence that goes on. ", 300);
  a.steps.assign(40, repeat("step text ", 60));
  a.related.assign(60, {"x", repeat("related title ", 20), "https://help.example.test/x"});
  a.follow_ups.clear();
  for (int i = 0; i < 100; ++i) a.follow_ups.push_back("follow up " + std::to_string(i) + repeat(" words", 30));
  const json m = json::parse(render("slack", a).body);
  CHECK(decode_utf8(m["text"].get<std::string>()).size() <= 3000);
  CHECK(m["blocks"].size() <= 50);
  for (const auto& b : m["blocks"]) {
    CAPTURE(b.dump());
    if (b["type"] == "header") {
      CHECK(decode_utf8(b["text"]["text"].get<std::string>()).size() <= 150);
    }
    if (b["type"] == "section") {
      const std::string t = b["text"]["text"];
      CHECK(decode_utf8(t).size() <= 3000);
      CHECK_FALSE(t.empty());
      CHECK(t.find("<b>") == std::string::npos);  // escaped for mrkdwn
    }
    if (b["type"] == "actions") {
      CHECK(b["elements"].size() <= 25);
      for (const auto& e : b["elements"]) {
        CHECK(decode_utf8(e["text"]["text"].get<std::string>()).size() <= 75);
        CHECK_FALSE(e["text"]["text"].get<std::string>().empty());
        if (e.contains("value")) CHECK(decode_utf8(e["value"].get<std::string>()).size() <= 2000);
      }
    }
  }
}

TEST_CASE("voice: SSML of at most 40 words, no URLs, no markup, escaped") {
  Answer a = sample();
  a.short_answer = "Open **My Account** at https://help.example.test/account & choose <Reset>. " +
                   repeat("Then follow the instructions in the e-mail we send you. ", 10);
  const std::string ssml = render("voice", a).body;
  const std::string prefix = "<speak version=\"1.0\" xmlns=\"http://www.w3.org/2001/10/synthesis\" xml:lang=\"en\">";
  REQUIRE(ssml.rfind(prefix, 0) == 0);
  REQUIRE(ssml.size() > prefix.size() + 8);
  REQUIRE(ssml.substr(ssml.size() - 8) == "</speak>");
  const std::string inner = ssml.substr(prefix.size(), ssml.size() - prefix.size() - 8);
  CHECK(inner.find('<') == std::string::npos);
  CHECK(inner.find("http") == std::string::npos);
  CHECK(inner.find("**") == std::string::npos);
  CHECK(inner.rfind("Open My Account at &amp; choose Reset.", 0) == 0);
  CHECK(spoken_words(inner) <= 40);
  CHECK(inner.back() == '.');
  // Japanese: counted by characters, cut after a full stop.
  Answer ja = sample();
  ja.lang = "ja";
  ja.short_answer = repeat("サインインページで「パスワードをお忘れの方」を選択してください。", 5);
  const std::string jssml = render("voice", ja).body;
  CHECK(jssml.find("xml:lang=\"ja\"") != std::string::npos);
  CHECK(jssml.find("。</speak>") != std::string::npos);
}

TEST_CASE("sms: at most two segments with a short link, for any language") {
  Answer a = sample();
  RenderContext ctx;
  ctx.short_url = "https://kb.example/a/en/reset-password";
  CHECK(render("sms", a, ctx).body == sample().short_answer + "\n" + ctx.short_url);
  // Without a short link the absolute article URL is used; a relative one is not a link.
  CHECK(render("sms", a).body == sample().short_answer + "\n" + sample().url);
  a.url = "/v1/articles/reset-password?lang=en";
  CHECK(render("sms", a).body == sample().short_answer);
  for (const std::string& text : {repeat("😀 Restart the hub. ", 40), repeat("ルーターを再起動してください。", 30),
                                  repeat("Wählen Sie „Passwort vergessen\". ", 30), repeat("x", 5000)}) {
    a.short_answer = text;
    const std::string body = render("sms", a, ctx).body;
    CAPTURE(body);
    CHECK(count_sms(body).segments <= 2);
    CHECK(body.substr(body.size() - ctx.short_url.size()) == ctx.short_url);
  }
}

TEST_CASE("web: sanitised HTML and FAQPage JSON-LD that cannot break out of its script") {
  Answer a = sample();
  a.title = "Title </script><script>alert(1)</script>";
  a.short_answer = "Fish & chips \"quoted\" </script>";
  a.body_markdown = "Text <img src=x onerror=alert(2)> [click](javascript:alert(3))\n\n<iframe src=\"x\"></iframe>\n";
  a.related = {{"r", "Rel <b>", "javascript:alert(4)"}};
  const std::string html = render("web", a).body;
  CHECK(html.find("<script>alert") == std::string::npos);
  CHECK(html.find("javascript:") == std::string::npos);
  CHECK(html.find("onerror") == std::string::npos);
  CHECK(html.find("<iframe") == std::string::npos);
  CHECK(html.find("<h2>Title &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;</h2>") != std::string::npos);
  CHECK(html.find("<li>Rel &lt;b&gt;</li>") != std::string::npos);  // no href for a javascript: URL
  const auto start = html.find("<script type=\"application/ld+json\">");
  REQUIRE(start != std::string::npos);
  const auto body_start = start + std::string("<script type=\"application/ld+json\">").size();
  const auto end = html.find("</script>", body_start);
  REQUIRE(end != std::string::npos);
  CHECK(html.substr(end) == "</script>\n");  // the only </script> closes the JSON-LD
  const json ld = json::parse(html.substr(body_start, end - body_start));
  CHECK(ld["@type"] == "FAQPage");
  CHECK(ld["mainEntity"][0]["name"] == a.title);
  CHECK(ld["mainEntity"][0]["acceptedAnswer"]["text"] == "Fish & chips \"quoted\" </script>");
}

TEST_CASE("no-answers: every channel says so in its own shape") {
  NoAnswer n;
  n.query = "satellite";
  n.lang = "en";
  n.reason = "low_confidence";
  n.confidence = 0.2;
  n.threshold = 0.45;
  n.candidates = {{"wifi-slow", "en", "Why is my Wi-Fi slow?", "https://help.example.test/w", 0.2}};
  n.clarifying_prompts = {"Why is my Wi-Fi slow?"};
  n.handoff = {"agent", "Would you like to talk to one of our team?"};
  for (const auto& c : make_builtin_channels()) {
    CAPTURE(c->name());
    const Rendered r = c->render_no_answer(n, {});
    CHECK_FALSE(r.body.empty());
    CHECK(r.body.find("Why is my Wi-Fi slow?") != std::string::npos);
  }
  const auto channels = make_builtin_channels();
  const json bf = json::parse(channels[1]->render_no_answer(n, {}).body);
  CHECK(bf["channelData"]["kb"]["answered"] == false);
  CHECK(bf["suggestedActions"]["actions"].back()["value"] == "Talk to an agent");
  CHECK(json::parse(channels[2]->render_no_answer(n, {}).body)["sessionInfo"]["parameters"]["kb_answered"] == false);
  CHECK(json::parse(channels[3]->render_no_answer(n, {}).body)["metadata"]["event_type"] == "kb_no_answer");
  const json j = json::parse(channels[7]->render_no_answer(n, {}).body);
  CHECK(j["kind"] == "no_answer");
  CHECK(j["candidates"][0]["id"] == "wifi-slow");
  CHECK(j["handoff"] == json{{"channel", "agent"}, {"message", "Would you like to talk to one of our team?"}});
  CHECK(channels[5]->render_no_answer(n, {}).body ==
        "I'm not sure I have the right answer. Did you mean: Why is my Wi-Fi slow? Would you like to talk to one of "
        "our team?");
}

TEST_CASE("empty, huge and invalid UTF-8 answers never throw and stay well-formed") {
  Answer empty;
  Answer huge = sample();
  huge.short_answer = std::string(200000, 'a');
  huge.body_markdown = repeat("1. step\n", 5000);
  Answer broken = sample();
  broken.title = std::string("bad \xFF\xFE title", 13);
  broken.short_answer = std::string("\xC3\x28 short", 8);
  for (const Answer* a : {&empty, &huge, &broken}) {
    for (const auto& c : make_builtin_channels()) {
      CAPTURE(c->name());
      Rendered r;
      CHECK_NOTHROW(r = c->render(*a, {}));
      if (r.content_type.rfind("application/json", 0) == 0) CHECK(json::accept(r.body));
      if (c->name() == "sms") CHECK(count_sms(r.body).segments <= 2);
      if (c->name() == "voice") CHECK(spoken_words(r.body) <= 40 + 5);  // + the <speak> attributes
    }
  }
}
