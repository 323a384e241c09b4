// Unit tests of the stored body spans (indexer/body_spans.h): they give back exactly the
// tokens the analyzer finds in every body of the bundled help center and the test fixtures,
// in about two bytes per word, as a JSON string needing no escapes; spans of another text
// and damaged spans are rejected, never read past.
#include <doctest/doctest.h>

#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "analyzer.h"
#include "body_spans.h"
#include "builtin_importers.h"
#include "content_loader.h"
#include "markdown_text.h"
#include "utf8.h"

namespace {

void check_round_trip(kb::Analyzer& an, std::string_view text, std::size_t& words, std::size_t& bytes) {
  const auto tokens = an.tokenize(text, kb::AnalysisMode::Index);
  const std::string spans = kb::encode_body_spans(text, tokens);
  if (tokens.empty()) {
    CHECK(spans.empty());
    return;
  }
  REQUIRE_FALSE(spans.empty());
  // Printable ASCII without '"' or '\\': stored in the fields' JSON as it is.
  for (const char c : spans) {
    CHECK(c > 0x20);
    CHECK(c < 0x7F);
    CHECK(c != '"');
    CHECK(c != '\\');
  }
  // Every ASCII word's token text is its lowercase, which searches read it as.
  for (const auto& t : tokens) {
    const std::string_view span = text.substr(t.begin, t.end - t.begin);
    if (t.kind == kb::TokenKind::Word && kb::is_ascii(span)) {
      CHECK(kb::ascii_lowercase(span) == t.text);
    }
  }
  std::vector<kb::TokenSpan> decoded;
  std::size_t positions = 0;
  REQUIRE(kb::decode_body_spans(spans, text, decoded, positions));
  REQUIRE(decoded.size() == tokens.size());
  std::size_t expected_positions = 0;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    CAPTURE(i);
    CHECK(decoded[i].kind == tokens[i].kind);
    CHECK(decoded[i].begin == tokens[i].begin);
    CHECK(decoded[i].end == tokens[i].end);
    const auto kind = tokens[i].kind;
    if (kind == kb::TokenKind::Word || kind == kb::TokenKind::Bigram) ++expected_positions;
    if (kind == kb::TokenKind::Word || kind == kb::TokenKind::Unigram) ++words;
  }
  CHECK(positions == expected_positions);
  bytes += spans.size();
}

}  // namespace

TEST_CASE("spans give back every token of every body, in tokenize's order") {
  const kb::plugins::ImporterRegistry registry;
  std::map<std::string, std::unique_ptr<kb::Analyzer>> analyzers;
  std::size_t bodies = 0, words = 0, bytes = 0;
  for (const std::string& root : {std::string(KB_CONTENT), std::string(KB_FIXTURES) + "/content"}) {
    auto set = kb::load_content(root, registry.importers());
    REQUIRE(set.ok());
    for (const auto& a : set.articles) {
      auto& an = analyzers[a.lang];
      if (!an) an = std::make_unique<kb::Analyzer>(a.lang);
      CAPTURE(a.id);
      check_round_trip(*an, kb::markdown_to_plain_text(a.body_markdown), words, bytes);
      ++bodies;
    }
  }
  CHECK(bodies > 40);
  MESSAGE(bodies << " bodies, " << words << " words and CJK characters in " << bytes << " bytes of spans");
  CHECK(bytes < words * 5 / 2);  // about two bytes a word or character
}

TEST_CASE("spans of the cases the format must get right") {
  const char* const cases[][2] = {
      {"en", "Restart the wi-fi router, then check the e-mail app: step-by-step-guide.\nWi-\nFi"},
      {"fr", "L'application l'e-mail d'aujourd’hui jusqu'à l’écran"},
      {"en", "A token longer than any term: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-b then c-d"},
      {"ja", "iPhoneでeSIMを設定します。\nパスワード\n再設定、猫。ｶﾞｷﾞ㍿"},
      {"ja", "日本語\n語"},
      {"th", "การตั้งค่ารหัสผ่านใหม่ ภาษาไทย"},
      {"de", "Über-Ärger—große Straße; Wi‐Fi and ＷＩ－ＦＩ"},
      {"fr", "l＇aujourd'hui, l＇e-mail et l’été"},  // a full-width apostrophe ends the elision
      {"en", ""},
  };
  for (const auto& c : cases) {
    const std::string lang = c[0], text = c[1];
    CAPTURE(text);
    kb::Analyzer an(lang);
    std::size_t words = 0, bytes = 0;
    check_round_trip(an, text, words, bytes);
  }
}

