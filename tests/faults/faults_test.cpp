// Faults around a live knowledge base: kb-index killed with SIGKILL at random points, a full
// disk, folders it may not write or read, and SIGTERM to kb-server with a request in flight.
// Through all of them the running kb-server keeps answering, and the next build succeeds.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <random>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "process.h"
#include "raw_http.h"
#include "temp_dir.h"

namespace fs = std::filesystem;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

const fs::path kFixtures = fs::path(KB_FIXTURES) / "content";

// Starts kb-index with `args`; `in_child` runs in the child before exec (limits, user).
// Output goes to files in `dir`.
pid_t spawn_kb_index(const std::vector<std::string>& args, const fs::path& dir,
                     const std::function<void()>& in_child = {}) {
  std::vector<std::string> argv = {kb::test::kb_index_path()};
  argv.insert(argv.end(), args.begin(), args.end());
  const std::string out = (dir / "kb-index.out").string();
  const std::string err = (dir / "kb-index.err").string();
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int o = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int e = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(o, 1);
    ::dup2(e, 2);
    if (in_child) in_child();
    std::vector<char*> raw;
    for (auto& a : argv) raw.push_back(a.data());
    raw.push_back(nullptr);
    ::execv(raw[0], raw.data());
    _exit(127);
  }
  return pid;
}

struct Finished {
  int exit_code;
  std::string err;
};

Finished wait_kb_index(pid_t pid, const fs::path& dir) {
  int status = 0;
  ::waitpid(pid, &status, 0);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), kb::test::read_file(dir / "kb-index.err")};
}

Finished run_kb_index(const std::vector<std::string>& args, const fs::path& dir, const std::function<void()>& in_child = {}) {
  return wait_kb_index(spawn_kb_index(args, dir, in_child), dir);
}

// Searches that must keep answering (200 with results) while things go wrong.
class Watcher {
 public:
  explicit Watcher(int port) : port_(port), thread_([this] { run(); }) {}
  ~Watcher() { finish(); }
  void finish() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }
  int ok() const { return ok_; }
  int failed() const { return failed_; }
  std::string first_failure() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return first_failure_;
  }

 private:
  void run() {
    const std::string request = "GET /v1/search?q=password&lang=en HTTP/1.1\r\nHost: kb\r\nConnection: close\r\n\r\n";
    while (!stop_) {
      const auto r = kb::test::raw_request(port_, request);
      const bool good = r && r->status == 200 && !json::parse(r->body)["results"].empty();
      if (good) {
        ++ok_;
      } else if (failed_++ == 0) {
        std::lock_guard<std::mutex> lock(mutex_);
        first_failure_ = r ? std::to_string(r->status) + " " + r->body : "no response";
      }
    }
  }
  int port_;
  std::atomic<bool> stop_{false};
  std::atomic<int> ok_{0}, failed_{0};
  mutable std::mutex mutex_;
  std::string first_failure_;
  std::thread thread_;
};

// The live stub names a complete generation.
void check_live_generation(const fs::path& kb) {
  const std::string stub = kb::test::read_file(kb / "live.stub");
  std::smatch m;
  REQUIRE(std::regex_match(stub, m, std::regex("auto (gen-[0-9]{6})\n")));
  CHECK(fs::exists(kb / m[1].str() / "kb-manifest.tsv"));
}

std::string live_version(int port) {
  const auto r = kb::test::raw_request(port, "GET /health HTTP/1.1\r\nHost: kb\r\nConnection: close\r\n\r\n");
  REQUIRE(r);
  return json::parse(r->body)["index_version"];
}

