// The HTTP API of kb-server (docs/http-api.md). The only place that includes httplib.h.
#pragma once

#include <memory>

#include "server_config.h"

namespace kb::search {
class KnowledgeBase;
}
namespace kb::events {
class EventStore;
}

namespace kb::server {

// Routes, JSON errors, limits and socket settings around one KnowledgeBase.
// bind() then serve(); stop() may be called from any thread and makes serve() return after
// requests in flight have finished. With an event store (which must outlive the server),
// searches, suggestions, answers and views are recorded and feedback is accepted.
class HttpServer {
 public:
  HttpServer(const ServerConfig& config, search::KnowledgeBase& kb, events::EventStore* events = nullptr);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and listens; returns the port (useful with port 0). Throws kb::IoError on failure.
  int bind();
  // Accepts connections until stop(). Returns false if the server failed.
  bool serve();
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kb::server
