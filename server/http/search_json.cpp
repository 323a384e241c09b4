// The /v1/search response body (search_json.h). The keys go in the order nlohmann's objects
// keep them (sorted), and every value is written as its dump() writes it: strings by
// append_json_string, floating-point numbers by nlohmann itself.
#include "search_json.h"

#include <cmath>

#include <nlohmann/json.hpp>

#include "http_support.h"

namespace kb::server {
namespace {

using json = nlohmann::json;

void append_double(std::string& out, double v) { out += json(v).dump(); }

void append_string_or_null(std::string& out, const std::string& s) {
  if (s.empty()) {
    out += "null";
  } else {
    append_json_string(out, s);
  }
}

}  // namespace

std::string search_response_json(const search::SearchRequest& request, const search::SearchResponse& response,
                                 double took_ms, bool explain) {
  std::string out;
  out.reserve(1024 + response.hits.size() * 768);
  out += "{\"channel\":";
  append_json_string(out, request.channel);
  out += ",\"did_you_mean\":";
  append_string_or_null(out, response.did_you_mean);
  out += ",\"facets\":";
  out += json(response.facets).dump(-1, ' ', false, json::error_handler_t::replace);
  out += ",\"fallback\":";
  out += response.fallback ? "true" : "false";
  out += ",\"index_version\":";
  append_json_string(out, response.index_version);
  out += ",\"lang\":";
  append_string_or_null(out, request.lang);
  out += ",\"page\":" + std::to_string(request.page);
  out += ",\"per_page\":" + std::to_string(request.per_page);
  out += ",\"query\":";
  append_json_string(out, request.query);
  out += ",\"results\":[";
  bool first = true;
  for (const auto& h : response.hits) {
    out += first ? "{" : ",{";
    first = false;
    if (explain) {
      out += "\"explain\":{\"bm25\":";
      append_double(out, h.bm25);
      out += ",\"feedback\":";
      append_double(out, h.feedback);
      out += ",\"score\":";
      append_double(out, h.score);
      out += "},";
    }
    out += "\"id\":";
    append_json_string(out, h.id);
    out += ",\"lang\":";
    append_json_string(out, h.lang);
    out += ",\"percent\":" + std::to_string(h.percent);
    out += ",\"score\":";
    append_double(out, std::round(h.score * 1000) / 1000);
    out += ",\"snippet\":";
    append_json_string(out, h.snippet);
    out += ",\"summary\":";
    append_json_string(out, h.summary);
    out += ",\"title\":";
    append_json_string(out, h.title);
    out += ",\"url\":";
    append_json_string(out, h.url);
    out += "}";
  }
  out += "],\"served_lang\":";
  append_string_or_null(out, response.served_lang);
  out += ",\"took_ms\":";
  append_double(out, std::round(took_ms * 1000) / 1000);
  out += ",\"total\":" + std::to_string(response.total);
  out += "}";
  return out;
}

}  // namespace kb::server
