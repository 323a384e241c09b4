// voice: SSML for a speech engine. SSML has no place for metadata that engines ignore
// reliably, so the article id, version and confidence travel in the HTTP headers only.
#include <string>

#include "builtin_channels.h"
#include "labels.h"
#include "speech.h"
#include "text.h"

namespace kb::plugins {
namespace {

constexpr double kMaxWords = 40;

class VoiceChannel final : public Channel {
 public:
  std::string name() const override { return "voice"; }
  // A wrong spoken answer costs a caller more than a question back.
  double default_threshold() const override { return 0.6; }

  Rendered render(const Answer& a, const RenderContext&) const override {
    std::string text = speakable_text(a.short_answer, kMaxWords);
    if (text.empty()) text = speakable_text(a.title, kMaxWords);
    return {"application/ssml+xml; charset=utf-8", ssml_document(text, a.lang)};
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
    return {"application/ssml+xml; charset=utf-8", ssml_document(speakable_text(text, kMaxWords), n.lang)};
  }
};

}  // namespace

std::unique_ptr<Channel> make_voice_channel() { return std::make_unique<VoiceChannel>(); }

}  // namespace kb::plugins
