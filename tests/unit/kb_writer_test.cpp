// Publishing generations: atomic switch, drafts, clean-up, the writer lock, what is indexed.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <xapian.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "analyzer.h"
#include "builtin_importers.h"
#include "document_builder.h"
#include "content_loader.h"
#include "errors.h"
#include "generation.h"
#include "kb_writer.h"
#include "schema.h"
#include "temp_dir.h"

namespace {

std::vector<kb::Article> fixture_articles() {
  const kb::plugins::ImporterRegistry registry;
  auto set = kb::load_content(std::string(KB_FIXTURES) + "/content", registry.importers());
  REQUIRE(set.ok());
  return set.articles;
}

bool has_term(const Xapian::Database& db, const std::string& term) { return db.term_exists(term); }

}  // namespace

TEST_CASE("publishing makes a new generation live; drafts are not published") {
  kb::test::TempDir kb_dir;
  const auto articles = fixture_articles();
  kb::KnowledgeBaseWriter writer(kb_dir.path());
  const auto result = writer.publish(articles);
  CHECK(result.generation == "gen-000001");
  CHECK(result.drafts_skipped == 1);
  CHECK(result.documents == articles.size() - 1);
  CHECK(result.per_language.at("ja") == 2);

  const auto live = kb::read_live_generation(kb_dir.path());
  REQUIRE(live);
  CHECK(live->name == "gen-000001");
  CHECK(kb::test::read_file(kb_dir / "live.stub") == "auto gen-000001\n");
  // The stub is a real Xapian stub database file.
  Xapian::Database via_stub((kb_dir / "live.stub").string());
  CHECK(via_stub.get_doccount() == result.documents);
  CHECK(via_stub.get_metadata(kb::schema::kMetaGeneration) == "gen-000001");
  CHECK_FALSE(has_term(via_stub, "Qnew-feature-draft@en"));
  CHECK(has_term(via_stub, "Qreset-password@en"));
}

