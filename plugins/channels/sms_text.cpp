// GSM 03.38 tables, segment counting and cutting SMS text at sentence or word ends.
#include "sms_text.h"

#include <algorithm>
#include <vector>

#include "text.h"
#include "utf8.h"

namespace kb::plugins {
namespace {

constexpr std::size_t kGsmSingle = 160, kGsmPart = 153;
constexpr std::size_t kUcsSingle = 70, kUcsPart = 67;
// Two segments hold at most 306 septets; in UTF-8 that is at most 4 bytes each. Cuts past
// this offset can never fit, so long texts cost no more than short ones.
constexpr std::size_t kMaxUsefulBytes = 2 * kGsmPart * 4;

int parts_for(const std::vector<std::size_t>& costs, std::size_t single, std::size_t part_size) {
  std::size_t total = 0;
  for (auto c : costs) total += c;
  if (total == 0) return 0;
  if (total <= single) return 1;
  int parts = 1;
  std::size_t used = 0;
  for (auto c : costs) {
    if (used + c > part_size) {
      ++parts;
      used = 0;
    }
    used += c;
  }
  return parts;
}

std::string trim_end(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\t' ||
                        s.back() == '\r')) {
    s.pop_back();
  }
  return s;
}

}  // namespace

bool in_gsm7_basic(char32_t c) {
  if (c >= U'A' && c <= U'Z') return true;
  if (c >= U'a' && c <= U'z') return true;
  if (c >= U'0' && c <= U'9') return true;
  switch (c) {
    case U'\n': case U'\r': case U' ': case U'!': case U'"': case U'#': case U'$': case U'%':
    case U'&': case U'\'': case U'(': case U')': case U'*': case U'+': case U',': case U'-':
    case U'.': case U'/': case U':': case U';': case U'<': case U'=': case U'>': case U'?':
    case U'@': case U'_':
    case 0x00A1: case 0x00A3: case 0x00A4: case 0x00A5: case 0x00A7: case 0x00BF:  // ¡£¤¥§¿
    case 0x00C4: case 0x00C5: case 0x00C6: case 0x00C7: case 0x00C9: case 0x00D1:  // ÄÅÆÇÉÑ
    case 0x00D6: case 0x00D8: case 0x00DC: case 0x00DF: case 0x00E0: case 0x00E4:  // ÖØÜßàä
    case 0x00E5: case 0x00E6: case 0x00E8: case 0x00E9: case 0x00EC: case 0x00F1:  // åæèéìñ
    case 0x00F2: case 0x00F6: case 0x00F8: case 0x00F9: case 0x00FC:               // òöøùü
    case 0x0393: case 0x0394: case 0x0398: case 0x039B: case 0x039E: case 0x03A0:  // ΓΔΘΛΞΠ
    case 0x03A3: case 0x03A6: case 0x03A8: case 0x03A9:                            // ΣΦΨΩ
      return true;
    default:
      return false;
  }
}

bool in_gsm7_extension(char32_t c) {
  switch (c) {
    case U'\f': case U'^': case U'{': case U'}': case U'\\': case U'[': case U'~': case U']':
    case U'|': case 0x20AC:  // €
      return true;
    default:
      return false;
  }
}

SmsCount count_sms(std::string_view text) {
  const std::u32string cps = decode_utf8(text);
  const bool gsm = std::all_of(cps.begin(), cps.end(), [](char32_t c) {
    return in_gsm7_basic(c) || in_gsm7_extension(c);
  });
  std::vector<std::size_t> costs;
  costs.reserve(cps.size());
  SmsCount out;
  out.encoding = gsm ? SmsEncoding::Gsm7 : SmsEncoding::Ucs2;
  for (char32_t c : cps) {
    const std::size_t cost = gsm ? (in_gsm7_extension(c) ? 2 : 1) : (c > 0xFFFF ? 2 : 1);
    costs.push_back(cost);
    out.units += cost;
  }
  out.segments = gsm ? parts_for(costs, kGsmSingle, kGsmPart) : parts_for(costs, kUcsSingle, kUcsPart);
  return out;
}

std::string fit_sms(std::string_view text_in, std::string_view link, int max_segments) {
  const std::string text = collapse_whitespace(text_in);
  auto message = [&](const std::string& body, std::string_view l) {
    if (l.empty()) return body;
    return body.empty() ? std::string(l) : body + "\n" + std::string(l);
  };
  auto fits = [&](const std::string& m) { return count_sms(m).segments <= max_segments; };

  if (!link.empty() && !fits(message("...", link))) {
    // A link too long to send with any text is worth less than the answer itself.
    return fit_sms(text_in, "", max_segments);
  }
  if (fits(message(text, link))) return message(text, link);

  const std::string_view head = utf8_prefix(text, kMaxUsefulBytes);
  const auto sentences = sentence_ends(head);
  for (auto it = sentences.rbegin(); it != sentences.rend(); ++it) {
    const std::string m = message(trim_end(std::string(head.substr(0, *it))), link);
    if (fits(m)) return m;
  }
  const auto words = word_ends(head);
  for (auto it = words.rbegin(); it != words.rend(); ++it) {
    std::string cut = trim_end(std::string(head.substr(0, *it)));
    while (!cut.empty() && (cut.back() == ',' || cut.back() == ';' || cut.back() == ':')) cut.pop_back();
    if (cut.empty()) continue;
    const std::string m = message(cut + "...", link);
    if (fits(m)) return m;
  }
  // One very long word: cut between characters.
  std::u32string cps = decode_utf8(head);
  while (!cps.empty()) {
    cps.pop_back();
    const std::string m = message(encode_utf8(cps) + "...", link);
    if (fits(m)) return m;
  }
  return message("", link);
}

}  // namespace kb::plugins
