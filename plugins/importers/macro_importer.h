// Agent macros and snippets as YAML (docs/importers.md).
#pragma once

#include "importer.h"

namespace kb::plugins {

// Reads `*.yaml` and `*.yml` files holding `macros:` and/or `snippets:` lists (or a bare
// list) of {title, text, id?, lang?, tags?, category?, audience?, updated?}. Macros are
// internal by default and shown on the agent channel only; an id shared with a public item
// makes the macro that item's agent notes. Stateless and thread-safe.
class MacroImporter final : public Importer {
 public:
  std::string_view name() const override { return "macro"; }
  bool accepts(std::string_view relative_path) const override;
  ImportResult import(const std::string& display_path, std::string_view bytes) const override;
};

}  // namespace kb::plugins
