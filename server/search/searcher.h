// Search over one generation of the knowledge base with one thread's Xapian handles.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <xapian.h>

#include "analyzer.h"
#include "champions.h"
#include "document_data.h"
#include "feedback_boost.h"
#include "generation.h"
#include "lexicon.h"
#include "query_builder.h"
#include "search_types.h"
#include "snippet.h"

namespace kb::search {

// Holds a Xapian::Database, query analyzers and snippet analyzers for one generation.
// Not thread-safe: one per thread (KnowledgeBase arranges that).
class Searcher {
 public:
  // Throws kb::IndexUnavailable if the generation cannot be opened.
  Searcher(const GenerationRef& generation, const SearchSettings& settings);

  const std::string& generation() const { return generation_; }

  // The feedback boost applied in the rerank window (none by default); it must outlive the
  // searcher.
  void set_feedback(const FeedbackBoost* boost) { feedback_ = boost; }

  // The generation's database, as this searcher opened it.
  const Xapian::Database& database() const { return db_; }
  // The generation's champion lists (champions.h), shared by the searchers of the
  // generation, with the languages whose stored lists did not decode (for status()); none
  // by default (common-word queries are then bounded).
  void set_champions(std::shared_ptr<const StoredChampions> champions) { champions_ = std::move(champions); }

  // Throws kb::InvalidArgument (codes: invalid_parameter, query_too_long) for bad requests,
  // kb::IndexUnavailable if the database fails underneath.
  SearchResponse search(const SearchRequest& request);

  IndexStatus status();

  // One knowledge item in the request's language (with the locale fallback), if it exists
  // and is visible on the channel. Throws kb::IndexUnavailable like search().
  std::optional<ArticleLookup> article(const ArticleRequest& request);

  // Titles and questions that complete what the customer is typing (every typed word must
  // match; the last one may be unfinished). Cheap enough for every keystroke.
  SuggestResponse suggest(const SuggestRequest& request);

  // The best single answer: search, then the top candidate's full article.
  AnswerLookup answer(const SearchRequest& request);

  // Languages present in this generation.
  const std::set<std::string>& languages() const { return languages_; }

 private:
  struct Ranked {
    Xapian::docid did;
    double weight;      // the order: relevance * feedback
    double relevance;   // Xapian's BM25 weight, with the second phase's boost in the window
    double feedback;    // the feedback factor (1 outside the window)
    int percent;
  };
  struct Attempt {
    std::vector<Ranked> ranked;         // the requested page, best first
    Xapian::doccount estimated = 0;     // matching documents (estimate)
    Xapian::Query boost;                // second phase for the best candidates, may be empty
    int texts = 0;                      // languages whose query had something to search
    bool common_words = false;          // every language's query was common words only
    std::set<std::string> stems;        // for snippets
    std::vector<std::string> prefixes;  // unfinished words, for snippets
    std::string corrected;              // the query with typos corrected
    std::map<std::string, std::map<std::string, std::uint64_t>> facets;
    // The language's documents when its filter is a DocRangesSource (which Xapian estimates
    // at the whole base less one): the estimate is scaled back by the language's share.
    Xapian::doccount filtered = 0;
    std::string lang;  // the one language searched; empty when every language is
  };
  Analyzer& analyzer(const std::string& lang);
  const Lexicon& lexicon(const std::string& lang);
  QueryBuilder& builder(const std::string& lang);
  const Xapian::Database* spelling(const std::string& lang);
  // `one_language`: the attempt searches `lang` only (its candidates are all of `lang`).
  Xapian::Query text_query(const SearchRequest& request, const std::string& lang, Attempt& attempt,
                           bool one_language);
  // The request's channel, category, tag and product filters, and `lang`'s when not empty,
  // without the terms that filter nothing; an empty query when nothing is left to filter.
  Xapian::Query filters(const SearchRequest& request, const std::string& lang);
  // `lang`'s documents as runs of consecutive ids, when it has at least a tenth of the base
  // in at most 256 runs (computed once per generation and thread); else null.
  std::shared_ptr<const std::vector<std::pair<Xapian::docid, Xapian::docid>>> language_runs(const std::string& lang);
  // The documents of `lang`: a DocRangesSource over language_runs(lang) when there are
  // runs, else the language term.
  Xapian::Query language_filter(const std::string& lang);
  // True when every document has `term`.
  bool filters_nothing(const std::string& term) const;
  // `query` filtered by `filter`, or `query` itself when the filter is empty.
  static Xapian::Query restricted(const Xapian::Query& query, const Xapian::Query& filter);
  // Per hit (`hits`: their decoded data, in the order of attempt.ranked), where the index
  // has the attempt's stems in its body, for make_body_snippet; none for data stored
  // without a body_position.
  std::vector<std::optional<BodyMatches>> body_matches(const Attempt& attempt,
                                                      const std::vector<HitData>& hits) const;
  // `query` bounded by the time limit per query (settings) and, when `max_candidates` is not
  // 0, by that many candidates: past either, the match returns the best found so far, after
  // at least `min_candidates`.
  Xapian::Query bounded(const Xapian::Query& query, Xapian::doccount min_candidates,
                        Xapian::doccount max_candidates = 0) const;
  // Runs `query`; when `collapse`, one document per knowledge item. The best kRerankWindow
  // candidates are reranked: the attempt's boost added to their weight, times their
  // feedback factor.
  void run(const Xapian::Query& query, bool collapse, int first, int count, bool facets,
           Attempt& attempt);
  // The union of the champion lists of `stems` in `lang`, in docid order; empty when one of
  // them has none (it is not a common word there) or the generation has no lists.
  std::vector<Xapian::docid> champion_candidates(const std::string& lang, const std::set<std::string>& stems) const;
  std::string detect_language(const SearchRequest& request);
  std::string url_for(const std::string& id, const std::string& lang) const;
  double confidence(const std::string& query, const SearchHit& top);
  std::optional<StoredArticle> fetch(const std::string& id, const std::string& lang,
                                     const std::string& channel, bool include_internal);

  std::string generation_;
  std::string schema_;  // the generation's kb.schema, as recorded
  std::filesystem::path generation_path_;
  SearchSettings settings_;
  Xapian::Database db_;
  TermCounts term_counts_{db_};  // how many documents have a term, for this searcher and its builders
  Xapian::Enquire enquire_;
  double weight_scale_ = 1.0;  // Xapian's weights over BM25 (k1 = 1, b = 0.5)'s (schema.h)
  std::set<std::string> languages_;
  std::map<std::string, std::unique_ptr<Analyzer>> analyzers_;
  std::map<std::string, Lexicon> lexicons_;
  std::map<std::string, std::unique_ptr<Xapian::Database>> spelling_;
  std::map<std::string, std::unique_ptr<QueryBuilder>> builders_;  // after analyzers_
  std::map<std::string, std::shared_ptr<const std::vector<std::pair<Xapian::docid, Xapian::docid>>>> language_runs_;
  std::shared_ptr<const StoredChampions> champions_;  // shared by the generation's searchers
  const FeedbackBoost* feedback_ = nullptr;
};

}  // namespace kb::search
