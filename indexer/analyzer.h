// Text analysis shared by indexing, querying and snippets: segmentation, normalisation,
// CJK n-grams and stemming. A difference between index and query time is a relevance bug,
// so both go through this one class.
#pragma once

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <xapian.h>

#include <unicode/uversion.h>

#include "word_segments.h"

U_NAMESPACE_BEGIN
class Normalizer2;
U_NAMESPACE_END

namespace kb {

enum class TokenKind {
  Word,     // a word or number of a space-separated or ICU-segmented script (Latin, Thai, ...)
  Compound, // two hyphenated words joined ("wi-fi" -> "wifi"); no position of its own
  Bigram,   // two adjacent characters of a Chinese, Japanese or Korean run
  Unigram,  // one character of a CJK run
};

struct Token {
  std::string text;        // the indexed term: NFKC case-folded, accents folded where the
                           // language allows it
  std::string form;        // NFKC case-folded with accents kept: what the stemmer reads
  std::size_t begin = 0;   // byte offsets of the token in the analysed text
  std::size_t end = 0;
  TokenKind kind = TokenKind::Word;
};

enum class AnalysisMode {
  Index,  // CJK runs give bigrams and unigrams (so one-character queries find something)
  Query,  // CJK runs give bigrams, or a unigram for a one-character run
};

// Analyzer for one language. Words are found with ICU's word BreakIterator (dictionary-based
// for Thai, Lao, Khmer and Myanmar), normalised with NFKC case folding; French, Italian and
// Catalan elisions ("l'application") are split off; hyphenated words also give their joined
// form ("e-mail" -> "email"); CJK runs become overlapping bigrams; words are stemmed with
// Xapian's Snowball stemmer for the language when it has one. In languages whose readers
// treat accented letters as variants (English, French, Spanish, German, ...), accents are
// removed after stemming, so "telephone" finds "téléphone"; languages where they are letters
// of their own (Swedish, Finnish, Turkish, Russian, ...) keep them.
//
// Not thread-safe (it reuses an ICU BreakIterator): give each thread its own.
class Analyzer {
 public:
  // `lang` is a normalised language tag ("de-ch"); unknown languages get no stemmer.
  // `breaking` is for tests that compare WordSegments' fast path with ICU alone.
  explicit Analyzer(const std::string& lang, WordBreaking breaking = WordBreaking::Fast);
  ~Analyzer();
  Analyzer(const Analyzer&) = delete;
  Analyzer& operator=(const Analyzer&) = delete;

  const std::string& language() const { return lang_; }
  bool has_stemmer() const { return has_stemmer_; }

  // Tokens of `text` in order. `text` must be valid UTF-8.
  std::vector<Token> tokenize(std::string_view text, AnalysisMode mode);

  // The forms a query's words take for `words` as written (a stopword list): the text of
  // each Word token of their analysis in AnalysisMode::Query, what a query's tokens are
  // compared with.
  std::set<std::string> query_word_forms(const std::set<std::string>& words);

  // The stemmed, accent-folded form of a token (CJK grams and numbers are returned
  // unchanged).
  std::string stem(const Token& token) const;

  // Accent folding as this language does it ("" -> "" for languages that keep accents).
  std::string fold_accents(std::string_view text) const;
  bool folds_accents() const { return fold_accents_; }

  // NFKC case folding of arbitrary text (used for boolean filter values).
  std::string fold(std::string_view text) const;

  // Whether `text` has a hyphen that can join two words into a Compound token ("-", U+2010,
  // and what folds to "-": U+FE63, U+FF0D).
  static bool may_join_words(std::string_view text);

  // Whether `text` starts with a character of the scripts cut into n-grams (Han, kana,
  // Hangul), whose tokens are Bigram and Unigram.
  static bool is_cjk_start(std::string_view text);

  // Longest indexed term; longer tokens (URLs, hashes) are skipped.
  static constexpr std::size_t kMaxTermBytes = 64;

 private:
  std::string lang_;
  Xapian::Stem stemmer_;
  bool has_stemmer_ = false;
  bool split_elisions_ = false;
  bool fold_accents_ = false;
  const icu::Normalizer2* nfd_ = nullptr;
  // Words repeat (Zipf): remember stems. Bounded; cleared when full.
  mutable std::unordered_map<std::string, std::string> stem_cache_;
  WordSegments words_;
  const icu::Normalizer2* nfkc_cf_ = nullptr;
};

// The first code point of the scripts that the analyzer cuts into n-grams (Han, Hiragana,
// Katakana, Hangul, and what has them as script extensions): U+1100, Hangul Jamo.
inline constexpr int32_t kFirstCjk = 0x1100;

// Names Xapian's stemmer for a language tag ("de-ch" -> "german"), or "" if there is none.
std::string stemmer_language(const std::string& lang);

}  // namespace kb
