// Word segmentation: ICU's word BreakIterator, and its root rules for ASCII text without ICU.
#include "word_segments.h"

#include <unicode/brkiter.h>
#include <unicode/rbbi.h>
#include <unicode/ubrk.h>
#include <unicode/unistr.h>
#include <unicode/utext.h>

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

// The segment that starts at `begin`, a boundary, by the root rules as they apply to ASCII
// (each rule is named as in UAX #29; WB4 and the rules of other scripts cannot apply to
// ASCII). False when the segment or the boundary after it depends on a non-ASCII character:
// an Extend, Format or ZWJ character joins what precedes it (WB4), a letter or digit joins
// a word ("café", "a.é", "1.٣"), and so on.
bool ascii_segment(std::string_view text, std::size_t begin, WordSegment& segment) {
  const std::size_t size = text.size();
  const auto class_at = [text](std::size_t i) {
    return kClasses[static_cast<unsigned char>(text[i])];
  };
  std::size_t i = begin + 1;
  int32_t status = UBRK_WORD_NONE;
  switch (class_at(begin)) {
    case kNonAscii:
      return false;
    case kCR:  // WB3, WB3a: CR LF is one segment, and nothing joins CR, LF or Newline
      if (i < size && text[i] == '\n') ++i;
      segment = {begin, i, status};
      return true;
    case kLF:
    case kNewline:
      segment = {begin, i, status};
      return true;
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
        if (after == kNonAscii) return false;
        if (after != last) break;
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
  if (i < size && class_at(i) == kNonAscii) return false;
  segment = {begin, i, status};
  return true;
}

// Whether UAX #29 always breaks between the ASCII characters a and b whatever surrounds
// them, and ICU's rules read nothing across the break: one of them is a space or a control
// character, and they are neither two spaces (WB3d) nor CR LF (WB3). ICU started at such a
// boundary, and stopped at the next one, gives the segments it gives for the whole text.
bool is_cut(unsigned char a, unsigned char b) {
  const auto separator = [](unsigned char c) { return c <= 0x20 || c == 0x7F; };
  if (a >= 0x80 || b >= 0x80 || !(separator(a) || separator(b))) return false;
  return !(a == ' ' && b == ' ') && !(a == '\r' && b == '\n');
}

// The end of the stretch that ICU segments from `begin`, where the fast path stopped: the
// first cut after the next non-ASCII character. `begin` needs no cut: it is a boundary next
// to an ASCII character (so no dictionary segmentation spans it), and ICU's rules read
// nothing before the start of a segment.
std::size_t icu_stretch_end(std::string_view text, std::size_t begin) {
  std::size_t i = begin;
  while (i < text.size() && static_cast<unsigned char>(text[i]) < 0x80) ++i;
  for (++i; i < text.size(); ++i) {
    if (is_cut(static_cast<unsigned char>(text[i - 1]), static_cast<unsigned char>(text[i]))) {
      return i;
    }
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
    if (ascii_segment(text_, pos_, segment)) {
      pos_ = segment.end;
      return true;
    }
    start_icu(pos_, icu_stretch_end(text_, pos_));
  }
}

}  // namespace kb
