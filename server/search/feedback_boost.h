// The bounded ranking boost from customers' feedback (docs/analytics.md#feedback-in-ranking):
// a factor in [1 - max_change, 1 + max_change] per knowledge item and language, from
// smoothed helpfulness votes and clicks, applied to results that already match a query.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "search_types.h"

namespace kb::search {

// Raw counts for one (item, language); the search library never sees where they came from.
struct FeedbackCounts {
  double helpful = 0;
  double unhelpful = 0;
  double clicks = 0;
  double impressions = 0;  // times the item was among a search's top results
};

struct BoostParams {
  double max_change = 0.1;     // the factor stays in [1 - max_change, 1 + max_change]
  double vote_prior = 5;       // pseudo-votes at 50/50: one vote moves the helpfulness term 1/6
  double click_prior = 10;     // pseudo-impressions at the average click-through rate
  double helpful_weight = 0.7;
  double click_weight = 0.3;
};

// Thread-safe. publish() swaps in a whole new table; readers see the old or the new one.
class FeedbackBoost {
 public:
  explicit FeedbackBoost(BoostParams params = {});

  // Replaces the counts; keys are "id@lang" ("id@" for votes that named no language: they
  // count for the item in every language).
  void publish(const std::unordered_map<std::string, FeedbackCounts>& counts);

  // The factor for one item in one language (1 when nothing is known).
  double factor(const std::string& id, const std::string& lang) const;

  // Sets each hit's bm25 (if unset), feedback factor and score = bm25 * factor, then sorts
  // the hits by score (stable). Only the given hits move: nothing is added to them.
  void rerank(std::vector<SearchHit>& hits) const;

  // The factor for counts against an average click-through rate, by the documented formula.
  static double factor_for(const FeedbackCounts& counts, double mean_click_through, const BoostParams& params);

  const BoostParams& params() const { return params_; }

 private:
  struct Table {
    std::unordered_map<std::string, FeedbackCounts> counts;
    double mean_click_through = 0.1;
  };
  double factor_in(const Table& table, const std::string& id, const std::string& lang) const;

  const BoostParams params_;
  std::atomic<std::shared_ptr<const Table>> table_;
};

}  // namespace kb::search
