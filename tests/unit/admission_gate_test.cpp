// Unit tests of server/search/admission_gate.h: at most N searches at once, the rest in
// arrival order, and "overloaded" instead of an unbounded wait.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "admission_gate.h"
#include "errors.h"

using kb::search::AdmissionGate;
using namespace std::chrono_literals;

namespace {

// Waits (bounded) until `n` callers wait at the gate. (The callers are jthreads: a failed
// REQUIRE unwinds through their destructors, which join them instead of aborting.)
bool waits_for(const AdmissionGate& gate, std::size_t n) {
  for (int i = 0; i < 2000; ++i) {
    if (gate.waiting() == n) return true;
    std::this_thread::sleep_for(1ms);
  }
  return false;
}

std::string overloaded_code(AdmissionGate& gate) {
  try {
    const AdmissionGate::Pass pass(gate);
  } catch (const kb::RuntimeError& e) {
    return e.code();
  }
  return "admitted";
}

}  // namespace

TEST_CASE("callers beyond the slots wait, and are let in first come, first served") {
  AdmissionGate gate(1, 100, 10s);
  std::mutex m;
  std::vector<int> order;
  std::vector<std::jthread> callers;
  {
    const AdmissionGate::Pass first(gate);  // the one slot is taken
    for (int i = 0; i < 5; ++i) {
      callers.emplace_back([&, i] {
        const AdmissionGate::Pass pass(gate);
        std::lock_guard<std::mutex> lock(m);
        order.push_back(i);
      });
      // The next caller arrives only once this one waits: the arrival order is known.
      REQUIRE(waits_for(gate, static_cast<std::size_t>(i) + 1));
    }
    std::lock_guard<std::mutex> lock(m);
    CHECK(order.empty());  // nobody got past the slot held
  }
  for (auto& t : callers) t.join();
  CHECK(order == std::vector<int>{0, 1, 2, 3, 4});
  CHECK(gate.waiting() == 0);
}

TEST_CASE("as many callers as slots run at once") {
  AdmissionGate gate(3, 100, 10s);
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
      const AdmissionGate::Pass pass(gate);
      const int now = ++inside;
      int seen = most.load();
      while (now > seen && !most.compare_exchange_weak(seen, now)) {
      }
      while (!release) std::this_thread::sleep_for(1ms);
      --inside;
    });
  }
  REQUIRE(waits_for(gate, 3));  // three waiting, so three inside or on their way in
  for (int i = 0; i < 2000 && inside < 3; ++i) std::this_thread::sleep_for(1ms);
  CHECK(inside == 3);
  release = true;
  for (auto& t : callers) t.join();
  CHECK(most == 3);
}

TEST_CASE("a full queue answers overloaded at once instead of queueing") {
  AdmissionGate gate(1, 2, 10s);
  std::vector<std::jthread> waiters;  // declared first: joined after the pass is released
  auto pass = std::make_unique<AdmissionGate::Pass>(gate);
  for (int i = 0; i < 2; ++i) waiters.emplace_back([&] { const AdmissionGate::Pass p(gate); });
  REQUIRE(waits_for(gate, 2));
  const auto t0 = std::chrono::steady_clock::now();
  CHECK(overloaded_code(gate) == "overloaded");
  CHECK(std::chrono::steady_clock::now() - t0 < 5s);  // no wait for the 10 s limit
  CHECK(gate.waiting() == 2);                          // the waiters keep their turn
  pass.reset();
  for (auto& t : waiters) t.join();
  CHECK(overloaded_code(gate) == "admitted");
}

TEST_CASE("a caller that waits longer than the limit gets overloaded and leaves the queue") {
  AdmissionGate gate(1, 100, 50ms);
  auto pass = std::make_unique<AdmissionGate::Pass>(gate);
  const auto t0 = std::chrono::steady_clock::now();
  CHECK(overloaded_code(gate) == "overloaded");
  CHECK(std::chrono::steady_clock::now() - t0 >= 50ms);
  CHECK(gate.waiting() == 0);
  pass.reset();
  // The slot is free again: the timed-out caller took nothing with it.
  CHECK(overloaded_code(gate) == "admitted");
  CHECK(overloaded_code(gate) == "admitted");
}

TEST_CASE("no slots means no gate") {
  AdmissionGate gate(0, 0, 1ms);
  const AdmissionGate::Pass a(gate), b(gate), c(gate);
  CHECK(overloaded_code(gate) == "admitted");
}
