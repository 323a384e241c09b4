// The event store: an embedded SQLite database (WAL) written by one background thread in
// batches, so recording costs a request only a redaction and a queue push.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "analytics.h"
#include "event.h"
#include "event_reader.h"

struct sqlite3;

namespace kb::events {

struct StoreSettings {
  std::filesystem::path path;                    // the database file (created if missing)
  int retention_days = 90;                       // older events are deleted; 0 keeps them
  std::size_t queue_capacity = 10000;            // events waiting for the writer; more are dropped
  std::size_t batch_size = 500;                  // the writer wakes early for a full batch
  std::chrono::milliseconds flush_interval{200}; // ... and at least this often otherwise
  std::chrono::milliseconds purge_interval{std::chrono::hours(1)};
};

// Thread-safe. record() never blocks on the database: events wait in a bounded queue that
// one writer thread empties in transactions; when the queue is full the event is dropped
// and counted. Reads (journeys) see the queued events too, so a client reads its own
// writes. The destructor writes what is queued, then stops the writer.
class EventStore {
 public:
  // Opens or creates the database, switches it to WAL, creates the schema and deletes
  // expired events. Throws kb::IoError when the file cannot be opened or written.
  explicit EventStore(StoreSettings settings);
  ~EventStore();
  EventStore(const EventStore&) = delete;
  EventStore& operator=(const EventStore&) = delete;

  // Redacts the query and reason (redaction.h), stamps the id (and the time when 0) and
  // queues the event. False when the queue was full and the event was dropped.
  bool record(Event event);

  // Blocks until every event recorded before the call is written (or failed to be).
  void flush();

  // Deletes events older than the retention before `now_ms`; returns how many.
  std::size_t purge_expired(std::int64_t now_ms);

  // The session's events, written and queued, in time order (at most `limit`, the latest).
  std::vector<Event> journey(const std::string& session, std::size_t limit = 1000);
  Analytics analytics(const AnalyticsQuery& query);
  std::vector<ItemSignal> item_signals(std::int64_t since_ms = 0);

  std::uint64_t dropped() const { return dropped_.load(std::memory_order_relaxed); }
  std::uint64_t written() const { return written_.load(std::memory_order_relaxed); }
  const StoreSettings& settings() const { return settings_; }

  static std::int64_t now_ms();

 private:
  void run();
  void write_batch(const std::vector<Event>& batch);

  const StoreSettings settings_;
  sqlite3* db_ = nullptr;        // the writer's connection
  std::mutex write_mutex_;       // db_ (the writer thread and purge_expired)
  std::mutex read_mutex_;
  std::unique_ptr<EventReader> reader_;

  std::mutex mutex_;             // everything below
  std::condition_variable wake_;
  std::condition_variable written_cv_;
  std::vector<Event> queue_;
  std::vector<Event> in_flight_;  // taken by the writer, not committed yet (read-only meanwhile)
  std::int64_t next_id_ = 1;
  std::int64_t done_up_to_ = 0;   // every id <= this is written or failed
  bool flush_requested_ = false;
  bool stopping_ = false;

  std::atomic<std::uint64_t> dropped_{0};
  std::atomic<std::uint64_t> written_{0};
  std::thread writer_;            // last: starts after everything above is ready
};

}  // namespace kb::events
