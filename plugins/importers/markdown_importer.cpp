// Parses front matter (plain front matter with a simple reader of its own, the rest with
// yaml-cpp, whose marks give every issue's file:line:column) and splits the body into the
// public part and the agent-only `::: internal` blocks.
#include "markdown_importer.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <map>
#include <optional>
#include <set>
#include <string_view>

#include "import_support.h"
#include "language.h"
#include "utf8.h"

namespace kb::plugins {
namespace {

// Lines of the front matter start after the opening '---', which is line 1 of the file.
constexpr int kFrontMatterFirstLine = 2;

// The front matter as read by the simple reader below: the same shape and marks (0-based
// line and column within the front matter) as yaml-cpp's nodes, for the subset it reads.
struct FrontNode {
  enum class Kind { Null, Scalar, Sequence } kind = Kind::Null;
  std::string text;
  std::vector<FrontNode> items;  // a sequence's
  int line = 0, column = 0;
};
// The root: the fields in the order written.
struct FrontMap {
  std::vector<std::pair<FrontNode, FrontNode>> pairs;
};

// One set of questions for both node types, so one Parser reads both.
bool is_null(const YAML::Node& n) { return n.IsNull(); }
bool is_scalar(const YAML::Node& n) { return n.IsScalar(); }
bool is_sequence(const YAML::Node& n) { return n.IsSequence(); }
const std::string& scalar_of(const YAML::Node& n) { return n.Scalar(); }
std::pair<int, int> mark_of(const YAML::Node& n) { return {n.Mark().line, n.Mark().column}; }
const YAML::Node& items_of(const YAML::Node& n) { return n; }
bool is_null(const FrontNode& n) { return n.kind == FrontNode::Kind::Null; }
bool is_scalar(const FrontNode& n) { return n.kind == FrontNode::Kind::Scalar; }
bool is_sequence(const FrontNode& n) { return n.kind == FrontNode::Kind::Sequence; }
const std::string& scalar_of(const FrontNode& n) { return n.text; }
std::pair<int, int> mark_of(const FrontNode& n) { return {n.line, n.column}; }
const std::vector<FrontNode>& items_of(const FrontNode& n) { return n.items; }
const YAML::Node& pairs_of(const YAML::Node& n) { return n; }
const std::vector<std::pair<FrontNode, FrontNode>>& pairs_of(const FrontMap& m) { return m.pairs; }

// The simple reader: front matter written the usual way (`key: value` at the margin; plain,
// 'single' or "double" quoted values on one line; `[a, b]` lists on one line and `- item`
// lists), read without yaml-cpp, whose scanner was most of the time a build spent reading
// Markdown files. Anything else (comments after values, escapes, multi-line values, anchors,
// tags, nested structures, tabs, duplicate keys) gives nullopt and yaml-cpp reads the file.
class SimpleFrontMatter {
 public:
  // `lines[first, last)` are the front matter; mark lines count from `first`.
  static std::optional<FrontMap> read(const std::vector<std::string>& lines, std::size_t first,
                                      std::size_t last) {
    FrontMap root;
    std::set<std::string_view> keys;
    std::size_t i = first;
    auto blank_or_comment = [](const std::string& line) {
      const auto b = line.find_first_not_of(' ');
      return b == std::string::npos || line[b] == '#';
    };
    while (i < last) {
      const std::string& line = lines[i];
      if (has_control(line)) return std::nullopt;
      if (blank_or_comment(line)) {
        ++i;
        continue;
      }
      // key: value, the key at the margin.
      std::size_t k = 0;
      while (k < line.size() && (std::isalnum(static_cast<unsigned char>(line[k])) || line[k] == '_' ||
                                 (k > 0 && (line[k] == '-' || line[k] == '.')))) {
        ++k;
      }
      if (k == 0 || k >= line.size() || line[k] != ':') return std::nullopt;
      if (k + 1 < line.size() && line[k + 1] != ' ') return std::nullopt;
      FrontNode key;
      key.kind = FrontNode::Kind::Scalar;
      key.text = line.substr(0, k);
      key.line = static_cast<int>(i - first);
      key.column = 0;
      if (!keys.insert(std::string_view(line).substr(0, k)).second) return std::nullopt;
      const int mark_line = key.line;
      std::size_t v = line.find_first_not_of(' ', k + 1);
      FrontNode value;
      ++i;
      if (v == std::string::npos) {
        // Nothing after the colon: null, or a block list on the lines that follow.
        while (i < last && blank_or_comment(lines[i]) && !has_control(lines[i])) ++i;
        std::size_t indent = std::string::npos;
        while (i < last) {
          const std::string& item_line = lines[i];
          if (has_control(item_line)) return std::nullopt;
          const auto dash = item_line.find_first_not_of(' ');
          if (dash == std::string::npos || item_line[dash] != '-') break;  // blank or the next key
          if (indent == std::string::npos) indent = dash;
          if (dash != indent) return std::nullopt;
          if (dash + 1 >= item_line.size() || item_line[dash + 1] != ' ') return std::nullopt;
          const auto at = item_line.find_first_not_of(' ', dash + 1);
          if (at == std::string::npos) return std::nullopt;  // an empty item
          if (value.kind == FrontNode::Kind::Null) {
            value.kind = FrontNode::Kind::Sequence;
            value.line = static_cast<int>(i - first);
            value.column = static_cast<int>(dash);
          }
          FrontNode item;
          if (!block_scalar(item_line, at, static_cast<int>(i - first), item)) return std::nullopt;
          if (item.kind != FrontNode::Kind::Scalar) return std::nullopt;
          value.items.push_back(std::move(item));
          ++i;
          // Blank lines and comments between items.
          while (i < last && blank_or_comment(lines[i]) && !has_control(lines[i])) {
            std::size_t j = i;
            while (j < last && blank_or_comment(lines[j])) ++j;
            const auto next = j < last ? lines[j].find_first_not_of(' ') : std::string::npos;
            if (next == std::string::npos || lines[j][next] != '-') break;
            i = j;
          }
        }
        if (i < last && !lines[i].empty() && lines[i][0] == ' ' && !blank_or_comment(lines[i])) {
          return std::nullopt;  // an indented line that is no list item: a multi-line value
        }
        if (value.kind == FrontNode::Kind::Null) {
          value.line = mark_line;
          value.column = static_cast<int>(line.size());
        }
      } else if (line[v] == '[') {
        if (!flow_list(line, v, mark_line, value)) return std::nullopt;
      } else {
        if (!block_scalar(line, v, mark_line, value)) return std::nullopt;
      }
      // A value on the key's line that goes on over indented lines is not for this reader.
      if (v != std::string::npos && i < last && !lines[i].empty() && lines[i][0] == ' ' &&
          !blank_or_comment(lines[i])) {
        return std::nullopt;
      }
      root.pairs.emplace_back(std::move(key), std::move(value));
    }
    if (root.pairs.empty()) return std::nullopt;
    return root;
  }

