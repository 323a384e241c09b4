// Snippets are built with the same Analyzer as the index, so what is highlighted is exactly
// what matched (stems, CJK bigrams), in every language.
#include "snippet.h"

#include <algorithm>
#include <vector>

#include "escape.h"
#include "utf8.h"

namespace kb::search {
namespace {

const std::string kEllipsis = "\xE2\x80\xA6";

std::string flatten(std::string_view s) {
  std::string out(s);
  std::replace(out.begin(), out.end(), '\n', ' ');
  return out;
}

}  // namespace

std::string leading_text(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return html_escape(flatten(text));
  std::string_view cut = utf8_prefix(text, max_bytes);
  const auto space = cut.find_last_of(" \n");
  if (space != std::string_view::npos && space > max_bytes / 2) cut = cut.substr(0, space);
  return html_escape(flatten(cut)) + kEllipsis;
}

std::string make_snippet(std::string_view text, Analyzer& analyzer,
                         const std::set<std::string>& stems, std::size_t max_bytes,
                         const std::vector<std::string>& prefixes) {
  if ((stems.empty() && prefixes.empty()) || text.empty()) return "";
  const auto tokens = analyzer.tokenize(text, AnalysisMode::Index);
  struct Match {
    std::size_t begin, end;
    std::string stem;
  };
  std::vector<Match> matches;
  for (const auto& t : tokens) {
    if (t.kind == TokenKind::Unigram && !stems.count(t.text)) continue;
    const std::string s = analyzer.stem(t);
    bool match = stems.count(s) || stems.count(t.text);
    for (const auto& p : prefixes) {
      match = match || (t.kind == TokenKind::Word && t.text.compare(0, p.size(), p) == 0);
    }
    if (match) matches.push_back({t.begin, t.end, s});
    if (matches.size() >= 256) break;
  }
  if (matches.empty()) return "";

  // Window with the most distinct matched terms; the earliest on ties. The window from match
  // i holds matches i, i+1, ... up to the first that ends beyond begin(i) + max_bytes; that
  // end only moves forward with i, so one pass with counts per term finds every window
  // (a set per window was quadratic in the matches, up to 256 of them).
  std::vector<std::size_t> term(matches.size());
  {
    std::vector<const std::string*> terms;
    for (std::size_t i = 0; i < matches.size(); ++i) {
      auto it = std::find_if(terms.begin(), terms.end(), [&](const std::string* t) { return *t == matches[i].stem; });
      term[i] = static_cast<std::size_t>(it - terms.begin());
      if (it == terms.end()) terms.push_back(&matches[i].stem);
    }
  }
  std::vector<std::size_t> count(matches.size(), 0);
  std::size_t distinct = 0, end_of_window = 0;  // the window of i is [i, end_of_window)
  std::size_t best_start = matches.front().begin;
  std::size_t best_score = 0;
  for (std::size_t i = 0; i < matches.size(); ++i) {
    if (i > 0 && i - 1 < end_of_window && --count[term[i - 1]] == 0) --distinct;
    if (end_of_window < i) end_of_window = i;
    while (end_of_window < matches.size() && matches[end_of_window].end <= matches[i].begin + max_bytes) {
      if (count[term[end_of_window]]++ == 0) ++distinct;
      ++end_of_window;
    }
    if (distinct > best_score) {
      best_score = distinct;
      best_start = matches[i].begin;
    }
  }

  // Start at the beginning of the sentence when it is close, else at the match.
  std::size_t start = best_start;
  const std::size_t look_back = std::min<std::size_t>(best_start, max_bytes / 3);
  const std::string_view before = text.substr(best_start - look_back, look_back);
  // The last sentence end before the match: ASCII . ! ? or a line break, or the CJK full
  // stop and full-width ! and ?.
  std::size_t sentence_end = std::string_view::npos;
  for (std::size_t i = 0; i < before.size(); ++i) {
    const char c = before[i];
    if (c == '.' || c == '!' || c == '?' || c == '\n') {
      sentence_end = i + 1;
    } else {
      for (const std::string_view stop : {"\xE3\x80\x82", "\xEF\xBC\x81", "\xEF\xBC\x9F"}) {
        if (before.substr(i, stop.size()) == stop) sentence_end = i + stop.size();
      }
    }
  }
  if (sentence_end != std::string_view::npos) {
    std::size_t s = best_start - look_back + sentence_end;
    while (s < best_start && (text[s] == ' ' || text[s] == '\n')) ++s;
    start = s;
  } else if (best_start == look_back) {
    start = 0;
  }
  std::size_t end = start + utf8_prefix(text.substr(start), max_bytes).size();
  if (end < text.size()) {
    // End at the end of a token inside the window, so no word is cut.
    std::size_t last_token_end = 0;
    for (const auto& t : tokens) {
      if (t.begin >= start && t.end <= end) last_token_end = std::max(last_token_end, t.end);
    }
    if (last_token_end > start) end = last_token_end;
  }

  std::string out;
  if (start > 0) out += kEllipsis;
  std::size_t pos = start;
  for (std::size_t i = 0; i < matches.size(); ++i) {
    const auto& m = matches[i];
    if (m.end <= pos || m.begin >= end) continue;
    // Merge overlapping matches (CJK bigrams overlap by one character).
    std::size_t b = std::max(m.begin, pos);
    std::size_t e = std::min(m.end, end);
    while (i + 1 < matches.size() && matches[i + 1].begin <= e && matches[i + 1].begin < end) {
      e = std::max(e, std::min(matches[i + 1].end, end));
      ++i;
    }
    out += html_escape(flatten(text.substr(pos, b - pos)));
    out += "<mark>" + html_escape(flatten(text.substr(b, e - b))) + "</mark>";
    pos = e;
  }
  out += html_escape(flatten(text.substr(pos, end - pos)));
  if (end < text.size()) out += kEllipsis;
  return out;
}

}  // namespace kb::search
