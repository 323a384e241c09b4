// Inputs the fuzz targets (tests/fuzz) found to break a contract, kept as regression tests
// in the ordinary suite: each must be imported or reported, never thrown or crashed on.
#include <doctest/doctest.h>

#include <string>
#include <string_view>

#include "builtin_importers.h"

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
    if (std::string_view(c.issue).empty()) {
      CHECK(result.issues.empty());
    } else {
      REQUIRE_FALSE(result.issues.empty());
      CHECK(result.issues.front().message == std::string(c.issue));
    }
  }
}
