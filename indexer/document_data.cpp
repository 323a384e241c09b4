// Document data: `{fields}\n<body_text><body_markdown>`, the fields holding the length of
// body_text in bytes. nlohmann's dump escapes control characters, so the first newline
// ends the fields.
#include "document_data.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <iterator>

#include "utf8.h"

namespace kb {
namespace {

constexpr const char* kBodyTextBytes = "body_text_bytes";
constexpr const char* kBodySpans = "body_spans";

constexpr std::size_t kNone = std::string_view::npos;

// The validating skippers below accept a subset of JSON: what nlohmann's compact dump of the
// indexer's fields writes. They return the index after the value starting at s[i], or
// kNone when the value is invalid *or* outside that subset (whitespace, \u escapes,
// fractions, exponents, long numbers, deep nesting); the caller then parses the header
// whole, so every judgement on damaged or unusual data is nlohmann's. The caller has checked
// the header's UTF-8.

// Whether any of the eight bytes of `word` is a quote, a backslash or a control character
// (below 0x20): the bit tricks of "Bit Twiddling Hacks" (determine if a word has a zero
// byte, or a byte less than n), which never miss one.
bool has_special_byte(std::uint64_t word) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL, kHighs = 0x8080808080808080ULL;
  auto has_zero = [](std::uint64_t v) { return ((v - kOnes) & ~v & kHighs) != 0; };
  const bool control = ((word - kOnes * 0x20) & ~word & kHighs) != 0;
  return control || has_zero(word ^ (kOnes * '"')) || has_zero(word ^ (kOnes * '\\'));
}

// A string whose opening quote is at s[i].
std::size_t skip_string(std::string_view s, std::size_t i) {
  for (++i; i < s.size(); ++i) {
    // Eight plain bytes at a time (a title, a summary, the spans' text).
    while (i + 8 <= s.size()) {
      std::uint64_t word;
      std::memcpy(&word, s.data() + i, sizeof word);
      if (has_special_byte(word)) break;
      i += 8;
    }
    if (i >= s.size()) break;
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '"') return i + 1;
    if (c < 0x20) return kNone;  // control characters must be escaped
    if (c == '\\') {
      if (i + 1 >= s.size()) return kNone;
      const char e = s[i + 1];
      if (e != '"' && e != '\\' && e != '/' && e != 'b' && e != 'f' && e != 'n' && e != 'r' && e != 't') {
        return kNone;  // \u (surrogate rules are nlohmann's to judge) or invalid
      }
      ++i;
    }
  }
  return kNone;
}

// An integer of at most 18 digits (-?(0|[1-9][0-9]*)), or true, false, null.
std::size_t skip_scalar(std::string_view s, std::size_t i) {
  for (const std::string_view literal : {"true", "false", "null"}) {
    if (s.substr(i, literal.size()) == literal) return i + literal.size();
  }
  std::size_t j = i;
  if (j < s.size() && s[j] == '-') ++j;
  const std::size_t digits = j;
  while (j < s.size() && s[j] >= '0' && s[j] <= '9') ++j;
  const std::size_t n = j - digits;
  if (n == 0 || n > 18 || (n > 1 && s[digits] == '0')) return kNone;
  return j;
}

std::size_t skip_value(std::string_view s, std::size_t i, int depth = 0) {
  if (i >= s.size() || depth > 32) return kNone;
  if (s[i] == '"') return skip_string(s, i);
  if (s[i] != '[' && s[i] != '{') return skip_scalar(s, i);
  const bool object = s[i] == '{';
  const char close = object ? '}' : ']';
  ++i;
  if (i < s.size() && s[i] == close) return i + 1;
  while (i < s.size()) {
    if (object) {
      if (s[i] != '"') return kNone;
      i = skip_string(s, i);
      if (i == kNone || i >= s.size() || s[i] != ':') return kNone;
      ++i;
    }
    i = skip_value(s, i, depth + 1);
    if (i == kNone || i >= s.size()) return kNone;
    if (s[i] == close) return i + 1;
    if (s[i] != ',') return kNone;
    ++i;
  }
  return kNone;
}

