// The body of a /v1/search response, written straight into a string: byte for byte what
// nlohmann::json would write for the same response (keys in order, the same escapes and
// numbers), without building a JSON value of every hit first.
#pragma once

#include <string>

#include "search_types.h"

namespace kb::server {

// `took_ms` as measured by the handler; `explain` adds each hit's bm25, feedback and score.
std::string search_response_json(const search::SearchRequest& request, const search::SearchResponse& response,
                                 double took_ms, bool explain);

}  // namespace kb::server
