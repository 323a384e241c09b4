// UTF-8 checks and positions in text, shared by importers and the HTTP layer.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace kb {

// Byte offset of the first byte that is not part of well-formed UTF-8 (overlong forms,
// surrogates and code points above U+10FFFF are ill-formed), or nullopt if `text` is valid.
std::optional<std::size_t> find_invalid_utf8(std::string_view text) noexcept;

struct LineColumn {
  int line = 1;    // 1-based
  int column = 1;  // 1-based, counted in code points
};

// The line and column of byte `offset` in `text` ('\n' ends a line).
LineColumn line_column_at(std::string_view text, std::size_t offset) noexcept;

// Removes a leading UTF-8 byte-order mark and turns CRLF and lone CR line ends into LF.
std::string normalise_line_ends(std::string_view text);

// The number of code points of `text`, an ill-formed sequence counting as one (as ICU reads
// it: one U+FFFD).
std::size_t code_points(std::string_view text) noexcept;

// Whether `c` continues a UTF-8 sequence (10xxxxxx) rather than starting a code point.
inline bool is_continuation_byte(unsigned char c) noexcept { return (c & 0xC0) == 0x80; }

// Whether every byte of `text` is ASCII.
bool is_ascii(std::string_view text) noexcept;

// `c` with A-Z made lowercase (what NFKC case folding does to ASCII).
inline char ascii_lower(char c) noexcept { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// ASCII text with A-Z made lowercase: its NFKC case folding, and an ASCII word's token text.
std::string ascii_lowercase(std::string_view text);

// Longest prefix of `text` of at most `max_bytes` bytes that does not split a code point.
// (Inline, with is_continuation_byte: the channel renderers use them without kb_indexer.)
inline std::string_view utf8_prefix(std::string_view text, std::size_t max_bytes) noexcept {
  if (text.size() <= max_bytes) return text;
  std::size_t end = max_bytes;
  while (end > 0 && is_continuation_byte(static_cast<unsigned char>(text[end]))) --end;
  return text.substr(0, end);
}

}  // namespace kb
