// Escaping for HTML text and attributes, used wherever content reaches markup.
#pragma once

#include <string>
#include <string_view>

namespace kb {

// Escapes &, <, >, " and ' so the result is safe in HTML text and quoted attributes.
std::string html_escape(std::string_view text);

}  // namespace kb