 private:
  // Tabs (YAML's indentation rules for them are for yaml-cpp) and other control characters.
  // Also the byte order mark and the code points YAML 1.1 counts as line breaks (NEL, LS, PS).
  static bool has_control(const std::string& line) {
    if (std::any_of(line.begin(), line.end(),
                    [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; })) {
      return true;
    }
    for (const std::string_view odd : {"\xC2\x85", "\xE2\x80\xA8", "\xE2\x80\xA9", "\xEF\xBB\xBF"}) {
      if (line.find(odd) != std::string::npos) return true;
    }
    return false;
  }

  static bool indicator(char c) {
    return std::string_view("-?:,[]{}#&*!|>'\"%@`").find(c) != std::string_view::npos;
  }

  // A scalar from `at` to the end of `line` (block context): plain, 'single' or "double".
  static bool block_scalar(const std::string& line, std::size_t at, int mark_line, FrontNode& out) {
    out.line = mark_line;
    out.column = static_cast<int>(at);
    const char c = line[at];
    if (c == '"' || c == '\'') {
      std::size_t end = 0;
      if (!quoted(line, at, out.text, end)) return false;
      if (line.find_first_not_of(' ', end) != std::string::npos) return false;
      out.kind = FrontNode::Kind::Scalar;
      return true;
    }
    if (indicator(c)) return false;
    std::string_view text = std::string_view(line).substr(at);
    text = text.substr(0, text.find_last_not_of(' ') + 1);
    if (text.find(": ") != std::string_view::npos || text.back() == ':' ||
        text.find(" #") != std::string_view::npos) {
      return false;
    }
    if (text == "~" || text == "null" || text == "Null" || text == "NULL") {
      out.kind = FrontNode::Kind::Null;
      return true;
    }
    out.kind = FrontNode::Kind::Scalar;
    out.text = std::string(text);
    return true;
  }

