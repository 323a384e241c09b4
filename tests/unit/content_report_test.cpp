// Consolidation of channel variants and the editors' report over the import fixtures, where
// contradictions are planted (and consistent items are not flagged).
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "builtin_importers.h"
#include "content_loader.h"
#include "content_report.h"

namespace {

const std::string kImport = std::string(KB_FIXTURES) + "/import";

const kb::Article* find(const kb::ContentSet& set, const std::string& id, const std::string& lang) {
  for (const auto& a : set.articles) {
    if (a.id == id && a.lang == lang) return &a;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("facts: prices, durations, percentages and dates in several languages") {
  struct Case {
    const char* text;
    std::vector<std::string> values;  // kind=value
  };
  const std::vector<Case> cases = {
      {"a fee of €5 or EUR 7.50", {"price=EUR 5", "price=EUR 7.5"}},
      {"Mahngebühr von 5 € und 9,99 EUR", {"price=EUR 5", "price=EUR 9.99"}},
      {"within 24 hours, a 24-hour window, 1 day", {"duration=86400 s", "duration=86400 s", "duration=86400 s"}},
      {"innerhalb von 48 Stunden oder 2 Tagen", {"duration=172800 s", "duration=172800 s"}},
      {"dans les 24 heures", {"duration=86400 s"}},
      {"24時間以内に", {"duration=86400 s"}},
      {"a 12-month contract, 2 years", {"duration=12 month", "duration=2 year"}},
      {"save 15% or 20 percent", {"percent=15%", "percent=20%"}},
      {"from 2026-09-14 or 14.09.2026", {"date=2026-09-14", "date=2026-09-14"}},
      {"$1,000.50 and 1.000,50 €", {"price=USD 1000.5", "price=EUR 1000.5"}},
      {"Debian 11 has 59100 packages, version v2 and gen-000001", {}},
      {"5 hello 3 and", {}},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    std::vector<std::string> got;
    for (const auto& f : kb::extract_facts(c.text)) got.push_back(f.kind + "=" + f.value);
    CHECK(got == c.values);
  }
}

TEST_CASE("variants from different formats merge into one item; the canonical one leads") {
  const kb::plugins::ImporterRegistry registry;
  const auto set = kb::load_content(kImport, registry.importers());
  INFO(set.issues.size());
  CHECK(set.ok());
  CHECK(set.issues.empty());
  const auto* reset = find(set, "reset-password", "en");
  REQUIRE(reset);
  CHECK(reset->source_format == "markdown");
  CHECK(reset->title == "How do I reset my password?");
  // The chatbot's phrasings become questions; the macro becomes an agent note, never public.
  CHECK(reset->questions == std::vector<std::string>{"I forgot my password", "password reset"});
  CHECK(reset->audience == kb::Audience::Public);
  REQUIRE(reset->internal_notes.size() == 1);
  CHECK(reset->internal_notes[0].rfind("**Reset link did not arrive**\n\nCheck the spam folder", 0) == 0);
  // Web/voice/sms/agent plus the chat channels of the chatbot variant.
  CHECK(reset->channels == std::vector<std::string>{"agent", "botframework", "dialogflow", "slack", "sms", "voice", "web"});
  CHECK(reset->body_markdown.find("48 hours") == std::string::npos);

  const auto* fee = find(set, "billing.late-fee", "en");
  REQUIRE(fee);
  CHECK(fee->source_format == "html");
  CHECK(fee->questions == std::vector<std::string>{"Late payment fee"});
  CHECK(fee->tags == std::vector<std::string>{"fees"});

  auto key = std::make_pair(std::string("reset-password"), std::string("en"));
  REQUIRE(set.variants.count(key));
  std::vector<std::string> formats;
  for (const auto& v : set.variants.at(key)) formats.push_back(v.source_format);
  CHECK(formats == std::vector<std::string>{"markdown", "qna", "macro"});
  // The symlinked copy of billing.html is not read again.
  for (const auto& a : set.articles) CHECK(a.source_path.find("billing-copy") == std::string::npos);
}

TEST_CASE("the report finds the planted contradictions and nothing else") {
  const kb::plugins::ImporterRegistry registry;
  const auto set = kb::load_content(kImport, registry.importers());
  const auto report = kb::make_report(set);
  CHECK(report.items == 10);
  CHECK(report.languages == std::vector<std::string>{"de", "en", "fr"});

  REQUIRE(report.variants.size() == 2);
  CHECK(report.variants[0].id == "billing.late-fee");
  CHECK(report.variants[1].id == "reset-password");

  // The chatbot answer duplicates the help-center article under another id.
  REQUIRE(report.near_duplicates.size() == 1);
  CHECK(report.near_duplicates[0].a.id == "qna.how-do-i-reboot-the-router");
  CHECK(report.near_duplicates[0].b.id == "restart-router");
  CHECK(report.near_duplicates[0].similarity == 1.0);

  // Planted: the chatbot's 48 hours against 24, Zendesk's €7.50 against €5. Consistent and
  // not flagged: the German and French fees (5 €), the German "24 Stunden", Zendesk's
  // "14 Tage" translation, the chatbot's "30 seconds" copy.
  REQUIRE(report.fact_conflicts.size() == 2);
  const auto& fee = report.fact_conflicts[0];
  CHECK(fee.canonical.id == "billing.late-fee");
  CHECK(fee.kind == "price");
  CHECK(fee.canonical.source == "help-center/en/billing.html");
  CHECK(fee.variant.source == "zendesk/articles.json");
  CHECK(fee.canonical_facts == std::vector<std::string>{"€5"});
  CHECK(fee.variant_facts == std::vector<std::string>{"€7.50"});
  const auto& reset = report.fact_conflicts[1];
  CHECK(reset.canonical.id == "reset-password");
  CHECK(reset.kind == "duration");
  CHECK(reset.variant.source == "chatbot/qna.en.tsv");
  CHECK(reset.variant_facts == std::vector<std::string>{"48 hours"});
  CHECK(reset.canonical_facts == std::vector<std::string>{"24 hours"});

  // The German reset-password predates the English one; the French one is newer.
  REQUIRE(report.stale_translations.size() == 1);
  CHECK(report.stale_translations[0].translation.id == "reset-password");
  CHECK(report.stale_translations[0].translation.lang == "de");
  CHECK(report.stale_translations[0].updated == "2026-01-10");
  CHECK(report.stale_translations[0].source_updated == "2026-09-14");

  std::vector<std::string> missing;
  for (const auto& m : report.missing_translations) {
    std::string langs;
    for (const auto& l : m.missing) langs += (langs.empty() ? "" : ",") + l;
    missing.push_back(m.id + ":" + langs);
  }
  CHECK(missing == std::vector<std::string>{"billing.payment-methods:fr",
                                            "macro.goodwill-credit-for-an-outage:de,fr",
                                            "qna.how-do-i-reboot-the-router:de,fr",
                                            "qna.wann-haben-sie-ge-ffnet:en,fr",
                                            "qna.what-are-your-opening-hours:de,fr",
                                            "restart-router:de,fr",
                                            "snippet.closing-line:de,fr",
                                            "zendesk.360009999999:fr"});

  const auto j = kb::report_json(report);
  CHECK(j["fact_conflicts"].size() == 2);
  CHECK(j["fact_conflicts"][1]["variant"]["format"] == "qna");
  CHECK(j["stale_translations"][0]["source_lang"] == "en");
  const std::string text = kb::report_text(report);
  CHECK(text.find("reset-password: duration: chatbot/qna.en.tsv [en, qna] says 48 hours; "
                  "articles/en/reset-password.md [en, markdown] says 24 hours") != std::string::npos);
}
