// Word segmentation of UTF-8 text by ICU's word break rules, with a fast path for ASCII and
// kana-kanji text.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <unicode/uversion.h>

U_NAMESPACE_BEGIN
class BreakIterator;
U_NAMESPACE_END
struct UText;

namespace kb {

// One segment between two word boundaries.
struct WordSegment {
  std::size_t begin = 0;  // byte offsets in the segmented text
  std::size_t end = 0;
  // ICU's rule status: UBRK_WORD_NONE (0) for spaces, punctuation and symbols,
  // UBRK_WORD_NUMBER (100), UBRK_WORD_LETTER (200), UBRK_WORD_KANA (300), UBRK_WORD_IDEO (400).
  int32_t rule_status = 0;

  bool is_word() const { return rule_status >= 100; }  // UBRK_WORD_NONE_LIMIT
};

enum class WordBreaking {
  Fast,     // ASCII, kana-kanji and punctuation by this module's own implementation of the
            // rules (the default)
  IcuOnly,  // everything through ICU: the reference the fast path is tested against
};

// The word segments of a text, in order and without gaps, as ICU's word BreakIterator for
// the language finds them (UAX #29 as CLDR tailors it; dictionaries for Thai, Lao, Khmer,
// Myanmar and CJK): the same boundaries and the same rule statuses, but for one thing with
// WordBreaking::Fast: a stretch of Han, Hiragana and Katakana characters that ICU's rules
// join and its dictionary divides into words ("日本語のテキスト") comes whole, as one segment
// of status UBRK_WORD_IDEO, the status ICU gives each of its words.
//
// The fast path, for languages that use ICU's root word rules (those this module implements,
// ICU 72), segments without ICU: stretches of ASCII text, stretches of common kanji, kana and
// ー 々 (not half-width katakana, squared words, ideographs beyond the BMP and the like), and
// punctuation outside ASCII (、。「」，—) between them. Everything else, and every language
// with tailored rules (Swedish and Finnish keep "a:b" together), goes through ICU.
//
// Not thread-safe (it holds an ICU BreakIterator): give each thread its own.
class WordSegments {
 public:
  // `lang` is a language tag ("de-ch"). Throws RuntimeError ("icu_error") when ICU has no
  // word break data.
  explicit WordSegments(const std::string& lang, WordBreaking breaking = WordBreaking::Fast);
  ~WordSegments();
  WordSegments(const WordSegments&) = delete;
  WordSegments& operator=(const WordSegments&) = delete;

  // Starts over on `text`, which must outlive the iteration. Invalid UTF-8 is segmented as
  // ICU does it (each ill-formed sequence reads as U+FFFD).
  void set_text(std::string_view text);

  // The next segment of the text, or false at its end.
  bool next(WordSegment& segment);

  // Whether the fast path is taken (false for WordBreaking::IcuOnly and for languages whose
  // rules differ from the root rules the fast path implements).
  bool fast() const { return fast_; }

 private:
  void start_icu(std::size_t begin, std::size_t end);

  std::unique_ptr<icu::BreakIterator> words_;
  UText* utext_ = nullptr;
  bool fast_ = false;
  std::string_view text_;
  std::size_t pos_ = 0;        // start of the next segment outside an ICU stretch
  bool in_icu_ = false;        // segments come from ICU over text_[icu_base_, icu_end_)
  std::size_t icu_base_ = 0;
  std::size_t icu_end_ = 0;
  int32_t icu_start_ = 0;      // start of ICU's next segment, relative to icu_base_
};

}  // namespace kb
