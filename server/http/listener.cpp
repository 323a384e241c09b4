// The connection loop of kb-server: one buffered stream per connection, a deadline and a
// size limit for each request's head, and a prompt close of idle connections on stop().
#include "listener.h"

#include <netdb.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

#include "http_support.h"

namespace kb::server {
namespace {

using Clock = std::chrono::steady_clock;

thread_local RequestCut current_cut = RequestCut::None;
thread_local Clock::time_point current_start;

int to_ms(time_t sec, time_t usec) { return static_cast<int>(sec * 1000 + usec / 1000); }

int poll_retrying(pollfd* fds, nfds_t n, int timeout_ms) {
  int rc = 0;
  do {
    rc = ::poll(fds, n, timeout_ms);
  } while (rc < 0 && errno == EINTR);
  return rc;
}

void address_of(socket_t sock, bool peer, std::string& ip, int& port) {
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  auto* sa = reinterpret_cast<sockaddr*>(&addr);
  if ((peer ? ::getpeername(sock, sa, &len) : ::getsockname(sock, sa, &len)) != 0) return;
  char host[NI_MAXHOST];
  char service[NI_MAXSERV];
  if (::getnameinfo(sa, len, host, sizeof host, service, sizeof service, NI_NUMERICHOST | NI_NUMERICSERV) == 0) {
    ip = host;
    port = std::atoi(service);
  }
}

// httplib reads the request line and headers one byte at a time, so the stream buffers; it
// also watches the bytes it hands out until the blank line that ends the head.
class ConnectionStream final : public httplib::Stream {
 public:
  ConnectionStream(socket_t sock, int read_timeout_ms, int write_timeout_ms,
                   std::chrono::milliseconds request_timeout, std::size_t max_header_bytes,
                   std::size_t max_body_bytes)
      : sock_(sock),
        read_timeout_ms_(std::max(1, read_timeout_ms)),
        write_timeout_ms_(std::max(1, write_timeout_ms)),
        request_timeout_(request_timeout),
        max_header_bytes_(max_header_bytes),
        max_body_bytes_(max_body_bytes) {
    address_of(sock_, true, remote_ip_, remote_port_);
  }

  // Waits up to `idle_ms` for the first byte of the next request. False when the client
  // closed, stayed idle, or the server is stopping (`wake_fd` readable) and nothing has
  // arrived yet.
  bool wait_for_request(int idle_ms, int wake_fd) {
    if (off_ < len_) return true;
    pollfd fds[2] = {{sock_, POLLIN, 0}, {wake_fd, POLLIN, 0}};
    // A request already here is answered even when stopping.
    return poll_retrying(fds, 2, idle_ms) > 0 && fds[0].revents != 0;
  }

  void start_request() {
    current_start = Clock::now();
    deadline_ = current_start + request_timeout_;
    in_head_ = true;
    head_bytes_ = 0;
    body_bytes_ = 0;
    written_ = 0;
    head_lines_ = 0;
    line_chars_ = 0;
    current_cut = RequestCut::None;
  }

  bool is_readable() const override { return off_ < len_ || wait_readable(); }

  bool is_writable() const override {
    pollfd p{sock_, POLLOUT, 0};
    return poll_retrying(&p, 1, write_timeout_ms_) > 0 && (p.revents & POLLOUT);
  }

  ssize_t read(char* ptr, size_t size) override {
    if (off_ == len_) {
      if (!wait_readable()) return -1;
      ssize_t n = 0;
      do {
        n = ::recv(sock_, buffer_, sizeof buffer_, 0);
      } while (n < 0 && errno == EINTR);
      if (n <= 0) return n;
      off_ = 0;
      len_ = static_cast<std::size_t>(n);
    }
    std::size_t n = std::min(size, len_ - off_);
    if (in_head_) {
      for (std::size_t i = 0; i < n; ++i) {
        const char c = buffer_[off_ + i];
        ++head_bytes_;
        if (c == '\n') {
          if (line_chars_ == 0 && head_lines_ > 0) {
            in_head_ = false;  // the blank line: the body (if any) follows
            n = i + 1;         // hand out the head only, so the body is counted as such
            break;
          }
          ++head_lines_;
          line_chars_ = 0;
        } else if (c != '\r') {
          ++line_chars_;
        }
      }
      if (in_head_ && head_bytes_ > max_header_bytes_) {
        current_cut = RequestCut::HeadersTooLarge;
        return -1;
      }
    } else {
      body_bytes_ += n;
      if (body_bytes_ > max_body_bytes_) {
        current_cut = RequestCut::BodyTooLarge;
        return -1;
      }
    }
    std::memcpy(ptr, buffer_ + off_, n);
    off_ += n;
    return static_cast<ssize_t>(n);
  }

