// The channel registry: built-ins, thresholds, and third-party plugins loaded with dlopen
// (the plugin libraries are built by tests/CMakeLists.txt from tests/plugins/).
#include <doctest/doctest.h>

#include <string>

#include "channel_registry.h"
#include "errors.h"
#include "temp_dir.h"

using kb::plugins::ChannelRegistry;

namespace {

// The error's code and message, for exact checks.
std::pair<std::string, std::string> load_error(ChannelRegistry& r, const std::string& path) {
  try {
    r.load_plugin(path);
  } catch (const kb::RuntimeError& e) {
    return {e.code(), e.what()};
  }
  return {"", "no error"};
}

kb::plugins::Answer echo_answer() {
  kb::plugins::Answer a;
  a.id = "reset-password";
  a.lang = "en";
  a.version = "v1";
  a.title = "Reset";
  return a;
}

}  // namespace

TEST_CASE("the registry starts with the built-in channels and their thresholds") {
  const ChannelRegistry r;
  CHECK(r.names() == std::vector<std::string>{"web", "botframework", "dialogflow", "slack", "voice", "sms", "agent", "json"});
  CHECK(r.threshold("web") == 0.35);
  CHECK(r.threshold("botframework") == 0.45);
  CHECK(r.threshold("dialogflow") == 0.45);
  CHECK(r.threshold("slack") == 0.4);
  CHECK(r.threshold("voice") == 0.6);
  CHECK(r.threshold("sms") == 0.55);
  CHECK(r.threshold("agent") == 0.2);
  CHECK(r.threshold("json") == 0.35);
  CHECK(r.find("fax") == nullptr);
  CHECK(r.is_builtin("sms"));
  CHECK_THROWS_WITH_AS(r.threshold("fax"), "unknown channel 'fax'", kb::InvalidArgument);
}

TEST_CASE("thresholds can be overridden within 0..1 for known channels") {
  ChannelRegistry r;
  r.set_threshold("sms", 0.7);
  CHECK(r.threshold("sms") == 0.7);
  CHECK_THROWS_WITH_AS(r.set_threshold("sms", 1.5), "threshold of channel 'sms' must be between 0 and 1",
                       kb::InvalidArgument);
  CHECK_THROWS_WITH_AS(r.set_threshold("fax", 0.5), "threshold for unknown channel 'fax'", kb::InvalidArgument);
  const auto made = kb::plugins::make_channel_registry({}, {{"voice", 0.9}, {"web", 0}});
  CHECK(made.threshold("voice") == 0.9);
  CHECK(made.threshold("web") == 0);
}

TEST_CASE("a third-party channel plugin is loaded and renders") {
  ChannelRegistry r;
  const auto& c = r.load_plugin(KB_TEST_CHANNEL_GOOD);
  CHECK(c.name() == "test-echo");
  CHECK(r.find("test-echo") == &c);
  CHECK_FALSE(r.is_builtin("test-echo"));
  CHECK(r.threshold("test-echo") == 0.25);
  CHECK(c.visibility() == "web");
  CHECK(r.names().back() == "test-echo");
  const auto out = c.render(echo_answer(), {});
  CHECK(out.content_type == "text/plain; charset=utf-8");
  CHECK(out.body == "echo reset-password en v1 [Reset]");
  r.set_threshold("test-echo", 0.5);
  CHECK(r.threshold("test-echo") == 0.5);
  // Loading it twice would define the channel twice.
  const auto [code, message] = load_error(r, KB_TEST_CHANNEL_GOOD);
  CHECK(code == "channel_plugin");
  CHECK(message == "channel plugin " + std::string(KB_TEST_CHANNEL_GOOD) + ": channel 'test-echo' is already defined");
}

TEST_CASE("a plugin built for another ABI version is refused with a clear error") {
  ChannelRegistry r;
  const auto [code, message] = load_error(r, KB_TEST_CHANNEL_WRONG_ABI);
  CHECK(code == "channel_plugin");
  CHECK(message == "channel plugin " + std::string(KB_TEST_CHANNEL_WRONG_ABI) +
                       ": was built for channel ABI version 99, but this kb-server has version 1 (rebuild it "
                       "against this kb-server's plugins/channels headers)");
  CHECK(r.find("test-echo") == nullptr);
  CHECK(r.names().size() == 8);
}

TEST_CASE("plugins that ask for internal notes, lack entry points or are not libraries are refused") {
  ChannelRegistry r;
  auto [code, message] = load_error(r, KB_TEST_CHANNEL_WANTS_NOTES);
  CHECK(code == "channel_plugin");
  CHECK(message == "channel plugin " + std::string(KB_TEST_CHANNEL_WANTS_NOTES) +
                       ": channel 'test-echo' asks for internal notes; only the built-in agent channel may see them");

  std::tie(code, message) = load_error(r, KB_TEST_CHANNEL_NO_ENTRY);
  CHECK(message == "channel plugin " + std::string(KB_TEST_CHANNEL_NO_ENTRY) +
                       ": is not a kb channel plugin: it does not export kb_channel_abi_version");

  kb::test::TempDir dir;
  const auto text = dir.write("not-a-library.so", "just text\n");
  std::tie(code, message) = load_error(r, text.string());
  CHECK(code == "channel_plugin");
  CHECK(message.rfind("channel plugin " + text.string() + ": cannot be loaded: ", 0) == 0);

  std::tie(code, message) = load_error(r, (dir / "missing.so").string());
  CHECK(message.rfind("channel plugin " + (dir / "missing.so").string() + ": cannot be loaded: ", 0) == 0);
  CHECK(message.find("No such file") != std::string::npos);
  CHECK(r.names().size() == 8);
}
