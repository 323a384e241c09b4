// kb-report over a known event database: a self-contained, well-formed HTML page with SVG
// charts, every recorded string escaped.
#include <doctest/doctest.h>

#include <regex>
#include <set>
#include <string>
#include <vector>

#include "event_store.h"
#include "process.h"
#include "temp_dir.h"

using namespace kb::events;

namespace {

constexpr std::int64_t kT = 1714521600000;  // 2024-05-01T00:00:00Z

void write_fixture(const std::filesystem::path& path) {
  StoreSettings s;
  s.path = path;
  s.retention_days = 0;
  EventStore store(s);
  auto add = [&](EventType type, const std::string& channel, const std::string& query, std::int64_t results,
                 const std::string& item, std::optional<bool> helpful, std::int64_t minute) {
    Event e;
    e.type = type;
    e.session = "s" + std::to_string(minute % 3);
    e.channel = channel;
    e.lang = channel == "sms" ? "de" : "en";
    e.query = query;
    e.results = results;
    e.item = item;
    e.helpful = helpful;
    e.time_ms = kT + minute * 60000;
    store.record(e);
  };
  add(EventType::Search, "web", "reset password", 3, "", std::nullopt, 1);
  add(EventType::Search, "web", "reset password", 3, "", std::nullopt, 2);
  add(EventType::Search, "web", "<script>alert(\"x\")</script> & 'co'", 0, "", std::nullopt, 3);
  add(EventType::Answer, "sms", "WLAN langsam", 2, "wifi-slow", std::nullopt, 4);
  add(EventType::Feedback, "sms", "", -1, "wifi-slow", true, 5);
  add(EventType::Feedback, "web", "", -1, "<b>bold</b>", false, 6);
  add(EventType::Search, "web", "outside the window", 1, "", std::nullopt, 3 * 24 * 60);
}

// Every opened element is closed, in order (void elements excepted).
bool balanced(const std::string& html) {
  static const std::set<std::string> void_elements = {"meta", "br", "hr", "img", "input", "link"};
  static const std::regex tag(R"(<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*?(/?)>)");
  std::vector<std::string> open;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), tag); it != std::sregex_iterator(); ++it) {
    const std::string name = (*it)[2];
    if ((*it)[3] == "/" || void_elements.count(name)) continue;
    if ((*it)[1] == "/") {
      if (open.empty() || open.back() != name) return false;
      open.pop_back();
    } else {
      open.push_back(name);
    }
  }
  return open.empty();
}

}  // namespace

TEST_CASE("kb-report writes a self-contained HTML report with SVG charts") {
  kb::test::TempDir dir;
  write_fixture(dir / "events.db");
  const auto out = dir / "report.html";
  const auto r = kb::test::run_command({KB_REPORT_PATH, "--events", (dir / "events.db").string(), "--out",
                                        out.string(), "--from", "2024-05-01", "--to", "2024-05-01"});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("3 searches, 1 answers") != std::string::npos);
  const std::string html = kb::test::read_file(out);
  CHECK(html.rfind("<!DOCTYPE html>\n<html lang=\"en\">", 0) == 0);
  CHECK(balanced(html));
  CHECK(html.find("<svg class=\"chart\"") != std::string::npos);
  CHECK(std::count(html.begin(), html.end(), '\0') == 0);
  // Self-contained: no scripts, links, images or fetched styles.
  for (const std::string banned : {"<script", "http://", "https://", "src=", "href=", "url(", "@import"}) {
    CAPTURE(banned);
    CHECK(html.find(banned) == std::string::npos);
  }
  // Recorded strings are escaped.
  CHECK(html.find("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;") != std::string::npos);
  CHECK(html.find("&lt;b&gt;bold&lt;/b&gt;") != std::string::npos);
  // The figures: top query, the content gap, ratings, and nothing from outside the window.
  CHECK(html.find(">reset password</text>") != std::string::npos);
  CHECK(html.find("Content gaps") != std::string::npos);
  CHECK(html.find("outside the window") == std::string::npos);
  CHECK(html.find("<td>wifi-slow</td><td>de</td><td>1</td><td>0</td><td>100.0%</td>") != std::string::npos);
  CHECK(html.find("searches<b>3</b>") != std::string::npos);
}

TEST_CASE("kb-report: usage errors exit 2, an unreadable database exits 1") {
  kb::test::TempDir dir;
  CHECK(kb::test::run_command({KB_REPORT_PATH}).exit_code == 2);
  CHECK(kb::test::run_command({KB_REPORT_PATH, "--events", "x", "--out", "y", "--from", "May"}).exit_code == 2);
  const auto missing = kb::test::run_command(
      {KB_REPORT_PATH, "--events", (dir / "missing.db").string(), "--out", (dir / "r.html").string()});
  CHECK(missing.exit_code == 1);
  CHECK(missing.err.find("cannot open event database") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir / "r.html"));
}