  // httplib writes a response's head and its body with two calls. The head is held back and
  // sent with the body in one call, so they leave together (one segment when the response
  // fits in one, as on loopback; with TCP_NODELAY each call would leave on its own and wake
  // the client once more). A head without a body goes out at flush(). A write is all or
  // nothing: httplib takes a short count for its body as success (and would send a cut body).
  // A streaming response's head would wait for its first chunk (no route streams).
  ssize_t write(const char* ptr, size_t size) override {
    const char kind = written_ == 0 && held_.empty() && size <= kMaxHeld ? head_kind(ptr, size) : '\0';
    if (kind != '\0' && kind != '1') {
      held_.assign(ptr, size);
      return static_cast<ssize_t>(size);
    }
    const ssize_t n = send_all(ptr, size);
    // An interim response ("100 Continue"): the final response's head is still to come.
    if (kind == '1' && n >= 0) written_ = 0;
    return n;
  }

  // Sends a head still held back (a response without a body). False if it could not be sent.
  bool flush() { return held_.empty() || send_all(nullptr, 0) == 0; }

  // Nothing of a response to the current request has been written yet.
  bool nothing_written() const { return written_ == 0 && held_.empty(); }

 private:
  // The held head, then `ptr`, until all of both is sent: `size`, or -1.
  ssize_t send_all(const char* ptr, size_t size) {
    std::size_t sent = 0;  // of `ptr`
    while (!held_.empty() || sent < size) {
      if (!is_writable()) return -1;
      iovec parts[2];
      int count = 0;
      if (!held_.empty()) parts[count++] = {held_.data(), held_.size()};
      if (sent < size) parts[count++] = {const_cast<char*>(ptr) + sent, size - sent};
      msghdr message{};
      message.msg_iov = parts;
      message.msg_iovlen = static_cast<std::size_t>(count);
      ssize_t n = 0;
      do {
        n = ::sendmsg(sock_, &message, MSG_NOSIGNAL);
      } while (n < 0 && errno == EINTR);
      if (n <= 0) return -1;
      written_ += static_cast<std::size_t>(n);
      const std::size_t of_head = std::min(held_.size(), static_cast<std::size_t>(n));
      held_.erase(0, of_head);
      sent += static_cast<std::size_t>(n) - of_head;
    }
    return static_cast<ssize_t>(size);
  }

 public:
  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    ip = remote_ip_;
    port = remote_port_;
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override { address_of(sock_, false, ip, port); }
  socket_t socket() const override { return sock_; }

 private:
  // Readable within the read timeout and before the request's deadline.
  bool wait_readable() const {
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline_ - Clock::now()).count();
    if (left <= 0) {
      current_cut = RequestCut::TimedOut;
      return false;
    }
    pollfd p{sock_, POLLIN, 0};
    const int rc = poll_retrying(&p, 1, static_cast<int>(std::min<long long>(read_timeout_ms_, left)));
    if (rc == 0) current_cut = RequestCut::TimedOut;
    return rc > 0;
  }

  const socket_t sock_;
  const int read_timeout_ms_;
  const int write_timeout_ms_;
  const std::chrono::milliseconds request_timeout_;
  const std::size_t max_header_bytes_;
  const std::size_t max_body_bytes_;
  std::string remote_ip_;
  int remote_port_ = 0;

  char buffer_[4096];
  std::size_t off_ = 0;
  std::size_t len_ = 0;

  Clock::time_point deadline_ = Clock::time_point::max();
  bool in_head_ = true;
  std::size_t head_bytes_ = 0;
  std::size_t head_lines_ = 0;
  std::size_t line_chars_ = 0;
  std::size_t body_bytes_ = 0;
  std::size_t written_ = 0;

