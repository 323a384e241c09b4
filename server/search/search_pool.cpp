// The search pool: long-lived workers taking callers' work from one queue in arrival order.
#include "search_pool.h"

#include <algorithm>
#include <string>

#include "errors.h"

namespace kb::search {

SearchPool::SearchPool(unsigned workers, std::size_t max_waiting, std::chrono::milliseconds max_wait)
    : max_waiting_(max_waiting), max_wait_(max_wait), idle_(workers) {
  threads_.reserve(workers);
  try {
    for (unsigned i = 0; i < workers; ++i) threads_.emplace_back([this] { work_loop(); });
  } catch (...) {
    stop();  // the workers started so far (a thread limit reached): joined, not left running
    throw;
  }
}

SearchPool::~SearchPool() { stop(); }

void SearchPool::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  has_work_.notify_all();
  for (auto& t : threads_) t.join();
  threads_.clear();
}

std::size_t SearchPool::waiting() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return queue_.size();
}

void SearchPool::execute(std::function<void()> work) {
  if (threads_.empty()) {
    work();
    return;
  }
  Job job;
  job.work = std::move(work);
  std::unique_lock<std::mutex> lock(mutex_);
  // The queue holds the work that idle workers are about to take, too: only the rest waits.
  if (queue_.size() >= idle_ + max_waiting_) {
    throw RuntimeError("overloaded", "too many searches are waiting (" + std::to_string(queue_.size()) +
                                         "); retry in a second");
  }
  queue_.push_back(&job);
  has_work_.notify_one();
  if (!job.finished.wait_for(lock, max_wait_, [&] { return job.done; })) {
    // Still queued: take it back. Taken by a worker already: it runs to the end, and the
    // caller waits for it (the work refers to the caller's stack).
    if (const auto it = std::find(queue_.begin(), queue_.end(), &job); it != queue_.end()) {
      queue_.erase(it);
      throw RuntimeError("overloaded", "the search waited " + std::to_string(max_wait_.count()) +
                                           " ms for its turn; retry in a second");
    }
    job.finished.wait(lock, [&] { return job.done; });
  }
  if (job.error) std::rethrow_exception(job.error);
}

void SearchPool::work_loop() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    has_work_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, nothing left
    --idle_;
    Job* job = queue_.front();
    queue_.pop_front();
    lock.unlock();
    try {
      job->work();
    } catch (...) {
      job->error = std::current_exception();
    }
    lock.lock();
    job->done = true;
    job->finished.notify_one();
    ++idle_;
  }
}

}  // namespace kb::search
