// Turns an Article into the Xapian document of the schema (schema.h).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <xapian.h>

#include "analyzer.h"
#include "article.h"
#include "schema.h"

namespace kb {

// Builds the document for `article`, analysed with `analyzer` (which must be for the
// article's language). Internal notes are stored (value slot schema::kSlotData) but never indexed, so
// a public search can neither find nor reveal them. Words of public articles are appended to
// `spelling_words` (if given) for the spelling dictionary. Not thread-safe (uses `analyzer`).
// With `norm_length` > 0 the free-text terms' wdfs are length-normalised against it
// (schema.h: each occurrence counts round(wdf_scale / norm)); with 0 they are the natural
// counts. An incremental build passes its base's kb.norm_length and kb.wdf_scale.
Xapian::Document build_document(const Article& article, Analyzer& analyzer,
                                std::vector<std::string>* spelling_words = nullptr,
                                double norm_length = 0, double wdf_scale = schema::kWdfScale);

// A document's natural length: the sum of its terms' wdfs (as built with norm_length 0).
Xapian::termcount natural_length(const Xapian::Document& doc);

// The average natural length of up to `sample` of `articles` (drafts skipped), evenly spread
// over `order` (indexes into `articles`): the norm_length of a complete build. 0 when there is
// no article to measure (nothing is normalised, and the next build measures again).
double estimate_norm_length(const std::vector<Article>& articles, const std::vector<std::size_t>& order,
                            std::size_t sample = 512);

}  // namespace kb