// Waits (bounded) until the server serves `version`.
bool serves(int port, const std::string& version) {
  for (int i = 0; i < 500; ++i) {
    if (live_version(port) == version) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

// Runs the child as an ordinary user, so file permissions apply (root bypasses them).
void drop_privileges_if_root() {
  if (::geteuid() != 0) return;
  const passwd* nobody = ::getpwnam("nobody");
  const uid_t uid = nobody ? nobody->pw_uid : 65534;
  const gid_t gid = nobody ? nobody->pw_gid : 65534;
  if (::setgroups(0, nullptr) != 0 || ::setgid(gid) != 0 || ::setuid(uid) != 0) _exit(126);
}

// Lets others in: temporary folders are created 0700.
void open_up(const fs::path& p) {
  fs::permissions(p, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                         fs::perms::others_read | fs::perms::others_exec);
}

}  // namespace

TEST_CASE("kb-index killed at random points: the live base always answers, the next build succeeds") {
  kb::test::TempDir dir;
  const fs::path kb = dir / "kb";
  const fs::path content = kb::test::source_dir() / "content";
  const auto first = run_kb_index({"build", "--content", content.string(), "--out", kb.string(), "--quiet"}, dir.path());
  REQUIRE(first.exit_code == 0);
  kb::test::ServerProcess server(kb);
  Watcher watcher(server.port());

  // How long a complete build takes here (sanitizers and load vary it), so the kills land
  // anywhere from start-up to the switch of the live stub.
  const auto t0 = Clock::now();
  REQUIRE(run_kb_index({"build", "--full", "--content", content.string(), "--out", kb.string(), "--quiet"}, dir.path())
              .exit_code == 0);
  const auto full_build = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t0);
  MESSAGE("a full build takes " << full_build.count() / 1000 << " ms");

  std::mt19937 random(std::random_device{}());
  long window_us = full_build.count();
  int killed = 0, completed = 0;
  // 20 kills; a build that finished before its kill (load varies) narrows the window to
  // what that build took, and does not count.
  for (int attempt = 1; killed < 20 && attempt <= 60; ++attempt) {
    CAPTURE(attempt);
    const auto started = Clock::now();
    const pid_t pid = spawn_kb_index({"build", "--full", "--content", content.string(), "--out", kb.string(), "--quiet"},
                                     dir.path());
    // A deliberate, random delay: where the kill lands is the point of the test.
    std::this_thread::sleep_for(std::chrono::microseconds(std::uniform_int_distribution<long>(0, window_us)(random)));
    ::kill(pid, SIGKILL);
    const auto r = wait_kb_index(pid, dir.path());
    if (r.exit_code == 128 + SIGKILL) {
      ++killed;
    } else {
      ++completed;
      CHECK(r.exit_code == 0);
      window_us = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started).count() * 9 / 10;
    }
    check_live_generation(kb);
    if (r.exit_code == 128 + SIGKILL && killed % 5 == 0) {
      // The next build clears the leftovers and goes live.
      const auto next = run_kb_index({"build", "--content", content.string(), "--out", kb.string(), "--quiet"}, dir.path());
      CHECK(next.exit_code == 0);
      INFO(next.err);
      check_live_generation(kb);
      const std::string stub = kb::test::read_file(kb / "live.stub");
      CHECK(serves(server.port(), stub.substr(5, 10)));
      for (const auto& entry : fs::directory_iterator(kb)) {
        CHECK(entry.path().filename().string().rfind(".build-", 0) != 0);
      }
    }
  }
  watcher.finish();
  MESSAGE(killed << " builds killed, " << completed << " finished before the kill; " << watcher.ok()
                 << " searches answered meanwhile");
  INFO("first failure: " << watcher.first_failure());
  CHECK(killed == 20);
  CHECK(watcher.failed() == 0);
  CHECK(watcher.ok() > 0);
  CHECK(server.stop() == 0);
}

