// Per-thread searchers and generation switching.
#include "knowledge_base.h"

#include <poll.h>
#include <sched.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <unordered_map>

#include "errors.h"
#include "schema.h"
#include "searcher.h"

namespace kb::search {
namespace {

std::atomic<std::uint64_t> next_instance{1};

// Each thread's searchers, keyed by KnowledgeBase instance (ids are never reused).
thread_local std::unordered_map<std::uint64_t, std::unique_ptr<Searcher>> thread_searchers;

// One search per core this process may run on (a container's cpuset, not the host's
// cores), at least two, at most 256.
unsigned default_concurrency() {
  unsigned cores = std::thread::hardware_concurrency();
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  if (::sched_getaffinity(0, sizeof allowed, &allowed) == 0 && CPU_COUNT(&allowed) > 0) {
    cores = static_cast<unsigned>(CPU_COUNT(&allowed));
  }
  return std::clamp(cores, 2u, 256u);
}

// What a generation's database is now: Xapian's glass backend rewrites its version file
// (iamglass: revision, root blocks, UUID) at every commit, so the same bytes mean the same
// database. Empty when it cannot be read (the caller then looks at the database itself).
std::string generation_stamp(const std::filesystem::path& generation) {
  std::ifstream in(generation / "iamglass", std::ios::binary);
  if (!in) return "";
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return in.bad() ? "" : bytes;
}

}  // namespace

KnowledgeBase::KnowledgeBase(std::filesystem::path kb_dir, SearchSettings settings)
    : instance_(next_instance.fetch_add(1)),
      dir_(std::move(kb_dir)),
      settings_(std::move(settings)),
      cache_(settings_.cache_entries),
      pool_(settings_.concurrency ? settings_.concurrency : default_concurrency(), settings_.max_waiting,
            std::chrono::milliseconds(settings_.max_wait_ms)) {
  auto live = read_live_generation(dir_);
  if (!live) {
    throw IndexUnavailable("no knowledge base at " + dir_.string() +
                           " (build one with: kb-index build --content DIR --out " +
                           dir_.string() + ")");
  }
  live_.store(std::make_shared<const GenerationRef>(std::move(*live)));
  // Fail at start-up, not on the first request, if the generation cannot be opened (its
  // status is then ready for the first /health).
  status();
}

KnowledgeBase::~KnowledgeBase() {
  {
    std::lock_guard<std::mutex> lock(watch_mutex_);
    stopping_ = true;
  }
  if (wake_fd_ >= 0) {
    const std::uint64_t one = 1;
    [[maybe_unused]] const auto n = ::write(wake_fd_, &one, sizeof one);
  }
  if (watcher_.joinable()) watcher_.join();
  if (wake_fd_ >= 0) ::close(wake_fd_);
  thread_searchers.erase(instance_);
}

bool KnowledgeBase::refresh() {
  std::optional<GenerationRef> live;
  try {
    live = read_live_generation(dir_);
  } catch (const Error&) {
    return false;
  }
  if (!live) return false;
  const auto current = live_.load();
  if (current && current->name == live->name) return false;
  // A generation of a schema this server does not read (published by a newer kb-index) is
  // not switched to: the current one keeps serving. At start-up there is no current one,
  // and the searcher refuses it with the reason. Refused once, it is not opened again at
  // every poll while it stays the same database (the live stub names it until the next
  // build); changed in place, it is looked at again.
  const std::string stamp = generation_stamp(live->path);
  {
    const std::lock_guard<std::mutex> lock(refused_mutex_);
    if (!stamp.empty() && live->name == refused_generation_ && stamp == refused_stamp_) return false;
  }
  try {
    const Xapian::Database db(live->path.string());
    if (std::string why = schema::unreadable_schema(db.get_metadata(schema::kMetaSchema)); !why.empty()) {
      const std::lock_guard<std::mutex> lock(refused_mutex_);
      refused_generation_ = live->name;
      refused_reason_ = std::move(why);
      refused_stamp_ = stamp;
      return false;
    }
  } catch (const Xapian::Error&) {
    // Unreadable for another reason: switched to, and the searcher reports it.
  }
  {
    const std::lock_guard<std::mutex> lock(refused_mutex_);
    refused_generation_.clear();
    refused_reason_.clear();
    refused_stamp_.clear();
  }
  live_.store(std::make_shared<const GenerationRef>(std::move(*live)));
  return true;
}

void KnowledgeBase::watch(std::chrono::milliseconds interval) {
  if (watcher_.joinable()) return;
  // A build publishes by renaming a new live stub into the folder: inotify reports it at
  // once, where polling alone added up to `interval` to every reindex. Without inotify (or
  // the eventfd the destructor wakes the watcher with) poll() skips that descriptor and the
  // watcher only polls.
  int notify_fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (notify_fd >= 0 && ::inotify_add_watch(notify_fd, dir_.c_str(), IN_MOVED_TO | IN_CLOSE_WRITE) < 0) {
    ::close(notify_fd);
    notify_fd = -1;
  }
  wake_fd_ = ::eventfd(0, EFD_CLOEXEC);
  watcher_ = std::thread([this, interval, notify_fd] {
    alignas(inotify_event) char events[4096];
    for (;;) {
      pollfd fds[2] = {{notify_fd, POLLIN, 0}, {wake_fd_, POLLIN, 0}};
      const int ready = ::poll(fds, 2, static_cast<int>(interval.count()));
      {
        std::lock_guard<std::mutex> lock(watch_mutex_);
        if (stopping_) break;
      }
      if (ready > 0 && (fds[0].revents & POLLIN) != 0) {
        while (::read(notify_fd, events, sizeof events) > 0) {
        }
      }
      refresh();
    }
    if (notify_fd >= 0) ::close(notify_fd);
  });
}

std::string KnowledgeBase::version() const { return live_.load()->name; }

Searcher& KnowledgeBase::thread_searcher() {
  const auto live = live_.load();
  auto& searcher = thread_searchers[instance_];
  if (!searcher || searcher->generation() != live->name) {
    searcher.reset();  // close the old generation before opening the new one
    searcher = open_searcher(*live);
  }
  return *searcher;
}

std::unique_ptr<Searcher> KnowledgeBase::open_searcher(const GenerationRef& generation) {
  auto searcher = std::make_unique<Searcher>(generation, settings_);
  searcher->set_feedback(&feedback_);
  searcher->set_champions(champion_lists(generation, searcher->database()));
  return searcher;
}

std::shared_ptr<const StoredChampions> KnowledgeBase::champion_lists(const GenerationRef& generation,
                                                                     const Xapian::Database& db) {
  try {
    const std::string of = generation.path.string() + '\n' + db.get_metadata(schema::kMetaBuiltAt);
    const std::lock_guard<std::mutex> lock(champions_mutex_);
    if (!champions_ || champions_of_ != of) {
      // A value that does not decode leaves its language without lists: its common-word
      // queries are bounded, as with a generation built before the lists existed.
      champions_ = std::make_shared<const StoredChampions>(read_champion_lists(db));
      champions_of_ = of;
    }
    return champions_;
  } catch (const Xapian::Error&) {
    return nullptr;  // no lists: common-word queries are bounded (the search reports the error)
  }
}

template <class F, class G>
auto KnowledgeBase::retry_if_gone(F&& f, G&& before_retry) {
  try {
    return f();
  } catch (const IndexUnavailable&) {
    before_retry();
    refresh();
    return f();
  }
}

template <class F>
auto KnowledgeBase::with_searcher(F&& f) {
  return retry_if_gone([&] { return f(thread_searcher()); }, [this] { thread_searchers.erase(instance_); });
}

template <class F>
auto KnowledgeBase::gated(F&& f) {
  return pool_.run([&] { return with_searcher(f); });
}

SearchResponse KnowledgeBase::search(const SearchRequest& request) {
  // Repeated queries (popular questions, identical keystrokes) are answered from the cache;
  // the key holds the generation and the feedback table's version, so a new generation or
  // new feedback invalidates everything at once.
  const std::string key = ResultCache::key(live_.load()->name + "#" + std::to_string(feedback_.version()), request);
  if (auto cached = cache_.get(key)) return *cached;
  SearchResponse response = gated([&](Searcher& s) { return s.search(request); });
  if (response.index_version == live_.load()->name) cache_.put(key, response);
  return response;
}

std::optional<ArticleLookup> KnowledgeBase::article(const ArticleRequest& request) {
  return gated([&](Searcher& s) { return s.article(request); });
}

AnswerLookup KnowledgeBase::answer(const SearchRequest& request) {
  return gated([&](Searcher& s) { return s.answer(request); });
}

SuggestResponse KnowledgeBase::suggest(const SuggestRequest& request) {
  return gated([&](Searcher& s) { return s.suggest(request); });
}

// Not on the pool: /health answers while searches queue. A generation never changes once
// published, so its status is read once, by a searcher opened for that and closed again:
// the connection threads that answer /health hold no searcher (and no old generation's
// files after a reindex); only the pool's workers do.
IndexStatus KnowledgeBase::status() {
  auto read = [this] {
    const auto live = live_.load();
    auto known = status_.load();
    if (known && known->of == live) return known;
    const std::lock_guard<std::mutex> lock(status_mutex_);
    known = status_.load();
    if (known && known->of == live) return known;
    known = std::make_shared<const GenerationStatus>(GenerationStatus{live, open_searcher(*live)->status()});
    status_.store(known);
    return known;
  };
  IndexStatus status = retry_if_gone(read, [] {})->status;
  const std::lock_guard<std::mutex> lock(refused_mutex_);
  status.refused_generation = refused_generation_;
  status.refused_reason = refused_reason_;
  return status;
}

}  // namespace kb::search
