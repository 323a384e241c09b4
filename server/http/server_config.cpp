// Configuration loading and validation (see docs/configuration.md).
#include "server_config.h"

#include <yaml-cpp/yaml.h>

#include <cctype>
#include <charconv>
#include <sstream>

#include "errors.h"
#include "language.h"

namespace kb::server {
namespace {

long long parse_int(const std::string& value, const std::string& what, long long lo, long long hi) {
  long long v = 0;
  const auto* end = value.data() + value.size();
  auto [p, ec] = std::from_chars(value.data(), end, v);
  if (ec != std::errc() || p != end) throw InvalidArgument(what + ": '" + value + "' is not a number");
  if (v < lo || v > hi) {
    throw InvalidArgument(what + ": " + value + " is out of range [" + std::to_string(lo) + ", " +
                          std::to_string(hi) + "]");
  }
  return v;
}

bool parse_bool(const std::string& value, const std::string& what) {
  std::string v = value;
  for (auto& ch : v) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (v == "true" || v == "1" || v == "yes" || v == "on") return true;
  if (v == "false" || v == "0" || v == "no" || v == "off") return false;
  throw InvalidArgument(what + ": '" + value + "' is not true or false");
}

std::vector<std::string> parse_languages(const std::vector<std::string>& raw, const std::string& what) {
  std::vector<std::string> out;
  for (const auto& r : raw) {
    auto norm = normalise_language_tag(r);
    if (!norm) throw InvalidArgument(what + ": '" + r + "' is not a language tag");
    out.push_back(*norm);
  }
  return out;
}

std::vector<std::string> split_commas(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, ',')) {
    const auto b = item.find_first_not_of(" \t");
    if (b == std::string::npos) continue;
    const auto e = item.find_last_not_of(" \t");
    out.push_back(item.substr(b, e - b + 1));
  }
  return out;
}

double parse_threshold(const std::string& value, const std::string& what) {
  double v = 0;
  const auto* end = value.data() + value.size();
  auto [p, ec] = std::from_chars(value.data(), end, v);
  if (ec != std::errc() || p != end || value.empty()) {
    throw InvalidArgument(what + ": '" + value + "' is not a number");
  }
  if (!(v >= 0 && v <= 1)) throw InvalidArgument(what + ": " + value + " is out of range [0, 1]");
  return v;
}

// "sms=0.7, voice=0.8" (environment) into the map; channel names are checked at start-up,
// once the plugins are loaded.
std::map<std::string, double> parse_thresholds(const std::string& value, const std::string& what) {
  std::map<std::string, double> out;
  for (const auto& item : split_commas(value)) {
    const auto eq = item.find('=');
    if (eq == std::string::npos || eq == 0) {
      throw InvalidArgument(what + ": '" + item + "' is not channel=threshold");
    }
    std::string name = item.substr(0, eq);
    name.erase(name.find_last_not_of(" \t") + 1);
    std::string number = item.substr(eq + 1);
    number.erase(0, number.find_first_not_of(" \t"));
    out[name] = parse_threshold(number, what + " (" + name + ")");
  }
  return out;
}

// Requests per second: a non-negative number (fractions allowed, 0 = no limit).
double parse_rate(const std::string& value, const std::string& what) {
  double v = 0;
  const auto* end = value.data() + value.size();
  auto [p, ec] = std::from_chars(value.data(), end, v);
  if (ec != std::errc() || p != end || value.empty()) {
    throw InvalidArgument(what + ": '" + value + "' is not a number");
  }
  if (!(v >= 0 && v <= 1000000)) throw InvalidArgument(what + ": " + value + " is out of range [0, 1000000]");
  return v;
}

std::string parse_base_url(std::string value, const std::string& what) {
  if (value.empty()) return value;
  if (value.rfind("https://", 0) != 0 && value.rfind("http://", 0) != 0) {
    throw InvalidArgument(what + ": '" + value + "' must start with https:// or http://");
  }
  if (value.find_first_of(" \t\r\n?#") != std::string::npos) {
    throw InvalidArgument(what + ": '" + value + "' must be a bare base URL (no spaces, query or fragment)");
  }
  while (!value.empty() && value.back() == '/') value.pop_back();
  return value;
}