TEST_CASE("a full disk: kb-index names the path, exits 3, the live base is untouched") {
  kb::test::TempDir dir;
  const fs::path kb = dir / "kb";
  REQUIRE(run_kb_index({"build", "--content", kFixtures.string(), "--out", kb.string(), "--quiet"}, dir.path()).exit_code == 0);
  kb::test::ServerProcess server(kb);
  const std::string stub = kb::test::read_file(kb / "live.stub");
  Watcher watcher(server.port());

  SUBCASE("files may not grow (RLIMIT_FSIZE: writes fail with EFBIG)") {
    const auto r = run_kb_index({"build", "--full", "--content", kFixtures.string(), "--out", kb.string()}, dir.path(), [] {
      ::signal(SIGXFSZ, SIG_IGN);  // else the first write past the limit kills the process
      const rlimit small{16 * 1024, 16 * 1024};
      ::setrlimit(RLIMIT_FSIZE, &small);
    });
    INFO(r.err);
    CHECK(r.exit_code == 3);
    CHECK(r.err.find("kb-index: io_error: cannot write generation gen-000002 in " + kb.string()) != std::string::npos);
    CHECK(r.err.find("File too large") != std::string::npos);
  }
  SUBCASE("no space left on the device (a small tmpfs, when this machine lets us mount one)") {
    const fs::path small = dir / "small";
    fs::create_directories(small);
    if (::mount("tmpfs", small.c_str(), "tmpfs", 0, "size=4m") != 0) {
      MESSAGE("cannot mount a tmpfs here (" << std::strerror(errno) << "): covered by RLIMIT_FSIZE only");
      return;
    }
    struct Unmount {
      fs::path p;
      ~Unmount() { ::umount2(p.c_str(), MNT_DETACH); }
    } unmount{small};
    const fs::path small_kb = small / "kb";
    REQUIRE(run_kb_index({"build", "--content", kFixtures.string(), "--out", small_kb.string(), "--quiet"}, dir.path())
                .exit_code == 0);
    const std::string small_stub = kb::test::read_file(small_kb / "live.stub");
    {
      // Fill the disk but for a few kilobytes.
      std::ofstream filler(small / "filler", std::ios::binary);
      const std::string block(4096, 'x');
      while (filler.write(block.data(), block.size())) {
      }
    }
    fs::resize_file(small / "filler", fs::file_size(small / "filler") - 8192);
    const auto r = run_kb_index({"build", "--full", "--content", kFixtures.string(), "--out", small_kb.string()}, dir.path());
    INFO(r.err);
    CHECK(r.exit_code == 3);
    CHECK(r.err.find(small_kb.string()) != std::string::npos);
    CHECK(r.err.find("No space left on device") != std::string::npos);
    CHECK(kb::test::read_file(small_kb / "live.stub") == small_stub);
    fs::remove(small / "filler");
    const auto again = run_kb_index({"build", "--full", "--content", kFixtures.string(), "--out", small_kb.string(), "--quiet"},
                                    dir.path());
    CHECK(again.exit_code == 0);
  }

  CHECK(kb::test::read_file(kb / "live.stub") == stub);
  const auto next = run_kb_index({"build", "--full", "--content", kFixtures.string(), "--out", kb.string(), "--quiet"}, dir.path());
  CHECK(next.exit_code == 0);
  watcher.finish();
  INFO("first failure: " << watcher.first_failure());
  CHECK(watcher.failed() == 0);
}

TEST_CASE("permission errors name the path; nothing live changes") {
  kb::test::TempDir dir;
  open_up(dir.path());
  const fs::path kb = dir / "kb";
  const fs::path content = dir / "content";
  kb::test::copy_tree(kFixtures, content);
  for (const auto& entry : fs::recursive_directory_iterator(content)) {
    if (entry.is_directory()) open_up(entry.path());
  }
  open_up(content);
  REQUIRE(run_kb_index({"build", "--content", content.string(), "--out", kb.string(), "--quiet"}, dir.path()).exit_code == 0);
  open_up(kb);
  kb::test::ServerProcess server(kb);
  const std::string stub = kb::test::read_file(kb / "live.stub");
  Watcher watcher(server.port());
  // The child's output files must be writable by the ordinary user.
  const fs::path logs = dir / "logs";
  fs::create_directories(logs);
  fs::permissions(logs, fs::perms::all);

  struct Case {
    const char* name;
    std::function<void()> make;  // as the owner, before the build
    int exit_code;
    std::string message;
    std::function<void()> undo;
  };
  // As root the build runs as "nobody", for whom the root-owned folders are read-only; as
  // an ordinary user, the folder and its lock are made read-only.
  const bool root = ::geteuid() == 0;
  const auto read_only = fs::perms::owner_read | fs::perms::owner_exec | fs::perms::group_read |
                         fs::perms::group_exec | fs::perms::others_read | fs::perms::others_exec;
  const auto lock_perms = fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read;
  const auto writable_kb = [&] {
    fs::permissions(kb, fs::perms::all);
    fs::permissions(kb / ".lock", fs::perms::all);
  };
  const std::vector<Case> cases = {
      {"the knowledge base folder is not writable",
       [&] {
         if (!root) fs::permissions(kb, read_only);
         if (!root) fs::permissions(kb / ".lock", fs::perms::owner_read);
       },
       3, "kb-index: io_error: cannot open lock file " + (kb / ".lock").string() + ": Permission denied",
       [&] {
         open_up(kb);
         fs::permissions(kb / ".lock", lock_perms);
       }},
      {"the lock may be taken but the folder is not writable",
       [&] {
         fs::permissions(kb / ".lock", fs::perms::all);
         if (!root) fs::permissions(kb, read_only);
       },
       3, "kb-index: io_error: cannot write generation gen-000002 in " + kb.string(),
       [&] {
         open_up(kb);
         fs::permissions(kb / ".lock", lock_perms);
       }},
      // The knowledge base is writable here: the content error alone must stop the build.
      {"a content file that cannot be read",
       [&] {
         writable_kb();
         fs::permissions(content / "en/wifi-slow.md", fs::perms::none);
       },
       1, "en/wifi-slow.md: error: cannot read file: Permission denied",
       [&] { fs::permissions(content / "en/wifi-slow.md", fs::perms::owner_read | fs::perms::owner_write | fs::perms::others_read); }},
      {"a content folder that cannot be read (its articles must not vanish)",
       [&] {
         writable_kb();
         fs::permissions(content / "de", fs::perms::none);
       },
       1, "de: error: cannot read folder: Permission denied", [&] { open_up(content / "de"); }},
  };
  for (const auto& c : cases) {
    INFO("case: " << std::string(c.name));
    c.make();
    const auto r = run_kb_index({"build", "--full", "--content", content.string(), "--out", kb.string()}, logs,
                                drop_privileges_if_root);
    c.undo();
    INFO(r.err);
    CHECK(r.exit_code == c.exit_code);
    CHECK(r.err.find(c.message) != std::string::npos);
    CHECK(kb::test::read_file(kb / "live.stub") == stub);
  }
  watcher.finish();
  INFO("first failure: " << watcher.first_failure());
  CHECK(watcher.failed() == 0);
  CHECK(watcher.ok() > 0);
  // As the owner everything builds again.
  CHECK(run_kb_index({"build", "--content", content.string(), "--out", kb.string(), "--quiet"}, dir.path()).exit_code == 0);
}

