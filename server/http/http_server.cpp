// Handlers, the error table and the socket set-up for cpp-httplib.
#include "http_server.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <set>

#include <nlohmann/json.hpp>

#include "admin_routes.h"
#include "answer_routes.h"
#include "article.h"
#include "channel_registry.h"
#include "errors.h"
#include "event_routes.h"
#include "event_store.h"
#include "http_support.h"
#include "kb_writer.h"
#include "knowledge_base.h"
#include "listener.h"
#include "rate_limiter.h"
#include "search_json.h"
#include "utf8.h"

namespace kb::server {
namespace {

using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kRecordedTop = 5;  // result ids kept with a recorded search

// The access log prints the method only when it is one (a malformed request line may hold
// anything, and the log must stay one line per request).
std::string loggable_method(const std::string& method) {
  const bool word = !method.empty() && method.size() <= 16 &&
                    std::all_of(method.begin(), method.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
  return word ? method : "-";
}

// httplib's ThreadPool with a count of connections still waiting for a worker, so requests
// can be shed (503) when the queue grows instead of waiting for ever.
class CountingPool : public httplib::TaskQueue {
 public:
  CountingPool(std::size_t threads, std::atomic<int>& waiting) : pool_(threads), waiting_(waiting) {}
  void enqueue(std::function<void()> fn) override {
    waiting_.fetch_add(1, std::memory_order_relaxed);
    pool_.enqueue([this, fn = std::move(fn)] {
      waiting_.fetch_sub(1, std::memory_order_relaxed);
      fn();
    });
  }
  void shutdown() override { pool_.shutdown(); }

 private:
  httplib::ThreadPool pool_;
  std::atomic<int>& waiting_;
};

}  // namespace

struct HttpServer::Impl {
  Impl(const ServerConfig& c, search::KnowledgeBase& k, events::EventStore* e)
      : config(c), kb(k), events(e), channels(plugins::make_channel_registry(c.channel_plugins, c.channel_thresholds)) {}

  const ServerConfig& config;
  search::KnowledgeBase& kb;
  events::EventStore* events;
  const plugins::ChannelRegistry channels;
  Listener http;
  RouteTable routes{http};
  std::atomic<int> waiting_connections{0};
  RateLimiter rate_limiter{config.rate_limit_per_s, static_cast<double>(config.rate_limit_burst)};

  // Requests with a valid agent or editor token are not rate limited (agents share an
  // office address); everything else but /health is, token guesses included.
  bool rate_limited(const httplib::Request& req, httplib::Response& res) {
    if (!rate_limiter.enabled() || req.path == "/health") return false;
    if (const std::string token = bearer_token(req); !token.empty()) {
      if ((!config.agent_token.empty() && tokens_equal(token, config.agent_token)) ||
          (!config.editor_token.empty() && tokens_equal(token, config.editor_token))) {
        return false;
      }
    }
    const RateLimiter::Decision d = rate_limiter.take(req.remote_addr);
    if (d.allowed) return false;
    res.set_header("Retry-After", std::to_string(d.retry_after_s));
    write_error(res, "rate_limited",
                "too many requests from your address; retry in " + std::to_string(d.retry_after_s) + " s");
    return true;
  }

  // The `channel` parameter ("web" when absent); the agent channel needs the agent token.
  std::string channel_param(const httplib::Request& req) const {
    const std::string channel = req.has_param("channel") ? req.get_param_value("channel") : "web";
    if (!is_known_channel(channel)) {
      throw InvalidArgument("unknown channel '" + channel + "'", "invalid_parameter");
    }
    if (channel == "agent") require_agent_token(req, config.agent_token);
    return channel;
  }

  void handle_search(const httplib::Request& req, httplib::Response& res) {
    const auto started = Clock::now();
    check_params(req, {"q", "lang", "channel", "category", "tag", "product", "page", "per_page",
                       "prefix", "facets", "session", "explain"});
    search::SearchRequest sr;
    sr.query = req.get_param_value("q");
    sr.category = req.get_param_value("category");
    sr.tag = req.get_param_value("tag");
    sr.product = req.get_param_value("product");
    if (sr.query.find_first_not_of(" \t\r\n") == std::string::npos && sr.category.empty() &&
        sr.tag.empty() && sr.product.empty()) {
      throw InvalidArgument("q is required (or browse with category, tag or product)",
                            "missing_parameter");
    }
    sr.lang = language_param(req);
    sr.preferred = parse_accept_language(req.get_header_value("Accept-Language"));
    sr.channel = channel_param(req);
    sr.include_internal = sr.channel == "agent";
    sr.page = int_param(req, "page", 1);
    sr.per_page = int_param(req, "per_page", 10);
    sr.prefix = bool_param(req, "prefix", true);
    sr.facets = bool_param(req, "facets", true);
    const bool explain = bool_param(req, "explain", false);
    const std::string session = session_param(req);

    const search::SearchResponse r = kb.search(sr);
    // Page 1 is the search; later pages are the same search read further.
    if (events && sr.page == 1) {
      events::Event e;
      e.type = events::EventType::Search;
      e.session = session;
      e.channel = sr.channel;
      e.lang = !r.served_lang.empty() ? r.served_lang : sr.lang;
      e.query = sr.query;
      e.results = static_cast<std::int64_t>(r.total);
      for (std::size_t i = 0; i < r.hits.size() && i < kRecordedTop; ++i) e.top.push_back(r.hits[i].id);
      events->record(std::move(e));
    }
    const double took =
        std::chrono::duration<double, std::milli>(Clock::now() - started).count();
    res.set_header("X-KB-Index-Version", r.index_version);
    // Written straight into the body: the same bytes as a JSON value of every hit would give.
    write_json_text(res, 200, search_response_json(sr, r, took, explain));
  }

