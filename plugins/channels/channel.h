// The Channel interface every renderer implements, and the C entry points of channel plugins.
#pragma once

#include <string>

#include "answer.h"

namespace kb::plugins {

// What a channel produces: the HTTP body and its media type.
struct Rendered {
  std::string content_type;
  std::string body;
};

// Request-specific facts a renderer may need besides the answer.
struct RenderContext {
  std::string short_url;  // short link to the answer for size-limited channels ("" if none)
};

// One touchpoint's format. Implementations must be stateless after construction: render()
// and render_no_answer() are called from many threads at once. They must not throw for any
// content (any valid UTF-8 in any field, empty fields, huge fields) and must keep the
// channel's own size limits.
class Channel {
 public:
  virtual ~Channel() = default;

  // The `channel=` value that selects this channel: lowercase letters, digits, '-' and '_'.
  virtual std::string name() const = 0;

  // The built-in channel whose visibility rules apply (which articles it may show). A
  // plugin channel names one of the built-in public channels, usually "web".
  virtual std::string visibility() const { return name(); }

  // Answers below this confidence (0..1) become a no-answer; the configuration may override
  // it per channel.
  virtual double default_threshold() const = 0;

  // Whether Answer::internal_notes may be filled for this channel. Only the built-in
  // `agent` channel may see internal notes; the registry refuses plugins that ask for it.
  virtual bool shows_internal_notes() const { return false; }

  // The answer in this channel's format. Every rendering carries the article id, language,
  // version and confidence in the channel's own metadata slot.
  virtual Rendered render(const Answer& answer, const RenderContext& context) const = 0;

  // The explicit no-answer in this channel's format.
  virtual Rendered render_no_answer(const NoAnswer& no_answer, const RenderContext& context) const = 0;
};

}  // namespace kb::plugins

// The plugin ABI. A channel plugin is a shared library (built with the same compiler and
// C++ standard library as kb-server) that exports both functions with C linkage:
//
//   extern "C" int kb_channel_abi_version();           // must return KB_CHANNEL_ABI_VERSION
//   extern "C" kb::plugins::Channel* kb_create_channel();  // new-allocated; kb-server owns it
//
// KB_CHANNEL_ABI_VERSION changes whenever Answer, NoAnswer, RenderContext, Rendered or
// Channel change layout; kb-server refuses libraries built against another version.
#define KB_CHANNEL_ABI_VERSION 1

// Defines both entry points for a Channel subclass with a default constructor.
#define KB_CHANNEL_PLUGIN(ChannelClass)                                            \
  extern "C" __attribute__((visibility("default"))) int kb_channel_abi_version() { \
    return KB_CHANNEL_ABI_VERSION;                                                 \
  }                                                                                \
  extern "C" __attribute__((visibility("default"))) kb::plugins::Channel*          \
  kb_create_channel() {                                                            \
    return new ChannelClass();                                                     \
  }
