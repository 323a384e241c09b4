// Walks cmark's AST and keeps the text customers read.
#include "markdown_text.h"

#include <cmark.h>

#include <memory>

namespace kb {

std::string markdown_to_plain_text(std::string_view markdown) {
  std::unique_ptr<cmark_node, decltype(&cmark_node_free)> doc(
      cmark_parse_document(markdown.data(), markdown.size(), CMARK_OPT_DEFAULT), &cmark_node_free);
  if (!doc) return std::string(markdown);
  std::unique_ptr<cmark_iter, decltype(&cmark_iter_free)> iter(cmark_iter_new(doc.get()),
                                                                &cmark_iter_free);
  std::string out;
  auto newline = [&out]() {
    if (!out.empty() && out.back() != '\n') out.push_back('\n');
  };
  cmark_event_type ev;
  while ((ev = cmark_iter_next(iter.get())) != CMARK_EVENT_DONE) {
    cmark_node* node = cmark_iter_get_node(iter.get());
    const cmark_node_type type = cmark_node_get_type(node);
    switch (type) {
      case CMARK_NODE_TEXT:
      case CMARK_NODE_CODE:
        if (ev == CMARK_EVENT_ENTER) {
          if (const char* lit = cmark_node_get_literal(node)) out += lit;
        }
        break;
      case CMARK_NODE_CODE_BLOCK:
        if (ev == CMARK_EVENT_ENTER) {
          newline();
          if (const char* lit = cmark_node_get_literal(node)) out += lit;
          newline();
        }
        break;
      case CMARK_NODE_SOFTBREAK:
      case CMARK_NODE_LINEBREAK:
        out.push_back(' ');
        break;
      case CMARK_NODE_PARAGRAPH:
      case CMARK_NODE_HEADING:
      case CMARK_NODE_ITEM:
      case CMARK_NODE_BLOCK_QUOTE:
        newline();
        break;
      case CMARK_NODE_HTML_BLOCK:
      case CMARK_NODE_HTML_INLINE:
        break;  // raw HTML is never shown to customers, so it is not searched either
      default:
        break;
    }
  }
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

}  // namespace kb
