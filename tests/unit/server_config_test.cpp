// Unit tests of server/http/server_config.h: defaults, YAML, KB_* variables, flags, errors.
#include <doctest/doctest.h>

#include <map>
#include <string>
#include <vector>

#include "errors.h"
#include "server_config.h"
#include "temp_dir.h"

namespace {

using kb::server::load_server_config;
using kb::server::ServerConfig;
using Args = std::vector<std::string>;
using Env = std::map<std::string, std::string>;

// The message of the kb::InvalidArgument that loading throws, or "<no error>". Any other
// exception type escapes and fails the test.
std::string error_of(const Args& args, const Env& env = {}) {
  try {
    load_server_config(args, env);
  } catch (const kb::InvalidArgument& e) {
    CHECK(e.code() == "invalid_argument");
    return e.what();
  }
  return "<no error>";
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ",") + s;
  return out;
}

}  // namespace

TEST_CASE("defaults apply when only the knowledge base is given") {
  const ServerConfig c = load_server_config({"--kb", "/srv/kb"}, {});
  CHECK(c.kb_dir == "/srv/kb");
  CHECK(c.host == "127.0.0.1");
  CHECK(c.port == 8080);
  CHECK(c.threads == 64);
  CHECK(c.search.concurrency == 0);  // one per core, at least two
  CHECK(c.access_log);
  CHECK(c.agent_token == "");
  CHECK(c.editor_token == "");
  CHECK(join(c.search.default_languages) == "en");
}

TEST_CASE("settings are read from the YAML file given by --config") {
  kb::test::TempDir dir;
  const auto path = dir.write("kb-server.yaml",
                              "kb: /srv/kb\n"
                              "host: 0.0.0.0\n"
                              "port: 9001\n"
                              "threads: 8\n"
                              "access_log: false\n"
                              "max_per_page: 20\n"
                              "search_common_words_limit: 2000\n"
                              "search_concurrency: 3\n"
                              "search_queue: 50\n"
                              "search_queue_timeout_ms: 500\n"
                              "article_url_template: \"/help/{lang}/{id}\"\n"
                              "agent_token: s3cret\n"
                              "default_languages:\n"
                              "  - de_CH\n"
                              "  - EN\n");
  const ServerConfig c = load_server_config({"--config", path.string()}, {});
  CHECK(c.kb_dir == "/srv/kb");
  CHECK(c.host == "0.0.0.0");
  CHECK(c.port == 9001);
  CHECK(c.threads == 8);
  CHECK_FALSE(c.access_log);
  CHECK(c.search.max_per_page == 20);
  CHECK(c.search.common_words_limit == 2000);
  CHECK(c.search.concurrency == 3);
  CHECK(c.search.max_waiting == 50);
  CHECK(c.search.max_wait_ms == 500);
  CHECK(c.search.url_template == "/help/{lang}/{id}");
  CHECK(c.agent_token == "s3cret");
  CHECK(join(c.search.default_languages) == "de-ch,en");
}

TEST_CASE("the YAML file may also be named by KB_CONFIG, and --config wins over it") {
  kb::test::TempDir dir;
  const auto from_env = dir.write("env.yaml", "kb: /from/env-file\nport: 9100\n");
  const auto from_flag = dir.write("flag.yaml", "kb: /from/flag-file\nport: 9200\n");
  const ServerConfig by_env = load_server_config({}, {{"KB_CONFIG", from_env.string()}});
  CHECK(by_env.kb_dir == "/from/env-file");
  CHECK(by_env.port == 9100);
  const ServerConfig by_flag =
      load_server_config({"--config", from_flag.string()}, {{"KB_CONFIG", from_env.string()}});
  CHECK(by_flag.kb_dir == "/from/flag-file");
  CHECK(by_flag.port == 9200);
}

TEST_CASE("an empty YAML file changes nothing") {
  kb::test::TempDir dir;
  const auto path = dir.write("empty.yaml", "");
  const ServerConfig c = load_server_config({"--kb", "/srv/kb", "--config", path.string()}, {});
  CHECK(c.port == 8080);
  CHECK(c.host == "127.0.0.1");
}

TEST_CASE("precedence: defaults < YAML < KB_* variables < flags") {
  kb::test::TempDir dir;
  const auto path = dir.write("config.yaml", "kb: /srv/kb\nport: 9001\nhost: 10.0.0.1\n");
  const Args file_only = {"--config", path.string()};
  const Env env = {{"KB_PORT", "9002"}};

  SUBCASE("file over defaults") {
    const ServerConfig c = load_server_config(file_only, {});
    CHECK(c.port == 9001);
    CHECK(c.host == "10.0.0.1");
    CHECK(c.threads == 64);  // not in the file: the default
  }
  SUBCASE("environment over file") {
    const ServerConfig c = load_server_config(file_only, env);
    CHECK(c.port == 9002);
    CHECK(c.host == "10.0.0.1");
  }
  SUBCASE("flag over environment and file") {
    const ServerConfig c = load_server_config({"--config", path.string(), "--port", "9003"}, env);
    CHECK(c.port == 9003);
  }
  SUBCASE("the file comes first whatever the order of the flags") {
    const ServerConfig c = load_server_config({"--port", "9003", "--config", path.string()}, env);
    CHECK(c.port == 9003);
  }
  SUBCASE("flag over environment for the knowledge base") {
    const ServerConfig c = load_server_config({"--kb", "/flag/kb"}, {{"KB_DIR", "/env/kb"}});
    CHECK(c.kb_dir == "/flag/kb");
  }
}

