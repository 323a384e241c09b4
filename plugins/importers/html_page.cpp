// HTML to questions and CommonMark over libxml2's DOM. The body of a question is a range
// of the document in tree order (DocBook nests headings in divs, so "the following
// siblings" is not enough): nodes are numbered in pre-order and rendered when they fall
// between the end of the heading and the next heading of that level.
#include "html_page.h"

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include <algorithm>
#include <cctype>
#include <climits>
#include <memory>
#include <mutex>
#include <set>
#include <unordered_map>

#include "import_support.h"
#include "utf8.h"

namespace kb::plugins {
namespace {

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string name_of(const xmlNode* n) {
  return n->name ? lower(reinterpret_cast<const char*>(n->name)) : std::string();
}

std::string attr(const xmlNode* n, const char* name) {
  for (const xmlAttr* a = n->properties; a; a = a->next) {
    if (!a->name || lower(reinterpret_cast<const char*>(a->name)) != name) continue;
    std::string v;
    for (const xmlNode* c = a->children; c; c = c->next) {
      if (c->content) v += reinterpret_cast<const char*>(c->content);
    }
    return v;
  }
  return "";
}

bool has_attr(const xmlNode* n, const char* name) {
  for (const xmlAttr* a = n->properties; a; a = a->next) {
    if (a->name && lower(reinterpret_cast<const char*>(a->name)) == name) return true;
  }
  return false;
}

int heading_level(const std::string& name) {
  if (name.size() == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6') return name[1] - '0';
  return 0;
}

bool has_class(const xmlNode* n, const std::set<std::string>& classes) {
  const std::string c = lower(attr(n, "class"));
  std::size_t start = 0;
  while (start < c.size()) {
    const auto end = c.find_first_of(" \t\n", start);
    const std::string token = c.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (!token.empty() && classes.count(token)) return true;
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return false;
}

// Elements whose content is never part of an answer.
bool skipped(const xmlNode* n) {
  if (n->type != XML_ELEMENT_NODE) return n->type == XML_COMMENT_NODE || n->type == XML_PI_NODE;
  static const std::set<std::string> names = {
      "script", "style",  "noscript", "template", "iframe", "object", "embed",  "applet",
      "form",   "input",  "button",   "select",   "textarea", "svg",  "math",   "canvas",
      "nav",    "header", "footer",   "aside",    "head",   "title",  "meta",   "link",
      "base",   "audio",  "video",    "source",   "track",  "map",    "area",   "dialog"};
  static const std::set<std::string> classes = {"navheader", "navfooter", "toc", "breadcrumb",
                                                "breadcrumbs"};
  if (names.count(name_of(n))) return true;
  if (has_attr(n, "hidden") || lower(attr(n, "aria-hidden")) == "true" ||
      lower(attr(n, "role")) == "navigation") {
    return true;
  }
  return has_class(n, classes);
}

const std::set<std::string>& block_names() {
  static const std::set<std::string> names = {
      "p",     "div",   "section", "article", "main",  "body",    "center", "figure",
      "figcaption", "details", "summary", "address", "h1", "h2", "h3", "h4", "h5", "h6",
      "ul",    "ol",    "li",      "pre",     "blockquote", "table", "thead", "tbody",
      "tfoot", "tr",    "td",      "th",      "dl",    "dt",      "dd",     "hr",
      "fieldset", "caption", "html", "menu", "listing", "xmp", "plaintext"};
  return names;
}

std::string text_content(const xmlNode* n) {
  std::string out;
  if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
    if (n->content) out += reinterpret_cast<const char*>(n->content);
    return out;
  }
  if (n->type != XML_ELEMENT_NODE || skipped(n)) return out;
  for (const xmlNode* c = n->children; c; c = c->next) out += text_content(c);
  return out;
}

// Escapes CommonMark's inline syntax in text, so text can never become markup.
std::string escape_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    switch (c) {
      case '\\': case '`': case '*': case '_': case '[': case ']': case '<': case '>': case '~':
        out.push_back('\\');
        out.push_back(c);
        break;
      case '&':
        if (i + 1 < text.size() && (std::isalpha(static_cast<unsigned char>(text[i + 1])) || text[i + 1] == '#')) {
          out.push_back('\\');
        }
        out.push_back(c);
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

// Escapes what would start a block at the beginning of a line: "# ", "- ", "1. ", "=".
std::string escape_line_start(const std::string& line) {
  if (line.empty()) return line;
  const char c = line[0];
  if (c == '#' || c == '-' || c == '+' || c == '=' || c == '|') return "\\" + line;
  std::size_t d = 0;
  while (d < line.size() && d < 9 && std::isdigit(static_cast<unsigned char>(line[d]))) ++d;
  if (d > 0 && d < line.size() && (line[d] == '.' || line[d] == ')')) {
    return line.substr(0, d) + "\\" + line.substr(d);
  }
  return line;
}

std::string safe_url(std::string url) {
  url = collapse_spaces(url);
  const std::string l = lower(url.substr(0, 8));
  if (l.rfind("http://", 0) != 0 && l.rfind("https://", 0) != 0 && l.rfind("mailto:", 0) != 0) {
    return "";
  }
  std::string out;
  for (char c : url) {
    switch (c) {
      case ' ': out += "%20"; break;
      case '(': out += "%28"; break;
      case ')': out += "%29"; break;
      case '<': out += "%3C"; break;
      case '>': out += "%3E"; break;
      case '"': out += "%22"; break;
      case '\\': out += "%5C"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

std::string code_span(const std::string& raw) {
  const std::string text = collapse_spaces(raw);
  if (text.empty()) return "";
  std::size_t longest = 0, run = 0;
  for (char c : text) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  const std::string fence(longest + 1, '`');
  const bool pad = text.front() == '`' || text.back() == '`';
  return fence + (pad ? " " : "") + text + (pad ? " " : "") + fence;
}

// Pre-order numbers of every node: [first, last] covers a node's subtree.
struct Span {
  int first = 0;
  int last = 0;
};
using Order = std::unordered_map<const xmlNode*, Span>;

int number(const xmlNode* n, int next, Order& order) {
  const int first = next++;
  for (const xmlNode* c = n->children; c; c = c->next) next = number(c, next, order);
  order[n] = {first, next - 1};
  return next;
}

class Renderer {
 public:
  Renderer(const Order* order, int begin, int end) : order_(order), begin_(begin), end_(end) {}

  std::string render(const xmlNode* container) {
    std::vector<std::string> blocks;
    children_blocks(container, blocks);
    return join(blocks, "\n\n");
  }

 private:
  enum class Place { Outside, Inside, Partial };

  Place place(const xmlNode* n) const {
    if (!order_) return Place::Inside;
    auto it = order_->find(n);
    if (it == order_->end()) return Place::Outside;
    const Span s = it->second;
    if (s.last < begin_ || s.first >= end_) return Place::Outside;
    if (s.first >= begin_ && s.last < end_) return Place::Inside;
    return Place::Partial;
  }

  static std::string join(const std::vector<std::string>& parts, const char* sep) {
    std::string out;
    for (const auto& p : parts) {
      if (p.empty()) continue;
      if (!out.empty()) out += sep;
      out += p;
    }
    return out;
  }

  static void flush(std::string& para, std::vector<std::string>& out) {
    // Lines are separated by hard breaks ("\\\n"); each is trimmed and escaped at its start.
    std::string result;
    std::size_t start = 0;
    while (start <= para.size()) {
      const auto brk = para.find("\\\n", start);
      std::string line = collapse_spaces(para.substr(start, brk == std::string::npos ? std::string::npos : brk - start));
      if (!line.empty()) {
        if (!result.empty()) result += "\\\n";
        result += escape_line_start(line);
      }
      if (brk == std::string::npos) break;
      start = brk + 2;
    }
    if (!result.empty()) out.push_back(result);
    para.clear();
  }

  void children_blocks(const xmlNode* parent, std::vector<std::string>& out) {
    std::string para;
    for (const xmlNode* c = parent->children; c; c = c->next) {
      const Place p = place(c);
      if (p == Place::Outside) continue;
      if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
        if (c->content) para += escape_text(reinterpret_cast<const char*>(c->content));
        continue;
      }
      if (c->type != XML_ELEMENT_NODE || skipped(c)) continue;
      const std::string name = name_of(c);
      if (p == Place::Partial) {
        flush(para, out);
        children_blocks(c, out);
        continue;
      }
      if (!block_names().count(name)) {
        para += inline_text(c);
        continue;
      }
      flush(para, out);
      block(c, name, out);
    }
    flush(para, out);
  }

  std::string inline_children(const xmlNode* n) {
    std::string s;
    for (const xmlNode* c = n->children; c; c = c->next) {
      if (place(c) == Place::Outside) continue;
      if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
        if (c->content) s += escape_text(reinterpret_cast<const char*>(c->content));
      } else if (c->type == XML_ELEMENT_NODE && !skipped(c)) {
        s += inline_text(c);
      }
    }
    return s;
  }

  static std::string wrap(const std::string& inner, const char* mark) {
    const std::string t = collapse_spaces(inner);
    if (t.empty()) return inner;
    // Keep the spaces around the emphasis outside it, as CommonMark requires.
    const bool lead = !inner.empty() && std::isspace(static_cast<unsigned char>(inner.front()));
    const bool trail = !inner.empty() && std::isspace(static_cast<unsigned char>(inner.back()));
    return std::string(lead ? " " : "") + mark + t + mark + (trail ? " " : "");
  }

  std::string inline_text(const xmlNode* n) {
    const std::string name = name_of(n);
    if (name == "br") return "\\\n";
    if (name == "img") {
      const std::string alt = collapse_spaces(attr(n, "alt"));
      return alt.empty() ? "" : escape_text(alt);
    }
    if (name == "code" || name == "tt" || name == "kbd" || name == "samp" || name == "var") {
      return code_span(text_content(n));
    }
    const std::string inner = inline_children(n);
    if (name == "em" || name == "i" || name == "cite" || name == "dfn") return wrap(inner, "*");
    if (name == "strong" || name == "b") return wrap(inner, "**");
    if (name == "a") {
      const std::string url = safe_url(attr(n, "href"));
      const std::string text = collapse_spaces(inner);
      if (url.empty()) return inner;
      return "[" + (text.empty() ? escape_text(url) : text) + "](" + url + ")";
    }
    return inner;
  }

  void block(const xmlNode* n, const std::string& name, std::vector<std::string>& out) {
    if (const int level = heading_level(name)) {
      const std::string text = collapse_spaces(inline_children(n));
      if (!text.empty()) out.push_back(std::string(static_cast<std::size_t>(level), '#') + " " + text);
      return;
    }
    if (name == "ul" || name == "ol" || name == "menu") {
      list(n, name == "ol", out);
      return;
    }
    if (name == "pre" || name == "listing" || name == "xmp" || name == "plaintext") {
      std::string code = text_content(n);
      if (!code.empty() && code.front() == '\n') code.erase(0, 1);
      while (!code.empty() && (code.back() == '\n' || code.back() == ' ')) code.pop_back();
      if (code.empty()) return;
      std::size_t longest = 0, run = 0;
      for (char c : code) {
        run = c == '`' ? run + 1 : 0;
        longest = std::max(longest, run);
      }
      const std::string fence(std::max<std::size_t>(3, longest + 1), '`');
      out.push_back(fence + "\n" + code + "\n" + fence);
      return;
    }
    if (name == "blockquote") {
      const std::string inner = render(n);
      if (inner.empty()) return;
      std::string quoted;
      std::size_t start = 0;
      while (start <= inner.size()) {
        const auto nl = inner.find('\n', start);
        const std::string line = inner.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
        quoted += (line.empty() ? ">" : "> " + line);
        if (nl == std::string::npos) break;
        quoted += "\n";
        start = nl + 1;
      }
      out.push_back(quoted);
      return;
    }
    if (name == "table") {
      table(n, out);
      return;
    }
    if (name == "dt") {
      const std::string t = collapse_spaces(inline_children(n));
      if (!t.empty()) out.push_back("**" + t + "**");
      return;
    }
    if (name == "hr") return;
    children_blocks(n, out);
  }

  void list(const xmlNode* n, bool ordered, std::vector<std::string>& out) {
    long number = 1;
    if (ordered) {
      const std::string start = attr(n, "start");
      if (!start.empty() && std::all_of(start.begin(), start.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }) && start.size() < 9) {
        number = std::stol(start);
      }
    }
    std::vector<std::string> items;
    bool loose = false;
    for (const xmlNode* c = n->children; c; c = c->next) {
      if (place(c) == Place::Outside || c->type != XML_ELEMENT_NODE || skipped(c)) continue;
      std::vector<std::string> blocks;
      if (name_of(c) == "li") {
        children_blocks(c, blocks);
      } else {
        block(c, name_of(c), blocks);
      }
      if (blocks.empty()) continue;
      if (blocks.size() > 1) loose = true;
      const std::string marker = ordered ? std::to_string(number++) + ". " : "- ";
      const std::string indent(marker.size(), ' ');
      std::string item = marker;
      const std::string inner = join(blocks, "\n\n");
      std::size_t start = 0;
      bool first = true;
      while (start <= inner.size()) {
        const auto nl = inner.find('\n', start);
        const std::string line = inner.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
        if (!first) item += "\n" + (line.empty() ? std::string() : indent + line);
        else item += line;
        first = false;
        if (nl == std::string::npos) break;
        start = nl + 1;
      }
      items.push_back(item);
    }
    if (!items.empty()) out.push_back(join(items, loose ? "\n\n" : "\n"));
  }

  void rows(const xmlNode* n, std::vector<std::string>& lines) {
    for (const xmlNode* c = n->children; c; c = c->next) {
      if (place(c) == Place::Outside || c->type != XML_ELEMENT_NODE || skipped(c)) continue;
      const std::string name = name_of(c);
      if (name == "tr") {
        std::vector<std::string> cells;
        for (const xmlNode* cell = c->children; cell; cell = cell->next) {
          if (cell->type != XML_ELEMENT_NODE || place(cell) == Place::Outside) continue;
          const std::string cn = name_of(cell);
          if (cn != "td" && cn != "th") continue;
          const std::string t = collapse_spaces(inline_children(cell));
          if (!t.empty()) cells.push_back(t);
        }
        if (!cells.empty()) lines.push_back("- " + join(cells, " | "));
      } else if (name == "thead" || name == "tbody" || name == "tfoot") {
        rows(c, lines);
      } else if (name == "caption") {
        const std::string t = collapse_spaces(inline_children(c));
        if (!t.empty()) lines.insert(lines.begin(), "**" + t + "**");
      }
    }
  }

  void table(const xmlNode* n, std::vector<std::string>& out) {
    std::vector<std::string> lines;
    rows(n, lines);
    if (lines.empty()) return;
    std::string caption;
    if (lines.front().rfind("**", 0) == 0) {
      caption = lines.front();
      lines.erase(lines.begin());
    }
    if (!caption.empty()) out.push_back(caption);
    if (!lines.empty()) out.push_back(join(lines, "\n"));
  }

  const Order* order_;
  int begin_;
  int end_;
};

struct DocDeleter {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};
using DocPtr = std::unique_ptr<xmlDoc, DocDeleter>;

DocPtr parse(std::string_view bytes) {
  static std::once_flag init;
  std::call_once(init, [] { xmlInitParser(); });
  if (bytes.size() > static_cast<std::size_t>(INT_MAX)) return nullptr;
  const int options = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                      HTML_PARSE_NONET | HTML_PARSE_NOIMPLIED;
  // Valid UTF-8 is read as UTF-8 whatever the page claims (libxml2 would otherwise assume
  // Latin-1 for pages without a charset); other bytes go by the page's own declaration.
  const char* encoding = find_invalid_utf8(bytes) ? nullptr : "UTF-8";
  return DocPtr(htmlReadMemory(bytes.data(), static_cast<int>(bytes.size()), nullptr, encoding, options));
}

const xmlNode* find_element(const xmlNode* n, const char* name) {
  for (; n; n = n->next) {
    if (n->type == XML_ELEMENT_NODE && name_of(n) == name) return n;
    if (n->type == XML_ELEMENT_NODE) {
      if (const xmlNode* found = find_element(n->children, name)) return found;
    }
  }
  return nullptr;
}

std::string anchor_of(const xmlNode* heading, int* from_section) {
  *from_section = 0;
  std::string id = attr(heading, "id");
  if (!id.empty()) return id;
  // <h2><a id="x"></a>Title</h2> (DocBook) or <h2><a name="x">Title</a></h2>.
  for (const xmlNode* c = heading->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    if (name_of(c) == "a" || name_of(c) == "span") {
      id = attr(c, "id");
      if (id.empty() && name_of(c) == "a") id = attr(c, "name");
      if (!id.empty()) return id;
    }
  }
  // <a name="x"></a><h2>Title</h2>.
  for (const xmlNode* p = heading->prev; p; p = p->prev) {
    if (p->type == XML_TEXT_NODE && collapse_spaces(text_content(p)).empty()) continue;
    if (p->type == XML_ELEMENT_NODE && name_of(p) == "a" && collapse_spaces(text_content(p)).empty()) {
      id = attr(p, "id");
      if (id.empty()) id = attr(p, "name");
      if (!id.empty()) return id;
    }
    break;
  }
  // <section id="x"><h2>Title</h2>...: the heading must be the section's first element.
  const xmlNode* parent = heading->parent;
  if (parent && parent->type == XML_ELEMENT_NODE) {
    const std::string pn = name_of(parent);
    if (pn == "section" || pn == "article" || pn == "div") {
      const xmlNode* first = parent->children;
      while (first && first->type != XML_ELEMENT_NODE) first = first->next;
      if (first == heading) {
        *from_section = 1;
        return attr(parent, "id");
      }
    }
  }
  return "";
}

std::string kb_id_of(const xmlNode* heading, bool from_section) {
  std::string id = attr(heading, "data-kb-id");
  if (id.empty() && from_section && heading->parent) id = attr(heading->parent, "data-kb-id");
  return id;
}

// Column of the `index`-th start tag `<name` on `line` of `text` (1-based, code points).
int column_of(std::string_view text, int line, const std::string& name, int index) {
  std::size_t pos = 0;
  for (int l = 1; l < line; ++l) {
    pos = text.find('\n', pos);
    if (pos == std::string_view::npos) return 1;
    ++pos;
  }
  const std::size_t end = std::min(text.find('\n', pos), text.size());
  std::size_t at = pos;
  for (int found = 0; at < end; ++at) {
    if (text[at] != '<' || at + 1 + name.size() > end) continue;
    bool match = true;
    for (std::size_t k = 0; k < name.size(); ++k) {
      if (std::tolower(static_cast<unsigned char>(text[at + 1 + k])) != name[k]) match = false;
    }
    if (!match) continue;
    if (found++ == index) return line_column_at(text.substr(pos), at - pos).column;
  }
  return 1;
}

struct HeadingRef {
  const xmlNode* node;
  int level;
  int first;
  int last;
};

void collect_headings(const xmlNode* n, const Order& order, std::vector<HeadingRef>& out) {
  for (; n; n = n->next) {
    if (n->type != XML_ELEMENT_NODE || skipped(n)) continue;
    if (const int level = heading_level(name_of(n))) {
      // libxml2 can leave elements beside the root ("<!DOCTYPE>B<h1"); only the root's
      // subtree is numbered and rendered.
      const auto s = order.find(n);
      if (s != order.end()) out.push_back({n, level, s->second.first, s->second.last});
      continue;
    }
    collect_headings(n->children, order, out);
  }
}

}  // namespace

HtmlPage read_html_page(std::string_view bytes) {
  HtmlPage page;
  DocPtr doc = parse(bytes);
  const xmlNode* root = doc ? xmlDocGetRootElement(doc.get()) : nullptr;
  if (!root) return page;
  page.parsed = true;
  if (const xmlNode* html = find_element(root, "html")) {
    page.lang = collapse_spaces(attr(html, "lang"));
    if (page.lang.empty()) page.lang = collapse_spaces(attr(html, "xml:lang"));
    page.lang_line = static_cast<int>(xmlGetLineNo(html));
  }
  if (const xmlNode* head = find_element(root, "head")) {
    for (const xmlNode* c = head->children; c; c = c->next) {
      if (c->type != XML_ELEMENT_NODE) continue;
      if (name_of(c) == "title") page.title = collapse_spaces(text_content(c));
      if (name_of(c) == "meta" && !attr(c, "name").empty()) {
        page.meta[lower(attr(c, "name"))] = collapse_spaces(attr(c, "content"));
      }
    }
  }
  Order order;
  number(root, 0, order);
  const xmlNode* body = find_element(root, "body");
  if (!body) body = root;
  std::vector<HeadingRef> headings;
  collect_headings(root, order, headings);

  // Anchors and levels.
  struct Anchored {
    std::size_t index;
    std::string anchor;
    std::string kb_id;
  };
  std::vector<Anchored> anchored;
  for (std::size_t i = 0; i < headings.size(); ++i) {
    int from_section = 0;
    std::string anchor = anchor_of(headings[i].node, &from_section);
    if (anchor.empty()) continue;
    anchored.push_back({i, anchor, kb_id_of(headings[i].node, from_section != 0)});
  }
  int question_level = 0;
  for (int level = 2; level <= 6 && !question_level; ++level) {
    for (const auto& a : anchored) {
      if (headings[a.index].level == level) question_level = level;
    }
  }
  if (!question_level && !anchored.empty()) question_level = 1;

  // Columns: the k-th <hN on a line.
  std::map<std::pair<int, std::string>, int> seen_on_line;
  std::vector<int> columns(headings.size(), 1);
  for (std::size_t i = 0; i < headings.size(); ++i) {
    const int line = static_cast<int>(xmlGetLineNo(headings[i].node));
    const std::string name = name_of(headings[i].node);
    const int k = seen_on_line[{line, name}]++;
    columns[i] = column_of(bytes, line, name, k);
  }

  std::map<std::string, int> anchor_lines;
  for (const auto& a : anchored) {
    const HeadingRef& h = headings[a.index];
    if (h.level != question_level) continue;
    const int line = static_cast<int>(xmlGetLineNo(h.node));
    if (auto [it, inserted] = anchor_lines.emplace(a.anchor, line); !inserted) {
      page.duplicate_anchors.emplace_back(line, a.anchor);
      continue;
    }
    int end = INT_MAX;
    for (std::size_t j = a.index + 1; j < headings.size(); ++j) {
      if (headings[j].level <= question_level) {
        end = headings[j].first;
        break;
      }
    }
    HtmlQuestion q;
    q.level = h.level;
    q.anchor = a.anchor;
    q.kb_id = a.kb_id;
    q.title = collapse_spaces(text_content(h.node));
    q.line = line;
    q.column = columns[a.index];
    Renderer renderer(&order, h.last + 1, end);
    q.body_markdown = renderer.render(body);
    page.questions.push_back(std::move(q));
  }
  return page;
}

std::string html_to_markdown(std::string_view html) {
  if (collapse_spaces(html).empty()) return "";
  // A fragment is wrapped so libxml2 sees one body, whatever the fragment starts with.
  std::string wrapped = "<html><body>";
  wrapped += html;
  wrapped += "</body></html>";
  DocPtr doc = parse(wrapped);
  const xmlNode* root = doc ? xmlDocGetRootElement(doc.get()) : nullptr;
  if (!root) return "";
  const xmlNode* body = find_element(root, "body");
  Renderer renderer(nullptr, 0, INT_MAX);
  return renderer.render(body ? body : root);
}

}  // namespace kb::plugins
