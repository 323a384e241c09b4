// The boost formula (docs/analytics.md#feedback-in-ranking).
#include "feedback_boost.h"

#include <algorithm>

namespace kb::search {
namespace {

double clamp1(double v) { return std::clamp(v, -1.0, 1.0); }

}  // namespace

FeedbackBoost::FeedbackBoost(BoostParams params) : params_(params) {
  auto empty = std::make_shared<Snapshot>();
  empty->params_ = params_;
  table_.store(std::move(empty));
}

void FeedbackBoost::publish(const std::unordered_map<std::string, FeedbackCounts>& counts) {
  if (table_.load()->counts_ == counts) return;
  auto table = std::make_shared<Snapshot>();
  table->counts_ = counts;
  table->params_ = params_;
  double clicks = 0, impressions = 0;
  for (const auto& [key, c] : counts) {
    clicks += c.clicks;
    impressions += c.impressions;
  }
  // The average click-through is the yardstick for each item's; kept off 0 so an item with
  // clicks where nothing else has any does not divide by zero.
  if (impressions > 0) table->mean_click_through_ = std::clamp(clicks / impressions, 0.01, 1.0);
  table_.store(std::move(table));
  ++version_;
}

double FeedbackBoost::factor_for(const FeedbackCounts& c, double mean_ctr, const BoostParams& p) {
  // Helpfulness: net votes over votes plus a prior of pseudo-votes, in (-1, 1).
  const double votes = std::max(0.0, c.helpful) + std::max(0.0, c.unhelpful);
  const double helpfulness = (c.helpful - c.unhelpful) / (votes + p.vote_prior);
  // Clicks: those beyond the average click-through's expectation, over the expectation plus
  // a prior, in [-1, 1].
  const double expected = mean_ctr * std::max(0.0, c.impressions);
  const double clicks = clamp1((c.clicks - expected) / (expected + p.click_prior));
  const double signal = clamp1(p.helpful_weight * helpfulness + p.click_weight * clicks);
  return 1.0 + p.max_change * signal;
}

double FeedbackBoost::Snapshot::factor(const std::string& id, const std::string& lang) const {
  if (counts_.empty()) return 1.0;
  FeedbackCounts sum;
  bool any = false;
  for (const std::string& key : {id + "@" + lang, id + "@"}) {
    if (auto it = counts_.find(key); it != counts_.end()) {
      sum.helpful += it->second.helpful;
      sum.unhelpful += it->second.unhelpful;
      sum.clicks += it->second.clicks;
      sum.impressions += it->second.impressions;
      any = true;
    }
    if (lang.empty()) break;
  }
  return any ? factor_for(sum, mean_click_through_, params_) : 1.0;
}

}  // namespace kb::search
