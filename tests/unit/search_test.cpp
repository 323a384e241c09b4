// The search library over a real generation built from the fixtures.
#include <doctest/doctest.h>

#include <sys/inotify.h>
#include <unistd.h>
#include <xapian.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <cmath>
#include <map>
#include <memory>
#include <set>
#include <thread>
#include <vector>

#include "analyzer.h"
#include "builtin_importers.h"
#include "content_loader.h"
#include "document_builder.h"
#include "errors.h"
#include "kb_writer.h"
#include "knowledge_base.h"
#include "schema.h"
#include "temp_dir.h"

using namespace std::chrono_literals;

namespace {

struct Fixture {
  kb::test::TempDir dir;
  std::unique_ptr<kb::search::KnowledgeBase> kb;

  Fixture() {
    publish(std::string(KB_FIXTURES) + "/content");
    kb = std::make_unique<kb::search::KnowledgeBase>(dir.path(), kb::search::SearchSettings{});
  }
  void publish(const std::filesystem::path& content) {
    const kb::plugins::ImporterRegistry registry;
    const auto set = kb::load_content(content, registry.importers());
    REQUIRE(set.ok());
    kb::KnowledgeBaseWriter(dir.path()).publish(set.articles);
  }
  // A new generation: the fixtures plus an article about satellite broadband.
  void publish_with_satellite() {
    kb::test::TempDir content;
    kb::test::copy_tree(std::string(KB_FIXTURES) + "/content", content.path());
    content.write("en/satellite.md",
                  "---\nid: satellite\nlang: en\ntitle: Satellite broadband\nsummary: Now available."
                  "\ncategory: internet\n---\nSatellite broadband is here.\n");
    publish(content.path());
  }
  kb::search::SearchResponse search(const std::string& q, const std::string& lang = "",
                                    const std::string& channel = "web") {
    kb::search::SearchRequest r;
    r.query = q;
    r.lang = lang;
    r.channel = channel;
    r.include_internal = channel == "agent";
    return kb->search(r);
  }
};

// Records `schema` in a published generation, as a kb-index of that schema would have.
void set_schema(const kb::GenerationRef& generation, const std::string& schema) {
  Xapian::WritableDatabase db(generation.path.string(), Xapian::DB_OPEN);
  db.set_metadata(kb::schema::kMetaSchema, schema);
  db.commit();
}

std::string top(const kb::search::SearchResponse& r) {
  return r.hits.empty() ? "(none)" : r.hits[0].id + "@" + r.hits[0].lang;
}

std::set<std::string> ids(const kb::search::SearchResponse& r) {
  std::set<std::string> out;
  for (const auto& h : r.hits) out.insert(h.id);
  return out;
}

}  // namespace

TEST_CASE("customers' questions find the right article first, in their language") {
  Fixture f;
  struct Case {
    std::string query, lang, expected;
  };
  const Case cases[] = {
      {"I forgot my password", "en", "reset-password@en"},
      {"why is my wifi so slow", "en", "wifi-slow@en"},
      {"account blocked", "en", "account-locked@en"},
      {"Passwort vergessen", "de", "reset-password@de"},
      {"WLAN langsam", "de", "wifi-slow@de"},
      {"パスワードを忘れた", "ja", "reset-password@ja"},
      {"ネットが遅い", "ja", "wifi-slow@ja"},
      {"ลืมรหัสผ่าน", "th", "reset-password@th"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.query);
    const auto r = f.search(c.query, c.lang);
    CHECK(top(r) == c.expected);
    CHECK(r.served_lang == c.lang);
    CHECK_FALSE(r.fallback);
  }
}

TEST_CASE("without lang, the language comes from the script or from matching each language") {
  Fixture f;
  CHECK(top(f.search("パスワードを忘れた")) == "reset-password@ja");
  CHECK(top(f.search("ลืมรหัสผ่าน")) == "reset-password@th");
  CHECK(top(f.search("Passwort vergessen")) == "reset-password@de");
  CHECK(top(f.search("forgot my password")) == "reset-password@en");
  // Translations collapse: one result per knowledge item.
  const auto r = f.search("password Passwort");
  std::set<std::string> seen;
  for (const auto& h : r.hits) CHECK(seen.insert(h.id).second);
}

