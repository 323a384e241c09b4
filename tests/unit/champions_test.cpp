// Champion lists: the documents where a common word weighs most, per language, computed by
// every build and used by the search for queries of common words only.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include <xapian.h>

#include "builtin_importers.h"
#include "champions.h"
#include "content_loader.h"
#include "kb_writer.h"
#include "knowledge_base.h"
#include "temp_dir.h"

namespace {

// A document of `lang` holding `word` `times` times among `length` positions in all.
Xapian::Document doc(const std::string& lang, const std::string& word, int times, int length) {
  Xapian::Document d;
  d.add_boolean_term("L" + lang);
  Xapian::termpos pos = 0;
  for (int i = 0; i < times; ++i) d.add_posting("Z" + word, ++pos);
  for (int i = times; i < length; ++i) d.add_posting("Zfiller" + std::to_string(i % 7), ++pos);
  d.add_term("ZS" + word);  // a field stem: never a list of its own
  return d;
}

}  // namespace

TEST_CASE("champion lists keep, per language, the documents where a common word weighs most") {
  kb::test::TempDir dir;
  Xapian::WritableDatabase db(dir.path().string(), Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_BACKEND_GLASS);
  // English 1-20: "router" once in 10 words, except 7 (five times) and 15 (three times).
  for (int i = 1; i <= 20; ++i) db.add_document(doc("en", "router", i == 7 ? 5 : i == 15 ? 3 : 1, 10));
  // French 21-30: "routeur" in each, once, 22 in a short document (more weight per word).
  for (int i = 21; i <= 30; ++i) db.add_document(doc("fr", "routeur", 1, i == 22 ? 2 : 10));
  // "rare" in one English document of twenty: not common (under a tenth).
  Xapian::Document extra = doc("en", "rare", 1, 10);
  db.add_document(extra);  // 31, en
  db.commit();

  const auto lists = kb::compute_champion_lists(db, 3);
  REQUIRE(lists.count("en") == 1);
  REQUIRE(lists.count("fr") == 1);
  // The two heavy ones, then the lowest id of the equal rest; in docid order.
  CHECK(lists.at("en").at("router") == std::vector<Xapian::docid>{1, 7, 15});
  CHECK(lists.at("fr").at("routeur") == std::vector<Xapian::docid>{21, 22, 23});
  // Only this language's documents: "router" has none in French.
  CHECK(lists.at("fr").count("router") == 0);
  CHECK(lists.at("en").count("rare") == 0);
  for (const auto& [lang, words] : lists) {
    for (const auto& [stem, ids] : words) CHECK_FALSE((stem[0] >= 'A' && stem[0] <= 'Z'));  // no field stems
  }

  // Stored and read back; an earlier build's lists are replaced.
  db.set_metadata("kb.champions.de", "stale");
  kb::write_champion_lists(db, 3);
  db.commit();
  CHECK(db.get_metadata("kb.champions.de").empty());
  std::map<std::string, std::vector<Xapian::docid>> read;
  REQUIRE(kb::decode_champion_lists(db.get_metadata("kb.champions.en"), read));
  CHECK(read == lists.at("en"));
}

TEST_CASE("a damaged champion list is rejected, not half read") {
  const std::map<std::string, std::vector<Xapian::docid>> lists = {{"router", {3, 9, 400000}}, {"wifi", {1}}};
  const std::string encoded = kb::encode_champion_lists(lists);
  std::map<std::string, std::vector<Xapian::docid>> read;
  REQUIRE(kb::decode_champion_lists(encoded, read));
  CHECK(read == lists);
  for (std::size_t cut = 1; cut < encoded.size(); ++cut) {
    CHECK_FALSE(kb::decode_champion_lists(encoded.substr(0, cut), read));
    CHECK(read.empty());
  }
  CHECK_FALSE(kb::decode_champion_lists(std::string("\x01\x06router\x01\x00", 10), read));  // a zero step
  CHECK(kb::decode_champion_lists(std::string("\x01\x06router\x01\x05", 10), read));
  CHECK(read.at("router") == std::vector<Xapian::docid>{5});
}

namespace {

// Markdown articles in a content folder.
void write_article(kb::test::TempDir& d, const std::string& lang, const std::string& id, const std::string& title,
                   const std::string& body, const std::string& category = "internet") {
  d.write(lang + "/" + id + ".md", "---\nid: " + id + "\nlang: " + lang + "\ntitle: " + title + "\nsummary: About " +
                                       id + ".\ncategory: " + category + "\n---\n" + body + "\n");
}

std::string publish(const kb::test::TempDir& content, const kb::test::TempDir& dir, std::size_t per_word,
                    const std::string& base = "") {
  const kb::plugins::ImporterRegistry registry;
  const auto set = kb::load_content(content.path(), registry.importers());
  REQUIRE(set.ok());
  kb::PublishOptions options;
  options.champions_per_word = per_word;
  options.base_generation = base;
  return kb::KnowledgeBaseWriter(dir.path()).publish(set.articles, options).generation;
}

kb::search::SearchSettings bounded_to(unsigned limit) {
  kb::search::SearchSettings settings;
  settings.common_words_limit = limit;
  settings.cache_entries = 0;
  return settings;
}

kb::search::SearchRequest finished(const std::string& q, const std::string& lang) {
  kb::search::SearchRequest r;
  r.query = q;
  r.lang = lang;
  r.facets = false;
  r.prefix = false;  // a finished word (an unfinished one has no list: the bounded match)
  return r;
}

std::vector<std::string> ids(const kb::search::SearchResponse& r) {
  std::vector<std::string> out;
  for (const auto& h : r.hits) out.push_back(h.id);
  return out;
}

}  // namespace

