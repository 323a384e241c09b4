// The stored form of an article (in value slot schema::kSlotData since schema 4, in the
// Xapian document's data before): the fields as one small JSON object, then the two bodies as
// raw bytes, so a search reads a hit's fields without scanning the bodies through a JSON
// parser (docs/schema.md, "Document data").
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace kb {

struct DocumentData {
  nlohmann::json fields;       // every stored field but the bodies; discarded if damaged
  std::string_view body_text;  // plain text of the body (snippets), into the decoded data
  std::string_view body_markdown;
  std::string_view body_spans;  // the "body_spans" field (body_spans.h) when `fields` has it
                                // (a decode of some fields: when asked for), viewed there
};

// `fields` must be an object without "body_text", "body_markdown" and "body_text_bytes".
std::string encode_document_data(const nlohmann::json& fields, std::string_view body_text,
                                 std::string_view body_markdown);

// Decodes `data` (the views point into it, so it must outlive the result). Also reads the
// JSON-only form of schema 1, whose bodies are fields of the object. Damaged data gives a
// discarded `fields` (is_discarded()) and empty bodies; it never throws.
DocumentData decode_document_data(std::string_view data);

// The same with only the fields named in `keys` (those it has): a search hit needs five of
// the seventeen, and the others' values are skipped without being parsed into JSON values.
DocumentData decode_document_data(std::string_view data, std::initializer_list<std::string_view> keys);

// What a search hit reads of its stored data, viewed in `data` (which must outlive it)
// rather than copied into JSON values: a result list decodes ten of these per search. The
// same reading as decode_document_data(data, {"id", "lang", "title", "summary",
// "body_position", "body_spans"}), which it falls back on for anything but the compact
// object the indexer writes; a string field holding another type reads as empty, and
// body_position is set when it is an unsigned integer. Damaged data gives ok == false; it
// never throws (but std::bad_alloc). Thread-compatible: a HitData is one caller's.
struct HitData {
  bool ok = false;  // false: damaged data (DocumentData's discarded fields)
  std::string_view id, lang, title, summary, body_spans, body_text;
  std::optional<std::uint64_t> body_position;
  // Strings that are not the data's own bytes (escaped ones, and everything the fallback
  // read), viewed above: each on the heap, so moving a HitData keeps every view valid
  // (a HitData moves and is never copied).
  std::vector<std::unique_ptr<std::string>> owned;
  // Keeps `s` in `owned`, returning a view of the copy.
  std::string_view keep(std::string s) {
    return *owned.emplace_back(std::make_unique<std::string>(std::move(s)));
  }
};
HitData decode_hit_data(std::string_view data);

}  // namespace kb
