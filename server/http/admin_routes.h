// Editor endpoints: POST /v1/admin/reindex, GET /v1/admin/jobs/{id}, GET /v1/admin/index
// (docs/http-api.md, docs/editors.md). Part of the HTTP layer.
#pragma once

#include "http_support.h"
#include "server_config.h"

namespace kb::search {
class KnowledgeBase;
}

namespace kb::server {

// Registers the routes on `routes`. Every route needs "Authorization: Bearer <editor_token>"
// (401 without a token, 403 with a wrong one or when editor_token is not set). Reindex jobs
// run one at a time on a worker thread owned by the routes, building config.content_dir into
// config.kb_dir with the indexer library (incremental; a failed build publishes nothing).
// The worker is joined when the server (which owns the handlers) is destroyed. `config` and
// `kb` must outlive the server.
void install_admin_routes(RouteTable& routes, const ServerConfig& config, search::KnowledgeBase& kb);

}  // namespace kb::server
