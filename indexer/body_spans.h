// Body spans: where each token of an article's plain-text body is, stored with the article
// (docs/schema.md, "Body spans") so a search can cut a snippet without analysing the body
// again: the index's positions say which tokens match, the spans say where they are.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer.h"

namespace kb {

// Encodes the tokens of `text`, as Analyzer::tokenize gives them in AnalysisMode::Index, as
// printable ASCII without '"' or '\' (a JSON string as it is), about two bytes per word or
// CJK character, with the text's size and hash. Returns "" when the tokens are not in a shape
// decode_body_spans gives back exactly, or an ASCII word's token text is not
// ascii_lowercase of its span (then the body has no spans, and snippets analyse it).
std::string encode_body_spans(std::string_view text, const std::vector<Token>& tokens);

// A token without its text.
struct TokenSpan {
  std::size_t begin = 0;
  std::size_t end = 0;
  TokenKind kind = TokenKind::Word;
};

// The tokens of a text from its spans, one at a time, in tokenize's order: a snippet reads
// only as far as it needs, where decode_body_spans reads them all.
class BodySpanReader {
 public:
  // False, and no tokens, when `spans` are not of `text` (another size or hash). Both must
  // outlive the reader.
  bool open(std::string_view spans, std::string_view text);
  // The next token; false at the end of the spans, or when they are damaged (a span past
  // the text's end or starting or ending inside a UTF-8 sequence, a malformed entry).
  bool next(TokenSpan& out);
  bool damaged() const { return damaged_; }
  // Word and Bigram tokens given so far (each takes a position).
  std::size_t positions() const { return positions_; }

 private:
  void read_entry();
  void push(std::size_t begin, std::size_t end, TokenKind kind);

  std::string_view spans_, text_;
  std::size_t pos_ = 0, previous_ = 0, positions_ = 0;
  bool done_ = true, damaged_ = false;
  // The CJK run being read: its last character so far.
  bool in_run_ = false;
  std::size_t char_begin_ = 0, char_end_ = 0;
  // The last two words (a joined word joins them), if no CJK character came since.
  bool has_last_ = false, has_before_ = false;
  std::size_t last_begin_ = 0, last_end_ = 0, before_begin_ = 0;
  // Tokens read but not yet given: at most two from one entry.
  TokenSpan queue_[2];
  std::size_t head_ = 0, queued_ = 0;
};

// The tokens of `text` from its spans: kind, begin and end exactly as tokenize gives them,
// in its order (the caller analyses a token only if it needs its text). `positions` is set
// to the number of Word and Bigram tokens (each takes a position). False, with `out`
// unspecified, when `spans` is damaged or not of `text` (another size or hash, a span past
// its end or starting or ending inside a UTF-8 sequence).
bool decode_body_spans(std::string_view spans, std::string_view text, std::vector<TokenSpan>& out,
                       std::size_t& positions);

}  // namespace kb
