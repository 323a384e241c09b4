// Unit tests of indexer/word_segments.h: the ASCII fast path gives exactly ICU's word
// segments, alone and through Analyzer::tokenize (differential tests against ICU).
#include <doctest/doctest.h>

#include <unicode/brkiter.h>
#include <unicode/utext.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer.h"
#include "word_segments.h"

namespace {

using kb::AnalysisMode;
using kb::WordBreaking;

// The text with non-printable and non-ASCII bytes as \xNN, for failure messages.
std::string escaped(std::string_view text) {
  std::string out;
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 0x20 && c < 0x7F && c != '\\') {
      out += ch;
    } else {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02X", c);
      out += hex;
    }
  }
  return out;
}

// Segments as "[begin,end)status ...", so a failing check prints both sides whole.
std::string describe(const std::vector<kb::WordSegment>& segments) {
  std::string out;
  for (const auto& s : segments) {
    out += (out.empty() ? "[" : " [") + std::to_string(s.begin) + "," + std::to_string(s.end) +
           ")" + std::to_string(s.rule_status);
  }
  return out;
}

std::vector<kb::WordSegment> segments_of(kb::WordSegments& words, std::string_view text) {
  std::vector<kb::WordSegment> out;
  words.set_text(text);
  for (kb::WordSegment s; words.next(s);) out.push_back(s);
  return out;
}

// The texts of the word segments (rule status >= UBRK_WORD_NONE_LIMIT).
std::vector<std::string> words_of(kb::WordSegments& words, std::string_view text) {
  std::vector<std::string> out;
  for (const auto& s : segments_of(words, text)) {
    if (s.is_word()) out.emplace_back(text.substr(s.begin, s.end - s.begin));
  }
  return out;
}

// The reference: ICU's word BreakIterator on the whole text, as Analyzer used it before
// there was a fast path.
class IcuWords {
 public:
  explicit IcuWords(const std::string& lang) {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Locale locale = icu::Locale::forLanguageTag(lang, status);
    status = U_ZERO_ERROR;
    words_.reset(icu::BreakIterator::createWordInstance(locale, status));
    REQUIRE(U_SUCCESS(status));
  }

  std::vector<kb::WordSegment> segments(std::string_view text) {
    std::vector<kb::WordSegment> out;
    UErrorCode status = U_ZERO_ERROR;
    UText* ut = utext_openUTF8(nullptr, text.data(), static_cast<int64_t>(text.size()), &status);
    words_->setText(ut, status);
    REQUIRE(U_SUCCESS(status));
    int32_t start = words_->first();
    for (int32_t end = words_->next(); end != icu::BreakIterator::DONE;
         start = end, end = words_->next()) {
      out.push_back({static_cast<std::size_t>(start), static_cast<std::size_t>(end),
                     words_->getRuleStatus()});
    }
    utext_close(ut);
    return out;
  }

 private:
  std::unique_ptr<icu::BreakIterator> words_;
};

const char* kind_name(kb::TokenKind k) {
  switch (k) {
    case kb::TokenKind::Word: return "Word";
    case kb::TokenKind::Compound: return "Compound";
    case kb::TokenKind::Bigram: return "Bigram";
    case kb::TokenKind::Unigram: return "Unigram";
  }
  return "?";
}

// Every field of every token: "text|form@begin-end:Kind ...".
std::string describe(const std::vector<kb::Token>& tokens) {
  std::string out;
  for (const auto& t : tokens) {
    out += (out.empty() ? "" : " ") + t.text + "|" + t.form + "@" + std::to_string(t.begin) + "-" +
           std::to_string(t.end) + ":" + kind_name(t.kind);
  }
  return out;
}

// SplitMix64: the same sequence on every platform and standard library.
class Random {
 public:
  explicit Random(uint64_t seed) : state_(seed) {}
  uint64_t next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }

 private:
  uint64_t state_;
};

