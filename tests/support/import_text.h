// An import's whole result as text (issues, then every field of every article), so that two
// imports compare with == and a difference shows in the failure message. Used where the
// Markdown importer's simple front matter reader is checked against yaml-cpp alone
// (front_matter_test, fuzz_importers).
#pragma once

#include <sstream>
#include <string>
#include <vector>

#include "importer.h"

namespace kb::test {

inline std::string import_text(const ImportResult& r) {
  auto list = [](const std::vector<std::string>& v) {
    std::string out = "[";
    for (const auto& s : v) out += "<" + s + ">";
    return out + "]";
  };
  std::ostringstream out;
  for (const auto& issue : r.issues) out << "issue " << issue.format() << "\n";
  for (const auto& a : r.articles) {
    out << "id <" << a.id << "> lang <" << a.lang << "> title <" << a.title << "> summary <"
        << a.summary << "> questions " << list(a.questions) << " category <" << a.category
        << "> tags " << list(a.tags) << " products " << list(a.products) << " channels "
        << list(a.channels) << " audience " << static_cast<int>(a.audience) << " status "
        << static_cast<int>(a.status) << " updated <" << a.updated << "> related " << list(a.related)
        << " notes " << list(a.internal_notes) << " source <" << a.source_path << "|"
        << a.source_format << ">\nbody <" << a.body_markdown << ">\n";
    for (const auto& [field, at] : a.field_positions) {
      out << "  " << field << " at " << at.first << ":" << at.second << "\n";
    }
  }
  return out.str();
}

}  // namespace kb::test
