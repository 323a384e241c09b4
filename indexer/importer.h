// The importer interface: one implementation per source format, all producing Articles.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "article.h"
#include "content_issue.h"

namespace kb {

struct ImportResult {
  std::vector<Article> articles;
  std::vector<ContentIssue> issues;
};

// Turns the bytes of one source file into articles. Implementations must not throw for bad
// content: every problem becomes a ContentIssue. They must be safe to call from several
// threads at once (no mutable state).
class Importer {
 public:
  virtual ~Importer() = default;
  // Short, stable name ("markdown"), recorded as Article::source_format.
  virtual std::string_view name() const = 0;
  // True if this importer handles the file at `relative_path` (relative to the content root).
  virtual bool accepts(std::string_view relative_path) const = 0;
  // Parses one file. `display_path` is used in issues and as Article::source_path.
  virtual ImportResult import(const std::string& display_path, std::string_view bytes) const = 0;
};

}  // namespace kb
