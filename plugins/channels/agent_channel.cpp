// agent: everything an agent needs, internal notes included, and a reply to send as is.
#include <string>

#include "answer_json.h"
#include "builtin_channels.h"
#include "labels.h"
#include "text.h"

namespace kb::plugins {
namespace {

using json = nlohmann::json;

// The customer-facing reply: public content only, never the internal notes.
std::string ready_reply(const Answer& a) {
  const Labels& l = labels_for(a.lang);
  std::string reply = collapse_whitespace(a.short_answer);
  if (!a.steps.empty()) {
    reply += "\n";
    for (std::size_t i = 0; i < a.steps.size(); ++i) {
      reply += "\n" + std::to_string(i + 1) + ". " + collapse_whitespace(a.steps[i]);
    }
  }
  if (!a.url.empty()) reply += "\n\n" + std::string(l.more) + ": " + a.url;
  return reply;
}

class AgentChannel final : public Channel {
 public:
  std::string name() const override { return "agent"; }
  // Agents judge for themselves: show them weaker matches too.
  double default_threshold() const override { return 0.2; }
  bool shows_internal_notes() const override { return true; }

  Rendered render(const Answer& a, const RenderContext&) const override {
    json body = answer_to_json(a, true);
    body["reply"] = ready_reply(a);
    return {"application/json; charset=utf-8", dump_json(body)};
  }

  Rendered render_no_answer(const NoAnswer& n, const RenderContext&) const override {
    return {"application/json; charset=utf-8", dump_json(no_answer_to_json(n))};
  }
};

}  // namespace

std::unique_ptr<Channel> make_agent_channel() { return std::make_unique<AgentChannel>(); }

}  // namespace kb::plugins
