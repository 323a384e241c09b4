// The stored form of an article: fields as JSON, bodies as raw bytes; schema 1's JSON-only
// data still reads; damaged data is rejected without throwing.
#include <doctest/doctest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "document_data.h"

using nlohmann::json;

TEST_CASE("fields and both bodies round-trip, whatever the bodies hold") {
  const json fields = {{"id", "reset-password"}, {"lang", "de"}, {"title", "Passwort {zurücksetzen}\n"}};
  const std::string text = "Line one\n{\"not\": \"json\"}\nÜmlaut ünd 日本語";
  const std::string markdown = std::string("# Title\n\n- a\n- b\0c", 19);
  const std::string stored = kb::encode_document_data(fields, text, markdown);
  const kb::DocumentData d = kb::decode_document_data(stored);
  REQUIRE(d.fields.is_object());
  CHECK(d.fields == fields);  // the length it keeps for itself is not a field
  CHECK(d.body_text == text);
  CHECK(d.body_markdown == markdown);
}

TEST_CASE("body spans are a field, viewed when read") {
  const json fields = {{"id", "wifi"}, {"lang", "en"}, {"body_spans", "3MWK4]l0"}};
  const std::string text = "Restart the wi-fi router.";
  const std::string markdown = "Restart the **wi-fi** router.";
  const std::string stored = kb::encode_document_data(fields, text, markdown);
  const kb::DocumentData d = kb::decode_document_data(stored);
  REQUIRE(d.fields.is_object());
  CHECK(d.fields == fields);
  CHECK(d.body_text == text);
  CHECK(d.body_markdown == markdown);  // a reader that knows nothing of spans reads the same
  CHECK(d.body_spans == "3MWK4]l0");
  const kb::DocumentData moved = kb::DocumentData(d);  // the view points into the fields' string
  CHECK(moved.body_spans == "3MWK4]l0");
  // A decode of some fields views them when asked for, on the fast path and on the whole
  // parse alike (a header with a space is not the indexer's compact form).
  CHECK(kb::decode_document_data(stored, {"id", "body_spans"}).body_spans == "3MWK4]l0");
  CHECK(kb::decode_document_data(stored, {"id"}).body_spans.empty());
  std::string spaced = stored;
  spaced.insert(1, " ");
  CHECK(kb::decode_document_data(spaced, {"id", "body_spans"}).body_spans == "3MWK4]l0");
  CHECK(kb::decode_document_data(spaced, {"id"}).body_spans.empty());
  // Data without spans, and spans of the wrong type, read as none.
  CHECK(kb::decode_document_data(kb::encode_document_data(json{{"id", "x"}}, text, markdown)).body_spans.empty());
  CHECK(kb::decode_document_data(kb::encode_document_data(json{{"body_spans", 5}}, text, markdown)).body_spans.empty());
}

TEST_CASE("empty bodies") {
  const std::string stored = kb::encode_document_data(json{{"id", "x"}}, "", "");
  const kb::DocumentData d = kb::decode_document_data(stored);
  REQUIRE(d.fields.is_object());
  CHECK(d.fields.at("id") == "x");
  CHECK(d.body_text.empty());
  CHECK(d.body_markdown.empty());
}

TEST_CASE("schema 1's JSON-only data still reads") {
  const std::string stored =
      json{{"id", "a"}, {"title", "T"}, {"body_text", "plain"}, {"body_markdown", "*plain*"}}.dump();
  kb::DocumentData d = kb::decode_document_data(stored);
  REQUIRE(d.fields.is_object());
  CHECK(d.fields.at("title") == "T");
  const kb::DocumentData moved = std::move(d);  // the views survive a move
  CHECK(moved.body_text == "plain");
  CHECK(moved.body_markdown == "*plain*");
}

TEST_CASE("damaged data is discarded, never thrown or read past its end") {
  const std::string good = kb::encode_document_data(json{{"id", "x"}}, "0123456789", "md");
  const std::string cases[] = {
      "",
      "not json",
      "[1,2]",
      "{\"id\":\"x\"}\nbodies without a length",
      "{\"id\":\"x\",\"body_text_bytes\":-1}\nabc",
      "{\"id\":\"x\",\"body_text_bytes\":\"3\"}\nabc",
      good.substr(0, good.size() - 5),  // shorter than body_text claims
      good.substr(0, 8),                // cut inside the fields
  };
  for (const auto& c : cases) {
    CAPTURE(c);
    const kb::DocumentData d = kb::decode_document_data(c);
    CHECK(d.fields.is_discarded());
    CHECK(d.body_text.empty());
    CHECK(d.body_markdown.empty());
  }
}

