// ICU-based segmentation and normalisation, Xapian stemming, CJK bigrams.
#include "analyzer.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <utility>

#include "errors.h"
#include "language.h"
#include "utf8.h"

namespace kb {
namespace {

bool is_cjk(UChar32 c) {
  // No code point before U+1100 (Hangul Jamo) is of these scripts or has them as script
  // extensions (analyzer_test checks every one): Latin, Greek, Cyrillic, Arabic, Thai, ...
  // words need no ICU call.
  if (c < kFirstCjk) return false;
  UErrorCode status = U_ZERO_ERROR;
  const UScriptCode script = uscript_getScript(c, &status);
  if (script == USCRIPT_HAN || script == USCRIPT_HIRAGANA || script == USCRIPT_KATAKANA ||
      script == USCRIPT_HANGUL) {
    return true;
  }
  // The prolonged sound mark and iteration marks are "Common" but belong to kana/kanji runs.
  return uscript_hasScript(c, USCRIPT_KATAKANA) || uscript_hasScript(c, USCRIPT_HAN);
}

constexpr std::string_view kTypographicApostrophe = "\xE2\x80\x99";  // U+2019

UChar32 first_code_point(std::string_view s) {
  int32_t i = 0;
  UChar32 c = 0;
  U8_NEXT(reinterpret_cast<const uint8_t*>(s.data()), i, static_cast<int32_t>(s.size()), c);
  return c;
}

}  // namespace

std::string stemmer_language(const std::string& lang) {
  static const std::array<std::pair<const char*, const char*>, 27> table = {{
      {"ar", "arabic"},     {"hy", "armenian"},  {"eu", "basque"},     {"ca", "catalan"},
      {"da", "danish"},     {"nl", "dutch"},     {"en", "english"},    {"fi", "finnish"},
      {"fr", "french"},     {"de", "german"},    {"hu", "hungarian"},  {"id", "indonesian"},
      {"ga", "irish"},      {"it", "italian"},   {"lt", "lithuanian"}, {"ne", "nepali"},
      {"nb", "norwegian"},  {"nn", "norwegian"}, {"no", "norwegian"},  {"pt", "portuguese"},
      {"ro", "romanian"},   {"ru", "russian"},   {"es", "spanish"},    {"sv", "swedish"},
      {"ta", "tamil"},      {"tr", "turkish"},   {"el", "greek"},
  }};
  const std::string primary = primary_language(lang);
  for (const auto& [code, name] : table) {
    if (primary == code) return name;
  }
  return "";
}

Analyzer::Analyzer(const std::string& lang, WordBreaking breaking)
    : lang_(lang), words_(lang, breaking) {
  const std::string stem_name = stemmer_language(lang);
  if (!stem_name.empty()) {
    try {
      stemmer_ = Xapian::Stem(stem_name);
      has_stemmer_ = true;
    } catch (const Xapian::InvalidArgumentError&) {
      has_stemmer_ = false;  // this Xapian build lacks the language: index unstemmed
    }
  }
  const std::string primary = primary_language(lang);
  split_elisions_ = primary == "fr" || primary == "it" || primary == "ca";
  static const std::array<const char*, 12> folding = {"en", "fr", "es", "pt", "it", "ca",
                                                      "nl", "de", "ro", "ga", "eu", "id"};
  fold_accents_ = std::find(folding.begin(), folding.end(), primary) != folding.end();

  UErrorCode status = U_ZERO_ERROR;
  nfkc_cf_ = icu::Normalizer2::getNFKCCasefoldInstance(status);
  if (U_FAILURE(status)) throw RuntimeError("icu_error", "ICU NFKC_Casefold data is missing");
  nfd_ = icu::Normalizer2::getNFDInstance(status);
  if (U_FAILURE(status)) throw RuntimeError("icu_error", "ICU NFD data is missing");
}

Analyzer::~Analyzer() = default;

std::string Analyzer::fold(std::string_view text) const {
  // Fast path: NFKC case folding changes nothing in ASCII but the case of A-Z, and most
  // words of Latin-script languages are ASCII (a third of index and snippet time went to
  // the UTF-16 round trip).
  if (is_ascii(text)) return ascii_lowercase(text);
  // Text that NFKC case folding leaves as it is needs no UTF-16 round trip: most CJK text,
  // lowercase words of other scripts. isNormalizedUTF8() passes ill-formed UTF-8, which the
  // round trip turns into U+FFFD, and the typographic apostrophe is folded below.
  UErrorCode status = U_ZERO_ERROR;
  const icu::StringPiece piece(text.data(), static_cast<int32_t>(text.size()));
  if (text.find(kTypographicApostrophe) == std::string_view::npos && !find_invalid_utf8(text) &&
      nfkc_cf_->isNormalizedUTF8(piece, status) && U_SUCCESS(status)) {
    return std::string(text);
  }
  status = U_ZERO_ERROR;
  const icu::UnicodeString in = icu::UnicodeString::fromUTF8(piece);
  const icu::UnicodeString out = nfkc_cf_->normalize(in, status);
  std::string result;
  if (U_FAILURE(status)) return std::string(text);
  out.toUTF8String(result);
  // Typographic apostrophes fold to the ASCII one so "can’t" and "can't" match.
  std::string::size_type pos = 0;
  while ((pos = result.find(kTypographicApostrophe, pos)) != std::string::npos) {
    result.replace(pos, 3, "'");
    ++pos;
  }
  return result;
}

std::string Analyzer::fold_accents(std::string_view text) const {
  if (!fold_accents_) return std::string(text);
  // Fast path: ASCII has nothing to fold.
  if (is_ascii(text)) return std::string(text);
  UErrorCode status = U_ZERO_ERROR;
  const icu::UnicodeString decomposed = nfd_->normalize(
      icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size()))), status);
  if (U_FAILURE(status)) return std::string(text);
  icu::UnicodeString kept;
  for (int32_t i = 0; i < decomposed.length();) {
    const UChar32 c = decomposed.char32At(i);
    if (u_charType(c) != U_NON_SPACING_MARK) kept.append(c);
    i += U16_LENGTH(c);
  }
  std::string out;
  kept.toUTF8String(out);
  return out;
}

