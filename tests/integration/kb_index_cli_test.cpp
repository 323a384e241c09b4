// kb-index as editors run it: validate, build, errors, exit codes.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "process.h"
#include "temp_dir.h"

using kb::test::run_command;

namespace {
const std::string kFixtures = std::string(KB_FIXTURES) + "/content";
}

TEST_CASE("validate reports counts and writes nothing") {
  kb::test::TempDir dir;
  const auto r = run_command({kb::test::kb_index_path(), "validate", "--content", kFixtures});
  CHECK(r.exit_code == 0);
  CHECK(r.out == "11 files, 11 articles, 0 errors, 0 warnings\n");
  CHECK(r.err.empty());
}

TEST_CASE("bad content: every error at once, exit 1, nothing written") {
  kb::test::TempDir dir;
  kb::test::copy_tree(kFixtures, dir / "content");
  dir.write("content/en/bad-yaml.md", "---\nid: bad\ntitle: [oops\n---\nbody\n");
  dir.write("content/en/bad-lang.md",
            "---\nid: bad-lang\nlang: xx\ntitle: T\nsummary: S\ncategory: c\n---\nbody\n");
  dir.write("content/de/dup.md",
            "---\nid: wifi-slow\nlang: de\ntitle: T\nsummary: S\ncategory: c\n---\nbody\n");

  const auto r = run_command({kb::test::kb_index_path(), "build", "--content",
                              (dir / "content").string(), "--out", (dir / "kb").string()});
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("en/bad-yaml.md:4:1: error: invalid YAML") != std::string::npos);
  CHECK(r.err.find("en/bad-lang.md:3:7: error: lang: 'xx' is not a known BCP 47 language tag") !=
        std::string::npos);
  CHECK(r.err.find("de/wifi-slow.md:2:1: error: id: duplicate id 'wifi-slow' for language 'de'") !=
        std::string::npos);
  CHECK(r.err.find("3 error(s)") != std::string::npos);
  CHECK(r.err.find("nothing was written") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir / "kb"));

  const auto v = run_command({kb::test::kb_index_path(), "validate", "--json", "--content",
                              (dir / "content").string()});
  CHECK(v.exit_code == 1);
  const auto report = nlohmann::json::parse(v.out);
  CHECK(report["errors"] == 3);
  CHECK(report["issues"].size() == 3);
  CHECK(report["issues"][0]["file"] == "de/wifi-slow.md");
}

TEST_CASE("build publishes and prints what it did") {
  kb::test::TempDir dir;
  const auto r = run_command({kb::test::kb_index_path(), "build", "--content", kFixtures, "--out",
                              (dir / "kb").string()});
  CHECK(r.exit_code == 0);
  // What was published, then where the time went (its figures vary: import_test checks them).
  const auto newline = r.out.find('\n');
  REQUIRE(newline != std::string::npos);
  CHECK(r.out.substr(0, newline + 1) ==
        "published gen-000001: 10 records from 11 files (1 drafts skipped) de=2 en=5 ja=2 th=1\n");
  CHECK(r.out.compare(newline + 1, 6, "time: ") == 0);
  CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 2);
  CHECK(kb::test::read_file(dir / "kb/live.stub") == "auto gen-000001\n");
}

TEST_CASE("usage errors exit 2; a locked knowledge base exits 3 and names the lock") {
  CHECK(run_command({kb::test::kb_index_path()}).exit_code == 2);
  CHECK(run_command({kb::test::kb_index_path(), "build", "--content", kFixtures}).exit_code == 2);
  CHECK(run_command({kb::test::kb_index_path(), "frobnicate", "--content", kFixtures}).exit_code == 2);
  CHECK(run_command({kb::test::kb_index_path(), "--help"}).exit_code == 0);

  kb::test::TempDir dir;
  std::filesystem::create_directories(dir / "kb");
  const int fd = ::open((dir / "kb/.lock").c_str(), O_RDWR | O_CREAT, 0644);
  REQUIRE(::flock(fd, LOCK_EX) == 0);
  const auto r = run_command({kb::test::kb_index_path(), "build", "--content", kFixtures, "--out",
                              (dir / "kb").string()});
  ::close(fd);
  CHECK(r.exit_code == 3);
  CHECK(r.err.find("index_locked") != std::string::npos);
  CHECK(r.err.find("another build") != std::string::npos);
}

TEST_CASE("a missing content folder is a clear error") {
  kb::test::TempDir dir;
  const auto r = run_command({kb::test::kb_index_path(), "validate", "--content",
                              (dir / "nope").string()});
  CHECK(r.exit_code == 3);
  CHECK(r.err.find("does not exist") != std::string::npos);
}
