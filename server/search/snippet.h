// Query-dependent snippets: the best window of a text, HTML-escaped, matches in <mark>.
#pragma once

#include <cstddef>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer.h"

namespace kb::search {

// The window of `text` (at most `max_bytes` of it) with the most distinct matching terms,
// HTML-escaped, each match wrapped in <mark>…</mark>, "…" where text was cut. A token matches
// when its stem is in `stems` (the same analysis as the query: CJK bigrams match bigrams).
// Returns "" when nothing in `text` matches. Not thread-safe (uses `analyzer`).
// Tokens starting with one of `prefixes` (unfinished words typed so far) match too.
std::string make_snippet(std::string_view text, Analyzer& analyzer,
                         const std::set<std::string>& stems, std::size_t max_bytes = 220,
                         const std::vector<std::string>& prefixes = {});

// The first `max_bytes` of `text`, cut at a word boundary, HTML-escaped.
std::string leading_text(std::string_view text, std::size_t max_bytes = 220);

}  // namespace kb::search
