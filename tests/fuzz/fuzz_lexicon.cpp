// libFuzzer target: the lexicon loader (stopword lists and synonym YAML, read from files as
// kb-index reads content/analysis) and the lexicon metadata parser the server reads back.
// The same bytes are written as a stopword list and as a synonym file. Loading never throws;
// what is loaded survives the round trip through generation metadata unchanged.
#include <stdlib.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "fuzz_check.h"
#include "lexicon.h"

namespace {

namespace fs = std::filesystem;

// One folder for the whole run, removed at exit.
struct AnalysisFolder {
  fs::path root;
  AnalysisFolder() {
    std::string pattern = (fs::temp_directory_path() / "kb-fuzz-lexicon-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) std::abort();
    root = pattern;
    fs::create_directories(root / "analysis/stopwords");
    fs::create_directories(root / "analysis/synonyms");
  }
  ~AnalysisFolder() {
    std::error_code ec;
    fs::remove_all(root, ec);
  }
};

void write(const fs::path& path, const std::uint8_t* data, std::size_t size) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const AnalysisFolder folder;
  const fs::path dir = folder.root / "analysis";
  write(dir / "stopwords/en.txt", data, size);
  write(dir / "synonyms/de-ch.yaml", data, size);

  std::vector<kb::ContentIssue> issues;
  const kb::Lexicons lexicons = kb::load_lexicons(dir, issues);
  for (const auto& issue : issues) FUZZ_CHECK(!issue.message.empty() && issue.line >= 0);
  for (const auto& [lang, lexicon] : lexicons) {
    const kb::Lexicon back = kb::parse_lexicon(kb::serialise_lexicon(lexicon));
    FUZZ_CHECK(back.stopwords == lexicon.stopwords && back.synonym_groups == lexicon.synonym_groups);
  }

  // Metadata of a generation is trusted less than that: any bytes give a lexicon or none.
  (void)kb::parse_lexicon(std::string(reinterpret_cast<const char*>(data), size));
  return 0;
}
