// UTF-8 decoding, escaping and the word/sentence boundaries renderers cut at.
#include "text.h"

#include <cmath>
#include <cstdio>

#include "utf8.h"

namespace kb::plugins {
namespace {

bool is_space(char32_t c) {
  return c == U' ' || c == U'\t' || c == U'\n' || c == U'\r' || c == U'\f' || c == U'\v' ||
         c == 0x00A0 || c == 0x3000 || (c >= 0x2000 && c <= 0x200A) || c == 0x202F;
}

bool starts_with_at(std::u32string_view s, std::size_t i, std::u32string_view prefix) {
  if (i + prefix.size() > s.size()) return false;
  for (std::size_t k = 0; k < prefix.size(); ++k) {
    char32_t c = s[i + k];
    if (c >= U'A' && c <= U'Z') c = c - U'A' + U'a';
    if (c != prefix[k]) return false;
  }
  return true;
}

// Decodes `text` into `out` and returns the byte offset where each code point starts, plus
// text.size() at the end.
std::vector<std::size_t> code_point_offsets(std::string_view text, std::u32string& out) {
  std::vector<std::size_t> offsets;
  out.clear();
  out.reserve(text.size());
  offsets.reserve(text.size() + 1);
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    offsets.push_back(i);
    const unsigned char b = s[i];
    std::size_t len = 0;
    char32_t c = 0;
    char32_t min = 0;
    if (b < 0x80) {
      out.push_back(b);
      ++i;
      continue;
    } else if (b >= 0xC2 && b <= 0xDF) {
      len = 2, c = b & 0x1F, min = 0x80;
    } else if (b >= 0xE0 && b <= 0xEF) {
      len = 3, c = b & 0x0F, min = 0x800;
    } else if (b >= 0xF0 && b <= 0xF4) {
      len = 4, c = b & 0x07, min = 0x10000;
    }
    bool ok = len != 0 && i + len <= n;
    for (std::size_t k = 1; ok && k < len; ++k) {
      if (!is_continuation_byte(s[i + k])) ok = false;
      else c = (c << 6) | (s[i + k] & 0x3F);
    }
    if (ok && (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))) ok = false;
    if (!ok) {
      out.push_back(0xFFFD);
      ++i;
    } else {
      out.push_back(c);
      i += len;
    }
  }
  offsets.push_back(n);
  return offsets;
}

}  // namespace

std::u32string decode_utf8(std::string_view text) {
  std::u32string out;
  code_point_offsets(text, out);
  return out;
}

std::string encode_utf8(std::u32string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char32_t c : text) {
    if (c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) c = 0xFFFD;
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else if (c < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (c >> 6)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (c >> 12)));
      out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (c >> 18)));
      out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
  }
  return out;
}

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (char ch : text) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out.push_back(ch);
    }
  }
  return out;
}

std::string collapse_whitespace(std::string_view text) {
  // Decoding also turns invalid bytes into U+FFFD, so the result is always valid UTF-8.
  const std::u32string in = decode_utf8(text);
  std::u32string out;
  bool pending_space = false;
  for (char32_t c : in) {
    if (is_space(c) || c < 0x20 || c == 0x7F) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(U' ');
    pending_space = false;
    out.push_back(c);
  }
  return encode_utf8(out);
}

std::string strip_urls(std::string_view text) {
  const std::u32string in = decode_utf8(text);
  std::u32string out;
  for (std::size_t i = 0; i < in.size();) {
    if (starts_with_at(in, i, U"http://") || starts_with_at(in, i, U"https://") ||
        ((i == 0 || is_space(in[i - 1]) || in[i - 1] == U'(') && starts_with_at(in, i, U"www."))) {
      while (i < in.size() && !is_space(in[i]) && in[i] != U')') ++i;
      // A sentence's full stop right after the URL stays.
      while (!out.empty() && out.back() == U' ') out.pop_back();
      if (!out.empty() && out.back() == U'(' && i < in.size() && in[i] == U')') {
        out.pop_back();
        ++i;
      }
      continue;
    }
    out.push_back(in[i++]);
  }
  return collapse_whitespace(encode_utf8(out));
}

