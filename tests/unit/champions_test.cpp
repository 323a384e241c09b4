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

TEST_CASE("an article added by an incremental build is among the champions of its words") {
  // Thirty English articles say "router" once; a guide about routers comes in a later,
  // incremental build. A query of "router" alone (a common word) ranks the champions of
  // "router" and finds the guide first: the lists are computed again for each generation.
  kb::test::TempDir content, more, dir;
  auto write = [](kb::test::TempDir& d, const std::string& id, const std::string& title, const std::string& body) {
    d.write("en/" + id + ".md", "---\nid: " + id + "\nlang: en\ntitle: " + title +
                                    "\nsummary: About " + id + ".\ncategory: internet\n---\n" + body + "\n");
  };
  for (int i = 0; i < 30; ++i) {
    const std::string id = "a" + std::to_string(100 + i);
    write(content, id, "Article " + id, "Something about " + id + " and the router in the hall.");
  }
  write(more, "z-router-guide", "Router guide, router lights", "Your router, its lights, restart the router.");
  const kb::plugins::ImporterRegistry registry;
  kb::PublishOptions options;
  options.champions_per_word = 20;
  const auto first = kb::load_content(content.path(), registry.importers());
  REQUIRE(first.ok());
  const std::string live = kb::KnowledgeBaseWriter(dir.path()).publish(first.articles, options).generation;
  const auto second = kb::load_content(more.path(), registry.importers());
  REQUIRE(second.ok());
  options.base_generation = live;
  kb::KnowledgeBaseWriter(dir.path()).publish(second.articles, options);

  kb::search::SearchSettings settings;
  settings.common_words_limit = 5;
  settings.cache_entries = 0;
  kb::search::KnowledgeBase kb(dir.path(), settings);
  kb::search::SearchRequest r;
  r.query = "router";
  r.lang = "en";
  r.facets = false;
  r.prefix = false;  // a finished word (an unfinished one has no list: the bounded match)
  const auto found = kb.search(r);
  REQUIRE_FALSE(found.hits.empty());
  CHECK(found.hits[0].id == "z-router-guide");
  CHECK(found.total >= 31);
}
