// Turns a customer's words into a Xapian query: stopwords, synonyms, field weights, phrase
// proximity, typo correction and search-as-you-type prefixes, with the index's own analysis.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <xapian.h>

#include "analyzer.h"
#include "champions.h"
#include "lexicon.h"

namespace kb::search {

struct QueryOptions {
  bool prefix_last = false;   // the last word may be unfinished (search-as-you-type)
  bool correct_typos = true;  // unknown longer words also match their closest known spelling
};

struct BuiltQuery {
  // What matches: every content word's stem in any field. Empty when the text has nothing
  // searchable.
  Xapian::Query query;
  // The second ranking phase: the words' extra weight in the title (kTitleWeight), the
  // questions and the summary, and the content words near each other (kPhraseWeight).
  // Its weight added to `query`'s is the full score. Evaluating it over every match would
  // cost several times the match itself (four posting lists per word, positions), so the
  // searcher adds it to its best candidates only (the rerank window).
  Xapian::Query boost;
  std::set<std::string> stems;         // what snippets highlight
  std::vector<std::string> prefixes;   // unfinished words, highlighted as prefixes
  std::string corrected_text;          // the text with typos corrected ("" if none were)
  // Every clause is a common word (in at least kCommonWordShare of the language's
  // documents) or an unfinished one: the query says little and matches nearly everything
  // ("the your", "account sta"), so the searcher bounds its work harder.
  bool common_words = false;
};

// Field weights, shared with the documentation (docs/relevance.md).
inline constexpr double kTitleWeight = 3.0;
inline constexpr double kQuestionsWeight = 2.5;
inline constexpr double kSummaryWeight = 1.5;
inline constexpr double kPhraseWeight = 2.0;

// How many documents of `db` have a term, each term looked up once: a generation never
// changes, and each of Xapian's lookups walks the B-tree, reading its blocks with pread. At
// most kKept terms are kept, then it starts again (query words are unbounded). Not
// thread-safe: one per searcher (thread and generation), shared by its query builders.
class TermCounts {
 public:
  explicit TermCounts(const Xapian::Database& db) : db_(db) {}
  TermCounts(const TermCounts&) = delete;
  TermCounts& operator=(const TermCounts&) = delete;

  Xapian::doccount operator()(const std::string& term) const;

 private:
  static constexpr std::size_t kKept = 1024;
  const Xapian::Database& db_;
  mutable std::unordered_map<std::string, Xapian::doccount> counts_;
};

// One per language per thread: holds the analysed stopword and synonym tables of that
// language. Not thread-safe (uses the Analyzer and the Database).
class QueryBuilder {
 public:
  // `lang` is the language being searched; `spelling` (may be null) is its spelling
  // dictionary, built from public content of that language only; `counts` are `db`'s.
  QueryBuilder(Analyzer& analyzer, const Lexicon& lexicon, const Xapian::Database& db,
               const TermCounts& counts, const Xapian::Database* spelling, std::string lang);

  BuiltQuery build(std::string_view text, const QueryOptions& options);

  bool is_stopword(const Token& token) const { return stopwords_.count(token.text) > 0; }

 private:
  struct Alternative {
    std::vector<std::string> stems;  // several for a phrase
  };
  struct SynonymEntry {
    std::vector<std::string> stems;
    std::size_t group;
  };

  struct Clause {
    Xapian::Query any_field;  // matches
    Xapian::Query fields;     // weighted title, questions and summary matches
  };
  Clause clause(const std::vector<Alternative>& alternatives) const;
  bool common(const std::string& stem) const;
  std::string correction(const Token& token);
  // The Z-prefixed prefix of indexed stems that `typed` (an unfinished word) completes to,
  // or "" if none does.
  std::string completion_prefix(const std::string& typed) const;

  Analyzer& analyzer_;
  const Xapian::Database& db_;
  const TermCounts& counts_;
  const Xapian::Database* spelling_;
  std::string lang_;
  double common_threshold_ = 0;  // documents a common word is in, at least
  std::set<std::string> stopwords_;
  std::vector<std::vector<Alternative>> groups_;
  std::multimap<std::string, SynonymEntry> synonyms_by_first_stem_;
  std::map<std::string, std::string> corrections_;  // cache: unknown word -> correction or ""
};

}  // namespace kb::search
