// Help-desk exports: Zendesk Help Center article JSON (docs/importers.md).
#pragma once

#include "importer.h"

namespace kb::plugins {

// Reads `*.json` files shaped like Zendesk's Help Center API answer: {"articles": [{id,
// locale, title, body (HTML), label_names, section_id, draft, updated_at, source_locale}]},
// optionally with "sections": [{id, name}] for category names. The knowledge id is
// "zendesk.<article id>" (so translations, which share the article id, link), or the value
// of a label "kb:<id>". Stateless and thread-safe.
class ZendeskImporter final : public Importer {
 public:
  std::string_view name() const override { return "zendesk"; }
  bool accepts(std::string_view relative_path) const override;
  ImportResult import(const std::string& display_path, std::string_view bytes) const override;
};

}  // namespace kb::plugins
