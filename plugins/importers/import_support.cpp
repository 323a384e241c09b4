// Ids, path languages, summaries and RFC 4180 parsing for the importers.
#include "import_support.h"

#include <algorithm>

#include <cctype>
#include <cstdio>

#include "hash.h"
#include "language.h"
#include "utf8.h"

namespace kb::plugins {
namespace {

bool is_ascii_alnum(unsigned char c) { return std::isalnum(c) != 0 && c < 0x80; }

// A language tag usable in a path: two-letter primary subtag, known to ICU.
std::string path_language(const std::string& candidate) {
  if (candidate.size() < 2 || candidate.size() > 11) return "";
  if (!std::isalpha(static_cast<unsigned char>(candidate[0])) ||
      !std::isalpha(static_cast<unsigned char>(candidate[1]))) {
    return "";
  }
  if (candidate.size() > 2 && candidate[2] != '-' && candidate[2] != '_') return "";
  auto norm = normalise_language_tag(candidate);
  return norm ? *norm : "";
}

}  // namespace

std::string slugify(std::string_view text, std::size_t max_len) {
  std::string out;
  bool dash = false;
  for (unsigned char c : text) {
    if (is_ascii_alnum(c)) {
      if (dash && !out.empty()) out.push_back('-');
      dash = false;
      out.push_back(static_cast<char>(std::tolower(c)));
    } else if (c == '_' && !out.empty() && !dash) {
      out.push_back('_');
    } else {
      dash = true;
    }
    if (out.size() >= max_len) break;
  }
  if (out.size() > max_len) out.resize(max_len);
  while (!out.empty() && (out.back() == '-' || out.back() == '_')) out.pop_back();
  return out;
}

std::string text_hash_id(std::string_view text) {
  char buf[20];
  std::snprintf(buf, sizeof buf, "h%012llx",
                static_cast<unsigned long long>(fnv1a64(text) & 0xffffffffffffull));
  return buf;
}

PathInfo path_info(std::string_view relative_path) {
  PathInfo info;
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= relative_path.size()) {
    const auto slash = relative_path.find('/', start);
    const auto end = slash == std::string_view::npos ? relative_path.size() : slash;
    if (end > start) parts.emplace_back(relative_path.substr(start, end - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  if (parts.empty()) return info;
  for (std::size_t i = parts.size() - 1; i-- > 0;) {
    const std::string lang = path_language(parts[i]);
    if (!lang.empty()) {
      info.folder_lang = lang;
      break;
    }
  }
  std::string name = parts.back();
  const auto dot = name.rfind('.');
  if (dot != std::string::npos && dot > 0) name.resize(dot);
  const auto lang_dot = name.rfind('.');
  if (lang_dot != std::string::npos && lang_dot > 0) {
    const std::string lang = path_language(name.substr(lang_dot + 1));
    if (!lang.empty()) {
      info.suffix_lang = lang;
      name.resize(lang_dot);
    }
  }
  info.page = name;
  return info;
}

std::string collapse_spaces(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool space = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    const bool nbsp = c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0xA0;
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' || nbsp) {
      space = true;
      if (nbsp) ++i;
      continue;
    }
    if (space && !out.empty()) out.push_back(' ');
    space = false;
    out.push_back(static_cast<char>(c));
  }
  return out;
}

std::string summary_from_text(std::string_view plain_text, std::size_t max_bytes) {
  const std::string text = collapse_spaces(plain_text);
  if (text.size() <= max_bytes) return text;
  // The longest run of whole sentences that fits.
  std::size_t cut = 0;
  for (std::size_t i = 0; i < max_bytes && i < text.size(); ++i) {
    const char c = text[i];
    const bool ascii_end = (c == '.' || c == '?' || c == '!') && i + 1 < text.size() && text[i + 1] == ' ';
    // U+3002 ideographic full stop, U+FF01, U+FF1F (Chinese and Japanese).
    const bool cjk_end = i + 2 < text.size() && static_cast<unsigned char>(c) == 0xE3 &&
                         static_cast<unsigned char>(text[i + 1]) == 0x80 &&
                         static_cast<unsigned char>(text[i + 2]) == 0x82;
    if (ascii_end && i + 1 <= max_bytes) cut = i + 1;
    if (cjk_end && i + 3 <= max_bytes) cut = i + 3;
  }
  if (cut >= max_bytes / 3) return text.substr(0, cut);
  // No sentence end early enough: cut at a space, or at a code point boundary.
  const std::size_t room = max_bytes - 3;  // "…" is three bytes
  std::size_t end = text.rfind(' ', room);
  if (end == std::string::npos || end < room / 2) {
    end = room;
    while (end > 0 && is_continuation_byte(static_cast<unsigned char>(text[end]))) --end;
  }
  return text.substr(0, end) + "\xE2\x80\xA6";
}

bool valid_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (int i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  const int year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
  const int month = (s[5] - '0') * 10 + (s[6] - '0');
  const int day = (s[8] - '0') * 10 + (s[9] - '0');
  if (month < 1 || month > 12 || day < 1) return false;
  static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (day > days[month - 1]) return false;
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return !(month == 2 && day == 29 && !leap);
}

std::optional<std::string> date_prefix(std::string_view text) {
  if (text.size() < 10) return std::nullopt;
  const auto d = text.substr(0, 10);
  if (!valid_date(d)) return std::nullopt;
  if (text.size() > 10 && text[10] != 'T' && text[10] != ' ') return std::nullopt;
  return std::string(d);
}

std::vector<DelimitedRecord> parse_delimited(std::string_view text, char delimiter,
                                             std::optional<DelimitedError>& error) {
  std::vector<DelimitedRecord> records;
  error.reset();
  int line = 1;
  int column = 1;
  std::size_t i = 0;
  auto advance = [&](std::size_t n) {
    for (std::size_t k = 0; k < n && i < text.size(); ++k, ++i) {
      const unsigned char c = static_cast<unsigned char>(text[i]);
      if (c == '\n') {
        ++line;
        column = 1;
      } else if (!is_continuation_byte(c)) {
        ++column;
      }
    }
  };
  while (i < text.size()) {
    if (text[i] == '\n') {  // blank line
      advance(1);
      continue;
    }
    DelimitedRecord record;
    record.line = line;
    while (true) {
      DelimitedField field;
      field.line = line;
      field.column = column;
      if (i < text.size() && text[i] == '"') {
        const int quote_line = line, quote_column = column;
        advance(1);
        bool closed = false;
        while (i < text.size()) {
          if (text[i] == '"') {
            if (i + 1 < text.size() && text[i + 1] == '"') {
              field.text.push_back('"');
              advance(2);
              continue;
            }
            advance(1);
            closed = true;
            break;
          }
          field.text.push_back(text[i]);
          advance(1);
        }
        if (!closed) {
          error = DelimitedError{quote_line, quote_column, "quoted field is not closed"};
          return records;
        }
        if (i < text.size() && text[i] != delimiter && text[i] != '\n') {
          error = DelimitedError{line, column, "text after a closing quote (double quotes inside a quoted field)"};
          return records;
        }
      } else {
        while (i < text.size() && text[i] != delimiter && text[i] != '\n') {
          field.text.push_back(text[i]);
          advance(1);
        }
      }
      record.fields.push_back(std::move(field));
      if (i < text.size() && text[i] == delimiter) {
        advance(1);
        continue;
      }
      if (i < text.size()) advance(1);  // the line end
      break;
    }
    records.push_back(std::move(record));
  }
  return records;
}

bool valid_id(std::string_view id) {
  if (id.empty() || id.size() > 100) return false;
  const auto lower_or_digit = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  };
  if (!lower_or_digit(id[0])) return false;
  return std::all_of(id.begin(), id.end(),
                     [&](char c) { return lower_or_digit(c) || c == '-' || c == '_' || c == '.'; });
}

bool ends_with_ci(std::string_view path, std::string_view suffix) {
  if (path.size() < suffix.size()) return false;
  for (std::size_t i = 0; i < suffix.size(); ++i) {
    const char c = path[path.size() - suffix.size() + i];
    if ((c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c) != suffix[i]) return false;
  }
  return true;
}

}  // namespace kb::plugins