TEST_CASE("damaged or foreign spans are rejected and never read past") {
  kb::Analyzer an("ja");
  const std::string text = "Reset the wi-fi password. パスワードを再設定します。";
  const std::string spans = kb::encode_body_spans(text, an.tokenize(text, kb::AnalysisMode::Index));
  REQUIRE_FALSE(spans.empty());
  std::vector<kb::TokenSpan> out;
  std::size_t positions = 0;
  REQUIRE(kb::decode_body_spans(spans, text, out, positions));
  // The spans of this text are not those of another: longer, shorter, or the same size.
  CHECK_FALSE(kb::decode_body_spans(spans, text.substr(0, 20), out, positions));
  CHECK_FALSE(kb::decode_body_spans(spans, "x" + text, out, positions));
  std::string same_size = text;
  same_size[0] = 'r';
  CHECK_FALSE(kb::decode_body_spans(spans, same_size, out, positions));
  // Characters outside the format's two ranges, and spans cut inside a number.
  for (const char bad : {'"', '\\', '\x01', '\x80', ' ', '~'}) {
    std::string damaged = spans;
    damaged[damaged.size() / 2] = bad;
    CHECK_FALSE(kb::decode_body_spans(damaged, text, out, positions));
  }
  CHECK_FALSE(kb::decode_body_spans("", text, out, positions));
  // Random damage: every accepted result stays inside the text, on code point boundaries.
  std::mt19937 rng(7);
  std::size_t accepted = 0;
  for (int round = 0; round < 5000; ++round) {
    std::string damaged = spans;
    const int edits = 1 + static_cast<int>(rng() % 3);
    // From the header on: the text's size and hash are checked first.
    for (int e = 0; e < edits; ++e) damaged[8 + rng() % (damaged.size() - 8)] = static_cast<char>(0x30 + rng() % 80);
    if (rng() % 4 == 0) damaged.resize(8 + rng() % (damaged.size() - 8));
    if (!kb::decode_body_spans(damaged, text, out, positions)) continue;
    ++accepted;
    for (const auto& t : out) {
      REQUIRE(t.begin < t.end);
      REQUIRE(t.end <= text.size());
      CHECK((static_cast<unsigned char>(text[t.begin]) & 0xC0) != 0x80);
      if (t.end < text.size()) CHECK((static_cast<unsigned char>(text[t.end]) & 0xC0) != 0x80);
    }
  }
  CHECK(accepted > 0);  // some damage still reads as (other) spans; they stay in bounds
}

TEST_CASE("tokens the format cannot give back get no spans") {
  kb::Token later{"b", "b", 4, 5, kb::TokenKind::Word};
  kb::Token earlier{"a", "a", 0, 1, kb::TokenKind::Word};
  const std::string text = "a   b";
  CHECK(kb::encode_body_spans(text, {later, earlier}).empty());  // out of order
  kb::Token joined{"ab", "ab", 0, 5, kb::TokenKind::Compound};
  CHECK(kb::encode_body_spans(text, {joined}).empty());  // joins words it does not follow
  kb::Token bigram{"日本", "", 0, 6, kb::TokenKind::Bigram};
  kb::Token unigram{"日", "", 0, 3, kb::TokenKind::Unigram};
  CHECK(kb::encode_body_spans("日本", {unigram, bigram}).empty());  // a bigram without its second character
  kb::Token upper{"A", "A", 0, 1, kb::TokenKind::Word};  // an ASCII word whose text is not its lowercase
  CHECK(kb::encode_body_spans("A", {upper}).empty());
  kb::Token lower{"a", "a", 0, 1, kb::TokenKind::Word};
  CHECK_FALSE(kb::encode_body_spans("A", {lower}).empty());
}

TEST_CASE("the reader gives the tokens one at a time and stops at damage, after what it read") {
  kb::Analyzer an("ja");
  const std::string text = "Reset the wi-fi password. パスワードを再設定します。Then sign in.";
  const auto tokens = an.tokenize(text, kb::AnalysisMode::Index);
  const std::string spans = kb::encode_body_spans(text, tokens);
  REQUIRE_FALSE(spans.empty());
  kb::BodySpanReader reader;
  REQUIRE(reader.open(spans, text));
  std::size_t positions = 0;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    CAPTURE(i);
    kb::TokenSpan t;
    REQUIRE(reader.next(t));
    CHECK(t.kind == tokens[i].kind);
    CHECK(t.begin == tokens[i].begin);
    CHECK(t.end == tokens[i].end);
    if (t.kind == kb::TokenKind::Word || t.kind == kb::TokenKind::Bigram) ++positions;
    CHECK(reader.positions() == positions);  // so far
  }
  kb::TokenSpan none;
  CHECK_FALSE(reader.next(none));
  CHECK_FALSE(reader.damaged());
  CHECK_FALSE(reader.next(none));  // and stays at the end

  // Damage in the last entry: every token before it still comes, then the damage is told.
  std::string damaged = spans;
  damaged.back() = '"';
  REQUIRE(reader.open(damaged, text));
  std::size_t read = 0;
  for (kb::TokenSpan t; reader.next(t);) {
    REQUIRE(read < tokens.size());
    CHECK(t.begin == tokens[read].begin);
    ++read;
  }
  CHECK(reader.damaged());
  CHECK(read > tokens.size() / 2);
  CHECK(read < tokens.size());
  // Another text: nothing.
  CHECK_FALSE(reader.open(spans, "x" + text));
  CHECK_FALSE(reader.next(none));
}
