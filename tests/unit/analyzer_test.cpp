// Unit tests of indexer/analyzer.h: folding, stemming, CJK grams, Thai segmentation, elisions.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include <unicode/uscript.h>
#include <unicode/unistr.h>

#include "analyzer.h"

namespace {

using kb::AnalysisMode;
using kb::TokenKind;

const char* kind_name(TokenKind k) {
  switch (k) {
    case TokenKind::Word: return "Word";
    case TokenKind::Bigram: return "Bigram";
    case TokenKind::Unigram: return "Unigram";
    case TokenKind::Compound: return "Compound";
  }
  return "?";
}

// A token as "text@begin-end:Kind", so failing checks print every field.
std::string describe(const kb::Token& t) {
  return t.text + "@" + std::to_string(t.begin) + "-" + std::to_string(t.end) + ":" + kind_name(t.kind);
}

std::vector<std::string> describe(const std::vector<kb::Token>& tokens) {
  std::vector<std::string> out;
  for (const auto& t : tokens) out.push_back(describe(t));
  return out;
}

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : " ") + p;
  return out;
}

std::string tokens_of(kb::Analyzer& a, std::string_view text, AnalysisMode mode) {
  return join(describe(a.tokenize(text, mode)));
}

std::vector<std::string> texts(const std::vector<kb::Token>& tokens) {
  std::vector<std::string> out;
  for (const auto& t : tokens) out.push_back(t.text);
  return out;
}

// "パスワードを忘れました" ("I forgot my password"): 11 characters of 3 bytes each.
const std::string kForgotPassword =
    "\xE3\x83\x91\xE3\x82\xB9\xE3\x83\xAF\xE3\x83\xBC\xE3\x83\x89\xE3\x82\x92"
    "\xE5\xBF\x98\xE3\x82\x8C\xE3\x81\xBE\xE3\x81\x97\xE3\x81\x9F";

// The i-th character of kForgotPassword.
std::string ja_char(std::size_t i) { return kForgotPassword.substr(3 * i, 3); }

}  // namespace

TEST_CASE("fold applies NFKC case folding") {
  kb::Analyzer en("en");
  struct Case {
    const char* name;
    std::string in;
    std::string out;
  };
  const Case cases[] = {
      {"full-width letters", "\xEF\xBC\xA2\xEF\xBD\x89\xEF\xBD\x8C\xEF\xBD\x8C\xEF\xBD\x89\xEF\xBD\x8E\xEF\xBD\x87",
       "billing"},  // "Ｂｉｌｌｉｎｇ"
      {"full-width with full-width hyphen", "\xEF\xBC\xB7\xEF\xBD\x89\xEF\xBC\x8D\xEF\xBC\xA6\xEF\xBD\x89",
       "wi-fi"},  // "Ｗｉ－Ｆｉ"
      {"ASCII capitals", "WiFi", "wifi"},
      {"ASCII punctuation and digits kept", "HELLO-World's 42@X.org", "hello-world's 42@x.org"},
      {"ASCII then accented capital", "ECOLE \xC3\x89" "COLE", "ecole \xC3\xA9" "cole"},
      {"full-width digits", "\xEF\xBC\xA1\xEF\xBC\xA2\xEF\xBC\xA3\xEF\xBC\x91\xEF\xBC\x92\xEF\xBC\x93",
       "abc123"},  // "ＡＢＣ１２３"
      {"sharp s", "Stra\xC3\x9F" "e", "strasse"},
      {"fi ligature", "\xEF\xAC\x81le", "file"},
      {"typographic apostrophe", "can\xE2\x80\x99t", "can't"},
      {"two typographic apostrophes", "\xE2\x80\x99x\xE2\x80\x99", "'x'"},
      {"kanji, already folded", "\xE6\x97\xA5\xE6\x9C\xAC", "\xE6\x97\xA5\xE6\x9C\xAC"},  // 日本
      {"kanji and a typographic apostrophe", "\xE6\x97\xA5\xE2\x80\x99", "\xE6\x97\xA5'"},
      {"lowercase Cyrillic, already folded", "\xD0\xBF\xD1\x80\xD0\xB8", "\xD0\xBF\xD1\x80\xD0\xB8"},
      {"Greek capitals", "\xCE\xA9\xCE\xA3", "\xCF\x89\xCF\x83"},                  // ΩΣ -> ωσ
      {"half-width katakana and voiced mark", "\xEF\xBD\xB6\xEF\xBE\x9E", "\xE3\x82\xAC"},  // ｶﾞ -> ガ
      {"ill-formed UTF-8 becomes U+FFFD", "a\xFF", "a\xEF\xBF\xBD"},
      {"truncated kanji becomes U+FFFD", "\xE6\x97\xA5\xE6\x9C", "\xE6\x97\xA5\xEF\xBF\xBD"},
      {"empty", "", ""},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    CHECK(en.fold(c.in) == c.out);
  }
}

