// Generation building, the atomic switch and clean-up of old generations.
#include "kb_writer.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <numeric>
#include <optional>
#include <thread>
#include <unordered_map>

#include <xapian.h>

#include <nlohmann/json.hpp>

#include "analyzer.h"
#include "champions.h"
#include "document_builder.h"
#include "document_data.h"
#include "errors.h"
#include "generation.h"
#include "schema.h"

namespace kb {
namespace fs = std::filesystem;

namespace {

class FileLock {
 public:
  explicit FileLock(const fs::path& path) {
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) {
      throw IoError("cannot open lock file " + path.string() + ": " + std::strerror(errno));
    }
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      ::close(fd_);
      throw IndexUnavailable("another build of " + path.parent_path().string() +
                                 " is running (lock " + path.string() + " is held)",
                             "index_locked");
    }
  }
  ~FileLock() {
    ::flock(fd_, LOCK_UN);
    ::close(fd_);
  }
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  int fd_ = -1;
};

void fsync_path(const fs::path& path, bool directory) {
  const int fd = ::open(path.c_str(), (directory ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

std::string generation_name(unsigned long number) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "gen-%06lu", number);
  return buf;
}

unsigned long generation_number(const std::string& name) { return std::stoul(name.substr(4)); }

// The analyzer for `lang` in a map of them, made on first use.
Analyzer& analyzer_in(std::map<std::string, std::unique_ptr<Analyzer>>& analyzers, const std::string& lang) {
  auto& analyzer = analyzers[lang];
  if (!analyzer) analyzer = std::make_unique<Analyzer>(lang);
  return *analyzer;
}

// Replaces the Xapian database in `dir` by the compaction of `source` (`dir`'s own database,
// or the shards of a build): full B-tree blocks, so the posting lists shrink by almost half
// and searches read fewer blocks (about 10% faster on 100k records, docs/performance.md).
// Documents are numbered again from 1. Folders in `dir` (spelling dictionaries) stay.
void compact_into(Xapian::Database source, const fs::path& dir) {
  const fs::path out = dir.string() + ".compact";
  std::error_code ec;
  fs::remove_all(out, ec);
  source.compact(out.string());
  source.close();
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.is_regular_file(ec)) fs::remove(entry.path(), ec);
  }
  for (const auto& entry : fs::directory_iterator(out)) {
    fs::rename(entry.path(), dir / entry.path().filename(), ec);
    if (ec) throw IoError("cannot move " + entry.path().string() + " into " + dir.string() + ": " + ec.message());
  }
  fs::remove_all(out, ec);
}

// Occurrences of each word, for a language's spelling dictionary.
using WordCounts = std::unordered_map<std::string, long long>;

[[noreturn]] void rethrow_io(const std::string& what, const std::error_code& ec) {
  throw IoError(what + ": " + ec.message());
}

}  // namespace

std::string utc_now_iso8601() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

KnowledgeBaseWriter::KnowledgeBaseWriter(fs::path kb_dir) : kb_dir_(std::move(kb_dir)) {}