  // A response head, held back until its body (write()). Never an interim response
  // ("HTTP/1.1 100 Continue"): the client waits for it before it sends the body.
  static constexpr std::size_t kMaxHeld = 16384;
  // The first digit of the status if `ptr` is a whole response head, else '\0'.
  static char head_kind(const char* ptr, std::size_t size) {
    const std::string_view head(ptr, size);
    if (head.size() <= 12 || !head.starts_with("HTTP/") || !head.ends_with("\r\n\r\n")) return '\0';
    const auto space = head.find(' ');
    return space + 1 < head.size() ? head[space + 1] : '\0';
  }
  std::string held_;
};

// The answer to a request cut short before httplib could parse its request line (httplib
// then closes without a word): the API's JSON error, and the connection closes.
void answer_cut(ConnectionStream& stream, RequestCut cut) {
  httplib::Response res;
  const char* reason = "Request Timeout";
  if (cut == RequestCut::TimedOut) {
    write_error(res, "request_timeout", "the request did not arrive in time");
  } else if (cut == RequestCut::HeadersTooLarge) {
    write_error(res, "headers_too_large", "the request line and headers are too large");
    reason = "Request Header Fields Too Large";
  } else {
    write_error(res, "payload_too_large", "the request body is too large");
    reason = "Payload Too Large";
  }
  const std::string out = "HTTP/1.1 " + std::to_string(res.status) + " " + reason +
                          "\r\nContent-Type: " + res.get_header_value("Content-Type") +
                          "\r\nContent-Length: " + std::to_string(res.body.size()) +
                          "\r\nConnection: close\r\n\r\n" + res.body;
  stream.write(out.data(), out.size());
  stream.flush();
}

// After an error response to a request that was not read to its end, the client may still be
// sending: closing now would make the kernel reset the connection, and the client could
// lose the response. Stop writing, read and drop what comes (bounded), then close.
void linger_close(socket_t sock) {
  ::shutdown(sock, SHUT_WR);
  const auto until = Clock::now() + std::chrono::seconds(1);
  std::size_t dropped = 0;
  char scratch[16384];
  while (dropped < (1u << 20)) {
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(until - Clock::now()).count();
    pollfd p{sock, POLLIN, 0};
    if (left <= 0 || poll_retrying(&p, 1, static_cast<int>(left)) <= 0) break;
    const ssize_t n = ::recv(sock, scratch, sizeof scratch, 0);
    if (n <= 0) break;
    dropped += static_cast<std::size_t>(n);
  }
}

}  // namespace

Listener::Listener() : wake_fd_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {}

Listener::~Listener() {
  if (wake_fd_ >= 0) ::close(wake_fd_);
}

void Listener::set_request_limits(std::chrono::milliseconds request_timeout, std::size_t max_header_bytes) {
  request_timeout_ = request_timeout;
  max_header_bytes_ = max_header_bytes;
}

void Listener::set_backlog(int backlog) {
  const auto sock = svr_sock_.load();
  if (sock != INVALID_SOCKET) ::listen(sock, backlog);
}

void Listener::stop() {
  httplib::Server::stop();
  if (wake_fd_ >= 0) {
    const std::uint64_t one = 1;
    const ssize_t written = ::write(wake_fd_, &one, sizeof one);
    (void)written;  // an eventfd write only fails when the counter is full: already woken
  }
}

RequestCut Listener::cut_short() { return current_cut; }

std::chrono::steady_clock::time_point Listener::request_started() { return current_start; }

bool Listener::process_and_close_socket(socket_t sock) {
  // Chunked bodies are counted raw: their framing gets some room beyond the payload limit.
  const std::size_t max_body = payload_max_length_ > SIZE_MAX - 65536 ? SIZE_MAX : payload_max_length_ + 65536;
  ConnectionStream stream(sock, to_ms(read_timeout_sec_, read_timeout_usec_),
                          to_ms(write_timeout_sec_, write_timeout_usec_), request_timeout_, max_header_bytes_,
                          max_body);
  bool ok = false;
  bool cut = false;
  // A new connection sends its first request within the read timeout; between requests a
  // kept-alive connection may idle for the keep-alive timeout.
  int idle_ms = to_ms(read_timeout_sec_, read_timeout_usec_);
  for (std::size_t left = keep_alive_max_count_; left > 0; --left) {
    if (!stream.wait_for_request(idle_ms, wake_fd_)) break;
    stream.start_request();
    const bool stopping = svr_sock_ == INVALID_SOCKET;
    bool connection_closed = false;
    ok = process_request(stream, left == 1 || stopping, connection_closed, nullptr);
    if (!stream.flush()) ok = false;
    // After a request cut short, what follows on the connection is not a request.
    cut = current_cut != RequestCut::None;
    if (cut && !ok && stream.nothing_written()) answer_cut(stream, current_cut);
    current_cut = RequestCut::None;
    if (!ok || connection_closed || stopping || cut) break;
    idle_ms = static_cast<int>(keep_alive_timeout_sec_ * 1000);
  }
  if (cut) linger_close(sock);
  ::shutdown(sock, SHUT_RDWR);
  ::close(sock);
  return ok;
}

}  // namespace kb::server