// One setting from any source, by its YAML name.
void apply(ServerConfig& c, const std::string& key, const std::string& value, const std::string& source) {
  const std::string what = source + ": " + key;
  if (key == "kb") c.kb_dir = value;
  else if (key == "host") c.host = value;
  else if (key == "port") c.port = static_cast<int>(parse_int(value, what, 0, 65535));
  else if (key == "threads") c.threads = static_cast<int>(parse_int(value, what, 1, 4096));
  else if (key == "listen_backlog") c.listen_backlog = static_cast<int>(parse_int(value, what, 1, 65535));
  else if (key == "read_timeout_ms") c.read_timeout_ms = static_cast<int>(parse_int(value, what, 1, 600000));
  else if (key == "write_timeout_ms") c.write_timeout_ms = static_cast<int>(parse_int(value, what, 1, 600000));
  else if (key == "keep_alive_timeout_s") c.keep_alive_timeout_s = static_cast<int>(parse_int(value, what, 0, 3600));
  else if (key == "keep_alive_max_requests") c.keep_alive_max_requests = static_cast<int>(parse_int(value, what, 1, 1000000));
  else if (key == "max_body_bytes") c.max_body_bytes = static_cast<std::size_t>(parse_int(value, what, 1, 1LL << 30));
  else if (key == "request_timeout_ms") c.request_timeout_ms = static_cast<int>(parse_int(value, what, 1, 600000));
  else if (key == "max_header_bytes") c.max_header_bytes = static_cast<std::size_t>(parse_int(value, what, 1024, 1LL << 20));
  else if (key == "rate_limit_per_s") c.rate_limit_per_s = parse_rate(value, what);
  else if (key == "rate_limit_burst") c.rate_limit_burst = static_cast<int>(parse_int(value, what, 1, 1000000));
  else if (key == "reload_interval_ms") c.reload_interval_ms = static_cast<int>(parse_int(value, what, 10, 3600000));
  else if (key == "access_log") c.access_log = parse_bool(value, what);
  else if (key == "agent_token") c.agent_token = value;
  else if (key == "editor_token") c.editor_token = value;
  else if (key == "content_dir") c.content_dir = value;
  else if (key == "channel_plugins") c.channel_plugins = split_commas(value);
  else if (key == "channel_thresholds") c.channel_thresholds = parse_thresholds(value, what);
  else if (key == "public_base_url") c.public_base_url = parse_base_url(value, what);
  else if (key == "max_per_page") c.search.max_per_page = static_cast<int>(parse_int(value, what, 1, 1000));
  else if (key == "cache_entries") c.search.cache_entries = static_cast<std::size_t>(parse_int(value, what, 0, 10000000));
  else if (key == "search_time_limit_ms") c.search.time_limit_ms = static_cast<int>(parse_int(value, what, 0, 60000));
  else if (key == "search_common_words_limit") c.search.common_words_limit = static_cast<unsigned>(parse_int(value, what, 0, 100000000));
  else if (key == "search_concurrency") c.search.concurrency = static_cast<unsigned>(parse_int(value, what, 0, 256));
  else if (key == "search_queue") c.search.max_waiting = static_cast<std::size_t>(parse_int(value, what, 0, 1000000));
  else if (key == "search_queue_timeout_ms") c.search.max_wait_ms = static_cast<int>(parse_int(value, what, 1, 600000));
  else if (key == "max_queued_connections") c.max_queued_connections = static_cast<int>(parse_int(value, what, 0, 1000000));
  else if (key == "max_query_bytes") c.search.max_query_bytes = static_cast<std::size_t>(parse_int(value, what, 1, 65536));
  else if (key == "article_url_template") c.search.url_template = value;
  else if (key == "default_languages") c.search.default_languages = parse_languages(split_commas(value), what);
  else if (key == "events.enabled") c.events.enabled = parse_bool(value, what);
  else if (key == "events.path") c.events.path = value;
  else if (key == "events.retention_days") c.events.retention_days = static_cast<int>(parse_int(value, what, 0, 36500));
  else if (key == "events.queue_capacity") c.events.queue_capacity = static_cast<std::size_t>(parse_int(value, what, 1, 10000000));
  else if (key == "events.flush_interval_ms") c.events.flush_interval_ms = static_cast<int>(parse_int(value, what, 1, 600000));
  else if (key == "events.boost") c.events.boost = parse_bool(value, what);
  else if (key == "events.boost_refresh_s") c.events.boost_refresh_s = static_cast<int>(parse_int(value, what, 1, 86400));
  else throw InvalidArgument(source + ": unknown setting '" + key + "'");
}

