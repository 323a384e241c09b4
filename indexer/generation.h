// The on-disk layout of a knowledge base: generations and the live pointer (a Xapian stub).
//
//   KB/live.stub     "auto gen-000042": the live generation, replaced atomically by rename
//   KB/gen-000042/   a complete Xapian (glass) database, never modified while it is live; an
//                    incremental build may recycle a retired one as its starting point
//   KB/.build-*/     a generation being built; never read by servers
//   KB/.lock         held (flock) by the one writer
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace kb {

struct GenerationRef {
  std::string name;             // "gen-000042", also the index_version clients see
  std::filesystem::path path;   // the database folder
};

// The stub file that names the live generation.
std::filesystem::path live_stub_path(const std::filesystem::path& kb_dir);

// The generation the stub names, or nullopt when there is none yet. Throws kb::IndexUnavailable
// if the stub exists but cannot be read or names no generation folder.
std::optional<GenerationRef> read_live_generation(const std::filesystem::path& kb_dir);

// The published generation folders (gen-NNNNNN), oldest first. Never throws.
std::vector<GenerationRef> list_generations(const std::filesystem::path& kb_dir);

}  // namespace kb
