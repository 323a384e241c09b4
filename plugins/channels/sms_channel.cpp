// sms: plain text in at most two segments with a short link. Plain text has no metadata
// slot: the article id, version and confidence travel in the HTTP headers only.
#include <string>

#include "builtin_channels.h"
#include "labels.h"
#include "sms_text.h"
#include "text.h"

namespace kb::plugins {
namespace {

constexpr int kMaxSegments = 2;

class SmsChannel final : public Channel {
 public:
  std::string name() const override { return "sms"; }
  double default_threshold() const override { return 0.55; }

  Rendered render(const Answer& a, const RenderContext& context) const override {
    const std::string link = !context.short_url.empty() ? context.short_url
                             : is_absolute_url(a.url)   ? a.url
                                                        : std::string();
    // The short answer is plain text by the content format: sent as written.
    std::string text = collapse_whitespace(a.short_answer);
    if (text.empty()) text = collapse_whitespace(a.title);
    return {"text/plain; charset=utf-8", fit_sms(text, link, kMaxSegments)};
  }

  Rendered render_no_answer(const NoAnswer& n, const RenderContext&) const override {
    const Labels& l = labels_for(n.lang);
    std::string text = l.no_answer;
    if (!n.candidates.empty()) {
      text += std::string(" ") + l.did_you_mean + " " + n.candidates.front().title;
    } else if (!n.clarifying_prompts.empty()) {
      text += " " + n.clarifying_prompts.front();
    }
    text += " " + n.handoff.message;
    return {"text/plain; charset=utf-8", fit_sms(text, "", kMaxSegments)};
  }
};

}  // namespace

std::unique_ptr<Channel> make_sms_channel() { return std::make_unique<SmsChannel>(); }

}  // namespace kb::plugins
