// Loads a content folder through the importers and checks the set as a whole.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "article.h"
#include "content_issue.h"
#include "importer.h"

namespace kb {

struct ContentSet {
  std::vector<Article> articles;  // every article found, drafts included
  std::vector<ContentIssue> issues;
  std::size_t files_read = 0;
  bool ok() const { return !has_errors(issues); }
};

struct LoadOptions {
  std::size_t max_file_bytes = 8u << 20;  // larger files are rejected, not truncated
  // Top-level folders that hold no articles (language resources, see lexicon.h).
  std::vector<std::string> skipped_folders = {"analysis"};
};

// Reads every regular file under `root` that an importer accepts (hidden files and folders are
// skipped), then checks the whole set: duplicate (id, lang) pairs are errors, `related` ids
// that do not exist are warnings. Symbolic links that lead outside `root` are errors.
// Never throws for bad content; throws kb::IoError if `root` is not a readable folder.
// Thread-safe if the importers are.
ContentSet load_content(const std::filesystem::path& root,
                        const std::vector<const Importer*>& importers,
                        const LoadOptions& options = {});

}  // namespace kb