  // A quoted scalar on one line without escapes; `end` is just past the closing quote.
  static bool quoted(const std::string& line, std::size_t at, std::string& text, std::size_t& end) {
    const char q = line[at];
    text.clear();
    for (std::size_t i = at + 1; i < line.size(); ++i) {
      if (q == '"' && line[i] == '\\') return false;
      if (line[i] != q) {
        text.push_back(line[i]);
        continue;
      }
      if (q == '\'' && i + 1 < line.size() && line[i + 1] == '\'') {
        text.push_back('\'');
        ++i;
        continue;
      }
      end = i + 1;
      return true;
    }
    return false;  // not closed on this line
  }

  // `[a, "b", 'c']` on one line, nothing but spaces after it.
  static bool flow_list(const std::string& line, std::size_t at, int mark_line, FrontNode& out) {
    out.kind = FrontNode::Kind::Sequence;
    out.line = mark_line;
    out.column = static_cast<int>(at);
    std::size_t i = line.find_first_not_of(' ', at + 1);
    if (i == std::string::npos) return false;
    if (line[i] == ']') return line.find_first_not_of(' ', i + 1) == std::string::npos;
    while (true) {
      FrontNode item;
      item.kind = FrontNode::Kind::Scalar;
      item.line = mark_line;
      item.column = static_cast<int>(i);
      if (line[i] == '"' || line[i] == '\'') {
        std::size_t end = 0;
        if (!quoted(line, i, item.text, end)) return false;
        i = end;
      } else {
        if (indicator(line[i])) return false;
        const std::size_t from = i;
        // Plain items of letters, digits, spaces and - _ . / + (ids, tags, products); other
        // punctuation means something in a flow list to yaml-cpp ("a ?b" is a key).
        while (i < line.size() && line[i] != ',' && line[i] != ']') {
          const auto c = static_cast<unsigned char>(line[i]);
          const bool plain =
              c >= 0x80 || std::isalnum(c) || std::string_view(" -_./+").find(line[i]) != std::string_view::npos;
          if (!plain) return false;
          ++i;
        }
        std::string_view text = std::string_view(line).substr(from, i - from);
        text = text.substr(0, text.find_last_not_of(' ') + 1);
        if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL") {
          return false;
        }
        item.text = std::string(text);
      }
      out.items.push_back(std::move(item));
      i = line.find_first_not_of(' ', i);
      if (i == std::string::npos) return false;
      if (line[i] == ']') return line.find_first_not_of(' ', i + 1) == std::string::npos;
      if (line[i] != ',') return false;
      i = line.find_first_not_of(' ', i + 1);
      if (i == std::string::npos || line[i] == ']' || line[i] == ',') return false;
    }
  }
};

class Parser {
 public:
  Parser(const std::string& path, ImportResult& out) : path_(path), out_(out) {}

  void error(int line, int column, const std::string& field, const std::string& message) {
    out_.issues.push_back({path_, line, column, field, message, Severity::Error});
  }
  void warning(int line, int column, const std::string& field, const std::string& message) {
    out_.issues.push_back({path_, line, column, field, message, Severity::Warning});
  }
  template <class Node>
  void error_at(const Node& node, const std::string& field, const std::string& message) {
    const auto [line, column] = mark_of(node);
    error(line + kFrontMatterFirstLine, column + 1, field, message);
  }

