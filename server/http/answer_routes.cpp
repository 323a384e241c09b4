// From a search or an article lookup to a canonical Answer (or NoAnswer), rendered by the
// requested channel, with the answer's metadata in headers.
#include "answer_routes.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "answer.h"
#include "channel.h"
#include "channel_registry.h"
#include "errors.h"
#include "event_routes.h"
#include "event_store.h"
#include "knowledge_base.h"
#include "labels.h"
#include "language.h"
#include "markdown.h"
#include "text.h"

namespace kb::server {
namespace {

constexpr int kCandidates = 5;           // searched for a no-answer
constexpr std::size_t kPrompts = 3;      // clarifying prompts from candidates
constexpr std::size_t kFollowUps = 5;
constexpr std::size_t kMaxIdBytes = 200;
constexpr const char* kDefaultChannel = "json";

struct ChannelChoice {
  const plugins::Channel* channel = nullptr;
  std::string name;
  std::string visibility;     // the built-in channel whose visibility rules apply
  bool internal = false;      // may see internal articles and notes
};

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (std::size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size()) {
    s.replace(pos, from.size(), to);
  }
  return s;
}

// Percent-encodes everything but RFC 3986's unreserved characters.
std::string url_encode(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 15]);
    }
  }
  return out;
}

class AnswerRoutes {
 public:
  AnswerRoutes(const ServerConfig& config, search::KnowledgeBase& kb, const plugins::ChannelRegistry& channels,
               events::EventStore* events)
      : config_(config), kb_(kb), channels_(channels), events_(events) {}

  void answer(const httplib::Request& req, httplib::Response& res) const {
    check_params(req, {"q", "lang", "channel", "session"});
    const std::string query = req.get_param_value("q");
    if (query.find_first_not_of(" \t\r\n") == std::string::npos) {
      throw InvalidArgument("q is required", "missing_parameter");
    }
    const ChannelChoice choice = choose_channel(req);
    search::SearchRequest sr;
    sr.query = query;
    sr.lang = language_param(req);
    sr.preferred = parse_accept_language(req.get_header_value("Accept-Language"));
    sr.channel = choice.visibility;
    sr.include_internal = choice.internal;
    sr.per_page = kCandidates;
    const std::string session = session_param(req);
    // What the session did before this answer: agents are shown it; bots do not serve again
    // what the customer rated unhelpful.
    std::vector<events::Event> journey;
    if (events_ && !session.empty()) journey = events_->journey(session);
    if (!choice.internal) sr.skip_items = unhelpful_items(journey);

    const search::AnswerLookup found = kb_.answer(sr);
    const double threshold = channels_.threshold(choice.name);
    res.set_header("X-KB-Index-Version", found.search.index_version);
    if (found.best && found.confidence >= threshold) {
      const plugins::Answer a = to_answer(*found.best, found.confidence, query, choice);
      write_answer(res, choice, a);
      record_answer(session, choice, found, a.id, a.lang, query);
      if (choice.internal && !session.empty()) add_journey(res, session, journey);
      return;
    }

    plugins::NoAnswer n;
    n.query = query;
    n.lang = !found.search.served_lang.empty() ? found.search.served_lang
             : !sr.lang.empty()                ? sr.lang
             : !sr.preferred.empty()           ? sr.preferred.front()
                                               : config_.search.default_languages.front();
    n.reason = found.search.hits.empty() ? "no_match" : "low_confidence";
    n.confidence = found.best ? found.confidence
                   : found.search.hits.empty() ? 0.0
                                               : found.search.hits.front().percent / 100.0;
    n.threshold = threshold;
    const plugins::Labels& labels = plugins::labels_for(n.lang);
    for (const auto& h : found.search.hits) {
      if (sr.skip_items.count(h.id)) continue;  // rated unhelpful in this session already
      n.candidates.push_back({h.id, h.lang, h.title, absolute(h.url), h.percent / 100.0});
      if (n.clarifying_prompts.size() < kPrompts) n.clarifying_prompts.push_back(h.title);
    }
    if (n.clarifying_prompts.empty()) n.clarifying_prompts.push_back(labels.rephrase);
    n.handoff.channel = "agent";
    n.handoff.message = labels.handoff_message;

    const plugins::Rendered out = choice.channel->render_no_answer(n, plugins::RenderContext{});
    res.set_header("X-KB-Answered", "false");
    res.set_header("X-KB-Lang", n.lang);
    res.set_header("X-KB-Confidence", plugins::confidence_text(n.confidence));
    res.set_header("X-KB-Channel", choice.name);
    res.set_content(out.body, out.content_type);
    res.status = 200;
    record_answer(session, choice, found, "", n.lang, query);
    if (choice.internal && !session.empty()) add_journey(res, session, journey);
  }

