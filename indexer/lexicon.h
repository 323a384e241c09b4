// Language resources shipped with the content: stopwords and synonyms per language.
// They are validated by kb-index and stored in each generation, so index time and query time
// always use the same lists, and a change goes live with the next build.
#pragma once

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "content_issue.h"

namespace kb {

struct Lexicon {
  std::set<std::string> stopwords;                      // as written, one per entry
  std::vector<std::vector<std::string>> synonym_groups;  // each group: phrases meaning the same
  bool empty() const { return stopwords.empty() && synonym_groups.empty(); }
};

// Per normalised language tag.
using Lexicons = std::map<std::string, Lexicon>;

// Reads `dir/stopwords/<lang>.txt` (one word per line, '#' starts a comment) and
// `dir/synonyms/<lang>.yaml` (a list of lists of phrases). A language without its own
// stopwords file gets the built-in list, if there is one (default_stopword_lists); a file
// replaces it, and an empty file means no stopwords. A missing `dir` gives the built-in
// lists only. Problems are appended to `issues` with file:line:column; never throws for bad
// files.
Lexicons load_lexicons(const std::filesystem::path& dir, std::vector<ContentIssue>& issues);

// The built-in stopword lists by language tag, in the stopwords file format
// (indexer/default_stopwords/<lang>.txt, compiled in).
const std::map<std::string, std::string_view>& default_stopword_lists();

// Serialisation for generation metadata (kb.lexicon.<lang>), as JSON.
std::string serialise_lexicon(const Lexicon& lexicon);
Lexicon parse_lexicon(const std::string& serialised);  // tolerant: bad data gives an empty one

}  // namespace kb
