// Document data: `{fields}\n<body_text><body_markdown>`, the fields holding the length of
// body_text in bytes. nlohmann's dump escapes control characters, so the first newline
// ends the fields.
#include "document_data.h"

namespace kb {
namespace {

constexpr const char* kBodyTextBytes = "body_text_bytes";

}  // namespace

std::string encode_document_data(const nlohmann::json& fields, std::string_view body_text,
                                 std::string_view body_markdown) {
  nlohmann::json header = fields;
  header[kBodyTextBytes] = body_text.size();
  std::string out = header.dump();
  out.reserve(out.size() + 1 + body_text.size() + body_markdown.size());
  out += '\n';
  out += body_text;
  out += body_markdown;
  return out;
}

DocumentData decode_document_data(std::string_view data) {
  DocumentData out;
  const auto newline = data.find('\n');
  if (newline == std::string_view::npos) {
    // Schema 1: one JSON object. Its bodies stay in `fields` and are viewed there (a json
    // value keeps its strings on the heap, so moving the result does not move them).
    out.fields = nlohmann::json::parse(data, nullptr, false);
    if (!out.fields.is_object()) {
      out.fields = nlohmann::json(nlohmann::json::value_t::discarded);
      return out;
    }
    auto view = [&out](const char* key) -> std::string_view {
      const auto it = out.fields.find(key);
      return it != out.fields.end() && it->is_string() ? std::string_view(it->get_ref<const std::string&>())
                                                       : std::string_view();
    };
    out.body_text = view("body_text");
    out.body_markdown = view("body_markdown");
    return out;
  }
  out.fields = nlohmann::json::parse(data.substr(0, newline), nullptr, false);
  const std::string_view bodies = data.substr(newline + 1);
  const auto text_bytes = out.fields.is_object() ? out.fields.find(kBodyTextBytes) : out.fields.end();
  if (!out.fields.is_object() || text_bytes == out.fields.end() || !text_bytes->is_number_unsigned() ||
      text_bytes->get<std::size_t>() > bodies.size()) {
    out.fields = nlohmann::json(nlohmann::json::value_t::discarded);
    return out;
  }
  const auto n = text_bytes->get<std::size_t>();
  out.fields.erase(kBodyTextBytes);
  out.body_text = bodies.substr(0, n);
  out.body_markdown = bodies.substr(n);
  return out;
}

}  // namespace kb
