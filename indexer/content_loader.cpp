// Walks the content folder, dispatches files to importers and checks cross-file rules.
#include "content_loader.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <unordered_set>
#include <sstream>
#include <system_error>
#include <tuple>

#include "errors.h"
#include "utf8.h"

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

std::vector<ContentFile> list_content_files(const fs::path& root,
                                            const std::vector<const Importer*>& importers,
                                            const LoadOptions& options,
                                            std::vector<ContentIssue>& issues) {
  std::error_code ec;
  if (!fs::is_directory(root, ec)) {
    throw IoError("content folder " + root.string() + " does not exist or is not a folder");
  }
  const fs::path canonical_root = fs::canonical(root, ec);
  if (ec) throw IoError("cannot resolve content folder " + root.string() + ": " + ec.message());

  std::vector<std::pair<fs::path, bool>> files;  // relative path, is a symbolic link
  // A folder that cannot be read is an error, not skipped: its articles would silently
  // vanish from the next generation.
  fs::recursive_directory_iterator it(root, ec);
  if (ec) throw IoError("cannot read content folder " + root.string() + ": " + ec.message());
  fs::path entered = root;  // the entry the next increment() descends into, if a folder
  for (bool first = true;; first = false) {
    // An increment that fails also ends the iteration: check the error before the end.
    if (!first) it.increment(ec);
    if (ec) {
      issues.push_back({entered.lexically_relative(root).generic_string(), 0, 0, "",
                        "cannot read folder: " + ec.message()});
      break;
    }
    if (it == fs::recursive_directory_iterator()) break;
    entered = it->path();
    const fs::path relative = it->path().lexically_relative(root);
    const bool skipped_folder =
        std::distance(relative.begin(), relative.end()) == 1 && it->is_directory(ec) &&
        std::find(options.skipped_folders.begin(), options.skipped_folders.end(),
                  relative.string()) != options.skipped_folders.end();
    if (is_hidden(relative) || skipped_folder) {
      if (it->is_directory(ec)) it.disable_recursion_pending();
      continue;
    }
    if (it->is_directory(ec)) {
      // Linked folders are not followed; one that leads outside is reported like a file.
      if (it->is_symlink(ec) && !is_within(canonical_root, fs::weakly_canonical(it->path(), ec))) {
        issues.push_back({relative.generic_string(), 0, 0, "", "symbolic link leads outside the content folder"});
      }
      continue;
    }
    files.push_back({relative, it->is_symlink(ec)});
  }
  // Deterministic order: the same content always gives the same report and the same index.
  // Folder by folder, as comparing paths component-wise would, but on plain strings with the
  // separator sorting first (component-wise comparison of 100k paths took a second).
  {
    std::vector<std::pair<std::string, std::size_t>> keys;
    keys.reserve(files.size());
    for (std::size_t i = 0; i < files.size(); ++i) {
      std::string key = files[i].first.generic_string();
      std::replace(key.begin(), key.end(), '/', '\x01');
      keys.emplace_back(std::move(key), i);
    }
    std::sort(keys.begin(), keys.end());
    std::vector<std::pair<fs::path, bool>> sorted;
    sorted.reserve(files.size());
    for (const auto& [key, i] : keys) sorted.push_back(std::move(files[i]));
    files = std::move(sorted);
  }

  // The walk does not enter linked folders, so a file that is not a link itself is at
  // canonical_root/relative: only links need resolving (100k files: seconds of syscalls).
  auto resolve = [&](const fs::path& relative, bool link) {
    return link ? fs::weakly_canonical(root / relative, ec) : canonical_root / relative;
  };
  // A symbolic link to a file that is itself in the folder is a duplicate: the file is read
  // under its own name (ids derive from file names), wherever the link sorts.
  std::unordered_set<std::string> real_files;
  for (const auto& [relative, link] : files) {
    if (!link) real_files.insert((canonical_root / relative).native());
  }
  std::vector<ContentFile> out;
  std::unordered_set<std::string> seen_targets;
  for (const auto& [relative, link] : files) {
    const std::string display = relative.generic_string();
    const Importer* importer = nullptr;
    for (const auto* candidate : importers) {
      if (candidate->accepts(display)) {
        importer = candidate;
        break;
      }
    }
    if (importer == nullptr) continue;

    ec.clear();
    const fs::path target = resolve(relative, link);
    if (link && (ec || !is_within(canonical_root, target))) {
      issues.push_back({display, 0, 0, "", "symbolic link leads outside the content folder"});
      continue;
    }
    // A symlinked duplicate of a file already read is imported once.
    if (link && real_files.count(target.native())) continue;
    if (!seen_targets.insert(target.native()).second) continue;
    out.push_back({display, target, importer});
  }
  return out;
}

