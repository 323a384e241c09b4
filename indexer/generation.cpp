// Reading the live pointer.
#include "generation.h"

#include <fstream>
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

}  // namespace kb