// ASCII inputs where UAX #29's rules, or ICU's root tailoring of them, decide something.
const char* const kTrickyAscii[] = {
    "e.g.", "i.e. this", "can't", "rock'n'roll", "O'Neil's", "don't.", "'quoted'", "''", "'",
    "\"quoted\"", "a\"b", "3.5", "3.14159", "1,000", "1,000.50", "1;2", "1;a", "a;b", "3,5,7",
    ",1", "1,", "1'000", "a'1", "1'a", "1..2", "1.,2", "a..b", "a.b.c", "a.", ".a", ".", "...",
    "x.", "end.", "U.S.A.", "v1.2.3", "a1b", "1a", "a1", "a1.2", "1a.b", "a.1", "1.a", "0x1F",
    "e=mc2", "foo_bar", "_", "__", "___", "_a", "a_", "_1", "1_", "a_1", "a1_", "1__", "_a_",
    "x_1_y", "1_000", "a_.b", "a._b", "a_'b", "a:b", "10:30", "a::b",
    "http://example.com/a_b?c=1&d=2",
    "path/to/file.txt", "foo@bar.com", "@", "@@", "@home", "a@b.c.", "user@example.org.",
    "C++", "C#", "#hashtag", "$5.00", "5%", "(parenthesised)", "[x]", "{y}", "<tag>", "a-b-c",
    "a--b", "wi-fi", "e-mail", "x  y", "x \t y", "\t\t", " ", "  ", "   x   ", "\r\n", "\r\r\n\n",
    "a\r\nb", "a\rb", "a\nb", "\v\f", "a\vb\fc", "line\nbreak", "tab\tsep", "trailing space ",
    " leading", "Hello, world!", "Is it? Yes!", "a\x01" "b", "\x7F", "a\x1F" "b", "~`^|\\",
};

// Non-ASCII characters next to ASCII: the fast path must hand these to ICU.
const char* const kMixed[] = {
    "caf\xC3\xA9",                        // café
    "na\xC3\xAFve's",                     // naïve's
    "cafe\xCC\x81 au lait",               // e + combining acute
    "abc\xCC\x81 def",                    // a word, then a combining mark
    "x \xCC\x81y",                        // a combining mark after a space attaches to it
    "x\t\xCC\x81y",                       // ... and after a tab
    "\r\xCC\x81", "\n\xCC\x81", "\r\n\xCC\x81",  // ... but not after CR or LF
    "abc\xE6\x97\xA5\xE6\x9C\xAC",        // abc日本
    "\xE6\x97\xA5\xE6\x9C\xAC" "abc",     // 日本abc
    "a\xE2\x80\x99" "b",                  // a’b: U+2019 is MidNumLet
    "can\xE2\x80\x99t stop",
    "1\xE2\x80\x99" "000",
    "a.\xC3\xA9", "\xC3\xA9.a", "1.\xD9\xA3", "\xD9\xA3.5",  // é, ARABIC-INDIC DIGIT THREE
    "1\xC2\xA0" "000",                    // no-break space is not WSegSpace
    "a \xE3\x80\x80 b", "\xE3\x80\x80 x",  // ideographic space is WSegSpace
    "a\xE2\x80\x8D" "b",                  // ZWJ
    "x \xE2\x80\x8D\xF0\x9F\x91\x8D y",   // ZWJ + emoji
    "a\xC2\xAD" "b",                      // soft hyphen: Format
    "\xF0\x9F\x87\xAB\xF0\x9F\x87\xB7 ok",  // a flag: regional indicators
    // Thai (dictionary-based), then Japanese (日本語のテキスト)
    "\xE0\xB8\x81\xE0\xB8\xA3\xE0\xB8\xB8\xE0\xB8\x87\xE0\xB9\x80\xE0\xB8\x97\xE0\xB8\x9E abc",
    "see \xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E\xE3\x81\xAE"
    "\xE3\x83\x86\xE3\x82\xAD\xE3\x82\xB9\xE3\x83\x88 text",
    "\xEF\xBC\xB7\xEF\xBD\x89\xEF\xBC\x8D\xEF\xBC\xA6\xEF\xBD\x89",  // Ｗｉ－Ｆｉ
    "e\xCC\x81.g\xCC\x81. and U.S.A.",
    "a\xFF" " b", "ab\xC3", "\xE2\x80 x", "x \xC3\xA9\xFF.",  // ill-formed UTF-8
};

}  // namespace

