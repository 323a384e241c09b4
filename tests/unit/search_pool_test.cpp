// Unit tests of server/search/search_pool.h: the work runs on N long-lived workers, at most N
// at once, the rest in arrival order, and "overloaded" instead of an unbounded wait.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include "errors.h"
#include "search_pool.h"

using kb::search::SearchPool;
using namespace std::chrono_literals;

namespace {

// Waits (bounded) until `n` callers wait for a worker. (The callers are jthreads: a failed
// REQUIRE unwinds through their destructors, which join them instead of aborting.)
bool waits_for(const SearchPool& pool, std::size_t n) {
  for (int i = 0; i < 2000; ++i) {
    if (pool.waiting() == n) return true;
    std::this_thread::sleep_for(1ms);
  }
  return false;
}

// What a caller sees: "ran" or the code of the kb::RuntimeError it got.
std::string outcome(SearchPool& pool, std::atomic<int>* ran = nullptr) {
  try {
    pool.run([&] {
      if (ran) ++*ran;
    });
  } catch (const kb::RuntimeError& e) {
    return e.code();
  }
  return "ran";
}

// outcome() until it is not "overloaded", for at most two seconds: a worker just freed may
// take a while to wake on a loaded machine, and the pool's limit is short in these tests.
std::string outcome_soon(SearchPool& pool, std::atomic<int>* ran = nullptr) {
  std::string last = "overloaded";
  for (int i = 0; i < 2000 && last == "overloaded"; ++i) {
    last = outcome(pool, ran);
    if (last == "overloaded") std::this_thread::sleep_for(1ms);
  }
  return last;
}

// Holds a pool's worker busy until release() (or destruction, so a failed REQUIRE cannot
// leave a worker blocked and a join hanging).
class BusyWorker {
 public:
  explicit BusyWorker(SearchPool& pool) : caller_([this, &pool] { pool.run([this] { hold(); }); }) {
    for (int i = 0; i < 2000 && !holding_; ++i) std::this_thread::sleep_for(1ms);
  }
  ~BusyWorker() { release(); }
  bool holding() const { return holding_; }
  void release() { released_ = true; }

 private:
  void hold() {
    holding_ = true;
    while (!released_) std::this_thread::sleep_for(1ms);
  }
  std::atomic<bool> holding_{false}, released_{false};
  std::jthread caller_;  // last: joined first, while the flags still exist
};

}  // namespace

TEST_CASE("the work runs on the pool's workers and its result or exception comes back") {
  SearchPool pool(2, 100, 10s);
  CHECK(pool.workers() == 2);
  CHECK(pool.run([] { return std::string("answer"); }) == "answer");
  CHECK_THROWS_AS(pool.run([]() -> int { throw std::invalid_argument("bad query"); }), std::invalid_argument);
  // A worker is a thread of the pool's own, the same ones every time (each keeps its
  // searcher, so a new generation is opened by two threads, not by every connection's).
  std::set<std::thread::id> threads;
  for (int i = 0; i < 50; ++i) threads.insert(pool.run([] { return std::this_thread::get_id(); }));
  CHECK(threads.size() <= 2);
  CHECK(threads.count(std::this_thread::get_id()) == 0);
}

TEST_CASE("callers beyond the workers wait, and are served first come, first served") {
  SearchPool pool(1, 100, 10s);
  std::mutex m;
  std::vector<int> order;
  std::vector<std::jthread> callers;
  {
    BusyWorker busy(pool);  // the one worker is taken
    REQUIRE(busy.holding());
    for (int i = 0; i < 5; ++i) {
      callers.emplace_back([&, i] {
        pool.run([&] {
          std::lock_guard<std::mutex> lock(m);
          order.push_back(i);
        });
      });
      // The next caller arrives only once this one waits: the arrival order is known.
      REQUIRE(waits_for(pool, static_cast<std::size_t>(i) + 1));
    }
    std::lock_guard<std::mutex> lock(m);
    CHECK(order.empty());  // nothing ran past the busy worker
  }
  for (auto& t : callers) t.join();
  CHECK(order == std::vector<int>{0, 1, 2, 3, 4});
  CHECK(pool.waiting() == 0);
}

