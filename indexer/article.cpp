// Channel names and the visibility rule shared by the indexer and the server.
#include "article.h"

#include <algorithm>

namespace kb {

const std::vector<std::string>& known_channels() {
  static const std::vector<std::string> channels = {"web",   "botframework", "dialogflow", "slack",
                                                    "voice", "sms",          "agent",      "json"};
  return channels;
}

bool is_known_channel(const std::string& name) {
  const auto& all = known_channels();
  return std::find(all.begin(), all.end(), name) != all.end();
}

bool visible_on_channel(const Article& article, const std::string& channel) {
  if (channel == "agent") return true;
  if (article.audience == Audience::Internal) return false;
  if (article.channels.empty()) return true;
  return std::find(article.channels.begin(), article.channels.end(), channel) !=
         article.channels.end();
}

}  // namespace kb
