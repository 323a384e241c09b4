// The channels kb-server can answer on: the built-in ones and plugins loaded at start-up.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "channel.h"

namespace kb::plugins {

// Holds every channel and its confidence threshold. Filled at start-up (not thread-safe
// while loading or setting thresholds); after that, the const member functions may be
// called from any number of threads.
class ChannelRegistry {
 public:
  // The built-in channels (builtin_channels.h) with their default thresholds.
  ChannelRegistry();
  ~ChannelRegistry();
  ChannelRegistry(ChannelRegistry&&) noexcept;
  ChannelRegistry& operator=(ChannelRegistry&&) noexcept;
  ChannelRegistry(const ChannelRegistry&) = delete;
  ChannelRegistry& operator=(const ChannelRegistry&) = delete;

  // Loads a channel plugin (a shared library with the entry points described in channel.h)
  // and returns its channel. Throws kb::RuntimeError with code "channel_plugin" and a
  // message naming the library when it cannot be loaded, lacks an entry point, was built
  // for another ABI version, or its channel is invalid: a bad or taken name, a threshold
  // outside 0..1, a visibility other than a built-in public channel, or asking for
  // internal notes.
  const Channel& load_plugin(const std::filesystem::path& library);

  // Overrides a channel's threshold. Throws kb::InvalidArgument (code invalid_argument) for
  // an unknown channel or a value outside 0..1.
  void set_threshold(std::string_view channel, double threshold);

  // The channel called `name`, or nullptr.
  const Channel* find(std::string_view name) const;

  // The channel's threshold (its default unless overridden). Throws kb::InvalidArgument
  // for an unknown channel.
  double threshold(std::string_view channel) const;

  // True for the channels compiled into kb-server.
  bool is_builtin(std::string_view name) const;

  // Every channel name: built-ins in display order, then plugins in load order.
  std::vector<std::string> names() const;

 private:
  struct Entry;
  Entry* entry(std::string_view name) const;
  std::vector<std::unique_ptr<Entry>> entries_;
};

// A registry with the built-in channels, the plugins in `plugin_paths` (in order) and the
// threshold overrides; throws like load_plugin and set_threshold.
ChannelRegistry make_channel_registry(const std::vector<std::string>& plugin_paths,
                                      const std::map<std::string, double>& thresholds);

}  // namespace kb::plugins
