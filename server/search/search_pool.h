// The threads that run searches: a fixed pool, one per core by default, with a queue in
// front served in arrival order.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <type_traits>
#include <vector>

namespace kb::search {

// Runs callers' work on `workers` long-lived threads, at most that many at once; the others
// wait their turn, first come first served (Elasticsearch's `search` pool). With many more
// searches in flight than cores, the operating system would share the cores among all of
// them and every search would take as long as all of them together; fewer at once run
// faster, so the slow ones take fewer fast ones down with them and the latency percentiles
// tighten (docs/performance.md has the measured trade-off).
// A worker that finishes goes straight on to the next search in the queue: no search waits
// for a sleeping thread to be woken and scheduled before it can start, and each worker keeps
// its own Xapian handles warm. The caller sleeps until its work is done.
// A caller that would be the (max_waiting + 1)th to wait for a worker, or waits longer than
// `max_wait` before a worker takes its work, gets kb::RuntimeError "overloaded" (HTTP 503)
// instead of a late answer, and its work never runs; work a worker has taken runs to the end.
// workers == 0: no pool, the work runs on the caller's thread.
// Thread-safe.
class SearchPool {
 public:
  SearchPool(unsigned workers, std::size_t max_waiting, std::chrono::milliseconds max_wait);
  ~SearchPool();  // finishes the work queued, then joins the workers
  SearchPool(const SearchPool&) = delete;
  SearchPool& operator=(const SearchPool&) = delete;

  // Runs `f` on a worker and returns its result, or rethrows what it threw.
  template <class F>
  auto run(F&& f) -> std::invoke_result_t<F&> {
    using R = std::invoke_result_t<F&>;
    if constexpr (std::is_void_v<R>) {
      execute([&] { f(); });
    } else {
      std::optional<R> result;
      execute([&] { result.emplace(f()); });
      return std::move(*result);
    }
  }

  // Callers waiting for a worker now (for tests and status).
  std::size_t waiting() const;
  unsigned workers() const { return static_cast<unsigned>(threads_.size()); }

 private:
  struct Job {
    std::function<void()> work;
    std::exception_ptr error;
    bool done = false;
    std::condition_variable finished;
  };
  void execute(std::function<void()> work);
  void stop();
  void work_loop();

  const std::size_t max_waiting_;
  const std::chrono::milliseconds max_wait_;
  mutable std::mutex mutex_;
  std::condition_variable has_work_;
  std::deque<Job*> queue_;  // in arrival order
  std::size_t idle_;        // workers without work (started or not)
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace kb::search
