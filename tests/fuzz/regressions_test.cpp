// Inputs the fuzz targets (tests/fuzz) found to break a contract, kept as regression tests
// in the ordinary suite: each must be imported or reported, never thrown or crashed on.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <string_view>

#include "analyzer.h"
#include "builtin_importers.h"
#include "lexicon.h"
#include "temp_dir.h"
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
      // nlohmann::json throws out_of_range, not parse_error, for a number beyond a double:
      // it escaped the Zendesk importer.
      {"fuzz_importers", "en/export.json", "3E555", "invalid JSON: number overflow parsing '3E555'"},
      {"fuzz_importers", "en/export.json", "{\"articles\": [{\"id\": 1E400}]}", "invalid JSON: number overflow parsing '1E400'"},
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

TEST_CASE("analysis never gives an empty term (found by fuzzing)") {
  // Thai punctuation followed by a combining vowel: in languages that fold accents the vowel
  // alone was a word that folded to "", and Xapian's "Empty termnames aren't allowed" failed
  // the whole build of any English, French, Spanish or German article quoting such Thai.
  struct Case {
    const char* lang;
    const char* text;
  };
  const Case cases[] = {
      {"es", "\u0e40\u0e25\u0e01\u0e2f\u0e37"},
      {"en", "\u0e40\u0e25\u0e01\u0e2f\u0e37 Thai"},
      {"fr", "a \u0301\u0301 b"},
      {"th", "\u0e40\u0e25\u0e01\u0e2f\u0e37"},
  };
  for (const auto& c : cases) {
    CAPTURE(std::string(c.lang));
    kb::Analyzer analyzer(c.lang);
    for (const auto mode : {kb::AnalysisMode::Index, kb::AnalysisMode::Query}) {
      for (const auto& token : analyzer.tokenize(c.text, mode)) {
        CHECK_FALSE(token.text.empty());
        CHECK_FALSE(analyzer.stem(token).empty());
      }
    }
  }
}

TEST_CASE("lexicon files with a NUL byte are reported; metadata never throws (found by fuzzing)") {
  // yaml-cpp read "- [w,\0N]" as a phrase holding a lone 0x85 byte; serialising the lexicon
  // into the generation then threw, and kb-index ended with an unexpected error.
  kb::test::TempDir dir;
  dir.write("analysis/synonyms/en.yaml", std::string("- [w,\0N]\n", 10));
  dir.write("analysis/stopwords/de.txt", std::string("der\n\0die\n", 9));
  std::vector<kb::ContentIssue> issues;
  const kb::Lexicons lexicons = kb::load_lexicons(dir / "analysis", issues);
  REQUIRE(issues.size() == 2);
  std::vector<std::string> lines;
  for (const auto& i : issues) lines.push_back(i.format());
  std::sort(lines.begin(), lines.end());
  CHECK(lines[0] == "analysis/stopwords/de.txt:2:1: error: binary content (NUL byte)");
  CHECK(lines[1] == "analysis/synonyms/en.yaml:1:6: error: binary content (NUL byte)");
  // Nothing of either file is loaded: no German list at all (the file replaced the built-in
  // one), and English has its built-in stopwords but no synonyms.
  CHECK_FALSE(lexicons.count("de"));
  REQUIRE(lexicons.count("en"));
  CHECK(lexicons.at("en").synonym_groups.empty());

  kb::Lexicon odd;
  odd.stopwords.insert("\x85");
  std::string serialised;
  REQUIRE_NOTHROW(serialised = kb::serialise_lexicon(odd));
  CHECK_FALSE(kb::find_invalid_utf8(serialised));
}
