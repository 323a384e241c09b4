// Plain text of a CommonMark document, for indexing and snippets.
#pragma once

#include <string>
#include <string_view>

namespace kb {

// The readable text of `markdown`: paragraphs and list items on their own lines, link and
// emphasis text kept, raw HTML and images' URLs dropped. Never throws for any input.
std::string markdown_to_plain_text(std::string_view markdown);

}  // namespace kb
