// Shared HTTP helpers.
#include "http_support.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <map>
#include <random>

#include "errors.h"
#include "language.h"
#include "utf8.h"

namespace kb::server {

using json = nlohmann::json;

// One table maps error codes to HTTP statuses.
int status_for(const std::string& code) {
  static const std::map<std::string, int> table = {
      {"invalid_parameter", 400}, {"missing_parameter", 400}, {"unknown_parameter", 400},
      {"query_too_long", 400},    {"invalid_utf8", 400},      {"invalid_argument", 400},
      {"bad_request", 400},       {"unauthorized", 401},      {"forbidden", 403},
      {"not_found", 404},         {"method_not_allowed", 405}, {"payload_too_large", 413},
      {"uri_too_long", 414},      {"index_unavailable", 503}, {"index_reopen", 503},
      {"overloaded", 503},        {"internal", 500},          {"search_failed", 500},
      {"request_timeout", 408},   {"rate_limited", 429},      {"headers_too_large", 431},
      {"invalid_json", 400},      {"invalid_field", 400},     {"missing_field", 400},
      {"unknown_field", 400},     {"unknown_event_type", 400}, {"events_disabled", 503},
  };
  auto it = table.find(code);
  return it == table.end() ? 500 : it->second;
}

std::string code_for_status(int status) {
  switch (status) {
    case 400: return "bad_request";
    case 401: return "unauthorized";
    case 403: return "forbidden";
    case 404: return "not_found";
    case 405: return "method_not_allowed";
    case 408: return "request_timeout";
    case 413: return "payload_too_large";
    case 414: return "uri_too_long";
    case 429: return "rate_limited";
    case 431: return "headers_too_large";
    case 503: return "index_unavailable";
    default: return status >= 500 ? "internal" : "bad_request";
  }
}

void write_json(httplib::Response& res, int status, const json& body) {
  res.status = status;
  // error_handler_t::replace: invalid UTF-8 can never make serialisation throw.
  res.set_content(body.dump(-1, ' ', false, json::error_handler_t::replace),
                  "application/json; charset=utf-8");
}

void write_json_text(httplib::Response& res, int status, std::string body) {
  res.status = status;
  res.set_content(std::move(body), "application/json; charset=utf-8");
}

void append_json_string(std::string& out, std::string_view s) {
  if (find_invalid_utf8(s)) {
    // What nlohmann writes for it, replacement characters and all.
    out += json(std::string(s)).dump(-1, ' ', false, json::error_handler_t::replace);
    return;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  out.reserve(out.size() + s.size() + 2);
  out.push_back('"');
  std::size_t run = 0;  // start of the bytes copied as they are
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        out += "\\u00";
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 15]);
    }
  }
  out.append(s.data() + run, s.size() - run);
  out.push_back('"');
}

void write_error(httplib::Response& res, const std::string& code, const std::string& message,
                 int status) {
  if (code == "overloaded" && !res.has_header("Retry-After")) res.set_header("Retry-After", "1");
  json error = {{"code", code}, {"message", message}};
  if (res.has_header("X-Request-Id")) error["request_id"] = res.get_header_value("X-Request-Id");
  write_json(res, status ? status : status_for(code), {{"error", std::move(error)}});
}

std::string request_id(const httplib::Request& req) {
  const std::string given = req.get_header_value("X-Request-Id");
  const bool usable = !given.empty() && given.size() <= 64 && std::all_of(given.begin(), given.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == ':' || c == '-';
  });
  if (usable) return given;
  // splitmix64 over a per-thread random seed: unique enough to join log lines, cheap.
  thread_local std::uint64_t state = [] {
    std::random_device rd;
    return (static_cast<std::uint64_t>(rd()) << 32) ^ rd() ^
           static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
  }();
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  z ^= z >> 31;
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(z));
  return buf;
}

// Constant-time comparison, so response times reveal nothing about a token.
bool tokens_equal(const std::string& given, const std::string& expected) {
  const std::size_t n = std::max(given.size(), expected.size());
  unsigned char diff = given.size() == expected.size() ? 0 : 1;
  for (std::size_t i = 0; i < n; ++i) {
    const unsigned char a = i < given.size() ? static_cast<unsigned char>(given[i]) : 0;
    const unsigned char b = i < expected.size() ? static_cast<unsigned char>(expected[i]) : 0;
    diff |= static_cast<unsigned char>(a ^ b);
  }
  return diff == 0;
}

std::string bearer_token(const httplib::Request& req) {
  const std::string auth = req.get_header_value("Authorization");
  if (auth.size() > 7 && (auth.compare(0, 7, "Bearer ") == 0 || auth.compare(0, 7, "bearer ") == 0)) {
    return auth.substr(7);
  }
  return "";
}