  void article(const httplib::Request& req, httplib::Response& res) const {
    check_params(req, {"lang", "channel", "session"});
    const std::string id = req.matches.size() > 1 ? std::string(req.matches[1]) : std::string();
    if (id.empty() || id.size() > kMaxIdBytes) {
      throw InvalidArgument("an article id is 1 to " + std::to_string(kMaxIdBytes) + " bytes", "invalid_parameter");
    }
    const ChannelChoice choice = choose_channel(req);
    search::ArticleRequest ar;
    ar.id = id;
    ar.lang = language_param(req);
    ar.preferred = parse_accept_language(req.get_header_value("Accept-Language"));
    ar.channel = choice.visibility;
    ar.include_internal = choice.internal;
    const auto found = kb_.article(ar);
    if (!found) {
      throw InvalidArgument("no article '" + id + "' on channel '" + choice.name + "'", "not_found");
    }
    res.set_header("X-KB-Index-Version", found->index_version);
    const std::string session = session_param(req);
    // A direct lookup is not a guess.
    write_answer(res, choice, to_answer(*found, 1.0, "", choice));
    if (events_) {
      events::Event e;
      e.type = events::EventType::View;
      e.session = session;
      e.channel = choice.name;
      e.lang = found->article.lang;
      e.item = found->article.id;
      events_->record(std::move(e));
    }
  }

  // Short links for size-limited channels (SMS): redirect to the article's URL.
  void short_link(const httplib::Request& req, httplib::Response& res) const {
    check_params(req, {});
    const auto lang = normalise_language_tag(std::string(req.matches[1]));
    const std::string id = req.matches[2];
    if (!lang || id.empty() || id.size() > kMaxIdBytes) {
      throw InvalidArgument("no such short link", "not_found");
    }
    const std::string target = replace_all(replace_all(config_.search.url_template, "{id}", url_encode(id)),
                                           "{lang}", url_encode(*lang));
    res.set_header("Location", absolute(target));
    write_json(res, 302, {{"location", absolute(target)}});
  }

 private:
  void record_answer(const std::string& session, const ChannelChoice& choice, const search::AnswerLookup& found,
                     const std::string& item, const std::string& lang, const std::string& query) const {
    if (!events_) return;
    events::Event e;
    e.type = events::EventType::Answer;
    e.session = session;
    e.channel = choice.name;
    e.lang = lang;
    e.query = query;
    e.item = item;
    e.results = static_cast<std::int64_t>(found.search.hits.size());
    for (const auto& h : found.search.hits) e.top.push_back(h.id);
    events_->record(std::move(e));
  }

  // The agent channel's JSON with the session's journey before this answer ("journey").
  static void add_journey(httplib::Response& res, const std::string& session, const std::vector<events::Event>& steps) {
    nlohmann::json body = nlohmann::json::parse(res.body, nullptr, false);
    if (!body.is_object()) return;
    body["journey"] = journey_json(session, steps, false);
    res.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }

