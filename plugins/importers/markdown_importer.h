// The native format: Markdown with YAML front matter, one article per file.
#pragma once

#include "importer.h"

namespace kb::plugins {

// Reads `*.md` files as documented in docs/content-format.md. Stateless and thread-safe.
class MarkdownImporter final : public Importer {
 public:
  // `simple_front_matter`: read plain front matter without yaml-cpp (the same result, see
  // markdown_importer.cpp); false reads every file with yaml-cpp (tests compare the two).
  explicit MarkdownImporter(bool simple_front_matter = true) : simple_front_matter_(simple_front_matter) {}
  std::string_view name() const override { return "markdown"; }
  bool accepts(std::string_view relative_path) const override;
  ImportResult import(const std::string& display_path, std::string_view bytes) const override;

  // Whether the simple reader reads `front_matter` (the lines between the two '---' lines)
  // itself, rather than leaving it to yaml-cpp. For tests.
  static bool reads_simply(std::string_view front_matter);

 private:
  bool simple_front_matter_;
};

}  // namespace kb::plugins
