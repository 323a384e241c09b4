// Walks the content folder, dispatches files to importers and checks cross-file rules.
#include "content_loader.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <system_error>
#include <tuple>

#include "errors.h"

namespace kb {
namespace fs = std::filesystem;

namespace {

bool is_hidden(const fs::path& relative) {
  for (const auto& part : relative) {
    const auto s = part.string();
    if (!s.empty() && s[0] == '.' && s != "." && s != "..") return true;
  }
  return false;
}

bool is_within(const fs::path& root, const fs::path& target) {
  auto r = root.begin();
  auto t = target.begin();
  for (; r != root.end(); ++r, ++t) {
    if (t == target.end() || *r != *t) return false;
  }
  return true;
}

}  // namespace

ContentSet load_content(const fs::path& root, const std::vector<const Importer*>& importers,
                        const LoadOptions& options) {
  std::error_code ec;
  if (!fs::is_directory(root, ec)) {
    throw IoError("content folder " + root.string() + " does not exist or is not a folder");
  }
  const fs::path canonical_root = fs::canonical(root, ec);
  if (ec) throw IoError("cannot resolve content folder " + root.string() + ": " + ec.message());

  ContentSet set;
  std::vector<fs::path> files;
  fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec);
  if (ec) throw IoError("cannot read content folder " + root.string() + ": " + ec.message());
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) {
      set.issues.push_back({root.string(), 0, 0, "", "cannot read folder: " + ec.message()});
      break;
    }
    const fs::path relative = it->path().lexically_relative(root);
    const bool skipped_folder =
        std::distance(relative.begin(), relative.end()) == 1 && it->is_directory(ec) &&
        std::find(options.skipped_folders.begin(), options.skipped_folders.end(),
                  relative.string()) != options.skipped_folders.end();
    if (is_hidden(relative) || skipped_folder) {
      if (it->is_directory(ec)) it.disable_recursion_pending();
      continue;
    }
    if (it->is_directory(ec)) continue;
    files.push_back(relative);
  }
  // Deterministic order: the same content always gives the same report and the same index.
  std::sort(files.begin(), files.end());

  std::set<fs::path> seen_targets;
  for (const auto& relative : files) {
    const std::string display = relative.generic_string();
    const Importer* importer = nullptr;
    for (const auto* candidate : importers) {
      if (candidate->accepts(display)) {
        importer = candidate;
        break;
      }
    }
    if (importer == nullptr) continue;

    const fs::path full = root / relative;
    const fs::path target = fs::weakly_canonical(full, ec);
    if (ec || !is_within(canonical_root, target)) {
      set.issues.push_back({display, 0, 0, "", "symbolic link leads outside the content folder"});
      continue;
    }
    // A symlinked duplicate of a file already read is imported once.
    if (!seen_targets.insert(target).second) continue;
    if (!fs::is_regular_file(target, ec)) {
      set.issues.push_back({display, 0, 0, "", "not a regular file"});
      continue;
    }
    const auto size = fs::file_size(target, ec);
    if (ec) {
      set.issues.push_back({display, 0, 0, "", "cannot read file: " + ec.message()});
      continue;
    }
    if (size > options.max_file_bytes) {
      set.issues.push_back({display, 0, 0, "",
                            "file is " + std::to_string(size) + " bytes, more than the limit of " +
                                std::to_string(options.max_file_bytes)});
      continue;
    }
    std::ifstream in(target, std::ios::binary);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    if (!in.good() && !in.eof()) {
      set.issues.push_back({display, 0, 0, "", "cannot read file"});
      continue;
    }
    ++set.files_read;
    ImportResult result = importer->import(display, buffer.str());
    for (auto& issue : result.issues) set.issues.push_back(std::move(issue));
    for (auto& article : result.articles) set.articles.push_back(std::move(article));
  }

  // Cross-file rules.
  std::map<std::pair<std::string, std::string>, std::string> owner;
  std::set<std::string> ids;
  for (const auto& a : set.articles) ids.insert(a.id);
  auto position = [](const Article& a, const std::string& field) {
    auto it = a.field_positions.find(field);
    return it == a.field_positions.end() ? std::make_pair(1, 1) : it->second;
  };
  for (const auto& a : set.articles) {
    auto [pos, inserted] = owner.emplace(std::make_pair(a.id, a.lang), a.source_path);
    if (!inserted) {
      const auto [line, column] = position(a, "id");
      set.issues.push_back({a.source_path, line, column, "id",
                            "duplicate id '" + a.id + "' for language '" + a.lang +
                                "' (also in " + pos->second + ")"});
    }
    for (const auto& rel : a.related) {
      if (!ids.count(rel)) {
        const auto [line, column] = position(a, "related");
        set.issues.push_back({a.source_path, line, column, "related",
                              "related id '" + rel + "' does not exist", Severity::Warning});
      }
    }
  }
  // Issues in file order, then by position, as an editor reads them.
  std::stable_sort(set.issues.begin(), set.issues.end(), [](const ContentIssue& a, const ContentIssue& b) {
    return std::tie(a.path, a.line, a.column) < std::tie(b.path, b.line, b.column);
  });
  return set;
}

}  // namespace kb