TEST_CASE("full-width and ASCII text give the same lowercase tokens") {
  kb::Analyzer en("en");
  // "Ｗｉ－Ｆｉ": each character is 3 bytes; the hyphen separates two words, as in "Wi-Fi".
  const std::string wide_hyphen = "\xEF\xBC\xB7\xEF\xBD\x89\xEF\xBC\x8D\xEF\xBC\xA6\xEF\xBD\x89";
  // Hyphenated words also give their joined form, so "wifi" finds "Wi-Fi".
  CHECK(tokens_of(en, wide_hyphen, AnalysisMode::Query) ==
        "wi@0-6:Word fi@9-15:Word wifi@0-15:Compound");
  CHECK(tokens_of(en, "Wi-Fi", AnalysisMode::Query) == "wi@0-2:Word fi@3-5:Word wifi@0-5:Compound");
  CHECK(tokens_of(en, "e-mail address", AnalysisMode::Index) ==
        "e@0-1:Word mail@2-6:Word email@0-6:Compound address@7-14:Word");
  // "ＷｉＦｉ" and "WiFi" are one word each, with the same text.
  const std::string wide = "\xEF\xBC\xB7\xEF\xBD\x89\xEF\xBC\xA6\xEF\xBD\x89";
  CHECK(tokens_of(en, wide, AnalysisMode::Index) == "wifi@0-12:Word");
  CHECK(tokens_of(en, "WiFi", AnalysisMode::Index) == "wifi@0-4:Word");
}

TEST_CASE("English words are stemmed so inflected forms match") {
  kb::Analyzer en("en");
  REQUIRE(en.has_stemmer());
  const auto tokens = en.tokenize("Passwords password resetting reset", AnalysisMode::Query);
  REQUIRE(tokens.size() == 4);
  CHECK(texts(tokens) == std::vector<std::string>{"passwords", "password", "resetting", "reset"});
  CHECK(en.stem(tokens[0]) == "password");
  CHECK(en.stem(tokens[1]) == "password");
  CHECK(en.stem(tokens[2]) == "reset");
  CHECK(en.stem(tokens[3]) == "reset");
}

TEST_CASE("stem leaves numbers and CJK grams unchanged") {
  kb::Analyzer en("en");
  const auto tokens = en.tokenize("2024 1st", AnalysisMode::Query);
  REQUIRE(tokens.size() == 2);
  CHECK(en.stem(tokens[0]) == "2024");
  CHECK(en.stem(tokens[1]) == "1st");
  const kb::Token bigram{"\xE5\xBF\x98\xE3\x82\x8C", "", 0, 6, TokenKind::Bigram};  // "忘れ"
  CHECK(en.stem(bigram) == bigram.text);
}

TEST_CASE("stemmers by language") {
  struct Case {
    std::string lang;
    std::string stemmer;
  };
  const Case cases[] = {
      {"en", "english"}, {"en-gb", "english"}, {"de", "german"}, {"de-ch", "german"},
      {"fr", "french"},  {"pt-br", "portuguese"}, {"nb", "norwegian"},
      {"ja", ""},        {"zh-hans", ""},          {"th", ""},  {"ko", ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.lang);
    CHECK(kb::stemmer_language(c.lang) == c.stemmer);
    kb::Analyzer a(c.lang);
    CHECK(a.language() == c.lang);
    CHECK(a.has_stemmer() == !c.stemmer.empty());
  }
}

TEST_CASE("the German stemmer is used for de-ch") {
  kb::Analyzer de("de-ch");
  REQUIRE(de.has_stemmer());
  // "Passwörter Passwort"
  const auto tokens = de.tokenize("Passw\xC3\xB6rter Passwort", AnalysisMode::Query);
  REQUIRE(tokens.size() == 2);
  // German folds umlauts in the indexed term; the stemmer reads the original form.
  CHECK(tokens[0].text == "passworter");
  CHECK(tokens[0].form == "passw\xC3\xB6rter");
  CHECK(de.stem(tokens[0]) == "passwort");
  CHECK(de.stem(tokens[1]) == "passwort");
}