TEST_CASE("Accept-Language picks the language when lang is absent") {
  Fixture f;
  kb::search::SearchRequest r;
  r.query = "Router";  // German articles say Router, English ones say hub
  r.preferred = {"de-at", "en"};
  const auto resp = f.kb->search(r);
  CHECK(top(resp) == "wifi-slow@de");
  CHECK(resp.served_lang == "de");
}

TEST_CASE("a language without content falls back and says so") {
  Fixture f;
  const auto fr = f.search("password", "fr");
  CHECK(top(fr) == "reset-password@en");
  CHECK(fr.served_lang == "en");
  CHECK(fr.fallback);
  const auto ch = f.search("Passwort", "de-ch");
  CHECK(top(ch) == "reset-password@de");
  CHECK(ch.served_lang == "de");
  CHECK(ch.fallback);
}

TEST_CASE("snippets are HTML-escaped and highlight what matched") {
  Fixture f;
  const auto r = f.search("codes expire", "en");
  REQUIRE(top(r) == "reset-password@en");
  const std::string& s = r.hits[0].snippet;
  CHECK(s.find("<mark>codes</mark> <mark>expire</mark>") != std::string::npos);
  CHECK(s.find("Links &amp; ") != std::string::npos);
  CHECK(r.hits[0].url == "/v1/articles/reset-password?lang=en");
}

TEST_CASE("filters: category, tag and product narrow the results") {
  Fixture f;
  kb::search::SearchRequest r;
  r.query = "slow password";
  r.lang = "en";
  r.category = "internet";
  CHECK(ids(f.kb->search(r)) == std::set<std::string>{"wifi-slow"});
  r.category = "";
  r.tag = "password";
  CHECK(ids(f.kb->search(r)) == std::set<std::string>{"reset-password"});
  r.tag = "";
  r.product = "brightwave-hub";
  CHECK(ids(f.kb->search(r)) == std::set<std::string>{"wifi-slow"});
  // Browsing a category needs no query.
  kb::search::SearchRequest browse;
  browse.lang = "en";
  browse.category = "account";
  CHECK(ids(f.kb->search(browse)) == std::set<std::string>{"reset-password", "account-locked"});
}

TEST_CASE("visibility: internal items, agent notes, drafts and excluded channels stay hidden") {
  Fixture f;
  CHECK(f.search("retention offers", "en").hits.empty());
  CHECK(top(f.search("retention offers", "en", "agent")) == "internal-retention@en");
  CHECK(f.search("FIXTURE-CANARY-NOTE security questions", "en").hits.empty());
  CHECK(f.search("satellite broadband", "en").hits.empty());
  CHECK(top(f.search("cancel contract", "en", "web")) == "cancel-contract@en");
  CHECK(f.search("cancel contract", "en", "sms").hits.empty());
  for (const auto& h : f.search("password retention cancel", "", "web").hits) {
    CHECK(h.snippet.find("FIXTURE-CANARY") == std::string::npos);
    CHECK(h.summary.find("20%") == std::string::npos);
  }
}

TEST_CASE("paging and its limits") {
  Fixture f;
  kb::search::SearchRequest r;
  r.query = "password account";
  r.lang = "en";
  r.per_page = 1;
  const auto p1 = f.kb->search(r);
  r.page = 2;
  const auto p2 = f.kb->search(r);
  REQUIRE(p1.hits.size() == 1);
  REQUIRE(p2.hits.size() == 1);
  CHECK(p1.hits[0].id != p2.hits[0].id);
  CHECK(p1.total >= 2);
  r.per_page = 0;
  CHECK_THROWS_WITH_AS(f.kb->search(r), "per_page must be between 1 and 50", kb::InvalidArgument);
  r.per_page = 10;
  r.page = 0;
  CHECK_THROWS_WITH_AS(f.kb->search(r), "page must be 1 or more", kb::InvalidArgument);
  r.page = 1;
  r.query = std::string(1001, 'a');
  CHECK_THROWS_WITH_AS(f.kb->search(r), "q is longer than 1000 bytes", kb::InvalidArgument);
}

