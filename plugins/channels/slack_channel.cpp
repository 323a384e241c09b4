// slack: a Block Kit message within Slack's documented limits, with fallback text.
#include <set>
#include <string>

#include "answer_json.h"
#include "builtin_channels.h"
#include "labels.h"
#include "text.h"

namespace kb::plugins {
namespace {

using json = nlohmann::json;

// Slack's limits (api.slack.com/reference/block-kit): they reject messages beyond them.
constexpr std::size_t kHeaderChars = 150;
constexpr std::size_t kSectionChars = 3000;
constexpr std::size_t kButtonTextChars = 75;
constexpr std::size_t kButtonValueChars = 2000;
constexpr std::size_t kButtonUrlChars = 3000;
constexpr std::size_t kFallbackChars = 3000;
constexpr std::size_t kMaxButtons = 5;  // per actions block (Slack allows 25)

// mrkdwn needs &, < and > escaped; everything else is literal enough.
std::string mrkdwn(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '&') out += "&amp;";
    else if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else out.push_back(c);
  }
  return out;
}

// At most `max_chars` code points after escaping: the plain text is cut at a word until its
// escaped form fits (entities are never split).
std::string mrkdwn_limited(std::string_view plain_text, std::size_t max_chars) {
  const std::string text = collapse_whitespace(plain_text);
  std::size_t budget = max_chars;
  for (;;) {
    std::string out = mrkdwn(truncate_chars(text, budget));
    const std::size_t length = decode_utf8(out).size();
    if (length <= max_chars || budget == 0) return out;
    budget -= std::min(budget, length - max_chars);
  }
}

json plain(std::string_view text, std::size_t max_chars) {
  return {{"type", "plain_text"}, {"text", truncate_chars(collapse_whitespace(text), max_chars)}, {"emoji", true}};
}

json button(std::string_view text, const std::string& action_id, std::string_view value, std::string_view url) {
  json b = {{"type", "button"}, {"text", plain(text, kButtonTextChars)}, {"action_id", action_id}};
  if (!value.empty()) b["value"] = truncate_chars(value, kButtonValueChars, "");
  if (is_absolute_url(url) && url.size() <= kButtonUrlChars) b["url"] = std::string(url);
  return b;
}

json section(std::string_view plain_text) {
  return {{"type", "section"}, {"text", {{"type", "mrkdwn"}, {"text", mrkdwn_limited(plain_text, kSectionChars)}}}};
}

json context(const std::string& text) {
  return {{"type", "context"},
          {"block_id", "kb_meta"},
          {"elements", json::array({{{"type", "mrkdwn"}, {"text", text}}})}};
}

class SlackChannel final : public Channel {
 public:
  std::string name() const override { return "slack"; }
  double default_threshold() const override { return 0.4; }