PublishResult KnowledgeBaseWriter::publish(const std::vector<Article>& articles,
                                           const PublishOptions& options) {
  std::error_code ec;
  fs::create_directories(kb_dir_, ec);
  if (ec) rethrow_io("cannot create knowledge base folder " + kb_dir_.string(), ec);
  FileLock lock(kb_dir_ / ".lock");

  // Leftovers of builds that were interrupted (we hold the lock, so none is running).
  for (const auto& entry : fs::directory_iterator(kb_dir_, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(".build-", 0) == 0 || name.rfind(".stub-", 0) == 0) {
      fs::remove_all(entry.path(), ec);
    }
  }

  const auto existing = list_generations(kb_dir_);
  const unsigned long number = existing.empty() ? 1 : generation_number(existing.back().name) + 1;
  PublishResult result;
  result.generation = generation_name(number);
  const fs::path build_dir = kb_dir_ / (".build-" + result.generation);
  const fs::path final_dir = kb_dir_ / result.generation;

  using Clock = std::chrono::steady_clock;
  auto t = Clock::now();
  auto lap = [&t]() {
    const auto now = Clock::now();
    const double ms = std::chrono::duration<double, std::milli>(now - t).count();
    t = now;
    return ms;
  };
  try {
    // Word counts to add to (or, for replaced documents, take from) the spelling dictionaries.
    // (A hash map: a build counts every word of every article here; std::map's string
    // comparisons were most of the counting.)
    std::map<std::string, WordCounts> spelling_by_lang;
    std::map<std::string, std::unique_ptr<Analyzer>> analyzers;
    std::vector<std::string> spelling;
    std::unique_ptr<Xapian::WritableDatabase> db_holder;
    if (!options.base_generation.empty()) {
      const auto live = read_live_generation(kb_dir_);
      const fs::path base = kb_dir_ / options.base_generation;
      if (options.recycle_base) {
        // A retired generation becomes the new one: renamed, then updated in place, so a
        // one-article change does not copy the whole base. Servers that still read it keep
        // their open revision (Xapian leaves it intact through the next commit).
        if (!live || live->name == options.base_generation || !fs::is_directory(base, ec)) {
          throw IndexUnavailable("generation " + options.base_generation +
                                     " is no longer a retired generation to build on",
                                 "index_changed");
        }
        fs::rename(base, build_dir, ec);
        if (ec) rethrow_io("cannot move " + base.string() + " to " + build_dir.string(), ec);
      } else {
        if (!live || live->name != options.base_generation) {
          throw IndexUnavailable("the live generation changed during the build (expected " +
                                     options.base_generation + ")",
                                 "index_changed");
        }
        fs::copy(live->path, build_dir, fs::copy_options::recursive, ec);
        if (ec) rethrow_io("cannot copy " + live->path.string() + " to " + build_dir.string(), ec);
      }
      db_holder = std::make_unique<Xapian::WritableDatabase>(build_dir.string(), Xapian::DB_OPEN);
      for (const auto& key : options.replace_keys) {
        const std::string qterm = schema::term(schema::kUniqueId, key);
        Xapian::PostingIterator p = db_holder->postlist_begin(qterm);
        if (p == db_holder->postlist_end(qterm)) continue;
        // The old document's words leave the spelling dictionary: analyse its stored text
        // again, exactly as it was analysed when it was added.
        const std::string stored = schema::stored_data(db_holder->get_document(*p));
        const DocumentData decoded = decode_document_data(stored);
        const auto& data = decoded.fields;
        if (data.is_object()) {
          Article old;
          old.id = data.value("id", "");
          old.lang = data.value("lang", "");
          old.title = data.value("title", "");
          old.summary = data.value("summary", "");
          old.questions = data.value("questions", std::vector<std::string>{});
          old.body_markdown = std::string(decoded.body_markdown);
          old.audience = data.value("audience", "public") == "internal" ? Audience::Internal : Audience::Public;
          spelling.clear();
          build_document(old, analyzer_in(analyzers, old.lang), &spelling);
          auto& words = spelling_by_lang[old.lang];
          for (const auto& word : spelling) --words[word];
        }
        db_holder->delete_document(qterm);
      }
    } else {
      // No fsync per commit while building: the files are synced once, before publication.
      db_holder = std::make_unique<Xapian::WritableDatabase>(
          build_dir.string(), Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_BACKEND_GLASS | Xapian::DB_NO_SYNC);
    }
    // Analysis on every core, one Xapian writer, overlapped: while this thread adds batch k
    // to the database, the workers analyse batch k+1 (each worker with its own analyzers).
    // Adding waited for analysis and analysis for adding before: on 2 cores one sat idle
    // half the time.
    const unsigned workers = std::max(1u, std::min(8u, std::thread::hardware_concurrency()));
    std::vector<std::map<std::string, std::unique_ptr<Analyzer>>> worker_analyzers(workers);
    constexpr std::size_t kBatch = 256;
    const bool fresh = options.base_generation.empty();
    // A complete build writes the articles grouped by language (within each shard, so the
    // compacted generation holds each language in one run per shard): a search filters on
    // one language as runs of document ids and skips the others' posting-list chunks
    // (DocRangesSource in searcher.cpp). Incremental builds add at the end, in content order.
    std::vector<std::size_t> order(articles.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    if (fresh) {
      std::stable_sort(order.begin(), order.end(),
                       [&](std::size_t x, std::size_t y) { return articles[x].lang < articles[y].lang; });
    }
    // Term frequencies are stored length-normalised (schema.h) against the average length:
    // a complete build estimates it from a sample of its articles; an incremental one keeps
    // its base's, and its scale, so that old and new documents are normalised alike (and
    // the search's k1, the base's scale, fits both).
    double norm_length = 0;
    double wdf_scale = schema::kWdfScale;
    if (!fresh) {
      norm_length = std::strtod(db_holder->get_metadata(schema::kMetaNormLength).c_str(), nullptr);
      wdf_scale = schema::recorded_wdf_scale(db_holder->get_metadata(schema::kMetaWdfScale));
    }
    if (!(norm_length > 0)) norm_length = estimate_norm_length(articles, order);
    struct Batch {
      std::size_t start = 0, end = 0;
      std::vector<std::optional<Xapian::Document>> docs;
      std::vector<std::vector<std::string>> words;
    };
    // Only one analyse() runs at a time (the next starts after the previous is collected),
    // so the per-worker analyzers are never shared.
    auto analyse = [&](std::size_t start) {
      Batch batch;
      batch.start = start;
      batch.end = std::min(articles.size(), start + kBatch);
      batch.docs.resize(batch.end - start);
      batch.words.resize(batch.end - start);
      std::atomic<std::size_t> next{start};
      std::exception_ptr failure;
      std::mutex failure_mutex;
      auto work = [&](unsigned w) {
        try {
          for (std::size_t i = next++; i < batch.end; i = next++) {
            const Article& article = articles[order[i]];
            if (article.status == Status::Draft) continue;
            batch.docs[i - start] =
                build_document(article, analyzer_in(worker_analyzers[w], article.lang), &batch.words[i - start],
                               norm_length, wdf_scale);
          }
        } catch (...) {
          std::lock_guard<std::mutex> lock(failure_mutex);
          if (!failure) failure = std::current_exception();
        }
      };
      std::vector<std::thread> threads;
      for (unsigned w = 1; w < workers; ++w) threads.emplace_back(work, w);
      work(0);
      for (auto& t : threads) t.join();
      if (failure) std::rethrow_exception(failure);
      return batch;
    };
    std::size_t done = 0;
    std::future<Batch> pending;
    // A complete, compacted build on several cores: one Xapian writer per core, each into its
    // own shard (build_dir/.shard-N) with its own analyzers, taking every Nth batch; the
    // compaction that a complete build does anyway merges the shards. One writer left a
    // core idle (the writer is most of the work).
    const unsigned shards = fresh && options.compact ? std::min(workers, 4u) : 1;
    if (shards > 1 && articles.size() > kBatch) {
      db_holder.reset();  // the shards replace it
      std::vector<fs::path> shard_dirs;
      for (unsigned j = 0; j < shards; ++j) shard_dirs.push_back(build_dir / (".shard-" + std::to_string(j)));
      std::vector<std::map<std::string, WordCounts>> shard_spelling(shards);
      std::vector<std::size_t> shard_drafts(shards, 0);
      std::mutex progress_mutex;
      std::exception_ptr failure;
      std::mutex failure_mutex;
      auto write_shard = [&](unsigned j) {
        try {
          Xapian::WritableDatabase sdb(shard_dirs[j].string(), Xapian::DB_CREATE_OR_OVERWRITE |
                                                                   Xapian::DB_BACKEND_GLASS | Xapian::DB_NO_SYNC);
          std::vector<std::string> words;
          for (std::size_t start = j * kBatch; start < articles.size(); start += shards * kBatch) {
            const std::size_t end = std::min(articles.size(), start + kBatch);
            for (std::size_t i = start; i < end; ++i) {
              const Article& article = articles[order[i]];
              if (article.status == Status::Draft) {
                ++shard_drafts[j];
              } else {
                words.clear();
                sdb.add_document(
                    build_document(article, analyzer_in(worker_analyzers[j], article.lang), &words, norm_length,
                                   wdf_scale));
                auto& counts = shard_spelling[j][article.lang];
                for (const auto& word : words) ++counts[word];
              }
            }
            sdb.commit();
            if (options.progress) {
              std::lock_guard<std::mutex> lock(progress_mutex);
              done += end - start;
              options.progress(done, articles.size());
            }
            std::lock_guard<std::mutex> lock(failure_mutex);
            if (failure) return;  // another shard failed: stop early
          }
          sdb.close();
        } catch (...) {
          std::lock_guard<std::mutex> lock(failure_mutex);
          if (!failure) failure = std::current_exception();
        }
      };
      std::vector<std::thread> threads;
      for (unsigned j = 1; j < shards; ++j) threads.emplace_back(write_shard, j);
      write_shard(0);
      for (auto& t : threads) t.join();
      if (failure) std::rethrow_exception(failure);
      for (unsigned j = 0; j < shards; ++j) {
        result.drafts_skipped += shard_drafts[j];
        for (auto& [lang, counts] : shard_spelling[j]) {
          auto& merged = spelling_by_lang[lang];
          for (const auto& [word, n] : counts) merged[word] += n;
        }
      }
      result.write_ms = lap();
      // Merge: the compaction of all shards replaces the empty database opened at the start.
      Xapian::Database all;
      for (const auto& dir : shard_dirs) all.add_database(Xapian::Database(dir.string()));
      compact_into(std::move(all), build_dir);
      for (const auto& dir : shard_dirs) fs::remove_all(dir, ec);
      db_holder = std::make_unique<Xapian::WritableDatabase>(build_dir.string(), Xapian::DB_OPEN);
      result.merge_ms = lap();
    } else if (!articles.empty()) {
      pending = std::async(std::launch::async, analyse, std::size_t{0});
    }
    Xapian::WritableDatabase& out_db = *db_holder;
    while (pending.valid()) {
      Batch batch = pending.get();  // rethrows an analysis failure
      if (batch.end < articles.size()) pending = std::async(std::launch::async, analyse, batch.end);
      for (std::size_t i = batch.start; i < batch.end; ++i) {
        ++done;
        const Article& article = articles[order[i]];
        if (article.status == Status::Draft) {
          ++result.drafts_skipped;
        } else {
          if (fresh) {
            out_db.add_document(*batch.docs[i - batch.start]);
          } else {
            out_db.replace_document(schema::term(schema::kUniqueId, article.id + "@" + article.lang),
                                *batch.docs[i - batch.start]);
          }
          auto& counts = spelling_by_lang[article.lang];
          for (const auto& word : batch.words[i - batch.start]) ++counts[word];
        }
        if (options.progress) options.progress(done, articles.size());
      }
      // A complete build commits every batch: Xapian keeps uncommitted postings in ordered
      // maps, which grow slower to insert into than the batches are to merge (10k records:
      // 15.6 s with Xapian's default of a commit every 10,000 documents, 10.9 s every 250).
      if (fresh) out_db.commit();
    }
    result.documents = out_db.get_doccount();
    const std::string lang_prefix(schema::kLang);
    for (auto t = out_db.allterms_begin(lang_prefix); t != out_db.allterms_end(lang_prefix); ++t) {
      result.per_language[(*t).substr(lang_prefix.size())] = t.get_termfreq();
    }
    // After the last document: the lists name final document ids. (A one-writer complete
    // build is compacted below, which renumbers documents to close gaps; a fresh database
    // has none, so no id changes.)
    write_champion_lists(out_db, options.champions_per_word);
    out_db.set_metadata(schema::kMetaGeneration, result.generation);
    out_db.set_metadata(schema::kMetaBuiltAt, utc_now_iso8601());
    out_db.set_metadata(schema::kMetaArticles, std::to_string(result.documents));
    out_db.set_metadata(schema::kMetaSchema, schema::kSchemaVersion);
    {
      // No average when there was no article to measure (a first build of drafts only):
      // the next build measures its own articles instead of keeping a meaningless one.
      char buffer[32];
      std::snprintf(buffer, sizeof buffer, "%.6g", norm_length);
      out_db.set_metadata(schema::kMetaNormLength, norm_length > 0 ? buffer : "");
      std::snprintf(buffer, sizeof buffer, "%g", wdf_scale);
      out_db.set_metadata(schema::kMetaWdfScale, buffer);
    }
    // The lexicons replace the previous generation's: a language whose lists went away (an
    // empty stopwords file, a deleted synonyms file) keeps none from an incremental base.
    const std::string lexicon_prefix(schema::kMetaLexiconPrefix);
    std::vector<std::string> stale;
    for (auto key = out_db.metadata_keys_begin(lexicon_prefix); key != out_db.metadata_keys_end(lexicon_prefix); ++key) {
      if (!options.lexicons.count((*key).substr(lexicon_prefix.size()))) stale.push_back(*key);
    }
    for (const auto& key : stale) out_db.set_metadata(key, "");
    for (const auto& [lang, lexicon] : options.lexicons) out_db.set_metadata(lexicon_prefix + lang, serialise_lexicon(lexicon));
    out_db.commit();
    out_db.close();
    db_holder.reset();
    result.write_ms += lap();
    if (fresh && options.compact && shards == 1) compact_into(Xapian::Database(build_dir.string()), build_dir);
    result.merge_ms += lap();
    // One spelling dictionary per language, beside the main database: "did you mean" never
    // proposes a word of another language.
    for (const auto& [lang, words] : spelling_by_lang) {
      Xapian::WritableDatabase sdb((build_dir / (std::string(schema::kSpellingDirPrefix) + lang)).string(),
                                   Xapian::DB_CREATE_OR_OPEN | Xapian::DB_BACKEND_GLASS);
      for (const auto& [word, count] : words) {
        if (count > 0) sdb.add_spelling(word, static_cast<Xapian::termcount>(count));
        if (count < 0) sdb.remove_spelling(word, static_cast<Xapian::termcount>(-count));
      }
      sdb.commit();
      sdb.close();
    }
    for (const auto& [name, content] : options.extra_files) {
      std::ofstream out(build_dir / name, std::ios::binary | std::ios::trunc);
      out << content;
      out.close();
      if (!out) throw IoError("cannot write " + (build_dir / name).string());
    }
    result.spelling_ms = lap();
  } catch (const Xapian::Error& e) {
    fs::remove_all(build_dir, ec);
    throw IoError("cannot write generation " + result.generation + " in " + kb_dir_.string() +
                  ": " + e.get_description());
  } catch (...) {
    fs::remove_all(build_dir, ec);
    throw;
  }

  // Durable before it can go live (the build database was written without syncs).
  for (const auto& entry : fs::recursive_directory_iterator(build_dir, ec)) {
    if (entry.is_regular_file(ec)) fsync_path(entry.path(), false);
  }
  fs::rename(build_dir, final_dir, ec);
  if (ec) {
    fs::remove_all(build_dir, ec);
    rethrow_io("cannot publish " + final_dir.string(), ec);
  }
  fsync_path(kb_dir_, true);
  result.sync_ms = lap();

  // Switch the live pointer: write a new stub beside the old one, then rename over it.
  const fs::path stub = live_stub_path(kb_dir_);
  const fs::path tmp_stub = kb_dir_ / (".stub-" + std::to_string(::getpid()));
  {
    const int fd = ::open(tmp_stub.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) throw IoError("cannot write " + tmp_stub.string() + ": " + std::strerror(errno));
    const std::string content = "auto " + result.generation + "\n";
    const bool ok = ::write(fd, content.data(), content.size()) ==
                        static_cast<ssize_t>(content.size()) &&
                    ::fsync(fd) == 0;
    const int saved = errno;
    ::close(fd);
    if (!ok) {
      fs::remove(tmp_stub, ec);
      throw IoError("cannot write " + tmp_stub.string() + ": " + std::strerror(saved));
    }
  }
  fs::rename(tmp_stub, stub, ec);
  if (ec) {
    fs::remove(tmp_stub, ec);
    rethrow_io("cannot switch " + stub.string(), ec);
  }
  fsync_path(kb_dir_, true);

  // Old generations: keep a few, so servers that still read them finish their requests.
  const auto all = list_generations(kb_dir_);
  const std::size_t keep = static_cast<std::size_t>(std::max(0, options.keep_old_generations)) + 1;
  if (all.size() > keep) {
    for (std::size_t i = 0; i + keep < all.size(); ++i) fs::remove_all(all[i].path, ec);
  }
  return result;
}

}  // namespace kb
