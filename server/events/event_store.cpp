// The writer thread, the schema and the retention (docs/analytics.md).
#include "event_store.h"

#include <algorithm>
#include <cstdio>
#include <map>

#include <nlohmann/json.hpp>

#include "redaction.h"
#include "statement.h"

namespace kb::events {
namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS events (
  id       INTEGER PRIMARY KEY,
  time_ms  INTEGER NOT NULL,
  type     TEXT NOT NULL,
  session  TEXT NOT NULL DEFAULT '',
  channel  TEXT NOT NULL DEFAULT '',
  lang     TEXT NOT NULL DEFAULT '',
  query    TEXT NOT NULL DEFAULT '',
  item     TEXT NOT NULL DEFAULT '',
  results  INTEGER,
  top      TEXT,
  position INTEGER,
  helpful  INTEGER,
  reason   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS events_by_session ON events (session, time_ms) WHERE session <> '';
CREATE INDEX IF NOT EXISTS events_by_time ON events (time_ms);
)sql";

constexpr std::int64_t kDayMs = 24LL * 60 * 60 * 1000;

}  // namespace

std::int64_t EventStore::now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

EventStore::EventStore(StoreSettings settings) : settings_(std::move(settings)) {
  std::error_code ec;
  if (settings_.path.has_parent_path()) std::filesystem::create_directories(settings_.path.parent_path(), ec);
  const int rc = sqlite3_open_v2(settings_.path.c_str(), &db_,
                                 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  try {
    if (rc != SQLITE_OK) {
      throw IoError("cannot open event database " + settings_.path.string() + ": " +
                    (db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc)));
    }
    sqlite3_busy_timeout(db_, 5000);
    // WAL: readers (journeys, analytics, kb-report) never wait for the writer, nor it for them.
    exec(db_, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
    exec(db_, kSchema);
    Statement max_id(db_, "SELECT coalesce(max(id), 0) FROM events");
    max_id.step();
    next_id_ = max_id.integer(0) + 1;
    done_up_to_ = next_id_ - 1;
    reader_ = std::make_unique<EventReader>(settings_.path);
  } catch (const Error&) {
    sqlite3_close(db_);
    throw;
  }
  purge_expired(now_ms());
  writer_ = std::thread([this] { run(); });
}

EventStore::~EventStore() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  writer_.join();
  reader_.reset();
  sqlite3_close(db_);
}

bool EventStore::record(Event event) {
  redact_in_place(event.query);
  redact_in_place(event.reason);
  if (event.time_ms == 0) event.time_ms = now_ms();
  bool wake = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_ || queue_.size() >= settings_.queue_capacity) {
      dropped_.fetch_add(1, std::memory_order_relaxed);
      return false;
    }
    event.id = next_id_++;
    queue_.push_back(std::move(event));
    wake = queue_.size() >= settings_.batch_size;
  }
  if (wake) wake_.notify_one();
  return true;
}

void EventStore::flush() {
  std::unique_lock<std::mutex> lock(mutex_);
  const std::int64_t target = next_id_ - 1;
  if (done_up_to_ >= target) return;
  flush_requested_ = true;
  wake_.notify_one();
  written_cv_.wait(lock, [&] { return done_up_to_ >= target; });
}

void EventStore::run() {
  auto last_purge = std::chrono::steady_clock::now();
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    wake_.wait_for(lock, settings_.flush_interval, [this] {
      return stopping_ || flush_requested_ || queue_.size() >= settings_.batch_size;
    });
    flush_requested_ = false;
    if (settings_.retention_days > 0 && std::chrono::steady_clock::now() - last_purge >= settings_.purge_interval) {
      last_purge = std::chrono::steady_clock::now();
      lock.unlock();
      purge_expired(now_ms());
      lock.lock();
    }
    if (!queue_.empty()) {
      in_flight_.swap(queue_);
      const std::int64_t last = in_flight_.back().id;
      lock.unlock();
      // in_flight_ is only read while unlocked; readers copy from it under the lock.
      write_batch(in_flight_);
      lock.lock();
      in_flight_.clear();
      done_up_to_ = last;
      written_cv_.notify_all();
      continue;  // more may have arrived while writing
    }
    if (stopping_) break;
  }
}

