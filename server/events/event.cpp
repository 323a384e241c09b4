// Event type names as stored in the database and accepted over HTTP.
#include "event.h"

#include <array>
#include <utility>

namespace kb::events {
namespace {

constexpr std::array<std::pair<EventType, std::string_view>, 6> kNames = {{
    {EventType::Search, "search"},
    {EventType::Suggest, "suggest"},
    {EventType::Answer, "answer"},
    {EventType::View, "view"},
    {EventType::Click, "click"},
    {EventType::Feedback, "feedback"},
}};

}  // namespace

std::string_view type_name(EventType type) {
  for (const auto& [t, name] : kNames) {
    if (t == type) return name;
  }
  return "search";
}

std::optional<EventType> parse_event_type(std::string_view name) {
  for (const auto& [t, n] : kNames) {
    if (n == name) return t;
  }
  return std::nullopt;
}

}  // namespace kb::events