  template <class Node>
  bool scalar(const Node& node, const std::string& field, std::string& out, std::size_t max_len = 0) {
    if (!is_scalar(node)) {
      error_at(node, field, "must be a text value");
      return false;
    }
    out = scalar_of(node);
    if (auto bad = find_invalid_utf8(out)) {
      error_at(node, field, "is not valid UTF-8");
      return false;
    }
    if (max_len && out.size() > max_len) {
      error_at(node, field, "is longer than " + std::to_string(max_len) + " characters");
      return false;
    }
    return true;
  }

  template <class Node>
  bool list(const Node& node, const std::string& field, std::vector<std::string>& out) {
    out.clear();
    if (is_null(node)) return true;
    if (is_scalar(node)) {  // `tags: billing` is a list of one
      std::string v;
      if (!scalar(node, field, v)) return false;
      if (!v.empty()) out.push_back(v);
      return true;
    }
    if (!is_sequence(node)) {
      error_at(node, field, "must be a list");
      return false;
    }
    bool ok = true;
    for (const auto& item : items_of(node)) {
      std::string v;
      if (!scalar(item, field, v)) {
        ok = false;
        continue;
      }
      if (v.empty()) {
        error_at(item, field, "has an empty entry");
        ok = false;
        continue;
      }
      if (v.size() > 300) {
        error_at(item, field, "has an entry longer than 300 characters");
        ok = false;
        continue;
      }
      out.push_back(v);
    }
    return ok;
  }

