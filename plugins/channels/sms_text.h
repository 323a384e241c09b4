// SMS encodings and segments (3GPP TS 23.038 / 23.040) and cutting text to fit them.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace kb::plugins {

enum class SmsEncoding { Gsm7, Ucs2 };

struct SmsCount {
  SmsEncoding encoding = SmsEncoding::Gsm7;
  std::size_t units = 0;  // GSM-7 septets, or UTF-16 code units for UCS-2
  int segments = 0;       // 0 for empty text
};

// True if `c` is in the GSM 03.38 default alphabet (one septet).
bool in_gsm7_basic(char32_t c);
// True if `c` is in the GSM 03.38 extension table (two septets: escape + character).
bool in_gsm7_extension(char32_t c);

// How `text` is sent: GSM-7 if every character is in the default alphabet or its extension
// table, otherwise UCS-2. One segment holds 160 septets or 70 code units; a longer message
// is split into parts of 153 septets or 67 code units, and a part never splits an escape
// sequence or a surrogate pair (so a part may hold one unit less). Never throws.
SmsCount count_sms(std::string_view text);

// `text` (plain text) followed by a newline and `link`, cut so that the whole message fits
// in `max_segments`: at the last sentence end that fits, else at the last word end with
// "..." appended. The link is dropped only if it cannot fit with any text at all. Never
// returns more than `max_segments` segments.
std::string fit_sms(std::string_view text, std::string_view link, int max_segments = 2);

}  // namespace kb::plugins
