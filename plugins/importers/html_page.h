// HTML read with libxml2's tolerant parser: question headings, their bodies as Markdown.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace kb::plugins {

// A heading that opens a question: <h2 id="x">, <h2><a id="x"></a>..</h2> (DocBook),
// <a name="x"></a><h2>, or the first heading of a <section id="x">.
struct HtmlQuestion {
  int level = 0;              // 1..6
  std::string anchor;         // the id or name that links to it
  std::string kb_id;          // data-kb-id on the heading or its section: an explicit knowledge id
  std::string title;          // the heading's text, whitespace collapsed
  int line = 0;               // of the heading's start tag, 1-based
  int column = 0;             // 1-based, in code points
  std::string body_markdown;  // everything up to the next heading of the same or a higher level
};

struct HtmlPage {
  bool parsed = false;                    // false when the bytes are not HTML at all
  std::string lang;                       // <html lang> or xml:lang, as written ("" if none)
  int lang_line = 0;
  std::string title;                      // <title>
  std::map<std::string, std::string> meta;  // <meta name=... content=...>, names lowercased
  std::vector<HtmlQuestion> questions;    // in document order
  std::vector<std::pair<int, std::string>> duplicate_anchors;  // (line, anchor) seen before
};

// Parses a whole page. Questions are the anchored headings of the highest level below <h1>
// that has any (h1 only when no other level has anchored headings); scripts, styles, forms,
// navigation (nav, header, footer, aside, DocBook's navheader/navfooter, tables of contents)
// and hidden elements are left out. `bytes` should be UTF-8; a page that declares another
// charset is converted. Never throws; thread-safe.
HtmlPage read_html_page(std::string_view bytes);

// The readable content of an HTML fragment (a Zendesk article body) as CommonMark. Raw HTML
// never passes through: text is escaped, only http(s) and mailto links are kept.
std::string html_to_markdown(std::string_view html);

}  // namespace kb::plugins
