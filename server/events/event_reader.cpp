// SQL over the events table (schema in event_store.cpp, docs/analytics.md).
#include "event_reader.h"

#include <algorithm>
#include <limits>
#include <map>
#include <utility>

#include <nlohmann/json.hpp>

#include "statement.h"

namespace kb::events {
namespace {

constexpr const char* kColumns =
    "id, time_ms, type, session, channel, lang, query, item, results, top, position, helpful, reason";

Event event_from_row(const Statement& s) {
  Event e;
  e.id = s.integer(0);
  e.time_ms = s.integer(1);
  e.type = parse_event_type(s.text(2)).value_or(EventType::Search);
  e.session = s.text(3);
  e.channel = s.text(4);
  e.lang = s.text(5);
  e.query = s.text(6);
  e.item = s.text(7);
  e.results = s.is_null(8) ? -1 : s.integer(8);
  if (!s.is_null(9)) {
    const auto top = nlohmann::json::parse(s.text(9), nullptr, false);
    if (top.is_array()) {
      for (const auto& id : top) {
        if (id.is_string()) e.top.push_back(id.get<std::string>());
      }
    }
  }
  e.position = s.is_null(10) ? -1 : static_cast<int>(s.integer(10));
  if (!s.is_null(11)) e.helpful = s.integer(11) != 0;
  e.reason = s.text(12);
  return e;
}

// The WHERE clause every analytics query shares: ?1 from, ?2 to, ?3 channel, ?4 lang.
constexpr const char* kFilter =
    " WHERE time_ms >= ?1 AND time_ms < ?2 AND (?3 = '' OR channel = ?3) AND (?4 = '' OR lang = ?4)";

void bind_filter(Statement& s, const AnalyticsQuery& q) {
  s.bind(1, q.from_ms);
  s.bind(2, q.to_ms > 0 ? q.to_ms : std::numeric_limits<std::int64_t>::max());
  s.bind(3, q.channel);
  s.bind(4, q.lang);
}

double ratio(std::int64_t a, std::int64_t b) { return b > 0 ? static_cast<double>(a) / static_cast<double>(b) : 0.0; }

// Totals grouped by `key` ("''" for one group over everything).
std::map<std::string, Totals> totals_by(sqlite3* db, const AnalyticsQuery& q, const std::string& key) {
  Statement s(db, "SELECT " + key +
                      ", sum(type = 'search'), sum(type = 'search' AND results = 0),"
                      " sum(type = 'search' AND results > 0), sum(type = 'click'), sum(type = 'view'),"
                      " sum(type = 'answer'), sum(type = 'answer' AND item <> ''),"
                      " sum(type = 'feedback' AND helpful = 1), sum(type = 'feedback' AND helpful = 0),"
                      " count(DISTINCT CASE WHEN session <> '' THEN session END)"
                      " FROM events" + std::string(kFilter) + " GROUP BY 1");
  bind_filter(s, q);
  std::map<std::string, Totals> out;
  while (s.step()) {
    Totals t;
    t.searches = s.integer(1);
    t.zero_result_searches = s.integer(2);
    const std::int64_t with_results = s.integer(3);
    t.clicks = s.integer(4);
    t.views = s.integer(5);
    t.answers = s.integer(6);
    t.answered = s.integer(7);
    t.helpful = s.integer(8);
    t.unhelpful = s.integer(9);
    t.sessions = s.integer(10);
    t.click_through = ratio(t.clicks, with_results);
    t.zero_result_rate = ratio(t.zero_result_searches, t.searches);
    t.helpfulness = ratio(t.helpful, t.helpful + t.unhelpful);
    out[s.text(0)] = t;
  }
  return out;
}

std::vector<QueryCount> query_counts(sqlite3* db, const AnalyticsQuery& q, bool zero_only) {
  Statement s(db, std::string("SELECT lower(trim(query)) AS q, count(*) FROM events") + kFilter +
                      " AND type IN ('search', 'answer') AND trim(query) <> ''" +
                      (zero_only ? " AND results = 0" : "") + " GROUP BY q ORDER BY count(*) DESC, q LIMIT ?5");
  bind_filter(s, q);
  s.bind(5, static_cast<std::int64_t>(q.limit));
  std::vector<QueryCount> out;
  while (s.step()) out.push_back({s.text(0), s.integer(1)});
  return out;
}

}  // namespace

EventReader::EventReader(const std::filesystem::path& path) {
  const int rc = sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    const std::string message = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close(db_);
    db_ = nullptr;
    throw IoError("cannot open event database " + path.string() + ": " + message);
  }
  sqlite3_busy_timeout(db_, 5000);
  try {
    Statement s(db_, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'events'");
    if (!s.step() || s.integer(0) != 1) throw IoError(path.string() + " is not an event database (no events table)");
  } catch (const std::exception& e) {
    sqlite3_close(db_);
    db_ = nullptr;
    throw IoError("cannot read event database " + path.string() + ": " + e.what());
  }
}

EventReader::~EventReader() { sqlite3_close(db_); }

std::vector<Event> EventReader::journey(const std::string& session, std::size_t limit) {
  Statement s(db_, std::string("SELECT ") + kColumns +
                       " FROM events WHERE session = ?1 ORDER BY time_ms DESC, id DESC LIMIT ?2");
  s.bind(1, session);
  s.bind(2, static_cast<std::int64_t>(limit));
  std::vector<Event> out;
  while (s.step()) out.push_back(event_from_row(s));
  std::reverse(out.begin(), out.end());
  return out;
}

Analytics EventReader::analytics(const AnalyticsQuery& query) {
  Analytics a;
  a.query = query;
  auto all = totals_by(db_, query, "''");
  if (auto it = all.find(""); it != all.end()) a.totals = it->second;
  a.by_channel = totals_by(db_, query, "channel");
  a.by_language = totals_by(db_, query, "lang");
  a.top_queries = query_counts(db_, query, false);
  a.zero_result_queries = query_counts(db_, query, true);
  Statement s(db_, std::string("SELECT item, lang, sum(helpful = 1), sum(helpful = 0) FROM events") + kFilter +
                       " AND type = 'feedback' AND item <> '' GROUP BY item, lang"
                       " ORDER BY count(*) DESC, item, lang LIMIT ?5");
  bind_filter(s, query);
  s.bind(5, static_cast<std::int64_t>(query.limit));
  while (s.step()) {
    ArticleRating r{s.text(0), s.text(1), s.integer(2), s.integer(3), 0};
    r.helpfulness = ratio(r.helpful, r.helpful + r.unhelpful);
    a.articles.push_back(std::move(r));
  }
  return a;
}

std::vector<ItemSignal> EventReader::item_signals(std::int64_t since_ms) {
  std::map<std::pair<std::string, std::string>, ItemSignal> by_key;
  auto at = [&](const std::string& item, const std::string& lang) -> ItemSignal& {
    ItemSignal& sig = by_key[{item, lang}];
    sig.item = item;
    sig.lang = lang;
    return sig;
  };
  {
    Statement s(db_, "SELECT item, lang, sum(helpful = 1), sum(helpful = 0) FROM events"
                     " WHERE type = 'feedback' AND item <> '' AND time_ms >= ?1 GROUP BY item, lang");
    s.bind(1, since_ms);
    while (s.step()) {
      ItemSignal& sig = at(s.text(0), s.text(1));
      sig.helpful = s.integer(2);
      sig.unhelpful = s.integer(3);
    }
  }
  {
    Statement s(db_, "SELECT item, lang, count(*) FROM events"
                     " WHERE type = 'click' AND item <> '' AND time_ms >= ?1 GROUP BY item, lang");
    s.bind(1, since_ms);
    while (s.step()) at(s.text(0), s.text(1)).clicks = s.integer(2);
  }
  {
    Statement s(db_, "SELECT j.value, e.lang, count(*) FROM events AS e, json_each(e.top) AS j"
                     " WHERE e.type = 'search' AND e.top IS NOT NULL AND e.time_ms >= ?1 GROUP BY 1, 2");
    s.bind(1, since_ms);
    while (s.step()) at(s.text(0), s.text(1)).impressions = s.integer(2);
  }
  std::vector<ItemSignal> out;
  out.reserve(by_key.size());
  for (auto& [key, sig] : by_key) out.push_back(std::move(sig));
  return out;
}

}  // namespace kb::events
