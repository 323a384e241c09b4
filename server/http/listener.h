// kb-server's connections: httplib::Server with a bounded time and size for each request.
#pragma once

#include <httplib.h>

#include <chrono>
#include <cstddef>

namespace kb::server {

// Why the server stopped reading a request before it was complete.
enum class RequestCut {
  None,
  TimedOut,         // the request (line, headers, body) did not arrive within request_timeout
  HeadersTooLarge,  // the request line and headers are longer than max_header_bytes
  BodyTooLarge,     // a chunked body longer than the payload limit (httplib checks only
                    // Content-Length)
};

// httplib's per-read timeout lets a client that sends one byte at a time hold a worker for
// ever (slowloris), and it reads any number of header lines. The Listener runs each
// connection itself (the keep-alive loop of httplib, with one buffered stream per
// connection) and adds limits: the whole request must arrive within `request_timeout` of
// its first byte, the request line plus headers may not exceed `max_header_bytes`, and a
// body may not exceed the payload limit however it is encoded. A request cut short gets
// 408, 431 or 413 (see cut_short(); the Listener answers itself when the request line was
// not complete) and its connection is closed; other connections are not affected. Handlers
// never read from the stream, so a slow handler is never cut.
//
// stop() stops accepting, wakes idle keep-alive connections so they close at once, and lets
// requests in flight finish (they are read and answered).
class Listener : public httplib::Server {
 public:
  Listener();
  ~Listener() override;
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

  void set_request_limits(std::chrono::milliseconds request_timeout, std::size_t max_header_bytes);
  // httplib's listen backlog is compiled in (5); raise it on the bound socket.
  void set_backlog(int backlog);
  void stop();

  // On a worker thread, while its request is answered: why reading it was cut short, if it
  // was (the error handler turns httplib's 400 into 408 or 431).
  static RequestCut cut_short();
  // On a worker thread: when the first byte of its current request arrived.
  static std::chrono::steady_clock::time_point request_started();

 private:
  bool process_and_close_socket(socket_t sock) override;

  std::chrono::milliseconds request_timeout_{10000};
  std::size_t max_header_bytes_ = 32768;
  int wake_fd_ = -1;  // eventfd, readable once stop() was called
};

}  // namespace kb::server