// Walks the top-level fields of `header` as nlohmann's compact dump of the indexer's fields
// writes them, calling on_field(key, raw value) for each, in order; every value is validated
// (the skippers above), none parsed. False when `header` is not such an object, or
// on_field returns false: then the caller parses it whole, and damaged data is judged as
// always.
template <class OnField>
bool scan_fields(std::string_view header, OnField&& on_field) {
  if (header.size() < 2 || header.front() != '{' || header.back() != '}') return false;
  if (find_invalid_utf8(header)) return false;
  std::size_t i = 1;
  if (header[i] == '}') return i + 1 == header.size();
  while (true) {
    if (header[i] != '"') return false;
    const std::size_t key_end = skip_string(header, i);
    if (key_end == kNone || key_end >= header.size() || header[key_end] != ':') return false;
    const std::string_view key = header.substr(i + 1, key_end - i - 2);
    if (key.find('\\') != std::string_view::npos) return false;  // escaped keys: not ours
    const std::size_t value_begin = key_end + 1;
    const std::size_t value_end = skip_value(header, value_begin);
    if (value_end == kNone || value_end >= header.size()) return false;
    if (!on_field(key, header.substr(value_begin, value_end - value_begin))) return false;
    if (header[value_end] == '}') return value_end + 1 == header.size();
    if (header[value_end] != ',') return false;
    i = value_end + 1;
  }
}

// An unsigned integer of at most 18 digits (skip_scalar), as nlohmann reads one.
bool read_unsigned(std::string_view raw, std::uint64_t& number) {
  return raw.front() >= '0' && raw.front() <= '9' &&
         std::from_chars(raw.data(), raw.data() + raw.size(), number).ptr == raw.data() + raw.size();
}

// The top-level fields of the object `header` named in `keys` (and body_text_bytes), each
// value as nlohmann parses it (a string without escapes and an unsigned number are read
// directly, everything else by nlohmann); a discarded value when `header` is not an object as
// nlohmann dumps one (then the caller parses it whole, and damaged data is judged as always).
// The fields not asked for are validated, not parsed: a damaged one rejects the header as
// the whole parse does.
nlohmann::json select_fields(std::string_view header, std::initializer_list<std::string_view> keys) {
  nlohmann::json out = nlohmann::json::object();
  const bool read = scan_fields(header, [&](std::string_view key, std::string_view raw) {
    if (key != kBodyTextBytes && std::find(keys.begin(), keys.end(), key) == keys.end()) return true;
    nlohmann::json value;
    std::uint64_t number = 0;
    if (raw.front() == '"' && raw.find('\\') == std::string_view::npos) {
      // A string without escapes (validated, UTF-8 checked) is its bytes: what nlohmann's
      // parse gives, without its lexer (titles and summaries of every hit).
      value = std::string(raw.substr(1, raw.size() - 2));
    } else if (read_unsigned(raw, number)) {
      value = number;  // nlohmann's unsigned number
    } else {
      value = nlohmann::json::parse(raw, nullptr, false);
      if (value.is_discarded()) return false;
    }
    out[std::string(key)] = std::move(value);  // a repeated key: the last wins, as in nlohmann
    return true;
  });
  return read ? out : nlohmann::json(nlohmann::json::value_t::discarded);
}

// Views the "body_spans" field, if `out.fields` has one as a string (a json value keeps its
// strings on the heap, so the view survives moves of the result).
void view_spans(DocumentData& out) {
  out.body_spans = {};
  if (!out.fields.is_object()) return;
  const auto spans = out.fields.find(kBodySpans);
  if (spans != out.fields.end() && spans->is_string()) out.body_spans = spans->get_ref<const std::string&>();
}

// Splits schema 2's `{fields}\n<bodies>` given the parsed fields; discards damaged data.
void split_bodies(DocumentData& out, std::string_view bodies) {
  const auto text_bytes = out.fields.is_object() ? out.fields.find(kBodyTextBytes) : out.fields.end();
  if (!out.fields.is_object() || text_bytes == out.fields.end() || !text_bytes->is_number_unsigned() ||
      text_bytes->get<std::size_t>() > bodies.size()) {
    out.fields = nlohmann::json(nlohmann::json::value_t::discarded);
    return;
  }
  const auto n = text_bytes->get<std::size_t>();
  out.fields.erase(kBodyTextBytes);
  out.body_text = bodies.substr(0, n);
  out.body_markdown = bodies.substr(n);
  view_spans(out);
}

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
  split_bodies(out, data.substr(newline + 1));
  return out;
}

