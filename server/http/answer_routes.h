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
namespace kb::events {
class EventStore;
}

namespace kb::server {

// Registers the routes on `routes`. `config`, `kb`, `channels` and `events` must outlive the
// server; the handlers only call their thread-safe members. With an event store (may be
// null) answers and views are recorded, the agent channel shows the session's journey and
// other channels do not serve again an item the session rated unhelpful.
void install_answer_routes(RouteTable& routes, const ServerConfig& config, search::KnowledgeBase& kb,
                           const plugins::ChannelRegistry& channels, events::EventStore* events);

}  // namespace kb::server
