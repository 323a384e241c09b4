// The incremental build: find the files that changed (size and modification time first, the
// content hash when they differ), import only those (plus the files that share an item with
// a changed one), check the whole set with the facts the manifest recorded of the unchanged files,
// and publish a generation with only the touched items rewritten: a retired generation
// brought up to date when there is one, else a copy of the live one.
#include "build_pipeline.h"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <fstream>
#include <future>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "errors.h"
#include "generation.h"
#include "hash.h"
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

std::string hash_hex(std::string_view bytes) { return hex64(fnv1a64(bytes)); }

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

json issue_entry(const ContentIssue& i) {
  return {{"line", i.line}, {"column", i.column}, {"field", i.field}, {"message", i.message},
          {"warning", i.severity == Severity::Warning}};
}

// Reads a manifest tail, {"articles": [article_entry...], "issues": [issue_entry...]}, into
// facts and issues as it is parsed (SAX): no document tree for each of 100k files.
class TailReader final : public nlohmann::json_sax<json> {
 public:
  TailReader(std::vector<ArticleFacts>& facts, std::vector<ContentIssue>& issues, const std::string& path)
      : facts_(facts), issues_(issues), path_(path) {}

  bool null() override { return true; }
  bool boolean(bool v) override {
    if (depth_ != 3) return true;
    if (articles() && key_ == "draft") facts_.back().draft = v;
    if (!articles() && key_ == "warning") issues_.back().severity = v ? Severity::Warning : Severity::Error;
    return true;
  }
  bool number_integer(number_integer_t v) override { return number(v); }
  bool number_unsigned(number_unsigned_t v) override { return number(static_cast<std::int64_t>(v)); }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t& v) override {
    if (articles()) {
      ArticleFacts& f = facts_.back();
      if (depth_ == 3) {
        if (key_ == "id") f.id = std::move(v);
        else if (key_ == "lang") f.lang = std::move(v);
        else if (key_ == "format") f.format = std::move(v);
      } else if (depth_ == 4 && key_ == "related") {
        f.related.push_back(std::move(v));
      }
    } else if (depth_ == 3) {
      if (key_ == "field") issues_.back().field = std::move(v);
      else if (key_ == "message") issues_.back().message = std::move(v);
    }
    return true;
  }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return open(); }
  bool start_array(std::size_t) override { return open(); }
  bool end_object() override { return --depth_, true; }
  bool end_array() override { return --depth_, true; }
  bool key(string_t& k) override {
    if (depth_ == 1) section_ = k;
    else if (depth_ == 3) key_ = k;
    else if (depth_ == 4) pos_key_ = k;
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override { return false; }

 private:
  bool articles() const { return section_ == "articles"; }
  bool open() {
    ++depth_;
    if (depth_ == 3) {  // an element of "articles" or "issues"
      if (articles()) {
        facts_.emplace_back();
      } else if (section_ == "issues") {
        issues_.push_back({path_, 0, 0, "", "", Severity::Error});
      } else {
        return false;
      }
    }
    if (depth_ == 5) pair_index_ = 0;
    return true;
  }
  bool number(std::int64_t v) {
    const int n = static_cast<int>(v);
    if (articles() && depth_ == 5 && key_ == "pos") {
      auto& pos = pos_key_ == "id" ? facts_.back().id_pos : facts_.back().related_pos;
      (pair_index_++ == 0 ? pos.first : pos.second) = n;
    } else if (!articles() && depth_ == 3) {
      if (key_ == "line") issues_.back().line = n;
      else if (key_ == "column") issues_.back().column = n;
    }
    return true;
  }

  std::vector<ArticleFacts>& facts_;
  std::vector<ContentIssue>& issues_;
  const std::string& path_;
  int depth_ = 0, pair_index_ = 0;
  std::string section_, key_, pos_key_;
};