// Accept-Language: tags ordered by q, invalid entries and "*" skipped.
std::vector<std::string> parse_accept_language(const std::string& header) {
  std::vector<std::pair<double, std::string>> weighted;
  std::size_t start = 0;
  int order = 0;
  while (start < header.size() && order < 20) {
    const auto comma = header.find(',', start);
    std::string part = header.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    start = comma == std::string::npos ? header.size() : comma + 1;
    double q = 1.0;
    if (const auto semi = part.find(';'); semi != std::string::npos) {
      const auto qpos = part.find("q=", semi);
      if (qpos != std::string::npos) {
        try {
          q = std::stod(part.substr(qpos + 2));
        } catch (...) {
          q = 0;
        }
      }
      part.resize(semi);
    }
    part.erase(0, part.find_first_not_of(" \t"));
    part.erase(part.find_last_not_of(" \t") + 1);
    if (part.empty() || part == "*" || q <= 0) continue;
    if (auto norm = normalise_language_tag(part)) {
      weighted.emplace_back(q - 0.0001 * order++, *norm);
    }
  }
  std::stable_sort(weighted.begin(), weighted.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<std::string> out;
  for (auto& w : weighted) out.push_back(std::move(w.second));
  return out;
}

int int_param(const httplib::Request& req, const char* name, int fallback) {
  if (!req.has_param(name)) return fallback;
  const std::string v = req.get_param_value(name);
  long long n = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc() || p != v.data() + v.size() || v.empty()) {
    throw InvalidArgument(std::string(name) + " must be a whole number, not '" + v + "'",
                          "invalid_parameter");
  }
  if (n < -1000000 || n > 1000000) {
    throw InvalidArgument(std::string(name) + " is out of range", "invalid_parameter");
  }
  return static_cast<int>(n);
}

bool bool_param(const httplib::Request& req, const char* name, bool fallback) {
  if (!req.has_param(name)) return fallback;
  const std::string v = req.get_param_value(name);
  if (v == "true" || v == "1") return true;
  if (v == "false" || v == "0") return false;
  throw InvalidArgument(std::string(name) + " must be true or false, not '" + v + "'",
                        "invalid_parameter");
}

void require_token(const httplib::Request& req, const std::string& expected, const std::string& missing,
                   const std::string& refused) {
  const std::string token = bearer_token(req);
  if (token.empty()) throw InvalidArgument(missing, "unauthorized");
  if (expected.empty() || !tokens_equal(token, expected)) throw InvalidArgument(refused, "forbidden");
}

void require_agent_token(const httplib::Request& req, const std::string& agent_token) {
  require_token(req, agent_token, "the agent channel needs an agent token (Authorization: Bearer ...)",
                "the token does not allow the agent channel");
}

std::string language_param(const httplib::Request& req) {
  const std::string raw = req.get_param_value("lang");
  if (raw.empty()) return "";
  auto lang = normalise_language_tag(raw);
  if (!lang) throw InvalidArgument("lang '" + raw + "' is not a language tag", "invalid_parameter");
  return *lang;
}

std::string session_param(const httplib::Request& req) {
  const std::string id = req.has_param("session") ? req.get_param_value("session") : req.get_header_value("X-Session-Id");
  check_session_id(id, "session");
  return id;
}

void check_session_id(const std::string& id, const std::string& what) {
  if (id.size() > kMaxSessionBytes) {
    throw InvalidArgument(what + " is longer than " + std::to_string(kMaxSessionBytes) + " bytes", "invalid_parameter");
  }
  const bool ok = std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
           c == '.' || c == ':';
  });
  if (!ok) throw InvalidArgument(what + " may hold only letters, digits and - _ . :", "invalid_parameter");
}

void check_params(const httplib::Request& req, const std::set<std::string>& allowed) {
  for (const auto& [name, value] : req.params) {
    if (find_invalid_utf8(name) || find_invalid_utf8(value)) {
      throw InvalidArgument("parameter " + std::string(find_invalid_utf8(name) ? "name" : name) +
                                " is not valid UTF-8",
                            "invalid_utf8");
    }
    if (!allowed.count(name)) {
      std::string list;
      for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
      throw InvalidArgument("unknown parameter '" + name + "' (known: " + list + ")",
                            "unknown_parameter");
    }
  }
}

httplib::Server::Handler guarded(RouteHandler handler) {
  return [handler = std::move(handler)](const httplib::Request& req, httplib::Response& res) {
    try {
      handler(req, res);
    } catch (const kb::Error& e) {
      write_error(res, e.code(), e.what());
    } catch (const std::exception& e) {
      std::fprintf(stderr, "kb-server: internal error on %s %s: %s\n", req.method.c_str(),
                   find_invalid_utf8(req.path) ? "(invalid path)" : req.path.c_str(), e.what());
      write_error(res, "internal", "internal error");
    } catch (...) {
      write_error(res, "internal", "internal error");
    }
  };
}

void RouteTable::get(const std::string& pattern, RouteHandler handler) {
  server_.Get(pattern, guarded(std::move(handler)));
  routes_.emplace_back(std::regex(pattern), "GET");
}

void RouteTable::post(const std::string& pattern, RouteHandler handler) {
  server_.Post(pattern, guarded(std::move(handler)));
  routes_.emplace_back(std::regex(pattern), "POST");
}

std::string RouteTable::allowed_methods(const std::string& path) const {
  std::set<std::string> methods;
  for (const auto& [re, method] : routes_) {
    if (std::regex_match(path, re)) {
      methods.insert(method);
      if (method == "GET") methods.insert("HEAD");
    }
  }
  std::string out;
  for (const auto& m : methods) out += (out.empty() ? "" : ", ") + m;
  return out;
}

}  // namespace kb::server
