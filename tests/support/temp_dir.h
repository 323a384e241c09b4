// A temporary directory for one test, removed with everything in it at scope exit.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>

namespace kb::test {

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "kb-test-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& rel) const { return path_ / rel; }

  // Writes `content` to `rel` (creating folders) and returns the full path.
  std::filesystem::path write(const std::string& rel, std::string_view content) const {
    const auto full = path_ / rel;
    std::filesystem::create_directories(full.parent_path());
    std::ofstream out(full, std::ios::binary);
    out << content;
    return full;
  }

 private:
  std::filesystem::path path_;
};

// Copies a fixture folder (tests/fixtures/...) into `dest`.
inline void copy_tree(const std::filesystem::path& from, const std::filesystem::path& dest) {
  std::filesystem::create_directories(dest);
  std::filesystem::copy(from, dest, std::filesystem::copy_options::recursive |
                                        std::filesystem::copy_options::overwrite_existing);
}

inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace kb::test