namespace {

// decode_hit_data(d) reads what the whole decode reads of a hit's fields: the same fields
// (a string field of another type reads as empty), the body position when it is an unsigned
// integer, the body's text and spans.
void check_hit_data(const std::string& d) {
  const kb::DocumentData whole = kb::decode_document_data(d);
  const kb::HitData hit = kb::decode_hit_data(d);
  REQUIRE(hit.ok == whole.fields.is_object());
  if (!hit.ok) return;
  const std::pair<const char*, std::string_view> strings[] = {
      {"id", hit.id}, {"lang", hit.lang}, {"title", hit.title}, {"summary", hit.summary}};
  for (const auto& [key, view] : strings) {
    const auto it = whole.fields.find(key);
    const std::string expected = it != whole.fields.end() && it->is_string() ? it->get<std::string>() : "";
    CHECK(view == expected);
  }
  const auto position = whole.fields.find("body_position");
  const bool has_position = position != whole.fields.end() && position->is_number_unsigned();
  REQUIRE(hit.body_position.has_value() == has_position);
  if (has_position) CHECK(*hit.body_position == position->get<std::uint64_t>());
  CHECK(hit.body_text == whole.body_text);
  CHECK(hit.body_spans == whole.body_spans);
}

}  // namespace

TEST_CASE("a hit's fields are read in place, as the whole decode reads them") {
  const json fields = {
      {"id", "reset-password"}, {"lang", "fr"},
      {"title", "Réinitialiser \"le\" mot de passe \\ {avec} [crochets]"},  // escaped: copied
      {"summary", "Plain summary"}, {"questions", {"a", "b"}}, {"body_position", 42},
      {"body_spans", "3MWK4]l0"},
  };
  const std::string stored = kb::encode_document_data(fields, "body text", "*body*");
  const kb::HitData hit = kb::decode_hit_data(stored);
  REQUIRE(hit.ok);
  CHECK(hit.id == "reset-password");
  CHECK(hit.title == "Réinitialiser \"le\" mot de passe \\ {avec} [crochets]");
  CHECK(hit.summary == "Plain summary");
  CHECK(hit.body_position == std::optional<std::uint64_t>(42));
  CHECK(hit.body_text == "body text");
  // Unescaped strings are the stored bytes themselves; the escaped title is a copy.
  CHECK(hit.summary.data() >= stored.data());
  CHECK(hit.summary.data() < stored.data() + stored.size());
  CHECK(hit.owned.size() == 1);
  // Moved elsewhere, as a growing vector moves them, the views still hold.
  std::vector<kb::HitData> hits;
  hits.push_back(kb::decode_hit_data(stored));
  for (int i = 0; i < 20; ++i) hits.push_back(kb::decode_hit_data(stored));
  CHECK(hits.front().title == hit.title);
  // A string field of another type reads as empty; schema 1's JSON-only data still reads.
  const std::string wrong_types = "{\"id\":7,\"title\":[\"x\"],\"body_position\":-3,\"body_text_bytes\":1}\nab";
  check_hit_data(wrong_types);
  const kb::HitData odd = kb::decode_hit_data(wrong_types);
  REQUIRE(odd.ok);
  CHECK(odd.id.empty());
  CHECK_FALSE(odd.body_position.has_value());
  CHECK(odd.body_text == "a");
  const std::string schema1 =
      json{{"id", "old"}, {"title", "Old"}, {"body_text", "old text"}, {"body_position", 5}}.dump();
  check_hit_data(schema1);
  CHECK(kb::decode_hit_data(schema1).body_text == "old text");
  for (const std::string damaged : {"", "\n", "{\"id\":\"x\"}\nabc", "{\"id\":\"x\",\"body_text_bytes\":9}\nab"}) {
    CHECK_FALSE(kb::decode_hit_data(damaged).ok);
  }
}

TEST_CASE("decoding only some fields gives those fields exactly as a whole decode does") {
  const json fields = {
      {"id", "reset-password"},
      {"lang", "fr"},
      {"title", "Réinitialiser \"le\" mot de passe \\ {avec} [crochets], \u00e9t\u00e9\n\ttab"},
      {"summary", ""},
      {"questions", {"Où est \"mon\" code ?", "a}b]c{d[", "\\"}},
      {"tags", json::array()},
      {"related", {{{"nested", {1, 2, {{"deep", "]}"}}}}}}},
      {"internal_notes", {"say \\\"no\\\""}},
      {"audience", nullptr},
      {"flag", true},
      {"ratio", -1.5e3},
      {"body_position", 42},
  };
  const std::string stored = kb::encode_document_data(fields, "body text", "*body*");
  const kb::DocumentData whole = kb::decode_document_data(stored);
  const kb::DocumentData some = kb::decode_document_data(stored, {"id", "title", "summary", "body_position", "missing"});
  REQUIRE(some.fields.is_object());
  CHECK(some.fields.size() == 4);
  for (const char* key : {"id", "title", "summary", "body_position"}) {
    CHECK(some.fields.at(key) == whole.fields.at(key));
  }
  CHECK_FALSE(some.fields.contains("questions"));
  CHECK(some.body_text == "body text");
  CHECK(some.body_markdown == "*body*");
  // Every field alone, in any position of the object.
  for (const auto& [key, value] : fields.items()) {
    const kb::DocumentData one = kb::decode_document_data(stored, {key});
    REQUIRE(one.fields.is_object());
    CHECK(one.fields.size() == 1);
    CHECK(one.fields.at(key) == value);
  }
}

