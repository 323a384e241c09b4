// Validation of posted events, journeys for agents, analytics for editors, and the thread
// that feeds the ranking boost from the event store.
#include "event_routes.h"

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <ctime>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "channel_registry.h"
#include "errors.h"
#include "event_store.h"
#include "knowledge_base.h"
#include "language.h"

namespace kb::server {
namespace {

using json = nlohmann::json;
using events::Event;
using events::EventType;

constexpr std::size_t kMaxBodyBytes = 16 * 1024;
constexpr std::size_t kMaxItemBytes = 200;
constexpr std::size_t kMaxReasonBytes = 1000;
constexpr std::size_t kMaxChannelBytes = 64;
constexpr std::int64_t kDayMs = 24LL * 60 * 60 * 1000;

void authorise(const httplib::Request& req, const std::string& expected, const char* who) {
  require_token(req, expected, std::string("this endpoint needs the ") + who + " token (Authorization: Bearer ...)",
                std::string("the token does not allow ") + who + " endpoints");
}

events::EventStore& require(events::EventStore* store) {
  if (!store) throw RuntimeError("events_disabled", "events are not recorded (set events.path to turn them on)");
  return *store;
}

// The posted JSON object, or a JSON error naming what is wrong with it.
json parse_body(const httplib::Request& req, const std::set<std::string>& fields) {
  if (req.body.size() > kMaxBodyBytes) {
    throw InvalidArgument("the body is larger than " + std::to_string(kMaxBodyBytes) + " bytes", "payload_too_large");
  }
  json body = json::parse(req.body, nullptr, false);
  if (body.is_discarded()) throw InvalidArgument("the body is not valid JSON (UTF-8)", "invalid_json");
  if (!body.is_object()) throw InvalidArgument("the body must be a JSON object", "invalid_json");
  for (const auto& [key, value] : body.items()) {
    if (!fields.count(key)) {
      std::string known;
      for (const auto& f : fields) known += (known.empty() ? "" : ", ") + f;
      throw InvalidArgument("unknown field '" + key + "' (known: " + known + ")", "unknown_field");
    }
  }
  return body;
}

std::string string_field(const json& body, const std::string& name, bool required, std::size_t max_bytes) {
  const auto it = body.find(name);
  if (it == body.end() || it->is_null()) {
    if (required) throw InvalidArgument(name + " is required", "missing_field");
    return "";
  }
  if (!it->is_string()) throw InvalidArgument(name + " must be a string", "invalid_field");
  std::string value = it->get<std::string>();
  if (required && value.empty()) throw InvalidArgument(name + " must not be empty", "missing_field");
  if (value.size() > max_bytes) {
    throw InvalidArgument(name + " is longer than " + std::to_string(max_bytes) + " bytes", "invalid_field");
  }
  return value;
}

class EventRoutes {
 public:
  EventRoutes(const ServerConfig& config, search::KnowledgeBase& kb, const plugins::ChannelRegistry& channels,
              events::EventStore* store)
      : config_(config), kb_(kb), channels_(channels), store_(store) {
    if (store_ && config_.events.boost) {
      refresh_boost();
      refresher_ = std::thread([this] { refresh_loop(); });
    }
  }
  ~EventRoutes() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    cv_.notify_all();
    if (refresher_.joinable()) refresher_.join();
  }
  EventRoutes(const EventRoutes&) = delete;
  EventRoutes& operator=(const EventRoutes&) = delete;

  void post_event(const httplib::Request& req, httplib::Response& res) {
    check_params(req, {"session"});
    const json body = parse_body(req, {"type", "session", "channel", "lang", "item", "query", "position"});
    const std::string type = string_field(body, "type", true, 32);
    const auto parsed = events::parse_event_type(type);
    if (!parsed || (*parsed != EventType::View && *parsed != EventType::Click)) {
      throw InvalidArgument("unknown event type '" + type + "' (known: view, click; feedback has POST /v1/feedback)",
                            "unknown_event_type");
    }
    Event e = common_fields(req, body);
    e.type = *parsed;
    e.item = string_field(body, "item", true, kMaxItemBytes);
    e.query = string_field(body, "query", false, config_.search.max_query_bytes);
    if (const auto it = body.find("position"); it != body.end() && !it->is_null()) {
      if (!it->is_number_integer() || it->get<long long>() < 1 || it->get<long long>() > 10000) {
        throw InvalidArgument("position must be a whole number from 1 to 10000", "invalid_field");
      }
      e.position = static_cast<int>(it->get<long long>());
    }
    accept(res, std::move(e));
  }

