// Analytics and ranking signals over a known event fixture: exact counts.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "event_reader.h"
#include "event_store.h"
#include "temp_dir.h"

using namespace kb::events;

namespace {

constexpr std::int64_t kT = 1714521600000;  // 2024-05-01T00:00:00Z
constexpr std::int64_t kMinute = 60 * 1000;
constexpr std::int64_t kDay = 24 * 60 * kMinute;

Event make(EventType type, const std::string& session, const std::string& channel, const std::string& lang,
           std::int64_t minute) {
  Event e;
  e.type = type;
  e.session = session;
  e.channel = channel;
  e.lang = lang;
  e.time_ms = kT + minute * kMinute;
  return e;
}

Event search(const std::string& session, const std::string& query, std::int64_t results,
             std::vector<std::string> top, std::int64_t minute) {
  Event e = make(EventType::Search, session, "web", "en", minute);
  e.query = query;
  e.results = results;
  e.top = std::move(top);
  return e;
}

Event answer(const std::string& session, const std::string& channel, const std::string& lang,
             const std::string& query, const std::string& item, std::int64_t results, std::int64_t minute) {
  Event e = make(EventType::Answer, session, channel, lang, minute);
  e.query = query;
  e.item = item;
  e.results = results;
  return e;
}

Event feedback(const std::string& session, const std::string& channel, const std::string& lang,
               const std::string& item, bool helpful, std::int64_t minute) {
  Event e = make(EventType::Feedback, session, channel, lang, minute);
  e.item = item;
  e.helpful = helpful;
  return e;
}

void write_fixture(const std::filesystem::path& path) {
  StoreSettings s;
  s.path = path;
  s.retention_days = 0;
  EventStore store(s);
  store.record(search("old", "old query", 4, {}, -kDay / kMinute));  // before the window
  store.record(search("a", "reset password", 3, {"reset-password", "account-locked"}, 1));
  Event click = make(EventType::Click, "a", "web", "en", 2);
  click.item = "reset-password";
  click.position = 1;
  store.record(click);
  Event suggest = make(EventType::Suggest, "a", "web", "en", 3);
  suggest.query = "res";
  suggest.results = 2;
  store.record(suggest);
  store.record(answer("a", "botframework", "en", "reset password", "reset-password", 3, 4));
  store.record(feedback("a", "botframework", "en", "reset-password", false, 5));
  store.record(search("b", "  Reset Password ", 3, {"reset-password"}, 6));
  store.record(search("b", "satellite dish", 0, {}, 7));
  Event view = make(EventType::View, "b", "web", "en", 8);
  view.item = "reset-password";
  store.record(view);
  store.record(feedback("b", "web", "en", "reset-password", true, 9));
  store.record(answer("c", "botframework", "de", "WLAN langsam", "wifi-slow", 2, 10));
  store.record(feedback("c", "botframework", "de", "wifi-slow", true, 11));
  store.record(answer("d", "sms", "en", "satellite dish", "", 0, 12));
}

}  // namespace

