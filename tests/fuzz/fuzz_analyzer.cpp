// libFuzzer target: the Analyzer (segmentation, normalisation, CJK grams, stemming) on any
// valid UTF-8, in both modes, for languages of every script family the analysis treats
// differently. The first byte picks the language; the rest is the text.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "analyzer.h"
#include "fuzz_check.h"
#include "utf8.h"

namespace {

constexpr std::size_t kMaxTerm = 245 - 3;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::array<const char*, 12> languages = {"en", "de", "fr", "es", "ja", "zh", "ko",
                                                        "th", "ar", "ru", "tr", "und"};
  static std::array<std::unique_ptr<kb::Analyzer>, languages.size()> analyzers;
  if (size == 0) return 0;
  const std::size_t which = data[0] % languages.size();
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  if (kb::find_invalid_utf8(text)) return 0;  // callers check UTF-8 first (importers, HTTP)
  auto& analyzer = analyzers[which];
  if (!analyzer) analyzer = std::make_unique<kb::Analyzer>(languages[which]);

  for (const auto mode : {kb::AnalysisMode::Index, kb::AnalysisMode::Query}) {
    for (const kb::Token& token : analyzer->tokenize(text, mode)) {
      // Offsets index the analysed text (snippets cut it there); terms are valid UTF-8 that
      // fits a Xapian term with the longest field prefix ("ZXQ"; Xapian's limit is 245).
      FUZZ_CHECK(token.begin <= token.end && token.end <= text.size());
      FUZZ_CHECK(!token.text.empty() && !kb::find_invalid_utf8(token.text));
      FUZZ_CHECK(token.text.size() <= kMaxTerm && token.form.size() <= kMaxTerm);
      const std::string stem = analyzer->stem(token);
      FUZZ_CHECK(!stem.empty() && !kb::find_invalid_utf8(stem) && stem.size() <= kMaxTerm);
    }
  }
  FUZZ_CHECK(!kb::find_invalid_utf8(analyzer->fold(text)));
  FUZZ_CHECK(!kb::find_invalid_utf8(analyzer->fold_accents(text)));
  return 0;
}
