// What channels need from an answer's Markdown body: steps, safe HTML, plain text.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kb::plugins {

// The plain text of every item of the body's ordered lists, in order, each on one line
// (nested lists inside an item are part of that item's text). Never throws.
std::vector<std::string> markdown_steps(std::string_view markdown);

// An HTML fragment rendered by cmark with its safe defaults: raw HTML is replaced by a
// comment and links or images with javascript:, vbscript:, file: or data: URLs lose them.
// Never throws.
std::string markdown_to_safe_html(std::string_view markdown);

// The readable text of `markdown` with blocks separated by newlines and no markup; link
// text stays, URLs and raw HTML go. Never throws.
std::string markdown_to_text(std::string_view markdown);

}  // namespace kb::plugins
