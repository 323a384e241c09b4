// Running the project's real executables from tests: commands and a kb-server on loopback.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace kb::test {

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `argv` to completion (stdin closed), capturing stdout and stderr.
CommandResult run_command(const std::vector<std::string>& argv,
                          const std::map<std::string, std::string>& extra_env = {});

// A kb-server child process on 127.0.0.1 and an ephemeral port. The constructor returns once
// the server listens (it waits for the "listening" line, not for a fixed time); the destructor
// sends SIGTERM and waits. The child also gets SIGTERM if the test process dies.
class ServerProcess {
 public:
  ServerProcess(const std::filesystem::path& kb_dir, std::vector<std::string> extra_args = {},
                std::map<std::string, std::string> extra_env = {});
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  int port() const { return port_; }
  int pid() const { return pid_; }
  // Sends SIGTERM and waits; returns the exit status (or -1).
  int stop();
  // What the server wrote to stderr so far (the access log).
  std::string log() const;

 private:
  int pid_ = -1;
  int port_ = 0;
  std::filesystem::path log_path_;
};

// Paths of the built executables (set by CMake).
std::string kb_index_path();
std::string kb_server_path();
std::filesystem::path source_dir();

}  // namespace kb::test