TEST_CASE("the fast path is taken for the languages with ICU's root word rules only") {
  for (const char* lang : {"en", "de", "fr", "es", "it", "pt", "nl", "ca", "ja", "ru", "und"}) {
    INFO(std::string(lang));
    CHECK(kb::WordSegments(lang).fast());
    CHECK_FALSE(kb::WordSegments(lang, WordBreaking::IcuOnly).fast());
  }
  // Swedish and Finnish make ':' a MidLetter; the POSIX variant has rules of its own.
  for (const char* lang : {"sv", "fi", "en-US-POSIX"}) {
    INFO(std::string(lang));
    CHECK_FALSE(kb::WordSegments(lang).fast());
  }
  kb::WordSegments en("en");
  kb::WordSegments sv("sv");
  CHECK(words_of(en, "a:b") == std::vector<std::string>{"a", "b"});
  CHECK(words_of(sv, "a:b") == std::vector<std::string>{"a:b"});
}

TEST_CASE("ASCII text gives the words of UAX #29 as ICU's root rules have them") {
  kb::WordSegments en("en");
  REQUIRE(en.fast());
  struct Case {
    std::string text;
    std::vector<std::string> words;
  };
  const Case cases[] = {
      {"e.g. this", {"e.g", "this"}},
      {"can't stop", {"can't", "stop"}},
      {"'quoted'", {"quoted"}},
      {"U.S.A.", {"U.S.A"}},
      {"x.", {"x"}},
      {"3.5 or 1,000.50", {"3.5", "or", "1,000.50"}},
      {"1;2 and a;b", {"1;2", "and", "a", "b"}},
      {"a1b 1.a a.1", {"a1b", "1", "a", "a", "1"}},
      {"foo_bar _ __", {"foo_bar", "__"}},  // '_' alone is not a word; two are
      {"a:b 10:30", {"a", "b", "10", "30"}},
      {"foo@bar.com", {"foo@bar.com"}},  // ICU counts '@' as a letter
      {"Wi-Fi!", {"Wi", "Fi"}},
      {"", {}},
  };
  for (const auto& c : cases) {
    INFO(escaped(c.text));
    CHECK(words_of(en, c.text) == c.words);
  }
}

TEST_CASE("tricky ASCII and text around non-ASCII characters give ICU's segments") {
  for (const char* lang : {"en", "fr", "sv"}) {
    kb::WordSegments fast(lang);
    kb::WordSegments icu_only(lang, WordBreaking::IcuOnly);
    IcuWords icu(lang);
    const auto check = [&](std::string_view text) {
      INFO(std::string(lang), " \"", escaped(text), "\"");
      const std::string expected = describe(icu.segments(text));
      CHECK(describe(segments_of(fast, text)) == expected);
      CHECK(describe(segments_of(icu_only, text)) == expected);
    };
    for (const char* text : kTrickyAscii) check(text);
    for (const char* text : kMixed) check(text);
    check(std::string_view("a\0b c", 5));  // NUL is a control character like any other
  }
}

TEST_CASE("every short string over one character of each word break class gives ICU's segments") {
  // Letters, '@', digits, ExtendNumLet, MidNumLet, Single_Quote, MidNum, ':', Double_Quote,
  // other punctuation, WSegSpace, tab, CR, LF, Newline; then é (ALetter), U+0301 (Extend),
  // U+2019 (MidNumLet), 日 (Ideographic) and U+3000 (WSegSpace).
  const std::array<std::string_view, 20> alphabet = {
      "a", "@", "1", "_", ".", "'", ",", ":", "\"", "-", " ", "\t", "\r", "\n", "\v",
      "\xC3\xA9", "\xCC\x81", "\xE2\x80\x99", "\xE6\x97\xA5", "\xE3\x80\x80"};
  kb::WordSegments fast("en");
  IcuWords icu("en");
  REQUIRE(fast.fast());
  std::size_t checked = 0;
  int failures = 0;
  std::array<std::size_t, 4> digits{};
  for (std::size_t length = 1; length <= digits.size(); ++length) {
    digits.fill(0);
    for (;;) {
      std::string text;
      for (std::size_t k = 0; k < length; ++k) text += alphabet[digits[k]];
      const std::string expected = describe(icu.segments(text));
      const std::string got = describe(segments_of(fast, text));
      ++checked;
      if (got != expected) {
        INFO("\"", escaped(text), "\"");
        CHECK(got == expected);
        if (++failures == 10) return;
      }
      std::size_t k = 0;
      while (k < length && ++digits[k] == alphabet.size()) digits[k++] = 0;
      if (k == length) break;
    }
  }
  CHECK(checked == 20 + 400 + 8000 + 160000);
}