TEST_CASE("a first build of drafts only records no average length; the next build measures its own") {
  std::vector<kb::Article> articles = fixture_articles();
  std::vector<kb::Article> drafts = articles;
  for (auto& a : drafts) a.status = kb::Status::Draft;
  kb::test::TempDir kb_dir;
  kb::KnowledgeBaseWriter(kb_dir.path()).publish(drafts);
  const auto first = kb::read_live_generation(kb_dir.path());
  REQUIRE(first);
  CHECK(Xapian::Database(first->path.string()).get_doccount() == 0);
  CHECK(Xapian::Database(first->path.string()).get_metadata(kb::schema::kMetaNormLength).empty());

  // Published for real, incrementally: normalised against these articles' average, not a
  // placeholder kept from the empty base.
  kb::PublishOptions next;
  next.base_generation = first->name;
  kb::KnowledgeBaseWriter(kb_dir.path()).publish(articles, next);
  const auto second = kb::read_live_generation(kb_dir.path());
  REQUIRE(second);
  const Xapian::Database db(second->path.string());
  CHECK(db.get_doccount() > 0);
  std::vector<std::size_t> order(articles.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  const double expected = kb::estimate_norm_length(articles, order);
  CHECK(expected > 10);
  CHECK(std::strtod(db.get_metadata(kb::schema::kMetaNormLength).c_str(), nullptr) ==
        doctest::Approx(expected).epsilon(1e-5));
}

TEST_CASE("internal notes are stored for agents but never indexed") {
  kb::test::TempDir kb_dir;
  kb::KnowledgeBaseWriter(kb_dir.path()).publish(fixture_articles());
  Xapian::Database db((kb_dir / "live.stub").string());
  // "security" appears in the fixtures only inside an agent note.
  CHECK_FALSE(has_term(db, "security"));
  CHECK_FALSE(has_term(db, "Zsecur"));
  CHECK(has_term(db, "XAUDinternal"));
  // The internal article is not allowed on the web channel.
  CHECK(db.get_termfreq("XCHweb") == db.get_doccount() - 1);
  // cancel-contract is limited to web, voice and agent.
  Xapian::Enquire enquire(db);
  enquire.set_query(Xapian::Query(Xapian::Query::OP_AND, Xapian::Query("Qcancel-contract@en"),
                                  Xapian::Query("XCHsms")));
  CHECK(enquire.get_mset(0, 10).empty());
}

TEST_CASE("each build is a new generation; old ones beyond the kept count are removed") {
  kb::test::TempDir kb_dir;
  const auto articles = fixture_articles();
  kb::KnowledgeBaseWriter writer(kb_dir.path());
  for (int i = 1; i <= 5; ++i) writer.publish(articles);
  CHECK(kb::read_live_generation(kb_dir.path())->name == "gen-000005");
  CHECK_FALSE(std::filesystem::exists(kb_dir / "gen-000002"));
  CHECK(std::filesystem::exists(kb_dir / "gen-000003"));
  CHECK(std::filesystem::exists(kb_dir / "gen-000004"));
  CHECK(std::filesystem::exists(kb_dir / "gen-000005"));
}

TEST_CASE("leftovers of an interrupted build are cleared and do not affect numbering") {
  kb::test::TempDir kb_dir;
  kb::KnowledgeBaseWriter writer(kb_dir.path());
  writer.publish(fixture_articles());
  kb_dir.write(".build-gen-000002/junk", "half-written");
  kb_dir.write(".stub-1234", "auto nowhere\n");
  const auto r = writer.publish(fixture_articles());
  CHECK(r.generation == "gen-000002");
  CHECK_FALSE(std::filesystem::exists(kb_dir / ".build-gen-000002"));
  CHECK_FALSE(std::filesystem::exists(kb_dir / ".stub-1234"));
}

TEST_CASE("a second writer is refused while the lock is held, and the live base is untouched") {
  kb::test::TempDir kb_dir;
  kb::KnowledgeBaseWriter writer(kb_dir.path());
  writer.publish(fixture_articles());
  const int fd = ::open((kb_dir / ".lock").c_str(), O_RDWR);
  REQUIRE(fd >= 0);
  REQUIRE(::flock(fd, LOCK_EX) == 0);
  try {
    writer.publish(fixture_articles());
    FAIL("publish should have thrown");
  } catch (const kb::IndexUnavailable& e) {
    CHECK(e.code() == "index_locked");
  }
  ::close(fd);
  CHECK(kb::read_live_generation(kb_dir.path())->name == "gen-000001");
}

TEST_CASE("an unwritable folder is an I/O error that names it") {
  // A file where the folder should be fails for every user, root included.
  kb::test::TempDir dir;
  dir.write("file-not-folder", "x");
  kb::KnowledgeBaseWriter writer(dir / "file-not-folder/kb");
  try {
    writer.publish(fixture_articles());
    FAIL("publish should have thrown");
  } catch (const kb::IoError& e) {
    CHECK(std::string(e.what()).find("file-not-folder") != std::string::npos);
  }
}

TEST_CASE("a complete build is compacted (written in shards, merged): smaller, the same documents and terms") {
  // Enough documents that posting lists span several B-tree blocks.
  std::vector<kb::Article> articles;
  for (const auto& a : fixture_articles()) {
    for (int copy = 0; copy < 60; ++copy) {
      kb::Article c = a;
      c.id = a.id + "-" + std::to_string(copy);
      c.related.clear();
      articles.push_back(std::move(c));
    }
  }
  kb::test::TempDir compacted, plain;
  kb::PublishOptions loose;
  loose.compact = false;
  kb::KnowledgeBaseWriter(compacted.path()).publish(articles);
  kb::KnowledgeBaseWriter(plain.path()).publish(articles, loose);
  const auto gc = kb::read_live_generation(compacted.path());
  const auto gp = kb::read_live_generation(plain.path());
  REQUIRE(gc);
  REQUIRE(gp);
  CHECK(std::filesystem::file_size(gc->path / "postlist.glass") < std::filesystem::file_size(gp->path / "postlist.glass"));
  CHECK_FALSE(std::filesystem::exists(gc->path.string() + ".compact"));
  Xapian::Database dc(gc->path.string()), dp(gp->path.string());
  CHECK(dc.get_doccount() == dp.get_doccount());
  CHECK(dc.get_doccount() > 0);
  for (const std::string term : {"Zpassword", "Lde", "XCHweb"}) {
    CAPTURE(term);
    CHECK(dc.get_termfreq(term) > 0);
  }
  // Every term with the same frequency and collection frequency: the shards (one writer per
  // core, articles.size() > one batch) merged into the same index as one writer's.
  std::size_t terms = 0;
  auto tp = dp.allterms_begin();
  for (auto tc = dc.allterms_begin(); tc != dc.allterms_end(); ++tc, ++tp) {
    REQUIRE(tp != dp.allterms_end());
    CHECK(*tc == *tp);
    CHECK(tc.get_termfreq() == tp.get_termfreq());
    CHECK(dc.get_collection_freq(*tc) == dp.get_collection_freq(*tp));
    ++terms;
  }
  CHECK(tp == dp.allterms_end());
  CHECK(terms > 1000);
  CHECK(dc.get_metadata(std::string(kb::schema::kMetaGeneration)) == gc->name);
  CHECK(dc.get_metadata(std::string(kb::schema::kMetaSchema)) == dp.get_metadata(std::string(kb::schema::kMetaSchema)));
  CHECK(dc.get_avlength() == doctest::Approx(dp.get_avlength()));
  // The compacted generation takes incremental changes like any other.
  kb::PublishOptions next;
  next.base_generation = gc->name;
  next.replace_keys = {articles[0].id + "@" + articles[0].lang};
  kb::KnowledgeBaseWriter(compacted.path()).publish({articles[0]}, next);
  const auto after = kb::read_live_generation(compacted.path());
  REQUIRE(after);
  const Xapian::Database da(after->path.string());
  CHECK(da.get_doccount() == dc.get_doccount());
  // An incremental build normalises its documents' wdfs against its base's average length
  // (schema.h), as one article is no sample of the base.
  const std::string norm = dc.get_metadata(kb::schema::kMetaNormLength);
  CHECK(std::strtod(norm.c_str(), nullptr) > 0);
  CHECK(da.get_metadata(kb::schema::kMetaNormLength) == norm);
  CHECK(da.get_metadata(kb::schema::kMetaWdfScale) == dc.get_metadata(kb::schema::kMetaWdfScale));
  CHECK(da.get_metadata(kb::schema::kMetaSchema) == kb::schema::kSchemaVersion);

  // A base normalised at another scale: the incremental build writes its documents at the
  // base's scale (the search's k1 is the base's), not at kWdfScale.
  {
    Xapian::WritableDatabase base(after->path.string(), Xapian::DB_OPEN);
    base.set_metadata(kb::schema::kMetaWdfScale, "256");
    base.commit();
  }
  kb::PublishOptions again;
  again.base_generation = after->name;
  again.replace_keys = next.replace_keys;
  kb::KnowledgeBaseWriter(compacted.path()).publish({articles[0]}, again);
  const auto last = kb::read_live_generation(compacted.path());
  REQUIRE(last);
  const Xapian::Database dl(last->path.string());
  CHECK(dl.get_metadata(kb::schema::kMetaWdfScale) == "256");
  kb::Analyzer analyzer(articles[0].lang);
  const Xapian::Document natural = kb::build_document(articles[0], analyzer);
  const double length = kb::natural_length(natural);
  const double article_norm =
      (1 - kb::schema::kNormB) +
      kb::schema::kNormB * std::max(length / std::strtod(norm.c_str(), nullptr), kb::schema::kNormMinLength);
  const auto factor = static_cast<Xapian::termcount>(std::max(1.0, std::round(256 / article_norm)));
  CHECK(factor != static_cast<Xapian::termcount>(std::round(kb::schema::kWdfScale / article_norm)));
  const std::string unique = std::string(kb::schema::kUniqueId) + articles[0].id + "@" + articles[0].lang;
  REQUIRE(dl.postlist_begin(unique) != dl.postlist_end(unique));
  const Xapian::Document written = dl.get_document(*dl.postlist_begin(unique));
  std::size_t checked = 0;
  auto w = written.termlist_begin();
  for (auto t = natural.termlist_begin(); t != natural.termlist_end(); ++t) {
    if (t.get_wdf() == 0) continue;
    w.skip_to(*t);
    REQUIRE(w != written.termlist_end());
    CAPTURE(*t);
    CHECK(w.get_wdf() == t.get_wdf() * factor);
    ++checked;
  }
  CHECK(checked > 10);
}

TEST_CASE("an incremental build replaces a document whose data a schema-3 build stored") {
  // Before schema 4 the stored data was the Xapian document's data; an incremental build
  // reads it back to take the old version's words out of the spelling dictionary.
  kb::test::TempDir kb_dir;
  auto articles = fixture_articles();
  kb::KnowledgeBaseWriter(kb_dir.path()).publish(articles);
  const auto live = kb::read_live_generation(kb_dir.path());
  REQUIRE(live);
  {
    Xapian::WritableDatabase db(live->path.string(), Xapian::DB_OPEN);
    for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
      Xapian::Document doc = db.get_document(*it);
      REQUIRE(doc.get_data().empty());  // schema 4: in the value slot
      doc.set_data(doc.get_value(kb::schema::kSlotData));
      doc.remove_value(kb::schema::kSlotData);
      db.replace_document(*it, doc);
    }
    db.set_metadata(kb::schema::kMetaSchema, "3");
    db.commit();
  }
  // A spelling word of the first (published) article that no other article of its language has.
  const kb::Article* first = nullptr;
  for (const auto& a : articles) {
    if (a.status != kb::Status::Draft) {
      first = &a;
      break;
    }
  }
  REQUIRE(first);
  kb::Analyzer analyzer(first->lang);
  std::vector<std::string> own, others;
  kb::build_document(*first, analyzer, &own);
  for (const auto& a : articles) {
    if (&a != first && a.lang == first->lang) kb::build_document(a, analyzer, &others);
  }
  std::string unique_word;
  for (const auto& w : own) {
    if (w.size() > 4 && std::find(others.begin(), others.end(), w) == others.end()) unique_word = w;
  }
  REQUIRE(!unique_word.empty());
  CAPTURE(unique_word);
  auto spelling_has = [&](const kb::GenerationRef& g) {
    const Xapian::Database s((g.path / (std::string(kb::schema::kSpellingDirPrefix) + first->lang)).string());
    for (auto t = s.spellings_begin(); t != s.spellings_end(); ++t) {
      if (*t == unique_word) return true;
    }
    return false;
  };
  CHECK(spelling_has(*live));

  kb::Article changed = *first;
  changed.title = "Opening hours";
  changed.summary = "When we are open.";
  changed.questions.clear();
  changed.body_markdown = "We are open every day.\n";
  kb::PublishOptions next;
  next.base_generation = live->name;
  next.replace_keys = {first->id + "@" + first->lang};
  kb::KnowledgeBaseWriter(kb_dir.path()).publish({changed}, next);
  const auto after = kb::read_live_generation(kb_dir.path());
  REQUIRE(after);
  CHECK(after->name != live->name);
  CHECK_FALSE(spelling_has(*after));  // the old version's words left with it
  const Xapian::Database db(after->path.string());
  const std::string unique = std::string(kb::schema::kUniqueId) + first->id + "@" + first->lang;
  REQUIRE(db.postlist_begin(unique) != db.postlist_end(unique));
  const Xapian::Document doc = db.get_document(*db.postlist_begin(unique));
  CHECK(doc.get_value(kb::schema::kSlotData).find("Opening hours") != std::string::npos);
  CHECK(db.get_doccount() == static_cast<Xapian::doccount>(std::count_if(
                                 articles.begin(), articles.end(), [](const kb::Article& a) { return a.status != kb::Status::Draft; })));
}

