// Built-in channels and dlopen-ed plugins behind one lookup.
#include "channel_registry.h"

#include <dlfcn.h>

#include <algorithm>

#include "builtin_channels.h"
#include "errors.h"

namespace kb::plugins {
namespace {

using AbiVersionFn = int (*)();
using CreateChannelFn = Channel* (*)();

RuntimeError plugin_error(const std::filesystem::path& library, const std::string& message) {
  return RuntimeError("channel_plugin", "channel plugin " + library.string() + ": " + message);
}

bool valid_name(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

// A plugin's function may throw anything; what it throws must not escape as something
// else than the registry's own error.
template <class F>
auto call_plugin(const std::filesystem::path& library, const char* what, F&& f) {
  try {
    return f();
  } catch (const std::exception& e) {
    throw plugin_error(library, std::string(what) + " threw: " + e.what());
  } catch (...) {
    throw plugin_error(library, std::string(what) + " threw an exception");
  }
}

}  // namespace

struct ChannelRegistry::Entry {
  // Declared first so that it is destroyed last: the channel's code lives in the library.
  std::shared_ptr<void> library;
  std::unique_ptr<Channel> channel;
  std::string name;
  double threshold = 0;
  bool builtin = false;
};

ChannelRegistry::ChannelRegistry() {
  for (auto& c : make_builtin_channels()) {
    auto e = std::make_unique<Entry>();
    e->name = c->name();
    e->threshold = c->default_threshold();
    e->builtin = true;
    e->channel = std::move(c);
    entries_.push_back(std::move(e));
  }
}

ChannelRegistry::~ChannelRegistry() = default;
ChannelRegistry::ChannelRegistry(ChannelRegistry&&) noexcept = default;
ChannelRegistry& ChannelRegistry::operator=(ChannelRegistry&&) noexcept = default;

ChannelRegistry::Entry* ChannelRegistry::entry(std::string_view name) const {
  for (const auto& e : entries_) {
    if (e->name == name) return e.get();
  }
  return nullptr;
}

const Channel& ChannelRegistry::load_plugin(const std::filesystem::path& library) {
  // RTLD_LOCAL: two plugins may define the same symbols without seeing each other's.
  void* raw = ::dlopen(library.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!raw) {
    const char* err = ::dlerror();
    throw plugin_error(library, std::string("cannot be loaded: ") + (err ? err : "unknown error"));
  }
  std::shared_ptr<void> handle(raw, [](void* h) { ::dlclose(h); });

  auto abi = reinterpret_cast<AbiVersionFn>(::dlsym(raw, "kb_channel_abi_version"));
  auto create = reinterpret_cast<CreateChannelFn>(::dlsym(raw, "kb_create_channel"));
  if (!abi || !create) {
    throw plugin_error(library, std::string("is not a kb channel plugin: it does not export ") +
                                    (!abi ? "kb_channel_abi_version" : "kb_create_channel"));
  }
  const int version = call_plugin(library, "kb_channel_abi_version()", [&] { return abi(); });
  if (version != KB_CHANNEL_ABI_VERSION) {
    throw plugin_error(library, "was built for channel ABI version " + std::to_string(version) +
                                    ", but this kb-server has version " +
                                    std::to_string(KB_CHANNEL_ABI_VERSION) +
                                    " (rebuild it against this kb-server's plugins/channels headers)");
  }
  std::unique_ptr<Channel> channel(call_plugin(library, "kb_create_channel()", [&] { return create(); }));
  if (!channel) throw plugin_error(library, "kb_create_channel() returned no channel");

  auto e = std::make_unique<Entry>();
  e->name = call_plugin(library, "name()", [&] { return channel->name(); });
  const std::string visibility = call_plugin(library, "visibility()", [&] { return channel->visibility(); });
  e->threshold = call_plugin(library, "default_threshold()", [&] { return channel->default_threshold(); });
  const bool notes = call_plugin(library, "shows_internal_notes()", [&] { return channel->shows_internal_notes(); });

  if (!valid_name(e->name)) {
    throw plugin_error(library, "channel name '" + e->name +
                                    "' is not 1 to 64 of lowercase letters, digits, '-' and '_'");
  }
  if (entry(e->name)) throw plugin_error(library, "channel '" + e->name + "' is already defined");
  const Entry* vis = entry(visibility);
  if (!vis || !vis->builtin || vis->channel->shows_internal_notes()) {
    throw plugin_error(library, "channel '" + e->name + "' has visibility '" + visibility +
                                    "'; it must name a built-in public channel such as 'web'");
  }
  if (notes) {
    throw plugin_error(library, "channel '" + e->name +
                                    "' asks for internal notes; only the built-in agent channel may see them");
  }
  if (!(e->threshold >= 0 && e->threshold <= 1)) {
    throw plugin_error(library, "channel '" + e->name + "' has a default threshold outside 0..1");
  }
  e->channel = std::move(channel);
  e->library = std::move(handle);
  entries_.push_back(std::move(e));
  return *entries_.back()->channel;
}

void ChannelRegistry::set_threshold(std::string_view channel, double threshold) {
  Entry* e = entry(channel);
  if (!e) throw InvalidArgument("threshold for unknown channel '" + std::string(channel) + "'");
  if (!(threshold >= 0 && threshold <= 1)) {
    throw InvalidArgument("threshold of channel '" + std::string(channel) + "' must be between 0 and 1");
  }
  e->threshold = threshold;
}

const Channel* ChannelRegistry::find(std::string_view name) const {
  const Entry* e = entry(name);
  return e ? e->channel.get() : nullptr;
}

double ChannelRegistry::threshold(std::string_view channel) const {
  const Entry* e = entry(channel);
  if (!e) throw InvalidArgument("unknown channel '" + std::string(channel) + "'");
  return e->threshold;
}

bool ChannelRegistry::is_builtin(std::string_view name) const {
  const Entry* e = entry(name);
  return e && e->builtin;
}

std::vector<std::string> ChannelRegistry::names() const {
  std::vector<std::string> out;
  for (const auto& e : entries_) out.push_back(e->name);
  return out;
}

ChannelRegistry make_channel_registry(const std::vector<std::string>& plugin_paths,
                                      const std::map<std::string, double>& thresholds) {
  ChannelRegistry registry;
  for (const auto& p : plugin_paths) registry.load_plugin(p);
  for (const auto& [name, value] : thresholds) registry.set_threshold(name, value);
  return registry;
}

}  // namespace kb::plugins
