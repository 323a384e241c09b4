// Body spans (body_spans.h). Numbers are written as printable varints, five bits a
// character, lowest first: '0'..'O' (0x30-0x4F) ends a number, ']'..'|' (0x5D-0x7C) has more
// to come. Neither range holds '"' or '\', nor a control character, so the spans are a JSON
// string as they are (no escapes) and a reader of the fields that knows nothing of them
// skips them like any other field. The format:
//
//   size of the text in bytes, a hash of the text (text_hash), then entry after entry:
//   ((begin - previous begin) << 2 | tag), then for tags 0-2 (end - begin)
//
// tag 0: a word; tag 1: the first character of a CJK run; tag 2: the next character of the
// same run; tag 3 (no begin, no length): the joined form of the last two words ("wi-fi" ->
// "wifi"). A run's bigrams and unigrams follow from its characters, in tokenize's order:
// each character's unigram, then the bigram starting at it.
#include "body_spans.h"

#include <cstdint>

#include "hash.h"
#include "utf8.h"

namespace kb {
namespace {

constexpr std::uint64_t kWord = 0, kRunStart = 1, kRunNext = 2, kJoined = 3;
constexpr char kLast = 0x30, kMore = 0x5D;  // first characters of the two ranges

void put_number(std::string& out, std::uint64_t v) {
  while (v >= 32) {
    out.push_back(static_cast<char>(kMore + (v & 31)));
    v >>= 5;
  }
  out.push_back(static_cast<char>(kLast + v));
}

bool get_number(std::string_view in, std::size_t& pos, std::uint64_t& v) {
  v = 0;
  for (int shift = 0; shift < 64; shift += 5) {
    if (pos >= in.size()) return false;
    const char c = in[pos++];
    if (c >= kLast && c < kLast + 32) {
      const auto part = static_cast<std::uint64_t>(c - kLast);
      if (shift > 0 && (part >> (64 - shift)) != 0) return false;  // more than 64 bits
      v |= part << shift;
      return true;
    }
    if (c < kMore || c >= kMore + 32) return false;
    v |= static_cast<std::uint64_t>(c - kMore) << shift;
  }
  return false;
}

// FNV-1a (low 32 bits) of the text's first and last 32 bytes: with its size, enough to tell
// the spans of another text, at a fixed cost per hit.
std::uint64_t text_hash(std::string_view text) {
  constexpr std::size_t kEnds = 32;
  if (text.size() <= 2 * kEnds) return fnv1a64(text) & 0xFFFFFFFFu;
  return fnv1a64(text.substr(text.size() - kEnds), fnv1a64(text.substr(0, kEnds))) & 0xFFFFFFFFu;
}

bool starts_code_point(std::string_view text, std::size_t at) {
  return at >= text.size() || !is_continuation_byte(static_cast<unsigned char>(text[at]));
}

}  // namespace

std::string encode_body_spans(std::string_view text, const std::vector<Token>& tokens) {
  if (tokens.empty()) return "";
  std::string out;
  put_number(out, text.size());
  put_number(out, text_hash(text));
  std::size_t previous = 0;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const Token& t = tokens[i];
    if (t.kind == TokenKind::Bigram) continue;  // follows from the run's characters
    if (t.kind == TokenKind::Compound) {
      put_number(out, kJoined);
      continue;
    }
    if (t.begin < previous || t.end <= t.begin || t.end > text.size()) return "";
    // A search reads an ASCII word's text as its lowercase (snippets of unfinished words):
    // a word whose token says otherwise leaves the body without spans.
    const std::string_view span = text.substr(t.begin, t.end - t.begin);
    if (t.kind == TokenKind::Word && is_ascii(span) && ascii_lowercase(span) != t.text) return "";
    std::uint64_t tag = kWord;
    if (t.kind == TokenKind::Unigram) tag = i > 0 && tokens[i - 1].kind == TokenKind::Bigram ? kRunNext : kRunStart;
    put_number(out, (static_cast<std::uint64_t>(t.begin - previous) << 2) | tag);
    put_number(out, t.end - t.begin);
    previous = t.begin;
  }
  // Stored only if it gives the tokens back exactly (a tokenizer that one day orders its
  // tokens otherwise leaves bodies without spans rather than with wrong ones).
  std::vector<TokenSpan> decoded;
  std::size_t positions = 0;
  if (!decode_body_spans(out, text, decoded, positions) || decoded.size() != tokens.size()) return "";
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (decoded[i].kind != tokens[i].kind || decoded[i].begin != tokens[i].begin || decoded[i].end != tokens[i].end) {
      return "";
    }
  }
  return out;
}

