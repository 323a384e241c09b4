// The importers compiled into kb-index, in the order they are asked to accept a file.
#pragma once

#include <memory>
#include <vector>

#include "importer.h"

namespace kb::plugins {

class ImporterRegistry {
 public:
  ImporterRegistry();  // registers the built-in importers
  // Non-owning pointers, valid while the registry lives.
  std::vector<const Importer*> importers() const;

 private:
  std::vector<std::unique_ptr<Importer>> importers_;
};

}  // namespace kb::plugins
