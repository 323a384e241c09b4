// botframework: a Bot Framework message Activity that a bot passes to context.sendActivity.
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

constexpr std::size_t kMaxActions = 6;
constexpr std::size_t kMaxActionTitle = 50;  // longer titles are cut; the value stays whole
constexpr std::size_t kMaxActionValue = 500;

// Plain text inside Bot Framework markdown: characters with a markdown meaning are escaped.
std::string md_escape(std::string_view text) {
  std::string out;
  for (char c : collapse_whitespace(text)) {
    if (c == '\\' || c == '*' || c == '_' || c == '`' || c == '[' || c == ']' || c == '<' ||
        c == '>' || c == '#' || c == '|' || c == '~') {
      out.push_back('\\');
    }
    out.push_back(c);
  }
  return out;
}

// A URL as the target of a markdown link: characters that would end it are percent-encoded.
std::string md_url(std::string_view url) {
  std::string out;
  for (char c : url) {
    if (c == ' ') out += "%20";
    else if (c == '(') out += "%28";
    else if (c == ')') out += "%29";
    else if (c == '<') out += "%3C";
    else if (c == '>') out += "%3E";
    else out.push_back(c);
  }
  return out;
}

json im_back(std::string_view text) {
  const std::string t = collapse_whitespace(text);
  return {{"type", "imBack"},
          {"title", truncate_chars(t, kMaxActionTitle)},
          {"value", truncate_chars(t, kMaxActionValue)}};
}

// imBack actions for the prompts, without duplicates, at most kMaxActions.
json suggested_actions(const std::vector<std::string>& prompts) {
  json actions = json::array();
  std::set<std::string> seen;
  for (const auto& p : prompts) {
    const std::string t = collapse_whitespace(p);
    if (t.empty() || !seen.insert(t).second) continue;
    if (actions.size() == kMaxActions) break;
    actions.push_back(im_back(t));
  }
  return {{"actions", std::move(actions)}};
}

class BotFrameworkChannel final : public Channel {
 public:
  std::string name() const override { return "botframework"; }
  double default_threshold() const override { return 0.45; }

  Rendered render(const Answer& a, const RenderContext&) const override {
    const Labels& l = labels_for(a.lang);
    std::string text = "**" + md_escape(a.title) + "**\n\n" + md_escape(a.short_answer);
    if (!a.steps.empty()) {
      text += "\n";
      for (std::size_t i = 0; i < a.steps.size(); ++i) {
        text += "\n" + std::to_string(i + 1) + ". " + md_escape(a.steps[i]);
      }
    }
    if (is_absolute_url(a.url)) text += "\n\n[" + md_escape(l.read_more) + "](" + md_url(a.url) + ")";

    json card = {{"title", collapse_whitespace(a.title)}, {"text", collapse_whitespace(a.short_answer)}};
    if (is_absolute_url(a.url)) {
      card["buttons"] = json::array({{{"type", "openUrl"}, {"title", l.read_more}, {"value", a.url}}});
    }
    std::vector<std::string> prompts = a.follow_ups;
    for (const auto& r : a.related) prompts.push_back(r.title);

    json activity = {
        {"type", "message"},
        {"locale", a.lang},
        {"textFormat", "markdown"},
        {"text", std::move(text)},
        {"speak", ssml_document(speakable_text(a.short_answer), a.lang)},
        {"inputHint", "acceptingInput"},
        {"attachments",
         json::array({{{"contentType", "application/vnd.microsoft.card.hero"}, {"content", std::move(card)}}})},
        {"suggestedActions", suggested_actions(prompts)},
        {"channelData", {{"kb", answer_metadata(a)}}}};
    return {"application/json; charset=utf-8", dump_json(activity)};
  }

  Rendered render_no_answer(const NoAnswer& n, const RenderContext&) const override {
    const Labels& l = labels_for(n.lang);
    std::string text = md_escape(l.no_answer);
    if (!n.candidates.empty()) {
      text += "\n\n" + md_escape(l.did_you_mean);
      for (const auto& c : n.candidates) text += "\n- " + md_escape(c.title);
    } else {
      for (const auto& p : n.clarifying_prompts) text += "\n\n" + md_escape(p);
    }
    text += "\n\n" + md_escape(n.handoff.message);

    std::string spoken = std::string(l.no_answer) + " " +
                         (n.candidates.empty() ? std::string()
                                               : std::string(l.did_you_mean) + " " + n.candidates.front().title + " ") +
                         n.handoff.message;
    std::vector<std::string> prompts;
    for (const auto& c : n.candidates) prompts.push_back(c.title);
    if (prompts.size() >= kMaxActions) prompts.resize(kMaxActions - 1);
    prompts.push_back(l.handoff);  // the hand-off is always offered

    json meta = no_answer_metadata(n);
    json ids = json::array();
    for (const auto& c : n.candidates) ids.push_back(c.id);
    meta["candidates"] = std::move(ids);
    json activity = {{"type", "message"},
                     {"locale", n.lang},
                     {"textFormat", "markdown"},
                     {"text", std::move(text)},
                     {"speak", ssml_document(speakable_text(spoken), n.lang)},
                     {"inputHint", "expectingInput"},
                     {"suggestedActions", suggested_actions(prompts)},
                     {"channelData", {{"kb", std::move(meta)}}}};
    return {"application/json; charset=utf-8", dump_json(activity)};
  }
};

}  // namespace

std::unique_ptr<Channel> make_botframework_channel() { return std::make_unique<BotFrameworkChannel>(); }

}  // namespace kb::plugins
