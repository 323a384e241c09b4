// Walks the content folder, dispatches files to importers and checks cross-file rules.
#include "content_loader.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>
#include <sstream>
#include <system_error>
#include <tuple>

#include "errors.h"
#include "utf8.h"

namespace kb {
namespace fs = std::filesystem;

namespace {

bool is_within(const fs::path& root, const fs::path& target) {
  auto r = root.begin();
  auto t = target.begin();
  for (; r != root.end(); ++r, ++t) {
    if (t == target.end() || *r != *t) return false;
  }
  return true;
}

std::int64_t mtime_ns(const struct stat& st) {
  return static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000LL + st.st_mtim.tv_nsec;
}

// One file the walk found, relative to the root, with its size and modification time
// (of the target, for a link; -1 when that cannot be read).
struct Found {
  std::string relative;
  bool link = false;
  std::int64_t size = -1, mtime = 0;
};

// The folder walk, on file descriptors: readdir's entry types and fstatat relative to the
// open folder, so that listing 100k files costs one getdents per block and one stat per file
// (std::filesystem's iterator, path arithmetic and stats by full path took a second).
// Hidden entries are skipped, linked folders are not entered (one that leads outside the root
// is reported), and a folder that cannot be read is reported: its articles would otherwise
// silently vanish from the next generation.
class Walker {
 public:
  Walker(const fs::path& root, const fs::path& canonical_root, const LoadOptions& options,
         std::vector<ContentIssue>& issues)
      : root_(root), canonical_root_(canonical_root), options_(options), issues_(issues) {}

  std::vector<Found> run() {
    const int fd = ::open(root_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) throw IoError("cannot read content folder " + root_.string() + ": " + std::strerror(errno));
    walk(fd, "");
    return std::move(found_);
  }

 private:
  void folder_error(const std::string& relative, int error) {
    issues_.push_back({relative, 0, 0, "", std::string("cannot read folder: ") + std::strerror(error)});
  }

