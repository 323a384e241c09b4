// The knowledge base's Xapian schema: term prefixes and value slots (docs/schema.md).
// Follows Omega's conventions: Q unique id, S title, L language, K keywords, Z stemmed,
// X... our own.
#pragma once

#include <cstdlib>
#include <string>
#include <string_view>

#include <xapian.h>

namespace kb::schema {

// Boolean terms (filters).
inline constexpr std::string_view kUniqueId = "Q";      // Q<id>@<lang>: one per document
inline constexpr std::string_view kItem = "XID";        // XID<id>: all languages of an item
inline constexpr std::string_view kLang = "L";          // L<lang>, normalised tag
inline constexpr std::string_view kCategory = "XCAT";   // XCAT<category, case-folded>
inline constexpr std::string_view kTag = "K";           // K<tag, case-folded>
inline constexpr std::string_view kProduct = "XP";      // XP<product, case-folded>
inline constexpr std::string_view kChannel = "XCH";     // XCH<channel>: channels allowed
inline constexpr std::string_view kAudience = "XAUD";   // XAUDpublic / XAUDinternal

// Free-text terms. Z-prefixed terms are the stems of all public text, with positions
// (phrases, proximity); the field prefixes below are combined with Z for per-field stems
// without positions: ZS<stem> is a stem of the title. No unstemmed terms (since schema 2).
inline constexpr std::string_view kStemmed = "Z";
inline constexpr std::string_view kTitle = "S";
inline constexpr std::string_view kQuestions = "XQ";
inline constexpr std::string_view kSummary = "XA";

// Value slots.
inline constexpr Xapian::valueno kSlotItem = 0;     // knowledge item id (collapse key)
inline constexpr Xapian::valueno kSlotLang = 1;     // language tag
inline constexpr Xapian::valueno kSlotUpdated = 2;  // YYYY-MM-DD
// Facets: one slot, so counting reads one value per document. Entries "<facet letter><value>"
// (c category, t tag, p product, h channel; values case-folded) joined by kFacetSeparator.
inline constexpr Xapian::valueno kSlotFacets = 3;
inline constexpr char kFacetSeparator = '\x1f';
// The stored data (document_data.h), since schema 4. Xapian compresses every document's data
// with zlib (deflate when a build adds it, inflate whenever a search reads it) but stores
// values as they are: in a value slot, neither runs. Generations before schema 4 hold it in
// the document's data; stored_data() reads either.
inline constexpr Xapian::valueno kSlotData = 4;

// Metadata keys of a generation.
inline constexpr const char* kMetaGeneration = "kb.generation";
inline constexpr const char* kMetaBuiltAt = "kb.built_at";
inline constexpr const char* kMetaArticles = "kb.articles";
inline constexpr const char* kMetaSchema = "kb.schema";
inline constexpr const char* kSchemaVersion = "4";
// Why a server of this schema does not read a generation that records `metadata` as its
// kb.schema (a later schema may keep things elsewhere; none recorded is schema 1), as
// "built with schema N; ..."; empty when it reads it.
inline std::string unreadable_schema(const std::string& metadata) {
  if (std::atoi(metadata.c_str()) <= std::atoi(kSchemaVersion)) return "";
  return "built with schema " + metadata + "; this kb-server reads schemas up to " + kSchemaVersion +
         " (upgrade kb-server, or publish again with its kb-index)";
}
// The average document length and the scale that a build normalised term frequencies with
// (below): a search ranks with the scale its generation was built with.
inline constexpr const char* kMetaNormLength = "kb.norm_length";
inline constexpr const char* kMetaWdfScale = "kb.wdf_scale";
inline constexpr const char* kMetaLexiconPrefix = "kb.lexicon.";  // + language: JSON
inline constexpr const char* kMetaChampionsPrefix = "kb.champions.";  // + language (champions.h)
// Per-language spelling dictionaries: Xapian databases in <generation>/spelling-<lang>.
inline constexpr const char* kSpellingDirPrefix = "spelling-";

// Length-normalised term frequencies (since schema 3, docs/schema.md): every free-text
// term's wdf is stored as wdf * max(1, round(kWdfScale / norm)), where norm = (1 - kNormB) +
// kNormB * max(length / kb.norm_length, kNormMinLength) is BM25's length normalisation
// (length: the document's natural length, the sum of its natural wdfs). A search ranks with BM25 with
// k1 = kWdfScale and b = 0: the same term weights as BM25(k1 = 1, b = 0.5) on natural wdfs,
// times (kWdfScale + 1) / 2, without reading any document's length. The scale keeps the
// rounding to a whole factor small (under 0.15 % up to three times the average length).
inline constexpr double kWdfScale = 1024.0;
inline constexpr double kNormB = 0.5;
inline constexpr double kNormMinLength = 0.5;

// The scale a generation records in kb.wdf_scale; kWdfScale when it records none (or one out
// of range). The writer of an incremental build and the searcher read it alike.
inline double recorded_wdf_scale(const std::string& metadata) {
  const double scale = std::strtod(metadata.c_str(), nullptr);
  return scale >= 1 && scale <= 1e6 ? scale : kWdfScale;
}

// A document's stored data (document_data.h): slot kSlotData since schema 4, the document's
// data before.
inline std::string stored_data(const Xapian::Document& doc) {
  std::string data = doc.get_value(kSlotData);
  if (data.empty()) data = doc.get_data();
  return data;
}

// Gap between the positions of two fields, so phrases never match across fields.
inline constexpr Xapian::termpos kFieldGap = 100;

inline std::string term(std::string_view prefix, std::string_view value) {
  std::string t(prefix);
  t += value;
  return t;
}

}  // namespace kb::schema
