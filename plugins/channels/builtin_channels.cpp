// The built-in channel list.
#include "builtin_channels.h"

namespace kb::plugins {

std::vector<std::unique_ptr<Channel>> make_builtin_channels() {
  std::vector<std::unique_ptr<Channel>> out;
  out.push_back(make_web_channel());
  out.push_back(make_botframework_channel());
  out.push_back(make_dialogflow_channel());
  out.push_back(make_slack_channel());
  out.push_back(make_voice_channel());
  out.push_back(make_sms_channel());
  out.push_back(make_agent_channel());
  out.push_back(make_json_channel());
  return out;
}

}  // namespace kb::plugins
