// Read-only queries over an event database: journeys, analytics and the per-item signals
// the ranking boost uses. Used by EventStore and by kb-report.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "analytics.h"
#include "event.h"

struct sqlite3;

namespace kb::events {

// Helpfulness and click counts of one knowledge item in one language ("" when the votes
// named no language).
struct ItemSignal {
  std::string item;
  std::string lang;
  std::int64_t helpful = 0;
  std::int64_t unhelpful = 0;
  std::int64_t clicks = 0;
  std::int64_t impressions = 0;  // times it was among a search's top results
};

// Not thread-safe: one per thread, or behind a mutex (EventStore does that).
class EventReader {
 public:
  // Opens `path` read-only. Throws kb::IoError if it is missing or not an event database.
  explicit EventReader(const std::filesystem::path& path);
  ~EventReader();
  EventReader(const EventReader&) = delete;
  EventReader& operator=(const EventReader&) = delete;

  // The session's events in time order (ties by id), at most `limit`, the latest kept.
  std::vector<Event> journey(const std::string& session, std::size_t limit);

  // Figures over the events in [query.from_ms, query.to_ms) of the channel and language.
  Analytics analytics(const AnalyticsQuery& query);

  // Counts per (item, lang) over the events since `since_ms`.
  std::vector<ItemSignal> item_signals(std::int64_t since_ms);

  // Throws kb::IoError on SQLite errors.
 private:
  sqlite3* db_ = nullptr;
};

}  // namespace kb::events