// Appends what a manifest tail records; false (and nothing appended) when it is damaged.
bool read_tail(std::string_view tail, const std::string& path, std::vector<ArticleFacts>& facts,
               std::vector<ContentIssue>& issues) {
  const auto facts_size = facts.size();
  const auto issues_size = issues.size();
  TailReader reader(facts, issues, path);
  if (json::sax_parse(tail, &reader, json::input_format_t::json, false)) return true;
  facts.resize(facts_size);
  issues.resize(issues_size);
  return false;
}

// The manifest, one line per content file after a header line, so that a build copies the
// lines of unchanged files as they are and parses a line's tail only when it needs it:
//   {"format":2,"schema":"...","started_ns":N}
//   <path, a JSON string>\t<hash>\t<size>\t<mtime ns>\t{"articles":[...],"issues":[...]}
// (One JSON document for 100k files cost seconds to parse, copy, write and free.)
// Entries are views into the text read.
struct ManifestEntry {
  std::string_view path_field;  // the path as written (a JSON string)
  std::string_view hash;
  std::int64_t size = -1, mtime = 0;
  std::string_view tail;  // {"articles": [...], "issues": [...]}
};

struct Manifest {
  std::unique_ptr<const std::string> text;
  std::deque<std::string> unescaped_paths;  // paths that had JSON escapes
  std::int64_t started_ns = 0;
  std::unordered_map<std::string_view, ManifestEntry> files;
};

std::string manifest_line(std::string_view path_field, std::string_view hash, std::int64_t size,
                          std::int64_t mtime, std::string_view tail) {
  std::string line;
  line.reserve(path_field.size() + hash.size() + tail.size() + 48);
  line.append(path_field).append(1, '\t').append(hash).append(1, '\t').append(std::to_string(size));
  line.append(1, '\t').append(std::to_string(mtime)).append(1, '\t').append(tail).append(1, '\n');
  return line;
}

