// The channel settings of kb-server's configuration: channel_plugins, channel_thresholds and
// public_base_url from YAML and the environment, and their errors.
#include <doctest/doctest.h>

#include <map>
#include <string>
#include <vector>

#include "errors.h"
#include "server_config.h"
#include "temp_dir.h"

namespace {

using kb::server::load_server_config;
using Env = std::map<std::string, std::string>;

std::string error_of(const std::vector<std::string>& args, const Env& env = {}) {
  try {
    load_server_config(args, env);
  } catch (const kb::InvalidArgument& e) {
    return e.what();
  }
  return "<no error>";
}

}  // namespace

TEST_CASE("channel settings default to none") {
  const auto c = load_server_config({"--kb", "/srv/kb"}, {});
  CHECK(c.channel_plugins.empty());
  CHECK(c.channel_thresholds.empty());
  CHECK(c.public_base_url.empty());
}

TEST_CASE("channel settings from YAML: a list, a mapping and a base URL") {
  kb::test::TempDir dir;
  const auto file = dir.write("kb.yaml",
                              "channel_plugins:\n  - /opt/a.so\n  - /opt/b.so\n"
                              "channel_thresholds:\n  sms: 0.7\n  voice: 1\n"
                              "public_base_url: https://help.example.test/\n");
  const auto c = load_server_config({"--kb", "/srv/kb", "--config", file.string()}, {});
  CHECK(c.channel_plugins == std::vector<std::string>{"/opt/a.so", "/opt/b.so"});
  CHECK(c.channel_thresholds == std::map<std::string, double>{{"sms", 0.7}, {"voice", 1.0}});
  CHECK(c.public_base_url == "https://help.example.test");

  const auto scalar = dir.write("scalar.yaml", "channel_plugins: /opt/a.so, /opt/b.so\n");
  CHECK(load_server_config({"--kb", "/srv/kb", "--config", scalar.string()}, {}).channel_plugins ==
        std::vector<std::string>{"/opt/a.so", "/opt/b.so"});
}

TEST_CASE("channel settings from the environment override the file") {
  kb::test::TempDir dir;
  const auto file = dir.write("kb.yaml", "channel_thresholds:\n  sms: 0.7\n");
  const auto c = load_server_config({"--kb", "/srv/kb", "--config", file.string()},
                                    {{"KB_CHANNEL_THRESHOLDS", "voice=0.8, web = 0"},
                                     {"KB_CHANNEL_PLUGINS", "/opt/x.so"},
                                     {"KB_PUBLIC_BASE_URL", "http://kb.internal:8080"}});
  CHECK(c.channel_thresholds == std::map<std::string, double>{{"voice", 0.8}, {"web", 0.0}});
  CHECK(c.channel_plugins == std::vector<std::string>{"/opt/x.so"});
  CHECK(c.public_base_url == "http://kb.internal:8080");
}

TEST_CASE("bad channel settings name their source") {
  const std::vector<std::string> kb = {"--kb", "/srv/kb"};
  CHECK(error_of(kb, {{"KB_CHANNEL_THRESHOLDS", "sms=1.5"}}) ==
        "environment KB_CHANNEL_THRESHOLDS: channel_thresholds (sms): 1.5 is out of range [0, 1]");
  CHECK(error_of(kb, {{"KB_CHANNEL_THRESHOLDS", "sms=high"}}) ==
        "environment KB_CHANNEL_THRESHOLDS: channel_thresholds (sms): 'high' is not a number");
  CHECK(error_of(kb, {{"KB_CHANNEL_THRESHOLDS", "sms"}}) ==
        "environment KB_CHANNEL_THRESHOLDS: channel_thresholds: 'sms' is not channel=threshold");
  CHECK(error_of(kb, {{"KB_PUBLIC_BASE_URL", "help.example.test"}}) ==
        "environment KB_PUBLIC_BASE_URL: public_base_url: 'help.example.test' must start with https:// or http://");
  CHECK(error_of(kb, {{"KB_PUBLIC_BASE_URL", "https://help.example.test/?x=1"}}) ==
        "environment KB_PUBLIC_BASE_URL: public_base_url: 'https://help.example.test/?x=1' must be a bare base "
        "URL (no spaces, query or fragment)");
  kb::test::TempDir dir;
  const auto file = dir.write("kb.yaml", "channel_thresholds:\n  sms: [1]\n");
  CHECK(error_of({"--kb", "/srv/kb", "--config", file.string()}) ==
        file.string() + ":2:8: channel_thresholds: sms must be a number");
  const auto range = dir.write("range.yaml", "channel_thresholds:\n  web: 0.2\n  voice: 2\n");
  CHECK(error_of({"--kb", "/srv/kb", "--config", range.string()}) ==
        range.string() + ":3:10: channel_thresholds: voice: 2 is out of range [0, 1]");
}
