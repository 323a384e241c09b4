// A problem found in a content file, located by file, line, column and field.
#pragma once

#include <string>
#include <vector>

namespace kb {

enum class Severity { Error, Warning };

struct ContentIssue {
  std::string path;   // as given to the loader (relative to the content root where possible)
  int line = 0;       // 1-based; 0 when the problem concerns the whole file
  int column = 0;     // 1-based; 0 when unknown
  std::string field;  // front-matter field, or empty
  std::string message;
  Severity severity = Severity::Error;

  // "path:line:column: error: field: message", the form compilers and editors understand.
  std::string format() const;
};

bool has_errors(const std::vector<ContentIssue>& issues);

}  // namespace kb
