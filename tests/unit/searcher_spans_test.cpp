// The searcher cuts a hit's snippet from the body's stored spans (docs/schema.md "Body
// spans"), not by analysing the body again: that is what makes snippets cheap, and nothing a
// customer sees tells the two apart, since both give the same snippet. So this test makes
// them differ on purpose: it swaps a stored body for another of the same size and the same
// first and last 32 bytes, which the spans' check cannot tell from the original, and looks at
// which bytes the snippet marks.
#include <doctest/doctest.h>

#include <xapian.h>

#include <string>

#include "builtin_importers.h"
#include "content_loader.h"
#include "document_data.h"
#include "generation.h"
#include "kb_writer.h"
#include "knowledge_base.h"
#include "schema.h"
#include "temp_dir.h"

namespace {

constexpr const char* kHead = "Start here: this opening sentence is long enough. ";
constexpr const char* kTail = " This closing sentence is long enough as well.";

kb::search::SearchResponse search(const kb::test::TempDir& kb_dir, const std::string& q, const std::string& lang) {
  kb::search::KnowledgeBase kb(kb_dir.path(), kb::search::SearchSettings{});
  kb::search::SearchRequest r;
  r.query = q;
  r.lang = lang;
  r.prefix = false;
  return kb.search(r);
}

}  // namespace

TEST_CASE("the searcher cuts snippets from the stored spans, not from the body analysed again") {
  kb::test::TempDir content, kb_dir;
  const std::string body = std::string(kHead) + "Restart the router now." + kTail;
  content.write("en/router.md",
                "---\nid: router\nlang: en\ntitle: Modem lights\nsummary: What the lights mean.\ncategory: internet\n---\n" +
                    body + "\n");
  const kb::plugins::ImporterRegistry registry;
  const auto set = kb::load_content(content.path(), registry.importers());
  REQUIRE(set.ok());
  kb::KnowledgeBaseWriter(kb_dir.path()).publish(set.articles);

  // As built: the snippet marks the word.
  const auto before = search(kb_dir, "router", "en");
  REQUIRE(before.hits.size() == 1);
  CHECK(before.hits[0].snippet.find("<mark>router</mark>") != std::string::npos);

  // The same size and the same ends, two words swapped: the spans still say where
  // "router" was, and the index's positions still say it is the body's third word.
  const auto live = kb::read_live_generation(kb_dir.path());
  REQUIRE(live.has_value());
  {
    Xapian::WritableDatabase db(live->path.string(), Xapian::DB_OPEN);
    REQUIRE(db.get_doccount() == 1);
    const Xapian::docid did = *db.postlist_begin("");
    Xapian::Document doc = db.get_document(did);
    const std::string stored = kb::schema::stored_data(doc);
    const kb::DocumentData data = kb::decode_document_data(stored);
    REQUIRE_FALSE(data.fields.is_discarded());
    REQUIRE(data.fields.contains("body_spans"));
    std::string swapped(data.body_text);
    const auto at = swapped.find("the router");
    REQUIRE(at != std::string::npos);
    swapped.replace(at, 10, "router the");
    doc.add_value(kb::schema::kSlotData, kb::encode_document_data(data.fields, swapped, data.body_markdown));
    db.replace_document(did, doc);
    db.commit();
  }
  // Cut from the spans, the snippet marks the bytes where "router" was ("er the"); an
  // analysis of the stored body would have found and marked "router" where it is now.
  const auto after = search(kb_dir, "router", "en");
  REQUIRE(after.hits.size() == 1);
  CAPTURE(after.hits[0].snippet);
  CHECK(after.hits[0].snippet.find("<mark>er the</mark>") != std::string::npos);
  CHECK(after.hits[0].snippet.find("<mark>router</mark>") == std::string::npos);
}
