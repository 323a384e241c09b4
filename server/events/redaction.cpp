// A hand-written scanner rather than std::regex: linear time on any input, no recursion,
// and the number rules (groups, separators, Luhn) are easier to state as code.
#include "redaction.h"

#include <cstddef>
#include <vector>

namespace kb::events {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_alnum(char c) { return is_digit(c) || is_alpha(c); }
bool is_local_char(char c) {
  return is_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}
bool is_domain_char(char c) { return is_alnum(c) || c == '.' || c == '-'; }

// Replaces e-mail addresses: local@domain.tld, the top-level label at least two letters.
std::string redact_emails(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  std::size_t copied = 0;  // in[0, copied) is in out already
  for (std::size_t at = in.find('@'); at != std::string_view::npos; at = in.find('@', at + 1)) {
    if (at < copied) continue;
    std::size_t start = at;
    while (start > copied && is_local_char(in[start - 1])) --start;
    while (start < at && in[start] == '.') ++start;  // a sentence's full stop is not part of it
    if (start == at) continue;
    std::size_t end = at + 1;
    while (end < in.size() && is_domain_char(in[end])) ++end;
    while (end > at + 1 && (in[end - 1] == '.' || in[end - 1] == '-')) --end;
    const std::string_view domain = in.substr(at + 1, end - at - 1);
    const std::size_t dot = domain.rfind('.');
    if (dot == std::string_view::npos || dot == 0) continue;
    const std::string_view tld = domain.substr(dot + 1);
    bool letters = tld.size() >= 2;
    for (char c : tld) letters = letters && is_alpha(c);
    if (!letters) continue;
    out.append(in.substr(copied, start - copied));
    out += "[email]";
    copied = end;
    at = end - 1;
  }
  out.append(in.substr(copied));
  return out;
}

bool is_separator(char c) { return c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '/'; }

struct NumberRun {
  std::size_t end = 0;             // one past the last digit
  std::string digits;
  std::vector<std::size_t> groups; // digits per group
  std::string separators;          // the separator characters between groups (first of each)
};

// The run of digit groups starting at `i` (which holds a digit, '+' or '('): groups joined
// by at most two separator characters.
NumberRun scan_number(std::string_view s, std::size_t i) {
  NumberRun run;
  std::size_t p = i;
  if (s[p] == '+' || s[p] == '(') ++p;
  run.end = i;
  while (p < s.size() && is_digit(s[p])) {
    std::size_t g = 0;
    while (p < s.size() && is_digit(s[p])) {
      run.digits.push_back(s[p]);
      ++p;
      ++g;
    }
    run.groups.push_back(g);
    run.end = p;
    std::size_t q = p;
    while (q < s.size() && q - p < 2 && is_separator(s[q])) ++q;
    if (q == p || q >= s.size() || !is_digit(s[q])) break;
    run.separators.push_back(s[p]);
    p = q;
  }
  return run;
}

bool all_of(const std::string& s, char c) {
  for (char x : s) {
    if (x != c) return false;
  }
  return true;
}

bool looks_like_ipv4(const NumberRun& r) {
  if (r.groups.size() != 4 || !all_of(r.separators, '.')) return false;
  for (auto g : r.groups) {
    if (g > 3) return false;
  }
  return true;
}

bool looks_like_date(const NumberRun& r) {
  if (r.groups.size() != 3 || r.separators.size() != 2 || r.separators[0] != r.separators[1]) return false;
  const char sep = r.separators[0];
  if (sep != '-' && sep != '/' && sep != '.') return false;
  const auto& g = r.groups;
  return (g[0] == 4 && g[1] <= 2 && g[2] <= 2) || (g[0] <= 2 && g[1] <= 2 && g[2] == 4);
}

std::string redact_numbers(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    const bool starts = is_digit(c) || ((c == '+' || c == '(') && i + 1 < s.size() && is_digit(s[i + 1]));
    // Digits glued to a word ("x86", "0x8007", "win10") are part of that word.
    const bool boundary = i == 0 || !(is_alnum(s[i - 1]) || s[i - 1] == '_');
    if (!starts || !boundary) {
      out.push_back(c);
      ++i;
      continue;
    }
    const NumberRun run = scan_number(s, i);
    const bool ends_clean = run.end >= s.size() || !(is_alpha(s[run.end]) || s[run.end] == '_');
    const std::size_t n = run.digits.size();
    const char* replacement = nullptr;
    if (ends_clean && !looks_like_ipv4(run) && !looks_like_date(run)) {
      if (n >= 13 && n <= 19 && luhn_valid(run.digits)) replacement = "[card]";
      else if (n > 15) replacement = "[number]";
      else if (n >= 7) replacement = "[phone]";
    }
    if (replacement) {
      out += replacement;
    } else {
      out.append(s.substr(i, run.end - i));
    }
    i = run.end;
  }
  return out;
}

}  // namespace

bool luhn_valid(std::string_view digits) {
  if (digits.empty()) return false;
  int sum = 0;
  bool twice = false;
  for (std::size_t k = digits.size(); k-- > 0;) {
    if (!is_digit(digits[k])) return false;
    int d = digits[k] - '0';
    if (twice) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    twice = !twice;
  }
  return sum % 10 == 0;
}

std::string redact(std::string_view text) { return redact_numbers(redact_emails(text)); }

void redact_in_place(std::string& text) {
  int digits = 0;
  bool at = false;
  for (char c : text) {
    digits += is_digit(c);
    at = at || c == '@';
  }
  if (at || digits >= 7) text = redact(text);
}

}  // namespace kb::events