TEST_CASE("Japanese has no stemmer: stem returns the token text") {
  kb::Analyzer ja("ja");
  CHECK_FALSE(ja.has_stemmer());
  const auto tokens = ja.tokenize(kForgotPassword, AnalysisMode::Query);
  REQUIRE_FALSE(tokens.empty());
  for (const auto& t : tokens) CHECK(ja.stem(t) == t.text);
}

TEST_CASE("Japanese text without spaces gives overlapping bigrams in Query mode") {
  kb::Analyzer ja("ja");
  const auto tokens = ja.tokenize(kForgotPassword, AnalysisMode::Query);
  REQUIRE(tokens.size() == 10);
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    CAPTURE(i);
    const auto& t = tokens[i];
    CHECK(t.kind == TokenKind::Bigram);
    CHECK(t.text == ja_char(i) + ja_char(i + 1));
    CHECK(t.begin == 3 * i);
    CHECK(t.end == 3 * i + 6);
    // The offsets point at the characters the token was made from.
    CHECK(kForgotPassword.substr(t.begin, t.end - t.begin) == t.text);
  }
}

TEST_CASE("Japanese text gives bigrams and unigrams in Index mode") {
  kb::Analyzer ja("ja");
  const auto tokens = ja.tokenize(kForgotPassword, AnalysisMode::Index);
  std::vector<std::tuple<std::size_t, std::size_t, std::string, TokenKind>> got, expected;
  for (const auto& t : tokens) got.emplace_back(t.begin, t.end, t.text, t.kind);
  for (std::size_t i = 0; i < 11; ++i) {
    expected.emplace_back(3 * i, 3 * i + 3, ja_char(i), TokenKind::Unigram);
    if (i + 1 < 11) expected.emplace_back(3 * i, 3 * i + 6, ja_char(i) + ja_char(i + 1), TokenKind::Bigram);
  }
  std::sort(got.begin(), got.end());
  std::sort(expected.begin(), expected.end());
  CHECK(tokens.size() == 21);
  CHECK(got == expected);
  for (const auto& t : tokens) {
    CAPTURE(describe(t));
    CHECK(kForgotPassword.substr(t.begin, t.end - t.begin) == t.text);
  }
}

TEST_CASE("a single CJK character gives one unigram") {
  kb::Analyzer ja("ja");
  const std::string key = "\xE9\x8D\xB5";  // "鍵"
  CHECK(tokens_of(ja, key, AnalysisMode::Query) == key + "@0-3:Unigram");
  CHECK(tokens_of(ja, key, AnalysisMode::Index) == key + "@0-3:Unigram");
  // Each space-separated run is analysed on its own: "鍵 東京" in Query mode.
  const std::string tokyo = "\xE6\x9D\xB1\xE4\xBA\xAC";
  CHECK(tokens_of(ja, key + " " + tokyo, AnalysisMode::Query) == key + "@0-3:Unigram " + tokyo + "@4-10:Bigram");
}

TEST_CASE("Latin words and a CJK run in one text") {
  kb::Analyzer ja("ja");
  // "Wi-Fiのパスワード"
  const std::string text = "Wi-Fi\xE3\x81\xAE" + kForgotPassword.substr(0, 15);
  const auto tokens = ja.tokenize(text, AnalysisMode::Query);
  REQUIRE(tokens.size() == 8);
  CHECK(describe(tokens[0]) == "wi@0-2:Word");
  CHECK(describe(tokens[1]) == "fi@3-5:Word");
  CHECK(describe(tokens[2]) == "wifi@0-5:Compound");
  CHECK(describe(tokens[3]) == "\xE3\x81\xAE\xE3\x83\x91@5-11:Bigram");  // "のパ"
  CHECK(describe(tokens[7]) == "\xE3\x83\xBC\xE3\x83\x89@17-23:Bigram");  // "ード"
}

