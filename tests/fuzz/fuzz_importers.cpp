// libFuzzer target: every built-in importer (Markdown with YAML front matter, help-center
// HTML, Q&A tables, Zendesk JSON, macros) on arbitrary bytes. Importers promise never to
// throw for bad content and to report issues with a position inside the file.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "builtin_importers.h"
#include "fuzz_check.h"
#include "import_text.h"
#include "markdown_importer.h"
#include "utf8.h"

namespace {

// A file name each importer accepts, from the extensions the registry's importers know.
std::string name_for(const kb::Importer& importer) {
  for (const char* name : {"en/fuzz.md", "en/fuzz.html", "en/fuzz.htm", "en/fuzz.tsv", "en/fuzz.csv",
                           "en/fuzz.json", "en/fuzz.yaml", "en/fuzz.yml", "en/fuzz.xml", "en/fuzz.txt"}) {
    if (importer.accepts(name)) return name;
  }
  return "";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const kb::plugins::ImporterRegistry registry;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  for (const kb::Importer* importer : registry.importers()) {
    const std::string name = name_for(*importer);
    if (name.empty()) continue;
    const kb::ImportResult result = importer->import(name, bytes);
    for (const auto& issue : result.issues) {
      FUZZ_CHECK(issue.line >= 0 && issue.column >= 0);
      FUZZ_CHECK(!issue.message.empty());
    }
    // What an importer accepts is indexed and shown: it must be valid UTF-8 with an id.
    if (!kb::has_errors(result.issues)) {
      for (const auto& a : result.articles) {
        FUZZ_CHECK(!a.id.empty() && !a.lang.empty());
        FUZZ_CHECK(!kb::find_invalid_utf8(a.title) && !kb::find_invalid_utf8(a.summary) &&
              !kb::find_invalid_utf8(a.body_markdown));
      }
    }
  }
  static const kb::plugins::MarkdownImporter simple_reader;
  static const kb::plugins::MarkdownImporter yaml_cpp_only(false);
  // The simple front matter reader gives exactly what yaml-cpp alone gives
  // (tests/unit/front_matter_test.cpp).
  FUZZ_CHECK(kb::test::import_text(simple_reader.import("en/fuzz.md", bytes)) ==
             kb::test::import_text(yaml_cpp_only.import("en/fuzz.md", bytes)));
  return 0;
}
