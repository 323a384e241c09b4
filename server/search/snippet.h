// Query-dependent snippets: the best window of a text, HTML-escaped, matches in <mark>.
#pragma once

#include <cstddef>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <xapian.h>

#include "analyzer.h"

namespace kb::search {

// The window of `text` (at most `max_bytes` of it) with the most distinct matching terms,
// HTML-escaped, each match wrapped in <mark>…</mark>, "…" where text was cut. A token matches
// when its stem is in `stems` (the same analysis as the query: CJK bigrams match bigrams).
// Returns "" when nothing in `text` matches. Not thread-safe (uses `analyzer`).
// Tokens starting with one of `prefixes` (unfinished words typed so far) match too; the words
// completing one prefix count as one term, so a window holding every stem and every prefix
// cannot be beaten and ends the reading.
std::string make_snippet(std::string_view text, Analyzer& analyzer,
                         const std::set<std::string>& stems, std::size_t max_bytes = 220,
                         const std::vector<std::string>& prefixes = {});

// What the index says of a hit's body for a query: where the query's stems are.
struct BodyMatches {
  Xapian::termpos first_position = 1;  // the position of the body's first word or bigram
  std::string_view spans;              // the body's stored token spans, if any (body_spans.h)
  std::vector<std::pair<Xapian::termpos, std::string>> at;  // query stems at body positions, in order
  std::set<std::string> present;  // the stems of `at`
  std::set<std::string> loose;    // stems the document has at no body position: in the body,
                                  // they can only be tokens without a position (CJK unigrams,
                                  // joined hyphenated words)
};

// A document and the position of its body's first word (its stored body_position).
struct BodyDocument {
  Xapian::docid did;
  Xapian::termpos first_position;
  std::string_view spans = {};  // its stored body spans; must outlive the BodyMatches
};

// Where `db` has `stems` (terms Z<stem>) in the body of each of `docs`, in their order.
std::vector<BodyMatches> find_body_matches(const Xapian::Database& db, const std::vector<BodyDocument>& docs,
                                           const std::set<std::string>& stems);

// make_snippet for a hit's body with the stems of `body`, from what the index says: no word
// is stemmed to find the matches, and the analysis ends after the last one. The same
// snippet, except that a word whose own stem is not a query stem is never marked (make_snippet
// also marks a word spelt like a query stem: "des" for the French query "dès", stem "des",
// although "des" is indexed as "de"). `consistent` is set to false if the text's analysis
// does not agree with the positions (an index built with another analyzer): the snippet is
// then incomplete and make_snippet should be used instead. With the body's stored spans
// (body.spans), the body is not analysed: the spans say where each token is, and only the
// few tokens whose text matters are read (a joined word outside ASCII; with prefixes, the
// words outside ASCII at no listed position that could complete one). `from_spans` tells whether they were used; the snippet is the same
// either way.
std::string make_body_snippet(std::string_view text, Analyzer& analyzer, const BodyMatches& body,
                              std::size_t max_bytes = 220, const std::vector<std::string>& prefixes = {},
                              bool* consistent = nullptr, bool* from_spans = nullptr);

// The first `max_bytes` of `text`, cut at a word boundary, HTML-escaped.
std::string leading_text(std::string_view text, std::size_t max_bytes = 220);

}  // namespace kb::search
