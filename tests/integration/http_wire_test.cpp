// What goes over the wire from kb-server: a response's head and body leave together, in one
// segment on loopback (httplib writes them with two calls; with TCP_NODELAY each would be a
// segment of its own, and the client would be woken twice), a response without a body still
// leaves at once, and an interim "100 Continue" is not held back.
#include <doctest/doctest.h>

#include <linux/tcp.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <chrono>
#include <string>

#include "process.h"
#include "raw_http.h"
#include "temp_dir.h"

namespace {

// Segments with data the client has received on `c` (the kernel's count, RFC 4898).
unsigned data_segments_in(const kb::test::RawConnection& c) {
  tcp_info info{};
  socklen_t size = sizeof info;
  REQUIRE(::getsockopt(c.native_handle(), IPPROTO_TCP, TCP_INFO, &info, &size) == 0);
  return info.tcpi_data_segs_in;
}

struct Served {
  kb::test::TempDir dir;
  std::unique_ptr<kb::test::ServerProcess> server;
  explicit Served(const std::string& config_yaml = "access_log: false\n") {
    const auto built = kb::test::run_command({kb::test::kb_index_path(), "build", "--content",
                                              std::string(KB_FIXTURES) + "/content", "--out", (dir / "kb").string(),
                                              "--quiet"});
    REQUIRE(built.exit_code == 0);
    const auto config = dir.write("kb-server.yaml", config_yaml);
    server = std::make_unique<kb::test::ServerProcess>(dir / "kb", std::vector<std::string>{"--config", config.string()});
  }
};

// The head of a response with no body (HEAD), read straight from the socket: whatever
// arrives within `timeout`, up to the blank line.
std::string read_head(const kb::test::RawConnection& c, std::chrono::milliseconds timeout) {
  std::string got;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (got.find("\r\n\r\n") == std::string::npos) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    pollfd p{c.native_handle(), POLLIN, 0};
    if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
    char chunk[4096];
    const ssize_t n = ::recv(c.native_handle(), chunk, sizeof chunk, 0);
    if (n <= 0) break;
    got.append(chunk, static_cast<std::size_t>(n));
  }
  return got;
}

std::string get(const std::string& target, const char* method = "GET") {
  return std::string(method) + " " + target + " HTTP/1.1\r\nHost: kb\r\n\r\n";
}

}  // namespace

TEST_CASE("each response leaves in one segment, head and body together, on a kept-alive connection") {
  Served s;
  kb::test::RawConnection c(s.server->port());
  unsigned segments = data_segments_in(c);
  for (const std::string target : {"/v1/search?q=reset+password&lang=en", "/health", "/v1/search?q=nothing-matches-this&lang=en",
                                   "/v1/search?lang=en&q=" /* 400: no query */}) {
    INFO(target);
    REQUIRE(c.send(get(target)));
    const auto r = c.read_response();
    REQUIRE(r);
    CHECK(!r->body.empty());
    CHECK(r->body.front() == '{');
    CHECK(data_segments_in(c) == segments + 1);
    segments = data_segments_in(c);
  }
}

TEST_CASE("a response without a body leaves at once, in one segment") {
  Served s;
  kb::test::RawConnection c(s.server->port());
  const unsigned before = data_segments_in(c);
  REQUIRE(c.send(get("/health", "HEAD")));
  // The head alone (its Content-Length is the GET's): it must arrive by itself, without
  // waiting for a body that never comes.
  const std::string head = read_head(c, std::chrono::seconds(5));
  CHECK(head.starts_with("HTTP/1.1 200"));
  CHECK(head.ends_with("\r\n\r\n"));
  CHECK(data_segments_in(c) == before + 1);
  // The connection is still usable: the next request gets its whole answer.
  REQUIRE(c.send(get("/health")));
  const auto next = c.read_response();
  REQUIRE(next);
  CHECK(next->status == 200);
  CHECK(next->body.find("index_version") != std::string::npos);
}

TEST_CASE("an interim 100 Continue is sent before the client sends its body") {
  Served s;
  kb::test::RawConnection c(s.server->port());
  const std::string body = R"({"type": "click", "item": "reset-password", "lang": "en"})";
  REQUIRE(c.send("POST /v1/events HTTP/1.1\r\nHost: kb\r\nContent-Type: application/json\r\nExpect: 100-continue\r\n"
                 "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n"));
  // Waits for the interim response, as curl does (for one second), before the body is sent.
  const auto interim = c.read_response(std::chrono::seconds(1));
  REQUIRE(interim);
  CHECK(interim->status == 100);
  const unsigned after_interim = data_segments_in(c);
  REQUIRE(c.send(body));
  const auto r = c.read_response();
  REQUIRE(r);
  CHECK(r->status >= 200);
  CHECK(r->body.front() == '{');
  CHECK(data_segments_in(c) == after_interim + 1);  // the final response, head and body together
}

TEST_CASE("a pipelining client at the request limit gets every response sent, then a clean close") {
  Served s("access_log: false\nkeep_alive_max_requests: 2\n");
  for (int round = 0; round < 5; ++round) {
    kb::test::RawConnection c(s.server->port());
    // 300 requests at once (more than the server reads in one go: some stay in the kernel's
    // buffer); the connection serves two, the second says so and closes.
    std::string burst;
    for (int i = 0; i < 300; ++i) burst += get("/health");
    REQUIRE(c.send(burst));
    const auto first = c.read_response();
    const auto second = c.read_response();
    REQUIRE(first);
    REQUIRE(second);
    CHECK(first->status == 200);
    CHECK(second->status == 200);
    CHECK(second->header("connection") == "close");
    // Then an orderly close (FIN: recv returns 0), not a reset (ECONNRESET), which makes a
    // client drop whatever it has not read yet.
    pollfd p{c.native_handle(), POLLIN, 0};
    REQUIRE(::poll(&p, 1, 5000) == 1);
    char byte = 0;
    errno = 0;
    const ssize_t n = ::recv(c.native_handle(), &byte, 1, 0);
    INFO("errno " << errno);
    CHECK(n == 0);
  }
}
