// libFuzzer target: kb::markdown_to_plain_text on arbitrary bytes (it promises never to
// throw), and on valid UTF-8 it must give valid UTF-8 back.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "markdown_text.h"
#include "utf8.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view markdown(reinterpret_cast<const char*>(data), size);
  const std::string text = kb::markdown_to_plain_text(markdown);
  if (!kb::find_invalid_utf8(markdown)) FUZZ_CHECK(!kb::find_invalid_utf8(text));
  return 0;
}
