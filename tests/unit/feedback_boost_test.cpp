// The feedback boost: bounded, smoothed, reorders close results, never adds a result.
#include <doctest/doctest.h>

#include <set>

#include "builtin_importers.h"
#include "content_loader.h"
#include "feedback_boost.h"
#include "kb_writer.h"
#include "knowledge_base.h"
#include "temp_dir.h"

using kb::search::BoostParams;
using kb::search::FeedbackBoost;
using kb::search::FeedbackCounts;

namespace {

FeedbackCounts votes(double helpful, double unhelpful) {
  FeedbackCounts c;
  c.helpful = helpful;
  c.unhelpful = unhelpful;
  return c;
}

// The strongest signals either way: votes and clicks (or none of the impressions clicked).
FeedbackCounts best() {
  FeedbackCounts c = votes(1e6, 0);
  c.clicks = 1e6;
  c.impressions = 1e6;
  return c;
}
FeedbackCounts worst() {
  FeedbackCounts c = votes(0, 1e6);
  c.impressions = 1e6;
  return c;
}

struct Fixture {
  kb::test::TempDir dir;
  std::unique_ptr<kb::search::KnowledgeBase> kb;
  Fixture() {
    const kb::plugins::ImporterRegistry registry;
    const auto set = kb::load_content(std::string(KB_FIXTURES) + "/content", registry.importers());
    REQUIRE(set.ok());
    kb::KnowledgeBaseWriter(dir.path()).publish(set.articles);
    kb::search::SearchSettings settings;
    settings.cache_entries = 100;  // the boost must also apply to cached responses
    kb = std::make_unique<kb::search::KnowledgeBase>(dir.path(), settings);
  }
  kb::search::SearchResponse search(const std::string& q) {
    kb::search::SearchRequest r;
    r.query = q;
    r.lang = "en";
    return kb->search(r);
  }
};

}  // namespace

TEST_CASE("the factor is 1 without data, bounded, and smoothed so one vote does little") {
  const BoostParams p;
  CHECK(FeedbackBoost::factor_for({}, 0.1, p) == doctest::Approx(1.0));
  CHECK(FeedbackBoost::factor_for(votes(1, 0), 0.1, p) == doctest::Approx(1 + 0.1 * 0.7 / 6));
  CHECK(FeedbackBoost::factor_for(votes(1, 0), 0.1, p) < 1.02);
  CHECK(FeedbackBoost::factor_for(votes(0, 1), 0.1, p) > 0.98);
  // However many votes and clicks, the factor stays in [0.9, 1.1].
  FeedbackCounts best = votes(1e9, 0);
  best.clicks = 1e9;
  best.impressions = 1e9;
  CHECK(FeedbackBoost::factor_for(best, 0.01, p) == doctest::Approx(1.1));
  CHECK(FeedbackBoost::factor_for(best, 0.01, p) <= 1.1);
  FeedbackCounts worst = votes(0, 1e9);
  worst.impressions = 1e9;
  CHECK(FeedbackBoost::factor_for(worst, 0.5, p) == doctest::Approx(0.9));
  CHECK(FeedbackBoost::factor_for(worst, 0.5, p) >= 0.9);
  // Clicks at the average rate are neutral; more than expected lifts, fewer lowers.
  FeedbackCounts average;
  average.clicks = 10;
  average.impressions = 100;
  CHECK(FeedbackBoost::factor_for(average, 0.1, p) == doctest::Approx(1.0));
  average.clicks = 40;
  CHECK(FeedbackBoost::factor_for(average, 0.1, p) > 1.0);
  average.clicks = 0;
  CHECK(FeedbackBoost::factor_for(average, 0.1, p) < 1.0);
  // Negative counts (a corrupt table) cannot break the bound either.
  CHECK(FeedbackBoost::factor_for(votes(-1e9, -1e9), 0.1, p) >= 0.9);
  CHECK(FeedbackBoost::factor_for(votes(-1e9, -1e9), 0.1, p) <= 1.1);
}

