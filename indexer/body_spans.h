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

// The tokens of `text` from its spans: kind, begin and end exactly as tokenize gives them,
// in its order (the caller analyses a token only if it needs its text). `positions` is set
// to the number of Word and Bigram tokens (each takes a position). False, with `out`
// unspecified, when `spans` is damaged or not of `text` (another size or hash, a span past
// its end or starting or ending inside a UTF-8 sequence).
bool decode_body_spans(std::string_view spans, std::string_view text, std::vector<TokenSpan>& out,
                       std::size_t& positions);

}  // namespace kb
