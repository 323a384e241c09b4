// kb-report: reads an event database and writes one self-contained HTML page for editors:
// totals, searches by channel and language, top queries, content gaps and helpfulness per
// article, with inline SVG charts (docs/analytics.md#the-editors-report).
#include <algorithm>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "escape.h"
#include "errors.h"
#include "event_reader.h"

namespace {

using kb::events::Analytics;
using kb::events::AnalyticsQuery;
using kb::events::Totals;

constexpr const char* kUsage =
    "usage: kb-report --events FILE --out FILE [--from YYYY-MM-DD] [--to YYYY-MM-DD]\n"
    "                 [--channel NAME] [--lang TAG] [--limit N]\n"
    "\n"
    "Writes a self-contained HTML report (inline SVG charts, no external assets) of the\n"
    "events kb-server recorded in FILE. --to includes the whole day. See docs/analytics.md.\n";

std::string percent(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", v * 100);
  return buf;
}

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f", v);
  return buf;
}

std::int64_t parse_day(const std::string& v, const std::string& flag) {
  int y = 0, m = 0, d = 0, used = 0;
  if (std::sscanf(v.c_str(), "%4d-%2d-%2d%n", &y, &m, &d, &used) != 3 || static_cast<std::size_t>(used) != v.size() ||
      y < 1970 || m < 1 || m > 12 || d < 1 || d > 31) {
    throw kb::InvalidArgument(flag + ": '" + v + "' is not a date (YYYY-MM-DD)");
  }
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = m - 1;
  tm.tm_mday = d;
  return static_cast<std::int64_t>(timegm(&tm)) * 1000;
}