  void post_feedback(const httplib::Request& req, httplib::Response& res) {
    check_params(req, {"session"});
    const json body = parse_body(req, {"item", "helpful", "reason", "session", "channel", "lang", "query"});
    Event e = common_fields(req, body);
    e.type = EventType::Feedback;
    e.item = string_field(body, "item", true, kMaxItemBytes);
    const auto helpful = body.find("helpful");
    if (helpful == body.end() || helpful->is_null()) throw InvalidArgument("helpful is required", "missing_field");
    if (!helpful->is_boolean()) throw InvalidArgument("helpful must be true or false", "invalid_field");
    e.helpful = helpful->get<bool>();
    e.reason = string_field(body, "reason", false, kMaxReasonBytes);
    e.query = string_field(body, "query", false, config_.search.max_query_bytes);
    accept(res, std::move(e));
  }

  void session(const httplib::Request& req, httplib::Response& res) {
    authorise(req, config_.agent_token, "agent");
    check_params(req, {"limit"});
    const std::string id = req.matches.size() > 1 ? req.matches[1].str() : "";
    if (id.empty()) throw InvalidArgument("a session id is required", "invalid_parameter");
    check_session_id(id, "the session id");
    const int limit = int_param(req, "limit", 1000);
    if (limit < 1 || limit > 10000) throw InvalidArgument("limit must be between 1 and 10000", "invalid_parameter");
    auto& store = require(store_);
    write_json(res, 200, journey_json(id, store.journey(id, static_cast<std::size_t>(limit))));
  }

  void analytics(const httplib::Request& req, httplib::Response& res) {
    authorise(req, config_.editor_token, "editor");
    check_params(req, {"from", "to", "channel", "lang", "limit"});
    events::AnalyticsQuery q;
    if (req.has_param("from")) q.from_ms = time_param(req, "from", false);
    if (req.has_param("to")) q.to_ms = time_param(req, "to", true);
    if (q.to_ms > 0 && q.to_ms <= q.from_ms) throw InvalidArgument("to must be after from", "invalid_parameter");
    q.channel = req.get_param_value("channel");
    if (!q.channel.empty() && !channels_.find(q.channel)) {
      throw InvalidArgument("unknown channel '" + q.channel + "'", "invalid_parameter");
    }
    if (req.has_param("lang") && !req.get_param_value("lang").empty()) {
      const auto lang = normalise_language_tag(req.get_param_value("lang"));
      if (!lang) throw InvalidArgument("lang '" + req.get_param_value("lang") + "' is not a language tag", "invalid_parameter");
      q.lang = *lang;
    }
    q.limit = int_param(req, "limit", 20);
    if (q.limit < 1 || q.limit > 1000) throw InvalidArgument("limit must be between 1 and 1000", "invalid_parameter");
    auto& store = require(store_);
    store.flush();  // exact figures: what was recorded before the request counts
    const events::Analytics a = store.analytics(q);
    write_json(res, 200, analytics_json(a, store.dropped()));
  }

 private:
  Event common_fields(const httplib::Request& req, const json& body) const {
    Event e;
    e.session = string_field(body, "session", false, kMaxSessionBytes);
    check_session_id(e.session, "session");
    if (e.session.empty()) e.session = session_param(req);
    e.channel = string_field(body, "channel", false, kMaxChannelBytes);
    if (e.channel.empty()) e.channel = "web";
    if (!channels_.find(e.channel)) throw InvalidArgument("unknown channel '" + e.channel + "'", "invalid_field");
    // Agents' own steps are part of journeys agents read: only they may write them.
    if (e.channel == "agent") authorise(req, config_.agent_token, "agent");
    const std::string lang = string_field(body, "lang", false, 35);
    if (!lang.empty()) {
      const auto norm = normalise_language_tag(lang);
      if (!norm) throw InvalidArgument("lang '" + lang + "' is not a language tag", "invalid_field");
      e.lang = *norm;
    }
    return e;
  }

  void accept(httplib::Response& res, Event e) {
    auto& store = require(store_);
    if (!store.record(std::move(e))) {
      write_error(res, "overloaded", "too many events are waiting to be written; retry in a second");
      return;
    }
    write_json(res, 202, {{"accepted", true}});
  }

