// Unit tests of make_body_snippet and find_body_matches (server/search/snippet.h) over a real
// Xapian database built with the indexer's build_document: the snippet cut from the index's
// positions is the one make_snippet cuts by analysing and stemming the whole body.
#include <doctest/doctest.h>

#include <xapian.h>

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "analyzer.h"
#include "builtin_importers.h"
#include "content_loader.h"
#include "document_builder.h"
#include "document_data.h"
#include "schema.h"
#include "snippet.h"
#include "utf8.h"
#include "temp_dir.h"

namespace {

using kb::search::BodyDocument;
using kb::search::BodyMatches;
using kb::search::find_body_matches;
using kb::search::make_body_snippet;
using kb::search::make_snippet;

// Articles written for the cases that the bundled content may not have: joined hyphenated
// words, a word only in the title, CJK unigrams, repeated words late in a long body.
const char* const kExtra[][2] = {
    {"en/wifi.md",
     "---\nid: wifi-setup\nlang: en\ntitle: Wifi setup\nsummary: Connect your devices.\ncategory: internet\n---\n"
     "Restart your wi-fi router first. If the e-mail app still fails, check the Wi-Fi password.\n\n"
     "Routers restart in two minutes. The wifi light turns green.\n"},
    {"en/long.md",
     "---\nid: long-body\nlang: en\ntitle: Roaming charges\nsummary: What roaming costs.\ncategory: billing\n---\n"
     "Our support team answers questions about invoices, delivery times and device setup every day. "
     "Our support team answers questions about invoices, delivery times and device setup every day.\n"
     "Our support team answers questions about invoices, delivery times and device setup every day. "
     "Roaming in Europe costs nothing extra; roaming elsewhere is charged per megabyte.\n"
     "Our support team answers questions about invoices, delivery times and device setup every day.\n"
     "Daily roaming passes cap the charges. Charges appear on the next bill.\n"},
    {"ja/password.md",
     "---\nid: ja-password\nlang: ja\ntitle: パスワードの再設定\nsummary: 再設定の手順です。\ncategory: account\n---\n"
     "パスワードを忘れた場合は、ログイン画面で「パスワードを忘れた」を選びます。\n"
     "メールに届いたリンクを開き、新しいパスワードを入力してください。猫の写真は関係ありません。\n"},
};

struct Indexed {
  kb::test::TempDir content;  // the articles of kExtra
  kb::test::TempDir db_dir;
  std::vector<kb::Article> articles;
  std::vector<Xapian::docid> docids;
  Xapian::Database db;
  std::map<std::string, std::unique_ptr<kb::Analyzer>> analyzers;

  Indexed() {
    for (const auto& [path, text] : kExtra) content.write(path, text);
    const kb::plugins::ImporterRegistry registry;
    Xapian::WritableDatabase out(db_dir.path().string(), Xapian::DB_CREATE_OR_OVERWRITE);
    // The bundled help center, the test fixtures (Thai among them) and the articles above.
    for (const std::string& root : {std::string(KB_CONTENT), std::string(KB_FIXTURES) + "/content", content.path().string()}) {
      auto set = kb::load_content(root, registry.importers());
      REQUIRE(set.ok());
      for (auto& a : set.articles) {
        if (a.status == kb::Status::Draft) continue;
        docids.push_back(out.add_document(kb::build_document(a, analyzer(a.lang), nullptr)));
        articles.push_back(std::move(a));
      }
    }
    out.commit();
    out.close();
    db = Xapian::Database(db_dir.path().string());
  }
  kb::Analyzer& analyzer(const std::string& lang) {
    auto& an = analyzers[lang];
    if (!an) an = std::make_unique<kb::Analyzer>(lang);
    return *an;
  }
};

Indexed& indexed() {
  static Indexed instance;
  return instance;
}

// One article (`markdown`: front matter and body, at `path` in a content folder) indexed
// alone with `analyzer`, its stored data decoded.
struct OneArticle {
  kb::test::TempDir content, dir;
  Xapian::WritableDatabase db;
  Xapian::docid did = 0;
  std::string stored;  // the decoded views point into it
  kb::DocumentData data;
  Xapian::termpos first = 0;  // the body's first position

