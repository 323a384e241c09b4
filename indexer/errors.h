// The project's exception hierarchy: caller mistakes versus runtime problems, as in Xapian.
#pragma once

#include <stdexcept>
#include <string>

namespace kb {

// Base of every exception the kb libraries throw. code() is a stable, machine-readable
// identifier (snake_case) that the HTTP layer maps to a status and clients may match on.
class Error : public std::runtime_error {
 public:
  Error(std::string code, const std::string& message)
      : std::runtime_error(message), code_(std::move(code)) {}
  const std::string& code() const noexcept { return code_; }

 private:
  std::string code_;
};

// The caller did something wrong: a bad argument, a malformed request, a wrong call order.
class LogicError : public Error {
 public:
  using Error::Error;
};

class InvalidArgument : public LogicError {
 public:
  explicit InvalidArgument(const std::string& message, std::string code = "invalid_argument")
      : LogicError(std::move(code), message) {}
};

// Something outside the caller's control went wrong.
class RuntimeError : public Error {
 public:
  using Error::Error;
};

// Content files could not be turned into a knowledge base (see ContentIssue for details).
class ContentError : public RuntimeError {
 public:
  explicit ContentError(const std::string& message) : RuntimeError("content_error", message) {}
};

// The knowledge base is missing, unreadable, locked by another writer or corrupt.
class IndexUnavailable : public RuntimeError {
 public:
  explicit IndexUnavailable(const std::string& message, std::string code = "index_unavailable")
      : RuntimeError(std::move(code), message) {}
};

// A file system operation failed (disk full, permission denied, ...).
class IoError : public RuntimeError {
 public:
  explicit IoError(const std::string& message) : RuntimeError("io_error", message) {}
};

}  // namespace kb