  // "2024-05-01" (the day's start; for `to`, the next day's start, so the day is included),
  // "2024-05-01T12:00:00Z", or milliseconds since 1970.
  static std::int64_t time_param(const httplib::Request& req, const char* name, bool end_of_day) {
    const std::string v = req.get_param_value(name);
    std::tm tm{};
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
    char z = 0;
    int used = 0;
    if (std::sscanf(v.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%c%n", &y, &mo, &d, &h, &mi, &s, &z, &used) == 7 &&
        z == 'Z' && static_cast<std::size_t>(used) == v.size()) {
      end_of_day = false;
    } else if (std::sscanf(v.c_str(), "%4d-%2d-%2d%n", &y, &mo, &d, &used) == 3 &&
               static_cast<std::size_t>(used) == v.size()) {
      h = mi = s = 0;
    } else if (!v.empty() && v.size() <= 15 && std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return std::stoll(v);
    } else {
      throw InvalidArgument(std::string(name) + " must be a date (2024-05-01), a UTC time (2024-05-01T12:00:00Z) or "
                            "milliseconds since 1970, not '" + v + "'", "invalid_parameter");
    }
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60 || y < 1970) {
      throw InvalidArgument(std::string(name) + " '" + v + "' is not a valid time", "invalid_parameter");
    }
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = s;
    const std::int64_t ms = static_cast<std::int64_t>(timegm(&tm)) * 1000;
    return end_of_day ? ms + kDayMs : ms;
  }

  static json totals_json(const events::Totals& t) {
    return {{"searches", t.searches},
            {"zero_result_searches", t.zero_result_searches},
            {"zero_result_rate", t.zero_result_rate},
            {"clicks", t.clicks},
            {"click_through", t.click_through},
            {"views", t.views},
            {"answers", t.answers},
            {"answered", t.answered},
            {"helpful", t.helpful},
            {"unhelpful", t.unhelpful},
            {"helpfulness", t.helpfulness},
            {"sessions", t.sessions}};
  }

  static json analytics_json(const events::Analytics& a, std::uint64_t dropped) {
    auto queries = [](const std::vector<events::QueryCount>& list) {
      json out = json::array();
      for (const auto& q : list) out.push_back({{"query", q.query}, {"count", q.count}});
      return out;
    };
    json articles = json::array();
    for (const auto& r : a.articles) {
      articles.push_back({{"id", r.item},
                          {"lang", r.lang.empty() ? json(nullptr) : json(r.lang)},
                          {"helpful", r.helpful},
                          {"unhelpful", r.unhelpful},
                          {"helpfulness", r.helpfulness}});
    }
    json by_channel = json::object(), by_language = json::object();
    for (const auto& [k, t] : a.by_channel) by_channel[k.empty() ? "(none)" : k] = totals_json(t);
    for (const auto& [k, t] : a.by_language) by_language[k.empty() ? "(none)" : k] = totals_json(t);
    return {{"from", a.query.from_ms > 0 ? json(iso_time_ms(a.query.from_ms)) : json(nullptr)},
            {"to", a.query.to_ms > 0 ? json(iso_time_ms(a.query.to_ms)) : json(nullptr)},
            {"channel", a.query.channel.empty() ? json(nullptr) : json(a.query.channel)},
            {"lang", a.query.lang.empty() ? json(nullptr) : json(a.query.lang)},
            {"totals", totals_json(a.totals)},
            {"top_queries", queries(a.top_queries)},
            {"zero_result_queries", queries(a.zero_result_queries)},
            {"articles", std::move(articles)},
            {"by_channel", std::move(by_channel)},
            {"by_language", std::move(by_language)},
            {"events_dropped", dropped}};
  }

  void refresh_boost() {
    try {
      std::unordered_map<std::string, search::FeedbackCounts> counts;
      for (const auto& s : store_->item_signals(0)) {
        search::FeedbackCounts& c = counts[s.item + "@" + s.lang];
        c.helpful = static_cast<double>(s.helpful);
        c.unhelpful = static_cast<double>(s.unhelpful);
        c.clicks = static_cast<double>(s.clicks);
        c.impressions = static_cast<double>(s.impressions);
      }
      kb_.feedback().publish(counts);
    } catch (const Error& e) {
      // The previous boost stays; the next refresh tries again.
      std::fprintf(stderr, "kb-server: feedback boost not refreshed: %s\n", e.what());
    }
  }

  void refresh_loop() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (!stopping_) {
      cv_.wait_for(lock, std::chrono::seconds(config_.events.boost_refresh_s), [this] { return stopping_; });
      if (stopping_) break;
      lock.unlock();
      refresh_boost();
      lock.lock();
    }
  }