TEST_CASE("a generation of a later schema is refused: the current one keeps serving, and a start fails with the reason") {
  Fixture f;
  const std::string before = f.kb->version();
  f.publish_with_satellite();
  const auto live = kb::read_live_generation(f.dir.path());
  REQUIRE(live);
  set_schema(*live, "99");
  CHECK_FALSE(f.kb->refresh());
  CHECK(f.kb->version() == before);
  const auto refused = f.kb->status();
  CHECK(refused.index_version == before);
  CHECK(refused.schema == kb::schema::kSchemaVersion);
  CHECK(refused.refused_generation == live->name);
  CHECK(refused.refused_reason.find("schema 99") != std::string::npos);
  CHECK(f.search("satellite", "en").hits.empty());
  CHECK(top(f.search("I forgot my password", "en")) == "reset-password@en");
  try {
    kb::search::KnowledgeBase fresh(f.dir.path(), kb::search::SearchSettings{});
    FAIL("a generation of schema 99 was opened");
  } catch (const kb::IndexUnavailable& e) {
    CHECK(std::string(e.what()).find("schema 99") != std::string::npos);
    CHECK(std::string(e.what()).find(std::string("up to ") + kb::schema::kSchemaVersion) != std::string::npos);
  }
  // Published again by this schema's indexer, it is switched to.
  set_schema(*live, kb::schema::kSchemaVersion);
  f.publish_with_satellite();
  CHECK(f.kb->refresh());
  CHECK(top(f.search("satellite", "en")) == "satellite@en");
  CHECK(f.kb->status().refused_generation.empty());
}

TEST_CASE("a refused generation is not opened again at every poll, and is looked at again once changed") {
  Fixture f;
  const std::string before = f.kb->version();
  f.publish_with_satellite();
  const auto live = kb::read_live_generation(f.dir.path());
  REQUIRE(live);
  set_schema(*live, "99");
  CHECK_FALSE(f.kb->refresh());
  REQUIRE(f.kb->status().refused_generation == live->name);
  // The watcher polls four times a second while the stub names the refused generation:
  // none of its database files is opened again (inotify reports every open in its folder).
  const int watch = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  REQUIRE(watch >= 0);
  REQUIRE(::inotify_add_watch(watch, live->path.c_str(), IN_OPEN) >= 0);
  for (int i = 0; i < 5; ++i) CHECK_FALSE(f.kb->refresh());
  std::set<std::string> opened;
  alignas(inotify_event) char events[4096];
  for (ssize_t n; (n = ::read(watch, events, sizeof events)) > 0;) {
    for (ssize_t at = 0; at < n;) {
      const auto* e = reinterpret_cast<const inotify_event*>(events + at);
      if (e->len > 0) opened.insert(e->name);
      at += static_cast<ssize_t>(sizeof(inotify_event) + e->len);
    }
  }
  ::close(watch);
  for (const auto& name : opened) {
    INFO(name);
    CHECK(name.find(".glass") == std::string::npos);
  }
  CHECK(f.kb->version() == before);
  CHECK(f.kb->status().refused_generation == live->name);
  // Fixed in place under the same name: the next poll looks again and switches to it.
  set_schema(*live, kb::schema::kSchemaVersion);
  CHECK(f.kb->refresh());
  CHECK(f.kb->version() == live->name);
  CHECK(top(f.search("satellite", "en")) == "satellite@en");
  CHECK(f.kb->status().refused_generation.empty());
}

TEST_CASE("status from many threads opens no searcher of theirs: only the search pool's workers hold the generation open") {
  Fixture f;
  kb::search::SearchSettings settings;
  settings.concurrency = 2;
  f.kb = std::make_unique<kb::search::KnowledgeBase>(f.dir.path(), settings);
  const auto live = kb::read_live_generation(f.dir.path());
  REQUIRE(live);
  // Descriptors of this process open on the generation's posting lists: one per searcher.
  auto open_on_generation = [&] {
    int n = 0;
    for (const auto& fd : std::filesystem::directory_iterator("/proc/self/fd")) {
      std::error_code ec;
      if (std::filesystem::read_symlink(fd.path(), ec) == live->path / "postlist.glass") ++n;
    }
    return n;
  };
  CHECK(open_on_generation() == 0);  // the start-up check closed what it opened
  {
    // Six long-lived threads answer /health, as a server's connection threads do, and stay.
    std::atomic<int> answered{0};
    std::atomic<bool> release{false};
    std::vector<std::jthread> threads;
    for (int i = 0; i < 6; ++i) {
      threads.emplace_back([&] {
        if (f.kb->status().documents > 0) ++answered;
        while (!release) std::this_thread::sleep_for(1ms);
      });
    }
    for (int i = 0; i < 5000 && answered < 6; ++i) std::this_thread::sleep_for(1ms);
    CHECK(answered == 6);
    CHECK(open_on_generation() == 0);
    release = true;  // (no REQUIRE above: nothing leaves the block before this)
  }
  for (int i = 0; i < 20; ++i) CHECK(top(f.search("I forgot my password", "en")) == "reset-password@en");
  const int open = open_on_generation();
  CHECK(open >= 1);
  CHECK(open <= 2);  // the two workers' searchers, whichever searched
}

