// Unit tests of indexer/word_segments.h: the fast path gives exactly ICU's word segments (but
// for kana-kanji stretches that come whole), alone and through Analyzer::tokenize
// (differential tests against ICU).
#include <doctest/doctest.h>

#include <unicode/brkiter.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utext.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <set>
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

bool same(const std::vector<kb::WordSegment>& a, const std::vector<kb::WordSegment>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const auto& x, const auto& y) {
    return x.begin == y.begin && x.end == y.end && x.rule_status == y.rule_status;
  });
}

std::vector<kb::WordSegment> segments_of(kb::WordSegments& words, std::string_view text) {
  std::vector<kb::WordSegment> out;
  words.set_text(text);
  for (kb::WordSegment s; words.next(s);) out.push_back(s);
  return out;
}

// Whether ICU's word rules count c as $KanaKanji: Han, Hiragana, or Word_Break Katakana.
bool is_kana_kanji(UChar32 c) {
  UErrorCode status = U_ZERO_ERROR;
  const UScriptCode script = uscript_getScript(c, &status);
  return script == USCRIPT_HAN || script == USCRIPT_HIRAGANA ||
         u_getIntPropertyValue(c, UCHAR_WORD_BREAK) == U_WB_KATAKANA;
}

bool all_kana_kanji(std::string_view text) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
  const auto size = static_cast<int32_t>(text.size());
  for (int32_t i = 0; i < size;) {
    UChar32 c;
    U8_NEXT(bytes, i, size, c);
    if (c < 0 || !is_kana_kanji(c)) return false;
  }
  return true;
}

