// The /v1/search body written straight into a string (search_json.h) is byte for byte what
// the JSON value of the same response gives: the reference below is the handler's code of
// before, which built a nlohmann::json of every hit.
#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <string>

#include <nlohmann/json.hpp>

#include "http_support.h"
#include "search_json.h"

namespace {

using json = nlohmann::json;

std::string reference(const kb::search::SearchRequest& sr, const kb::search::SearchResponse& r, double took,
                      bool explain) {
  json results = json::array();
  for (const auto& h : r.hits) {
    results.push_back({{"id", h.id},
                       {"lang", h.lang},
                       {"title", h.title},
                       {"summary", h.summary},
                       {"snippet", h.snippet},
                       {"url", h.url},
                       {"score", std::round(h.score * 1000) / 1000},
                       {"percent", h.percent}});
    if (explain) results.back()["explain"] = {{"bm25", h.bm25}, {"feedback", h.feedback}, {"score", h.score}};
  }
  json body = {{"query", sr.query},
               {"lang", sr.lang.empty() ? json(nullptr) : json(sr.lang)},
               {"served_lang", r.served_lang.empty() ? json(nullptr) : json(r.served_lang)},
               {"fallback", r.fallback},
               {"channel", sr.channel},
               {"page", sr.page},
               {"per_page", sr.per_page},
               {"total", r.total},
               {"results", std::move(results)},
               {"did_you_mean", r.did_you_mean.empty() ? json(nullptr) : json(r.did_you_mean)},
               {"facets", r.facets},
               {"took_ms", std::round(took * 1000) / 1000},
               {"index_version", r.index_version}};
  return body.dump(-1, ' ', false, json::error_handler_t::replace);
}

// Text of every kind a response can hold: ASCII, quotes and backslashes, control
// characters, accents, CJK, emoji, HTML marks, and bytes that are not UTF-8 at all.
std::string random_text(std::mt19937& rng) {
  static const std::vector<std::string> parts = {
      "router", " ", "\"", "\\", "\n", "\t", "\r", "\b", "\f", std::string(1, '\x01'), std::string(1, '\x1f'),
      "\x7f", "é", "Zurücksetzen", "パスワード", "😀", "<mark>wifi</mark>", "&amp;", "/", "\xff", "\xc3",
      "\xe3\x81", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xc0\xaf", "\xf0\x9f\x98", std::string(1, '\0')};
  std::string s;
  const int n = static_cast<int>(rng() % 8);
  for (int i = 0; i < n; ++i) s += parts[rng() % parts.size()];
  return s;
}

double random_number(std::mt19937& rng) {
  switch (rng() % 5) {
    case 0: return 0.0;
    case 1: return static_cast<double>(rng() % 100000) / 7.0;
    case 2: return 1e-9 * static_cast<double>(rng() % 1000);
    case 3: return 123456789.123456789 * static_cast<double>(rng() % 10);
    default: return static_cast<double>(rng() % 1000) / 1000.0;
  }
}

}  // namespace

TEST_CASE("a search response is written as its JSON value would be, byte for byte") {
  std::mt19937 rng(20261204);
  for (int round = 0; round < 3000; ++round) {
    kb::search::SearchRequest sr;
    sr.query = random_text(rng);
    sr.lang = rng() % 3 == 0 ? "" : random_text(rng);
    sr.channel = rng() % 2 ? "web" : random_text(rng);
    sr.page = static_cast<int>(rng() % 50) + 1;
    sr.per_page = static_cast<int>(rng() % 50) + 1;
    kb::search::SearchResponse r;
    r.total = rng() % 2 ? rng() : 0;
    r.served_lang = rng() % 3 == 0 ? "" : random_text(rng);
    r.fallback = rng() % 2;
    r.index_version = "gen-" + std::to_string(rng() % 1000);
    r.did_you_mean = rng() % 2 ? "" : random_text(rng);
    if (rng() % 4 == 0) {
      r.facets["category"][random_text(rng)] = rng() % 100;
      r.facets["tag"]["wifi"] = 3;
    }
    const int hits = static_cast<int>(rng() % 12);
    for (int i = 0; i < hits; ++i) {
      kb::search::SearchHit h;
      h.id = random_text(rng);
      h.lang = random_text(rng);
      h.title = random_text(rng);
      h.summary = random_text(rng);
      h.snippet = random_text(rng);
      h.url = random_text(rng);
      h.score = random_number(rng);
      h.bm25 = random_number(rng);
      h.feedback = random_number(rng);
      h.percent = static_cast<int>(rng() % 101);
      r.hits.push_back(std::move(h));
    }
    const double took = random_number(rng);
    const bool explain = rng() % 3 == 0;
    const std::string fast = kb::server::search_response_json(sr, r, took, explain);
    CAPTURE(round);
    REQUIRE(fast == reference(sr, r, took, explain));
    // And it is JSON that parses back.
    CHECK_FALSE(json::parse(fast, nullptr, false).is_discarded());
  }
}

TEST_CASE("strings are escaped as nlohmann escapes them, invalid UTF-8 replaced") {
  for (const std::string& s : {std::string("plain"), std::string("a\"b\\c"), std::string("\x01\x1f\x7f"),
                              std::string("caf\xc3\xa9 \xe3\x83\x91"), std::string("bad \xff byte"),
                              std::string("cut \xe3\x81"), std::string("nul \0 inside", 12)}) {
    std::string out;
    kb::server::append_json_string(out, s);
    CHECK(out == json(s).dump(-1, ' ', false, json::error_handler_t::replace));
  }
}