TEST_CASE("CJK runs end where the text turns to letters, digits or punctuation") {
  kb::Analyzer ja("ja");
  struct Case {
    const char* name;
    std::string text;
    std::string index;
    std::string query;
  };
  const Case cases[] = {
      {"a particle between Latin words, dropped from queries", "iPhone\xE3\x81\xA7" "eSIM",  // iPhoneでeSIM
       "iphone@0-6:Word \xE3\x81\xA7@6-9:Unigram esim@9-13:Word", "iphone@0-6:Word esim@9-13:Word"},
      {"digits and letters before kanji", "5G\xE5\x9B\x9E\xE7\xB7\x9A",  // 5G回線
       "5g@0-2:Word \xE5\x9B\x9E@2-5:Unigram \xE5\x9B\x9E\xE7\xB7\x9A@2-8:Bigram \xE7\xB7\x9A@5-8:Unigram",
       "5g@0-2:Word \xE5\x9B\x9E\xE7\xB7\x9A@2-8:Bigram"},
      {"the iteration mark belongs to the run", "\xE4\xBA\xBA\xE3\x80\x85",  // 人々
       "\xE4\xBA\xBA@0-3:Unigram \xE4\xBA\xBA\xE3\x80\x85@0-6:Bigram \xE3\x80\x85@3-6:Unigram",
       "\xE4\xBA\xBA\xE3\x80\x85@0-6:Bigram"},
      {"no bigram across punctuation", "\xE6\x97\xA5\xE6\x9C\xAC\xE3\x80\x81\xE4\xB8\xAD\xE6\x96\x87\xE3\x80\x82",  // 日本、中文。
       "\xE6\x97\xA5@0-3:Unigram \xE6\x97\xA5\xE6\x9C\xAC@0-6:Bigram \xE6\x9C\xAC@3-6:Unigram "
       "\xE4\xB8\xAD@9-12:Unigram \xE4\xB8\xAD\xE6\x96\x87@9-15:Bigram \xE6\x96\x87@12-15:Unigram",
       "\xE6\x97\xA5\xE6\x9C\xAC@0-6:Bigram \xE4\xB8\xAD\xE6\x96\x87@9-15:Bigram"},
      {"the prolonged sound mark belongs to the run, the middle dot ends it",
       "\xE3\x83\x86\xE3\x82\xB9\xE3\x83\x88\xE3\x83\xBB\xE3\x82\xB1\xE3\x83\xBC\xE3\x82\xB9",  // テスト・ケース
       "\xE3\x83\x86@0-3:Unigram \xE3\x83\x86\xE3\x82\xB9@0-6:Bigram \xE3\x82\xB9@3-6:Unigram "
       "\xE3\x82\xB9\xE3\x83\x88@3-9:Bigram \xE3\x83\x88@6-9:Unigram \xE3\x82\xB1@12-15:Unigram "
       "\xE3\x82\xB1\xE3\x83\xBC@12-18:Bigram \xE3\x83\xBC@15-18:Unigram \xE3\x83\xBC\xE3\x82\xB9@15-21:Bigram "
       "\xE3\x82\xB9@18-21:Unigram",
       "\xE3\x83\x86\xE3\x82\xB9@0-6:Bigram \xE3\x82\xB9\xE3\x83\x88@3-9:Bigram "
       "\xE3\x82\xB1\xE3\x83\xBC@12-18:Bigram \xE3\x83\xBC\xE3\x82\xB9@15-21:Bigram"},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    CHECK(tokens_of(ja, c.text, AnalysisMode::Index) == c.index);
    CHECK(tokens_of(ja, c.text, AnalysisMode::Query) == c.query);
  }
}

TEST_CASE("half-width katakana folds to the same bigrams as full-width") {
  kb::Analyzer ja("ja");
  const std::string half = "\xEF\xBE\x8A\xEF\xBE\x9F\xEF\xBD\xBD\xEF\xBE\x9C\xEF\xBD\xB0\xEF\xBE\x84\xEF\xBE\x9E";
  const std::string full = kForgotPassword.substr(0, 15);  // "パスワード"
  CHECK(texts(ja.tokenize(half, AnalysisMode::Query)) == texts(ja.tokenize(full, AnalysisMode::Query)));
  for (const auto& t : ja.tokenize(half, AnalysisMode::Query)) {
    CHECK(t.begin == 0);
    CHECK(t.end == half.size());
  }
}

