// The read side of a knowledge base folder: follows the live generation, searches it.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "champions.h"
#include "feedback_boost.h"
#include "generation.h"
#include "result_cache.h"
#include "search_pool.h"
#include "search_types.h"

namespace kb::search {

class Searcher;

// Thread-safe. Searches run on the search pool's workers (SearchPool): each worker has its
// own Searcher (its own Xapian handles), opened on the live generation and replaced when the
// live generation changes; the only lock on the search path is the pool's queue. A new
// generation is noticed by refresh(), which watch() calls when the live stub changes;
// requests in flight finish on the generation they started with.
class KnowledgeBase {
 public:
  // Throws kb::IndexUnavailable if `kb_dir` has no live generation.
  KnowledgeBase(std::filesystem::path kb_dir, SearchSettings settings);
  ~KnowledgeBase();
  KnowledgeBase(const KnowledgeBase&) = delete;
  KnowledgeBase& operator=(const KnowledgeBase&) = delete;

  // Re-reads the live stub; returns true when the live generation changed. A missing or
  // broken stub, or a generation of a later schema than this server reads, keeps the
  // current generation (and returns false).
  bool refresh();

  // Calls refresh() on a background thread until destruction: as soon as the live stub is
  // replaced (inotify), and every `interval` in any case (a file system without inotify).
  // Only the first call starts it.
  void watch(std::chrono::milliseconds interval);

  // The live generation's name (the index_version clients see).
  std::string version() const;

  // See Searcher::search for what it throws.
  SearchResponse search(const SearchRequest& request);
  IndexStatus status();
  std::optional<ArticleLookup> article(const ArticleRequest& request);
  AnswerLookup answer(const SearchRequest& request);
  SuggestResponse suggest(const SuggestRequest& request);

  const SearchSettings& settings() const { return settings_; }

  // The feedback boost applied to search results and answer candidates; publish() to it
  // from any thread.
  FeedbackBoost& feedback() { return feedback_; }

 private:
  Searcher& thread_searcher();
  // A searcher on `generation`, with the feedback boost and the generation's champion lists.
  std::unique_ptr<Searcher> open_searcher(const GenerationRef& generation);
  // f(), and once more after reading the live stub again if f found its generation gone (a
  // writer cleaned it up between reading the stub and opening it); `before_retry` first.
  template <class F, class G>
  auto retry_if_gone(F&& f, G&& before_retry);
  // The champion lists of `generation` (`db`, a searcher's handle on it), read once and
  // shared by every thread's searcher on it (a few megabytes: a copy per worker thread would
  // not do), with the languages whose stored lists are damaged. Null when unreadable.
  std::shared_ptr<const StoredChampions> champion_lists(const GenerationRef& generation, const Xapian::Database& db);
  // Runs f on this thread's searcher.
  template <class F>
  auto with_searcher(F&& f);
  // The same on one of the pool's workers, in its turn (with the worker's searcher).
  template <class F>
  auto gated(F&& f);

  const std::uint64_t instance_;
  const std::filesystem::path dir_;
  const SearchSettings settings_;
  std::atomic<std::shared_ptr<const GenerationRef>> live_;
  ResultCache cache_;
  FeedbackBoost feedback_;

  // The live generation's champion lists, and which build they are of (its folder and
  // kb.built_at: a generation name can come back after a removal). Taken only when a thread
  // opens a generation, never on the search path.
  std::mutex champions_mutex_;
  std::string champions_of_;
  std::shared_ptr<const StoredChampions> champions_;

  // The live generation's status (/health), read once per generation.
  struct GenerationStatus {
    std::shared_ptr<const GenerationRef> of;
    IndexStatus status;
  };
  std::atomic<std::shared_ptr<const GenerationStatus>> status_;
  std::mutex status_mutex_;  // one reading at a time

  // The last generation refresh() did not switch to, and why (IndexStatus); empty when the
  // live stub names the generation served.
  std::mutex refused_mutex_;
  std::string refused_generation_, refused_reason_;
  std::string refused_stamp_;  // the refused database's version file (generation_stamp)

  std::mutex watch_mutex_;
  bool stopping_ = false;
  int wake_fd_ = -1;  // eventfd that ends the watcher's wait (-1: it ends at its next poll)
  std::thread watcher_;

  // Last: its workers stop (and their searchers close) before anything they use is destroyed.
  SearchPool pool_;
};

}  // namespace kb::search