  const ServerConfig& config_;
  search::KnowledgeBase& kb_;
  const plugins::ChannelRegistry& channels_;
  events::EventStore* store_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread refresher_;  // last: starts once the members above exist
};

}  // namespace

std::string iso_time_ms(std::int64_t ms) {
  const std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  const std::size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(buf + n, sizeof buf - n, ".%03dZ", static_cast<int>(ms % 1000));
  return buf;
}

json journey_json(const std::string& session, const std::vector<Event>& steps, bool include_suggest) {
  json list = json::array();
  struct Seen {
    std::string lang;
    std::set<std::string> channels;
    std::int64_t first = 0, last = 0;
    json rating = nullptr;
    std::string reason;
    std::int64_t order = 0;
  };
  std::map<std::string, Seen> seen;
  std::int64_t order = 0;
  auto touch = [&](const Event& e) -> Seen& {
    auto [it, created] = seen.try_emplace(e.item);
    Seen& s = it->second;
    if (created) {
      s.first = e.time_ms;
      s.order = order++;
    }
    s.last = e.time_ms;
    if (!e.lang.empty()) s.lang = e.lang;
    s.channels.insert(e.channel);
    return s;
  };
  for (const Event& e : steps) {
    if (e.type == EventType::Suggest && !include_suggest) continue;
    json step = {{"time", iso_time_ms(e.time_ms)}, {"type", std::string(events::type_name(e.type))},
                 {"channel", e.channel}};
    if (!e.lang.empty()) step["lang"] = e.lang;
    if (!e.query.empty()) step["query"] = e.query;
    if (e.results >= 0) step["results"] = e.results;
    if (!e.top.empty()) step["top"] = e.top;
    if (!e.item.empty()) step["item"] = e.item;
    if (e.position >= 0) step["position"] = e.position;
    if (e.helpful) step["helpful"] = *e.helpful;
    if (!e.reason.empty()) step["reason"] = e.reason;
    if (e.type == EventType::Answer) step["answered"] = !e.item.empty();
    list.push_back(std::move(step));
    if (e.item.empty()) continue;
    if (e.type == EventType::Answer || e.type == EventType::View || e.type == EventType::Click) {
      touch(e);
    } else if (e.type == EventType::Feedback && e.helpful) {
      Seen& s = touch(e);
      s.rating = *e.helpful ? "helpful" : "unhelpful";
      s.reason = e.reason;
    }
  }
  std::vector<std::pair<std::string, Seen>> ordered(seen.begin(), seen.end());
  std::sort(ordered.begin(), ordered.end(), [](const auto& a, const auto& b) { return a.second.order < b.second.order; });
  json items = json::array();
  for (const auto& [id, s] : ordered) {
    json item = {{"id", id},
                 {"lang", s.lang.empty() ? json(nullptr) : json(s.lang)},
                 {"channels", s.channels},
                 {"first_seen", iso_time_ms(s.first)},
                 {"last_seen", iso_time_ms(s.last)},
                 {"rating", s.rating}};
    if (!s.reason.empty()) item["reason"] = s.reason;
    items.push_back(std::move(item));
  }
  return {{"session", session}, {"steps", std::move(list)}, {"seen", std::move(items)}};
}

std::set<std::string> unhelpful_items(const std::vector<Event>& steps) {
  std::map<std::string, bool> latest;
  for (const Event& e : steps) {
    if (e.type == EventType::Feedback && e.helpful && !e.item.empty()) latest[e.item] = *e.helpful;
  }
  std::set<std::string> out;
  for (const auto& [item, helpful] : latest) {
    if (!helpful) out.insert(item);
  }
  return out;
}

void install_event_routes(RouteTable& routes, const ServerConfig& config, search::KnowledgeBase& kb,
                          const plugins::ChannelRegistry& channels, events::EventStore* store) {
  auto r = std::make_shared<EventRoutes>(config, kb, channels, store);
  routes.post("/v1/events", [r](const auto& req, auto& res) { r->post_event(req, res); });
  routes.post("/v1/feedback", [r](const auto& req, auto& res) { r->post_feedback(req, res); });
  routes.get(R"(/v1/sessions/([^/]*))", [r](const auto& req, auto& res) { r->session(req, res); });
  routes.get("/v1/admin/analytics", [r](const auto& req, auto& res) { r->analytics(req, res); });
}

}  // namespace kb::server