DocumentData decode_document_data(std::string_view data, std::initializer_list<std::string_view> keys) {
  const auto newline = data.find('\n');
  if (newline == std::string_view::npos) return decode_document_data(data);  // schema 1
  DocumentData out;
  out.fields = select_fields(data.substr(0, newline), keys);
  if (out.fields.is_discarded()) {
    // Not the compact object the indexer writes: the whole parse decides, then the fields
    // asked for are kept.
    out = decode_document_data(data);
    if (out.fields.is_object()) {
      for (auto it = out.fields.begin(); it != out.fields.end();) {
        it = std::find(keys.begin(), keys.end(), it.key()) == keys.end() ? out.fields.erase(it) : std::next(it);
      }
      view_spans(out);  // none unless asked for
    }
    return out;
  }
  split_bodies(out, data.substr(newline + 1));
  return out;
}

HitData decode_hit_data(std::string_view data) {
  HitData out;
  const auto newline = data.find('\n');
  bool fast = newline != std::string_view::npos;  // schema 1 (no newline): the fallback
  std::optional<std::uint64_t> text_bytes;
  if (fast) {
    // The string fields in order: id, lang, title, summary, body_spans.
    const std::string_view names[] = {"id", "lang", "title", "summary", "body_spans"};
    std::string_view* views[] = {&out.id, &out.lang, &out.title, &out.summary, &out.body_spans};
    fast = scan_fields(data.substr(0, newline), [&](std::string_view key, std::string_view raw) {
      std::uint64_t number = 0;
      if (key == kBodyTextBytes || key == "body_position") {
        // What nlohmann reads as an unsigned number is one; anything else it must judge.
        std::optional<std::uint64_t>& slot = key == kBodyTextBytes ? text_bytes : out.body_position;
        if (read_unsigned(raw, number)) {
          slot = number;
          return true;
        }
        const nlohmann::json value = nlohmann::json::parse(raw, nullptr, false);
        if (value.is_discarded()) return false;
        slot = value.is_number_unsigned() ? std::optional<std::uint64_t>(value.get<std::uint64_t>()) : std::nullopt;
        return true;
      }
      const auto named = std::find(std::begin(names), std::end(names), key);
      if (named == std::end(names)) return true;
      std::string_view& view = *views[named - std::begin(names)];
      if (raw.front() == '"' && raw.find('\\') == std::string_view::npos) {
        view = raw.substr(1, raw.size() - 2);
        return true;
      }
      const nlohmann::json value = nlohmann::json::parse(raw, nullptr, false);
      if (value.is_discarded()) return false;
      view = value.is_string() ? out.keep(value.get<std::string>()) : std::string_view();
      return true;
    });
  }
  if (fast) {
    const std::string_view bodies = data.substr(newline + 1);
    if (!text_bytes || *text_bytes > bodies.size()) return HitData();  // damaged, as split_bodies says
    out.body_text = bodies.substr(0, *text_bytes);
    out.ok = true;
    return out;
  }
  // Anything else: the whole parse judges, and what it reads is copied.
  HitData whole;
  const DocumentData decoded =
      decode_document_data(data, {"id", "lang", "title", "summary", "body_position", "body_spans"});
  if (!decoded.fields.is_object()) return whole;
  auto keep = [&whole](std::string_view s) { return whole.keep(std::string(s)); };
  auto text = [&](const char* key) {
    const auto it = decoded.fields.find(key);
    return it != decoded.fields.end() && it->is_string() ? keep(it->get_ref<const std::string&>()) : std::string_view();
  };
  whole.id = text("id");
  whole.lang = text("lang");
  whole.title = text("title");
  whole.summary = text("summary");
  whole.body_spans = decoded.body_spans.empty() ? std::string_view() : keep(decoded.body_spans);
  whole.body_text = keep(decoded.body_text);
  if (const auto it = decoded.fields.find("body_position"); it != decoded.fields.end() && it->is_number_unsigned()) {
    whole.body_position = it->get<std::uint64_t>();
  }
  whole.ok = true;
  return whole;
}

}  // namespace kb
