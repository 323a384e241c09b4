// Walks cmark's AST; cmark's HTML renderer does the escaping and URL filtering.
#include "markdown.h"

#include <cmark.h>

#include <cstdlib>
#include <memory>

#include "text.h"

namespace kb::plugins {
namespace {

using Document = std::unique_ptr<cmark_node, decltype(&cmark_node_free)>;

Document parse(std::string_view markdown) {
  return Document(cmark_parse_document(markdown.data(), markdown.size(),
                                       CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8),
                  &cmark_node_free);
}

// Plain text of the subtree under `node`, blocks separated by newlines.
std::string subtree_text(cmark_node* node) {
  std::unique_ptr<cmark_iter, decltype(&cmark_iter_free)> iter(cmark_iter_new(node),
                                                                &cmark_iter_free);
  std::string out;
  auto newline = [&out]() {
    if (!out.empty() && out.back() != '\n') out.push_back('\n');
  };
  cmark_event_type ev;
  while ((ev = cmark_iter_next(iter.get())) != CMARK_EVENT_DONE) {
    cmark_node* cur = cmark_iter_get_node(iter.get());
    switch (cmark_node_get_type(cur)) {
      case CMARK_NODE_TEXT:
      case CMARK_NODE_CODE:
        if (ev == CMARK_EVENT_ENTER) {
          if (const char* lit = cmark_node_get_literal(cur)) out += lit;
        }
        break;
      case CMARK_NODE_CODE_BLOCK:
        if (ev == CMARK_EVENT_ENTER) {
          newline();
          if (const char* lit = cmark_node_get_literal(cur)) out += lit;
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
      default:
        break;  // raw HTML and image URLs never reach a customer
    }
  }
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  while (!out.empty() && out.front() == '\n') out.erase(out.begin());
  return out;
}

// Dropped raw HTML leaves "expire <b>soon</b> ." as "expire ." : no space before
// punctuation that closes a clause.
std::string tidy_punctuation(std::string text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char next = i + 1 < text.size() ? text[i + 1] : '\0';
    if (text[i] == ' ' && (next == '.' || next == ',' || next == ';' || next == ':' || next == '!' || next == '?')) {
      continue;
    }
    out.push_back(text[i]);
  }
  return out;
}

}  // namespace

std::vector<std::string> markdown_steps(std::string_view markdown) {
  std::vector<std::string> steps;
  Document doc = parse(markdown);
  if (!doc) return steps;
  std::unique_ptr<cmark_iter, decltype(&cmark_iter_free)> iter(cmark_iter_new(doc.get()),
                                                                &cmark_iter_free);
  cmark_event_type ev;
  while ((ev = cmark_iter_next(iter.get())) != CMARK_EVENT_DONE) {
    cmark_node* node = cmark_iter_get_node(iter.get());
    if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(node) != CMARK_NODE_LIST ||
        cmark_node_get_list_type(node) != CMARK_ORDERED_LIST) {
      continue;
    }
    for (cmark_node* item = cmark_node_first_child(node); item; item = cmark_node_next(item)) {
      std::string text = tidy_punctuation(collapse_whitespace(subtree_text(item)));
      if (!text.empty()) steps.push_back(std::move(text));
    }
    // The items' own nested lists are part of their text: skip past this list.
    cmark_iter_reset(iter.get(), node, CMARK_EVENT_EXIT);
  }
  return steps;
}

std::string markdown_to_safe_html(std::string_view markdown) {
  Document doc = parse(markdown);
  if (!doc) return "";
  std::unique_ptr<char, decltype(&std::free)> html(cmark_render_html(doc.get(), CMARK_OPT_DEFAULT),
                                                    &std::free);
  return html ? std::string(html.get()) : std::string();
}

std::string markdown_to_text(std::string_view markdown) {
  Document doc = parse(markdown);
  if (!doc) return collapse_whitespace(markdown);
  return subtree_text(doc.get());
}

}  // namespace kb::plugins
