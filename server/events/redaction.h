// Removes personal data from free text before it is stored: e-mail addresses, card numbers
// and phone numbers (docs/analytics.md#redaction).
#pragma once

#include <string>
#include <string_view>

namespace kb::events {

// `text` with every e-mail address replaced by "[email]", every 13-19 digit number that
// passes the Luhn check (spaces or dashes between digits allowed) by "[card]", and every
// other number of 7 or more digits (a leading +, spaces, dashes, dots and brackets allowed)
// by "[phone]". Dates (2024-05-01) and IPv4 addresses stay. Digits glued to letters ("x86",
// "0x8007") are not numbers. Pure; never throws for any input, valid UTF-8 or not.
std::string redact(std::string_view text);

// redact() in place; a text with no '@' and fewer than 7 digits (most queries) is left
// untouched without a copy.
void redact_in_place(std::string& text);

// The Luhn check over a string of digits (false for anything else).
bool luhn_valid(std::string_view digits);

}  // namespace kb::events
