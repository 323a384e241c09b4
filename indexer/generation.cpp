// Reading the live pointer.
#include "generation.h"

#include <algorithm>
#include <fstream>
#include <regex>
#include <sstream>

#include "errors.h"

namespace kb {
namespace fs = std::filesystem;

fs::path live_stub_path(const fs::path& kb_dir) { return kb_dir / "live.stub"; }

std::optional<GenerationRef> read_live_generation(const fs::path& kb_dir) {
  const fs::path stub = live_stub_path(kb_dir);
  std::error_code ec;
  if (!fs::exists(stub, ec)) return std::nullopt;
  std::ifstream in(stub);
  if (!in) throw IndexUnavailable("cannot read " + stub.string());
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::string backend, name;
    if (!(words >> backend >> name) || backend[0] == '#') continue;
    const fs::path path = kb_dir / name;
    if (!fs::is_directory(path, ec)) {
      throw IndexUnavailable(stub.string() + " names " + name + ", which does not exist");
    }
    return GenerationRef{name, path};
  }
  throw IndexUnavailable(stub.string() + " names no generation");
}

std::vector<GenerationRef> list_generations(const fs::path& kb_dir) {
  static const std::regex pattern("gen-([0-9]{6,})");
  std::vector<std::pair<unsigned long, GenerationRef>> found;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(kb_dir, ec)) {
    std::smatch m;
    const std::string name = entry.path().filename().string();
    if (entry.is_directory(ec) && std::regex_match(name, m, pattern)) {
      found.push_back({std::stoul(m[1].str()), GenerationRef{name, entry.path()}});
    }
  }
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<GenerationRef> out;
  for (auto& [number, ref] : found) out.push_back(std::move(ref));
  return out;
}

}  // namespace kb
