// How many searches run at once. Requests beyond that wait their turn in arrival order.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>

namespace kb::search {

// Lets at most `slots` callers in at once; the others wait, first come first served.
// Like a search thread pool with a queue in front (Elasticsearch's `search` pool): with many
// more searches in flight than cores, the operating system shares the cores among all of
// them and every search takes as long as all of them together; fewer at once run faster,
// so the slow ones take fewer fast ones down with them and the latency percentiles tighten
// (docs/performance.md has the measured trade-off against throughput).
// A caller that finds `max_waiting` others waiting, or waits longer than `max_wait`, gets
// kb::RuntimeError "overloaded" (HTTP 503) instead of a late answer. slots == 0: no gate.
// Thread-safe.
class AdmissionGate {
 public:
  AdmissionGate(unsigned slots, std::size_t max_waiting, std::chrono::milliseconds max_wait);
  AdmissionGate(const AdmissionGate&) = delete;
  AdmissionGate& operator=(const AdmissionGate&) = delete;

  // Holds a slot from construction to destruction.
  class Pass {
   public:
    explicit Pass(AdmissionGate& gate) : gate_(gate) { gate_.enter(); }
    ~Pass() { gate_.leave(); }
    Pass(const Pass&) = delete;
    Pass& operator=(const Pass&) = delete;

   private:
    AdmissionGate& gate_;
  };

  // Callers waiting now (for tests and status).
  std::size_t waiting() const;

 private:
  struct Waiter {
    std::condition_variable wake;
    bool admitted = false;
  };
  void enter();
  void leave();

  const unsigned slots_;
  const std::size_t max_waiting_;
  const std::chrono::milliseconds max_wait_;
  mutable std::mutex mutex_;
  unsigned free_;
  std::deque<Waiter*> queue_;  // in arrival order
};

}  // namespace kb::search