TEST_CASE("Thai is segmented into words with ICU's dictionary") {
  kb::Analyzer th("th");
  const std::string text = "\xE0\xB8\xA5\xE0\xB8\xB7\xE0\xB8\xA1\xE0\xB8\xA3\xE0\xB8\xAB\xE0\xB8\xB1\xE0\xB8\xAA"
                           "\xE0\xB8\x9C\xE0\xB9\x88\xE0\xB8\xB2\xE0\xB8\x99";  // "ลืมรหัสผ่าน"
  const auto tokens = th.tokenize(text, AnalysisMode::Query);
  CAPTURE(join(describe(tokens)));
  CHECK(tokens.size() > 1);
  std::size_t pos = 0;
  for (const auto& t : tokens) {
    CHECK(t.kind == TokenKind::Word);
    CHECK(t.text != text);
    // No spaces in the text: the words tile it, and each one is the text at its offsets.
    CHECK(t.begin == pos);
    CHECK(text.substr(t.begin, t.end - t.begin) == t.text);
    pos = t.end;
  }
  CHECK(pos == text.size());
}

TEST_CASE("French elisions are split off") {
  kb::Analyzer fr("fr");
  struct Case {
    const char* name;
    std::string text;
    std::string expected;
  };
  const Case cases[] = {
      {"ASCII apostrophe", "l'application", "application@2-13:Word"},
      {"typographic apostrophe", "l\xE2\x80\x99" "application", "application@4-15:Word"},
      {"capital L", "L'Application", "application@2-13:Word"},
      {"d'", "d'accord", "accord@2-8:Word"},
      {"qu'", "qu'il", "il@3-5:Word"},
      {"in a sentence", "ouvrez l'application", "ouvrez@0-6:Word application@9-20:Word"},
      {"not an elision", "aujourd'hui", "aujourd'hui@0-11:Word"},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    CHECK(tokens_of(fr, c.text, AnalysisMode::Query) == c.expected);
  }
  // The same word with either apostrophe gives the same stem.
  const auto straight = fr.tokenize("l'application", AnalysisMode::Query);
  const auto curly = fr.tokenize("l\xE2\x80\x99" "application", AnalysisMode::Query);
  REQUIRE(straight.size() == 1);
  REQUIRE(curly.size() == 1);
  CHECK(fr.stem(straight[0]) == fr.stem(curly[0]));
}

TEST_CASE("Italian elisions are split off, English ones are not") {
  kb::Analyzer it("it");
  CHECK(tokens_of(it, "dell'utente", AnalysisMode::Query) == "utente@5-11:Word");
  kb::Analyzer en("en");
  CHECK(tokens_of(en, "l'application", AnalysisMode::Query) == "l'application@0-13:Word");
}

TEST_CASE("typographic and ASCII apostrophes give the same token") {
  kb::Analyzer en("en");
  const auto tokens = en.tokenize("can\xE2\x80\x99t can't", AnalysisMode::Query);
  REQUIRE(tokens.size() == 2);
  CHECK(describe(tokens[0]) == "can't@0-7:Word");
  CHECK(describe(tokens[1]) == "can't@8-13:Word");
  CHECK(en.stem(tokens[0]) == en.stem(tokens[1]));
}

TEST_CASE("punctuation, symbols and spaces give no tokens") {
  kb::Analyzer en("en");
  const std::string inputs[] = {
      "",
      " ",
      "\n\t\r\n",
      "  ,.;:!? () [] {} \"\" '' -- / \\ * & % #",
      "\xE2\x80\x94 \xE2\x80\xA6 \xE2\x80\x9C\xE2\x80\x9D \xE3\x80\x82\xE3\x80\x81",  // — … “” 。、
  };
  for (const auto& in : inputs) {
    CAPTURE(in);
    CHECK(tokens_of(en, in, AnalysisMode::Index) == "");
    CHECK(tokens_of(en, in, AnalysisMode::Query) == "");
  }
  CHECK(tokens_of(en, "  Hello,   world!  ", AnalysisMode::Query) == "hello@2-7:Word world@11-16:Word");
}

TEST_CASE("tokens longer than kMaxTermBytes are skipped") {
  kb::Analyzer en("en");
  const std::string longest(kb::Analyzer::kMaxTermBytes, 'a');
  const std::string too_long(kb::Analyzer::kMaxTermBytes + 1, 'b');
  CHECK(tokens_of(en, longest, AnalysisMode::Index) == longest + "@0-64:Word");
  CHECK(tokens_of(en, too_long, AnalysisMode::Index) == "");
  CHECK(tokens_of(en, "ok " + too_long + " fine", AnalysisMode::Query) == "ok@0-2:Word fine@69-73:Word");
  // The limit is in bytes of the folded term: 32 "é" are 64 bytes, 33 are 66.
  std::string e32, e33;
  for (int i = 0; i < 32; ++i) e32 += "\xC3\xA9";
  e33 = e32 + "\xC3\xA9";
  CHECK(en.tokenize(e32, AnalysisMode::Query).size() == 1);
  CHECK(en.tokenize(e33, AnalysisMode::Query).empty());
}