bool BodySpanReader::open(std::string_view spans, std::string_view text) {
  // The spans of this very text: its size and hash, then the entries.
  *this = BodySpanReader();
  std::size_t pos = 0;
  std::uint64_t size = 0, hash = 0;
  if (!get_number(spans, pos, size) || size != text.size() || !get_number(spans, pos, hash) ||
      hash != text_hash(text)) {
    return false;
  }
  spans_ = spans;
  text_ = text;
  pos_ = pos;
  done_ = false;
  return true;
}

void BodySpanReader::push(std::size_t begin, std::size_t end, TokenKind kind) {
  queue_[queued_++] = TokenSpan{begin, end, kind};
}

bool BodySpanReader::next(TokenSpan& out) {
  while (head_ == queued_) {
    head_ = queued_ = 0;
    if (done_) return false;
    read_entry();
  }
  out = queue_[head_++];
  if (out.kind == TokenKind::Word || out.kind == TokenKind::Bigram) ++positions_;
  return true;
}

// One entry: a character's unigram is given when the next character of its run (with the
// bigram of the two) or the run's end is read, so the tokens come in tokenize's order.
void BodySpanReader::read_entry() {
  auto fail = [this] {
    damaged_ = done_ = true;
    head_ = queued_ = 0;
  };
  if (pos_ >= spans_.size()) {
    if (in_run_) push(char_begin_, char_end_, TokenKind::Unigram);
    in_run_ = false;
    done_ = true;
    return;
  }
  std::uint64_t head = 0, length = 0;
  if (!get_number(spans_, pos_, head)) return fail();
  const std::uint64_t tag = head & 3;
  const std::uint64_t delta = head >> 2;
  if (tag == kJoined) {
    // The joined form of the last two words; no CJK character since (one resets them).
    if (delta != 0 || !has_before_ || in_run_) return fail();
    push(before_begin_, last_end_, TokenKind::Compound);
    return;
  }
  if (!get_number(spans_, pos_, length)) return fail();
  // previous_ <= the text's size always: it is the begin of a span that ends within it.
  const std::size_t size = text_.size();
  if (delta > size - previous_ || length == 0 || length > size - previous_ - delta) return fail();
  const std::size_t begin = previous_ + delta;
  const std::size_t end = begin + length;
  if (!starts_code_point(text_, begin) || !starts_code_point(text_, end)) return fail();
  previous_ = begin;
  if (tag == kWord) {
    if (in_run_) push(char_begin_, char_end_, TokenKind::Unigram);
    in_run_ = false;
    push(begin, end, TokenKind::Word);
    has_before_ = has_last_;
    before_begin_ = last_begin_;
    has_last_ = true;
    last_begin_ = begin;
    last_end_ = end;
    return;
  }
  // A CJK character: words on either side of a run never join.
  has_last_ = has_before_ = false;
  if (tag == kRunStart) {
    if (in_run_) push(char_begin_, char_end_, TokenKind::Unigram);
  } else {
    if (!in_run_) return fail();  // a run continued that never started
    push(char_begin_, char_end_, TokenKind::Unigram);
    push(char_begin_, end, TokenKind::Bigram);
  }
  in_run_ = true;
  char_begin_ = begin;
  char_end_ = end;
}

bool decode_body_spans(std::string_view spans, std::string_view text, std::vector<TokenSpan>& out,
                       std::size_t& positions) {
  out.clear();
  positions = 0;
  BodySpanReader reader;
  if (!reader.open(spans, text)) return false;
  // Every entry but a joined word's takes two characters or more and gives at most two
  // tokens (a character's unigram and bigram); a joined word's takes one and gives one.
  out.reserve(spans.size());
  for (TokenSpan t; reader.next(t);) out.push_back(t);
  positions = reader.positions();
  return !reader.damaged();
}

}  // namespace kb