  ChannelChoice choose_channel(const httplib::Request& req) const {
    ChannelChoice c;
    c.name = req.has_param("channel") ? req.get_param_value("channel") : kDefaultChannel;
    c.channel = channels_.find(c.name);
    if (!c.channel) {
      std::string known;
      for (const auto& n : channels_.names()) known += (known.empty() ? "" : ", ") + n;
      throw InvalidArgument("unknown channel '" + c.name + "' (known: " + known + ")", "invalid_parameter");
    }
    c.visibility = c.channel->visibility();
    // Only the built-in agent channel may see internal content (the registry refuses
    // plugins that ask for it), and only with the agent token.
    c.internal = c.channel->shows_internal_notes() && channels_.is_builtin(c.name);
    if (c.internal) require_agent_token(req, config_.agent_token);
    return c;
  }

  std::string absolute(const std::string& url) const {
    if (config_.public_base_url.empty() || url.empty() || url[0] != '/') return url;
    return config_.public_base_url + url;
  }

  plugins::Answer to_answer(const search::ArticleLookup& found, double confidence, const std::string& query,
                            const ChannelChoice& choice) const {
    const search::StoredArticle& s = found.article;
    plugins::Answer a;
    a.id = s.id;
    a.lang = s.lang;
    a.version = s.version;
    a.title = s.title;
    a.short_answer = s.summary;
    a.steps = plugins::markdown_steps(s.body_markdown);
    a.body_markdown = s.body_markdown;
    a.url = absolute(s.url);
    for (const auto& r : found.related) a.related.push_back({r.id, r.title, absolute(r.url)});
    // Related items first (they lead somewhere new), then the other phrasings; never the
    // question just asked.
    std::set<std::string> seen = {folded(query)};
    for (const std::string& prompt : [&] {
           std::vector<std::string> all;
           for (const auto& r : found.related) all.push_back(r.title);
           all.insert(all.end(), s.questions.begin(), s.questions.end());
           return all;
         }()) {
      if (a.follow_ups.size() == kFollowUps) break;
      if (seen.insert(folded(prompt)).second) a.follow_ups.push_back(plugins::collapse_whitespace(prompt));
    }
    // Internal notes are copied only for a channel that may show them, so no renderer can
    // leak them by mistake.
    if (choice.internal) a.internal_notes = s.internal_notes;
    a.updated = s.updated;
    a.source = s.source;
    a.confidence = confidence;
    a.query = query;
    return a;
  }

  // Lowercase ASCII, collapsed whitespace, no trailing punctuation: for duplicate checks.
  static std::string folded(const std::string& s) {
    std::string out = plugins::collapse_whitespace(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    while (!out.empty() && (out.back() == '?' || out.back() == '.' || out.back() == '!')) out.pop_back();
    return out;
  }

  void write_answer(httplib::Response& res, const ChannelChoice& choice, const plugins::Answer& a) const {
    plugins::RenderContext context;
    if (!config_.public_base_url.empty()) {
      context.short_url = config_.public_base_url + "/a/" + url_encode(a.lang) + "/" + url_encode(a.id);
    }
    const plugins::Rendered out = choice.channel->render(a, context);
    res.set_header("X-KB-Answered", "true");
    res.set_header("X-KB-Article", a.id);
    res.set_header("X-KB-Lang", a.lang);
    res.set_header("X-KB-Version", a.version);
    res.set_header("X-KB-Confidence", plugins::confidence_text(a.confidence));
    res.set_header("X-KB-Channel", choice.name);
    res.set_header("Content-Language", a.lang);
    res.set_content(out.body, out.content_type);
    res.status = 200;
  }

  const ServerConfig& config_;
  search::KnowledgeBase& kb_;
  const plugins::ChannelRegistry& channels_;
  events::EventStore* events_;
};

}  // namespace

void install_answer_routes(RouteTable& routes, const ServerConfig& config, search::KnowledgeBase& kb,
                           const plugins::ChannelRegistry& channels, events::EventStore* events) {
  auto r = std::make_shared<const AnswerRoutes>(config, kb, channels, events);
  routes.get("/v1/answer", [r](const auto& req, auto& res) { r->answer(req, res); });
  routes.get(R"(/v1/articles/([^/]+))", [r](const auto& req, auto& res) { r->article(req, res); });
  routes.get(R"(/a/([^/]+)/([^/]+))", [r](const auto& req, auto& res) { r->short_link(req, res); });
}

}  // namespace kb::server
