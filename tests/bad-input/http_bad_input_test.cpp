// Bad requests against a real kb-server: each gets a JSON error with the right status and
// code, no request crashes or stalls the server, and the knowledge base keeps answering the
// same results. Requests are written byte for byte (tests/support/raw_http.h), so nothing a
// client library would clean up is cleaned up.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "process.h"
#include "raw_http.h"
#include "temp_dir.h"

using nlohmann::json;
using kb::test::RawConnection;
using kb::test::raw_request;

namespace {

constexpr const char* kEditorToken = "editor-token-for-bad-input";

struct Served {
  kb::test::TempDir dir;
  std::unique_ptr<kb::test::ServerProcess> server;

  // "{dir}" in the YAML stands for the test's temporary folder.
  explicit Served(std::string config_yaml) {
    for (auto at = config_yaml.find("{dir}"); at != std::string::npos; at = config_yaml.find("{dir}")) {
      config_yaml.replace(at, 5, dir.path().string());
    }
    const auto r = kb::test::run_command({kb::test::kb_index_path(), "build", "--content",
                                          std::string(KB_FIXTURES) + "/content", "--out", (dir / "kb").string(),
                                          "--quiet"});
    REQUIRE(r.exit_code == 0);
    const auto config = dir.write("kb-server.yaml", config_yaml);
    server = std::make_unique<kb::test::ServerProcess>(dir / "kb", std::vector<std::string>{"--config", config.string()},
                                                       std::map<std::string, std::string>{{"KB_EDITOR_TOKEN", kEditorToken}});
  }

  std::string get(const std::string& target) const { return "GET " + target + " HTTP/1.1\r\nHost: kb\r\nConnection: close\r\n\r\n"; }

  // The ids a search returns, to compare before and after the bad requests.
  std::vector<std::string> ids(const std::string& target) const {
    const auto r = raw_request(server->port(), get(target));
    REQUIRE(r);
    REQUIRE(r->status == 200);
    std::vector<std::string> out;
    const json body = json::parse(r->body);
    for (const auto& hit : body["results"]) out.push_back(hit["id"]);
    return out;
  }
};

struct HttpCase {
  const char* name;
  std::string request;  // the raw bytes sent
  int status;
  const char* code;     // error.code, or "" for a successful response
};

std::string head(const std::string& request_line, const std::string& headers = "") {
  return request_line + "\r\nHost: kb\r\nConnection: close\r\n" + headers + "\r\n";
}

std::string post_json(const std::string& path, const std::string& body) {
  return head("POST " + path + " HTTP/1.1",
              "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n") + body;
}

std::string many_headers(int n, std::size_t value_bytes) {
  std::string out;
  for (int i = 0; i < n; ++i) out += "X-Header-" + std::to_string(i) + ": " + std::string(value_bytes, 'v') + "\r\n";
  return out;
}

}  // namespace

