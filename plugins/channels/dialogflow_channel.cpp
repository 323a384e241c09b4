// dialogflow: a Dialogflow CX webhook response (WebhookResponse).
#include <set>
#include <string>

#include "answer_json.h"
#include "builtin_channels.h"
#include "labels.h"
#include "speech.h"
#include "text.h"

namespace kb::plugins {
namespace {

using json = nlohmann::json;

constexpr std::size_t kMaxChips = 6;

json text_message(const std::string& text) { return {{"text", {{"text", json::array({text})}}}}; }

json chips(const std::vector<std::string>& prompts) {
  json options = json::array();
  std::set<std::string> seen;
  for (const auto& p : prompts) {
    const std::string t = collapse_whitespace(p);
    if (t.empty() || !seen.insert(t).second) continue;
    if (options.size() == kMaxChips) break;
    options.push_back({{"text", t}});
  }
  return {{"type", "chips"}, {"options", std::move(options)}};
}

// Session parameters are flat: Dialogflow conditions read them as $session.params.kb_article.
json session_parameters(const json& meta) {
  json p = json::object();
  for (const auto& [k, v] : meta.items()) p["kb_" + k] = v;
  return p;
}

class DialogflowChannel final : public Channel {
 public:
  std::string name() const override { return "dialogflow"; }
  double default_threshold() const override { return 0.45; }

  Rendered render(const Answer& a, const RenderContext&) const override {
    const Labels& l = labels_for(a.lang);
    json messages = json::array({text_message(collapse_whitespace(a.short_answer))});
    if (!a.steps.empty()) {
      std::string steps;
      for (std::size_t i = 0; i < a.steps.size(); ++i) {
        steps += (i ? "\n" : "") + std::to_string(i + 1) + ". " + collapse_whitespace(a.steps[i]);
      }
      messages.push_back(text_message(steps));
    }
    messages.push_back({{"outputAudioText", {{"ssml", ssml_document(speakable_text(a.short_answer), a.lang)}}}});

    json info = {{"type", "info"},
                 {"title", collapse_whitespace(a.title)},
                 {"subtitle", collapse_whitespace(a.short_answer)}};
    if (is_absolute_url(a.url)) info["actionLink"] = a.url;
    json rich = json::array({std::move(info)});
    if (!a.related.empty()) {
      json items = json::array();
      for (const auto& r : a.related) {
        json item = {{"type", "list"}, {"title", collapse_whitespace(r.title)}};
        items.push_back(std::move(item));
      }
      rich.push_back({{"type", "description"}, {"title", l.related}});
      for (auto& item : items) rich.push_back(std::move(item));
    }
    std::vector<std::string> prompts = a.follow_ups;
    for (const auto& r : a.related) prompts.push_back(r.title);
    rich.push_back(chips(prompts));
    messages.push_back({{"payload", {{"richContent", json::array({std::move(rich)})}}}});

    const json meta = answer_metadata(a);
    json response = {{"fulfillmentResponse", {{"messages", std::move(messages)}, {"mergeBehavior", "REPLACE"}}},
                     {"sessionInfo", {{"parameters", session_parameters(meta)}}},
                     {"payload", {{"kb", meta}}}};
    return {"application/json; charset=utf-8", dump_json(response)};
  }

  Rendered render_no_answer(const NoAnswer& n, const RenderContext&) const override {
    const Labels& l = labels_for(n.lang);
    std::string text = l.no_answer;
    if (!n.candidates.empty()) {
      text += std::string(" ") + l.did_you_mean;
      for (const auto& c : n.candidates) text += "\n- " + collapse_whitespace(c.title);
    } else {
      for (const auto& p : n.clarifying_prompts) text += " " + collapse_whitespace(p);
    }
    json messages = json::array({text_message(text), text_message(collapse_whitespace(n.handoff.message))});
    std::vector<std::string> prompts;
    for (const auto& c : n.candidates) prompts.push_back(c.title);
    if (prompts.size() >= kMaxChips) prompts.resize(kMaxChips - 1);
    prompts.push_back(l.handoff);
    messages.push_back({{"payload", {{"richContent", json::array({json::array({chips(prompts)})})}}}});

    json meta = no_answer_metadata(n);
    json ids = json::array();
    for (const auto& c : n.candidates) ids.push_back(c.id);
    meta["candidates"] = std::move(ids);
    json response = {{"fulfillmentResponse", {{"messages", std::move(messages)}, {"mergeBehavior", "REPLACE"}}},
                     {"sessionInfo", {{"parameters", session_parameters(meta)}}},
                     {"payload", {{"kb", std::move(meta)}}}};
    return {"application/json; charset=utf-8", dump_json(response)};
  }
};

}  // namespace

std::unique_ptr<Channel> make_dialogflow_channel() { return std::make_unique<DialogflowChannel>(); }

}  // namespace kb::plugins
