// One build of a knowledge base from a content folder, incremental when it can be.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "content_loader.h"
#include "importer.h"
#include "kb_writer.h"

namespace kb {

struct BuildOptions {
  // Reuse the documents of files that did not change (same size and modification time, or
  // else the same content hash; the manifest kb-manifest.tsv in each generation records
  // them and what each file gave). The build starts from the newest retired generation when
  // old ones are kept (brought up to date in place: no copy of the base), else from a copy
  // of the live one. Without a usable generation or manifest the build is complete.
  bool incremental = true;
  LoadOptions load;
  int keep_old_generations = 2;  // retired generations kept besides the live one
  // Called after each changed article is analysed: (done, total). May be empty.
  std::function<void(std::size_t, std::size_t)> progress;
};

struct BuildTimings {
  double read_ms = 0;     // listing, reading and hashing every file
  double import_ms = 0;   // importing changed files, checks and consolidation
  double write_ms = 0;    // analysis and the new generation
  double total_ms = 0;
};

struct BuildResult {
  bool published = false;                 // false: content errors, nothing was written
  std::vector<ContentIssue> issues;
  std::size_t files = 0;                  // files read
  std::size_t files_imported = 0;         // files parsed (changed, new, or sharing an item with one)
  std::size_t articles = 0;               // (id, lang) items, drafts included
  std::size_t drafts = 0;
  bool incremental = false;               // the new generation reused an earlier one's documents
  std::string base_generation;            // incremental: the generation it started from
  bool recycled = false;                  // incremental: that (retired) generation was moved, not copied
  std::size_t documents_written = 0;      // documents analysed and written
  std::size_t documents_removed = 0;      // items replaced or removed
  PublishResult publish;                  // when published
  BuildTimings timings;
};

// Reads `content_dir` through `importers` and, when there is no content error, publishes a
// new generation of `kb_dir` (KnowledgeBaseWriter): the live generation is replaced only by
// a complete one. Content errors are returned, not thrown. Throws kb::IoError for a missing
// content folder or a failing disk and kb::IndexUnavailable ("index_locked") while another
// build runs. Not thread-safe for one kb_dir (the writer's lock makes a second build fail).
BuildResult build_knowledge_base(const std::filesystem::path& content_dir, const std::filesystem::path& kb_dir,
                                 const std::vector<const Importer*>& importers,
                                 const BuildOptions& options = {});

// The file name of the manifest inside a generation.
inline constexpr const char* kManifestFile = "kb-manifest.tsv";

}  // namespace kb