TEST_CASE("a new generation is picked up by refresh() and searched at once") {
  Fixture f;
  const std::string before = f.kb->version();
  CHECK(f.search("satellite", "en").hits.empty());
  f.publish_with_satellite();
  CHECK(f.kb->refresh());
  CHECK(f.kb->version() != before);
  CHECK(top(f.search("satellite", "en")) == "satellite@en");
  CHECK_FALSE(f.kb->refresh());
}

TEST_CASE("watch() notices a published generation at once, not at its next poll") {
  Fixture f;
  const std::string before = f.kb->version();
  // An hour between polls: only the change notification can make the new generation live.
  f.kb->watch(std::chrono::hours(1));
  f.publish_with_satellite();
  const auto published = std::chrono::steady_clock::now();
  while (f.kb->version() == before && std::chrono::steady_clock::now() - published < std::chrono::seconds(10)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  CHECK(f.kb->version() != before);
  CHECK(top(f.search("satellite", "en")) == "satellite@en");
}

TEST_CASE("two-phase ranking: title words and words side by side win, and pages agree") {
  // 40 articles that all mention the router in their body; a few also in the title, a few
  // with "reset router" side by side. The boost (title, questions, summary, proximity)
  // applies to the best candidates only; pages must still tell one consistent order.
  kb::test::TempDir content;
  for (int i = 0; i < 40; ++i) {
    const std::string id = "item-" + std::to_string(i);
    const bool titled = i % 10 == 3;
    const bool adjacent = i % 10 == 7;
    std::string body = "Before you call us, check the cables. Every router has a light " +
                       std::to_string(i) + " times. ";
    body += adjacent ? "To fix it, reset router settings from the app.\n"
                     : "You can reset the box later; the router then restarts on its own, with "
                       "your settings kept.\n";
    content.write("en/" + id + ".md", "---\nid: " + id + "\nlang: en\ntitle: " +
                                          (titled ? "Router lights explained " : "Lights explained ") +
                                          std::to_string(i) + "\nsummary: Item " + std::to_string(i) +
                                          ".\ncategory: internet\n---\n" + body);
  }
  Fixture f;
  f.publish(content.path());
  REQUIRE(f.kb->refresh());

  kb::search::SearchRequest r;
  r.query = "router";
  r.lang = "en";
  r.per_page = 4;
  const auto first = f.kb->search(r);
  REQUIRE(first.hits.size() == 4);
  for (const auto& h : first.hits) CHECK(h.title.rfind("Router", 0) == 0);  // the 4 titled ones

  r.query = "reset settings";
  r.per_page = 4;
  for (const auto& h : f.kb->search(r).hits) {
    const int n = std::stoi(h.id.substr(5));
    CHECK(n % 10 == 7);  // "reset router settings": the words close together
  }

  // One page of 40 and ten pages of 4 give the same order, across the window's edge.
  r.per_page = 40;
  const auto all = f.kb->search(r);
  REQUIRE(all.hits.size() == 40);
  std::vector<std::string> paged;
  r.per_page = 4;
  for (int page = 1; page <= 10; ++page) {
    r.page = page;
    for (const auto& h : f.kb->search(r).hits) paged.push_back(h.id);
  }
  std::vector<std::string> whole;
  for (const auto& h : all.hits) whole.push_back(h.id);
  CHECK(paged == whole);
}

TEST_CASE("filters every article passes are left out, and filtering still holds when one does not") {
  // A base where every article shows on every channel, in one language, none internal: the
  // channel, language and audience filters filter nothing and the search leaves them out.
  // The next generation restricts one article: the same searches must hide it again.
  kb::test::TempDir content;
  auto article = [&](const std::string& id, const std::string& extra) {
    content.write("en/" + id + ".md", "---\nid: " + id + "\nlang: en\ntitle: Modem lights " + id +
                                          "\nsummary: About the modem.\ncategory: " +
                                          (id == "c" ? "billing" : "internet") + "\n" + extra +
                                          "---\nThe modem lights tell you what it does.\n");
  };
  article("a", "");
  article("b", "");
  article("c", "");
  Fixture f;
  f.publish(content.path());
  REQUIRE(f.kb->refresh());
  CHECK(ids(f.search("modem lights", "en", "sms")) == std::set<std::string>{"a", "b", "c"});
  CHECK(ids(f.search("modem lights", "", "web")) == std::set<std::string>{"a", "b", "c"});
  kb::search::SearchRequest r;
  r.query = "modem";
  r.lang = "en";
  r.channel = "voice";
  r.category = "internet";
  CHECK(ids(f.kb->search(r)) == std::set<std::string>{"a", "b"});

  article("b", "channels: [web]\n");
  article("c", "audience: internal\nchannels: [agent]\n");
  f.publish(content.path());
  REQUIRE(f.kb->refresh());
  CHECK(ids(f.search("modem lights", "en", "sms")) == std::set<std::string>{"a"});
  CHECK(ids(f.search("modem lights", "en", "web")) == std::set<std::string>{"a", "b"});
  CHECK(ids(f.search("modem lights", "", "web")) == std::set<std::string>{"a", "b"});
  // Agents see every article, internal ones too.
  CHECK(ids(f.search("modem lights", "en", "agent")) == std::set<std::string>{"a", "b", "c"});
  CHECK(ids(f.kb->search(r)) == std::set<std::string>{"a"});
}

TEST_CASE("a language's filter is exact however its articles lie among the others") {
  // English and German published in turns, one pair per incremental generation (which adds
  // documents at the end, in content order): each language is some thirty runs of document
  // ids. Then a complete build of the same articles, which groups each language. Either way
  // a search in one language returns exactly that language's articles, and all of them.
  Fixture f;
  const kb::plugins::ImporterRegistry registry;
  kb::test::TempDir all;
  std::string live;
  for (int i = 0; i < 30; ++i) {
    kb::test::TempDir pair;
    for (const std::string lang : {"en", "de"}) {
      const std::string id = "item-" + std::to_string(i);
      const std::string text = "---\nid: " + id + "\nlang: " + lang + "\ntitle: Router " + id +
                               "\nsummary: Router.\ncategory: internet\n---\nRouter " + lang + " text.\n";
      pair.write(lang + "/" + id + ".md", text);
      all.write(lang + "/" + id + ".md", text);
    }
    const auto set = kb::load_content(pair.path(), registry.importers());
    REQUIRE(set.ok());
    kb::PublishOptions options;
    if (i > 0) options.base_generation = live;
    live = kb::KnowledgeBaseWriter(f.dir.path()).publish(set.articles, options).generation;
  }
  auto check_language = [&](const std::string& lang) {
    kb::search::SearchRequest r;
    r.query = "router";
    r.lang = lang;
    r.per_page = 50;
    const auto found = f.kb->search(r);
    CHECK(found.hits.size() == 30);
    CHECK(found.total == 30);
    for (const auto& h : found.hits) CHECK(h.lang == lang);
  };
  REQUIRE(f.kb->refresh());
  check_language("en");
  check_language("de");
  f.publish(all.path());  // complete
  REQUIRE(f.kb->refresh());
  check_language("en");
  check_language("de");
}

TEST_CASE("a schema-4 generation scores as BM25 (k1 1, b 0.5) on natural wdfs and shows what schema 2 showed") {
  // The bundled help center, published as kb-index publishes it (length-normalised wdfs).
  const kb::plugins::ImporterRegistry registry;
  const auto set = kb::load_content(std::string(KB_CONTENT), registry.importers());
  REQUIRE(set.ok());
  kb::test::TempDir normalised;
  kb::KnowledgeBaseWriter(normalised.path()).publish(set.articles);

  // A copy as schema 2 built it: natural wdfs, the stored data in the document's data (not
  // in a value slot, schema 4), and the schema recorded as 2. The searcher ranks it with
  // Xapian's default BM25, as every generation before schema 3 was ranked.
  kb::test::TempDir natural;
  kb::test::copy_tree(normalised.path(), natural.path());
  std::filesystem::path generation;
  for (const auto& e : std::filesystem::directory_iterator(natural.path())) {
    if (e.is_directory() && e.path().filename().string().rfind("gen-", 0) == 0) generation = e.path();
  }
  REQUIRE(!generation.empty());
  {
    std::map<std::string, const kb::Article*> by_key;
    for (const auto& a : set.articles) by_key[a.id + "@" + a.lang] = &a;
    std::map<std::string, std::unique_ptr<kb::Analyzer>> analyzers;
    Xapian::WritableDatabase db(generation.string(), Xapian::DB_OPEN);
    REQUIRE(db.get_metadata(kb::schema::kMetaSchema) == kb::schema::kSchemaVersion);
    for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
      const Xapian::Document stored = db.get_document(*it);
      auto q = stored.termlist_begin();
      q.skip_to(std::string(kb::schema::kUniqueId));
      REQUIRE(q != stored.termlist_end());
      const kb::Article& article = *by_key.at((*q).substr(kb::schema::kUniqueId.size()));
      auto& an = analyzers[article.lang];
      if (!an) an = std::make_unique<kb::Analyzer>(article.lang);
      Xapian::Document plain = kb::build_document(article, *an);
      // The same terms, values and data: only the wdfs differ.
      CHECK(std::vector<std::string>(plain.termlist_begin(), plain.termlist_end()) ==
            std::vector<std::string>(stored.termlist_begin(), stored.termlist_end()));
      CHECK(plain.values_count() == stored.values_count());
      CHECK(stored.get_data().empty());
      CHECK(kb::schema::stored_data(plain) == stored.get_value(kb::schema::kSlotData));
      plain.set_data(plain.get_value(kb::schema::kSlotData));
      plain.remove_value(kb::schema::kSlotData);
      db.replace_document(*it, plain);
    }
    db.set_metadata(kb::schema::kMetaSchema, "2");
    db.set_metadata(kb::schema::kMetaNormLength, "");
    db.set_metadata(kb::schema::kMetaWdfScale, "");
    db.commit();
  }
  kb::search::KnowledgeBase three(normalised.path(), kb::search::SearchSettings{});
  kb::search::KnowledgeBase two(natural.path(), kb::search::SearchSettings{});

  // Every published title, as a customer would type it, in its language.
  std::size_t queries = 0, compared = 0;
  double worst = 0;
  for (const auto& a : set.articles) {
    if (a.status == kb::Status::Draft || queries >= 80) continue;
    ++queries;
    kb::search::SearchRequest r;
    r.query = a.title;
    r.lang = a.lang;
    r.per_page = 10;
    const auto x = three.search(r);
    const auto y = two.search(r);
    CAPTURE(a.title);
    REQUIRE(x.hits.size() == y.hits.size());
    std::map<std::string, double> bm25_two;
    for (const auto& h : y.hits) bm25_two[h.id + "@" + h.lang] = h.bm25;
    for (std::size_t i = 0; i < x.hits.size(); ++i) {
      const auto& h = x.hits[i];
      // The same order but for hits whose weights are within the rounding of each other.
      if (h.id != y.hits[i].id) CHECK(std::abs(h.bm25 - y.hits[i].bm25) <= 0.005 * y.hits[i].bm25);
      if (h.id == y.hits[i].id) {  // read from the value slot and from the document's data
        CHECK(h.title == y.hits[i].title);
        CHECK(h.snippet == y.hits[i].snippet);
        CHECK(h.url == y.hits[i].url);
      }
      const auto other = bm25_two.find(h.id + "@" + h.lang);
      if (other == bm25_two.end()) continue;  // the last place, taken by a near tie
      worst = std::max(worst, std::abs(h.bm25 / other->second - 1));
      CHECK(h.score == doctest::Approx(h.bm25 * h.feedback));
      ++compared;
    }
  }
  MESSAGE("titles searched: " << queries << ", hits compared: " << compared << ", largest difference: " << worst);
  CHECK(compared > 200);
  CHECK(worst < 0.01);  // the scores keep BM25's units: no factor of (1024 + 1) / 2 left over
}
