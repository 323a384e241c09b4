// What editors see of the recorded events: top queries, content gaps, click-through and
// helpfulness, by channel and language (docs/analytics.md).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace kb::events {

struct AnalyticsQuery {
  std::int64_t from_ms = 0;                 // inclusive; 0: from the first event
  std::int64_t to_ms = 0;                   // exclusive; 0: up to now
  std::string channel;                      // "" for every channel
  std::string lang;                         // "" for every language
  int limit = 20;                           // rows in each top list
};

struct QueryCount {
  std::string query;   // lowercased, whitespace-trimmed
  std::int64_t count = 0;
};

struct ArticleRating {
  std::string item;
  std::string lang;
  std::int64_t helpful = 0;
  std::int64_t unhelpful = 0;
  double helpfulness = 0;  // helpful / (helpful + unhelpful)
};

// Counts for one slice (everything, one channel or one language).
struct Totals {
  std::int64_t searches = 0;            // search events (suggestions are not counted)
  std::int64_t zero_result_searches = 0;
  std::int64_t clicks = 0;
  std::int64_t views = 0;
  std::int64_t answers = 0;             // /v1/answer requests
  std::int64_t answered = 0;            // ... that served an item
  std::int64_t helpful = 0;
  std::int64_t unhelpful = 0;
  std::int64_t sessions = 0;            // distinct non-empty session ids
  double click_through = 0;             // clicks / searches with at least one result
  double zero_result_rate = 0;          // zero_result_searches / searches
  double helpfulness = 0;               // helpful / (helpful + unhelpful)
};

struct Analytics {
  AnalyticsQuery query;
  Totals totals;
  std::vector<QueryCount> top_queries;         // searches and answers, most asked first
  std::vector<QueryCount> zero_result_queries; // content gaps: searches and answers with no match
  std::vector<ArticleRating> articles;         // most rated first
  std::map<std::string, Totals> by_channel;
  std::map<std::string, Totals> by_language;
};

}  // namespace kb::events