std::string Analyzer::stem(const Token& token) const {
  if (token.kind == TokenKind::Bigram || token.kind == TokenKind::Unigram || !has_stemmer_) {
    return token.text;
  }
  const std::string& form = token.form.empty() ? token.text : token.form;
  const unsigned char c = static_cast<unsigned char>(form[0]);
  if (c >= '0' && c <= '9') return token.text;
  auto hit = stem_cache_.find(form);
  if (hit != stem_cache_.end()) return hit->second;
  std::string stemmed = fold_accents(stemmer_(form));
  if (stemmed.empty()) stemmed = token.text;
  if (stem_cache_.size() >= 100000) stem_cache_.clear();
  stem_cache_.emplace(form, stemmed);
  return stemmed;
}

bool Analyzer::may_join_words(std::string_view text) {
  for (const std::string_view hyphen : {"-", "\xE2\x80\x90", "\xEF\xB9\xA3", "\xEF\xBC\x8D"}) {
    if (text.find(hyphen) != std::string_view::npos) return true;
  }
  return false;
}

bool Analyzer::is_cjk_start(std::string_view text) { return !text.empty() && is_cjk(first_code_point(text)); }

std::set<std::string> Analyzer::query_word_forms(const std::set<std::string>& words) {
  std::set<std::string> forms;
  for (const auto& word : words) {
    for (const auto& t : tokenize(word, AnalysisMode::Query)) {
      if (t.kind == TokenKind::Word) forms.insert(t.text);
    }
  }
  return forms;
}