TEST_CASE("an incremental build keeps no lexicon of a language whose lists went away") {
  // A French stopwords file emptied (or its synonyms deleted) between two builds: the
  // server must not go on reading the French lists of the base the build started from.
  kb::test::TempDir kb_dir;
  const auto articles = fixture_articles();
  kb::PublishOptions first;
  first.lexicons["en"].stopwords = {"the"};
  first.lexicons["fr"].stopwords = {"les"};
  const auto gen1 = kb::KnowledgeBaseWriter(kb_dir.path()).publish(articles, first);
  const std::string fr_key = std::string(kb::schema::kMetaLexiconPrefix) + "fr";
  const std::string en_key = std::string(kb::schema::kMetaLexiconPrefix) + "en";
  {
    const auto live = kb::read_live_generation(kb_dir.path());
    REQUIRE(live);
    CHECK_FALSE(Xapian::Database(live->path.string()).get_metadata(fr_key).empty());
  }
  kb::PublishOptions next;
  next.base_generation = gen1.generation;
  next.replace_keys = {articles[0].id + "@" + articles[0].lang};
  next.lexicons["en"].stopwords = {"the", "a"};
  kb::KnowledgeBaseWriter(kb_dir.path()).publish({articles[0]}, next);
  const auto live = kb::read_live_generation(kb_dir.path());
  REQUIRE(live);
  CHECK(live->name != gen1.generation);
  const Xapian::Database db(live->path.string());
  CHECK(db.get_metadata(fr_key).empty());
  CHECK(kb::parse_lexicon(db.get_metadata(en_key)).stopwords == std::set<std::string>{"a", "the"});
}