  void handle_suggest(const httplib::Request& req, httplib::Response& res) {
    const auto started = Clock::now();
    check_params(req, {"q", "lang", "channel", "limit", "session"});
    search::SuggestRequest sr;
    sr.query = req.get_param_value("q");
    if (sr.query.find_first_not_of(" \t\r\n") == std::string::npos) {
      throw InvalidArgument("q is required", "missing_parameter");
    }
    sr.lang = language_param(req);
    sr.preferred = parse_accept_language(req.get_header_value("Accept-Language"));
    sr.channel = channel_param(req);
    sr.include_internal = sr.channel == "agent";
    sr.limit = int_param(req, "limit", 8);
    const std::string session = session_param(req);
    const search::SuggestResponse r = kb.suggest(sr);
    if (events) {
      events::Event e;
      e.type = events::EventType::Suggest;
      e.session = session;
      e.channel = sr.channel;
      e.lang = !r.served_lang.empty() ? r.served_lang : sr.lang;
      e.query = sr.query;
      e.results = static_cast<std::int64_t>(r.suggestions.size());
      for (std::size_t i = 0; i < r.suggestions.size() && i < kRecordedTop; ++i) e.top.push_back(r.suggestions[i].id);
      events->record(std::move(e));
    }
    json suggestions = json::array();
    for (const auto& s : r.suggestions) {
      suggestions.push_back({{"text", s.text},
                             {"highlighted", s.highlighted},
                             {"kind", s.kind},
                             {"id", s.id},
                             {"lang", s.lang},
                             {"url", s.url}});
    }
    const double took = std::chrono::duration<double, std::milli>(Clock::now() - started).count();
    write_json(res, 200,
               {{"query", sr.query},
                {"served_lang", r.served_lang.empty() ? json(nullptr) : json(r.served_lang)},
                {"suggestions", std::move(suggestions)},
                {"took_ms", std::round(took * 1000) / 1000},
                {"index_version", r.index_version}});
  }

  void handle_health(const httplib::Request&, httplib::Response& res) {
    const search::IndexStatus s = kb.status();
    json languages = json::object();
    for (const auto& [l, n] : s.languages) languages[l] = n;
    json champions = json::object();
    for (const auto& [l, n] : s.champion_lists) champions[l] = n;
    write_json(res, 200,
               {{"status", "ok"},
                {"index_version", s.index_version},
                {"built_at", s.built_at},
                {"schema", s.schema},
                {"refused_generation", s.refused_generation.empty() ? json(nullptr)
                                                                    : json{{"name", s.refused_generation},
                                                                           {"reason", s.refused_reason}}},
                {"documents", s.documents},
                {"languages", languages},
                {"champion_lists", champions},
                {"champion_lists_damaged", s.champion_lists_damaged}});
  }

