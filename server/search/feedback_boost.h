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
  bool operator==(const FeedbackCounts&) const = default;
};

struct BoostParams {
  double max_change = 0.1;     // the factor stays in [1 - max_change, 1 + max_change]
  double vote_prior = 5;       // pseudo-votes at 50/50: one vote moves the helpfulness term 1/6
  double click_prior = 10;     // pseudo-impressions at the average click-through rate
  double helpful_weight = 0.7;
  double click_weight = 0.3;
};

// Thread-safe. publish() swaps in a whole new table; readers see the old or the new one.
// The searcher applies the factor in its rerank window (searcher.h), so it reorders the
// best candidates of a query, on every page alike, and never adds a result.
class FeedbackBoost {
 public:
  // One published table: what a query uses from start to end.
  class Snapshot {
   public:
    bool empty() const { return counts_.empty(); }
    // The factor for one item in one language (1 when nothing is known).
    double factor(const std::string& id, const std::string& lang) const;

   private:
    friend class FeedbackBoost;
    std::unordered_map<std::string, FeedbackCounts> counts_;
    double mean_click_through_ = 0.1;
    BoostParams params_;
  };

  explicit FeedbackBoost(BoostParams params = {});

  // Replaces the counts; keys are "id@lang" ("id@" for votes that named no language: they
  // count for the item in every language). Publishing counts equal to the current ones
  // changes nothing (the version stays).
  void publish(const std::unordered_map<std::string, FeedbackCounts>& counts);

  std::shared_ptr<const Snapshot> snapshot() const { return table_.load(); }

  // Changes with every table that differs from the one before: part of the result cache's
  // key, so cached results never show an older boost.
  std::uint64_t version() const { return version_.load(); }

  // The factor for counts against an average click-through rate, by the documented formula.
  static double factor_for(const FeedbackCounts& counts, double mean_click_through, const BoostParams& params);

  const BoostParams& params() const { return params_; }

 private:
  const BoostParams params_;
  std::atomic<std::shared_ptr<const Snapshot>> table_;
  std::atomic<std::uint64_t> version_{0};
};

}  // namespace kb::search
