// Helpers shared by the importers: ids, languages from paths, summaries, delimited text.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kb::plugins {

// A knowledge id made from free text: ASCII letters and digits lowercased, every other run
// of characters one '-', at most `max_len` bytes, no leading or trailing '-'. Empty when the
// text has no ASCII letter or digit (callers then use text_hash_id()).
std::string slugify(std::string_view text, std::size_t max_len = 100);

// "h" followed by 12 hex digits of a 64-bit FNV-1a hash of `text`: a stable id for text that
// has no ASCII letters (Chinese or Japanese questions).
std::string text_hash_id(std::string_view text);

// A valid knowledge id: 1 to 100 bytes of lowercase ASCII letters, digits, '-', '_' and '.',
// starting with a letter or digit (docs/content-format.md).
bool valid_id(std::string_view id);

// Whether `path` ends with `suffix` (given in lowercase), ignoring ASCII case: "FAQ.HTML".
bool ends_with_ci(std::string_view path, std::string_view suffix);

// What a file's place in the content folder says about it.
struct PathInfo {
  std::string page;          // file name without folders, extension and language suffix
  std::string folder_lang;   // the nearest folder named by a language tag ("de", "zh-cn"), or ""
  std::string suffix_lang;   // the language suffix of the file name ("faq.de.html"), or ""
};

// Splits `relative_path` (generic, '/' separated). Folder and suffix languages are accepted
// only when their primary subtag has two letters (so a folder "faq" is not Faroese-Ancient)
// and ICU knows the language; they are returned normalised ("zh_CN" -> "zh-cn").
PathInfo path_info(std::string_view relative_path);

// The first sentences of `plain_text`, at most `max_bytes` bytes, cut at a sentence end
// when there is one, else at a word boundary (with "…"). Whitespace is collapsed.
std::string summary_from_text(std::string_view plain_text, std::size_t max_bytes = 300);

// Collapses runs of whitespace (ASCII and U+00A0) into one space and trims the ends.
std::string collapse_spaces(std::string_view text);

// "2026-09-14T10:00:00Z" -> "2026-09-14"; nullopt unless the text starts with a valid date.
std::optional<std::string> date_prefix(std::string_view text);

// True for YYYY-MM-DD with a real day of a real month.
bool valid_date(std::string_view date);

// One field of a delimited (CSV or TSV) file, with where it starts.
struct DelimitedField {
  std::string text;
  int line = 1;
  int column = 1;
};

struct DelimitedRecord {
  std::vector<DelimitedField> fields;
  int line = 1;  // where the record starts
};

struct DelimitedError {
  int line = 1;
  int column = 1;
  std::string message;
};

// Parses RFC 4180 text with `delimiter` (',' or '\t'): fields may be quoted with '"', a quote
// inside a quoted field is doubled, quoted fields may hold delimiters and line ends. `text`
// must have LF line ends. Blank lines are skipped. Columns count code points. Stops at the
// first error (an unclosed quote, text after a closing quote) and reports it.
std::vector<DelimitedRecord> parse_delimited(std::string_view text, char delimiter,
                                             std::optional<DelimitedError>& error);

}  // namespace kb::plugins
