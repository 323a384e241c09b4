// The event store: batches written by the writer thread, reads that see queued events,
// redaction on the way in, the bounded queue and retention.
#include <doctest/doctest.h>

#include <string>
#include <thread>
#include <vector>

#include "errors.h"
#include "event_reader.h"
#include "event_store.h"
#include "temp_dir.h"

using kb::events::Event;
using kb::events::EventReader;
using kb::events::EventStore;
using kb::events::EventType;
using kb::events::StoreSettings;

namespace {

constexpr std::int64_t kDay = 24LL * 60 * 60 * 1000;

StoreSettings settings_for(const kb::test::TempDir& dir) {
  StoreSettings s;
  s.path = dir / "events.db";
  return s;
}

Event search(const std::string& session, const std::string& query, std::int64_t time_ms = 0) {
  Event e;
  e.type = EventType::Search;
  e.session = session;
  e.channel = "web";
  e.lang = "en";
  e.query = query;
  e.results = 2;
  e.top = {"reset-password", "account-locked"};
  e.time_ms = time_ms;
  return e;
}

}  // namespace

TEST_CASE("recorded events are written, redacted, and read back in time order") {
  kb::test::TempDir dir;
  {
    EventStore store(settings_for(dir));
    const std::int64_t now = EventStore::now_ms();
    CHECK(store.record(search("s1", "my email is jane@example.com", now - 2000)));
    Event fb;
    fb.type = EventType::Feedback;
    fb.session = "s1";
    fb.channel = "botframework";
    fb.item = "reset-password";
    fb.lang = "en";
    fb.helpful = false;
    fb.reason = "call me on +44 20 7946 0958";
    fb.time_ms = now - 1000;
    CHECK(store.record(fb));
    CHECK(store.record(search("s2", "other session", now)));
    store.flush();
    CHECK(store.written() == 3);

    const auto steps = store.journey("s1");
    REQUIRE(steps.size() == 2);
    CHECK(steps[0].type == EventType::Search);
    CHECK(steps[0].query == "my email is [email]");
    CHECK(steps[0].top == std::vector<std::string>{"reset-password", "account-locked"});
    CHECK(steps[0].results == 2);
    CHECK(steps[1].type == EventType::Feedback);
    CHECK(steps[1].reason == "call me on [phone]");
    REQUIRE(steps[1].helpful.has_value());
    CHECK_FALSE(*steps[1].helpful);
    CHECK(steps[1].channel == "botframework");
  }
  // Nothing unredacted reached the file (the WAL is checkpointed into it on close).
  const std::string bytes = kb::test::read_file(dir / "events.db");
  CHECK(bytes.find("jane@example.com") == std::string::npos);
  CHECK(bytes.find("7946") == std::string::npos);
  EventReader reader(dir / "events.db");
  CHECK(reader.journey("s2", 10).size() == 1);
}

TEST_CASE("a journey sees events still in the queue, once each") {
  kb::test::TempDir dir;
  StoreSettings s = settings_for(dir);
  s.flush_interval = std::chrono::hours(1);  // the writer only runs on flush() or a full batch
  s.batch_size = 1000000;
  EventStore store(s);
  store.record(search("s", "one"));
  store.record(search("s", "two"));
  CHECK(store.written() == 0);
  auto steps = store.journey("s");
  REQUIRE(steps.size() == 2);
  CHECK(steps[0].query == "one");
  store.flush();
  CHECK(store.written() == 2);
  store.record(search("s", "three"));
  steps = store.journey("s");
  REQUIRE(steps.size() == 3);
  CHECK(steps[2].query == "three");
  CHECK(store.journey("s", 2).front().query == "two");  // the latest are kept
}

TEST_CASE("a full queue drops and counts events instead of blocking") {
  kb::test::TempDir dir;
  StoreSettings s = settings_for(dir);
  s.queue_capacity = 3;
  s.flush_interval = std::chrono::hours(1);
  s.batch_size = 1000000;
  EventStore store(s);
  int accepted = 0;
  for (int i = 0; i < 10; ++i) accepted += store.record(search("s", "q" + std::to_string(i)));
  CHECK(accepted == 3);
  CHECK(store.dropped() == 7);
  store.flush();
  CHECK(store.written() == 3);
  CHECK(store.record(search("s", "after the flush")));
}

TEST_CASE("the destructor writes what is queued") {
  kb::test::TempDir dir;
  {
    StoreSettings s = settings_for(dir);
    s.flush_interval = std::chrono::hours(1);
    s.batch_size = 1000000;
    EventStore store(s);
    for (int i = 0; i < 50; ++i) store.record(search("s", "q"));
  }
  EventReader reader(dir / "events.db");
  CHECK(reader.journey("s", 1000).size() == 50);
}

TEST_CASE("many threads record at once; ids stay unique and every event is written") {
  kb::test::TempDir dir;
  StoreSettings s = settings_for(dir);
  s.batch_size = 64;
  s.flush_interval = std::chrono::milliseconds(5);
  EventStore store(s);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&store, t] {
      for (int i = 0; i < 500; ++i) store.record(search("t" + std::to_string(t), "q"));
    });
  }
  for (auto& th : threads) th.join();
  store.flush();
  CHECK(store.written() == 2000);
  CHECK(store.dropped() == 0);
  for (int t = 0; t < 4; ++t) CHECK(store.journey("t" + std::to_string(t), 10000).size() == 500);
}

TEST_CASE("retention: expired events are deleted at start and by purge_expired") {
  kb::test::TempDir dir;
  const std::int64_t now = EventStore::now_ms();
  {
    StoreSettings s = settings_for(dir);
    s.retention_days = 0;  // keep everything while writing the fixture
    EventStore store(s);
    store.record(search("s", "100 days old", now - 100 * kDay));
    store.record(search("s", "40 days old", now - 40 * kDay));
    store.record(search("s", "yesterday", now - kDay));
    store.flush();
    CHECK(store.purge_expired(now) == 0);
    CHECK(store.journey("s").size() == 3);
  }
  {
    StoreSettings s = settings_for(dir);
    s.retention_days = 60;
    EventStore store(s);  // deletes the 100-day-old event on opening
    auto steps = store.journey("s");
    REQUIRE(steps.size() == 2);
    CHECK(steps[0].query == "40 days old");
    // Thirty days later the 40-day-old event is past the 60 days too.
    CHECK(store.purge_expired(now + 30 * kDay) == 1);
    steps = store.journey("s");
    REQUIRE(steps.size() == 1);
    CHECK(steps[0].query == "yesterday");
  }
}

TEST_CASE("opening fails with IoError for an unusable path or a foreign database") {
  kb::test::TempDir dir;
  StoreSettings s;
  s.path = dir / "a-file" / "events.db";
  dir.write("a-file", "not a folder");
  CHECK_THROWS_AS(EventStore{s}, kb::IoError);
  dir.write("not-events.db", "SQLite format 3 but not really");
  CHECK_THROWS_AS(EventReader(dir / "not-events.db"), kb::IoError);
  CHECK_THROWS_AS(EventReader(dir / "missing.db"), kb::IoError);
}
