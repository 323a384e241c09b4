// Inputs the fuzz targets (tests/fuzz) found to break a contract, kept as regression tests
// in the ordinary suite: each must be imported or reported, never thrown or crashed on.
#include <doctest/doctest.h>

#include <string>
#include <string_view>

#include "builtin_importers.h"
#include "utf8.h"

namespace {

struct Case {
  const char* found_by;
  const char* file;   // the name decides the importer
  std::string_view bytes;
  const char* issue;  // the first issue's message, or "" for an import without issues
};

}  // namespace

TEST_CASE("inputs found by fuzzing are reported, not thrown") {
  static const Case cases[] = {
      // libxml2 leaves "B" and the <h1> beside the root element; only the root's subtree is
      // numbered, and the heading lookup threw std::out_of_range out of the importer.
      {"fuzz_importers", "en/page.html", "<!DOCTYPE>B<h1", "no question found (no heading with an id or anchor): page skipped"},
      // Invalid UTF-8 with the word "charset" somewhere goes to libxml2, which passed the
      // byte after an '&' through: the article had invalid UTF-8 in its body.
      {"fuzz_importers", "en/page.html", "charset<h2 id=l>h<li>&\x98",
       "the text is not valid UTF-8 after decoding the page: declare its charset (<meta charset=\"...\">)"},
  };
  const kb::plugins::ImporterRegistry registry;
  for (const auto& c : cases) {
    INFO(c.found_by << " " << c.file);
    const kb::Importer* importer = nullptr;
    for (const auto* i : registry.importers()) {
      if (!importer && i->accepts(c.file)) importer = i;
    }
    REQUIRE(importer != nullptr);
    kb::ImportResult result;
    REQUIRE_NOTHROW(result = importer->import(c.file, c.bytes));
    for (const auto& a : result.articles) {
      CHECK_FALSE(kb::find_invalid_utf8(a.title + a.summary + a.body_markdown + a.category));
    }
    if (std::string_view(c.issue).empty()) {
      CHECK(result.issues.empty());
    } else {
      REQUIRE_FALSE(result.issues.empty());
      CHECK(result.issues.front().message == std::string(c.issue));
    }
  }
}