TEST_CASE("decoding only some fields rejects damaged data as a whole decode does") {
  const std::string good = kb::encode_document_data(json{{"id", "x"}, {"title", "T"}}, "abc", "def");
  const auto newline = good.find('\n');
  const std::vector<std::string> damaged = {
      "",
      "\n",
      "{\n",
      "{\"id\":\"x\"}\nabc",                                     // no body length
      good.substr(0, newline - 1) + "\n" + good.substr(newline + 1),  // header cut short
      "{\"id\":\"x\",\"body_text_bytes\":99}\nabc",                // length past the end
      "{\"id\":\"x\" \"title\":\"T\",\"body_text_bytes\":0}\n",     // missing comma
      "{\"id\":\"x,\"body_text_bytes\":0}\n",                      // unterminated string
      "{\"id\":[1,2,\"body_text_bytes\":0}\n",                      // unterminated array
      "[\"id\",\"x\"]\n",
      // Damaged only in a field not asked for.
      "{\"id\":\"x\",\"questions\":[1,,2],\"body_text_bytes\":0}\n",
      "{\"id\":\"x\",\"tags\":,\"body_text_bytes\":0}\n",
      "{\"id\":\"x\",\"related\":[1},\"body_text_bytes\":0}\n",
      "{\"id\":\"x\",\"source\":\"\xff\xfe\",\"body_text_bytes\":0}\n",
      "{\"id\":\"x\",\"n\":01,\"body_text_bytes\":0}\n",
  };
  for (const auto& d : damaged) {
    CAPTURE(d);
    const kb::DocumentData whole = kb::decode_document_data(d);
    const kb::DocumentData some = kb::decode_document_data(d, {"id", "title"});
    CHECK(some.fields.is_discarded() == whole.fields.is_discarded());
    CHECK(some.fields.is_discarded());
    CHECK(some.body_text.empty());
  }
  // Spaces nlohmann's dump never writes are not this reader's: the whole parse reads them.
  const kb::DocumentData spaced = kb::decode_document_data("{ \"id\" : \"x\", \"n\": 1, \"body_text_bytes\": 1 }\nab", {"id"});
  REQUIRE(spaced.fields.is_object());
  CHECK(spaced.fields == json{{"id", "x"}});
  CHECK(spaced.body_text == "a");
  CHECK(spaced.body_markdown == "b");
}

TEST_CASE("decoding some fields agrees with the whole decode on thousands of damaged headers") {
  // Random edits of a real header: whatever the whole decode makes of each (rejects it, or
  // reads some fields), decoding only some fields must make the same of those fields.
  const json fields = {
      {"id", "wifi-slow"},          {"lang", "de"},
      {"title", "WLAN \"langsam\"? Tipps \\ Tricks"},
      {"summary", "Ünïcödé 日本語 text\twith\ncontrols"},
      {"questions", {"a", "b [c]", "{d}"}}, {"tags", json::array()},
      {"related", {{{"k", {1, -2, true, false, nullptr}}}}},
      {"audience", "public"},       {"body_position", 117},
      {"body_spans", "3MWK4]l0"},
  };
  const std::string good = kb::encode_document_data(fields, "text", "*md*");
  const std::string alphabet = std::string("{}[]\",:\\/-0123456789.eE+ tfnulrsabu\x01\x7f\xc3\xa9\xff\xed\xa0\x80", 38);
  std::uint32_t seed = 2026;
  auto next = [&seed](std::uint32_t n) {
    seed = seed * 1664525u + 1013904223u;
    return (seed >> 8) % n;
  };
  int agreed_discarded = 0, agreed_read = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string d = good;
    const auto header_end = static_cast<std::uint32_t>(d.find('\n'));
    for (std::uint32_t edits = 1 + next(3); edits > 0; --edits) {
      const std::uint32_t at = next(header_end);
      switch (next(3)) {
        case 0: d[at] = alphabet[next(static_cast<std::uint32_t>(alphabet.size()))]; break;
        case 1: d.erase(at, 1); break;
        default: d.insert(d.begin() + at, alphabet[next(static_cast<std::uint32_t>(alphabet.size()))]); break;
      }
    }
    CAPTURE(d);
    const kb::DocumentData whole = kb::decode_document_data(d);
    const kb::DocumentData some = kb::decode_document_data(d, {"id", "title", "summary", "body_position", "body_spans"});
    check_hit_data(d);
    REQUIRE(some.fields.is_discarded() == whole.fields.is_discarded());
    if (whole.fields.is_discarded()) {
      ++agreed_discarded;
      continue;
    }
    ++agreed_read;
    for (const char* key : {"id", "title", "summary", "body_position", "body_spans"}) {
      REQUIRE(some.fields.contains(key) == whole.fields.contains(key));
      if (whole.fields.contains(key)) REQUIRE(some.fields.at(key) == whole.fields.at(key));
    }
    CHECK(some.body_text == whole.body_text);
    CHECK(some.body_markdown == whole.body_markdown);
    CHECK(some.body_spans == whole.body_spans);
  }
  // Both outcomes occur, so both sides of the comparison were exercised.
  CHECK(agreed_discarded > 1000);
  CHECK(agreed_read > 1000);
}