std::optional<std::int64_t> to_int(std::string_view s) {
  std::int64_t v = 0;
  const auto [end, error] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (error != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

std::optional<Manifest> read_manifest(const fs::path& generation_dir) {
  std::ifstream in(generation_dir / kManifestFile, std::ios::binary);
  if (!in) return std::nullopt;
  Manifest m;
  m.text = std::make_unique<const std::string>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  std::string_view rest(*m.text);
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
  m.started_ns = header.value("started_ns", std::int64_t{0});
  m.files.reserve(m.text->size() / 128);
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
    std::string_view path;
    if (field[0].size() >= 2 && field[0].front() == '"' && field[0].back() == '"' &&
        field[0].find('\\') == std::string_view::npos) {
      path = field[0].substr(1, field[0].size() - 2);
    } else {
      const json p = json::parse(field[0], nullptr, false);
      if (!p.is_string()) return std::nullopt;
      path = m.unescaped_paths.emplace_back(p.get<std::string>());
    }
    const auto size = to_int(field[2]);
    const auto mtime = to_int(field[3]);
    if (!size || !mtime) return std::nullopt;
    m.files.emplace(path, ManifestEntry{field[0], field[1], *size, *mtime, field[4]});
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
  const ManifestEntry* recorded = nullptr;  // unchanged: its manifest entry
  bool imported = false;
  std::vector<Article> articles;       // when imported
  std::vector<ArticleFacts> facts;     // when not: what the manifest recorded
  std::vector<ContentIssue> issues;    // the importer's issues
  std::vector<ContentIssue> read_issues;  // reading it failed: why
  bool unreadable = false;
};

// Threads that read and import changed files.
constexpr std::size_t kReadThreads = 8;

// An (id, lang) as one string, for hashing.
const std::string& item_key(std::string& buffer, std::string_view id, std::string_view lang) {
  return buffer.assign(id).append(1, '\0').append(lang);
}

void import_file(FileState& f, std::string_view bytes) {
  ImportResult r = f.file.importer->import(f.file.path, bytes);
  f.imported = true;
  f.articles = std::move(r.articles);
  f.issues = std::move(r.issues);
  f.facts.clear();
}

}  // namespace

BuildResult build_knowledge_base(const fs::path& content_dir, const fs::path& kb_dir,
                                 const std::vector<const Importer*>& importers, const BuildOptions& options) {
  const auto started = Clock::now();
  BuildResult result;
  std::vector<ContentIssue> issues;

  std::string base_generation;
  bool recycle = false;
  const std::int64_t build_started = now_ns();
  // The manifest is read while the content folder is listed (each is about a tenth of a
  // second for 100k files).
  auto manifest_read = std::async(std::launch::async, [&]() -> std::optional<Manifest> {
    if (!options.incremental) return std::nullopt;
    return load_manifest(kb_dir, options.keep_old_generations, base_generation, recycle);
  });
  auto t = Clock::now();
  std::vector<ContentFile> listed = list_content_files(content_dir, importers, options.load, issues);
  const std::optional<Manifest> manifest = manifest_read.get();
  const std::int64_t manifest_started = manifest ? manifest->started_ns : 0;

  // Find the changed files (same size and time as recorded: unchanged; else read and
  // hashed) and import them; of the others, what the manifest recorded.
  std::vector<FileState> files;
  files.reserve(listed.size());
  std::vector<std::size_t> to_read;  // files whose size or time is not the recorded one
  for (auto& file : listed) {
    FileState state;
    if (manifest) {
      auto it = manifest->files.find(file.path);
      if (it != manifest->files.end()) state.recorded = &it->second;
    }
    // Size and time as listed; an unknown size (-1) reads the file.
    const ManifestEntry* r = state.recorded;
    if (r && file.size >= 0 && r->size == file.size && r->mtime == file.mtime_ns &&
        file.mtime_ns + kRacyNs < manifest_started) {
      state.hash = r->hash;
    } else {
      to_read.push_back(files.size());
    }
    state.file = std::move(file);
    files.push_back(std::move(state));
  }
  // Read, hash and import those on several threads: the importers are thread-safe, and more
  // reads in flight than cores keep a disk busy when the files are not in the page cache
  // (a complete build of 1M files read them one at a time at 10 MB/s).
  {
    std::atomic<std::size_t> next{0};
    auto work = [&] {
      for (std::size_t n; (n = next.fetch_add(1)) < to_read.size();) {
        FileState& f = files[to_read[n]];
        auto bytes = read_content_file(f.file, options.load, f.read_issues);
        if (!bytes) {
          f.unreadable = true;
          continue;
        }
        f.hash = hash_hex(*bytes);
        if (f.recorded && f.recorded->hash == f.hash) continue;  // touched, not changed
        f.recorded = nullptr;
        import_file(f, *bytes);
      }
    };
    const std::size_t threads = std::min<std::size_t>(kReadThreads, (to_read.size() + 15) / 16);
    std::vector<std::thread> pool;
    for (std::size_t i = 1; i < threads; ++i) pool.emplace_back(work);
    work();
    for (auto& th : pool) th.join();
  }
  {
    std::vector<FileState> kept;
    kept.reserve(files.size());
    for (auto& f : files) {
      for (auto& i : f.read_issues) issues.push_back(std::move(i));
      if (f.unreadable) continue;
      if (f.recorded && !read_tail(f.recorded->tail, f.file.path, f.facts, f.issues)) {
        // A damaged line: the file is imported again.
        f.recorded = nullptr;
        auto bytes = read_content_file(f.file, options.load, issues);
        if (!bytes) continue;
        import_file(f, *bytes);
      }
      kept.push_back(std::move(f));
    }
    files = std::move(kept);
  }
  result.timings.read_ms = ms_since(t);
  t = Clock::now();

  // Items to rewrite: those a changed, new or removed file gave before or gives now.
  std::set<Key> dirty;
  std::unordered_set<std::string> dirty_keys;
  std::string key;
  const bool incremental = manifest.has_value();
  if (incremental) {
    std::unordered_set<const ManifestEntry*> unchanged;
    unchanged.reserve(files.size());
    for (const auto& f : files) {
      if (!f.imported) unchanged.insert(f.recorded);
    }
    for (const auto& [path, entry] : manifest->files) {
      if (unchanged.count(&entry)) continue;
      std::vector<ArticleFacts> before;
      std::vector<ContentIssue> ignored;
      read_tail(entry.tail, std::string(path), before, ignored);
      for (const auto& a : before) dirty.insert({a.id, a.lang});
    }
    for (const auto& f : files) {
      for (const auto& a : f.articles) dirty.insert({a.id, a.lang});
    }
    for (const auto& [id, lang] : dirty) dirty_keys.insert(item_key(key, id, lang));
    // Unchanged files that give a variant of a touched item are imported again, so the item
    // is consolidated from all its sources.
    for (auto& f : files) {
      if (f.imported) continue;
      const bool touches = std::any_of(f.facts.begin(), f.facts.end(), [&](const ArticleFacts& a) {
        return dirty_keys.count(item_key(key, a.id, a.lang)) > 0;
      });
      if (!touches) continue;
      std::vector<ContentIssue> read_issues;
      auto bytes = read_content_file(f.file, options.load, read_issues);
      if (!bytes) {
        for (auto& i : read_issues) issues.push_back(std::move(i));
        continue;
      }
      import_file(f, *bytes);
    }
  }

  // The checks across files, on the facts of every article.
  std::vector<ContentIssue> all_issues = std::move(issues);
  std::vector<ArticleFacts> facts;
  facts.reserve(files.size());
  for (auto& f : files) {
    ++result.files;
    result.files_imported += f.imported;
    for (const auto& i : f.issues) all_issues.push_back(i);
    for (const auto& a : f.articles) {
      check_term_sizes(a, all_issues);
      facts.push_back(facts_of(a));
    }
    for (auto& a : f.facts) {
      a.path = f.file.path;
      facts.push_back(std::move(a));
    }
    f.facts.clear();
  }
  check_facts(facts, all_issues);
  sort_issues(all_issues);
  Lexicons lexicons = load_lexicons(content_dir / "analysis", all_issues);
  {
    std::unordered_map<std::string, bool> all_draft;  // (id, lang) -> every variant a draft
    all_draft.reserve(facts.size());
    for (const auto& a : facts) {
      auto [it, inserted] = all_draft.emplace(item_key(key, a.id, a.lang), a.draft);
      if (!inserted) it->second = it->second && a.draft;
    }
    result.articles = all_draft.size();
    for (const auto& [k, draft] : all_draft) result.drafts += draft;
  }
  facts = {};
  result.issues = std::move(all_issues);
  if (has_errors(result.issues)) {
    result.timings.import_ms = ms_since(t);
    result.timings.total_ms = ms_since(started);
    return result;
  }

  // The manifest of the new generation.
  std::string new_manifest = json({{"format", kManifestFormat},
                                   {"schema", schema::kSchemaVersion},
                                   {"started_ns", build_started}})
                                 .dump() +
                             '\n';
  if (manifest) new_manifest.reserve(manifest->text->size() + 4096);
  for (const auto& f : files) {
    if (!f.imported && f.recorded) {
      // Unchanged: the recorded line as it is (the size and time may be new).
      new_manifest += manifest_line(f.recorded->path_field, f.hash, f.file.size, f.file.mtime_ns, f.recorded->tail);
      continue;
    }
    json tail = {{"articles", json::array()}, {"issues", json::array()}};
    for (const auto& a : f.articles) tail["articles"].push_back(article_entry(a));
    for (const auto& i : f.issues) tail["issues"].push_back(issue_entry(i));
    new_manifest += manifest_line(json(f.file.path).dump(), f.hash, f.file.size, f.file.mtime_ns, tail.dump());
  }

  // Consolidate what will be written: everything, or the touched items.
  ContentSet to_write;
  for (auto& f : files) {
    for (auto& a : f.articles) {
      if (!incremental || dirty_keys.count(item_key(key, a.id, a.lang))) to_write.articles.push_back(std::move(a));
    }
  }
  files = {};
  consolidate_variants(to_write);
  result.timings.import_ms = ms_since(t);
  t = Clock::now();

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