TEST_CASE("bad requests get a JSON error with the right status, and lose nothing") {
  Served s("max_body_bytes: 1000\nmax_query_bytes: 1000\nmax_per_page: 50\nevents:\n  path: {dir}/events.db\n");
  const std::vector<std::string> searches = {"/v1/search?q=password&lang=en", "/v1/search?q=WLAN+langsam",
                                             "/v1/search?q=wifi&category=internet&per_page=5"};
  std::vector<std::vector<std::string>> before;
  for (const auto& q : searches) before.push_back(s.ids(q));

  const std::vector<HttpCase> cases = {
      // Sizes.
      {"a query over max_query_bytes", head("GET /v1/search?q=" + std::string(1001, 'a') + " HTTP/1.1"), 400, "query_too_long"},
      {"a query of exactly max_query_bytes", head("GET /v1/search?q=" + std::string(1000, 'a') + " HTTP/1.1"), 200, ""},
      {"a request line over 8 KiB", head("GET /v1/search?q=" + std::string(9000, 'a') + " HTTP/1.1"), 414, "uri_too_long"},
      {"a body over max_body_bytes", head("POST /v1/admin/reindex HTTP/1.1", "Content-Length: 5000\r\n") + std::string(5000, 'x'),
       413, "payload_too_large"},
      // httplib checks only Content-Length; the listener counts chunked bodies (with 64 KiB
      // for their framing).
      {"a chunked body over max_body_bytes",
       head("POST /v1/admin/reindex HTTP/1.1", "Transfer-Encoding: chunked\r\n") + "186a0\r\n" + std::string(100000, 'x') +
           "\r\n0\r\n\r\n",
       413, "payload_too_large"},
      {"100 headers are fine", head("GET /health HTTP/1.1", many_headers(100, 20)), 200, ""},
      {"4000 headers (over max_header_bytes)", head("GET /health HTTP/1.1", many_headers(4000, 20)), 431, "headers_too_large"},
      {"one header line over 8 KiB", head("GET /health HTTP/1.1", "X-Big: " + std::string(9000, 'b') + "\r\n"), 400, "bad_request"},
      // Encoding.
      {"invalid UTF-8 in q (percent-encoded)", head("GET /v1/search?q=%FF%FE HTTP/1.1"), 400, "invalid_utf8"},
      {"an overlong encoding of '/'", head("GET /v1/search?q=%C0%AF HTTP/1.1"), 400, "invalid_utf8"},
      {"invalid UTF-8 in a parameter name", head("GET /v1/search?q=a&%FF=1 HTTP/1.1"), 400, "invalid_utf8"},
      {"a raw invalid byte in the path", head("GET /v1/\xff HTTP/1.1"), 400, "invalid_utf8"},
      {"invalid UTF-8 in an article id", head("GET /v1/articles/%E2%28%A1 HTTP/1.1"), 400, "invalid_utf8"},
      {"a NUL byte in q", head("GET /v1/search?q=pass%00word&lang=en HTTP/1.1"), 200, ""},
      {"a broken percent escape", head("GET /v1/search?q=%G1%2 HTTP/1.1"), 200, ""},
      // Paging and parameters.
      {"page=0", head("GET /v1/search?q=password&page=0 HTTP/1.1"), 400, "invalid_parameter"},
      {"a negative page", head("GET /v1/search?q=password&page=-1 HTTP/1.1"), 400, "invalid_parameter"},
      {"a huge page", head("GET /v1/search?q=password&page=99999999999999999999 HTTP/1.1"), 400, "invalid_parameter"},
      {"a page past the results", head("GET /v1/search?q=password&page=100000 HTTP/1.1"), 400, "invalid_parameter"},
      {"per_page=0", head("GET /v1/search?q=password&per_page=0 HTTP/1.1"), 400, "invalid_parameter"},
      {"per_page over max_per_page", head("GET /v1/search?q=password&per_page=51 HTTP/1.1"), 400, "invalid_parameter"},
      {"a page in scientific notation", head("GET /v1/search?q=password&page=1e3 HTTP/1.1"), 400, "invalid_parameter"},
      {"a negative suggest limit", head("GET /v1/suggest?q=pass&limit=-5 HTTP/1.1"), 400, "invalid_parameter"},
      {"an unknown parameter on search", head("GET /v1/search?q=password&colour=red HTTP/1.1"), 400, "unknown_parameter"},
      {"an unknown parameter on suggest", head("GET /v1/suggest?q=pass&page=2 HTTP/1.1"), 400, "unknown_parameter"},
      {"an unknown parameter on answer", head("GET /v1/answer?q=password&debug=1 HTTP/1.1"), 400, "unknown_parameter"},
      {"an unknown parameter on an article", head("GET /v1/articles/reset-password?raw=1 HTTP/1.1"), 400, "unknown_parameter"},
      {"a repeated parameter: the first value counts", head("GET /v1/search?q=a&page=1&page=x HTTP/1.1"), 200, ""},
      {"prefix that is not a boolean", head("GET /v1/search?q=a&prefix=maybe HTTP/1.1"), 400, "invalid_parameter"},
      {"a garbage Accept-Language", head("GET /v1/search?q=password HTTP/1.1", "Accept-Language: ;;q=x,,*;q=-1,\xc3\r\n"), 200, ""},
      // Paths, methods and tokens.
      {"path traversal in an article id", head("GET /v1/articles/..%2F..%2Fetc%2Fpasswd HTTP/1.1"), 404, "not_found"},
      {"an unknown path", head("GET /v1/../../etc/passwd HTTP/1.1"), 404, "not_found"},
      {"POST on a GET endpoint", head("POST /v1/search HTTP/1.1", "Content-Length: 2\r\n") + "{}", 405, "method_not_allowed"},
      {"DELETE on a GET endpoint", head("DELETE /v1/articles/reset-password HTTP/1.1"), 405, "method_not_allowed"},
      {"malformed JSON to the admin endpoint without a token",
       head("POST /v1/admin/reindex HTTP/1.1", "Content-Type: application/json\r\nContent-Length: 9\r\n") + "{\"a\": [1,", 401,
       "unauthorized"},
      {"malformed JSON to the admin endpoint with a wrong token",
       head("POST /v1/admin/reindex HTTP/1.1",
            "Authorization: Bearer wrong\r\nContent-Type: application/json\r\nContent-Length: 9\r\n") + "{\"a\": [1,",
       403, "forbidden"},
      {"the agent channel with a malformed Authorization header",
       head("GET /v1/search?q=retention&channel=agent HTTP/1.1", "Authorization: Basic \xff\xfe\r\n"), 401, "unauthorized"},
      // Feedback and events: JSON bodies.
      {"malformed JSON feedback", post_json("/v1/feedback", "{\"item\": \"wifi-slow\", \"helpful\": tr"), 400, "invalid_json"},
      {"a JSON string, not an object", post_json("/v1/events", "\"click\""), 400, "invalid_json"},
      {"JSON nested 450 deep", post_json("/v1/events", std::string(450, '[') + std::string(450, ']')), 400, "invalid_json"},
      {"a raw control byte in a JSON string", post_json("/v1/feedback", std::string("{\"item\": \"a\x01b\", \"helpful\": true}")),
       400, "invalid_json"},
      {"invalid UTF-8 in a JSON string", post_json("/v1/feedback", "{\"item\": \"\xc0\xaf\", \"helpful\": true}"), 400,
       "invalid_json"},
      {"trailing garbage after the JSON", post_json("/v1/feedback", "{\"item\": \"a\", \"helpful\": true} x"), 400,
       "invalid_json"},
      {"helpful as a number", post_json("/v1/feedback", "{\"item\": \"a\", \"helpful\": 1}"), 400, "invalid_field"},
      {"an unknown event type", post_json("/v1/events", "{\"type\": \"buy\", \"item\": \"a\"}"), 400, "unknown_event_type"},
      {"an event without an item", post_json("/v1/events", "{\"type\": \"click\"}"), 400, "missing_field"},
      {"a feedback body over max_body_bytes", post_json("/v1/feedback", "{\"item\": \"" + std::string(2000, 'a') + "\"}"),
       413, "payload_too_large"},
      {"an escaped NUL in an item is just a character", post_json("/v1/events", "{\"type\": \"view\", \"item\": \"a\\u0000b\"}"),
       202, ""},
      {"a session header that is not a session id",
       head("POST /v1/feedback HTTP/1.1", "X-Session-Id: ../../etc\r\nContent-Length: 30\r\n") +
           "{\"item\": \"a\", \"helpful\": true}",
       400, "invalid_parameter"},
      // Malformed HTTP.
      {"a request line that is not HTTP", "GARBAGE\r\n\r\n", 400, "bad_request"},
      {"an unknown method", head("BREW /v1/search?q=a HTTP/1.1"), 400, "bad_request"},
      {"a Content-Length that is not a number", head("POST /v1/search HTTP/1.1", "Content-Length: lots\r\n"), 405,
       "method_not_allowed"},
      {"HTTP/1.0 without a Host", "GET /v1/search?q=password HTTP/1.0\r\n\r\n", 200, ""},
  };

  for (const auto& c : cases) {
    INFO("case: " << std::string(c.name));
    const auto r = raw_request(s.server->port(), c.request);
    REQUIRE(r);
    CHECK(r->status == c.status);
    CHECK(r->header("content-type") == "application/json; charset=utf-8");
    const json body = json::parse(r->body, nullptr, false);
    REQUIRE_FALSE(body.is_discarded());
    if (std::string(c.code).empty()) {
      CHECK_FALSE(body.contains("error"));
    } else {
      REQUIRE(body.contains("error"));
      CHECK(body["error"]["code"] == c.code);
      CHECK_FALSE(body["error"]["message"].get<std::string>().empty());
    }
  }

  // The server is still there and answers as before; nothing was logged as an internal error.
  for (std::size_t i = 0; i < searches.size(); ++i) {
    CAPTURE(searches[i]);
    CHECK(s.ids(searches[i]) == before[i]);
  }
  CHECK(s.server->stop() == 0);
  CHECK(s.server->log().find("internal error") == std::string::npos);
  CHECK(s.server->log().find("unhandled exception") == std::string::npos);
}