void load_yaml(ServerConfig& c, const std::string& path) {
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::BadFile&) {
    throw InvalidArgument("cannot read config file " + path);
  } catch (const YAML::Exception& e) {
    throw InvalidArgument(path + ":" + std::to_string(e.mark.line + 1) + ":" +
                          std::to_string(e.mark.column + 1) + ": invalid YAML: " + e.msg);
  }
  if (root.IsNull()) return;
  if (!root.IsMap()) throw InvalidArgument(path + ": the config file must be a mapping of settings");
  for (const auto& kv : root) {
    const std::string key = kv.first.as<std::string>();
    const auto mark = kv.second.Mark();
    const std::string where = path + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
    if (key == "default_languages") {
      std::vector<std::string> langs;
      if (kv.second.IsSequence()) {
        for (const auto& l : kv.second) langs.push_back(l.as<std::string>());
      } else if (kv.second.IsScalar()) {
        langs = split_commas(kv.second.Scalar());
      } else {
        throw InvalidArgument(where + ": default_languages must be a list");
      }
      c.search.default_languages = parse_languages(langs, where + ": default_languages");
      continue;
    }
    if (key == "channel_plugins" && kv.second.IsSequence()) {
      c.channel_plugins.clear();
      for (const auto& p : kv.second) {
        if (!p.IsScalar()) throw InvalidArgument(where + ": channel_plugins must be a list of paths");
        c.channel_plugins.push_back(p.Scalar());
      }
      continue;
    }
    if (key == "channel_thresholds" && kv.second.IsMap()) {
      c.channel_thresholds.clear();
      for (const auto& t : kv.second) {
        const std::string name = t.first.as<std::string>();
        const auto m = t.second.Mark();
        const std::string at = path + ":" + std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1);
        if (!t.second.IsScalar()) throw InvalidArgument(at + ": channel_thresholds: " + name + " must be a number");
        c.channel_thresholds[name] = parse_threshold(t.second.Scalar(), at + ": channel_thresholds: " + name);
      }
      continue;
    }
    if (key == "events") {
      if (!kv.second.IsMap()) throw InvalidArgument(where + ": events must be a mapping (path, retention_days, ...)");
      for (const auto& e : kv.second) {
        const std::string name = e.first.as<std::string>();
        const auto m = e.second.Mark();
        const std::string at = path + ":" + std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1);
        if (!e.second.IsScalar()) throw InvalidArgument(at + ": events: " + name + " must be a single value");
        apply(c, "events." + name, e.second.Scalar(), at);
      }
      continue;
    }
    if (!kv.second.IsScalar()) throw InvalidArgument(where + ": " + key + " must be a single value");
    apply(c, key, kv.second.Scalar(), where);
  }
}

}  // namespace

std::string server_usage() {
  return "usage: kb-server --kb DIR [--port N] [--host ADDR] [--config FILE] [--threads N]\n"
         "                 [--default-languages en,de] [--events FILE] [--no-access-log]\n"
         "\n"
         "Serves the knowledge base in DIR over HTTP. Settings come from defaults, then the\n"
         "YAML file given by --config (or KB_CONFIG), then KB_* environment variables, then\n"
         "flags. See docs/configuration.md. --port 0 picks a free port.\n";
}

ServerConfig load_server_config(const std::vector<std::string>& args,
                                const std::map<std::string, std::string>& env) {
  ServerConfig c;
  // The config file comes first, whatever the order of the flags.
  std::string config_file;
  if (auto it = env.find("KB_CONFIG"); it != env.end()) config_file = it->second;
  for (std::size_t i = 0; i + 1 < args.size(); ++i) {
    if (args[i] == "--config") config_file = args[i + 1];
  }
  if (!config_file.empty()) load_yaml(c, config_file);

  static const std::map<std::string, std::string> env_names = {
      {"KB_DIR", "kb"},
      {"KB_HOST", "host"},
      {"KB_PORT", "port"},
      {"KB_THREADS", "threads"},
      {"KB_DEFAULT_LANGUAGES", "default_languages"},
      {"KB_AGENT_TOKEN", "agent_token"},
      {"KB_EDITOR_TOKEN", "editor_token"},
      {"KB_CONTENT_DIR", "content_dir"},
      {"KB_RATE_LIMIT_PER_S", "rate_limit_per_s"},
      {"KB_RATE_LIMIT_BURST", "rate_limit_burst"},
      {"KB_ACCESS_LOG", "access_log"},
      {"KB_CHANNEL_PLUGINS", "channel_plugins"},
      {"KB_CHANNEL_THRESHOLDS", "channel_thresholds"},
      {"KB_PUBLIC_BASE_URL", "public_base_url"},
      {"KB_EVENTS_ENABLED", "events.enabled"},
      {"KB_EVENTS_PATH", "events.path"},
      {"KB_EVENTS_RETENTION_DAYS", "events.retention_days"},
      {"KB_EVENTS_BOOST", "events.boost"},
  };
  for (const auto& [var, key] : env_names) {
    if (auto it = env.find(var); it != env.end()) apply(c, key, it->second, "environment " + var);
  }

  static const std::map<std::string, std::string> flag_names = {
      {"--kb", "kb"},         {"--host", "host"},       {"--port", "port"},
      {"--threads", "threads"}, {"--content", "content_dir"}, {"--default-languages", "default_languages"},
      {"--events", "events.path"},
  };
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--config") {
      if (i + 1 >= args.size()) throw InvalidArgument("option --config needs a value");
      ++i;
      continue;
    }
    if (a == "--no-access-log") {
      c.access_log = false;
      continue;
    }
    auto it = flag_names.find(a);
    if (it == flag_names.end()) throw InvalidArgument("unknown option " + a);
    if (i + 1 >= args.size()) throw InvalidArgument("option " + a + " needs a value");
    apply(c, it->second, args[++i], "option " + a);
  }

  if (c.kb_dir.empty()) throw InvalidArgument("no knowledge base given (--kb DIR, KB_DIR or 'kb:' in the config file)");
  if (c.host.empty()) throw InvalidArgument("host must not be empty");
  if (c.search.default_languages.empty()) throw InvalidArgument("default_languages must name at least one language");
  return c;
}

}  // namespace kb::server
