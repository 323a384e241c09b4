// Unit tests of server/search/snippet.h: escaping, <mark> highlighting, windows, CJK, cutting.
#include <doctest/doctest.h>

#include <cstddef>
#include <set>
#include <string>
#include <string_view>

#include "analyzer.h"
#include "snippet.h"
#include "utf8.h"

namespace {

using kb::search::leading_text;
using kb::search::make_snippet;

const std::string kEllipsis = "\xE2\x80\xA6";

// The stems of a query, analysed exactly as the searcher does: Query mode, then stem().
std::set<std::string> query_stems(kb::Analyzer& analyzer, std::string_view query) {
  std::set<std::string> stems;
  for (const auto& t : analyzer.tokenize(query, kb::AnalysisMode::Query)) stems.insert(analyzer.stem(t));
  return stems;
}

std::size_t count(std::string_view haystack, std::string_view needle) {
  std::size_t n = 0;
  for (auto pos = haystack.find(needle); pos != std::string_view::npos; pos = haystack.find(needle, pos + 1)) {
    ++n;
  }
  return n;
}

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }
bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// A sentence without any of the query terms used below, to pad texts.
const std::string kFiller =
    "Our support team answers questions about invoices, delivery times and device setup every day "
    "of the week. ";

// "パスワードを忘れました" ("I forgot my password").
const std::string kJaForgot =
    "\xE3\x83\x91\xE3\x82\xB9\xE3\x83\xAF\xE3\x83\xBC\xE3\x83\x89\xE3\x82\x92"
    "\xE5\xBF\x98\xE3\x82\x8C\xE3\x81\xBE\xE3\x81\x97\xE3\x81\x9F";
const std::string kJaPassword = kJaForgot.substr(0, 15);  // "パスワード"

}  // namespace

TEST_CASE("make_snippet escapes HTML in the text") {
  kb::Analyzer en("en");
  const std::string text = "Use <script>alert(1)</script> to reset the password & more";
  const std::string snippet = make_snippet(text, en, query_stems(en, "password"));
  CHECK(snippet ==
        "Use &lt;script&gt;alert(1)&lt;/script&gt; to reset the <mark>password</mark> &amp; more");
  CHECK(snippet.find("<script>") == std::string::npos);
  CHECK(snippet.find("&lt;script&gt;") != std::string::npos);
}

TEST_CASE("make_snippet escapes the matched text inside <mark> too") {
  kb::Analyzer en("en");
  const std::string snippet =
      make_snippet("Use <script>alert(1)</script> here", en, query_stems(en, "script"));
  CHECK(snippet == "Use &lt;<mark>script</mark>&gt;alert(1)&lt;/<mark>script</mark>&gt; here");
  CHECK(snippet.find("<script>") == std::string::npos);
  kb::Analyzer fr("fr");
  CHECK(make_snippet("Ouvrez l'application \"Mon compte\".", fr, query_stems(fr, "application")) ==
        "Ouvrez l&#39;<mark>application</mark> &quot;Mon compte&quot;.");
}

TEST_CASE("make_snippet marks words whose stem matches the query") {
  kb::Analyzer en("en");
  const auto stems = query_stems(en, "reset password");
  REQUIRE(stems == std::set<std::string>{"password", "reset"});
  CHECK(make_snippet("Resetting passwords is easy.", en, stems) ==
        "<mark>Resetting</mark> <mark>passwords</mark> is easy.");
  CHECK(make_snippet("Your password was reset.", en, stems) ==
        "Your <mark>password</mark> was <mark>reset</mark>.");
  // A word that merely contains a query term is not marked.
  CHECK(make_snippet("Passwordless sign-in and a password.", en, stems) ==
        "Passwordless sign-in and a <mark>password</mark>.");
}

TEST_CASE("make_snippet returns an empty string when nothing matches") {
  kb::Analyzer en("en");
  CHECK(make_snippet("No relevant words here.", en, query_stems(en, "billing")) == "");
  CHECK(make_snippet("Your password", en, {}) == "");
  CHECK(make_snippet("", en, query_stems(en, "password")) == "");
}

TEST_CASE("make_snippet picks the window with the most distinct query terms") {
  kb::Analyzer en("en");
  const auto stems = query_stems(en, "reset password");
  const std::string text = kFiller + kFiller +
                           "Forgot it? To reset your password, open Settings and choose Reset password. " +
                           kFiller + kFiller + "Your password is private.";
  REQUIRE(text.size() > 400);

  SUBCASE("80-byte window") {
    const std::string snippet = make_snippet(text, en, stems, 80);
    CHECK(snippet == kEllipsis + "To <mark>reset</mark> your <mark>password</mark>, open Settings and choose "
                                 "<mark>Reset</mark> <mark>password</mark>. Our support" + kEllipsis);
  }
  SUBCASE("default window") {
    const std::string snippet = make_snippet(text, en, stems);
    CHECK(starts_with(snippet, kEllipsis + "To <mark>reset</mark> your <mark>password</mark>"));
    CHECK(ends_with(snippet, kEllipsis));
    CHECK(count(snippet, "<mark>") == 4);
    CHECK(snippet.find("private") == std::string::npos);
  }
  SUBCASE("an earlier match with fewer terms loses") {
    const std::string later = "password. " + kFiller + kFiller + kFiller +
                              "To reset it, open Settings and choose Reset password now. " + kFiller;
    const std::string snippet = make_snippet(later, en, stems);
    CHECK(starts_with(snippet, kEllipsis + "To <mark>reset</mark> it"));
    CHECK(count(snippet, "<mark>") == 3);
  }
}

