// The search admission gate: a counting semaphore that hands slots over in arrival order.
#include "admission_gate.h"

#include <algorithm>
#include <string>

#include "errors.h"

namespace kb::search {

AdmissionGate::AdmissionGate(unsigned slots, std::size_t max_waiting, std::chrono::milliseconds max_wait)
    : slots_(slots), max_waiting_(max_waiting), max_wait_(max_wait), free_(slots) {}

std::size_t AdmissionGate::waiting() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return queue_.size();
}

void AdmissionGate::enter() {
  if (slots_ == 0) return;
  std::unique_lock<std::mutex> lock(mutex_);
  if (free_ > 0 && queue_.empty()) {
    --free_;
    return;
  }
  if (queue_.size() >= max_waiting_) {
    throw RuntimeError("overloaded", "too many searches are waiting (" + std::to_string(queue_.size()) +
                                         "); retry in a second");
  }
  Waiter me;
  queue_.push_back(&me);
  // leave() hands its slot to the first waiter directly: free_ is not incremented for it.
  if (!me.wake.wait_for(lock, max_wait_, [&] { return me.admitted; })) {
    queue_.erase(std::find(queue_.begin(), queue_.end(), &me));
    throw RuntimeError("overloaded", "the search waited " + std::to_string(max_wait_.count()) +
                                         " ms for its turn; retry in a second");
  }
}

void AdmissionGate::leave() {
  if (slots_ == 0) return;
  std::lock_guard<std::mutex> lock(mutex_);
  if (queue_.empty()) {
    ++free_;
    return;
  }
  Waiter* next = queue_.front();
  queue_.pop_front();
  next->admitted = true;
  next->wake.notify_one();
}

}  // namespace kb::search