  // Walks the open folder `fd` (taken over), whose entries are named `prefix` + name.
  void walk(int fd, const std::string& prefix) {
    const std::string here = prefix.empty() ? "." : prefix.substr(0, prefix.size() - 1);
    DIR* dir = ::fdopendir(fd);
    if (dir == nullptr) {
      const int error = errno;
      ::close(fd);
      folder_error(here, error);
      return;
    }
    std::vector<std::string> folders;
    for (;;) {
      errno = 0;
      const dirent* e = ::readdir(dir);
      if (e == nullptr) {
        if (errno != 0) folder_error(here, errno);
        break;
      }
      const char* name = e->d_name;
      if (name[0] == '.') continue;  // hidden, and "." and ".."
      unsigned char type = e->d_type;
      struct stat st {};
      bool have_stat = false;
      if (type == DT_UNKNOWN || type == DT_REG) {
        if (::fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;  // gone meanwhile
        have_stat = true;
        if (S_ISDIR(st.st_mode)) type = DT_DIR;
        else if (S_ISLNK(st.st_mode)) type = DT_LNK;
        else if (S_ISREG(st.st_mode)) type = DT_REG;
      }
      std::string relative = prefix + name;
      const bool top = prefix.empty();
      auto skipped = [&] {
        return top && std::find(options_.skipped_folders.begin(), options_.skipped_folders.end(), relative) !=
                          options_.skipped_folders.end();
      };
      if (type == DT_DIR) {
        if (!skipped()) folders.push_back(std::move(relative));
        continue;
      }
      if (type == DT_LNK) {
        // Followed: a linked folder is not entered, a linked file is read (resolved later).
        const bool followed = ::fstatat(fd, name, &st, 0) == 0;
        if (followed && S_ISDIR(st.st_mode)) {
          if (skipped()) continue;
          std::error_code ec;
          if (!is_within(canonical_root_, fs::weakly_canonical(root_ / relative, ec))) {
            issues_.push_back({relative, 0, 0, "", "symbolic link leads outside the content folder"});
          }
          continue;
        }
        Found f{std::move(relative), true};
        if (followed) f.size = st.st_size, f.mtime = mtime_ns(st);
        found_.push_back(std::move(f));
        continue;
      }
      Found f{std::move(relative), false};
      if (have_stat) f.size = st.st_size, f.mtime = mtime_ns(st);
      found_.push_back(std::move(f));
    }
    for (const auto& folder : folders) {
      const std::string name = folder.substr(prefix.size());
      const int sub = ::openat(::dirfd(dir), name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (sub < 0) {
        folder_error(folder, errno);
        continue;
      }
      walk(sub, folder + '/');
    }
    ::closedir(dir);
  }

  const fs::path& root_;
  const fs::path& canonical_root_;
  const LoadOptions& options_;
  std::vector<ContentIssue>& issues_;
  std::vector<Found> found_;
};

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

  std::vector<Found> files = Walker(root, canonical_root, options, issues).run();
  // Deterministic order: the same content always gives the same report and the same index.
  // Folder by folder, as comparing paths component-wise would, but on plain strings with the
  // separator sorting first (component-wise comparison of 100k paths took a second).
  {
    std::vector<std::pair<std::string, std::size_t>> keys;
    keys.reserve(files.size());
    for (std::size_t i = 0; i < files.size(); ++i) {
      std::string key = files[i].relative;
      std::replace(key.begin(), key.end(), '/', '\x01');
      keys.emplace_back(std::move(key), i);
    }
    std::sort(keys.begin(), keys.end());
    std::vector<Found> sorted;
    sorted.reserve(files.size());
    for (const auto& [key, i] : keys) sorted.push_back(std::move(files[i]));
    files = std::move(sorted);
  }

  // The walk does not enter linked folders, so a file that is not a link itself is at
  // canonical_root/relative: only links need resolving.
  // A symbolic link to a file that is itself in the folder is a duplicate: the file is read
  // under its own name (ids derive from file names), wherever the link sorts.
  const bool any_link = std::any_of(files.begin(), files.end(), [](const Found& f) { return f.link; });
  std::unordered_set<std::string> real_files, link_targets;
  if (any_link) {
    for (const auto& f : files) {
      if (!f.link) real_files.insert((canonical_root / f.relative).native());
    }
  }
  std::vector<ContentFile> out;
  out.reserve(files.size());
  for (auto& f : files) {
    const Importer* importer = nullptr;
    for (const auto* candidate : importers) {
      if (candidate->accepts(f.relative)) {
        importer = candidate;
        break;
      }
    }
    if (importer == nullptr) continue;
    if (!f.link) {
      fs::path full = canonical_root / f.relative;
      out.push_back({std::move(f.relative), std::move(full), importer, f.size, f.mtime});
      continue;
    }
    ec.clear();
    fs::path target = fs::weakly_canonical(root / f.relative, ec);
    if (ec || !is_within(canonical_root, target)) {
      issues.push_back({f.relative, 0, 0, "", "symbolic link leads outside the content folder"});
      continue;
    }
    // A symlinked duplicate of a file already read is imported once.
    if (real_files.count(target.native())) continue;
    if (!link_targets.insert(target.native()).second) continue;
    out.push_back({std::move(f.relative), std::move(target), importer, f.size, f.mtime});
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

namespace {

// Where a field of `a` starts in its source file; (1, 1) when not recorded.
std::pair<int, int> position_of(const Article& a, const char* field) {
  auto it = a.field_positions.find(field);
  return it == a.field_positions.end() ? std::make_pair(1, 1) : it->second;
}

}  // namespace

ArticleFacts facts_of(const Article& a) {
  ArticleFacts f;
  f.id = a.id;
  f.lang = a.lang;
  f.format = a.source_format;
  f.draft = a.status == Status::Draft;
  f.related = a.related;
  f.id_pos = position_of(a, "id");
  f.related_pos = position_of(a, "related");
  f.path = a.source_path;
  return f;
}

void check_term_sizes(const Article& a, std::vector<ContentIssue>& issues) {
  // Filter values and the language become Xapian terms, which hold at most 245 bytes with
  // their prefix: longer ones failed the whole build at write time, with no file named.
  constexpr std::size_t kMaxFilterBytes = 200;
  constexpr std::size_t kMaxLangBytes = 64;
  auto check_size = [&](const char* field, const std::string& value, std::size_t max) {
    if (value.size() <= max) return;
    const auto [line, column] = position_of(a, field);
    issues.push_back({a.source_path, line, column, field,
                      "'" + std::string(utf8_prefix(value, 40)) + "...' is " + std::to_string(value.size()) +
                          " bytes, more than the limit of " + std::to_string(max)});
  };
  check_size("lang", a.lang, kMaxLangBytes);
  check_size("category", a.category, kMaxFilterBytes);
  for (const auto& t : a.tags) check_size("tags", t, kMaxFilterBytes);
  for (const auto& p : a.products) check_size("products", p, kMaxFilterBytes);
}

void check_facts(const std::vector<ArticleFacts>& facts, std::vector<ContentIssue>& issues) {
  // Same (id, lang) from two sources of one format: a mistake. From sources of different
  // formats: channel variants of one item, consolidated later.
  std::unordered_map<std::string, std::string_view> owner;  // "id\0lang\0format" -> path
  std::unordered_set<std::string_view> ids;
  owner.reserve(facts.size());
  ids.reserve(facts.size());
  for (const auto& f : facts) ids.insert(f.id);
  std::string key;
  for (const auto& f : facts) {
    key.assign(f.id).append(1, '\0').append(f.lang).append(1, '\0').append(f.format);
    auto [pos, inserted] = owner.emplace(key, f.path);
    if (!inserted) {
      issues.push_back({std::string(f.path), f.id_pos.first, f.id_pos.second, "id",
                        "duplicate id '" + f.id + "' for language '" + f.lang + "' (also in " +
                            std::string(pos->second) + ")"});
    }
    for (const auto& rel : f.related) {
      if (!ids.count(rel)) {
        issues.push_back({std::string(f.path), f.related_pos.first, f.related_pos.second, "related",
                          "related id '" + rel + "' does not exist", Severity::Warning});
      }
    }
  }
}

void sort_issues(std::vector<ContentIssue>& issues) {
  std::stable_sort(issues.begin(), issues.end(), [](const ContentIssue& a, const ContentIssue& b) {
    return std::tie(a.path, a.line, a.column) < std::tie(b.path, b.line, b.column);
  });
}

void check_content(ContentSet& set) {
  for (const auto& a : set.articles) check_term_sizes(a, set.issues);
  std::vector<ArticleFacts> facts;
  facts.reserve(set.articles.size());
  for (const auto& a : set.articles) facts.push_back(facts_of(a));
  check_facts(facts, set.issues);
  sort_issues(set.issues);
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
