// Unit tests of indexer/utf8.h: validation offsets, line/column positions, line ends, prefixes.
#include <doctest/doctest.h>

#include <cstddef>
#include <optional>
#include <random>
#include <string>
#include <string_view>

#include <unicode/utf8.h>

#include "utf8.h"

namespace {

constexpr long kValid = -1;

// find_invalid_utf8 as a number doctest can print: the offset, or -1 for valid text.
long invalid_offset(std::string_view text) {
  const std::optional<std::size_t> r = kb::find_invalid_utf8(text);
  return r ? static_cast<long>(*r) : kValid;
}

// The first ill-formed byte, one byte at a time (RFC 3629's table, as ICU reads it): what
// find_invalid_utf8, which skips ASCII eight bytes at a time, must agree with.
long reference_offset(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t before = i;
    UChar32 c = 0;
    U8_NEXT(reinterpret_cast<const uint8_t*>(text.data()), i, text.size(), c);
    if (c < 0) return static_cast<long>(before);
  }
  return kValid;
}

}  // namespace

TEST_CASE("find_invalid_utf8 returns the offset of the first ill-formed byte") {
  struct Case {
    const char* name;
    std::string text;
    long expected;
  };
  const Case cases[] = {
      {"empty", "", kValid},
      {"ASCII", "Reset your password, then sign in.", kValid},
      {"ASCII with NUL and DEL", std::string("a\0b\x7F", 4), kValid},
      {"2-byte U+00E9", "caf\xC3\xA9", kValid},
      {"2-byte lowest U+0080", "\xC2\x80", kValid},
      {"3-byte U+20AC", "\xE2\x82\xAC" "5", kValid},
      {"3-byte lowest U+0800", "\xE0\xA0\x80", kValid},
      {"3-byte U+D7FF just below surrogates", "\xED\x9F\xBF", kValid},
      {"3-byte U+E000 just above surrogates", "\xEE\x80\x80", kValid},
      {"4-byte U+1F600", "ok \xF0\x9F\x98\x80", kValid},
      {"4-byte lowest U+10000", "\xF0\x90\x80\x80", kValid},
      {"4-byte highest U+10FFFF", "\xF4\x8F\xBF\xBF", kValid},
      {"mixed scripts", "Passwort \xE3\x83\x91\xE3\x82\xB9 \xE0\xB8\xA5", kValid},
      {"overlong NUL C0 80", "a\xC0\x80", 1},
      {"overlong C1 BF", "\xC1\xBF", 0},
      {"overlong 3-byte E0 80 AF", "xy\xE0\x80\xAF", 2},
      {"overlong 4-byte F0 8F BF BF", "\xF0\x8F\xBF\xBF", 0},
      {"surrogate ED A0 80", "ab\xED\xA0\x80", 2},
      {"surrogate ED BF BF", "\xED\xBF\xBF", 0},
      {"above U+10FFFF F4 90 80 80", "\xF4\x90\x80\x80", 0},
      {"lead byte F5", "abc\xF5\x80\x80\x80", 3},
      {"byte FF", "\xFF", 0},
      {"truncated 2-byte at end", "x\xC3", 1},
      {"truncated 3-byte at end", "ab\xE2\x82", 2},
      {"truncated 4-byte at end", "\xF0\x9F\x98", 0},
      {"truncated 3-byte before ASCII", "\xE2\x82" "z", 0},
      {"truncated 4-byte before ASCII", "a\xF0\x9F\x98" "b", 1},
      {"stray continuation byte", "abc\x80", 3},
      {"stray continuation after a 2-byte char", "\xC3\xA9\xA9", 2},
      {"invalid after valid 3-byte char", "\xE2\x82\xAC\xC0", 3},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    CHECK(invalid_offset(c.text) == c.expected);
  }
}

TEST_CASE("find_invalid_utf8 reports only the first error") {
  CHECK(invalid_offset("ok\x80\xFF\xC0") == 2);
}