  Rendered render(const Answer& a, const RenderContext&) const override {
    const Labels& l = labels_for(a.lang);
    json blocks = json::array();
    // Slack rejects empty text objects: fall back to what is there.
    const std::string title = collapse_whitespace(a.title).empty() ? a.id : a.title;
    const std::string short_answer = collapse_whitespace(a.short_answer).empty() ? title : a.short_answer;
    if (!collapse_whitespace(title).empty()) {
      blocks.push_back({{"type", "header"}, {"text", plain(title, kHeaderChars)}});
    }
    if (!collapse_whitespace(short_answer).empty()) blocks.push_back(section(short_answer));
    if (!a.steps.empty()) {
      std::string steps;
      for (std::size_t i = 0; i < a.steps.size(); ++i) {
        steps += (i ? "\n" : "") + std::to_string(i + 1) + ". " + collapse_whitespace(a.steps[i]);
      }
      // Newlines matter here: cut without collapsing them.
      std::string text = mrkdwn(steps);
      if (decode_utf8(text).size() > kSectionChars) {
        text = mrkdwn_limited(steps, kSectionChars);
      }
      blocks.push_back({{"type", "section"}, {"text", {{"type", "mrkdwn"}, {"text", text}}}});
    }
    json links = json::array();
    if (is_absolute_url(a.url)) links.push_back(button(l.read_more, "kb_read_more", a.id, a.url));
    for (std::size_t i = 0; i < a.related.size() && links.size() < kMaxButtons; ++i) {
      const auto& r = a.related[i];
      links.push_back(button(collapse_whitespace(r.title).empty() ? r.id : r.title, "kb_related_" + std::to_string(i), r.id, r.url));
    }
    if (!links.empty()) blocks.push_back({{"type", "actions"}, {"block_id", "kb_links"}, {"elements", std::move(links)}});
    json follow = json::array();
    // Related items already have their buttons above.
    std::set<std::string> seen;
    for (const auto& r : a.related) seen.insert(collapse_whitespace(r.title));
    for (const auto& f : a.follow_ups) {
      const std::string t = collapse_whitespace(f);
      if (t.empty() || !seen.insert(t).second) continue;
      if (follow.size() == kMaxButtons) break;
      follow.push_back(button(t, "kb_follow_up_" + std::to_string(follow.size()), t, ""));
    }
    if (!follow.empty()) blocks.push_back({{"type", "actions"}, {"block_id", "kb_follow_ups"}, {"elements", std::move(follow)}});
    blocks.push_back(context(mrkdwn_limited(a.id + " · " + a.lang + " · " + a.version + " · " +
                                                confidence_text(a.confidence),
                                            kSectionChars)));

    std::string fallback = collapse_whitespace(a.title) + ": " + collapse_whitespace(a.short_answer);
    if (is_absolute_url(a.url)) fallback += " " + a.url;
    json message = {{"text", mrkdwn_limited(fallback, kFallbackChars)},
                    {"blocks", std::move(blocks)},
                    {"metadata", {{"event_type", "kb_answer"}, {"event_payload", answer_metadata(a)}}}};
    return {"application/json; charset=utf-8", dump_json(message)};
  }

  Rendered render_no_answer(const NoAnswer& n, const RenderContext&) const override {
    const Labels& l = labels_for(n.lang);
    json blocks = json::array();
    std::string text = l.no_answer;
    if (!n.candidates.empty()) {
      text += std::string(" ") + l.did_you_mean;
    } else {
      for (const auto& p : n.clarifying_prompts) text += " " + p;
    }
    blocks.push_back(section(text));
    json buttons = json::array();
    for (std::size_t i = 0; i < n.candidates.size() && buttons.size() + 1 < kMaxButtons; ++i) {
      const auto& c = n.candidates[i];
      buttons.push_back(button(collapse_whitespace(c.title).empty() ? c.id : c.title, "kb_candidate_" + std::to_string(i), c.id, c.url));
    }
    json handoff = button(l.handoff, "kb_handoff", n.handoff.channel, "");
    handoff["style"] = "primary";
    buttons.push_back(std::move(handoff));
    blocks.push_back({{"type", "actions"}, {"block_id", "kb_candidates"}, {"elements", std::move(buttons)}});
    blocks.push_back(context(mrkdwn_limited(n.reason + " · " + n.lang + " · " + confidence_text(n.confidence),
                                            kSectionChars)));
    json meta = no_answer_metadata(n);
    json ids = json::array();
    for (const auto& c : n.candidates) ids.push_back(c.id);
    meta["candidates"] = std::move(ids);
    std::string fallback = text;
    for (std::size_t i = 0; i < n.candidates.size(); ++i) {
      fallback += (i ? ", " : " ") + collapse_whitespace(n.candidates[i].title);
    }
    json message = {{"text", mrkdwn_limited(fallback + " " + n.handoff.message, kFallbackChars)},
                    {"blocks", std::move(blocks)},
                    {"metadata", {{"event_type", "kb_no_answer"}, {"event_payload", std::move(meta)}}}};
    return {"application/json; charset=utf-8", dump_json(message)};
  }
};

}  // namespace

std::unique_ptr<Channel> make_slack_channel() { return std::make_unique<SlackChannel>(); }

}  // namespace kb::plugins