std::optional<std::string> read_content_file(const ContentFile& file, const LoadOptions& options,
                                             std::vector<ContentIssue>& issues) {
  std::error_code ec;
  if (!fs::is_regular_file(file.full, ec)) {
    issues.push_back({file.path, 0, 0, "", "not a regular file"});
    return std::nullopt;
  }
  const auto size = fs::file_size(file.full, ec);
  if (ec) {
    issues.push_back({file.path, 0, 0, "", "cannot read file: " + ec.message()});
    return std::nullopt;
  }
  if (size > options.max_file_bytes) {
    issues.push_back({file.path, 0, 0, "",
                      "file is " + std::to_string(size) + " bytes, more than the limit of " +
                          std::to_string(options.max_file_bytes)});
    return std::nullopt;
  }
  std::ifstream in(file.full, std::ios::binary);
  if (!in.is_open()) {
    issues.push_back({file.path, 0, 0, "", std::string("cannot read file: ") + std::strerror(errno)});
    return std::nullopt;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (!in.good() && !in.eof()) {
    issues.push_back({file.path, 0, 0, "", "cannot read file"});
    return std::nullopt;
  }
  return buffer.str();
}

ContentSet load_content(const fs::path& root, const std::vector<const Importer*>& importers,
                        const LoadOptions& options) {
  ContentSet set;
  for (const auto& file : list_content_files(root, importers, options, set.issues)) {
    auto bytes = read_content_file(file, options, set.issues);
    if (!bytes) continue;
    ++set.files_read;
    ImportResult result = file.importer->import(file.path, *bytes);
    for (auto& issue : result.issues) set.issues.push_back(std::move(issue));
    for (auto& article : result.articles) set.articles.push_back(std::move(article));
  }
  check_content(set);
  consolidate_variants(set);
  return set;
}

void check_content(ContentSet& set) {
  // Same (id, lang) from two sources of one format: a mistake. From sources of different
  // formats: channel variants of one item, consolidated below.
  std::map<std::tuple<std::string, std::string, std::string>, std::string> owner;
  std::set<std::string> ids;
  for (const auto& a : set.articles) ids.insert(a.id);
  auto position = [](const Article& a, const std::string& field) {
    auto it = a.field_positions.find(field);
    return it == a.field_positions.end() ? std::make_pair(1, 1) : it->second;
  };
  // Filter values and the language become Xapian terms, which hold at most 245 bytes with
  // their prefix: longer ones failed the whole build at write time, with no file named.
  constexpr std::size_t kMaxFilterBytes = 200;
  constexpr std::size_t kMaxLangBytes = 64;
  auto check_size = [&](const Article& a, const char* field, const std::string& value, std::size_t max) {
    if (value.size() <= max) return;
    const auto [line, column] = position(a, field);
    set.issues.push_back({a.source_path, line, column, field,
                          "'" + std::string(utf8_prefix(value, 40)) + "...' is " + std::to_string(value.size()) +
                              " bytes, more than the limit of " + std::to_string(max)});
  };
  for (const auto& a : set.articles) {
    check_size(a, "lang", a.lang, kMaxLangBytes);
    check_size(a, "category", a.category, kMaxFilterBytes);
    for (const auto& t : a.tags) check_size(a, "tags", t, kMaxFilterBytes);
    for (const auto& p : a.products) check_size(a, "products", p, kMaxFilterBytes);
  }
  for (const auto& a : set.articles) {
    auto [pos, inserted] = owner.emplace(std::make_tuple(a.id, a.lang, a.source_format), a.source_path);
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
}

int source_format_rank(const std::string& format) {
  static const std::map<std::string, int> ranks = {
      {"markdown", 0}, {"html", 1}, {"zendesk", 2}, {"qna", 3}, {"macro", 4}};
  auto it = ranks.find(format);
  return it == ranks.end() ? 5 : it->second;
}

namespace {

std::string folded(const std::string& s) {
  std::string out;
  for (char c : s) out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return out;
}

void add_unique(std::vector<std::string>& list, const std::string& value) {
  const std::string f = folded(value);
  for (const auto& v : list) {
    if (folded(v) == f) return;
  }
  list.push_back(value);
}

Article merge(const std::vector<Article>& variants) {
  // variants are sorted canonical-first.
  Article merged = variants.front();
  for (std::size_t i = 1; i < variants.size(); ++i) {
    const Article& v = variants[i];
    if (v.status == Status::Draft) continue;
    if (v.audience == Audience::Internal && merged.audience == Audience::Public) {
      // A macro for a public item: the agents' notes on it, never public text.
      merged.internal_notes.push_back("**" + v.title + "**\n\n" + v.body_markdown);
      for (const auto& n : v.internal_notes) merged.internal_notes.push_back(n);
      continue;
    }
    if (folded(v.title) != folded(merged.title)) add_unique(merged.questions, v.title);
    for (const auto& q : v.questions) {
      if (folded(q) != folded(merged.title)) add_unique(merged.questions, q);
    }
    for (const auto& t : v.tags) add_unique(merged.tags, t);
    for (const auto& p : v.products) add_unique(merged.products, p);
    for (const auto& r : v.related) add_unique(merged.related, r);
    for (const auto& n : v.internal_notes) merged.internal_notes.push_back(n);
    if (merged.channels.empty() || v.channels.empty()) {
      merged.channels.clear();
    } else {
      for (const auto& c : v.channels) add_unique(merged.channels, c);
      std::sort(merged.channels.begin(), merged.channels.end());
    }
    if (merged.category.empty()) merged.category = v.category;
    if (merged.summary.empty()) merged.summary = v.summary;
  }
  return merged;
}

}  // namespace

void consolidate_variants(ContentSet& set) {
  std::map<std::pair<std::string, std::string>, std::vector<std::size_t>> groups;
  for (std::size_t i = 0; i < set.articles.size(); ++i) {
    groups[{set.articles[i].id, set.articles[i].lang}].push_back(i);
  }
  std::vector<bool> drop(set.articles.size(), false);
  for (auto& [key, indices] : groups) {
    if (indices.size() < 2) continue;
    std::vector<Article> variants;
    for (auto i : indices) variants.push_back(set.articles[i]);
    std::stable_sort(variants.begin(), variants.end(), [](const Article& a, const Article& b) {
      // Published public variants first, then by format, then by file.
      const int ka = (a.status == Status::Draft ? 2 : 0) + (a.audience == Audience::Internal ? 1 : 0);
      const int kb = (b.status == Status::Draft ? 2 : 0) + (b.audience == Audience::Internal ? 1 : 0);
      return std::make_tuple(ka, source_format_rank(a.source_format), a.source_path) <
             std::make_tuple(kb, source_format_rank(b.source_format), b.source_path);
    });
    set.articles[indices.front()] = merge(variants);
    for (std::size_t k = 1; k < indices.size(); ++k) drop[indices[k]] = true;
    set.variants[key] = std::move(variants);
  }
  std::vector<Article> kept;
  kept.reserve(set.articles.size());
  for (std::size_t i = 0; i < set.articles.size(); ++i) {
    if (!drop[i]) kept.push_back(std::move(set.articles[i]));
  }
  set.articles = std::move(kept);
}

}  // namespace kb