TEST_CASE("line_column_at counts lines from 1 and columns in code points") {
  struct Case {
    const char* name;
    std::string text;
    std::size_t offset;
    int line;
    int column;
  };
  // "日本語\nx日本": 日本語 is bytes 0-8, '\n' 9, 'x' 10, 日 11-13, 本 14-16.
  const std::string cjk = "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E\nx\xE6\x97\xA5\xE6\x9C\xAC";
  const Case cases[] = {
      {"start of text", "abc", 0, 1, 1},
      {"third ASCII char", "abc", 2, 1, 3},
      {"start of second line", "a\nb", 2, 2, 1},
      {"second char of second line", "a\nbc", 3, 2, 2},
      {"the newline itself", "ab\ncd", 2, 1, 3},
      {"third line", "a\n\nxyz", 5, 3, 3},
      {"after a 2-byte char", "h\xC3\xA9llo", 3, 1, 3},
      {"after a 4-byte char", "\xF0\x9F\x98\x80x", 4, 1, 2},
      {"after three CJK chars", cjk, 9, 1, 4},
      {"CJK on the second line", cjk, 14, 2, 3},
      {"offset past the end clamps", "ab", 100, 1, 3},
      {"empty text", "", 0, 1, 1},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    const kb::LineColumn lc = kb::line_column_at(c.text, c.offset);
    CHECK(lc.line == c.line);
    CHECK(lc.column == c.column);
  }
}

TEST_CASE("line_column_at agrees with find_invalid_utf8 on where a bad byte is") {
  const std::string text = "title: Caf\xC3\xA9\nbody: \xE2\x82\xAC\xC0 oops";
  const long offset = invalid_offset(text);
  REQUIRE(offset == 22);
  const kb::LineColumn lc = kb::line_column_at(text, static_cast<std::size_t>(offset));
  CHECK(lc.line == 2);
  CHECK(lc.column == 8);  // "body: " is 6, the euro sign is column 7
}

TEST_CASE("normalise_line_ends removes a BOM and turns CRLF and CR into LF") {
  struct Case {
    const char* name;
    std::string in;
    std::string out;
  };
  const Case cases[] = {
      {"empty", "", ""},
      {"LF unchanged", "a\nb\n", "a\nb\n"},
      {"leading BOM removed", "\xEF\xBB\xBFtitle", "title"},
      {"BOM only", "\xEF\xBB\xBF", ""},
      {"only one BOM removed", "\xEF\xBB\xBF\xEF\xBB\xBFx", "\xEF\xBB\xBFx"},
      {"BOM not at the start kept", "a\xEF\xBB\xBF", "a\xEF\xBB\xBF"},
      {"CRLF", "a\r\nb\r\n", "a\nb\n"},
      {"lone CR", "a\rb\r", "a\nb\n"},
      {"CR CR LF is two line ends", "a\r\r\nb", "a\n\nb"},
      {"LF CR is two line ends", "a\n\rb", "a\n\nb"},
      {"BOM and CRLF", "\xEF\xBB\xBF# T\r\n\r\nbody", "# T\n\nbody"},
      {"multibyte text kept", "\xE6\x97\xA5\r\n\xC3\xA9", "\xE6\x97\xA5\n\xC3\xA9"},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    CHECK(kb::normalise_line_ends(c.in) == c.out);
  }
}

TEST_CASE("utf8_prefix returns the longest prefix that does not split a code point") {
  struct Case {
    const char* name;
    std::string text;
    std::size_t max_bytes;
    std::string expected;
  };
  const Case cases[] = {
      {"shorter than the limit", "abc", 5, "abc"},
      {"exactly the limit", "abc", 3, "abc"},
      {"ASCII cut", "abc", 2, "ab"},
      {"zero bytes", "abc", 0, ""},
      {"cut inside a 2-byte char", "a\xC3\xA9", 2, "a"},
      {"2-byte char fits", "a\xC3\xA9" "b", 3, "a\xC3\xA9"},
      {"cut after first byte of a 3-byte char", "\xE6\x97\xA5\xE6\x9C\xAC", 4, "\xE6\x97\xA5"},
      {"cut after second byte of a 3-byte char", "\xE6\x97\xA5\xE6\x9C\xAC", 5, "\xE6\x97\xA5"},
      {"3-byte char does not fit at all", "\xE6\x97\xA5\xE6\x9C\xAC", 2, ""},
      {"4-byte char does not fit", "\xF0\x9F\x98\x80", 3, ""},
      {"4-byte char then ASCII", "\xF0\x9F\x98\x80z", 4, "\xF0\x9F\x98\x80"},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    CHECK(std::string(kb::utf8_prefix(c.text, c.max_bytes)) == c.expected);
  }
}