  void install() {
    routes.get("/health", [this](const auto& req, auto& res) { handle_health(req, res); });
    routes.get("/v1/search", [this](const auto& req, auto& res) { handle_search(req, res); });
    routes.get("/v1/suggest", [this](const auto& req, auto& res) { handle_suggest(req, res); });
    install_answer_routes(routes, config, kb, channels, events);
    install_admin_routes(routes, config, kb);
    install_event_routes(routes, config, kb, channels, events);

    http.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
      // Every response carries its request's id (error bodies and the access log too).
      res.set_header("X-Request-Id", request_id(req));
      // Shed load while too many connections wait for a worker: a fast 503 now beats a
      // timeout later. /health stays answered for load balancers.
      if (waiting_connections.load(std::memory_order_relaxed) > config.max_queued_connections &&
          req.path != "/health") {
        res.set_header("Connection", "close");
        write_error(res, "overloaded", "the server is overloaded; retry in a second");
        return httplib::Server::HandlerResponse::Handled;
      }
      if (rate_limited(req, res)) return httplib::Server::HandlerResponse::Handled;
      if (find_invalid_utf8(req.path)) {
        write_error(res, "invalid_utf8", "the path is not valid UTF-8");
        return httplib::Server::HandlerResponse::Handled;
      }
      const std::string allowed = routes.allowed_methods(req.path);
      if (!allowed.empty() && (", " + allowed + ",").find(", " + req.method + ",") == std::string::npos) {
        res.set_header("Allow", allowed);
        write_error(res, "method_not_allowed", req.method + " is not allowed on " + req.path);
        return httplib::Server::HandlerResponse::Handled;
      }
      return httplib::Server::HandlerResponse::Unhandled;
    });
    // Errors httplib produces itself (404 for unknown paths, 413, 414, 400 for malformed
    // requests) get the same JSON shape; responses handlers already wrote are left alone.
    http.set_error_handler(httplib::Server::HandlerWithResponse(
        [](const httplib::Request& req, httplib::Response& res) {
      if (!res.has_header("X-Request-Id")) res.set_header("X-Request-Id", request_id(req));
      if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
      const std::string code = code_for_status(res.status);
      std::string message = "request failed";
      if (res.status == 404) {
        message = "no such endpoint: " + std::string(find_invalid_utf8(req.path) ? "(invalid path)" : req.path);
      } else if (res.status == 413) {
        message = "the request body is too large";
      } else if (res.status == 414) {
        message = "the request URI is too long";
      } else if (res.status == 400) {
        message = "malformed request";
      }
      // httplib's 400 when the listener cut the reading of the request short (it then
      // closes the connection).
      if (res.status == 400 && Listener::cut_short() != RequestCut::None) res.set_header("Connection", "close");
      if (res.status == 400 && Listener::cut_short() == RequestCut::TimedOut) {
        write_error(res, "request_timeout", "the request did not arrive in time");
      } else if (res.status == 400 && Listener::cut_short() == RequestCut::HeadersTooLarge) {
        write_error(res, "headers_too_large", "the request line and headers are too large");
      } else if (res.status == 400 && Listener::cut_short() == RequestCut::BodyTooLarge) {
        write_error(res, "payload_too_large", "the request body is too large");
      } else {
        write_error(res, code, message, res.status);
      }
      return httplib::Server::HandlerResponse::Handled;
    }));
    http.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
      std::string message = "internal error";
      try {
        if (ep) std::rethrow_exception(ep);
      } catch (const std::exception& e) {
        std::fprintf(stderr, "kb-server: unhandled exception: %s\n", e.what());
      } catch (...) {
        std::fprintf(stderr, "kb-server: unhandled exception\n");
      }
      write_error(res, "internal", message);
    });
    if (config.access_log) {
      // Method, path, status, time and request id only: query strings may hold personal data
      // and headers may hold tokens.
      http.set_logger([](const httplib::Request& req, const httplib::Response& res) {
        const double ms =
            std::chrono::duration<double, std::milli>(Clock::now() - Listener::request_started()).count();
        const std::string id = res.get_header_value("X-Request-Id");
        std::fprintf(stderr, "%s %s %s %d %.2fms %s\n", utc_now_iso8601().c_str(), loggable_method(req.method).c_str(),
                     find_invalid_utf8(req.path) ? "(invalid path)" : req.path.c_str(), res.status, ms,
                     id.empty() ? "-" : id.c_str());
      });
    }

    const int threads = config.threads;
    http.new_task_queue = [this, threads] {
      return new CountingPool(static_cast<std::size_t>(threads), waiting_connections);
    };
    http.set_tcp_nodelay(true);
    http.set_socket_options([](socket_t sock) {
      int yes = 1;
      ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
      // Accepted sockets inherit TCP_NODELAY from the listening socket on Linux.
      ::setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
    });
    http.set_read_timeout(config.read_timeout_ms / 1000, (config.read_timeout_ms % 1000) * 1000);
    http.set_write_timeout(config.write_timeout_ms / 1000, (config.write_timeout_ms % 1000) * 1000);
    http.set_keep_alive_timeout(config.keep_alive_timeout_s);
    http.set_keep_alive_max_count(static_cast<std::size_t>(config.keep_alive_max_requests));
    http.set_payload_max_length(config.max_body_bytes);
    http.set_request_limits(std::chrono::milliseconds(config.request_timeout_ms), config.max_header_bytes);
  }
};

HttpServer::HttpServer(const ServerConfig& config, search::KnowledgeBase& kb, events::EventStore* events)
    : impl_(std::make_unique<Impl>(config, kb, events)) {
  impl_->install();
}

HttpServer::~HttpServer() = default;

int HttpServer::bind() {
  int port = impl_->config.port;
  if (port == 0) {
    port = impl_->http.bind_to_any_port(impl_->config.host);
    if (port < 0) throw IoError("cannot listen on " + impl_->config.host + " (any port)");
  } else if (!impl_->http.bind_to_port(impl_->config.host, port)) {
    throw IoError("cannot listen on " + impl_->config.host + ":" + std::to_string(port) +
                  " (in use, or not an address of this machine)");
  }
  impl_->http.set_backlog(impl_->config.listen_backlog);
  return port;
}

bool HttpServer::serve() { return impl_->http.listen_after_bind(); }

void HttpServer::stop() { impl_->http.stop(); }

}  // namespace kb::server
