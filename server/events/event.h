// One recorded step of a customer: a search, a suggestion list, an answer, a view, a click
// or a rating, with its session, time and channel.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kb::events {

enum class EventType { Search, Suggest, Answer, View, Click, Feedback };

// "search", "suggest", "answer", "view", "click", "feedback".
std::string_view type_name(EventType type);
// The type named `name`, or nullopt.
std::optional<EventType> parse_event_type(std::string_view name);

struct Event {
  std::int64_t id = 0;            // assigned by EventStore::record (increasing)
  std::int64_t time_ms = 0;       // milliseconds since 1970 UTC; 0: the time of record()
  EventType type = EventType::Search;
  std::string session;            // "" when the client gave none
  std::string channel;
  std::string lang;
  std::string query;              // redacted by EventStore::record
  std::string item;               // knowledge item: the answer served, viewed, clicked or rated
  std::int64_t results = -1;      // matches (search, suggest) or candidates (answer); -1: n/a
  std::vector<std::string> top;   // the first result ids (search, suggest, answer)
  int position = -1;              // 1-based position of a click; -1: n/a
  std::optional<bool> helpful;    // feedback
  std::string reason;             // feedback, redacted by EventStore::record
};

}  // namespace kb::events