std::string day_of(std::int64_t ms) {
  const std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

struct Series {
  std::string name;
  std::string colour;
};

struct Row {
  std::string label;
  std::vector<double> values;  // one per series, stacked
};

// A horizontal stacked bar chart: one row per label, bars scaled to the largest total.
std::string bar_chart(const std::string& title, const std::vector<Series>& series, const std::vector<Row>& rows) {
  constexpr int kLabel = 220, kBar = 420, kRow = 24, kTop = 28;
  const int height = kTop + kRow * static_cast<int>(rows.size()) + 8;
  double max_total = 0;
  for (const auto& r : rows) {
    double t = 0;
    for (double v : r.values) t += v;
    max_total = std::max(max_total, t);
  }
  std::ostringstream svg;
  svg << "<svg class=\"chart\" role=\"img\" width=\"" << kLabel + kBar + 80 << "\" height=\"" << height
      << "\" viewBox=\"0 0 " << kLabel + kBar + 80 << " " << height << "\">\n<title>" << kb::html_escape(title) << "</title>\n";
  int x_legend = 0;
  for (const auto& s : series) {
    svg << "<rect x=\"" << x_legend << "\" y=\"4\" width=\"12\" height=\"12\" fill=\"" << s.colour << "\"/>"
        << "<text x=\"" << x_legend + 16 << "\" y=\"14\">" << kb::html_escape(s.name) << "</text>\n";
    x_legend += 30 + 8 * static_cast<int>(s.name.size());
  }
  int y = kTop;
  for (const auto& r : rows) {
    std::string label = r.label.empty() ? "(none)" : r.label;
    if (label.size() > 32) {
      std::size_t cut = 30;
      while (cut > 0 && (static_cast<unsigned char>(label[cut]) & 0xC0) == 0x80) --cut;  // not inside a character
      label = label.substr(0, cut) + "…";
    }
    svg << "<text x=\"" << kLabel - 6 << "\" y=\"" << y + 15 << "\" text-anchor=\"end\">" << kb::html_escape(label) << "</text>";
    double x = kLabel, total = 0;
    for (std::size_t i = 0; i < r.values.size() && i < series.size(); ++i) {
      const double w = max_total > 0 ? r.values[i] / max_total * kBar : 0;
      if (w > 0) {
        svg << "<rect x=\"" << number(x) << "\" y=\"" << y + 3 << "\" width=\"" << std::max(1.0, w) << "\" height=\""
            << kRow - 6 << "\" fill=\"" << series[i].colour << "\"><title>" << kb::html_escape(series[i].name) << ": "
            << number(r.values[i]) << "</title></rect>";
      }
      x += w;
      total += r.values[i];
    }
    svg << "<text x=\"" << number(x + 6) << "\" y=\"" << y + 15 << "\">" << number(total) << "</text>\n";
    y += kRow;
  }
  svg << "</svg>\n";
  return svg.str();
}

std::string totals_table(const std::string& key_name, const std::map<std::string, Totals>& by) {
  std::ostringstream t;
  t << "<table>\n<tr><th>" << kb::html_escape(key_name)
    << "</th><th>searches</th><th>zero results</th><th>click-through</th><th>answers</th>"
       "<th>answered</th><th>helpful</th><th>unhelpful</th><th>helpfulness</th><th>sessions</th></tr>\n";
  for (const auto& [k, v] : by) {
    t << "<tr><td>" << kb::html_escape(k.empty() ? "(none)" : k) << "</td><td>" << v.searches << "</td><td>"
      << v.zero_result_searches << " (" << percent(v.zero_result_rate) << ")</td><td>" << percent(v.click_through)
      << "</td><td>" << v.answers << "</td><td>" << v.answered << "</td><td>" << v.helpful << "</td><td>" << v.unhelpful
      << "</td><td>" << percent(v.helpfulness) << "</td><td>" << v.sessions << "</td></tr>\n";
  }
  t << "</table>\n";
  return t.str();
}

std::string report(const Analytics& a, const std::string& source) {
  const Totals& t = a.totals;
  std::ostringstream h;
  h << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
       "<title>Knowledge base report</title>\n<style>\n"
       "body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:72em}\n"
       "h1{font-size:1.6em}h2{font-size:1.2em;margin-top:2em}\n"
       ".cards{display:flex;flex-wrap:wrap;gap:1em}.card{border:1px solid #ccc;border-radius:6px;padding:.6em 1em}\n"
       ".card b{display:block;font-size:1.4em}\n"
       "table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.3em .6em;text-align:left}\n"
       "svg.chart text{font-size:12px;fill:#222}\n"
       "</style>\n</head>\n<body>\n<h1>Knowledge base report</h1>\n<p>Events from " << kb::html_escape(source)
    << ", " << (a.query.from_ms > 0 ? kb::html_escape(day_of(a.query.from_ms)) : std::string("the first event")) << " to "
    << (a.query.to_ms > 0 ? kb::html_escape(day_of(a.query.to_ms - 1)) : std::string("the last event"));
  if (!a.query.channel.empty()) h << ", channel " << kb::html_escape(a.query.channel);
  if (!a.query.lang.empty()) h << ", language " << kb::html_escape(a.query.lang);
  h << ".</p>\n<div class=\"cards\">\n";
  auto card = [&](const std::string& name, const std::string& value) {
    h << "<div class=\"card\">" << kb::html_escape(name) << "<b>" << kb::html_escape(value) << "</b></div>\n";
  };
  card("searches", std::to_string(t.searches));
  card("zero-result searches", percent(t.zero_result_rate));
  card("click-through", percent(t.click_through));
  card("answers", std::to_string(t.answers));
  card("answered", std::to_string(t.answered));
  card("helpfulness", percent(t.helpfulness));
  card("sessions", std::to_string(t.sessions));
  h << "</div>\n";

  const std::vector<Series> search_series = {{"searches with results", "#3b7dd8"}, {"zero-result searches", "#d9822b"}};
  auto rows_of = [](const std::map<std::string, Totals>& by) {
    std::vector<Row> rows;
    for (const auto& [k, v] : by) {
      rows.push_back({k, {static_cast<double>(v.searches - v.zero_result_searches), static_cast<double>(v.zero_result_searches)}});
    }
    return rows;
  };
  h << "<h2>Searches by channel</h2>\n" << bar_chart("Searches by channel", search_series, rows_of(a.by_channel))
    << totals_table("channel", a.by_channel);
  h << "<h2>Searches by language</h2>\n" << bar_chart("Searches by language", search_series, rows_of(a.by_language))
    << totals_table("language", a.by_language);

  std::vector<Row> top;
  for (const auto& q : a.top_queries) top.push_back({q.query, {static_cast<double>(q.count)}});
  h << "<h2>Top queries</h2>\n" << bar_chart("Top queries", {{"times asked", "#3b7dd8"}}, top);

  h << "<h2>Content gaps: queries without results</h2>\n";
  if (a.zero_result_queries.empty()) {
    h << "<p>None.</p>\n";
  } else {
    std::vector<Row> gaps;
    for (const auto& q : a.zero_result_queries) gaps.push_back({q.query, {static_cast<double>(q.count)}});
    h << bar_chart("Queries without results", {{"times asked", "#d9822b"}}, gaps);
    h << "<table>\n<tr><th>query</th><th>times asked</th></tr>\n";
    for (const auto& q : a.zero_result_queries) h << "<tr><td>" << kb::html_escape(q.query) << "</td><td>" << q.count << "</td></tr>\n";
    h << "</table>\n";
  }

  h << "<h2>Helpfulness per article</h2>\n";
  if (a.articles.empty()) {
    h << "<p>No ratings.</p>\n";
  } else {
    std::vector<Row> rated;
    for (const auto& r : a.articles) {
      rated.push_back({r.item + (r.lang.empty() ? "" : " (" + r.lang + ")"),
                       {static_cast<double>(r.helpful), static_cast<double>(r.unhelpful)}});
    }
    h << bar_chart("Helpfulness per article", {{"helpful", "#2e9d5b"}, {"unhelpful", "#c8423b"}}, rated);
    h << "<table>\n<tr><th>article</th><th>language</th><th>helpful</th><th>unhelpful</th><th>helpfulness</th></tr>\n";
    for (const auto& r : a.articles) {
      h << "<tr><td>" << kb::html_escape(r.item) << "</td><td>" << kb::html_escape(r.lang) << "</td><td>" << r.helpful << "</td><td>"
        << r.unhelpful << "</td><td>" << percent(r.helpfulness) << "</td></tr>\n";
    }
    h << "</table>\n";
  }
  h << "</body>\n</html>\n";
  return h.str();
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string events, out;
  AnalyticsQuery q;
  try {
    for (std::size_t i = 0; i < args.size(); ++i) {
      const std::string& a = args[i];
      if (a == "--help" || a == "-h") {
        std::fputs(kUsage, stdout);
        return 0;
      }
      if (i + 1 >= args.size()) throw kb::InvalidArgument("option " + a + " needs a value");
      const std::string& v = args[++i];
      if (a == "--events") events = v;
      else if (a == "--out") out = v;
      else if (a == "--from") q.from_ms = parse_day(v, a);
      else if (a == "--to") q.to_ms = parse_day(v, a) + 24LL * 60 * 60 * 1000;
      else if (a == "--channel") q.channel = v;
      else if (a == "--lang") q.lang = v;
      else if (a == "--limit") {
        try {
          q.limit = std::stoi(v);
        } catch (const std::exception&) {
          q.limit = 0;
        }
        if (q.limit < 1 || q.limit > 1000) throw kb::InvalidArgument("--limit: '" + v + "' is not 1 to 1000");
      } else {
        throw kb::InvalidArgument("unknown option " + a);
      }
    }
    if (events.empty() || out.empty()) throw kb::InvalidArgument("--events and --out are required");
  } catch (const kb::InvalidArgument& e) {
    std::fprintf(stderr, "kb-report: %s\n\n%s", e.what(), kUsage);
    return 2;
  }
  try {
    kb::events::EventReader reader(events);
    const Analytics analytics = reader.analytics(q);
    const std::string html = report(analytics, events);
    std::ofstream file(out, std::ios::binary | std::ios::trunc);
    file << html;
    file.close();
    if (!file) throw kb::IoError("cannot write " + out);
    std::printf("kb-report: wrote %s (%lld searches, %lld answers)\n", out.c_str(),
                static_cast<long long>(analytics.totals.searches), static_cast<long long>(analytics.totals.answers));
    return 0;
  } catch (const kb::Error& e) {
    std::fprintf(stderr, "kb-report: %s\n", e.what());
    return 1;
  }
}