TEST_CASE("the factor per item and language; a table equal to the last one changes nothing") {
  FeedbackBoost boost;
  CHECK(boost.snapshot()->empty());
  const auto v0 = boost.version();
  const std::unordered_map<std::string, FeedbackCounts> table = {
      {"liked@en", votes(1000, 0)}, {"disliked@en", votes(0, 1000)}, {"unrelated@en", votes(1000, 0)}};
  boost.publish(table);
  CHECK(boost.version() == v0 + 1);
  // Votes alone move the factor by at most helpful_weight * max_change (7%).
  CHECK(boost.snapshot()->factor("liked", "en") == doctest::Approx(1.07).epsilon(0.001));
  CHECK(boost.snapshot()->factor("disliked", "en") == doctest::Approx(0.93).epsilon(0.001));
  CHECK(boost.snapshot()->factor("other", "en") == doctest::Approx(1.0));
  CHECK(boost.snapshot()->factor("liked", "de") == doctest::Approx(1.0));  // per language
  // The same counts again (the store is polled every minute): the cached results stay.
  boost.publish(table);
  CHECK(boost.version() == v0 + 1);

  // Votes without a language count for every language.
  boost.publish({{"liked@", votes(1000, 0)}});
  CHECK(boost.version() == v0 + 2);
  CHECK(boost.snapshot()->factor("liked", "fr") > 1.05);
}

TEST_CASE("on a real index: the boost reorders only what matched, within the bound") {
  Fixture f;
  // "how do I": two results 16% apart (can swap); "account password": 25% apart (cannot).
  const std::vector<std::string> queries = {"how do I", "account password", "password", "wifi slow", "my account",
                                            "sign in", "internet"};
  const std::vector<std::string> all_items = {"reset-password", "wifi-slow", "account-locked", "cancel-contract",
                                              "internal-retention", "new-feature-draft"};
  std::map<std::string, bool> swapped;
  for (const auto& q : queries) {
    CAPTURE(q);
    f.kb->feedback().publish({});
    const auto before = f.search(q).hits;
    REQUIRE_FALSE(before.empty());
    // The strongest push the boost can give: every item up except the current top result.
    std::unordered_map<std::string, FeedbackCounts> counts;
    for (const auto& id : all_items) counts[id + "@en"] = id == before[0].id ? worst() : best();
    f.kb->feedback().publish(counts);
    const auto after = f.search(q).hits;

    std::set<std::string> ids_before, ids_after;
    for (const auto& h : before) ids_before.insert(h.id);
    for (const auto& h : after) ids_after.insert(h.id);
    CHECK(ids_after == ids_before);  // nothing unrelated promoted into the results
    REQUIRE(after.size() == before.size());
    for (const auto& h : after) {
      CHECK(h.feedback >= 0.9);
      CHECK(h.feedback <= 1.1);
      CHECK(h.score == doctest::Approx(h.bm25 * h.feedback));
    }
    // The old top falls only below results whose weight was within the 1.1/0.9 bound.
    for (std::size_t i = 0; i < after.size() && after[i].id != before[0].id; ++i) {
      CHECK(after[i].bm25 * 1.1 > before[0].bm25 * 0.9);
    }
    swapped[q] = after[0].id != before[0].id;
  }
  CHECK(swapped["how do I"]);
  CHECK_FALSE(swapped["account password"]);
  CHECK_FALSE(swapped["password"]);

  // The boost applies before paging: pages of one result tell the order of one page of all.
  const auto all = f.search("how do I").hits;
  REQUIRE(all.size() >= 2);
  for (std::size_t i = 0; i < all.size(); ++i) {
    kb::search::SearchRequest r;
    r.query = "how do I";
    r.lang = "en";
    r.per_page = 1;
    r.page = static_cast<int>(i) + 1;
    const auto page = f.kb->search(r);
    REQUIRE(page.hits.size() == 1);
    CHECK(page.hits[0].id == all[i].id);
  }
}

TEST_CASE("answer(): the boost and skipped items choose among the candidates") {
  Fixture f;
  kb::search::SearchRequest r;
  r.query = "reset my password";
  r.lang = "en";
  r.per_page = 5;
  const auto plain = f.kb->answer(r);
  REQUIRE(plain.best);
  CHECK(plain.best->article.id == "reset-password");
  REQUIRE(plain.search.hits.size() >= 2);

  r.skip_items = {"reset-password"};
  const auto skipped = f.kb->answer(r);
  REQUIRE(skipped.best);
  CHECK(skipped.best->article.id == plain.search.hits[1].id);
  CHECK(skipped.confidence < plain.confidence);

  std::set<std::string> all;
  for (const auto& h : plain.search.hits) all.insert(h.id);
  r.skip_items = all;
  CHECK_FALSE(f.kb->answer(r).best);
}