TEST_CASE("Analyzer::tokenize gives the same tokens with the fast path as with ICU alone") {
  // The alphabet of the random texts, letters weighted so that words form.
  const std::vector<std::string_view> alphabet = {
      "a", "e", "s", "t", "x", "Z", "Q", "l", "d", "0", "1", "9", ".", ",", ";", ":", "'", "_",
      "-", "\"", "!", "?", "/", "(", ")", "@", "#", "&", " ", " ", " ", "\t", "\n", "\r",
      "\xC3\xA9",      // é
      "\xC3\xBC",      // ü
      "\xCC\x81",      // combining acute accent
      "\xE6\x97\xA5",  // 日
      "\xE6\x9C\xAC",  // 本
      "\xE2\x80\x99",  // ’
      "\xC2\xA0",      // no-break space
      "\xE2\x80\x8D",  // zero-width joiner
  };
  // The ASCII symbols come first.
  const auto ascii_symbols = static_cast<std::size_t>(
      std::find_if(alphabet.begin(), alphabet.end(),
                   [](std::string_view s) { return static_cast<unsigned char>(s[0]) >= 0x80; }) -
      alphabet.begin());
  constexpr int kTexts = 25000;
  struct Language {
    const char* tag;
    std::unique_ptr<kb::Analyzer> fast;
    std::unique_ptr<kb::Analyzer> icu;
  };
  std::vector<Language> languages;
  for (const char* tag : {"en", "fr", "de"}) {
    languages.push_back({tag, std::make_unique<kb::Analyzer>(tag),
                         std::make_unique<kb::Analyzer>(tag, WordBreaking::IcuOnly)});
  }
  kb::WordSegments fast_segments("en");
  IcuWords icu_segments("en");

  Random random(20240611);
  int ascii_only = 0;
  int failures = 0;
  std::size_t words = 0;
  for (int n = 0; n < kTexts && failures < 10; ++n) {
    // Mostly ASCII, as the text of Latin-script languages is; a third of the texts mixed.
    const bool mixed = random.below(3) == 0;
    const std::size_t length = random.below(40);
    std::string text;
    for (std::size_t k = 0; k < length; ++k) {
      text += alphabet[random.below(mixed ? alphabet.size() : ascii_symbols)];
    }
    const auto ascii = [](char c) { return static_cast<unsigned char>(c) < 0x80; };
    if (std::all_of(text.begin(), text.end(), ascii)) ++ascii_only;
    INFO("text \"", escaped(text), "\"");

    const std::string expected = describe(icu_segments.segments(text));
    const std::string got = describe(segments_of(fast_segments, text));
    if (got != expected) {
      CHECK(got == expected);
      ++failures;
    }
    for (auto& language : languages) {
      for (const auto mode : {AnalysisMode::Index, AnalysisMode::Query}) {
        const std::string where =
            std::string(language.tag) + (mode == AnalysisMode::Index ? " Index" : " Query");
        INFO(where);
        const auto reference = language.icu->tokenize(text, mode);
        const std::string want = describe(reference);
        const std::string have = describe(language.fast->tokenize(text, mode));
        words += reference.size();
        if (have != want) {
          CHECK(have == want);
          ++failures;
        }
      }
    }
  }
  CHECK(failures == 0);
  // The texts exercise both paths and give words to compare.
  CHECK(ascii_only > kTexts / 2);
  CHECK(kTexts - ascii_only > kTexts / 5);
  CHECK(words > 100000);
}