TEST_CASE("SIGTERM: a request in flight still gets its 200, idle connections close at once") {
  kb::test::TempDir dir;
  REQUIRE(run_kb_index({"build", "--content", kFixtures.string(), "--out", (dir / "kb").string(), "--quiet"}, dir.path())
              .exit_code == 0);
  // A long keep-alive timeout: stopping must not wait for idle connections to time out.
  const auto config = dir.write("kb.yaml", "keep_alive_timeout_s: 60\nread_timeout_ms: 60000\n");
  kb::test::ServerProcess server(dir / "kb", {"--config", config.string()});

  // An idle keep-alive connection, and one whose second request is half sent. Each has had
  // a first answer, so a worker holds it (a connection still in the listen queue when the
  // listener closes is reset: it was never accepted).
  kb::test::RawConnection idle(server.port());
  REQUIRE(idle.send("GET /health HTTP/1.1\r\nHost: kb\r\n\r\n"));
  REQUIRE(idle.read_response());
  kb::test::RawConnection in_flight(server.port());
  REQUIRE(in_flight.send("GET /health HTTP/1.1\r\nHost: kb\r\n\r\n"));
  REQUIRE(in_flight.read_response());
  REQUIRE(in_flight.send("GET /v1/search?q=password&lang=en HTTP/1.1\r\nHost: kb\r\n"));

  const auto t0 = Clock::now();
  REQUIRE(::kill(server.pid(), SIGTERM) == 0);
  bool stopping = false;
  for (int i = 0; i < 500 && !stopping; ++i) {
    stopping = server.log().find("finishing requests in flight") != std::string::npos;
    if (!stopping) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  REQUIRE(stopping);
  CHECK(idle.closed_by_server(std::chrono::seconds(5)));

  // The rest of the request arrives after the signal: it is answered in full.
  REQUIRE(in_flight.send("\r\n"));
  const auto r = in_flight.read_response();
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(json::parse(r->body)["results"][0]["id"] == "reset-password");
  CHECK(in_flight.closed_by_server(std::chrono::seconds(5)));  // and then it is closed

  CHECK(server.stop() == 0);
  const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  CHECK(seconds < 5.0);
  // New connections are refused once the server has stopped listening.
  CHECK_THROWS(kb::test::RawConnection(server.port()));
}
