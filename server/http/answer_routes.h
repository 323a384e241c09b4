// Routes that answer in a channel's own format: /v1/answer, /v1/articles/{id} and the
// short links /a/{lang}/{id} (docs/http-api.md, docs/channels.md). Part of the HTTP layer.
#pragma once

#include "http_support.h"
#include "server_config.h"

namespace kb::search {
class KnowledgeBase;
}
namespace kb::plugins {
class ChannelRegistry;
}

namespace kb::server {

// Registers the routes on `routes`. `config`, `kb` and `channels` must outlive the server;
// the handlers only call their thread-safe (const) members.
void install_answer_routes(RouteTable& routes, const ServerConfig& config, search::KnowledgeBase& kb,
                           const plugins::ChannelRegistry& channels);

}  // namespace kb::server
