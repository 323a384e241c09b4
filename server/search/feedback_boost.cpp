// The boost formula (docs/analytics.md#feedback-in-ranking).
#include "feedback_boost.h"

#include <algorithm>

namespace kb::search {
namespace {

double clamp1(double v) { return std::clamp(v, -1.0, 1.0); }

}  // namespace

FeedbackBoost::FeedbackBoost(BoostParams params) : params_(params) {
  table_.store(std::make_shared<const Table>());
}

void FeedbackBoost::publish(const std::unordered_map<std::string, FeedbackCounts>& counts) {
  auto table = std::make_shared<Table>();
  table->counts = counts;
  double clicks = 0, impressions = 0;
  for (const auto& [key, c] : counts) {
    clicks += c.clicks;
    impressions += c.impressions;
  }
  // The average click-through is the yardstick for each item's; kept off 0 so an item with
  // clicks where nothing else has any does not divide by zero.
  if (impressions > 0) table->mean_click_through = std::clamp(clicks / impressions, 0.01, 1.0);
  table_.store(std::move(table));
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

double FeedbackBoost::factor_in(const Table& table, const std::string& id, const std::string& lang) const {
  FeedbackCounts sum;
  bool any = false;
  for (const std::string& key : {id + "@" + lang, id + "@"}) {
    if (auto it = table.counts.find(key); it != table.counts.end()) {
      sum.helpful += it->second.helpful;
      sum.unhelpful += it->second.unhelpful;
      sum.clicks += it->second.clicks;
      sum.impressions += it->second.impressions;
      any = true;
    }
    if (lang.empty()) break;
  }
  return any ? factor_for(sum, table.mean_click_through, params_) : 1.0;
}

double FeedbackBoost::factor(const std::string& id, const std::string& lang) const {
  return factor_in(*table_.load(), id, lang);
}

void FeedbackBoost::rerank(std::vector<SearchHit>& hits) const {
  const auto table = table_.load();
  for (SearchHit& h : hits) {
    if (h.bm25 == 0) h.bm25 = h.score;
    h.feedback = table->counts.empty() ? 1.0 : factor_in(*table, h.id, h.lang);
    h.score = h.bm25 * h.feedback;
  }
  std::stable_sort(hits.begin(), hits.end(), [](const SearchHit& a, const SearchHit& b) { return a.score > b.score; });
}

}  // namespace kb::search
