// Help-center HTML pages: one article per question heading (docs/importers.md).
#pragma once

#include "importer.h"

namespace kb::plugins {

// Reads `*.html` and `*.htm` files. Each anchored question heading becomes an article with
// id "<page>.<anchor>" (or the heading's data-kb-id), so translations of a page in other
// language folders share ids. Language: <html lang>, else a language folder ("de/"), else a
// file-name suffix ("faq.de.html"). Stateless and thread-safe.
class HelpCenterImporter final : public Importer {
 public:
  std::string_view name() const override { return "html"; }
  bool accepts(std::string_view relative_path) const override;
  ImportResult import(const std::string& display_path, std::string_view bytes) const override;
};

}  // namespace kb::plugins