TEST_CASE("KB_* variables set their settings") {
  const Env env = {
      {"KB_DIR", "/env/kb"},           {"KB_HOST", "::1"},
      {"KB_PORT", "0"},                {"KB_THREADS", "4"},
      {"KB_AGENT_TOKEN", "agent-tok"}, {"KB_EDITOR_TOKEN", "editor-tok"},
      {"KB_ACCESS_LOG", "off"},        {"KB_DEFAULT_LANGUAGES", "de,en"},
  };
  const ServerConfig c = load_server_config({}, env);
  CHECK(c.kb_dir == "/env/kb");
  CHECK(c.host == "::1");
  CHECK(c.port == 0);
  CHECK(c.threads == 4);
  CHECK(c.agent_token == "agent-tok");
  CHECK(c.editor_token == "editor-tok");
  CHECK_FALSE(c.access_log);
  CHECK(join(c.search.default_languages) == "de,en");
}

TEST_CASE("default languages are normalised from every source") {
  kb::test::TempDir dir;
  SUBCASE("YAML list") {
    const auto path = dir.write("c.yaml", "default_languages: [de_CH, EN-us]\n");
    CHECK(join(load_server_config({"--kb", "k", "--config", path.string()}, {}).search.default_languages) ==
          "de-ch,en-us");
  }
  SUBCASE("YAML comma-separated scalar") {
    const auto path = dir.write("c.yaml", "default_languages: fr,DE\n");
    CHECK(join(load_server_config({"--kb", "k", "--config", path.string()}, {}).search.default_languages) ==
          "fr,de");
  }
  SUBCASE("environment") {
    CHECK(join(load_server_config({"--kb", "k"}, {{"KB_DEFAULT_LANGUAGES", "DE_ch,en"}})
                   .search.default_languages) == "de-ch,en");
  }
  SUBCASE("flag") {
    CHECK(join(load_server_config({"--kb", "k", "--default-languages", "ja,zh-Hant"}, {})
                   .search.default_languages) == "ja,zh-hant");
  }
}

TEST_CASE("--no-access-log turns the access log off") {
  CHECK(load_server_config({"--kb", "k"}, {}).access_log);
  CHECK_FALSE(load_server_config({"--kb", "k", "--no-access-log"}, {}).access_log);
  CHECK_THROWS_AS(load_server_config({"--kb", "k", "--bogus"}, {}), kb::InvalidArgument);
}

TEST_CASE("errors name the source and the setting") {
  kb::test::TempDir dir;
  struct Case {
    const char* name;
    Args args;
    Env env;
    std::string message;
  };
  const auto unknown = dir.write("unknown.yaml", "kb: /srv/kb\nprot: 9000\n");
  const auto big_port = dir.write("big-port.yaml", "kb: /srv/kb\nport: 70000\n");
  const auto not_map = dir.write("list.yaml", "- kb\n- port\n");
  const auto nested = dir.write("nested.yaml", "host: {name: x}\n");
  const auto bad_lang = dir.write("bad-lang.yaml", "kb: k\ndefault_languages:\n  - en\n  - english\n");
  const auto missing = dir / "does-not-exist.yaml";
  const auto many_workers = dir.write("workers.yaml", "kb: k\nsearch_concurrency: 257\n");
  const Case cases[] = {
      {"more search workers than 256", {"--config", many_workers.string()}, {},
       many_workers.string() + ":2:21: search_concurrency: 257 is out of range [0, 256]"},
      {"unknown setting in YAML", {"--config", unknown.string()}, {},
       unknown.string() + ":2:7: unknown setting 'prot'"},
      {"port out of range in YAML", {"--config", big_port.string()}, {},
       big_port.string() + ":2:7: port: 70000 is out of range [0, 65535]"},
      {"port out of range as a flag", {"--kb", "k", "--port", "70000"}, {},
       "option --port: port: 70000 is out of range [0, 65535]"},
      {"negative port", {"--kb", "k", "--port", "-1"}, {},
       "option --port: port: -1 is out of range [0, 65535]"},
      {"port not a number in the environment", {"--kb", "k"}, {{"KB_PORT", "abc"}},
       "environment KB_PORT: port: 'abc' is not a number"},
      {"port with trailing text", {"--kb", "k", "--port", "80x"}, {},
       "option --port: port: '80x' is not a number"},
      {"empty port", {"--kb", "k", "--port", ""}, {}, "option --port: port: '' is not a number"},
      {"threads zero", {"--kb", "k", "--threads", "0"}, {},
       "option --threads: threads: 0 is out of range [1, 4096]"},
      {"bad boolean", {"--kb", "k"}, {{"KB_ACCESS_LOG", "maybe"}},
       "environment KB_ACCESS_LOG: access_log: 'maybe' is not true or false"},
      {"missing knowledge base", {}, {},
       "no knowledge base given (--kb DIR, KB_DIR or 'kb:' in the config file)"},
      {"unknown flag", {"--kb", "k", "--prot", "9000"}, {}, "unknown option --prot"},
      {"flag without a value", {"--kb", "k", "--port"}, {}, "option --port needs a value"},
      {"bad language tag in the environment", {"--kb", "k"}, {{"KB_DEFAULT_LANGUAGES", "de,xx"}},
       "environment KB_DEFAULT_LANGUAGES: default_languages: 'xx' is not a language tag"},
      {"bad language tag as a flag", {"--kb", "k", "--default-languages", "english"}, {},
       "option --default-languages: default_languages: 'english' is not a language tag"},
      {"bad language tag in YAML", {"--config", bad_lang.string()}, {},
       // The position is that of the list, not of the bad item.
       bad_lang.string() + ":3:3: default_languages: 'english' is not a language tag"},
      {"no default language left", {"--kb", "k"}, {{"KB_DEFAULT_LANGUAGES", ","}},
       "default_languages must name at least one language"},
      {"config file that is not a mapping", {"--kb", "k", "--config", not_map.string()}, {},
       not_map.string() + ": the config file must be a mapping of settings"},
      {"nested value in YAML", {"--kb", "k", "--config", nested.string()}, {},
       nested.string() + ":1:7: host must be a single value"},
      {"missing config file", {"--kb", "k", "--config", missing.string()}, {},
       "cannot read config file " + missing.string()},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    CHECK(error_of(c.args, c.env) == c.message);
  }
}

