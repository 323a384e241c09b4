// Text shaping shared by the channel renderers: UTF-8, escaping, word and sentence cuts.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace kb::plugins {

// Code points of `text`; every byte that is not part of well-formed UTF-8 becomes U+FFFD.
// Never throws.
std::u32string decode_utf8(std::string_view text);
std::string encode_utf8(std::u32string_view text);

// Escapes &, <, >, " and ' for XML and HTML text and quoted attributes.
std::string xml_escape(std::string_view text);

// Whitespace runs (including newlines) become one space; leading and trailing ones go.
std::string collapse_whitespace(std::string_view text);

// Removes URLs (http://, https://, www.) and any leftover empty brackets around them.
std::string strip_urls(std::string_view text);

// True for characters of scripts written without spaces between words (Han, kana, Hangul
// syllables are spaced but treated alike for cutting, Thai, Lao, Khmer, Myanmar, fullwidth
// forms): any boundary between two of them is a word boundary.
bool is_unspaced(char32_t c);

// True for characters that end a sentence: . ! ? and their CJK forms.
bool ends_sentence(char32_t c);

// Byte offsets in `text` after which a cut leaves whole sentences (after the sentence's
// closing punctuation, before the space), in increasing order; excludes text.size().
std::vector<std::size_t> sentence_ends(std::string_view text);

// Byte offsets in `text` after which a cut leaves whole words (before a space, or between
// two unspaced characters), in increasing order; excludes text.size().
std::vector<std::size_t> word_ends(std::string_view text);

// Spoken length of `text` in words: spaced words count 1, unspaced characters 0.5 each
// (Japanese reads about two characters per "word" of English speaking time).
double spoken_words(std::string_view text);

// A number 0..1 as shown in headers and metadata text: "0.90".
std::string confidence_text(double confidence);

// `confidence` rounded to two decimals, as carried in JSON metadata.
double confidence_value(double confidence);

// True for absolute http(s) URLs, the only ones that buttons and cards may carry.
bool is_absolute_url(std::string_view url);

// `text` cut at the last whole word so that it has at most `max_chars` code points, with
// `ellipsis` appended when cut (the ellipsis counts towards the limit).
std::string truncate_chars(std::string_view text, std::size_t max_chars,
                           std::string_view ellipsis = "…");

}  // namespace kb::plugins