TEST_CASE("analytics figures over a known fixture") {
  kb::test::TempDir dir;
  write_fixture(dir / "events.db");
  EventReader reader(dir / "events.db");
  AnalyticsQuery q;
  q.from_ms = kT;
  q.to_ms = kT + kDay;
  const Analytics a = reader.analytics(q);

  CHECK(a.totals.searches == 3);
  CHECK(a.totals.zero_result_searches == 1);
  CHECK(a.totals.clicks == 1);
  CHECK(a.totals.views == 1);
  CHECK(a.totals.answers == 3);
  CHECK(a.totals.answered == 2);
  CHECK(a.totals.helpful == 2);
  CHECK(a.totals.unhelpful == 1);
  CHECK(a.totals.sessions == 4);
  CHECK(a.totals.click_through == doctest::Approx(0.5));
  CHECK(a.totals.zero_result_rate == doctest::Approx(1.0 / 3));
  CHECK(a.totals.helpfulness == doctest::Approx(2.0 / 3));

  REQUIRE(a.top_queries.size() == 3);
  CHECK(a.top_queries[0].query == "reset password");
  CHECK(a.top_queries[0].count == 3);
  CHECK(a.top_queries[1].query == "satellite dish");
  CHECK(a.top_queries[1].count == 2);
  CHECK(a.top_queries[2].query == "wlan langsam");
  CHECK(a.top_queries[2].count == 1);

  REQUIRE(a.zero_result_queries.size() == 1);
  CHECK(a.zero_result_queries[0].query == "satellite dish");
  CHECK(a.zero_result_queries[0].count == 2);

  REQUIRE(a.articles.size() == 2);
  CHECK(a.articles[0].item == "reset-password");
  CHECK(a.articles[0].lang == "en");
  CHECK(a.articles[0].helpful == 1);
  CHECK(a.articles[0].unhelpful == 1);
  CHECK(a.articles[0].helpfulness == doctest::Approx(0.5));
  CHECK(a.articles[1].item == "wifi-slow");
  CHECK(a.articles[1].lang == "de");
  CHECK(a.articles[1].helpful == 1);

  REQUIRE(a.by_channel.size() == 3);
  CHECK(a.by_channel.at("web").searches == 3);
  CHECK(a.by_channel.at("web").clicks == 1);
  CHECK(a.by_channel.at("web").helpful == 1);
  CHECK(a.by_channel.at("web").sessions == 2);
  CHECK(a.by_channel.at("botframework").answers == 2);
  CHECK(a.by_channel.at("botframework").unhelpful == 1);
  CHECK(a.by_channel.at("sms").answers == 1);
  CHECK(a.by_channel.at("sms").answered == 0);
  REQUIRE(a.by_language.size() == 2);
  CHECK(a.by_language.at("en").searches == 3);
  CHECK(a.by_language.at("en").answers == 2);
  CHECK(a.by_language.at("de").answers == 1);
  CHECK(a.by_language.at("de").helpful == 1);
}

TEST_CASE("analytics filters: window, channel and language") {
  kb::test::TempDir dir;
  write_fixture(dir / "events.db");
  EventReader reader(dir / "events.db");
  AnalyticsQuery all;
  CHECK(reader.analytics(all).totals.searches == 4);  // the old search too

  AnalyticsQuery bot;
  bot.from_ms = kT;
  bot.channel = "botframework";
  const Analytics b = reader.analytics(bot);
  CHECK(b.totals.searches == 0);
  CHECK(b.totals.answers == 2);
  CHECK(b.totals.sessions == 2);
  CHECK(b.by_channel.size() == 1);

  AnalyticsQuery de;
  de.lang = "de";
  const Analytics d = reader.analytics(de);
  CHECK(d.totals.answers == 1);
  CHECK(d.totals.helpfulness == doctest::Approx(1.0));
  REQUIRE(d.top_queries.size() == 1);
  CHECK(d.top_queries[0].query == "wlan langsam");

  AnalyticsQuery window;
  window.from_ms = kT + 6 * kMinute;
  window.to_ms = kT + 8 * kMinute;  // exclusive: the view at minute 8 is out
  const Analytics w = reader.analytics(window);
  CHECK(w.totals.searches == 2);
  CHECK(w.totals.views == 0);

  AnalyticsQuery limited;
  limited.limit = 1;
  CHECK(reader.analytics(limited).top_queries.size() == 1);
}

TEST_CASE("item signals count votes, clicks and impressions per item and language") {
  kb::test::TempDir dir;
  write_fixture(dir / "events.db");
  EventReader reader(dir / "events.db");
  std::map<std::string, ItemSignal> by;
  for (const auto& s : reader.item_signals(0)) by[s.item + "@" + s.lang] = s;
  REQUIRE(by.size() == 3);
  const ItemSignal& reset = by.at("reset-password@en");
  CHECK(reset.helpful == 1);
  CHECK(reset.unhelpful == 1);
  CHECK(reset.clicks == 1);
  CHECK(reset.impressions == 2);
  CHECK(by.at("account-locked@en").impressions == 1);
  CHECK(by.at("account-locked@en").clicks == 0);
  CHECK(by.at("wifi-slow@de").helpful == 1);
  // Only what happened since the given time.
  CHECK(reader.item_signals(kT + 6 * kMinute).size() == 2);
}