TEST_CASE("slow clients are cut off by the request deadline while others are served") {
  Served s("request_timeout_ms: 1000\nread_timeout_ms: 5000\n");

  // Other clients keep searching while the slow ones trickle their requests.
  std::atomic<bool> stop{false};
  std::atomic<int> served{0}, failed{0};
  std::thread others([&] {
    while (!stop) {
      const auto r = raw_request(s.server->port(), s.get("/v1/search?q=password&lang=en"));
      (r && r->status == 200 ? served : failed)++;
    }
  });

  // One byte every 50 ms: each read succeeds well within the 5 s read timeout, so only the
  // 1 s request deadline can stop them; each request would take about 3 s.
  struct Slow {
    const char* name;
    std::string at_once;   // sent in one piece
    std::string trickled;  // then one byte at a time
  };
  const std::vector<Slow> slow = {
      {"headers byte by byte", "GET /v1/search?q=password HTTP/1.1\r\n", "Host: kb\r\nX-Padding: " + std::string(40, 'p') + "\r\n\r\n"},
      {"the request line byte by byte", "", "GET /v1/search?q=password&lang=en&per_page=3&page=1&prefix=false HTTP/1.1\r\n\r\n"},
  };
  for (const auto& c : slow) {
    INFO("case: " << std::string(c.name));
    const auto started = std::chrono::steady_clock::now();
    RawConnection client(s.server->port());
    REQUIRE(client.send(c.at_once));
    std::size_t sent = 0;
    for (; sent < c.trickled.size(); ++sent) {
      if (!client.send(c.trickled.substr(sent, 1))) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      // The 408 arrives when the deadline passes; stop trickling once it is here.
      if (const auto r = client.read_response(std::chrono::milliseconds(0))) {
        CHECK(r->status == 408);
        CHECK(json::parse(r->body)["error"]["code"] == "request_timeout");
        CHECK(r->header("connection") == "close");
        break;
      }
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    INFO("bytes sent before the cut: " << sent << " of " << c.trickled.size() << ", " << seconds << " s");
    CHECK(sent < c.trickled.size());
    CHECK(client.closed_by_server(std::chrono::seconds(2)));
    CHECK(seconds < 2.5);
  }
  stop = true;
  others.join();
  CHECK(served > 0);
  CHECK(failed == 0);
  CHECK(s.server->stop() == 0);
  CHECK(s.server->log().find(" 408 ") != std::string::npos);
}
