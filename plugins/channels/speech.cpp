// Cutting for speech counts spoken words, not characters.
#include "speech.h"

#include "text.h"
#include "utf8.h"

namespace kb::plugins {
namespace {

std::string trim_end(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == ',' || s.back() == ';' || s.back() == ':' ||
                        s.back() == '-')) {
    s.pop_back();
  }
  return s;
}

bool has_unspaced(std::string_view s) {
  for (char32_t c : decode_utf8(s)) {
    if (is_unspaced(c)) return true;
  }
  return false;
}

}  // namespace

std::string speakable_text(std::string_view input, double max_words) {
  // URLs first (a link's target is unspeakable), then characters that are only markup.
  std::string text;
  for (char c : strip_urls(input)) {
    static constexpr std::string_view kMarkup = "*_`#<>[]{}|~^\\";
    if (kMarkup.find(c) == std::string_view::npos) text.push_back(c);
  }
  text = collapse_whitespace(text);
  if (spoken_words(text) <= max_words) return text;
  // Nothing beyond what could possibly fit is looked at: a word is at least one byte.
  const std::string_view head = utf8_prefix(text, static_cast<std::size_t>(max_words * 16) + 16);
  const auto sentences = sentence_ends(head);
  for (auto it = sentences.rbegin(); it != sentences.rend(); ++it) {
    std::string cut = trim_end(std::string(head.substr(0, *it)));
    if (!cut.empty() && spoken_words(cut) <= max_words) return cut;
  }
  const auto words = word_ends(head);
  for (auto it = words.rbegin(); it != words.rend(); ++it) {
    std::string cut = trim_end(std::string(head.substr(0, *it)));
    if (cut.empty()) continue;
    const std::string stop = has_unspaced(cut) ? "。" : ".";
    if (spoken_words(cut + stop) <= max_words) return cut + stop;
  }
  return "";
}

std::string ssml_document(std::string_view text, std::string_view lang) {
  return "<speak version=\"1.0\" xmlns=\"http://www.w3.org/2001/10/synthesis\" xml:lang=\"" +
         xml_escape(lang) + "\">" + xml_escape(text) + "</speak>";
}

}  // namespace kb::plugins
