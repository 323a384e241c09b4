// Formatting of content issues for terminals, editors and JSON reports.
#include "content_issue.h"

#include <algorithm>

namespace kb {

std::string ContentIssue::format() const {
  std::string out = path;
  if (line > 0) {
    out += ":" + std::to_string(line);
    if (column > 0) out += ":" + std::to_string(column);
  }
  out += severity == Severity::Error ? ": error: " : ": warning: ";
  if (!field.empty()) out += field + ": ";
  out += message;
  return out;
}

bool has_errors(const std::vector<ContentIssue>& issues) {
  return std::any_of(issues.begin(), issues.end(),
                     [](const ContentIssue& i) { return i.severity == Severity::Error; });
}

}  // namespace kb