 private:
  const std::string& path_;
  ImportResult& out_;
};

bool valid_date(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (int i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  const int year = std::stoi(s.substr(0, 4));
  const int month = std::stoi(s.substr(5, 2));
  const int day = std::stoi(s.substr(8, 2));
  if (month < 1 || month > 12 || day < 1) return false;
  static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (day > days[month - 1]) return false;
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return !(month == 2 && day == 29 && !leap);
}

bool is_fence(const std::string& line, std::string& fence) {
  std::size_t i = 0;
  while (i < line.size() && i < 3 && line[i] == ' ') ++i;
  if (i >= line.size() || (line[i] != '`' && line[i] != '~')) return false;
  const char c = line[i];
  std::size_t n = 0;
  while (i + n < line.size() && line[i + n] == c) ++n;
  if (n < 3) return false;
  fence.assign(n, c);
  return true;
}

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  const auto e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

const std::set<std::string>& known_fields() {
  static const std::set<std::string> fields = {
      "id",     "lang",     "title",    "summary", "questions", "category", "tags",
      "products", "channels", "audience", "status", "updated",   "related"};
  return fields;
}

// The lines of `text` without their '\n', numbered as in the file (a last line without
// '\n' counts; nothing after a final '\n' does).
std::vector<std::string> split_lines(std::string_view text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    const auto nl = text.find('\n', start);
    const auto end = nl == std::string_view::npos ? text.size() : nl;
    lines.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

// The article's fields from the front matter's root mapping, with issues at their marks.
template <class Node, class Root>
void read_fields(const Root& root, Parser& p, Article& a) {
  std::map<std::string, Node> fields;
  for (const auto& kv : pairs_of(root)) {
    std::string key;
    if (!is_scalar(kv.first)) {
      p.error_at(kv.first, "", "field names must be text");
      continue;
    }
    key = scalar_of(kv.first);
    if (!known_fields().count(key)) {
      const auto [line, column] = mark_of(kv.first);
      p.warning(line + kFrontMatterFirstLine, column + 1, key, "unknown field (ignored)");
      continue;
    }
    fields[key] = kv.second;
    const auto [line, column] = mark_of(kv.first);
    a.field_positions[key] = {line + kFrontMatterFirstLine, column + 1};
  }

  auto required = [&](const char* name) -> const Node* {
    auto it = fields.find(name);
    if (it == fields.end() || is_null(it->second)) {
      p.error(kFrontMatterFirstLine, 1, name, "required field is missing");
      return nullptr;
    }
    return &it->second;
  };
  auto optional = [&](const char* name) -> const Node* {
    auto it = fields.find(name);
    return it == fields.end() ? nullptr : &it->second;
  };

  if (const auto* n = required("id"); n && p.scalar(*n, "id", a.id)) {
    if (!valid_id(a.id)) {
      p.error_at(*n, "id",
                 "'" + a.id + "' is not a valid id (lowercase letters, digits, '-', '_', '.'; "
                 "at most 100 characters)");
    }
  }
  if (const auto* n = required("lang"); n) {
    std::string raw;
    if (p.scalar(*n, "lang", raw)) {
      if (auto norm = normalise_language_tag(raw)) {
        a.lang = *norm;
      } else {
        p.error_at(*n, "lang", "'" + raw + "' is not a known BCP 47 language tag");
      }
    }
  }
  if (const auto* n = required("title"); n && p.scalar(*n, "title", a.title, 300)) {
    if (trim(a.title).empty()) p.error_at(*n, "title", "must not be empty");
  }
  if (const auto* n = required("summary"); n && p.scalar(*n, "summary", a.summary, 600)) {
    if (trim(a.summary).empty()) p.error_at(*n, "summary", "must not be empty");
  }
  if (const auto* n = required("category"); n) p.scalar(*n, "category", a.category, 100);
  if (const auto* n = optional("questions")) p.list(*n, "questions", a.questions);
  if (const auto* n = optional("tags")) p.list(*n, "tags", a.tags);
  if (const auto* n = optional("products")) p.list(*n, "products", a.products);
  if (const auto* n = optional("related")) p.list(*n, "related", a.related);
  if (const auto* n = optional("channels")) {
    std::vector<std::string> names;
    if (p.list(*n, "channels", names)) {
      for (const auto& c : names) {
        if (c == "chat") {
          for (const char* m : {"botframework", "dialogflow", "slack"}) a.channels.push_back(m);
        } else if (is_known_channel(c)) {
          a.channels.push_back(c);
        } else {
          p.error_at(*n, "channels",
                     "unknown channel '" + c +
                         "' (known: web, botframework, dialogflow, slack, voice, sms, agent, "
                         "json, chat)");
        }
      }
      std::sort(a.channels.begin(), a.channels.end());
      a.channels.erase(std::unique(a.channels.begin(), a.channels.end()), a.channels.end());
    }
  }
  if (const auto* n = optional("audience")) {
    std::string v;
    if (p.scalar(*n, "audience", v)) {
      if (v == "public") {
        a.audience = Audience::Public;
      } else if (v == "internal") {
        a.audience = Audience::Internal;
      } else {
        p.error_at(*n, "audience", "must be 'public' or 'internal', not '" + v + "'");
      }
    }
  }
  if (const auto* n = optional("status")) {
    std::string v;
    if (p.scalar(*n, "status", v)) {
      if (v == "published") {
        a.status = Status::Published;
      } else if (v == "draft") {
        a.status = Status::Draft;
      } else {
        p.error_at(*n, "status", "must be 'published' or 'draft', not '" + v + "'");
      }
    }
  }
  if (const auto* n = optional("updated")) {
    std::string v;
    if (p.scalar(*n, "updated", v)) {
      if (valid_date(v)) {
        a.updated = v;
      } else {
        p.error_at(*n, "updated", "must be a date YYYY-MM-DD, not '" + v + "'");
      }
    }
  }

}

}  // namespace

bool MarkdownImporter::reads_simply(std::string_view front_matter) {
  const std::vector<std::string> lines = split_lines(front_matter);
  return SimpleFrontMatter::read(lines, 0, lines.size()).has_value();
}

bool MarkdownImporter::accepts(std::string_view relative_path) const {
  return relative_path.size() > 3 && relative_path.substr(relative_path.size() - 3) == ".md";
}

ImportResult MarkdownImporter::import(const std::string& display_path,
                                      std::string_view bytes) const {
  ImportResult result;
  Parser p(display_path, result);

  if (auto bad = find_invalid_utf8(bytes)) {
    const auto lc = line_column_at(bytes, *bad);
    p.error(lc.line, lc.column, "", "invalid UTF-8 (byte offset " + std::to_string(*bad) + ")");
    return result;
  }
  if (bytes.find('\0') != std::string_view::npos) {
    const auto lc = line_column_at(bytes, bytes.find('\0'));
    p.error(lc.line, lc.column, "", "binary content (NUL byte)");
    return result;
  }
  const std::string text = normalise_line_ends(bytes);
  if (trim(text).empty() || text.find_first_not_of(" \t\n") == std::string::npos) {
    p.error(1, 1, "", "file is empty");
    return result;
  }

  const std::vector<std::string> lines = split_lines(text);
  if (lines.empty() || trim(lines[0]) != "---") {
    p.error(1, 1, "", "missing front matter: the file must start with a line '---'");
    return result;
  }
  std::size_t close = 0;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const auto t = trim(lines[i]);
    if (t == "---" || t == "...") {
      close = i;
      break;
    }
  }
  if (close == 0) {
    p.error(1, 1, "", "front matter is not closed: add a line '---' after it");
    return result;
  }

  Article a;
  a.source_path = display_path;
  a.source_format = "markdown";
  // The simple reader first; a file it does not read, or one with any issue in its fields,
  // is read again by yaml-cpp, so every issue is yaml-cpp's, with yaml-cpp's marks.
  bool read = false;
  if (simple_front_matter_) {
    if (const auto simple = SimpleFrontMatter::read(lines, 1, close)) {
      Article tried = a;
      ImportResult fast;
      Parser fp(display_path, fast);
      read_fields<FrontNode>(*simple, fp, tried);
      if (fast.issues.empty()) {
        a = std::move(tried);
        read = true;
      }
    }
  }
  if (!read) {
    std::string yaml_text;
    for (std::size_t i = 1; i < close; ++i) yaml_text += lines[i] + "\n";
    YAML::Node root;
    try {
      root = YAML::Load(yaml_text);
    } catch (const YAML::Exception& e) {
      p.error(e.mark.line + kFrontMatterFirstLine, e.mark.column + 1, "",
              "invalid YAML: " + e.msg);
      return result;
    }
    if (!root.IsMap()) {
      p.error(kFrontMatterFirstLine, 1, "", "front matter must be a mapping of fields");
      return result;
    }
    read_fields<YAML::Node>(root, p, a);
  }

  // Body: public Markdown, with `::: internal` blocks taken out (outside code fences).
  std::string body;
  std::string note;
  bool in_note = false;
  std::size_t note_line = 0;
  std::string fence;
  for (std::size_t i = close + 1; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    std::string this_fence;
    if (fence.empty() && is_fence(line, this_fence)) {
      fence = this_fence;
    } else if (!fence.empty() && is_fence(line, this_fence) &&
               this_fence[0] == fence[0] && this_fence.size() >= fence.size() &&
               trim(line).size() == this_fence.size()) {
      fence.clear();
    } else if (fence.empty()) {
      const std::string t = trim(line);
      if (!in_note && t.rfind(":::", 0) == 0 && trim(t.substr(3)) == "internal") {
        in_note = true;
        note_line = i + 1;
        note.clear();
        continue;
      }
      if (in_note && t == ":::") {
        in_note = false;
        if (!trim(note).empty()) a.internal_notes.push_back(note);
        continue;
      }
    }
    (in_note ? note : body) += line + "\n";
  }
  if (in_note) {
    p.error(static_cast<int>(note_line), 1, "body",
            "'::: internal' block is not closed: add a line ':::' after the notes");
  }
  a.body_markdown = body;
  if (body.find_first_not_of(" \t\n") == std::string::npos) {
    p.error(static_cast<int>(close + 2 > lines.size() ? close + 1 : close + 2), 1, "body",
            "the article has no public body");
  }

  if (!has_errors(result.issues)) result.articles.push_back(std::move(a));
  return result;
}

}  // namespace kb::plugins
