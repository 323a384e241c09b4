// Feedback, client events, journeys and analytics over HTTP: POST /v1/feedback,
// POST /v1/events, GET /v1/sessions/{id}, GET /v1/admin/analytics (docs/http-api.md,
// docs/analytics.md). Part of the HTTP layer.
#pragma once

#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "event.h"
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

// Registers the routes. `store` may be null (events off): the routes then answer 503
// events_disabled. With a store and config.events.boost, a thread owned by the routes
// publishes the feedback boost to kb.feedback() at start and every boost_refresh_s; it is
// joined when the server (which owns the handlers) is destroyed. `config`, `kb`, `channels`
// and `store` must outlive the server.
void install_event_routes(RouteTable& routes, const ServerConfig& config, search::KnowledgeBase& kb,
                          const plugins::ChannelRegistry& channels, events::EventStore* store);

// A session's journey: {"session", "steps": [...in time order], "seen": [items answered,
// viewed or clicked, with the latest rating]}. `include_suggest` keeps as-you-type lists.
nlohmann::json journey_json(const std::string& session, const std::vector<events::Event>& steps,
                            bool include_suggest = true);

// The items whose latest rating in the steps is unhelpful.
std::set<std::string> unhelpful_items(const std::vector<events::Event>& steps);

// Milliseconds since 1970 as "2024-05-01T12:00:00.000Z".
std::string iso_time_ms(std::int64_t ms);

}  // namespace kb::server