TEST_CASE("invalid YAML is reported with file:line:column") {
  kb::test::TempDir dir;
  // The second line is indented under a scalar value: yaml-cpp fails at line 2, column 7.
  const auto path = dir.write("broken.yaml", "port: 9000\n  host: x\n");
  const std::string message = error_of({"--kb", "k", "--config", path.string()});
  CAPTURE(message);
  CHECK(message.rfind(path.string() + ":2:7: invalid YAML: ", 0) == 0);
  CHECK(message.find("broken.yaml") != std::string::npos);
}

// Bug: a trailing --config without a file name is silently ignored, while every other
// option that takes a value reports "option ... needs a value".
TEST_CASE("--config without a value is an error") {
  CHECK(error_of({"--kb", "k", "--config"}) == "option --config needs a value");
}

TEST_CASE("events: off without a path; a YAML mapping, KB_EVENTS_* and --events set it") {
  const ServerConfig d = load_server_config({"--kb", "/srv/kb"}, {});
  CHECK(d.events.path.empty());
  CHECK(d.events.enabled);
  CHECK(d.events.retention_days == 90);
  CHECK(d.events.boost);

  kb::test::TempDir dir;
  const auto yaml = dir.write("kb.yaml",
                              "events:\n  path: /var/lib/kb/events.db\n  retention_days: 30\n"
                              "  queue_capacity: 500\n  boost: false\n  boost_refresh_s: 5\n");
  const ServerConfig y = load_server_config({"--kb", "/srv/kb", "--config", yaml.string()}, {});
  CHECK(y.events.path == "/var/lib/kb/events.db");
  CHECK(y.events.retention_days == 30);
  CHECK(y.events.queue_capacity == 500);
  CHECK_FALSE(y.events.boost);
  CHECK(y.events.boost_refresh_s == 5);

  const ServerConfig e = load_server_config({"--kb", "/srv/kb", "--config", yaml.string()},
                                            {{"KB_EVENTS_PATH", "/tmp/e.db"}, {"KB_EVENTS_RETENTION_DAYS", "0"},
                                             {"KB_EVENTS_ENABLED", "false"}});
  CHECK(e.events.path == "/tmp/e.db");
  CHECK(e.events.retention_days == 0);
  CHECK_FALSE(e.events.enabled);
  CHECK(load_server_config({"--kb", "/srv/kb", "--events", "x.db"}, {{"KB_EVENTS_PATH", "/tmp/e.db"}}).events.path ==
        "x.db");

  CHECK(error_of({"--kb", "k"}, {{"KB_EVENTS_RETENTION_DAYS", "-1"}}) ==
        "environment KB_EVENTS_RETENTION_DAYS: events.retention_days: -1 is out of range [0, 36500]");
  const auto bad = dir.write("bad.yaml", "events:\n  colour: red\n");
  CHECK(error_of({"--kb", "k", "--config", bad.string()}) ==
        bad.string() + ":2:11: unknown setting 'events.colour'");
  const auto scalar = dir.write("scalar.yaml", "events: on\n");
  CHECK(error_of({"--kb", "k", "--config", scalar.string()}) ==
        scalar.string() + ":1:9: events must be a mapping (path, retention_days, ...)");
}
