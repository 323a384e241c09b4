// Word segmentation: ICU's word BreakIterator, and its root rules for ASCII and kana-kanji text
// without ICU.
#include "word_segments.h"

#include <unicode/brkiter.h>
#include <unicode/rbbi.h>
#include <unicode/ubrk.h>
#include <unicode/unistr.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utext.h>
#include <unicode/utf8.h>

#include <array>

#include "errors.h"

namespace kb {
namespace {

// Word_Break classes of ASCII characters in ICU's root rules (UAX #29 as CLDR tailors it).
enum Class : uint8_t {
  kOther,         // WB999: one character per segment. Includes ':' (the root rules take it
                  // out of MidLetter), '"' (Double_Quote joins Hebrew letters only), tab and
                  // the other controls
  kLetter,        // ALetter: A-Z, a-z and '@' (ICU's rules add it)
  kNumeric,       // 0-9
  kExtendNumLet,  // '_'
  kMidNumLetQ,    // '.' (MidNumLet) and '\'' (Single_Quote): between two letters or two digits
  kMidNum,        // ',' and ';': between two digits
  kSpace,         // ' ' (WSegSpace)
  kCR,
  kLF,
  kNewline,       // vertical tab, form feed
  kNonAscii,      // a byte of a multi-byte character: the fast path stops there
};

constexpr std::array<Class, 256> make_classes() {
  std::array<Class, 256> classes{};
  for (int c = 0x80; c < 0x100; ++c) classes[c] = kNonAscii;
  for (int c = 'a'; c <= 'z'; ++c) classes[c] = kLetter;
  for (int c = 'A'; c <= 'Z'; ++c) classes[c] = kLetter;
  for (int c = '0'; c <= '9'; ++c) classes[c] = kNumeric;
  classes['@'] = kLetter;
  classes['_'] = kExtendNumLet;
  classes['.'] = kMidNumLetQ;
  classes['\''] = kMidNumLetQ;
  classes[','] = kMidNum;
  classes[';'] = kMidNum;
  classes[' '] = kSpace;
  classes['\r'] = kCR;
  classes['\n'] = kLF;
  classes['\v'] = kNewline;
  classes['\f'] = kNewline;
  return classes;
}

constexpr std::array<Class, 256> kClasses = make_classes();

// FNV-1a of the rules ICU 72 has for the root locale (RuleBasedBreakIterator::getRules()),
// which ascii_segment() implements. Tailored languages (sv and fi make ':' MidLetter,
// en-US-POSIX) and other rules of another ICU version differ, and go through ICU alone.
constexpr uint64_t kRootRulesFingerprint = 0x89bbc8b2b543729aULL;

uint64_t fingerprint(const icu::UnicodeString& rules) {
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (int32_t i = 0; i < rules.length(); ++i) {
    hash ^= rules.charAt(i);
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

// The code point at `i`, which is moved past it; negative for ill-formed UTF-8 (ICU reads
// U+FFFD there).
UChar32 next_code_point(std::string_view text, std::size_t& i) {
  const auto size = static_cast<int32_t>(text.size());
  auto at = static_cast<int32_t>(i);
  UChar32 c = 0;
  U8_NEXT(reinterpret_cast<const uint8_t*>(text.data()), at, size, c);
  i = static_cast<std::size_t>(at);
  return c;
}

// Han, Hiragana and Katakana characters that ICU's root rules all treat alike, as $KanaKanji
// and nothing else (々 is also ALetter, which the rules leave out of $ALetterPlus), that are
// words of status 400 (but 々 alone), and that NFKC case folding leaves as they are (they
// are normalized and combine with nothing before them, so any string of them is).
// ICU joins a stretch of them into one rule-based segment ($KanaKanji $KanaKanji) and divides
// it with its dictionary; Analyzer joins the words again, so the fast path gives the stretch
// whole. Left out, and so left to ICU: half-width katakana (ｶﾞ folds two characters into
// one), ゛゜ (they fold to a space and a mark), ゟ ヿ and squared words like ㌀ (they fold to
// several characters), compatibility ideographs, ideographs beyond the BMP, 〆 (Common),
// Hangul. word_segments_test checks every character, alone and in context, against ICU.
bool is_kana_kanji(UChar32 c) {
  return (c >= 0x4E00 && c <= 0x9FFF) ||  // CJK Unified Ideographs
         (c >= 0x3041 && c <= 0x3096) ||  // hiragana ぁ-ゖ
         (c >= 0x30A1 && c <= 0x30FA) ||  // katakana ァ-ヺ
         (c >= 0x30FC && c <= 0x30FE) ||  // ー ヽ ヾ
         (c >= 0x3400 && c <= 0x4DBF) ||  // Extension A
         (c >= 0x309D && c <= 0x309E) ||  // ゝ ゞ
         c == 0x3005 || c == 0x3007;      // 々 〇
}

// The characters of is_kana_kanji() that are Word_Break Katakana, which WB13, WB13a and
// WB13b join to Katakana and ExtendNumLet ('_') around them.
bool is_katakana(UChar32 c) { return (c >= 0x30A1 && c <= 0x30FA) || (c >= 0x30FC && c <= 0x30FE); }

int32_t word_break(UChar32 c) { return u_getIntPropertyValue(c, UCHAR_WORD_BREAK); }

// Whether ICU's root rules always break between a character of is_kana_kanji() and `other`
// next to it, on either side: `other` is not Han, Hiragana or Katakana ($KanaKanji
// $KanaKanji, WB13), nor Extend, Format or ZWJ (WB4), nor ExtendNumLet next to Katakana
// (WB13a, WB13b). No rule then spans the boundary, so no segment, and no dictionary range,
// crosses it. Ill-formed UTF-8 counts as joining.
bool breaks_next_to_kana_kanji(UChar32 other, bool katakana) {
  if (other < 0) return false;
  if (other < 0x80) return other != '_' || !katakana;
  if (is_kana_kanji(other)) return false;
  UErrorCode status = U_ZERO_ERROR;
  const UScriptCode script = uscript_getScript(other, &status);
  if (script == USCRIPT_HAN || script == USCRIPT_HIRAGANA) return false;
  switch (word_break(other)) {
    case U_WB_KATAKANA:
    case U_WB_EXTEND:
    case U_WB_FORMAT:
    case U_WB_ZWJ:
      return false;
    case U_WB_EXTENDNUMLET:
      return !katakana;
    default:
      return true;
  }
}

// Whether WB4 joins `c` to the character before it (Extend, Format, ZWJ). Ill-formed UTF-8
// counts as joining.
bool joins_previous(UChar32 c) {
  if (c < 0) return true;
  if (c < 0x80) return false;
  const int32_t wb = word_break(c);
  return wb == U_WB_EXTEND || wb == U_WB_FORMAT || wb == U_WB_ZWJ;
}

// Whether a non-ASCII character that starts a segment is all of it, a segment of status 0,
// when WB4 joins nothing to it: punctuation and symbols ("、", "「", "，", "・"), which start
// no rule but the catch-all WB999 (the Mid and quote classes only join what is around them).
// Letters, digits, spaces, ideographs and Han, Hiragana, Katakana, Hangul and
// Complex_Context characters (Thai, ...: ICU counts them as letters) start rules of their
// own; Hangul syllables are Word_Break ALetter.
bool is_lone(UChar32 c) {
  switch (word_break(c)) {
    case U_WB_OTHER:
    case U_WB_MIDLETTER:
    case U_WB_MIDNUM:
    case U_WB_MIDNUMLET:
    case U_WB_SINGLE_QUOTE:
    case U_WB_DOUBLE_QUOTE:
      break;
    default:
      return false;
  }
  UErrorCode status = U_ZERO_ERROR;
  const UScriptCode script = uscript_getScript(c, &status);
  return script != USCRIPT_HAN && script != USCRIPT_HIRAGANA &&
         !u_hasBinaryProperty(c, UCHAR_IDEOGRAPHIC) &&
         u_getIntPropertyValue(c, UCHAR_LINE_BREAK) != U_LB_COMPLEX_CONTEXT;
}

// Whether ICU's root rules break between the end of an ASCII segment, whose last character
// is `last`, and the non-ASCII character at `i`, whatever follows: a character of
// is_kana_kanji() (but WB13b joins '_' and Katakana), or one of Word_Break Other but for
// Complex_Context characters (Thai, ...), which ICU counts as letters. Only a ZWJ joins such
// a character to what precedes it (WB3c).
bool ascii_breaks_before(std::string_view text, std::size_t i, char last) {
  const UChar32 c = next_code_point(text, i);
  if (is_kana_kanji(c)) return last != '_' || !is_katakana(c);
  return c >= 0 && word_break(c) == U_WB_OTHER &&
         u_getIntPropertyValue(c, UCHAR_LINE_BREAK) != U_LB_COMPLEX_CONTEXT;
}

// The segment that starts at `begin`, a boundary, by the root rules as they apply to ASCII
// (each rule is named as in UAX #29; WB4 and the rules of other scripts cannot apply to
// ASCII), if ICU breaks before the non-ASCII character that follows it, if any: 0, or the
// position of that character, for ascii_breaks_before() to tell. Where it does not, an
// Extend, Format or ZWJ character joins what precedes it (WB4), a letter or digit joins a
// word ("café", "a.é", "1.٣"), and so on.
std::size_t ascii_segment(std::string_view text, std::size_t begin, WordSegment& segment) {
  const std::size_t size = text.size();
  const auto class_at = [text](std::size_t i) {
    return kClasses[static_cast<unsigned char>(text[i])];
  };
  std::size_t i = begin + 1;
  std::size_t non_ascii = 0;
  int32_t status = UBRK_WORD_NONE;
  switch (class_at(begin)) {
    case kCR:  // WB3, WB3a: CR LF is one segment, and nothing joins CR, LF or Newline
      if (i < size && text[i] == '\n') ++i;
      segment = {begin, i, status};
      return 0;
    case kLF:
    case kNewline:
      segment = {begin, i, status};
      return 0;
    case kSpace:  // WB3d
      while (i < size && text[i] == ' ') ++i;
      break;
    case kLetter:
    case kNumeric:
    case kExtendNumLet: {
      // WB5, WB8-WB10, WB13a, WB13b: letters, digits and '_' join one another;
      // WB6, WB7: a MidNumLetQ between two letters; WB11, WB12: a MidNum or MidNumLetQ
      // between two digits.
      Class last = class_at(begin);
      Class before_last = kOther;
      while (i < size) {
        const Class c = class_at(i);
        if (c == kLetter || c == kNumeric || c == kExtendNumLet) {
          before_last = last;
          last = c;
          ++i;
          continue;
        }
        const bool mid = (c == kMidNumLetQ && (last == kLetter || last == kNumeric)) ||
                         (c == kMidNum && last == kNumeric);
        if (!mid || i + 1 == size) break;
        const Class after = class_at(i + 1);
        if (after != last) {
          // A character that ICU breaks before is neither a letter nor a digit.
          if (after == kNonAscii) non_ascii = i + 1;
          break;
        }
        before_last = c;
        i += 2;
      }
      // ICU's status is the largest of those of the rules that end with the last character:
      // {200} for a letter, {100} for a digit; '_' takes the status of "x_" for the
      // character x before it, and alone matches no rule with a status.
      if (last == kLetter) {
        status = UBRK_WORD_LETTER;
      } else if (last == kNumeric || before_last == kNumeric) {
        status = UBRK_WORD_NUMBER;
      } else if (before_last == kLetter || before_last == kExtendNumLet) {
        status = UBRK_WORD_LETTER;
      }
      break;
    }
    default:  // WB999
      break;
  }
  // WB4: an Extend, Format or ZWJ character would join this segment.
  if (i < size && class_at(i) == kNonAscii) non_ascii = i;
  segment = {begin, i, status};
  return non_ascii;
}

// The segment that starts at `begin`, a boundary, with a non-ASCII character, when the fast
// path knows it: a stretch of is_kana_kanji() characters whole (status 400, as ICU has it
// for each of the words it divides the stretch into), or punctuation of its own (is_lone()).
// False to hand the text to ICU.
bool non_ascii_segment(std::string_view text, std::size_t begin, WordSegment& segment) {
  std::size_t end = begin;
  const UChar32 c = next_code_point(text, end);
  if (is_kana_kanji(c)) {
    const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
    const auto size = static_cast<int32_t>(text.size());
    bool katakana = is_katakana(c);
    for (auto i = static_cast<int32_t>(end); i < size;) {
      UChar32 d;
      U8_NEXT(bytes, i, size, d);
      if (!is_kana_kanji(d)) {
        if (!breaks_next_to_kana_kanji(d, katakana)) return false;
        break;
      }
      katakana = is_katakana(d);
      end = static_cast<std::size_t>(i);
    }
    // 々 alone matches no rule with a status: it is neither an ideograph nor kana, and
    // $KanaKanji $KanaKanji needs two characters.
    const bool iteration_mark_alone = c == 0x3005 && end - begin == 3;
    segment = {begin, end, iteration_mark_alone ? UBRK_WORD_NONE : UBRK_WORD_IDEO};
    return true;
  }
  if (c < 0 || !is_lone(c)) return false;
  if (end < text.size()) {
    std::size_t next = end;
    if (joins_previous(next_code_point(text, next))) return false;
  }
  segment = {begin, end, UBRK_WORD_NONE};
  return true;
}

// The segment that starts at `begin`, a boundary, when the fast path knows it; false to hand
// the text to ICU.
bool fast_segment(std::string_view text, std::size_t begin, WordSegment& segment) {
  if (static_cast<unsigned char>(text[begin]) >= 0x80) {
    return non_ascii_segment(text, begin, segment);
  }
  const std::size_t non_ascii = ascii_segment(text, begin, segment);
  return non_ascii == 0 || ascii_breaks_before(text, non_ascii, text[non_ascii - 1]);
}

// Whether UAX #29 always breaks between the ASCII characters a and b whatever surrounds
// them, and ICU's rules read nothing across the break: one of them is a space or a control
// character, and they are neither two spaces (WB3d) nor CR LF (WB3).
bool is_ascii_cut(UChar32 a, UChar32 b) {
  const auto separator = [](UChar32 c) { return c <= 0x20 || c == 0x7F; };
  if (a < 0 || b < 0 || a >= 0x80 || b >= 0x80 || !(separator(a) || separator(b))) return false;
  return !(a == ' ' && b == ' ') && !(a == '\r' && b == '\n');
}

// Whether ICU always breaks between the characters a and b, and no rule spans the break:
// ICU started at such a boundary, and stopped at the next one, gives the segments it gives
// for the whole text (its rules read nothing before the start of a segment, and what
// follows a boundary that no rule spans changes nothing before it).
bool is_cut(UChar32 a, UChar32 b) {
  if (is_kana_kanji(a)) return breaks_next_to_kana_kanji(b, is_katakana(a));
  if (is_kana_kanji(b)) return breaks_next_to_kana_kanji(a, is_katakana(b));
  return is_ascii_cut(a, b);
}

// The end of the stretch that ICU segments from `begin`, where the fast path stopped: the
// first cut after it. `begin` needs no cut: it is a boundary that no rule spans (so no
// dictionary segmentation spans it either).
std::size_t icu_stretch_end(std::string_view text, std::size_t begin) {
  std::size_t i = begin;
  UChar32 previous = next_code_point(text, i);
  while (i < text.size()) {
    std::size_t next = i;
    const UChar32 c = next_code_point(text, next);
    if (is_cut(previous, c)) return i;
    previous = c;
    i = next;
  }
  return text.size();
}

}  // namespace

WordSegments::WordSegments(const std::string& lang, WordBreaking breaking) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Locale locale = icu::Locale::forLanguageTag(lang, status);
  status = U_ZERO_ERROR;  // an ill-formed tag gives the root locale's rules
  words_.reset(icu::BreakIterator::createWordInstance(locale, status));
  if (U_FAILURE(status) || !words_) {
    throw RuntimeError("icu_error", std::string("ICU word break iterator: ") + u_errorName(status));
  }
  utext_ = utext_openUTF8(nullptr, "", 0, &status);
  if (U_FAILURE(status)) {
    throw RuntimeError("icu_error", std::string("ICU UText: ") + u_errorName(status));
  }
  if (breaking == WordBreaking::Fast &&
      words_->getDynamicClassID() == icu::RuleBasedBreakIterator::getStaticClassID()) {
    const auto& rules = static_cast<const icu::RuleBasedBreakIterator&>(*words_).getRules();
    fast_ = fingerprint(rules) == kRootRulesFingerprint;
  }
}

WordSegments::~WordSegments() { utext_close(utext_); }

void WordSegments::set_text(std::string_view text) {
  text_ = text;
  pos_ = 0;
  in_icu_ = false;
  if (!fast_ && !text.empty()) start_icu(0, text.size());
}

void WordSegments::start_icu(std::size_t begin, std::size_t end) {
  // Reusing the UText and the BreakIterator allocates nothing.
  UErrorCode status = U_ZERO_ERROR;
  utext_openUTF8(utext_, text_.data() + begin, static_cast<int64_t>(end - begin), &status);
  words_->setText(utext_, status);
  if (U_FAILURE(status)) {
    // Not seen with a UText that exists already; end the text rather than misplace offsets.
    pos_ = text_.size();
    in_icu_ = false;
    return;
  }
  in_icu_ = true;
  icu_base_ = begin;
  icu_end_ = end;
  icu_start_ = words_->first();
}

bool WordSegments::next(WordSegment& segment) {
  for (;;) {
    if (in_icu_) {
      const int32_t end = words_->next();
      if (end != icu::BreakIterator::DONE) {
        segment = {icu_base_ + static_cast<std::size_t>(icu_start_),
                   icu_base_ + static_cast<std::size_t>(end), words_->getRuleStatus()};
        icu_start_ = end;
        return true;
      }
      in_icu_ = false;
      pos_ = icu_end_;
    }
    if (pos_ >= text_.size()) return false;
    if (fast_segment(text_, pos_, segment)) {
      pos_ = segment.end;
      return true;
    }
    start_icu(pos_, icu_stretch_end(text_, pos_));
  }
}

}  // namespace kb
