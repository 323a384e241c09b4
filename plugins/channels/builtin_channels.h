// The channels compiled into kb-server (docs/channels.md shows each one's output).
#pragma once

#include <memory>
#include <vector>

#include "channel.h"

namespace kb::plugins {

std::unique_ptr<Channel> make_web_channel();
std::unique_ptr<Channel> make_botframework_channel();
std::unique_ptr<Channel> make_dialogflow_channel();
std::unique_ptr<Channel> make_slack_channel();
std::unique_ptr<Channel> make_voice_channel();
std::unique_ptr<Channel> make_sms_channel();
std::unique_ptr<Channel> make_agent_channel();
std::unique_ptr<Channel> make_json_channel();

// All of the above, in the product's display order.
std::vector<std::unique_ptr<Channel>> make_builtin_channels();

}  // namespace kb::plugins