// The segments with adjacent words of kana and kanji of status 400 joined: ICU's dictionary
// divides a stretch of them into words, the fast path gives it whole.
std::vector<kb::WordSegment> joined(const std::vector<kb::WordSegment>& segments,
                                    std::string_view text) {
  const auto kana_kanji_word = [text](const kb::WordSegment& s) {
    return s.rule_status == UBRK_WORD_IDEO &&
           all_kana_kanji(text.substr(s.begin, s.end - s.begin));
  };
  std::vector<kb::WordSegment> out;
  for (const auto& s : segments) {
    if (!out.empty() && out.back().end == s.begin && kana_kanji_word(out.back()) &&
        kana_kanji_word(s)) {
      out.back().end = s.end;
    } else {
      out.push_back(s);
    }
  }
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

// An Analyzer with the fast path and one with ICU alone, for one language.
class AnalyzerPair {
 public:
  explicit AnalyzerPair(const char* lang)
      : lang_(lang), fast_(lang), icu_(lang, WordBreaking::IcuOnly) {}

  // "" when both give the same tokens for `text` in both modes, else both token lists.
  std::string difference(std::string_view text) {
    const auto same_token = [](const kb::Token& a, const kb::Token& b) {
      return a.text == b.text && a.form == b.form && a.begin == b.begin && a.end == b.end &&
             a.kind == b.kind;
    };
    for (const auto mode : {AnalysisMode::Index, AnalysisMode::Query}) {
      const auto want = icu_.tokenize(text, mode);
      const auto have = fast_.tokenize(text, mode);
      tokens_ += want.size();
      if (!std::equal(have.begin(), have.end(), want.begin(), want.end(), same_token)) {
        return lang_ + (mode == AnalysisMode::Index ? " Index" : " Query") +
               "\n  fast: " + describe(have) + "\n  ICU:  " + describe(want);
      }
    }
    return "";
  }

  std::size_t tokens() const { return tokens_; }  // compared so far

 private:
  std::string lang_;
  kb::Analyzer fast_;
  kb::Analyzer icu_;
  std::size_t tokens_ = 0;
};

// The pairs for Japanese, Chinese, Korean and English.
std::vector<std::unique_ptr<AnalyzerPair>> cjk_and_english() {
  std::vector<std::unique_ptr<AnalyzerPair>> pairs;
  for (const char* lang : {"ja", "zh", "ko", "en"}) {
    pairs.push_back(std::make_unique<AnalyzerPair>(lang));
  }
  return pairs;
}

// UTF-8 of a code point.
std::string utf8(UChar32 c) {
  char bytes[U8_MAX_LENGTH];
  int32_t length = 0;
  U8_APPEND_UNSAFE(reinterpret_cast<uint8_t*>(bytes), length, c);
  return std::string(bytes, static_cast<std::size_t>(length));
}

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
      const auto expected = icu.segments(text);
      CHECK(describe(joined(segments_of(fast, text), text)) == describe(joined(expected, text)));
      CHECK(describe(segments_of(icu_only, text)) == describe(expected));
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
      const std::string expected = describe(joined(icu.segments(text), text));
      const std::string got = describe(joined(segments_of(fast, text), text));
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

    const std::string expected = describe(joined(icu_segments.segments(text), text));
    const std::string got = describe(joined(segments_of(fast_segments, text), text));
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

TEST_CASE("a stretch of kana and kanji comes whole, between ICU's boundaries") {
  struct Case {
    std::string text;
    std::string segments;
  };
  const Case cases[] = {
      // 日本語のテキスト: ICU's dictionary gives 日本語 の テキスト
      {"\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E\xE3\x81\xAE"
       "\xE3\x83\x86\xE3\x82\xAD\xE3\x82\xB9\xE3\x83\x88",
       "[0,24)400"},
      {"iPhone\xE3\x81\xA7" "eSIM", "[0,6)200 [6,9)400 [9,13)200"},  // iPhoneでeSIM
      {"5G\xE5\x9B\x9E\xE7\xB7\x9A", "[0,2)200 [2,8)400"},           // 5G回線
      // Wi-Fiルーター
      {"Wi-Fi\xE3\x83\xAB\xE3\x83\xBC\xE3\x82\xBF\xE3\x83\xBC",
       "[0,2)200 [2,3)0 [3,5)200 [5,17)400"},
      // 「テスト」。: CJK punctuation is a segment of its own, of status 0
      {"\xE3\x80\x8C\xE3\x83\x86\xE3\x82\xB9\xE3\x83\x88\xE3\x80\x8D\xE3\x80\x82",
       "[0,3)0 [3,12)400 [12,15)0 [15,18)0"},
      // 人々は: 々 is ALetter as well as Han, and joins like Han
      {"\xE4\xBA\xBA\xE3\x80\x85\xE3\x81\xAF", "[0,9)400"},
      // テスト_a: WB13a and WB13b join Katakana, '_' and letters, so ICU has it all (status 200)
      {"\xE3\x83\x86\xE3\x82\xB9\xE3\x83\x88_a", "[0,11)200"},
      // 漢字_a: '_' does not join Han
      {"\xE6\xBC\xA2\xE5\xAD\x97_a", "[0,6)400 [6,8)200"},
      // ｶﾞｲﾄﾞ: half-width katakana with voiced marks are left to ICU
      {"\xEF\xBD\xB6\xEF\xBE\x9E\xEF\xBD\xB2\xEF\xBE\x84\xEF\xBE\x9E", "[0,15)400"},
      // 々 alone is no word (no rule with a status ends with it), 々々 is
      {"\xE3\x80\x85 \xE3\x80\x85\xE3\x80\x85", "[0,3)0 [3,4)0 [4,10)400"},
  };
  kb::WordSegments fast("ja");
  IcuWords icu("ja");
  for (const auto& c : cases) {
    INFO("\"", escaped(c.text), "\"");
    CHECK(describe(segments_of(fast, c.text)) == c.segments);
    CHECK(describe(joined(segments_of(fast, c.text), c.text)) ==
          describe(joined(icu.segments(c.text), c.text)));
  }
}

TEST_CASE("kana and kanji next to what ICU's rules join them with give ICU's tokens") {
  const char* const texts[] = {
      // WB13, WB13a, WB13b: Katakana joins Katakana and '_' (also full-width ＿), which joins
      // letters and digits; Han and Hiragana join neither.
      "\xE3\x82\xAB_a",  // カ_a
      "a_\xE3\x82\xAB",  // a_カ
      "\xE3\x82\xAB\xE3\x82\xAB_a",  // カカ_a
      "\xE6\xBC\xA2_a",  // 漢_a
      "a_\xE6\xBC\xA2",  // a_漢
      "\xE3\x81\x8B_1",  // か_1
      "\xE3\x82\xAB\xEF\xBC\xBF\xE3\x82\xAB",  // カ＿カ
      "___\xE3\x82\xAB",  // ___カ
      "\xE3\x82\xAB___",  // カ___
      "\xE3\x83\xBC_\xE3\x83\xBC",  // ー_ー
      "\xE3\x83\xBD_",  // ヽ_
      "abc_\xE6\xBC\xA2\xE5\xAD\x97",  // abc_漢字
      "abc_\xE3\x82\xAB\xE3\x83\x8A",  // abc_カナ
      // WB4: dakuten (combining U+3099, U+309A and half-width U+FF9E, U+FF9F), variation
      // selectors, ZWJ and soft hyphen join what precedes them; NFKC composes カ + U+3099.
      "\xE3\x82\xAB\xE3\x82\x99\xE3\x82\xA4\xE3\x83\x88\xE3\x82\x99",  // カU+3099イトU+3099
      "\xE3\x81\x8B\xE3\x82\x9A",  // かU+309A
      "\xE6\xBC\xA2\xE3\x82\x99\xE6\xBC\xA2",  // 漢U+3099漢
      "\xEF\xBD\xB6\xEF\xBE\x9E\xEF\xBD\xB2\xEF\xBE\x84\xEF\xBE\x9E",  // ｶﾞｲﾄﾞ
      "\xEF\xBE\x8A\xEF\xBE\x9F\xEF\xBD\xBD\xEF\xBE\x9C\xEF\xBD\xB0\xEF\xBE\x84\xEF\xBE\x9E",  // ﾊﾟｽﾜｰﾄﾞ
      "\xE6\xBC\xA2\xEF\xB8\x80\xE5\xAD\x97",  // 漢U+FE00字
      "\xE8\x91\x9B\xF3\xA0\x84\x80\xE5\x9F\x8E",  // 葛U+E0100城
      "\xE3\x83\x86\xE2\x80\x8D\xE3\x82\xB9\xE3\x83\x88",  // テU+200Dスト
      "\xE3\x83\x86\xC2\xAD\xE3\x82\xB9\xE3\x83\x88",  // テU+00ADスト
      "\xEF\xBE\x9E\xE6\x97\xA5",  // ﾞ日
      "\xE3\x82\x99",  // U+3099
      "a\xE3\x82\x99\xE6\x97\xA5",  // aU+3099日
      // ー, 々 and the iteration marks (Common, Han, Hiragana or Katakana) belong to runs.
      "\xE3\x83\xBC",  // ー
      "\xE3\x83\xBC\xE3\x83\xBC",  // ーー
      "\xE3\x80\x85",  // 々
      "\xE4\xBA\xBA\xE3\x80\x85",  // 人々
      "\xE3\x82\x9D\xE3\x82\x9E\xE3\x83\xBD\xE3\x83\xBE",  // ゝゞヽヾ
      "\xEF\xBD\xB0",  // ｰ
      "\xE3\x80\xBB\xE6\x97\xA5",  // 〻日
      "\xE3\x80\x86\xE5\x88\x87",  // 〆切
      "\xE3\x82\xA0",  // ゠
      "\xE3\x83\x86\xE3\x82\xB9\xE3\x83\x88\xE3\x82\x9B",  // テスト゛
      // CJK next to Latin letters and digits, half-width and full-width.
      "iPhone\xE3\x81\xA7" "eSIM",  // iPhoneでeSIM
      "5G\xE5\x9B\x9E\xE7\xB7\x9A",  // 5G回線
      "Wi-Fi\xE3\x83\xAB\xE3\x83\xBC\xE3\x82\xBF\xE3\x83\xBC",  // Wi-Fiルーター
      "\xEF\xBD\x89\xEF\xBC\xB0\xEF\xBD\x88\xEF\xBD\x8F\xEF\xBD\x8E\xEF\xBD\x85\xE3\x81\xA7",  // ｉＰｈｏｎｅで
      "\xEF\xBC\x95\xEF\xBC\xA7\xE5\x9B\x9E\xE7\xB7\x9A",  // ５Ｇ回線
      "\xEF\xBC\x91\xEF\xBC\x92\xEF\xBC\x93\xE5\x86\x86",  // １２３円
      "\xE6\xBC\xA2\xE5\xAD\x97" "abc\xE6\xBC\xA2\xE5\xAD\x97",  // 漢字abc漢字
      "a.\xE3\x82\xAB",  // a.カ
      "1.\xE6\x97\xA5",  // 1.日
      "\xE3\x82\xAB.\xE3\x82\xAB",  // カ.カ
      "\xE3\x82\xAB'",  // カ'
      "\xE3\x82\xAB:\xE3\x82\xAB",  // カ:カ
      "\xE4\xBE\xA1\xE6\xA0\xBC\xE3\x81\xAF" "1,000\xE5\x86\x86",  // 価格は1,000円
      "1\xEF\xBC\x8C" "000\xE5\x86\x86",  // 1，000円
      "3.14\xE5\x86\x86",  // 3.14円
      // Normalisation that changes the number of characters, compatibility ideographs and
      // ideographs beyond the BMP.
      "\xE3\x8D\xBF",  // ㍿
      "\xE6\xA0\xAA\xE5\xBC\x8F\xE4\xBC\x9A\xE7\xA4\xBE\xE3\x8D\xBF",  // 株式会社㍿
      "\xE2\x91\xA0\xE2\x91\xA1\xE6\x97\xA5",  // ①②日
      "\xE3\x8C\x80\xE6\x97\xA5",  // ㌀日
      "\xE3\x82\x9F",  // ゟ
      "\xE3\x83\xBF",  // ヿ
      "\xE3\x82\xA2\xE3\x82\x9B",  // ア゛
      "\xE3\x82\x9B",  // ゛
      "\xE8\xB1\x88\xE6\x97\xA5",  // 豈日
      "\xF0\xA0\x80\x8B\xE6\x97\xA5",  // 𠀋日
      // Punctuation, spaces and line breaks between runs.
      "\xE3\x80\x81\xE3\x80\x82\xE3\x80\x8C\xE3\x80\x8D",  // 、。「」
      "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E\xE3\x80\x81\xE4\xB8\xAD\xE6\x96\x87\xE3\x80\x82",  // 日本語、中文。
      "\xE3\x83\x86\xE3\x82\xB9\xE3\x83\x88\xE3\x83\xBB\xE3\x82\xB1\xE3\x83\xBC\xE3\x82\xB9",  // テスト・ケース
      "\xE4\xB8\xAD\xE6\x96\x87\xEF\xBC\x8C\xE6\xB5\x8B\xE8\xAF\x95",  // 中文，测试
      "\xE6\x97\xA5\xE6\x9C\xAC \xE8\xAA\x9E",  // 日本 語
      "\xE6\x97\xA5\xE6\x9C\xAC\xE3\x80\x80\xE8\xAA\x9E",  // 日本　語
      "\xE6\xBC\xA2\xE5\xAD\x97\n\xE4\xBB\xAE\xE5\x90\x8D",  // 漢字\n仮名
      "\xE3\x80\x8C\xE3\x82\x99\xE3\x80\x8D",  // 「U+3099」
      "\xE3\x80\x81\xE2\x80\x8D",  // 、U+200D
      // Hangul, emoji, a flag.
      "\xED\x95\x9C\xEA\xB5\xAD\xEC\x96\xB4 \xED\x85\x8D\xEC\x8A\xA4\xED\x8A\xB8",  // 한국어 텍스트
      "\xED\x95\x9C\xEA\xB5\xAD\xEC\x96\xB4\xE3\x83\x86\xE3\x82\xB9\xE3\x83\x88",  // 한국어テスト
      "\xE6\x97\xA5\xE6\x9C\xAC\xED\x95\x9C",  // 日本한
      "\xE6\x97\xA5\xE6\x9C\xAC\xF0\x9F\x99\x82",  // 日本🙂
      "\xE6\x97\xA5\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBB",  // 日👍🏻
      "\xF0\x9F\x87\xAF\xF0\x9F\x87\xB5\xE6\x97\xA5\xE6\x9C\xAC",  // 🇯🇵日本
  };
  // Each text in Japanese, Chinese, Korean and English, in both modes; and its segments.
  auto pairs = cjk_and_english();
  kb::WordSegments fast("ja");
  IcuWords icu("ja");
  for (const char* text : texts) {
    INFO("\"", escaped(text), "\"");
    CHECK(describe(joined(segments_of(fast, text), text)) ==
          describe(joined(icu.segments(text), text)));
    for (auto& pair : pairs) CHECK(pair->difference(text) == "");
  }
}

TEST_CASE("every character, alone and next to kana and kanji, gives ICU's segments and tokens") {
  // Every code point of the BMP and every assigned one beyond (but one in 16 of the
  // ideographs of planes 2 and 3, which ICU's rules and the fast path all see alike), in the
  // contexts where the fast path decides something: the breaks before and after a stretch of
  // kana and kanji or a segment of punctuation, next to letters, digits, '_' (WB13a, WB13b),
  // Katakana (WB13) and a mark (WB4); and the character doubled (the normalisation of a
  // stretch).
  const std::array<std::pair<std::string_view, std::string_view>, 5> contexts = {{
      {"", ""},
      {"a", "_"},
      {"_", "1"},
      {"\xE3\x82\xAB", "\xE3\x82\x99"},  // カ c U+3099
      {"\xE3\x80\x81", "\xE6\x97\xA5"},  // 、 c 日
  }};
  kb::WordSegments fast("ja");
  IcuWords icu("ja");
  AnalyzerPair ja("ja");
  int failures = 0;
  std::size_t checked = 0;
  std::size_t stretches = 0;
  for (UChar32 c = 1; c <= 0x10FFFF && failures < 10; ++c) {
    if (U_IS_SURROGATE(c) || (c > 0xFFFF && !u_isdefined(c))) continue;
    if (c >= 0x20000 && c <= 0x3FFFF && c % 16 != 0) continue;
    const std::string character = utf8(c);
    for (const auto& [before, after] : contexts) {
      const std::string text = std::string(before) + character + std::string(after);
      const auto want = icu.segments(text);
      const auto have = segments_of(fast, text);
      if (!same(have, want) && !same(joined(have, text), joined(want, text))) {
        INFO("\"", escaped(text), "\"");
        CHECK(describe(joined(have, text)) == describe(joined(want, text)));
        ++failures;
      }
    }
    // Where the segments are ICU's, so are the tokens; else the stretch must fold as ICU's
    // words do.
    const std::string doubled = character + character;
    if (!same(segments_of(fast, doubled), icu.segments(doubled))) {
      ++stretches;
      const std::string difference = ja.difference(doubled);
      if (!difference.empty()) {
        INFO("\"", escaped(doubled), "\"");
        CHECK(difference == "");
        ++failures;
      }
    }
    ++checked;
  }
  CHECK(failures == 0);
  CHECK(checked > 90000);
  CHECK(stretches > 20000);  // the kanji and kana whose doubles ICU divides
}

TEST_CASE("Analyzer::tokenize gives the same tokens with either path on random CJK text") {
  // Groups of characters the random texts draw from, each group as likely as its weight.
  struct Group {
    int weight;
    std::vector<std::string_view> characters;
  };
  const std::vector<Group> groups = {
      // kanji, 々 and 〇 (Japanese and Chinese)
      {12, {"\xE6\x97\xA5", "\xE6\x9C\xAC", "\xE8\xAA\x9E", "\xE6\xA4\x9C", "\xE7\xB4\xA2",
            "\xE6\xBC\xA2", "\xE5\xAD\x97", "\xE4\xBA\xBA", "\xE4\xB8\xAD", "\xE6\x96\x87",
            "\xE6\xB5\x8B", "\xE8\xAF\x95", "\xE4\xBB\xAC", "\xE3\x80\x85", "\xE3\x80\x87"}},
      // hiragana, ゝ ゞ
      {10, {"\xE3\x81\xAE", "\xE3\x82\x92", "\xE3\x81\xA7", "\xE3\x81\x99", "\xE3\x81\x8B",
            "\xE3\x81\x8C", "\xE3\x82\x9D", "\xE3\x82\x9E", "\xE3\x81\x81"}},
      // katakana, ー, ヽ ヾ
      {10, {"\xE3\x82\xAB", "\xE3\x82\xBF", "\xE3\x83\x8A", "\xE3\x83\xBC", "\xE3\x83\xBD",
            "\xE3\x83\xBE", "\xE3\x82\xAC", "\xE3\x83\xB4", "\xE3\x83\xB6"}},
      // half-width katakana, ｰ and the half-width voiced marks ﾞ ﾟ
      {4, {"\xEF\xBD\xB6", "\xEF\xBE\x80", "\xEF\xBE\x85", "\xEF\xBD\xB0", "\xEF\xBE\x9E",
           "\xEF\xBE\x9F", "\xEF\xBE\x8A"}},
      // marks that join what precedes them: U+3099, U+309A, variation selectors, ZWJ, soft
      // hyphen. (゛ ゜ ゠ are left to the tests above: ICU alone, given them and Hangul in
      // turn, rebuilds a set of every Common character each time, and the test took twice
      // as long.)
      {2, {"\xE3\x82\x99", "\xE3\x82\x9A", "\xEF\xB8\x80", "\xF3\xA0\x84\x80", "\xE2\x80\x8D",
           "\xC2\xAD"}},
      // CJK and full-width punctuation: 、。「」・，：！（）〜．－
      {6, {"\xE3\x80\x81", "\xE3\x80\x82", "\xE3\x80\x8C", "\xE3\x80\x8D", "\xE3\x83\xBB",
           "\xEF\xBC\x8C", "\xEF\xBC\x9A", "\xEF\xBC\x81", "\xEF\xBC\x88", "\xEF\xBC\x89",
           "\xE3\x80\x9C", "\xEF\xBC\x8E", "\xEF\xBC\x8D"}},
      // characters that fold to several or that ICU's rules see otherwise: ㍿ ① ㌀ ゟ ヿ 〆 〻,
      // 豈 (a compatibility ideograph), 𠀋 (beyond the BMP), the ideographic space
      {2, {"\xE3\x8D\xBF", "\xE2\x91\xA0", "\xE3\x8C\x80", "\xE3\x82\x9F", "\xE3\x83\xBF",
           "\xE3\x80\x86", "\xE3\x80\xBB", "\xE8\xB1\x88", "\xF0\xA0\x80\x8B", "\xE3\x80\x80"}},
      // Hangul syllables 한국어가, a jamo ᄀ, a compatibility jamo ㄱ
      {4, {"\xED\x95\x9C", "\xEA\xB5\xAD", "\xEC\x96\xB4", "\xEA\xB0\x80", "\xE1\x84\x80",
           "\xE3\x84\xB1"}},
      // Latin letters, with é
      {10, {"a", "e", "i", "P", "h", "o", "n", "E", "S", "I", "M", "G", "x", "\xC3\xA9"}},
      // digits, full-width digits １５
      {4, {"0", "1", "5", "9", "\xEF\xBC\x91", "\xEF\xBC\x95"}},
      // full-width letters ＡｉＰ and ＿
      {3, {"\xEF\xBC\xA1", "\xEF\xBD\x89", "\xEF\xBC\xB0", "\xEF\xBC\xBF"}},
      // ASCII punctuation, '_', spaces and line breaks
      {10, {"_", "_", "-", ".", ",", "'", ":", " ", " ", "\n", "\r\n", "\t"}},
      // an emoji and a skin tone: 👍 🏻
      {1, {"\xF0\x9F\x91\x8D", "\xF0\x9F\x8F\xBB"}},
  };
  int total_weight = 0;
  for (const auto& g : groups) total_weight += g.weight;
  const auto pick = [&](Random& random) {
    int w = static_cast<int>(random.below(static_cast<std::size_t>(total_weight)));
    for (const auto& g : groups) {
      if (w < g.weight) return g.characters[random.below(g.characters.size())];
      w -= g.weight;
    }
    return groups.back().characters.front();
  };

  constexpr int kTexts = 20000;
  auto pairs = cjk_and_english();
  kb::WordSegments fast("ja");
  IcuWords icu("ja");
  Random random(20250301);
  int failures = 0;
  for (int n = 0; n < kTexts && failures < 10; ++n) {
    const std::size_t length = random.below(40);
    std::string text;
    for (std::size_t k = 0; k < length; ++k) text += pick(random);
    INFO("text \"", escaped(text), "\"");
    const auto want = joined(icu.segments(text), text);
    const auto have = joined(segments_of(fast, text), text);
    if (!same(have, want)) {
      CHECK(describe(have) == describe(want));
      ++failures;
    }
    for (auto& pair : pairs) {
      const std::string difference = pair->difference(text);
      if (!difference.empty()) {
        CHECK(difference == "");
        ++failures;
      }
    }
  }
  CHECK(failures == 0);
  std::size_t tokens = 0;
  for (const auto& pair : pairs) tokens += pair->tokens();
  CHECK(tokens > 1000000);
}

TEST_CASE("the sample content gives the same tokens with the fast path as with ICU alone") {
  // Every article whole, front matter included, in its language and in Japanese and English.
  const auto content = std::filesystem::path(KB_FIXTURES) / ".." / ".." / "content";
  std::map<std::string, std::unique_ptr<AnalyzerPair>> pairs;
  const auto pair_for = [&pairs](const std::string& lang) -> AnalyzerPair& {
    auto& pair = pairs[lang];
    if (!pair) pair = std::make_unique<AnalyzerPair>(lang.c_str());
    return *pair;
  };
  std::size_t files = 0;
  std::set<std::string> languages;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(content)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".md") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    const std::string folder = entry.path().parent_path().filename().string();
    INFO(entry.path().string());
    for (const std::string& lang : {folder, std::string("ja"), std::string("en")}) {
      if (lang.size() != 2) continue;  // not a language folder
      languages.insert(lang);
      CHECK(pair_for(lang).difference(text) == "");
    }
    ++files;
  }
  CHECK(files > 100);
  CHECK(languages.count("ja") == 1);
  CHECK(languages.size() >= 5);
}
