// Body spans (body_spans.h). The format, entry after entry:
//
//   varint((begin - previous begin) << 2 | tag), then for tags 0-2 varint(end - begin)
//
// tag 0: a word; tag 1: the first character of a CJK run; tag 2: the next character of the
// same run; tag 3 (no begin, no length): the joined form of the last two words ("wi-fi" ->
// "wifi"). A run's bigrams and unigrams follow from its characters, in tokenize's order:
// each character's unigram, then the bigram starting at it.
#include "body_spans.h"

#include <cstdint>

#include "varint.h"

namespace kb {
namespace {

constexpr std::uint64_t kWord = 0, kRunStart = 1, kRunNext = 2, kJoined = 3;

bool starts_code_point(std::string_view text, std::size_t at) {
  return at >= text.size() || (static_cast<unsigned char>(text[at]) & 0xC0) != 0x80;
}

// Decodes `spans`; `text` (when not null) must hold every span on code point boundaries,
// else every span must end within `text_size`.
bool decode(std::string_view spans, std::size_t text_size, const std::string_view* text,
            std::vector<TokenSpan>& out, std::size_t& positions) {
  out.clear();
  out.reserve(spans.size());  // an entry takes a byte or more and gives at most two tokens
  positions = 0;
  struct Char {
    std::size_t begin, end;
  };
  std::vector<Char> run;
  auto flush_run = [&] {
    for (std::size_t k = 0; k < run.size(); ++k) {
      out.push_back(TokenSpan{run[k].begin, run[k].end, TokenKind::Unigram});
      if (k + 1 < run.size()) {
        out.push_back(TokenSpan{run[k].begin, run[k + 1].end, TokenKind::Bigram});
        ++positions;
      }
    }
    run.clear();
  };
  constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  std::size_t last_word = kNone, word_before = kNone;  // indexes into `out`
  std::size_t previous = 0, pos = 0;
  while (pos < spans.size()) {
    std::uint64_t head = 0, length = 0;
    if (!get_varint(spans, pos, head)) return false;
    const std::uint64_t tag = head & 3;
    const std::uint64_t delta = head >> 2;
    if (tag == kJoined) {
      if (delta != 0 || word_before == kNone || !run.empty()) return false;
      out.push_back(TokenSpan{out[word_before].begin, out[last_word].end, TokenKind::Compound});
      continue;
    }
    if (!get_varint(spans, pos, length)) return false;
    if (delta > text_size - previous || length == 0 || length > text_size - previous - delta) return false;
    const std::size_t begin = previous + delta;
    const std::size_t end = begin + length;
    if (text && (!starts_code_point(*text, begin) || !starts_code_point(*text, end))) return false;
    previous = begin;
    if (tag == kWord) {
      flush_run();
      out.push_back(TokenSpan{begin, end, TokenKind::Word});
      ++positions;
      word_before = last_word;
      last_word = out.size() - 1;
      continue;
    }
    // A CJK character: words on either side of a run never join.
    last_word = word_before = kNone;
    if (tag == kRunStart) {
      flush_run();
    } else if (run.empty()) {
      return false;  // a run continued that never started
    }
    run.push_back({begin, end});
  }
  flush_run();
  return true;
}

}  // namespace

std::string encode_body_spans(const std::vector<Token>& tokens) {
  std::string out;
  std::size_t previous = 0, text_size = 0;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const Token& t = tokens[i];
    if (t.kind == TokenKind::Bigram) continue;  // follows from the run's characters
    if (t.kind == TokenKind::Compound) {
      put_varint(out, kJoined);
      continue;
    }
    if (t.begin < previous || t.end <= t.begin) return "";
    std::uint64_t tag = kWord;
    if (t.kind == TokenKind::Unigram) tag = i > 0 && tokens[i - 1].kind == TokenKind::Bigram ? kRunNext : kRunStart;
    put_varint(out, (static_cast<std::uint64_t>(t.begin - previous) << 2) | tag);
    put_varint(out, t.end - t.begin);
    previous = t.begin;
    if (t.end > text_size) text_size = t.end;
  }
  // Stored only if it gives the tokens back exactly (a tokenizer that one day orders its
  // tokens otherwise leaves bodies without spans rather than with wrong ones).
  std::vector<TokenSpan> decoded;
  std::size_t positions = 0;
  if (!decode(out, text_size, nullptr, decoded, positions) || decoded.size() != tokens.size()) return "";
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (decoded[i].kind != tokens[i].kind || decoded[i].begin != tokens[i].begin || decoded[i].end != tokens[i].end) {
      return "";
    }
  }
  return out;
}

bool decode_body_spans(std::string_view spans, std::string_view text, std::vector<TokenSpan>& out,
                       std::size_t& positions) {
  return decode(spans, text.size(), &text, out, positions);
}

}  // namespace kb
