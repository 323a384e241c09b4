// The incremental build: find the files that changed (size and modification time first, the
// content hash when they differ), import only those (plus the files that share an item with
// a changed one), check the whole set with lightweight stand-ins for the unchanged files,
// and publish a generation with only the touched items rewritten: a retired generation
// brought up to date when there is one, else a copy of the live one.
#include "build_pipeline.h"

#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <tuple>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "errors.h"
#include "generation.h"
#include "lexicon.h"
#include "schema.h"

namespace kb {
namespace fs = std::filesystem;

namespace {

using json = nlohmann::json;
using Clock = std::chrono::steady_clock;
using Key = std::pair<std::string, std::string>;  // (id, lang)

constexpr int kManifestFormat = 2;

double ms_since(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

std::string hash_hex(std::string_view bytes) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

// What a file gave, as the manifest keeps it: enough for the checks across files.
json article_entry(const Article& a) {
  json e = {{"id", a.id},
            {"lang", a.lang},
            {"format", a.source_format},
            {"draft", a.status == Status::Draft}};
  if (!a.related.empty()) e["related"] = a.related;
  for (const char* field : {"id", "related"}) {
    auto it = a.field_positions.find(field);
    if (it != a.field_positions.end()) e["pos"][field] = {it->second.first, it->second.second};
  }
  return e;
}

Article stand_in(const json& e, const std::string& path) {
  Article a;
  a.id = e.value("id", "");
  a.lang = e.value("lang", "");
  a.source_format = e.value("format", "");
  a.source_path = path;
  a.status = e.value("draft", false) ? Status::Draft : Status::Published;
  if (e.contains("related")) a.related = e["related"].get<std::vector<std::string>>();
  if (e.contains("pos")) {
    for (const auto& [field, p] : e["pos"].items()) a.field_positions[field] = {p[0].get<int>(), p[1].get<int>()};
  }
  return a;
}

json issue_entry(const ContentIssue& i) {
  return {{"line", i.line}, {"column", i.column}, {"field", i.field}, {"message", i.message},
          {"warning", i.severity == Severity::Warning}};
}

ContentIssue issue_from(const json& e, const std::string& path) {
  return {path, e.value("line", 0), e.value("column", 0), e.value("field", ""), e.value("message", ""),
          e.value("warning", false) ? Severity::Warning : Severity::Error};
}

// The manifest, one line per content file after a header line, so that a build copies the
// lines of unchanged files as they are and parses a line's tail only when it needs it:
//   {"format":2,"schema":"...","started_ns":N}
//   <path, a JSON string>\t<hash>\t<size>\t<mtime ns>\t{"articles":[...],"issues":[...]}
// (One JSON document for 100k files cost seconds to parse, copy, write and free.)
struct ManifestEntry {
  std::string hash;
  std::int64_t size = -1, mtime = 0;
  std::string tail;  // {"articles": [...], "issues": [...]}
};

struct Manifest {
  std::int64_t started_ns = 0;
  std::unordered_map<std::string, ManifestEntry> files;
};

std::string manifest_line(const std::string& path, const std::string& hash, std::int64_t size,
                          std::int64_t mtime, const std::string& tail) {
  return json(path).dump() + '\t' + hash + '\t' + std::to_string(size) + '\t' + std::to_string(mtime) +
         '\t' + tail + '\n';
}

std::optional<Manifest> read_manifest(const fs::path& generation_dir) {
  std::ifstream in(generation_dir / kManifestFile, std::ios::binary);
  if (!in) return std::nullopt;
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::string_view rest(text);
  auto next_line = [&rest]() {
    const auto nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    return line;
  };
  const json header = json::parse(next_line(), nullptr, false);
  if (!header.is_object() || header.value("format", 0) != kManifestFormat ||
      header.value("schema", "") != schema::kSchemaVersion) {
    return std::nullopt;
  }
  Manifest m;
  m.started_ns = header.value("started_ns", std::int64_t{0});
  m.files.reserve(text.size() / 128);
  while (!rest.empty()) {
    const std::string_view line = next_line();
    if (line.empty()) continue;
    std::string_view field[5];
    std::string_view r = line;
    for (int i = 0; i < 4; ++i) {
      const auto tab = r.find('\t');
      if (tab == std::string_view::npos) return std::nullopt;  // damaged: build in full
      field[i] = r.substr(0, tab);
      r = r.substr(tab + 1);
    }
    field[4] = r;
    std::string path;
    if (field[0].size() >= 2 && field[0].front() == '"' && field[0].back() == '"' &&
        field[0].find('\\') == std::string_view::npos) {
      path = field[0].substr(1, field[0].size() - 2);
    } else {
      const json p = json::parse(field[0], nullptr, false);
      if (!p.is_string()) return std::nullopt;
      path = p.get<std::string>();
    }
    ManifestEntry e;
    e.hash = field[1];
    try {
      e.size = std::stoll(std::string(field[2]));
      e.mtime = std::stoll(std::string(field[3]));
    } catch (const std::exception&) {
      return std::nullopt;
    }
    e.tail = field[4];
    m.files.emplace(std::move(path), std::move(e));
  }
  return m;
}

// The generation an incremental build starts from, with its manifest: the newest retired
// generation with a usable manifest when old generations are kept (it is recycled: one
// build behind, it catches up on the last build's changes too, without a copy of the whole
// base), else the live one (copied). Nullopt when there is none usable.
std::optional<Manifest> load_manifest(const fs::path& kb_dir, int keep_old_generations,
                                      std::string& generation, bool& recycle) {
  std::optional<GenerationRef> live;
  try {
    live = read_live_generation(kb_dir);
  } catch (const Error&) {
    return std::nullopt;
  }
  if (!live) return std::nullopt;
  if (keep_old_generations > 0) {
    // The newest retired generation: the fewest changes to catch up on.
    const auto all = list_generations(kb_dir);
    auto g = std::find_if(all.rbegin(), all.rend(), [&](const GenerationRef& r) { return r.name == live->name; });
    for (g = g == all.rend() ? g : std::next(g); g != all.rend(); ++g) {
      auto m = read_manifest(g->path);
      if (!m) continue;
      generation = g->name;
      recycle = true;
      return m;
    }
  }
  auto m = read_manifest(live->path);
  if (!m) return std::nullopt;
  generation = live->name;
  recycle = false;
  return m;
}

// Size and modification time (ns) of a file, or nullopt.
std::optional<std::pair<std::int64_t, std::int64_t>> stat_file(const fs::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  return std::make_pair(static_cast<std::int64_t>(st.st_size),
                        static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000LL + st.st_mtim.tv_nsec);
}

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// A file written less than this before a build started may change again within the same
// clock tick without its time changing: its content is always hashed ("racily clean").
constexpr std::int64_t kRacyNs = 2'000'000'000LL;

struct FileState {
  ContentFile file;
  std::string hash;
  std::int64_t size = -1, mtime = 0;
  const ManifestEntry* recorded = nullptr;  // unchanged: its manifest entry
  bool imported = false;
  std::vector<Article> articles;       // full when imported, stand-ins otherwise
  std::vector<ContentIssue> issues;    // the importer's issues
};

}  // namespace

BuildResult build_knowledge_base(const fs::path& content_dir, const fs::path& kb_dir,
                                 const std::vector<const Importer*>& importers, const BuildOptions& options) {
  const auto started = Clock::now();
  BuildResult result;
  std::vector<ContentIssue> issues;

  std::string base_generation;
  bool recycle = false;
  const std::int64_t build_started = now_ns();
  const std::optional<Manifest> manifest =
      options.incremental ? load_manifest(kb_dir, options.keep_old_generations, base_generation, recycle)
                          : std::nullopt;
  const std::int64_t manifest_started = manifest ? manifest->started_ns : 0;

  // Find the changed files (same size and time as recorded: unchanged; else read and
  // hashed) and import them.
  auto t = Clock::now();
  std::vector<FileState> files;
  for (auto& file : list_content_files(content_dir, importers, options.load, issues)) {
    FileState state;
    const ManifestEntry* recorded = nullptr;
    if (manifest) {
      auto it = manifest->files.find(file.path);
      if (it != manifest->files.end()) recorded = &it->second;
    }
    if (const auto st = stat_file(file.full)) std::tie(state.size, state.mtime) = *st;
    if (recorded && state.size >= 0 && recorded->size == state.size && recorded->mtime == state.mtime &&
        state.mtime + kRacyNs < manifest_started) {
      state.recorded = recorded;
      state.hash = recorded->hash;
      state.file = std::move(file);
    } else {
      auto bytes = read_content_file(file, options.load, issues);
      if (!bytes) continue;
      state.file = std::move(file);
      state.hash = hash_hex(*bytes);
      if (recorded && recorded->hash == state.hash) {
        state.recorded = recorded;
      } else {
        ImportResult r = state.file.importer->import(state.file.path, *bytes);
        state.imported = true;
        state.articles = std::move(r.articles);
        state.issues = std::move(r.issues);
      }
    }
    if (state.recorded) {
      const json tail = json::parse(state.recorded->tail, nullptr, false);
      if (tail.is_object()) {
        for (const auto& e : tail.value("articles", json::array())) state.articles.push_back(stand_in(e, state.file.path));
        for (const auto& e : tail.value("issues", json::array())) state.issues.push_back(issue_from(e, state.file.path));
      }
    }
    files.push_back(std::move(state));
  }
  result.timings.read_ms = ms_since(t);
  t = Clock::now();

  // Items to rewrite: those a changed, new or removed file gave before or gives now.
  std::set<Key> dirty;
  const bool incremental = manifest.has_value();
  if (incremental) {
    std::unordered_map<std::string, bool> imported;  // path -> parsed again
    for (const auto& f : files) imported[f.file.path] = f.imported;
    for (const auto& [path, entry] : manifest->files) {
      auto it = imported.find(path);
      if (it != imported.end() && !it->second) continue;  // unchanged
      const json tail = json::parse(entry.tail, nullptr, false);
      if (!tail.is_object()) continue;
      for (const auto& e : tail.value("articles", json::array())) dirty.insert({e.value("id", ""), e.value("lang", "")});
    }
    for (const auto& f : files) {
      if (!f.imported) continue;
      for (const auto& a : f.articles) dirty.insert({a.id, a.lang});
    }
    // Unchanged files that give a variant of a touched item are imported again, so the item
    // is consolidated from all its sources.
    for (auto& f : files) {
      if (f.imported) continue;
      const bool touches = std::any_of(f.articles.begin(), f.articles.end(),
                                       [&](const Article& a) { return dirty.count({a.id, a.lang}) > 0; });
      if (!touches) continue;
      std::vector<ContentIssue> read_issues;
      auto bytes = read_content_file(f.file, options.load, read_issues);
      if (!bytes) {
        for (auto& i : read_issues) issues.push_back(std::move(i));
        continue;
      }
      ImportResult r = f.file.importer->import(f.file.path, *bytes);
      f.imported = true;
      f.articles = std::move(r.articles);
      f.issues = std::move(r.issues);
    }
  }

  ContentSet set;
  set.issues = std::move(issues);
  for (const auto& f : files) {
    ++result.files;
    result.files_imported += f.imported;
    for (const auto& i : f.issues) set.issues.push_back(i);
    for (const auto& a : f.articles) set.articles.push_back(a);
  }
  set.files_read = result.files;
  check_content(set);
  Lexicons lexicons = load_lexicons(content_dir / "analysis", set.issues);
  {
    std::map<Key, bool> all_draft;
    for (const auto& a : set.articles) {
      auto [it, inserted] = all_draft.emplace(Key{a.id, a.lang}, a.status == Status::Draft);
      if (!inserted) it->second = it->second && a.status == Status::Draft;
    }
    result.articles = all_draft.size();
    for (const auto& [key, draft] : all_draft) result.drafts += draft;
  }
  result.issues = set.issues;
  if (has_errors(set.issues)) {
    result.timings.import_ms = ms_since(t);
    result.timings.total_ms = ms_since(started);
    return result;
  }

  // Consolidate what will be written: everything, or the touched items.
  ContentSet to_write;
  for (auto& a : set.articles) {
    if (!incremental || dirty.count({a.id, a.lang})) to_write.articles.push_back(std::move(a));
  }
  consolidate_variants(to_write);
  result.timings.import_ms = ms_since(t);
  t = Clock::now();

  std::string new_manifest = json({{"format", kManifestFormat},
                                   {"schema", schema::kSchemaVersion},
                                   {"started_ns", build_started}})
                                 .dump() +
                             '\n';
  for (const auto& f : files) {
    if (!f.imported && f.recorded) {
      // Unchanged: the recorded tail as it is (the size and time may be new).
      new_manifest += manifest_line(f.file.path, f.hash, f.size, f.mtime, f.recorded->tail);
      continue;
    }
    json tail = {{"articles", json::array()}, {"issues", json::array()}};
    for (const auto& a : f.articles) tail["articles"].push_back(article_entry(a));
    for (const auto& i : f.issues) tail["issues"].push_back(issue_entry(i));
    new_manifest += manifest_line(f.file.path, f.hash, f.size, f.mtime, tail.dump());
  }

  PublishOptions publish;
  publish.keep_old_generations = options.keep_old_generations;
  publish.progress = options.progress;
  publish.lexicons = std::move(lexicons);
  publish.extra_files[kManifestFile] = std::move(new_manifest);
  if (incremental) {
    publish.base_generation = base_generation;
    publish.recycle_base = recycle;
    for (const auto& [id, lang] : dirty) publish.replace_keys.push_back(id + "@" + lang);
  }
  KnowledgeBaseWriter writer(kb_dir);
  result.publish = writer.publish(to_write.articles, publish);
  result.published = true;
  result.incremental = incremental;
  result.base_generation = incremental ? base_generation : "";
  result.recycled = incremental && recycle;
  result.documents_written = to_write.articles.size() - result.publish.drafts_skipped;
  result.documents_removed = incremental ? dirty.size() : 0;
  result.publish.drafts_skipped = result.drafts;
  result.timings.write_ms = ms_since(t);
  result.timings.total_ms = ms_since(started);
  return result;
}

}  // namespace kb