TEST_CASE("as many run at once as there are workers") {
  SearchPool pool(3, 100, 10s);
  std::atomic<int> inside{0}, most{0};
  std::atomic<bool> release{false};
  std::vector<std::jthread> callers;
  // Destroyed before `callers` (so before their joins), also when a REQUIRE fails.
  struct Release {
    std::atomic<bool>& flag;
    ~Release() { flag = true; }
  } release_on_exit{release};
  for (int i = 0; i < 6; ++i) {
    callers.emplace_back([&] {
      pool.run([&] {
        const int now = ++inside;
        int seen = most.load();
        while (now > seen && !most.compare_exchange_weak(seen, now)) {
        }
        while (!release) std::this_thread::sleep_for(1ms);
        --inside;
      });
    });
  }
  REQUIRE(waits_for(pool, 3));  // three waiting, so three running
  for (int i = 0; i < 2000 && inside < 3; ++i) std::this_thread::sleep_for(1ms);
  CHECK(inside == 3);
  release = true;
  for (auto& t : callers) t.join();
  CHECK(most == 3);
}

TEST_CASE("a full queue answers overloaded at once instead of queueing") {
  SearchPool pool(1, 2, 10s);
  std::atomic<int> ran{0};
  std::vector<std::jthread> waiters;  // declared first: joined after the worker is released
  auto busy = std::make_unique<BusyWorker>(pool);
  REQUIRE(busy->holding());
  for (int i = 0; i < 2; ++i) waiters.emplace_back([&] { outcome(pool, &ran); });
  REQUIRE(waits_for(pool, 2));
  const auto t0 = std::chrono::steady_clock::now();
  CHECK(outcome(pool, &ran) == "overloaded");
  CHECK(std::chrono::steady_clock::now() - t0 < 5s);  // no wait for the 10 s limit
  CHECK(pool.waiting() == 2);                          // the waiters keep their turn
  busy.reset();
  for (auto& t : waiters) t.join();
  CHECK(ran == 2);  // the two queued ran, the refused one did not
  CHECK(outcome(pool) == "ran");
}

TEST_CASE("a caller that waits longer than the limit gets overloaded, and its work never runs") {
  SearchPool pool(1, 100, 50ms);
  std::atomic<int> ran{0};
  auto busy = std::make_unique<BusyWorker>(pool);
  REQUIRE(busy->holding());
  const auto t0 = std::chrono::steady_clock::now();
  CHECK(outcome(pool, &ran) == "overloaded");
  CHECK(std::chrono::steady_clock::now() - t0 >= 50ms);
  CHECK(pool.waiting() == 0);
  busy.reset();
  // The worker is free again (once it has woken: bounded wait), and the timed-out work did
  // not run when it got free.
  CHECK(outcome_soon(pool) == "ran");
  CHECK(ran == 0);
  CHECK(outcome_soon(pool, &ran) == "ran");
  CHECK(ran == 1);
}

TEST_CASE("work a worker took before the limit finishes, however long it takes") {
  SearchPool pool(1, 100, 30ms);
  // Taken at once, runs five times the queue's limit: a late answer, not a refused one. (On
  // a loaded machine the worker may wake too late to take it: refused before it started,
  // which is right, and tried again.)
  int result = 0;
  for (int attempt = 0; attempt < 50 && result == 0; ++attempt) {
    bool started = false;
    try {
      result = pool.run([&] {
        started = true;
        std::this_thread::sleep_for(150ms);
        return 7;
      });
    } catch (const kb::RuntimeError& e) {
      CHECK(e.code() == "overloaded");
      REQUIRE_FALSE(started);  // refused work never runs
    }
  }
  CHECK(result == 7);
}

TEST_CASE("no workers: the work runs on the caller's thread, without a queue") {
  SearchPool pool(0, 0, 1ms);
  CHECK(pool.workers() == 0);
  CHECK(pool.run([] { return std::this_thread::get_id(); }) == std::this_thread::get_id());
  CHECK(outcome(pool) == "ran");
}

TEST_CASE("with no queue, a caller runs while a worker is idle and is refused while none is") {
  SearchPool pool(1, 0, 10s);
  CHECK(outcome(pool) == "ran");
  CHECK(outcome(pool) == "ran");
  auto busy = std::make_unique<BusyWorker>(pool);
  REQUIRE(busy->holding());
  CHECK(outcome(pool) == "overloaded");
  busy.reset();
  // The worker finishes its work and goes back to waiting for more.
  CHECK(outcome_soon(pool) == "ran");
}
