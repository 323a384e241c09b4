// A third-party channel plugin as an outside author would write one: only channel.h and
// answer.h. Built in four variants (KB_TEST_CHANNEL_VARIANT) to test what the registry
// accepts and refuses: 0 a good plugin, 1 built for another ABI version, 2 asks for
// internal notes, 3 exports no entry points.
#include <string>

#include "channel.h"

namespace {

class TestEchoChannel final : public kb::plugins::Channel {
 public:
  std::string name() const override { return "test-echo"; }
  std::string visibility() const override { return "web"; }
  double default_threshold() const override { return 0.25; }
#if KB_TEST_CHANNEL_VARIANT == 2
  bool shows_internal_notes() const override { return true; }
#endif

  kb::plugins::Rendered render(const kb::plugins::Answer& a,
                               const kb::plugins::RenderContext&) const override {
    std::string notes;
    for (const auto& n : a.internal_notes) notes += n;
    return {"text/plain; charset=utf-8",
            "echo " + a.id + " " + a.lang + " " + a.version + " [" + a.title + "]" + notes};
  }

  kb::plugins::Rendered render_no_answer(const kb::plugins::NoAnswer& n,
                                         const kb::plugins::RenderContext&) const override {
    return {"text/plain; charset=utf-8", "echo no answer (" + n.reason + ")"};
  }
};

}  // namespace

#if KB_TEST_CHANNEL_VARIANT == 1
extern "C" __attribute__((visibility("default"))) int kb_channel_abi_version() { return 99; }
extern "C" __attribute__((visibility("default"))) kb::plugins::Channel* kb_create_channel() {
  return new TestEchoChannel();
}
#elif KB_TEST_CHANNEL_VARIANT == 3
extern "C" __attribute__((visibility("default"))) int kb_some_other_function() { return 1; }
#else
KB_CHANNEL_PLUGIN(TestEchoChannel)
#endif
