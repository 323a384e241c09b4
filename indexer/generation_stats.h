// Counts of a published generation, for editors (GET /v1/admin/index).
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "generation.h"

namespace kb {

struct GenerationStats {
  std::string generation;
  std::string built_at;
  std::uint64_t documents = 0;                       // article-language records
  std::map<std::string, std::uint64_t> languages;    // lang -> documents
  std::map<std::string, std::uint64_t> channels;     // channel -> documents visible on it
  std::map<std::string, std::uint64_t> audiences;    // public / internal -> documents
};

// Reads the counts from the generation's terms. Throws kb::IndexUnavailable if it cannot
// be opened. Thread-safe (opens its own database).
GenerationStats read_generation_stats(const GenerationRef& generation);

}  // namespace kb
