// The stored form of an article (in value slot schema::kSlotData since schema 4, in the
// Xapian document's data before): the fields as one small JSON object, then the two bodies as
// raw bytes, so a search reads a hit's fields without scanning the bodies through a JSON
// parser (docs/schema.md, "Document data").
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

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

}  // namespace kb
