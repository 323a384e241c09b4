// Text to be spoken: plain, short, no URLs; and the SSML document around it.
#pragma once

#include <string>
#include <string_view>

namespace kb::plugins {

// Plain `text` as a speech engine should read it: URLs and markup characters
// (* _ ` # < > [ ] { } | ~ ^ \) removed, whitespace collapsed, at most `max_words` spoken
// words (see spoken_words), cut at the last sentence end that fits, else at the last word
// end with a full stop added.
std::string speakable_text(std::string_view text, double max_words = 40);

// <speak version="1.0" xmlns="http://www.w3.org/2001/10/synthesis" xml:lang="LANG">TEXT</speak>
// with TEXT and LANG XML-escaped.
std::string ssml_document(std::string_view text, std::string_view lang);

}  // namespace kb::plugins