bool is_unspaced(char32_t c) {
  return (c >= 0x0E00 && c <= 0x0EFF) ||   // Thai, Lao
         (c >= 0x1000 && c <= 0x109F) ||   // Myanmar
         (c >= 0x1780 && c <= 0x17FF) ||   // Khmer
         (c >= 0x2E80 && c <= 0x2FDF) ||   // CJK radicals
         (c >= 0x3001 && c <= 0x303F) ||   // CJK punctuation (not the ideographic space)
         (c >= 0x3040 && c <= 0x30FF) ||   // kana
         (c >= 0x3100 && c <= 0x31FF) ||   // bopomofo, kana extensions
         (c >= 0x3400 && c <= 0x4DBF) ||   // CJK extension A
         (c >= 0x4E00 && c <= 0x9FFF) ||   // CJK unified ideographs
         (c >= 0xF900 && c <= 0xFAFF) ||   // compatibility ideographs
         (c >= 0xFF01 && c <= 0xFFEF) ||   // fullwidth and halfwidth forms
         (c >= 0x20000 && c <= 0x3FFFF);   // CJK supplementary planes
}

bool ends_sentence(char32_t c) {
  return c == U'.' || c == U'!' || c == U'?' || c == 0x3002 /* 。 */ || c == 0xFF01 /* ！ */ ||
         c == 0xFF1F /* ？ */ || c == 0xFF0E /* ． */;
}

std::vector<std::size_t> sentence_ends(std::string_view text) {
  std::u32string cps;
  const auto off = code_point_offsets(text, cps);
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i + 1 < cps.size(); ++i) {
    if (!ends_sentence(cps[i])) continue;
    const bool cjk_stop = cps[i] >= 0x3000;
    // Closing quotes and brackets belong to the sentence.
    std::size_t j = i + 1;
    while (j < cps.size() && (cps[j] == U'"' || cps[j] == U')' || cps[j] == 0x201D ||
                              cps[j] == 0x300D || cps[j] == 0x300F)) {
      ++j;
    }
    // "e.g. 3.5" is not an end: ASCII punctuation must be followed by a space.
    if (j < cps.size() && (cjk_stop || is_space(cps[j]))) out.push_back(off[j]);
  }
  return out;
}

std::vector<std::size_t> word_ends(std::string_view text) {
  std::u32string cps;
  const auto off = code_point_offsets(text, cps);
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i + 1 < cps.size(); ++i) {
    const bool before_space = !is_space(cps[i]) && is_space(cps[i + 1]);
    const bool unspaced_pair = !is_space(cps[i]) && !is_space(cps[i + 1]) &&
                               (is_unspaced(cps[i]) || is_unspaced(cps[i + 1]));
    if (before_space || unspaced_pair) out.push_back(off[i + 1]);
  }
  return out;
}

double spoken_words(std::string_view text) {
  const std::u32string cps = decode_utf8(text);
  double words = 0;
  bool in_word = false;
  for (char32_t c : cps) {
    if (is_space(c)) {
      in_word = false;
    } else if (is_unspaced(c)) {
      words += 0.5;
      in_word = false;
    } else if (!in_word) {
      words += 1;
      in_word = true;
    }
  }
  return words;
}

std::string confidence_text(double confidence) {
  if (!(confidence >= 0)) confidence = 0;  // also NaN
  if (confidence > 1) confidence = 1;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.2f", confidence);
  return buf;
}

double confidence_value(double confidence) {
  if (!(confidence >= 0)) return 0;
  if (confidence > 1) return 1;
  return std::round(confidence * 100) / 100;
}

bool is_absolute_url(std::string_view url) {
  return url.rfind("https://", 0) == 0 || url.rfind("http://", 0) == 0;
}

std::string truncate_chars(std::string_view text, std::size_t max_chars, std::string_view ellipsis) {
  std::u32string cps;
  const auto off = code_point_offsets(text, cps);
  if (cps.size() <= max_chars) return std::string(text);
  const std::size_t ell = decode_utf8(ellipsis).size();
  if (max_chars <= ell) return encode_utf8(std::u32string_view(cps).substr(0, max_chars));
  const std::size_t limit = max_chars - ell;  // code points of text that fit
  std::size_t cut = off[limit];
  const auto ends = word_ends(text);
  for (auto it = ends.rbegin(); it != ends.rend(); ++it) {
    if (*it <= off[limit]) {
      cut = *it;
      break;
    }
  }
  // A cut that loses more than half the room is worse than cutting inside a word.
  if (cut < off[limit / 2]) cut = off[limit];
  std::string out(text.substr(0, cut));
  while (!out.empty() && (out.back() == ' ' || out.back() == ',' || out.back() == ';' ||
                          out.back() == ':')) {
    out.pop_back();
  }
  return out + std::string(ellipsis);
}

}  // namespace kb::plugins
