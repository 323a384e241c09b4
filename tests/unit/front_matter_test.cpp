// MarkdownImporter's simple front matter reader against yaml-cpp alone: the same articles and
// the same issues, on the bundled content, the fixtures, and front matter written to sit on
// either side of what the simple reader reads.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "import_text.h"
#include "markdown_importer.h"

namespace fs = std::filesystem;
using kb::test::import_text;
using kb::plugins::MarkdownImporter;

namespace {

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The lines between the file's two '---' lines.
std::string front_matter_of(const std::string& file) {
  if (file.rfind("---\n", 0) != 0) return "";
  const auto close = file.find("\n---\n", 3);
  return close == std::string::npos ? "" : file.substr(4, close - 3);
}

const MarkdownImporter simple_reader;
const MarkdownImporter yaml_cpp_only(false);

}  // namespace

TEST_CASE("the bundled content and the fixtures import the same with either reader") {
  std::size_t files = 0, simple = 0;
  for (const char* root : {KB_CONTENT, KB_FIXTURES}) {
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
      if (!entry.is_regular_file() || entry.path().extension() != ".md") continue;
      const std::string bytes = read_file(entry.path());
      const std::string name = entry.path().filename().string();
      CAPTURE(entry.path().string());
      CHECK(import_text(simple_reader.import(name, bytes)) == import_text(yaml_cpp_only.import(name, bytes)));
      ++files;
      if (MarkdownImporter::reads_simply(front_matter_of(bytes))) ++simple;
    }
  }
  CHECK(files > 150);
  // The bundled articles are written the usual way: the simple reader reads nearly all.
  CHECK(simple * 10 >= files * 9);
}

// KB_FRONT_MATTER_CORPUS=<folder>: the same comparison over up to 20,000 .md files of another
// content folder (a kb-bench-corpus corpus, say); skipped without it.
TEST_CASE("another content folder imports the same with either reader") {
  const char* root = std::getenv("KB_FRONT_MATTER_CORPUS");
  if (root == nullptr || *root == '\0') return;
  std::size_t files = 0, simple = 0;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".md") continue;
    const std::string bytes = read_file(entry.path());
    CAPTURE(entry.path().string());
    CHECK(import_text(simple_reader.import("a.md", bytes)) == import_text(yaml_cpp_only.import("a.md", bytes)));
    if (MarkdownImporter::reads_simply(front_matter_of(bytes))) ++simple;
    if (++files == 20000) break;
  }
  MESSAGE(files << " files, " << simple << " read by the simple reader");
}

TEST_CASE("front matter at the edges of the simple reader") {
  const std::string base = "id: reset-password\nlang: en\ncategory: account\n";
  struct Case {
    std::string front_matter;  // after `base`
    bool simple;               // whether the simple reader reads it itself
  };
  const std::vector<Case> cases = {
      {"title: Reset\nsummary: Use the link.\n", true},
      {"title: \"Reset: now\"\nsummary: 'It''s easy'\n", true},
      {"title: C# and C++\nsummary: a, b and c]\n", true},
      {"title: Reset   \nsummary: Wählen Sie „Passwort vergessen\".\n", true},
      {"title: Reset\nsummary: x\ntags: []\nproducts: [a, \"b c\", 'd']\n", true},
      {"title: Reset\nsummary: x\nquestions:\n- one\n- two\n", true},
      {"title: Reset\nsummary: x\nquestions:\n  - one\n\n  - \"two: 2\"\n# a comment\nrelated: ~\n", true},
      {"# a comment\ntitle: Reset\n\nsummary: x\ntags: billing\nupdated: 2026-02-30\n", true},
      {"title: Reset\nsummary: x\naudience: everyone\n", true},
      {"title: Reset\nsummary: x\nstatus: draft\nchannels: [web, chat]\n", true},
      {"title: Reset\nsummary: x\nunknown: 1\n", true},
      {"title: Reset\nsummary:\n", true},
      {"title: Reset\nsummary: null\n", true},
      {"title: Reset\nsummary: x\ntags: [a, ~]\n", false},
      {"title: Re\x01set\x7f\nsummary: x\x0b y\x0c\n", false},
      {"title: \"Re\x01set\"\nsummary: '\x1b'\ntags: [a\x02]\n", false},
      {"title: Re\xEF\xBB\xBFset\nsummary: x\xC2\x85y\xE2\x80\xA8z\n", false},
      {"title: Reset\nsummary: x\ntags: [cte ?** call, contract]\n", false},
      {"title: Reset\nsummary: x\ntags: [a*, b!, c&d, e|f, g>h, 100%, x@y]\n", false},
      {"title: Reset ?** call\nsummary: a *b &c !d |e >f %g @h `i\n", true},
      {"title: \"Reset \\\"now\\\"\"\nsummary: x\n", false},
      {"title: Reset # the title\nsummary: x\n", false},
      {"title: Reset\nsummary: >\n  folded\n  text\n", false},
      {"title: Reset\nsummary: first line\n  goes on\n", false},
      {"title: Reset\nsummary: x\ntags: [a, [b]]\n", false},
      {"title: &t Reset\nsummary: *t\n", false},
      {"title: Reset\ntitle: Again\nsummary: x\n", false},
      {"title: Reset\nsummary: x\nquestions:\n\t- one\n", false},
      {"title: Reset\nsummary: x\nquestions:\n  - a: b\n", false},
      {"title: Reset\nsummary: x\nquestions:\n  - one\n    - two\n", false},
      {"title: Reset\nsummary: x\nquestions:\n  -\n", false},
      {"title:Reset\nsummary: x\n", false},
      {"title: Reset\nsummary: x\n\"quoted key\": y\n", false},
      {"title: 'not closed\nsummary: x\n", false},
      {"title: Reset\nsummary: x\ntags: [a, b\n", false},
      {"title: Reset\nsummary: x\ntags: [a,, b]\n", false},
      {"title: Reset\nsummary: - x\n", false},
      {"title: Reset\nsummary: x\n- stray\n", false},
  };
  for (const auto& c : cases) {
    const std::string front_matter = base + c.front_matter;
    const std::string file = "---\n" + front_matter + "---\nThe body.\n";
    CAPTURE(front_matter);
    CHECK(MarkdownImporter::reads_simply(front_matter) == c.simple);
    CHECK(import_text(simple_reader.import("a.md", file)) == import_text(yaml_cpp_only.import("a.md", file)));
  }
}