TEST_CASE("make_snippet does not cut when the whole text fits") {
  kb::Analyzer en("en");
  const std::string text = "To reset your password, open Settings.";
  const std::string snippet = make_snippet(text, en, query_stems(en, "password"));
  CHECK(snippet == "To reset your <mark>password</mark>, open Settings.");
  CHECK(snippet.find(kEllipsis) == std::string::npos);
}

TEST_CASE("make_snippet merges overlapping CJK bigram matches into one <mark>") {
  kb::Analyzer ja("ja");
  const std::string snippet = make_snippet(kJaForgot, ja, query_stems(ja, kJaPassword));
  CHECK(snippet == "<mark>" + kJaPassword + "</mark>" + kJaForgot.substr(15));
  CHECK(count(snippet, "<mark>") == 1);
}

TEST_CASE("make_snippet marks a one-character CJK query") {
  kb::Analyzer ja("ja");
  const std::string key = "\xE9\x8D\xB5";                                                 // "鍵"
  const std::string text = key + "\xE3\x82\x92\xE3\x81\xAA\xE3\x81\x8F\xE3\x81\x97\xE3\x81\x9F";  // "鍵をなくした"
  CHECK(make_snippet(text, ja, query_stems(ja, key)) == "<mark>" + key + "</mark>" + text.substr(3));
}

// Bug: matches are assumed to be in text order, but Index-mode tokens list a CJK run's
// unigrams before its bigrams, so a one-character query term hides the other matches.
TEST_CASE("make_snippet marks every term of a CJK query with a one-character term") {
  kb::Analyzer zh("zh");
  const std::string text = "\xE5\xBF\x98\xE8\xAE\xB0\xE5\xAF\x86\xE7\xA0\x81\xE6\x80\x8E\xE4\xB9\x88\xE5\x8A\x9E";  // "忘记密码怎么办"
  const std::string password = "\xE5\xAF\x86\xE7\xA0\x81";  // "密码"
  const std::string what_to_do = "\xE5\x8A\x9E";            // "办"
  const std::string snippet = make_snippet(text, zh, query_stems(zh, password + " " + what_to_do));
  CHECK(snippet == text.substr(0, 6) + "<mark>" + password + "</mark>" + text.substr(12, 6) + "<mark>" +
                       what_to_do + "</mark>");
}

// Bug: the sentence-start search looks for the byte 0xE3 (lead byte of "。"), which is also the
// lead byte of every hiragana and katakana, so Japanese snippets start at the match.
TEST_CASE("make_snippet keeps the Japanese text before a match when it fits") {
  kb::Analyzer ja("ja");
  const std::string account_of = "\xE3\x82\xA2\xE3\x82\xAB\xE3\x82\xA6\xE3\x83\xB3\xE3\x83\x88\xE3\x81\xAE";  // "アカウントの"
  const std::string maru = "\xE3\x80\x82";                                                                // "。"
  const std::string text = account_of + kJaForgot + maru;
  CHECK(make_snippet(text, ja, query_stems(ja, kJaPassword)) ==
        account_of + "<mark>" + kJaPassword + "</mark>" + kJaForgot.substr(15) + maru);
}

TEST_CASE("make_snippet returns valid UTF-8 whatever the window size") {
  struct Case {
    const char* lang;
    std::string text;
    std::string query;
  };
  std::string ja_long, ru_long;
  for (int i = 0; i < 12; ++i) ja_long += kJaForgot + "\xE3\x80\x82";
  // "Сброс пароля: откройте настройки. " (Russian, 2-byte letters)
  const std::string ru = "\xD0\xA1\xD0\xB1\xD1\x80\xD0\xBE\xD1\x81 \xD0\xBF\xD0\xB0\xD1\x80\xD0\xBE\xD0\xBB\xD1\x8F: "
                         "\xD0\xBE\xD1\x82\xD0\xBA\xD1\x80\xD0\xBE\xD0\xB9\xD1\x82\xD0\xB5 "
                         "\xD0\xBD\xD0\xB0\xD1\x81\xD1\x82\xD1\x80\xD0\xBE\xD0\xB9\xD0\xBA\xD0\xB8. ";
  for (int i = 0; i < 12; ++i) ru_long += ru;
  const Case cases[] = {
      {"ja", ja_long, kJaPassword},
      {"ja", ja_long, "\xE5\xBF\x98"},  // "忘", a one-character query
      {"ru", ru_long, "\xD0\xBF\xD0\xB0\xD1\x80\xD0\xBE\xD0\xBB\xD1\x8C"},  // "пароль"
  };
  for (const auto& c : cases) {
    kb::Analyzer analyzer(c.lang);
    const auto stems = query_stems(analyzer, c.query);
    REQUIRE_FALSE(stems.empty());
    const std::string lang = c.lang;
    // From 4 bytes up: a window must hold at least one character to hold a match.
    for (std::size_t max = 4; max <= 240; ++max) {
      CAPTURE(lang);
      CAPTURE(max);
      const std::string snippet = make_snippet(c.text, analyzer, stems, max);
      CHECK_FALSE(snippet.empty());
      CHECK_FALSE(kb::find_invalid_utf8(snippet).has_value());
      CHECK(count(snippet, "<mark>") == count(snippet, "</mark>"));
      CHECK(count(snippet, "<mark>") >= 1);
    }
  }
}

