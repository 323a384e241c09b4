// Snippets are built with the same Analyzer as the index, so what is highlighted is exactly
// what matched (stems, CJK bigrams), in every language.
#include "snippet.h"

#include <algorithm>
#include <optional>
#include <vector>

#include <xapian.h>

#include "body_spans.h"
#include "escape.h"
#include "schema.h"
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

namespace {

struct Match {
  std::size_t begin, end;
  std::string term;
};

// The snippet of `text` given `match`, which says for each token of the text, in order,
// whether it matches and for which term (writing it to its second argument), and
// `exhausted`, which says that no later token can match. `best_possible`: the most distinct
// terms a window can hold (a window with that many ends the search).
// `tokens_of(from, to, sink)` gives sink each token that begins in text[from, to), with
// offsets into `text`, in Analyzer::tokenize's order: a Token, or a TokenSpan (no text)
// read from the body's spans; `match` takes what the source gives. `whole_lines`: the source
// analyses what it is given, so [from, to) must be whole lines; else (stored spans) any
// stretch will do, and a short one at a time is read.
template <class TokensFn, class MatchFn, class ExhaustedFn>
std::string snippet_of(std::string_view text, std::size_t max_bytes, std::size_t best_possible, bool whole_lines,
                       TokensFn&& tokens_of, MatchFn&& match, ExhaustedFn&& exhausted) {
  if (text.empty()) return "";
  // The text is read a little at a time: analysed a few lines at a time (analysis breaks
  // words at every line break, so the tokens are those of the whole text), or from stored
  // spans a few words at a time. Most texts show every query term together early on, and
  // the rest of the text is then never read.
  std::vector<std::pair<std::size_t, std::size_t>> tokens;  // where each token is
  std::vector<Match> matches;
  std::size_t analysed = 0;  // bytes of `text` whose tokens are known
  bool capped = false;       // 256 matches: enough to choose from
  auto analyse_more = [&]() {
    constexpr std::size_t kLines = 512, kSpans = 128;
    std::size_t to = text.size();
    if (!whole_lines) {
      to = std::min(text.size(), analysed + kSpans);
    } else if (analysed + kLines < text.size()) {
      const auto newline = text.find('\n', analysed + kLines);
      if (newline != std::string_view::npos) to = newline + 1;
    }
    std::string term;
    tokens_of(analysed, to, [&](const auto& t) {
      if (match(t, term) && !capped) {
        matches.push_back({t.begin, t.end, std::move(term)});
        capped = matches.size() >= 256;
      }
      tokens.emplace_back(t.begin, t.end);
    });
    analysed = to;
  };

  // Window with the most distinct matched terms; the earliest on ties. The window from match
  // i holds matches i, i+1, ... up to the first that ends beyond begin(i) + max_bytes; that
  // end only moves forward with i, so one pass with counts per term finds every window
  // (a set per window was quadratic in the matches, up to 256 of them). A window is scored
  // once the text under it is analysed; one with every query term (and every prefix)
  // cannot be beaten, so the analysis stops there.
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
          const auto& stem = matches[term.size()].term;
          std::size_t k = 0;
          while (k < term_first.size() && matches[term_first[k]].term != stem) ++k;
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
  while (!settled && analysed < text.size() && !capped && !exhausted()) {
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
    for (const auto& [b, e] : tokens) {
      if (b >= start && e <= end) last_token_end = std::max(last_token_end, e);
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

// The token source of snippet_of that analyses the text.
auto analysed_tokens(std::string_view text, Analyzer& analyzer) {
  return [text, &analyzer](std::size_t from, std::size_t to, auto&& sink) {
    for (auto& t : analyzer.tokenize(text.substr(from, to - from), AnalysisMode::Index)) {
      t.begin += from;
      t.end += from;
      sink(std::move(t));
    }
  };
}

// The term a match of a typed prefix counts for: one per prefix, whichever word completes
// it ("res" in "reset" or "restore"), so a window is scored by the query's words it holds,
// and one that holds them all cannot be beaten (the snippet stops reading there).
std::string prefix_term(const std::string& prefix) { return '\x01' + prefix; }

// The terms `prefixes` can add to a window: one per distinct prefix (a search of every
// language lists a prefix once per language).
std::size_t prefix_terms(const std::vector<std::string>& prefixes) {
  return std::set<std::string>(prefixes.begin(), prefixes.end()).size();
}

// Whether `t` is a word that starts with one of `prefixes` (words typed so far); if so, the
// first such prefix's term goes to `term`.
bool completes_prefix(const Token& t, const std::vector<std::string>& prefixes, std::string& term) {
  if (t.kind != TokenKind::Word) return false;
  const auto it = std::find_if(prefixes.begin(), prefixes.end(),
                               [&t](const std::string& p) { return t.text.compare(0, p.size(), p) == 0; });
  if (it == prefixes.end()) return false;
  term = prefix_term(*it);
  return true;
}

}  // namespace

std::string make_snippet(std::string_view text, Analyzer& analyzer,
                         const std::set<std::string>& stems, std::size_t max_bytes,
                         const std::vector<std::string>& prefixes) {
  if (stems.empty() && prefixes.empty()) return "";
  auto match = [&](const Token& t, std::string& term) {
    if (t.kind == TokenKind::Unigram && !stems.count(t.text)) return false;
    // The term a match counts for: the query's stem it has (its stem or, for CJK grams
    // and unstemmed words, its text), else its own stem (a prefix match).
    term = analyzer.stem(t);
    if (stems.count(term)) return true;
    if (stems.count(t.text)) {
      term = t.text;
      return true;
    }
    return completes_prefix(t, prefixes, term);
  };
  // A window with every stem and every prefix cannot be beaten.
  return snippet_of(text, max_bytes, stems.size() + prefix_terms(prefixes), true, analysed_tokens(text, analyzer), match,
                    [] { return false; });
}

std::vector<BodyMatches> find_body_matches(const Xapian::Database& db, const std::vector<BodyDocument>& docs,
                                           const std::set<std::string>& stems) {
  // A stem's positions at or after the body's first position are in the body; those before
  // it are in the title, questions or summary. A stem with no positions in the document is
  // either absent or there without positions (CJK unigrams, joined hyphenated words), which
  // its posting list tells. A stem the document has at no body position may still be a
  // joined word or unigram of the body. Documents are visited in docid order, so one
  // posting list per stem serves them all.
  std::vector<BodyMatches> out(docs.size());
  std::vector<std::size_t> order(docs.size());
  for (std::size_t i = 0; i < docs.size(); ++i) {
    order[i] = i;
    out[i].first_position = docs[i].first_position;
    out[i].spans = docs[i].spans;
  }
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return docs[a].did < docs[b].did; });
  for (const auto& stem : stems) {
    const std::string term = schema::term(schema::kStemmed, stem);
    std::optional<Xapian::PostingIterator> postings;
    for (const std::size_t i : order) {
      BodyMatches& body = out[i];
      const Xapian::docid did = docs[i].did;
      Xapian::PositionIterator p = db.positionlist_begin(did, term);
      const Xapian::PositionIterator end = db.positionlist_end(did, term);
      if (p != end) {
        const std::size_t before = body.at.size();
        for (p.skip_to(body.first_position); p != end; ++p) body.at.emplace_back(*p, stem);
        if (body.at.size() > before) {
          body.present.insert(stem);
        } else {
          body.loose.insert(stem);  // in the title, questions or summary, maybe joined in the body
        }
        continue;
      }
      if (!postings) postings = db.postlist_begin(term);
      if (*postings == db.postlist_end(term)) continue;
      postings->skip_to(did);
      if (*postings != db.postlist_end(term) && **postings == did) body.loose.insert(stem);
    }
  }
  for (auto& body : out) std::sort(body.at.begin(), body.at.end());
  return out;
}

std::string make_body_snippet(std::string_view text, Analyzer& analyzer, const BodyMatches& body,
                              std::size_t max_bytes, const std::vector<std::string>& prefixes,
                              bool* consistent, bool* from_spans) {
  if (consistent) *consistent = true;
  if (from_spans) *from_spans = false;
  // Loose stems can match only tokens without a position: unigrams, in CJK text, and
  // words joined at a hyphen. When the text can give neither, they match nothing.
  bool loose_open = false;
  if (!body.loose.empty()) {
    loose_open = Analyzer::may_join_words(text);
    for (const auto& stem : body.loose) {
      loose_open = loose_open || (code_points(stem) == 1 && Analyzer::is_cjk_start(stem));
    }
  }
  if (body.present.empty() && !loose_open && prefixes.empty()) return "";
  // Words and bigrams take the positions body.first_position, +1, ... in order, as they did
  // when the body was indexed (document_builder.cpp): the position lists say which match,
  // with no stemming. Unigrams and joined words have no position and are matched by their
  // text or stem, as make_snippet does.
  Xapian::termpos position = body.first_position - 1;
  std::size_t next = 0;  // the first entry of body.at not yet reached
  bool drifted = false;
  auto has = [&](const std::string& stem) { return body.present.count(stem) > 0 || body.loose.count(stem) > 0; };
  // The query stem at the next position, or null.
  auto at_next_position = [&]() -> const std::string* {
    ++position;
    while (next < body.at.size() && body.at[next].first < position) ++next;
    return next < body.at.size() && body.at[next].first == position ? &body.at[next].second : nullptr;
  };
  auto match = [&](const Token& t, std::string& term) {
    if (t.kind == TokenKind::Word || t.kind == TokenKind::Bigram) {
      if (const std::string* stem = at_next_position()) {
        term = *stem;
        // The index and this analysis must agree; an index built by another analyzer does
        // not, and the caller then falls back to make_snippet.
        if (analyzer.stem(t) != term) drifted = true;
        return true;
      }
      return completes_prefix(t, prefixes, term);
    }
    if (t.kind == TokenKind::Unigram) {
      if (!has(t.text)) return false;
      term = t.text;
      return true;
    }
    term = analyzer.stem(t);
    return has(term);
  };
  // Past the last listed position (`next` has gone beyond it) nothing more can match, unless
  // a word may complete a prefix or a loose stem may match.
  const bool open = !prefixes.empty() || loose_open;
  auto exhausted = [&] { return drifted || (!open && next >= body.at.size()); };
  const std::size_t best_possible =
      body.present.size() + (loose_open ? body.loose.size() : 0) + prefix_terms(prefixes);

  // The body's tokens from its stored spans rather than its analysis, unless a stem is of
  // one character outside ASCII (a CJK unigram's text would tell whether it matches). The
  // spans are read only as far as the snippet goes (BodySpanReader). The few tokens whose
  // text is needed are read alone: a joined word outside ASCII, and with prefixes each word
  // outside ASCII without a listed position whose first letter could begin a prefix (an
  // ASCII word's text is its lowercase, ascii_lowercase, which the indexer checked for every
  // word it stored spans of; two ASCII words joined at a hyphen are read from their span). When more than kMostAlone tokens
  // need reading (words outside ASCII typed into as-you-type), reading each alone would cost
  // more than analysing the body once, and it is analysed; so it is when the spans end
  // before the last listed position or turn out damaged, or a token reads otherwise alone
  // than in its text. The analysis gives the same snippet, at its own cost.
  constexpr std::size_t kMostAlone = 32;
  BodySpanReader reader;
  bool spans = false;
  if (!body.spans.empty()) {
    auto single = [](const std::string& stem) { return code_points(stem) == 1 && static_cast<unsigned char>(stem[0]) >= 0x80; };
    spans = std::none_of(body.present.begin(), body.present.end(), single) &&
            std::none_of(body.loose.begin(), body.loose.end(), single) && reader.open(body.spans, text);
  }
  if (spans) {
    bool gave_up = false;
    std::size_t read_alone = 0;
    // A token's own analysis; none past kMostAlone such readings (the callers then give up).
    auto alone = [&](const TokenSpan& t) -> std::vector<Token> {
      if (++read_alone > kMostAlone) return {};
      return analyzer.tokenize(text.substr(t.begin, t.end - t.begin), AnalysisMode::Index);
    };
    auto match_span = [&](const TokenSpan& t, std::string& term) {
      if (t.kind == TokenKind::Word || t.kind == TokenKind::Bigram) {
        if (const std::string* stem = at_next_position()) {
          term = *stem;
          return true;
        }
        if (prefixes.empty() || t.kind != TokenKind::Word) return false;
        const std::string_view span = text.substr(t.begin, t.end - t.begin);
        if (is_ascii(span)) {
          // Compared as its lowercase (the word's text), nothing built.
          const auto completed = std::find_if(prefixes.begin(), prefixes.end(), [&](const std::string& p) {
            return p.size() <= span.size() &&
                   std::equal(p.begin(), p.end(), span.begin(), [](char a, char b) { return a == ascii_lower(b); });
          });
          if (completed == prefixes.end()) return false;
          term = prefix_term(*completed);
          return true;
        }
        // A word that begins with an ASCII character begins with its lowercase once analysed
        // (accents fold, and an elided article is outside the span): no prefix starting
        // otherwise can be completed, and the word needs no analysis.
        if (const auto first = static_cast<unsigned char>(span.front()); first < 0x80) {
          const char lower = ascii_lower(static_cast<char>(first));
          if (std::none_of(prefixes.begin(), prefixes.end(),
                           [lower](const std::string& p) { return p.empty() || p.front() == lower; })) {
            return false;
          }
        }
        auto tokens = alone(t);
        if (tokens.size() != 1 || tokens[0].kind != TokenKind::Word || tokens[0].begin != 0 ||
            tokens[0].end != span.size()) {
          gave_up = true;  // alone, it is not this one word (or too many were read alone)
          return false;
        }
        return completes_prefix(tokens[0], prefixes, term);
      }
      if (t.kind == TokenKind::Unigram) return false;  // no stem of one such character
      // A joined word: its two words' texts together (Analyzer::tokenize). Two ASCII words
      // joined by "-" are their span's lowercase without it (a word's text is its lowercase,
      // and a word holds no hyphen), so they need no analysis.
      const std::string_view joined = text.substr(t.begin, t.end - t.begin);
      if (const auto hyphen = joined.find('-');
          hyphen != std::string_view::npos && hyphen > 0 && hyphen + 1 < joined.size() &&
          joined.find('-', hyphen + 1) == std::string_view::npos && is_ascii(joined)) {
        Token word{ascii_lowercase(joined.substr(0, hyphen)), {}, t.begin, t.end, TokenKind::Compound};
        word.text += ascii_lowercase(joined.substr(hyphen + 1));
        word.form = word.text;
        term = analyzer.stem(word);
        return has(term);
      }
      auto tokens = alone(t);
      if (tokens.empty() || tokens.back().kind != TokenKind::Compound || tokens.back().begin != 0 ||
          tokens.back().end != t.end - t.begin) {
        gave_up = true;
        return false;
      }
      term = analyzer.stem(tokens.back());
      return has(term);
    };
    TokenSpan pending;
    bool have_pending = false;
    auto stored_tokens = [&](std::size_t, std::size_t to, auto&& sink) {
      for (;;) {
        if (!have_pending) {
          if (!reader.next(pending)) {
            // The spans' end: they must have held every listed position.
            if (reader.damaged() ||
                (!body.at.empty() && body.at.back().first >= body.first_position + reader.positions())) {
              gave_up = true;
            }
            return;
          }
          have_pending = true;
        }
        if (pending.begin >= to) return;
        have_pending = false;
        sink(pending);
      }
    };
    auto stopped = [&] { return gave_up || exhausted(); };
    std::string out = snippet_of(text, max_bytes, best_possible, false, stored_tokens, match_span, stopped);
    if (!gave_up) {
      if (from_spans) *from_spans = true;
      return out;
    }
    position = body.first_position - 1;  // from the top, analysing
    next = 0;
  }
  std::string out = snippet_of(text, max_bytes, best_possible, true, analysed_tokens(text, analyzer), match, exhausted);
  if (drifted && consistent) *consistent = false;
  return out;
}

}  // namespace kb::search
