// The stored form of an article: fields as JSON, bodies as raw bytes; schema 1's JSON-only
// data still reads; damaged data is rejected without throwing.
#include <doctest/doctest.h>

#include <string>

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
