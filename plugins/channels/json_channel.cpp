// json: the canonical answer itself (internal notes never included).
#include <string>

#include "answer_json.h"
#include "builtin_channels.h"

namespace kb::plugins {
namespace {

class JsonChannel final : public Channel {
 public:
  std::string name() const override { return "json"; }
  double default_threshold() const override { return 0.35; }

  Rendered render(const Answer& a, const RenderContext&) const override {
    return {"application/json; charset=utf-8", dump_json(answer_to_json(a, false))};
  }

  Rendered render_no_answer(const NoAnswer& n, const RenderContext&) const override {
    return {"application/json; charset=utf-8", dump_json(no_answer_to_json(n))};
  }
};

}  // namespace

std::unique_ptr<Channel> make_json_channel() { return std::make_unique<JsonChannel>(); }

}  // namespace kb::plugins
