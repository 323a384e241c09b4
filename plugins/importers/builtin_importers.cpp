// Registration of the built-in importers.
#include "builtin_importers.h"

#include "markdown_importer.h"

namespace kb::plugins {

ImporterRegistry::ImporterRegistry() { importers_.push_back(std::make_unique<MarkdownImporter>()); }

std::vector<const Importer*> ImporterRegistry::importers() const {
  std::vector<const Importer*> out;
  out.reserve(importers_.size());
  for (const auto& i : importers_) out.push_back(i.get());
  return out;
}

}  // namespace kb::plugins
