// Turns an Article into the Xapian document of the schema (schema.h).
#pragma once

#include <string>
#include <vector>

#include <xapian.h>

#include "analyzer.h"
#include "article.h"

namespace kb {

// Builds the document for `article`, analysed with `analyzer` (which must be for the
// article's language). Internal notes are stored in the document data but never indexed, so
// a public search can neither find nor reveal them. Words of public articles are appended to
// `spelling_words` (if given) for the spelling dictionary. Not thread-safe (uses `analyzer`).
Xapian::Document build_document(const Article& article, Analyzer& analyzer,
                                std::vector<std::string>* spelling_words = nullptr);

}  // namespace kb
