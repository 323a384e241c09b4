// Registration of the built-in importers.
#include "builtin_importers.h"

#include "help_center_importer.h"
#include "macro_importer.h"
#include "markdown_importer.h"
#include "qna_importer.h"
#include "zendesk_importer.h"

namespace kb::plugins {

ImporterRegistry::ImporterRegistry() {
  importers_.push_back(std::make_unique<MarkdownImporter>());
  importers_.push_back(std::make_unique<HelpCenterImporter>());
  importers_.push_back(std::make_unique<QnaImporter>());
  importers_.push_back(std::make_unique<ZendeskImporter>());
  importers_.push_back(std::make_unique<MacroImporter>());
}

std::vector<const Importer*> ImporterRegistry::importers() const {
  std::vector<const Importer*> out;
  out.reserve(importers_.size());
  for (const auto& i : importers_) out.push_back(i.get());
  return out;
}

}  // namespace kb::plugins