std::vector<Token> Analyzer::tokenize(std::string_view text, AnalysisMode mode) {
  std::vector<Token> tokens;
  if (text.empty()) return tokens;
  // About one token per six bytes in space-separated languages: room for them all at once
  // rather than moving them again and again as the vector grows (CJK makes room below).
  tokens.reserve(text.size() / 6 + 1);
  words_.set_text(text);

  // The current CJK run: its normalised text, and each of its characters as a range of that
  // text and a range of the original.
  struct RunChar {
    std::size_t norm_begin, norm_end;
    std::size_t begin, end;
  };
  std::string run_text;
  std::vector<RunChar> run;
  std::size_t run_end = 0;  // where the run's last segment ends in the original
  std::size_t last_word = std::string::npos;  // index of the previous Word token
  // Adds a segment and its normalised text to the run, splitting it by code point. Offsets
  // map one to one when normalisation kept the number of code points, else every character
  // gets the whole segment ("ｶﾞ" -> "ガ").
  const auto add_to_run = [&](std::string_view norm, std::size_t begin, std::size_t end) {
    const std::string_view original = text.substr(begin, end - begin);
    const bool same = norm == original;
    const bool aligned = same || code_points(norm) == code_points(original);
    const std::size_t base = run_text.size();
    run_text += norm;
    const auto* n = reinterpret_cast<const uint8_t*>(norm.data());
    const auto* o = reinterpret_cast<const uint8_t*>(original.data());
    const auto n_size = static_cast<int32_t>(norm.size());
    const auto o_size = static_cast<int32_t>(original.size());
    for (int32_t i = 0, j = 0; i < n_size;) {
      const int32_t start = i;
      UChar32 c;
      U8_NEXT(n, i, n_size, c);
      if (same) {
        run.push_back({base + start, base + i, begin + start, begin + i});
      } else if (aligned) {
        const int32_t original_start = j;
        U8_NEXT(o, j, o_size, c);
        run.push_back({base + start, base + i, begin + original_start, begin + j});
      } else {
        run.push_back({base + start, base + i, begin, end});
      }
    }
    run_end = end;
  };
  const auto flush_run = [&]() {
    if (run.empty()) return;
    const auto text_of = [&](const RunChar& first, const RunChar& last) {
      return std::string(run_text, first.norm_begin, last.norm_end - first.norm_begin);
    };
    // A lone hiragana character between words of other scripts ("iPhoneでeSIM") is a
    // particle: as a query term it would match nearly every Japanese article.
    UErrorCode status = U_ZERO_ERROR;
    if (mode == AnalysisMode::Query && run.size() == 1 &&
        uscript_getScript(first_code_point(run_text), &status) == USCRIPT_HIRAGANA) {
      run.clear();
      run_text.clear();
      return;
    }
    // In text order: each character's unigram (index time, or a one-character run), then
    // the bigram starting at it.
    const bool unigrams = run.size() == 1 || mode == AnalysisMode::Index;
    // CJK text gives up to two tokens for three bytes: when the tokens outgrow the vector,
    // make room for the rest of the text at that rate rather than move them all again and
    // again as it grows.
    const std::size_t needed = tokens.size() + 2 * run.size();
    if (needed > tokens.capacity()) {
      tokens.reserve(std::max(2 * tokens.capacity(), needed + (text.size() - run_end) * 2 / 3));
    }
    for (std::size_t k = 0; k < run.size(); ++k) {
      if (unigrams) {
        tokens.push_back(Token{text_of(run[k], run[k]), std::string(), run[k].begin, run[k].end,
                               TokenKind::Unigram});
      }
      if (k + 1 < run.size()) {
        tokens.push_back(Token{text_of(run[k], run[k + 1]), std::string(), run[k].begin,
                               run[k + 1].end, TokenKind::Bigram});
      }
    }
    run.clear();
    run_text.clear();
  };

  WordSegment segment;
  while (words_.next(segment)) {
    if (!segment.is_word()) continue;  // spaces, punctuation, symbols
    const std::size_t b = segment.begin;
    const std::size_t e = segment.end;
    const std::string_view original = text.substr(b, e - b);
    // Plain ASCII words (most words of Latin-script languages) fold to lowercase and have no
    // accents to fold: what fold() and fold_accents() return for them, without the calls.
    const bool ascii = is_ascii(original);
    std::string norm = ascii ? ascii_lowercase(original) : fold(original);
    if (norm.empty()) continue;

    if (!ascii && is_cjk(first_code_point(norm))) {
      last_word = std::string::npos;
      if (!run.empty() && run_end != b) flush_run();
      add_to_run(norm, b, e);
      continue;
    }
    flush_run();

    std::size_t token_begin = b;
    if (split_elisions_) {
      const auto apos = norm.find('\'');
      if (apos != std::string::npos && apos > 0 && apos <= 7 && apos + 1 < norm.size()) {
        static const char* const elisions[] = {"l",     "d",      "j",       "m",       "n",
                                               "s",     "t",      "c",       "qu",      "jusqu",
                                               "lorsqu", "puisqu", "dell",    "nell",    "all",
                                               "dall",  "sull",   "un",      "quest",   "quell"};
        const std::string head = norm.substr(0, apos);
        for (const char* el : elisions) {
          if (head == el) {
            norm.erase(0, apos + 1);
            // The token starts after the original's first apostrophe: the ASCII one, or one
            // that folds to it (U+2019, and the full-width U+FF07).
            std::size_t cut = std::string_view::npos;
            for (const std::string_view apostrophe : {"'", "\xE2\x80\x99", "\xEF\xBC\x87"}) {
              const auto at = original.find(apostrophe);
              if (at < cut) {
                cut = at;
                token_begin = b + at + apostrophe.size();
              }
            }
            break;
          }
        }
      }
    }
    if (norm.size() > kMaxTermBytes) continue;
    std::string folded = ascii ? norm : fold_accents(norm);
    // A "word" of combining marks only ("ื" after Thai punctuation) folds to nothing,
    // and Xapian refuses empty terms (found by fuzzing: the whole build failed).
    if (folded.empty()) continue;
    // "wi-fi", "e-mail": also the joined form, so "wifi" and "email" match.
    if (last_word != std::string::npos) {
      const Token& prev = tokens[last_word];
      const std::string_view between = text.substr(prev.end, token_begin - prev.end);
      const bool hyphen = between == "-" || between == "\xE2\x80\x90" ||
                          (between.size() == 3 && fold(between) == "-");  // full-width
      if (hyphen && prev.text.size() + folded.size() <= kMaxTermBytes) {
        Token joined{prev.text + folded, prev.form + norm, prev.begin, e, TokenKind::Compound};
        tokens.push_back({std::move(folded), std::move(norm), token_begin, e, TokenKind::Word});
        last_word = tokens.size() - 1;
        tokens.push_back(std::move(joined));
        continue;
      }
    }
    tokens.push_back({std::move(folded), std::move(norm), token_begin, e, TokenKind::Word});
    last_word = tokens.size() - 1;
  }
  flush_run();
  return tokens;
}

}  // namespace kb
