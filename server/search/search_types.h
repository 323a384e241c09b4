// Requests and responses of the search library, independent of HTTP.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace kb::search {

struct SearchRequest {
  std::string query;                    // free text, valid UTF-8
  std::string lang;                     // normalised tag, or "" to detect
  std::vector<std::string> preferred;   // Accept-Language tags, normalised, best first
  std::string channel = "web";          // visibility: only items allowed on this channel
  std::string category;
  std::string tag;
  std::string product;
  int page = 1;                         // 1-based
  int per_page = 10;
  bool include_internal = false;        // internal items (agents only)
  bool prefix = true;                   // the last word may be unfinished (as-you-type)
  bool facets = true;                   // count categories, tags, products and channels
  // answer() only: items not to serve (the customer rated them unhelpful); the next
  // candidate is taken instead.
  std::set<std::string> skip_items;
};

struct SearchHit {
  std::string id;
  std::string lang;
  std::string title;
  std::string summary;
  std::string snippet;   // HTML-escaped, matches in <mark>
  std::string url;
  double score = 0;      // bm25 * feedback, the order of the hits; comparable within one response only
  double bm25 = 0;       // Xapian's BM25-based weight
  double feedback = 1;   // the bounded feedback factor (feedback_boost.h)
  int percent = 0;       // Xapian's percentage relevance
};

struct SearchResponse {
  std::vector<SearchHit> hits;
  std::uint64_t total = 0;         // estimated matching knowledge items
  std::string requested_lang;      // normalised request language, "" if detected
  std::string served_lang;         // language of the results ("" when there are none)
  bool fallback = false;           // served in another language than requested
  bool all_languages = false;      // no language was known: every language was searched
  std::string index_version;       // generation name
  std::string did_you_mean;        // the query with typos corrected, "" when none were found
  // facet name ("category", "tag", "product", "channel") -> value -> matching items
  std::map<std::string, std::map<std::string, std::uint64_t>> facets;
};

// An article as stored in the knowledge base (one knowledge item in one language).
struct StoredArticle {
  std::string id;
  std::string lang;
  std::string version;   // hash of the content: changes exactly when the content changes
  std::string title;
  std::string summary;
  std::vector<std::string> questions;
  std::string category;
  std::vector<std::string> tags;
  std::vector<std::string> products;
  std::vector<std::string> channels;  // empty: every channel
  std::string audience;               // "public" or "internal"
  std::string updated;
  std::vector<std::string> related;
  std::string body_markdown;
  std::string body_text;
  std::vector<std::string> internal_notes;  // agents only: callers must not pass them on
  std::string source;                       // content file it came from
  std::string url;
};

struct RelatedRef {
  std::string id;
  std::string lang;
  std::string title;
  std::string url;
};

struct ArticleRequest {
  std::string id;
  std::string lang;                     // normalised tag, or "" for preferred/default
  std::vector<std::string> preferred;   // Accept-Language
  std::string channel = "web";
  bool include_internal = false;
};

struct ArticleLookup {
  StoredArticle article;
  std::vector<RelatedRef> related;  // related items visible on the channel, same language
  std::string served_lang;
  bool fallback = false;
  std::string index_version;
};

// The best single answer for a question, with the ranked candidates behind it.
struct AnswerLookup {
  SearchResponse search;               // the candidates (first page)
  std::optional<ArticleLookup> best;   // the top candidate's article, if any
  double confidence = 0;               // 0..1, from the top candidate's relevance
};

struct SuggestRequest {
  std::string query;                    // what the customer has typed so far
  std::string lang;                     // normalised tag, or "" to detect
  std::vector<std::string> preferred;   // Accept-Language
  std::string channel = "web";
  bool include_internal = false;
  int limit = 8;
};

struct Suggestion {
  std::string text;         // a title or an alternate question, as written
  std::string highlighted;  // HTML-escaped, the typed words in <mark>
  std::string kind;         // "title" or "question"
  std::string id;
  std::string lang;
  std::string url;
};

struct SuggestResponse {
  std::vector<Suggestion> suggestions;
  std::string served_lang;
  std::string index_version;
};

struct IndexStatus {
  std::string index_version;
  std::string built_at;
  std::string schema;  // kb.schema of the generation served ("" before schema 2)
  // A published generation that is not served because this server does not read its schema
  // (KnowledgeBase::refresh), with the reason; empty otherwise.
  std::string refused_generation, refused_reason;
  std::uint64_t documents = 0;
  std::map<std::string, std::uint64_t> languages;
  // Per language, the common stems with champion lists (docs/schema.md); and the languages
  // whose stored lists do not decode (their common-word queries are bounded instead).
  std::map<std::string, std::uint64_t> champion_lists;
  std::vector<std::string> champion_lists_damaged;
};

// Settings of the search library, from the server configuration.
struct SearchSettings {
  std::vector<std::string> default_languages = {"en"};
  // Placeholders {id} and {lang}.
  std::string url_template = "/v1/articles/{id}?lang={lang}";
  int max_per_page = 50;
  std::size_t max_query_bytes = 1000;
  std::size_t cache_entries = 10000;  // search responses kept per server; 0 disables
  int time_limit_ms = 100;            // Xapian stops ranking after this (partial, best-so-far)
  // A query of common words only (each in at least 10 % of the language's articles) ranks at
  // most this many matching documents, the best of them first; 0: no limit.
  unsigned common_words_limit = 5000;
  // Searches (search, suggest, answer, article) that run at once: the search pool's workers
  // (SearchPool), 0: one per core it may run on (at least two, at most 256; a search is CPU
  // work, and more at once only share the cores, each taking as long as all of them); the
  // others wait their turn in arrival order. A search that finds `max_waiting` others
  // waiting for a worker, or waits longer than `max_wait_ms`, fails "overloaded". Cache hits
  // do not wait.
  unsigned concurrency = 0;
  std::size_t max_waiting = 1024;
  int max_wait_ms = 2000;
};

}  // namespace kb::search
