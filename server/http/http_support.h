// Helpers shared by the HTTP route groups: JSON responses, the error table, parameters,
// tokens. Part of the HTTP layer (includes httplib.h).
#pragma once

#include <httplib.h>

#include <functional>
#include <regex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace kb::server {

// The status for an error code (one table for the whole API); 500 for unknown codes.
int status_for(const std::string& code);
// The error code for a status httplib produced itself (404, 413, ...).
std::string code_for_status(int status);

// Writes `body` as JSON; invalid UTF-8 in strings is replaced, never thrown on.
void write_json(httplib::Response& res, int status, const nlohmann::json& body);
// Writes `body`, JSON already serialised as write_json would.
void write_json_text(httplib::Response& res, int status, std::string body);
// Appends `s` as a JSON string exactly as write_json writes it (nlohmann's dump, invalid
// UTF-8 replaced): valid UTF-8 is copied with only '"', '\\' and control characters
// escaped, without building a JSON value.
void append_json_string(std::string& out, std::string_view s);
// {"error":{"code":..., "message":..., "request_id":...}} with the table's status (or `status`
// if non-zero); request_id when the response carries an X-Request-Id. Every "overloaded"
// error (shed connections, searches, events) says Retry-After: 1.
void write_error(httplib::Response& res, const std::string& code, const std::string& message,
                 int status = 0);

// The request's id: its X-Request-Id when that is 1 to 64 characters of [A-Za-z0-9._:-]
// (a proxy's or a client's id, kept so logs can be joined), else a new random one.
std::string request_id(const httplib::Request& req);

// Constant-time comparison of a presented token with the configured one.
bool tokens_equal(const std::string& given, const std::string& expected);
// The token of "Authorization: Bearer <token>", or "".
std::string bearer_token(const httplib::Request& req);
// Requires the bearer token `expected` (a configured, non-empty token): throws
// kb::InvalidArgument "unauthorized" with `missing` when the request has no token,
// "forbidden" with `refused` when it has another one or none is configured.
void require_token(const httplib::Request& req, const std::string& expected, const std::string& missing,
                   const std::string& refused);
// require_token for the agent channel (internal content), with its messages.
void require_agent_token(const httplib::Request& req, const std::string& agent_token);

// The normalised `lang` parameter, or "" when absent or empty; throws kb::InvalidArgument
// (invalid_parameter) when it is not a language tag.
std::string language_param(const httplib::Request& req);

// Accept-Language tags, normalised, best first; invalid entries and "*" skipped.
std::vector<std::string> parse_accept_language(const std::string& header);

// An integer parameter; throws kb::InvalidArgument (invalid_parameter) if malformed.
int int_param(const httplib::Request& req, const char* name, int fallback);

// A boolean parameter ("true"/"false"/"1"/"0"); throws kb::InvalidArgument if malformed.
bool bool_param(const httplib::Request& req, const char* name, bool fallback);

// Session ids: 1 to kMaxSessionBytes letters, digits and - _ . : (opaque to the server).
constexpr std::size_t kMaxSessionBytes = 128;
// The `session` parameter, else the X-Session-Id header, else ""; throws kb::InvalidArgument
// (invalid_parameter) when it is not a session id.
std::string session_param(const httplib::Request& req);
// Throws kb::InvalidArgument (invalid_parameter) naming `what` unless `id` is "" or a
// session id.
void check_session_id(const std::string& id, const std::string& what);

// Throws kb::InvalidArgument for parameters not in `allowed` (unknown_parameter) and for
// names or values that are not valid UTF-8 (invalid_utf8).
void check_params(const httplib::Request& req, const std::set<std::string>& allowed);

using RouteHandler = std::function<void(const httplib::Request&, httplib::Response&)>;
// Wraps a handler so that kb::Error becomes JSON with the table's status and anything else a
// JSON 500; nothing escapes to httplib.
httplib::Server::Handler guarded(RouteHandler handler);

// Registers routes on the server and remembers them, so a known path asked with another
// method gets 405 with an Allow header instead of 404.
class RouteTable {
 public:
  explicit RouteTable(httplib::Server& server) : server_(server) {}
  void get(const std::string& pattern, RouteHandler handler);
  void post(const std::string& pattern, RouteHandler handler);
  // "GET, HEAD" / "POST" ... for a path some route matches; "" when none does.
  std::string allowed_methods(const std::string& path) const;

 private:
  httplib::Server& server_;
  std::vector<std::pair<std::regex, std::string>> routes_;  // pattern, method
};

}  // namespace kb::server