TEST_CASE("utf8_prefix never splits a code point, whatever the limit") {
  // 1-, 2-, 3- and 4-byte characters: "aé€😀日b", and the byte offsets where each one starts.
  const std::string text = "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\xE6\x97\xA5" "b";
  const std::size_t boundaries[] = {0, 1, 3, 6, 10, 13, 14};
  REQUIRE(invalid_offset(text) == kValid);
  REQUIRE(text.size() == 14);
  for (std::size_t max = 0; max <= text.size() + 1; ++max) {
    CAPTURE(max);
    std::size_t longest = 0;
    for (std::size_t b : boundaries) {
      if (b <= max) longest = b;
    }
    const std::string_view p = kb::utf8_prefix(text, max);
    CHECK(p.data() == text.data());
    CHECK(p.size() == longest);
    CHECK(invalid_offset(p) == kValid);
  }
}

TEST_CASE("code_points counts characters, an ill-formed sequence as one") {
  struct Case {
    std::string text;
    std::size_t expected;
  };
  const Case cases[] = {
      {"", 0},
      {"abc", 3},
      {"caf\xC3\xA9", 4},                      // café
      {"\xE6\x97\xA5\xE6\x9C\xAC", 2},         // 日本
      {"\xF0\x9F\x98\x80!", 2},                // 😀!
      {"a\x80" "b", 3},                        // a lone continuation byte
      {"\xE6\x97", 1},                         // a character cut short
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    CHECK(kb::code_points(c.text) == c.expected);
  }
}

TEST_CASE("ASCII checks and lowercase leave everything but A-Z as it is") {
  CHECK(kb::is_ascii(""));
  CHECK(kb::is_ascii("Wi-Fi 5GHz, ok?"));
  CHECK_FALSE(kb::is_ascii("caf\xC3\xA9"));
  CHECK_FALSE(kb::is_ascii(std::string_view("a\x80", 2)));
  CHECK(kb::ascii_lowercase("Wi-Fi ROUTER [Z@]") == "wi-fi router [z@]");
  CHECK(kb::ascii_lower('@') == '@');
  CHECK(kb::ascii_lower('[') == '[');
  CHECK(kb::ascii_lower('Q') == 'q');
}

TEST_CASE("find_invalid_utf8 finds the first bad byte wherever it falls in a run of ASCII") {
  // Runs of ASCII of every length around the eight-byte steps, then one well-formed or
  // ill-formed sequence, then more text: every offset the same as a byte-by-byte reading.
  const std::string_view tails[] = {"\xC3\xA9", "\xE3\x81\x82", "\xF0\x9F\x98\x80", "\x80", "\xC3",
                                    "\xE3\x81", "\xED\xA0\x80", "\xF5\x80\x80\x80", "\xFF", "\xC0\xAF"};
  std::size_t checked = 0, invalid = 0;
  for (std::size_t run = 0; run <= 33; ++run) {
    for (const auto tail : tails) {
      for (std::size_t after = 0; after <= 9; ++after) {
        const std::string text = std::string(run, 'a') + std::string(tail) + std::string(after, 'b');
        CHECK(invalid_offset(text) == reference_offset(text));
        invalid += reference_offset(text) != kValid ? 1 : 0;
        ++checked;
      }
    }
  }
  // And random bytes, mostly ASCII with a high byte now and then.
  std::mt19937 rng(20261204);
  for (int n = 0; n < 20000; ++n) {
    std::string text(rng() % 40, ' ');
    for (auto& ch : text) ch = static_cast<char>(rng() % 16 == 0 ? 0x80 + rng() % 128 : 0x20 + rng() % 95);
    CHECK(invalid_offset(text) == reference_offset(text));
    invalid += reference_offset(text) != kValid ? 1 : 0;
    ++checked;
  }
  CHECK(invalid > 5000);            // ill-formed texts were checked,
  CHECK(checked - invalid > 5000);  // and well-formed ones
}