TEST_CASE("leading_text cuts at a word boundary and escapes") {
  struct Case {
    const char* name;
    std::string text;
    std::size_t max_bytes;
    std::string expected;
  };
  const std::string fox = "The quick brown fox jumps over the lazy dog";
  const Case cases[] = {
      {"fits: escaped, not cut", "short <b>text</b> & \"quotes\"", 220,
       "short &lt;b&gt;text&lt;/b&gt; &amp; &quot;quotes&quot;"},
      {"exactly the limit", "abcdef", 6, "abcdef"},
      {"newlines become spaces", "line one\nline two", 220, "line one line two"},
      {"cut at the space before the limit", fox, 20, "The quick brown fox" + kEllipsis},
      {"cut inside a word goes back to the space", fox, 18, "The quick brown" + kEllipsis},
      {"escaped after cutting", "Fish & chips are <great> today", 16, "Fish &amp; chips" + kEllipsis},
      {"no entity is cut in half", "abc <def> ghi", 6, "abc &lt;d" + kEllipsis},
      {"a space in the first half is ignored", "a bcdefghijklmnop", 10, "a bcdefghi" + kEllipsis},
      {"no space: cut at a code point", "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9", 5, "\xC3\xA9\xC3\xA9" + kEllipsis},
      {"Japanese", kJaForgot, 10, kJaForgot.substr(0, 9) + kEllipsis},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    const std::string got = leading_text(c.text, c.max_bytes);
    CHECK(got == c.expected);
    CHECK_FALSE(kb::find_invalid_utf8(got).has_value());
  }
}

TEST_CASE("leading_text returns valid UTF-8 for every limit") {
  const std::string text = kJaForgot + " Caf\xC3\xA9 \xF0\x9F\x98\x80 <ok>";
  for (std::size_t max = 0; max <= text.size(); ++max) {
    CAPTURE(max);
    const std::string got = leading_text(text, max);
    CHECK_FALSE(kb::find_invalid_utf8(got).has_value());
    CHECK(got.find('<') == std::string::npos);
  }
}

TEST_CASE("make_snippet finds the best window in any paragraph of a long text") {
  // make_snippet analyses a long text a few lines at a time and stops at the first window
  // holding every query term: the choice must be the one a full analysis makes.
  kb::Analyzer en("en");
  const auto stems = query_stems(en, "restart router");
  std::string filler_paragraph;
  for (int i = 0; i < 8; ++i) filler_paragraph += kFiller;  // ~800 bytes, no query term
  filler_paragraph += "\n\n";

  SUBCASE("the only window with both terms is paragraphs away from a lone match") {
    const std::string text = "Your router is in the hall.\n\n" + filler_paragraph + filler_paragraph +
                             "Please restart the router and wait.\n\n" + filler_paragraph;
    const std::string snippet = make_snippet(text, en, stems);
    CHECK(snippet.find("<mark>restart</mark> the <mark>router</mark>") != std::string::npos);
    CHECK(snippet.find("hall") == std::string::npos);
  }
  SUBCASE("of two windows with both terms, the first wins") {
    const std::string text = filler_paragraph + "First restart the router.\n\n" + filler_paragraph +
                             filler_paragraph + "Then restart the router again.\n\n";
    const std::string snippet = make_snippet(text, en, stems);
    CHECK(snippet.find("First <mark>restart</mark> the <mark>router</mark>") != std::string::npos);
    CHECK(snippet.find("again") == std::string::npos);
  }
  SUBCASE("a window spanning a paragraph break") {
    const std::string text = filler_paragraph + "Restart it.\nThe router is in the hall.\n" + filler_paragraph;
    const std::string snippet = make_snippet(text, en, stems);
    CHECK(count(snippet, "<mark>") == 2);
  }
  SUBCASE("a window whose words end past the first lines analysed") {
    std::string text = filler_paragraph;
    text.pop_back();  // one newline: "restart" starts the next line
    text += "restart and then a long line of words about the router, ";
    for (int i = 0; i < 20; ++i) text += "more words on this line without a break, ";
    const std::string snippet = make_snippet(text, en, stems, 60);
    CHECK(starts_with(snippet, kEllipsis + "<mark>restart</mark> and then a long line of words about the"));
    CHECK(ends_with(snippet, kEllipsis));
  }
}