TEST_CASE("accents fold where the language allows it, after stemming") {
  struct Case {
    const char* lang;
    const char* a;
    const char* b;
    bool same;
  };
  const Case cases[] = {
      {"fr", "t\xC3\xA9l\xC3\xA9phone", "telephone", true},   // téléphone
      {"es", "contrase\xC3\xB1" "a", "contrasena", true},          // contraseña
      {"de", "zur\xC3\xBC" "cksetzen", "zurucksetzen", true},      // zurücksetzen
      {"en", "caf\xC3\xA9", "cafe", true},
      {"sv", "l\xC3\xA5n", "lan", false},                        // lån (loan) is not lan
      {"fi", "p\xC3\xA4iv\xC3\xA4", "paiva", false},            // päivä
  };
  for (const auto& c : cases) {
    CAPTURE(c.lang);
    CAPTURE(c.a);
    kb::Analyzer an(c.lang);
    const auto ta = an.tokenize(c.a, AnalysisMode::Query);
    const auto tb = an.tokenize(c.b, AnalysisMode::Query);
    REQUIRE(ta.size() == 1);
    REQUIRE(tb.size() == 1);
    CHECK((an.stem(ta[0]) == an.stem(tb[0])) == c.same);
    CHECK((ta[0].text == tb[0].text) == c.same);
  }
}

TEST_CASE("no code point before kFirstCjk is of a script cut into n-grams") {
  // The analyzer skips ICU's script lookups for these (most words); this is why it may.
  int cjk_before = 0;
  for (UChar32 c = 0; c < kb::kFirstCjk; ++c) {
    UErrorCode status = U_ZERO_ERROR;
    const UScriptCode script = uscript_getScript(c, &status);
    if (script == USCRIPT_HAN || script == USCRIPT_HIRAGANA || script == USCRIPT_KATAKANA ||
        script == USCRIPT_HANGUL || uscript_hasScript(c, USCRIPT_KATAKANA) || uscript_hasScript(c, USCRIPT_HAN)) {
      ++cjk_before;
    }
  }
  CHECK(cjk_before == 0);
  UErrorCode status = U_ZERO_ERROR;
  CHECK(uscript_getScript(kb::kFirstCjk, &status) == USCRIPT_HANGUL);
  CHECK(kb::Analyzer::is_cjk_start("\xE1\x84\x80"));  // U+1100, the first
  CHECK(kb::Analyzer::is_cjk_start("\xE7\x8C\xAB"));  // 猫
  CHECK_FALSE(kb::Analyzer::is_cjk_start("\xE0\xB8\x81"));  // Thai ก: words, not n-grams
  CHECK_FALSE(kb::Analyzer::is_cjk_start("wifi"));
  CHECK_FALSE(kb::Analyzer::is_cjk_start(""));
}

TEST_CASE("may_join_words finds every character that joins words into a compound") {
  // Every character X of the Basic Multilingual Plane in "wi" X "fi": a Compound token
  // comes out exactly when may_join_words finds X.
  kb::Analyzer en("en");
  int joiners = 0;
  for (UChar32 c = 1; c < 0x10000; ++c) {
    if (c >= 0xD800 && c < 0xE000) continue;
    std::string x;
    icu::UnicodeString(c).toUTF8String(x);
    const std::string text = "wi" + x + "fi";
    const auto tokens = en.tokenize(text, AnalysisMode::Index);
    const bool compound = std::any_of(tokens.begin(), tokens.end(),
                                      [](const kb::Token& t) { return t.kind == TokenKind::Compound; });
    CAPTURE(c);
    CHECK(compound == kb::Analyzer::may_join_words(x));
    joiners += compound;
  }
  CHECK(joiners == 4);  // "-", U+2010, U+FE63, U+FF0D
  CHECK(kb::Analyzer::may_join_words("call the e-mail team"));
  CHECK_FALSE(kb::Analyzer::may_join_words("call the email team"));
}
