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
  struct Match {
    std::size_t begin, end;
    std::string stem;
  };
  // The text is analysed a few lines at a time: analysis breaks words at every line break,
  // so the tokens are those of the whole text. Most texts show every query term together
  // early on, and the rest of the text then needs no analysis.
  std::vector<Token> tokens;
  std::vector<Match> matches;
  std::size_t analysed = 0;  // bytes of `text` whose tokens are known
  bool capped = false;       // 256 matches: enough to choose from
  auto analyse_more = [&]() {
    constexpr std::size_t kChunk = 512;
    const auto newline = analysed + kChunk < text.size() ? text.find('\n', analysed + kChunk) : std::string_view::npos;
    const std::size_t to = newline == std::string_view::npos ? text.size() : newline + 1;
    for (auto t : analyzer.tokenize(text.substr(analysed, to - analysed), AnalysisMode::Index)) {
      t.begin += analysed;
      t.end += analysed;
      if (!capped && !(t.kind == TokenKind::Unigram && !stems.count(t.text))) {
        // The term a match counts for: the query's stem it has (its stem or, for CJK grams
        // and unstemmed words, its text), else its own stem (a prefix match).
        std::string s = analyzer.stem(t);
        bool match = stems.count(s) > 0;
        if (!match && stems.count(t.text)) {
          s = t.text;
          match = true;
        }
        for (const auto& p : prefixes) {
          match = match || (t.kind == TokenKind::Word && t.text.compare(0, p.size(), p) == 0);
        }
        if (match) matches.push_back({t.begin, t.end, std::move(s)});
        capped = matches.size() >= 256;
      }
      tokens.push_back(std::move(t));
    }
    analysed = to;
  };

  // Window with the most distinct matched terms; the earliest on ties. The window from match
  // i holds matches i, i+1, ... up to the first that ends beyond begin(i) + max_bytes; that
  // end only moves forward with i, so one pass with counts per term finds every window
  // (a set per window was quadratic in the matches, up to 256 of them). A window is scored
  // once the text under it is analysed; one with every query term cannot be beaten, so
  // without prefixes (whose words are open-ended) the analysis stops there.
  const std::size_t best_possible = prefixes.empty() ? stems.size() : std::size_t(-1);
  std::vector<std::size_t> term;        // per match: its term's number
  std::vector<std::size_t> term_first;  // per term: its first match
  std::vector<std::size_t> count;       // per term: matches in the current window
  std::size_t distinct = 0, end_of_window = 0, w = 0;  // the window of w is [w, end_of_window)
  std::size_t best_start = 0, best_score = 0;
  auto score_windows = [&](bool all) {
    for (; w < matches.size(); ++w) {
      if (!all && matches[w].begin + max_bytes > analysed) return false;
      if (w > 0 && w - 1 < end_of_window && --count[term[w - 1]] == 0) --distinct;
      if (end_of_window < w) end_of_window = w;
      while (end_of_window < matches.size() && matches[end_of_window].end <= matches[w].begin + max_bytes) {
        while (term.size() <= end_of_window) {
          const auto& stem = matches[term.size()].stem;
          std::size_t k = 0;
          while (k < term_first.size() && matches[term_first[k]].stem != stem) ++k;
          if (k == term_first.size()) {
            term_first.push_back(term.size());
            count.push_back(0);
          }
          term.push_back(k);
        }
        if (count[term[end_of_window]]++ == 0) ++distinct;
        ++end_of_window;
      }
      if (distinct > best_score) {
        best_score = distinct;
        best_start = matches[w].begin;
        if (best_score >= best_possible) return true;
      }
    }
    return false;
  };
  bool settled = false;
  while (!settled && analysed < text.size() && !capped) {
    analyse_more();
    settled = score_windows(false);
  }
  if (!settled) score_windows(true);
  if (matches.empty()) return "";
  if (best_score == 0) best_start = matches.front().begin;  // every match is longer than the window

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
  while (analysed < end) analyse_more();  // the tokens up to the window's end
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