TEST_CASE("an article added by an incremental build is among the champions of its words") {
  // Thirty English articles say "router" once; a guide about routers comes in a later,
  // incremental build, while the server runs. A query of "router" alone (a common word)
  // ranks the champions of "router" and, once the new generation is live, finds the guide
  // first: the lists are computed again for each generation and read again by the server.
  kb::test::TempDir content, dir;
  for (int i = 0; i < 30; ++i) {
    const std::string id = "a" + std::to_string(100 + i);
    write_article(content, "en", id, "Article " + id, "Something about " + id + " and the router in the hall.");
  }
  const std::string live = publish(content, dir, 20);
  kb::search::KnowledgeBase kb(dir.path(), bounded_to(5));
  CHECK(kb.search(finished("router", "en")).hits.size() == 10);

  kb::test::TempDir more;
  write_article(more, "en", "z-router-guide", "Router guide, router lights", "Your router, its lights, restart the router.");
  publish(more, dir, 20, live);
  REQUIRE(kb.refresh());
  const auto found = kb.search(finished("router", "en"));
  REQUIRE_FALSE(found.hits.empty());
  CHECK(found.hits[0].id == "z-router-guide");
  CHECK(found.total >= 31);
}

TEST_CASE("the pages of a common-word query agree with one long page") {
  // Sixty articles say "router" one to seven times; the build keeps the best 20 per word,
  // and the search ranks at most 45 candidates of a common-word query. Pages past the 20
  // champions continue with the other articles, so four pages of ten are the first forty of
  // one page of forty, in the same order, with nothing repeated.
  kb::test::TempDir content, dir;
  for (int i = 0; i < 60; ++i) {
    std::string body = "Notes " + std::to_string(i) + ".";
    for (int k = 0; k <= (i * 5) % 7; ++k) body += " The router.";
    write_article(content, "en", "r" + std::to_string(100 + i), "Article " + std::to_string(i), body);
  }
  publish(content, dir, 20);
  kb::search::KnowledgeBase kb(dir.path(), bounded_to(45));
  auto request = finished("router", "en");
  request.per_page = 40;
  const auto whole = ids(kb.search(request));
  REQUIRE(whole.size() == 40);
  std::vector<std::string> paged;
  request.per_page = 10;
  for (int page = 1; page <= 4; ++page) {
    request.page = page;
    for (const auto& id : ids(kb.search(request))) paged.push_back(id);
  }
  CHECK(paged == whole);
}

TEST_CASE("a filtered common-word query in a smaller language keeps its results and a total that counts them") {
  // 200 English articles and 60 French ones, all saying "routeur" (so it is common in
  // French); 50 French ones are about billing. Xapian estimates the whole query as if the
  // language and the category were independent of the word: a few matches. The total is
  // never below what the search found, and the French results are served.
  kb::test::TempDir content, dir;
  for (int i = 0; i < 200; ++i) write_article(content, "en", "e" + std::to_string(i), "Article", "The routeur word, English text.");
  for (int i = 0; i < 60; ++i) {
    write_article(content, "fr", "f" + std::to_string(100 + i), "Article", "Le routeur, texte " + std::to_string(i) + ".",
                  i < 50 ? "billing" : "internet");
  }
  publish(content, dir, 20);
  kb::search::KnowledgeBase kb(dir.path(), bounded_to(5));
  auto request = finished("routeur", "fr");
  request.category = "billing";
  const auto found = kb.search(request);
  REQUIRE(found.hits.size() == 10);
  CHECK(found.served_lang == "fr");
  for (const auto& h : found.hits) CHECK(h.lang == "fr");
  CHECK(found.total >= 20);
  CHECK(found.total <= 50);
}

TEST_CASE("a knowledge base whose champion lists are damaged still answers") {
  kb::test::TempDir content, dir;
  for (int i = 0; i < 30; ++i) write_article(content, "en", "a" + std::to_string(100 + i), "Article", "The router, once.");
  const std::string live = publish(content, dir, 20);
  {
    Xapian::WritableDatabase db((dir.path() / live).string(), Xapian::DB_OPEN);
    db.set_metadata("kb.champions.en", std::string("\x05\x01", 2) + "damaged");
    db.commit();
  }
  kb::search::KnowledgeBase kb(dir.path(), bounded_to(5));
  const auto found = kb.search(finished("router", "en"));
  CHECK(found.hits.size() == 10);  // the bounded match, as without lists
  CHECK(found.total == 30);
  // The operator sees it (GET /health): English has no lists, its stored value is damaged.
  const auto status = kb.status();
  CHECK(status.champion_lists.count("en") == 0);
  CHECK(status.champion_lists_damaged == std::vector<std::string>{"en"});
}

TEST_CASE("the health status counts each language's champion lists") {
  kb::test::TempDir content, dir;
  for (int i = 0; i < 30; ++i) write_article(content, "en", "a" + std::to_string(100 + i), "Article", "The router, once.");
  publish(content, dir, 20);
  kb::search::KnowledgeBase kb(dir.path(), bounded_to(5));
  kb.search(finished("router", "en"));  // a searcher, with the generation's lists
  const auto status = kb.status();
  REQUIRE(status.champion_lists.count("en") == 1);
  CHECK(status.champion_lists.at("en") > 0);
  CHECK(status.champion_lists_damaged.empty());
}
