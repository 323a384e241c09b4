// kb-server's configuration: defaults, then a YAML file, then KB_* variables, then flags.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "search_types.h"

namespace kb::server {

// The event store and what it feeds (docs/analytics.md). Events are recorded only when
// `enabled` and a `path` is set.
struct EventSettings {
  bool enabled = true;
  std::string path;                    // SQLite file; "" records nothing
  int retention_days = 90;             // 0 keeps events for ever
  std::size_t queue_capacity = 10000;  // events waiting to be written; more are dropped (counted)
  int flush_interval_ms = 200;         // the writer commits at least this often
  bool boost = true;                   // feedback in ranking
  int boost_refresh_s = 60;            // how often the boost is recomputed from the events
};

struct ServerConfig {
  std::string kb_dir;                 // knowledge base folder (required)
  std::string host = "127.0.0.1";
  int port = 8080;                    // 0 picks a free port (printed at start-up)
  int threads = 64;                   // worker threads; each keep-alive connection holds one
  int listen_backlog = 1024;
  // Connections waiting for a worker beyond this are answered 503 with Retry-After at once
  // (load shedding) instead of waiting in an unbounded queue.
  int max_queued_connections = 256;
  int read_timeout_ms = 5000;
  int write_timeout_ms = 5000;
  int keep_alive_timeout_s = 5;
  int keep_alive_max_requests = 1000;
  std::size_t max_body_bytes = 1u << 20;
  // A request (line, headers, body) must arrive within this time of its first byte, however
  // slowly its bytes come (slow clients are cut off with 408); its line and headers may not
  // exceed max_header_bytes (431).
  int request_timeout_ms = 10000;
  std::size_t max_header_bytes = 32768;
  // Per-client token bucket (requests per second, burst) on every endpoint but /health;
  // requests with a valid agent or editor token are not limited. 0 disables (the default:
  // behind a reverse proxy every client has the proxy's address).
  double rate_limit_per_s = 0;
  int rate_limit_burst = 40;
  int reload_interval_ms = 250;       // how often the live generation is checked
  bool access_log = true;
  std::string agent_token;            // required for channel=agent; never logged
  std::string editor_token;           // required for editor endpoints; never logged
  std::string content_dir;            // content folder POST /v1/admin/reindex builds from
  std::vector<std::string> channel_plugins;          // shared libraries with more channels
  std::map<std::string, double> channel_thresholds;  // confidence threshold per channel, 0..1
  std::string public_base_url;        // "https://help.example.com": makes answer links absolute
  search::SearchSettings search;
  EventSettings events;
};

// Loads the configuration. `args` are the command-line arguments without the program name;
// `env` the environment. Throws kb::InvalidArgument naming the source and the setting when
// anything is malformed or out of range.
ServerConfig load_server_config(const std::vector<std::string>& args,
                                const std::map<std::string, std::string>& env);

// The usage text for kb-server.
std::string server_usage();

}  // namespace kb::server
