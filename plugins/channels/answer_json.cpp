// Field names of the canonical answer; docs/channels.md shows the same shape.
#include "answer_json.h"

#include "text.h"

namespace kb::plugins {

using json = nlohmann::json;

json answer_to_json(const Answer& a, bool with_internal_notes) {
  json related = json::array();
  for (const auto& r : a.related) related.push_back({{"id", r.id}, {"title", r.title}, {"url", r.url}});
  json out = {{"kind", "answer"},
              {"id", a.id},
              {"lang", a.lang},
              {"version", a.version},
              {"title", a.title},
              {"short_answer", a.short_answer},
              {"steps", a.steps},
              {"body_markdown", a.body_markdown},
              {"url", a.url},
              {"related", std::move(related)},
              {"follow_ups", a.follow_ups},
              {"updated", a.updated.empty() ? json(nullptr) : json(a.updated)},
              {"source", a.source},
              {"confidence", confidence_value(a.confidence)},
              {"query", a.query}};
  if (with_internal_notes) out["internal_notes"] = a.internal_notes;
  return out;
}

json no_answer_to_json(const NoAnswer& n) {
  json candidates = json::array();
  for (const auto& c : n.candidates) {
    candidates.push_back({{"id", c.id},
                          {"lang", c.lang},
                          {"title", c.title},
                          {"url", c.url},
                          {"confidence", confidence_value(c.confidence)}});
  }
  return {{"kind", "no_answer"},
          {"query", n.query},
          {"lang", n.lang},
          {"reason", n.reason},
          {"confidence", confidence_value(n.confidence)},
          {"threshold", confidence_value(n.threshold)},
          {"candidates", std::move(candidates)},
          {"clarifying_prompts", n.clarifying_prompts},
          {"handoff", {{"channel", n.handoff.channel}, {"message", n.handoff.message}}}};
}

json answer_metadata(const Answer& a) {
  return {{"answered", true},
          {"article", a.id},
          {"lang", a.lang},
          {"version", a.version},
          {"confidence", confidence_value(a.confidence)}};
}

json no_answer_metadata(const NoAnswer& n) {
  return {{"answered", false},
          {"reason", n.reason},
          {"lang", n.lang},
          {"confidence", confidence_value(n.confidence)},
          {"handoff", n.handoff.channel}};
}

std::string dump_json(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace kb::plugins
