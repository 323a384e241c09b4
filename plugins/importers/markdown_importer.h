// The native format: Markdown with YAML front matter, one article per file.
#pragma once

#include "importer.h"

namespace kb::plugins {

// Reads `*.md` files as documented in docs/content-format.md. Stateless and thread-safe.
class MarkdownImporter final : public Importer {
 public:
  std::string_view name() const override { return "markdown"; }
  bool accepts(std::string_view relative_path) const override;
  ImportResult import(const std::string& display_path, std::string_view bytes) const override;
};

}  // namespace kb::plugins