void EventStore::write_batch(const std::vector<Event>& batch) {
  std::lock_guard<std::mutex> lock(write_mutex_);
  try {
    exec(db_, "BEGIN");
    try {
      Statement insert(db_,
                       "INSERT INTO events (id, time_ms, type, session, channel, lang, query, item, results, top,"
                       " position, helpful, reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)");
      for (const Event& e : batch) {
        insert.bind(1, e.id);
        insert.bind(2, e.time_ms);
        insert.bind(3, type_name(e.type));
        insert.bind(4, e.session);
        insert.bind(5, e.channel);
        insert.bind(6, e.lang);
        insert.bind(7, e.query);
        insert.bind(8, e.item);
        if (e.results >= 0) insert.bind(9, e.results); else insert.bind_null(9);
        if (!e.top.empty()) {
          insert.bind(10, nlohmann::json(e.top).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
        } else {
          insert.bind_null(10);
        }
        if (e.position >= 0) insert.bind(11, e.position); else insert.bind_null(11);
        if (e.helpful) insert.bind(12, *e.helpful ? 1 : 0); else insert.bind_null(12);
        insert.bind(13, e.reason);
        insert.step();
        insert.reset();
      }
      exec(db_, "COMMIT");
      written_.fetch_add(batch.size(), std::memory_order_relaxed);
    } catch (const Error&) {
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      throw;
    }
  } catch (const Error& e) {
    // A full disk or a broken file loses this batch, never a request.
    dropped_.fetch_add(batch.size(), std::memory_order_relaxed);
    std::fprintf(stderr, "kb-server: %zu events not written: %s\n", batch.size(), e.what());
  }
}

std::size_t EventStore::purge_expired(std::int64_t now) {
  if (settings_.retention_days <= 0) return 0;
  std::lock_guard<std::mutex> lock(write_mutex_);
  try {
    Statement del(db_, "DELETE FROM events WHERE time_ms < ?1");
    del.bind(1, now - settings_.retention_days * kDayMs);
    del.step();
    return static_cast<std::size_t>(sqlite3_changes(db_));
  } catch (const Error& e) {
    std::fprintf(stderr, "kb-server: expired events not deleted: %s\n", e.what());
    return 0;
  }
}

std::vector<Event> EventStore::journey(const std::string& session, std::size_t limit) {
  // Queued events first, then the database: an event committed in between is in both (and
  // merged by id); one read the other way round could be in neither.
  std::map<std::int64_t, Event> by_id;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto* list : {&in_flight_, &queue_}) {
      for (const Event& e : *list) {
        if (e.session == session) by_id.emplace(e.id, e);
      }
    }
  }
  {
    std::lock_guard<std::mutex> lock(read_mutex_);
    for (Event& e : reader_->journey(session, limit)) by_id.insert_or_assign(e.id, std::move(e));
  }
  std::vector<Event> out;
  out.reserve(by_id.size());
  for (auto& [id, e] : by_id) out.push_back(std::move(e));
  std::stable_sort(out.begin(), out.end(), [](const Event& a, const Event& b) {
    return a.time_ms != b.time_ms ? a.time_ms < b.time_ms : a.id < b.id;
  });
  if (out.size() > limit) out.erase(out.begin(), out.end() - static_cast<std::ptrdiff_t>(limit));
  return out;
}

Analytics EventStore::analytics(const AnalyticsQuery& query) {
  std::lock_guard<std::mutex> lock(read_mutex_);
  return reader_->analytics(query);
}

std::vector<ItemSignal> EventStore::item_signals(std::int64_t since_ms) {
  std::lock_guard<std::mutex> lock(read_mutex_);
  return reader_->item_signals(since_ms);
}

}  // namespace kb::events