  OneArticle(const std::string& path, const std::string& markdown, kb::Analyzer& analyzer) {
    content.write(path, markdown);
    const kb::plugins::ImporterRegistry registry;
    auto set = kb::load_content(content.path().string(), registry.importers());
    REQUIRE(set.ok());
    REQUIRE(set.articles.size() == 1);
    db = Xapian::WritableDatabase(dir.path().string(), Xapian::DB_CREATE_OR_OVERWRITE);
    did = db.add_document(kb::build_document(set.articles[0], analyzer, nullptr));
    db.commit();
    stored = kb::schema::stored_data(db.get_document(did));
    data = kb::decode_document_data(stored);
    first = data.fields["body_position"].get<Xapian::termpos>();
  }
  // Where the body has `stems`, with its own spans.
  BodyMatches matches(const std::set<std::string>& stems) const {
    auto found = find_body_matches(db, {BodyDocument{did, first, data.body_spans}}, stems);
    REQUIRE(found.size() == 1);
    return found[0];
  }
};

// Stems that make_snippet matches by spelling rather than by stem: a body word spelt like
// the stem but stemmed otherwise ("des" for the stem "des" of "dès", indexed as "de").
// make_body_snippet marks only what the index matched, so such stems are left out.
bool spelt_otherwise(kb::Analyzer& an, const std::vector<kb::Token>& tokens, const std::string& stem) {
  for (const auto& t : tokens) {
    if (t.text == stem && an.stem(t) != stem) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("a body snippet from the index's positions is make_snippet's snippet") {
  Indexed& ix = indexed();
  REQUIRE(ix.articles.size() > 40);
  std::size_t compared = 0, marked = 0, joined = 0, cjk = 0, skipped_early = 0;
  std::size_t spans_used = 0, spans_cjk = 0, spans_loose = 0, eligible = 0, spans_prefixed = 0;
  for (std::size_t d = 0; d < ix.articles.size(); ++d) {
    const std::string stored = kb::schema::stored_data(ix.db.get_document(ix.docids[d]));
    const kb::DocumentData data = kb::decode_document_data(stored);
    REQUIRE(data.fields.contains("body_position"));
    const auto first = data.fields["body_position"].get<Xapian::termpos>();
    const std::string_view body = data.body_text;
    kb::Analyzer& an = ix.analyzer(ix.articles[d].lang);
    const auto tokens = an.tokenize(body, kb::AnalysisMode::Index);
    const auto title = an.tokenize(ix.articles[d].title, kb::AnalysisMode::Index);
    const auto other = an.tokenize(ix.articles[(d + 1) % ix.articles.size()].title, kb::AnalysisMode::Index);
    // Query stem sets: body words near and far apart, title words (in the body or not),
    // another article's words (mostly absent), unigrams and joined words.
    std::vector<std::set<std::string>> queries;
    for (std::size_t i = 0; i < tokens.size(); i += 9) {
      std::set<std::string> q = {an.stem(tokens[i])};
      if (i + 3 < tokens.size()) q.insert(an.stem(tokens[i + 3]));
      if (i + 40 < tokens.size()) q.insert(an.stem(tokens[i + 40]));
      queries.push_back(q);
      if (!title.empty()) q.insert(an.stem(title[i % title.size()]));
      if (!other.empty()) q.insert(an.stem(other[i % other.size()]));
      queries.push_back(q);
    }
    for (const auto& t : title) queries.push_back({an.stem(t)});
    for (const auto& t : other) queries.push_back({an.stem(t)});
    for (std::size_t i = 0; i < tokens.size(); ++i) {
      const auto kind = tokens[i].kind;
      if (kind == kb::TokenKind::Compound || (kind == kb::TokenKind::Unigram && i % 7 == 0)) {
        queries.push_back({an.stem(tokens[i])});
      }
    }
    for (std::size_t k = 0; k < queries.size(); ++k) {
      std::set<std::string> q;
      for (const auto& s : queries[k]) {
        if (!spelt_otherwise(an, tokens, s)) q.insert(s);
      }
      if (q.empty()) continue;
      const auto with_spans = find_body_matches(ix.db, {BodyDocument{ix.docids[d], first, data.body_spans}}, q);
      REQUIRE(with_spans.size() == 1);
      REQUIRE(with_spans[0].spans == data.body_spans);  // carried to the snippet
      std::vector<BodyMatches> found = with_spans;
      found[0].spans = {};  // the analysing path
      // Prefixes (unfinished words) on every third set: the first three letters of a word.
      std::vector<std::string> prefixes;
      if (k % 3 == 2 && !tokens.empty()) {
        const auto& word = tokens[(k * 7) % tokens.size()];
        if (word.kind == kb::TokenKind::Word && word.text.size() >= 3) prefixes.push_back(word.text.substr(0, 3));
      }
      CAPTURE(ix.articles[d].id);
      CAPTURE(ix.articles[d].lang);
      CAPTURE(k);
      bool consistent = false;
      const std::string expected = make_snippet(body, an, q, 220, prefixes);
      const std::string got = make_body_snippet(body, an, found[0], 220, prefixes, &consistent);
      CHECK(consistent);
      CHECK(got == expected);
      // The same from the body's stored spans, without analysing the body.
      bool from_spans = false;
      const std::string got_from_spans = make_body_snippet(body, an, with_spans[0], 220, prefixes, &consistent, &from_spans);
      CHECK(consistent);
      CHECK(got_from_spans == expected);
      if (from_spans) ++spans_used;
      if (from_spans && !prefixes.empty()) ++spans_prefixed;
      // Spans serve every snippet but those with a one-character stem outside ASCII (a CJK
      // unigram's text decides whether it matches) and those that could need more than 32
      // tokens read alone (joined words, and with prefixes words outside ASCII).
      const bool one_character = std::any_of(q.begin(), q.end(), [](const std::string& stem) {
        return kb::code_points(stem) == 1 && static_cast<unsigned char>(stem[0]) >= 0x80;
      });
      std::size_t to_read = 0;
      for (const auto& t : tokens) {
        const bool ascii = kb::is_ascii(body.substr(t.begin, t.end - t.begin));
        if (t.kind == kb::TokenKind::Compound || (t.kind == kb::TokenKind::Word && !prefixes.empty() && !ascii)) ++to_read;
      }
      if (!one_character && to_read <= 32 && !expected.empty()) {
        ++eligible;
        CHECK(from_spans);
      }
      if (from_spans && an.language() == "ja" && !got_from_spans.empty()) ++spans_cjk;
      if (from_spans && !found[0].loose.empty() && got_from_spans.find("<mark>") != std::string::npos) ++spans_loose;
      ++compared;
      if (got.find("<mark>") != std::string::npos) ++marked;
      if (got.find("-") != std::string::npos && !found[0].loose.empty() && got.find("<mark>") != std::string::npos) ++joined;
      if (!got.empty() && an.language() == "ja") ++cjk;
      if (got.empty() && expected.empty()) ++skipped_early;
    }
  }
  MESSAGE("compared " << compared << ", marked " << marked << ", joined " << joined << ", ja " << cjk
                      << ", no match " << skipped_early << "; from spans " << spans_used << " (prefixed "
                      << spans_prefixed << ", ja "
                      << spans_cjk << ", with stems outside the body " << spans_loose << ")");
  // The comparison covered every kind of case, not a handful.
  CHECK(compared > 2000);
  CHECK(marked > compared / 2);
  CHECK(joined > 0);
  CHECK(cjk > 20);
  CHECK(skipped_early > 10);
  // Every body was stored with its spans, and they served every case they can (the
  // Japanese ones often have a unigram), prefixes among them.
  CHECK(eligible > compared / 3);
  CHECK(spans_prefixed > 1000);
  CHECK(spans_cjk > 20);
  CHECK(spans_loose > 0);
}

TEST_CASE("find_body_matches tells the body's stems from the title's and the joined words") {
  Indexed& ix = indexed();
  Xapian::docid wifi = 0, roaming = 0, cjk = 0;
  Xapian::termpos wifi_first = 0, roaming_first = 0, cjk_first = 0;
  for (std::size_t d = 0; d < ix.articles.size(); ++d) {
    const std::string stored = kb::schema::stored_data(ix.db.get_document(ix.docids[d]));
    const auto first = kb::decode_document_data(stored).fields["body_position"].get<Xapian::termpos>();
    if (ix.articles[d].id == "wifi-setup") std::tie(wifi, wifi_first) = std::pair(ix.docids[d], first);
    if (ix.articles[d].id == "long-body") std::tie(roaming, roaming_first) = std::pair(ix.docids[d], first);
    if (ix.articles[d].id == "ja-password") std::tie(cjk, cjk_first) = std::pair(ix.docids[d], first);
  }
  REQUIRE(wifi != 0);
  REQUIRE(roaming != 0);
  REQUIRE(cjk != 0);
  // Given in docid order or not, each document gets its own answer.
  const auto found = find_body_matches(ix.db, {{roaming, roaming_first}, {wifi, wifi_first}, {cjk, cjk_first}},
                                       {"setup", "roam", "wifi", "charg", "猫", "zzzz"});
  REQUIRE(found.size() == 3);
  // "Roaming charges": both words in the title and the body; "setup" is in the body only.
  CHECK(found[0].present == std::set<std::string>{"charg", "roam", "setup"});
  CHECK(found[0].loose.empty());
  CHECK(found[0].at.size() == 10);  // the body's 3 roaming, 3 charged/charges, 4 setup
  for (const auto& [position, stem] : found[0].at) CHECK(position >= roaming_first);
  // "Wifi setup": "wifi" is a word of the body too ("The wifi light"); "setup" only of the
  // title, so it is loose: the body could have it joined ("set-up"), which it does not.
  CHECK(found[1].present == std::set<std::string>{"wifi"});
  CHECK(found[1].loose == std::set<std::string>{"setup"});
  // A unigram has no position: loose wherever it is.
  CHECK(found[2].present.empty());
  CHECK(found[2].loose == std::set<std::string>{"猫"});
  CHECK(make_body_snippet("", ix.analyzer("en"), found[0]).empty());
}

TEST_CASE("make_body_snippet marks joined words and reports an index that disagrees") {
  Indexed& ix = indexed();
  kb::Analyzer& en = ix.analyzer("en");
  for (std::size_t d = 0; d < ix.articles.size(); ++d) {
    if (ix.articles[d].id != "wifi-setup") continue;
    const std::string stored = kb::schema::stored_data(ix.db.get_document(ix.docids[d]));
    const kb::DocumentData data = kb::decode_document_data(stored);
    const auto first = data.fields["body_position"].get<Xapian::termpos>();
    const auto found = find_body_matches(ix.db, {{ix.docids[d], first}}, {"wifi", "email"});
    REQUIRE(found.size() == 1);
    // "email" is only in the body, and only as "e-mail": loose, and marked.
    CHECK(found[0].loose == std::set<std::string>{"email"});
    bool consistent = false;
    const std::string snippet = make_body_snippet(data.body_text, en, found[0], 220, {}, &consistent);
    CHECK(consistent);
    CHECK(snippet.find("<mark>wi-fi</mark>") != std::string::npos);
    CHECK(snippet.find("<mark>e-mail</mark>") != std::string::npos);
    CHECK(snippet.find("<mark>Wi-Fi</mark>") != std::string::npos);
    // Positions one off (an index built by another analysis): the words at them are not
    // the stems they claim, which the snippet reports.
    BodyMatches shifted = found[0];
    shifted.first_position += 1;
    make_body_snippet(data.body_text, en, shifted, 220, {}, &consistent);
    CHECK_FALSE(consistent);
    return;
  }
  FAIL("wifi-setup was not indexed");
}

TEST_CASE("spans that are not the body's, or tokens that read otherwise alone, give the analysed snippet") {
  Indexed& ix = indexed();
  std::string wifi_spans;
  for (std::size_t d = 0; d < ix.articles.size(); ++d) {
    if (ix.articles[d].id != "wifi-setup") continue;
    const std::string stored = kb::schema::stored_data(ix.db.get_document(ix.docids[d]));
    wifi_spans = std::string(kb::decode_document_data(stored).body_spans);
  }
  REQUIRE_FALSE(wifi_spans.empty());
  // "l'l'été": one elision is cut in the text, so the word's span is "l'été", which alone
  // reads as "été". A prefix its first letter could begin makes it be read alone.
  kb::Analyzer& fr = ix.analyzer("fr");
  const OneArticle one("fr/elision.md",
                       "---\nid: elision\nlang: fr\ntitle: Routeur\nsummary: Le routeur.\ncategory: internet\n---\n"
                       "Voir l\u2019l\u2019été puis le routeur.\n",
                       fr);
  const kb::DocumentData& data = one.data;
  REQUIRE_FALSE(data.body_spans.empty());
  const std::set<std::string> stems = {fr.stem(fr.tokenize("routeur", kb::AnalysisMode::Query).at(0))};
  const std::vector<BodyMatches> found = {one.matches(stems)};
  // "l" could be completed by the word, which begins with an ASCII "l": it is read alone,
  // reads otherwise, and the body is analysed.
  const std::vector<std::string> prefixes = {"vo", "l"};
  bool consistent = false, from_spans = true;
  const std::string got = make_body_snippet(data.body_text, fr, found[0], 220, prefixes, &consistent, &from_spans);
  CHECK(consistent);
  CHECK_FALSE(from_spans);
  CHECK(got == make_snippet(data.body_text, fr, stems, 220, prefixes));
  CHECK(got.find("<mark>routeur</mark>") != std::string::npos);
  // "vo" alone cannot be completed by a word beginning with "l": it is not read, and the
  // spans serve the same snippet.
  from_spans = false;
  CHECK(make_body_snippet(data.body_text, fr, found[0], 220, {"vo"}, &consistent, &from_spans) ==
        make_snippet(data.body_text, fr, stems, 220, {"vo"}));
  CHECK(from_spans);
  // Another body's spans: not used, the same snippet.
  BodyMatches foreign = found[0];
  foreign.spans = wifi_spans;
  from_spans = true;
  CHECK(make_body_snippet(data.body_text, fr, foreign, 220, {}, &consistent, &from_spans) ==
        make_snippet(data.body_text, fr, stems, 220));
  CHECK_FALSE(from_spans);
  // Without the prefix, the body's own spans serve it.
  from_spans = false;
  CHECK(make_body_snippet(data.body_text, fr, found[0], 220, {}, &consistent, &from_spans) ==
        make_snippet(data.body_text, fr, stems, 220));
  CHECK(from_spans);
}

TEST_CASE("a snippet reads the body's spans only as far as it goes") {
  // The router is in the body's first sentence; a long body follows, in paragraphs (a
  // snippet analyses or reads a body a few lines at a time). The snippet is cut
  // from the spans without reading their end, so damage there changes nothing; spans cut
  // short before the match send it to the analysis. Every time, make_snippet's snippet.
  std::string body = "Restart the router first.\n\n";
  for (int i = 0; i < 60; ++i) body += "Other words about nothing in particular, paragraph " + std::to_string(i) + ".\n\n";
  kb::Analyzer en("en");
  const OneArticle one("en/long.md",
                       "---\nid: long\nlang: en\ntitle: Restart\nsummary: How to restart.\ncategory: internet\n---\n" + body,
                       en);
  const kb::DocumentData& data = one.data;
  REQUIRE(data.body_spans.size() > 100);
  const std::set<std::string> stems = {en.stem(en.tokenize("router", kb::AnalysisMode::Query).at(0))};
  const std::vector<BodyMatches> found = {one.matches(stems)};
  const std::string expected = make_snippet(data.body_text, en, stems, 220);
  REQUIRE(expected.find("<mark>router</mark>") != std::string::npos);

  bool consistent = false, from_spans = false;
  CHECK(make_body_snippet(data.body_text, en, found[0], 220, {}, &consistent, &from_spans) == expected);
  CHECK(from_spans);

  std::string late = std::string(data.body_spans);
  late.back() = '"';  // damaged at the very end
  BodyMatches damaged_late = found[0];
  damaged_late.spans = late;
  from_spans = false;
  CHECK(make_body_snippet(data.body_text, en, damaged_late, 220, {}, &consistent, &from_spans) == expected);
  CHECK(from_spans);

  const std::string early = std::string(data.body_spans).substr(0, 12);  // the header and a word or so
  BodyMatches cut = found[0];
  cut.spans = early;
  from_spans = true;
  CHECK(make_body_snippet(data.body_text, en, cut, 220, {}, &consistent, &from_spans) == expected);
  CHECK_FALSE(from_spans);
}

TEST_CASE("an as-you-type snippet shows the first place with every word, however a prefix is completed") {
  // "password res": the first sentence has "password" and "reset"; the last has "password"
  // and three words completing "res". Each prefix counts once, as one word of the query, so
  // the first sentence already holds the whole query: the snippet starts there, from the
  // spans, without reading the rest of the body. (When each completion counted as a word of
  // its own, the last sentence won and the snippet started with "…".)
  std::string body = "Password reset: open the settings page.\n\n";
  for (int i = 0; i < 8; ++i) {
    body += "Other words about nothing in particular, paragraph " + std::to_string(i) + ".\n\n";
  }
  body += "Restore, reset or resend the password.\n";
  kb::Analyzer en("en");
  const OneArticle one("en/prefix.md",
                       "---\nid: prefix\nlang: en\ntitle: Sign in\nsummary: Signing in.\ncategory: account\n---\n" + body,
                       en);
  const kb::DocumentData& data = one.data;
  const std::set<std::string> stems = {en.stem(en.tokenize("password", kb::AnalysisMode::Query).at(0)), "res"};
  const std::vector<BodyMatches> found = {one.matches(stems)};
  const std::vector<std::string> prefixes = {"res"};
  bool consistent = false, from_spans = false;
  const std::string got = make_body_snippet(data.body_text, en, found[0], 220, prefixes, &consistent, &from_spans);
  CHECK(from_spans);
  CHECK(got.rfind("<mark>Password</mark> <mark>reset</mark>: open the settings page.", 0) == 0);
  CHECK(got.find("Restore") == std::string::npos);
  CHECK(got == make_snippet(data.body_text, en, stems, 220, prefixes));
  // It stops reading there: spans damaged at their end change nothing. The prefix listed
  // once per language (a search of every language) stops it as well.
  std::string late = std::string(data.body_spans);
  late.back() = '"';
  BodyMatches damaged_late = found[0];
  damaged_late.spans = late;
  from_spans = false;
  CHECK(make_body_snippet(data.body_text, en, damaged_late, 220, prefixes, &consistent, &from_spans) == got);
  CHECK(from_spans);
  from_spans = false;
  CHECK(make_body_snippet(data.body_text, en, damaged_late, 220, {"res", "res", "res"}, &consistent, &from_spans) == got);
  CHECK(from_spans);
}
