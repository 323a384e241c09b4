// Language tag handling backed by ICU's locale data.
#include "language.h"

#include <unicode/uloc.h>

#include <algorithm>
#include <cctype>

namespace kb {

std::optional<std::string> normalise_language_tag(const std::string& tag) {
  if (tag.empty() || tag.size() > 35) return std::nullopt;
  std::string out;
  out.reserve(tag.size());
  for (char c : tag) {
    if (c == '_') c = '-';
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-')) return std::nullopt;
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  // Subtags are 1-8 alphanumerics; the primary one is 2-3 letters.
  std::size_t start = 0;
  bool first = true;
  while (start <= out.size()) {
    const std::size_t dash = out.find('-', start);
    const std::size_t end = dash == std::string::npos ? out.size() : dash;
    const std::size_t len = end - start;
    if (len == 0 || len > 8) return std::nullopt;
    if (first) {
      if (len < 2 || len > 3) return std::nullopt;
      for (std::size_t i = start; i < end; ++i) {
        if (!std::isalpha(static_cast<unsigned char>(out[i]))) return std::nullopt;
      }
      first = false;
    }
    if (dash == std::string::npos) break;
    start = dash + 1;
  }
  // ICU answers an empty ISO-639-2 code for languages it does not know.
  const std::string primary = primary_language(out);
  if (std::string(uloc_getISO3Language(primary.c_str())).empty()) return std::nullopt;
  return out;
}

std::string primary_language(const std::string& normalised_tag) {
  return normalised_tag.substr(0, normalised_tag.find('-'));
}

std::vector<std::string> fallback_chain(const std::string& normalised_tag,
                                        const std::vector<std::string>& defaults) {
  std::vector<std::string> chain;
  auto add = [&chain](const std::string& lang) {
    if (!lang.empty() && std::find(chain.begin(), chain.end(), lang) == chain.end()) {
      chain.push_back(lang);
    }
  };
  std::string tag = normalised_tag;
  while (!tag.empty()) {
    add(tag);
    const auto dash = tag.rfind('-');
    if (dash == std::string::npos) break;
    tag.resize(dash);
  }
  for (const auto& d : defaults) add(d);
  return chain;
}

}  // namespace kb
