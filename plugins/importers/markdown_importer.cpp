// Parses front matter with yaml-cpp (keeping its marks for file:line:column) and splits the
// body into the public part and the agent-only `::: internal` blocks.
#include "markdown_importer.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <map>
#include <set>

#include "import_support.h"
#include "language.h"
#include "utf8.h"

namespace kb::plugins {
namespace {

// Lines of the front matter start after the opening '---', which is line 1 of the file.
constexpr int kFrontMatterFirstLine = 2;

class Parser {
 public:
  Parser(const std::string& path, ImportResult& out) : path_(path), out_(out) {}

  void error(int line, int column, const std::string& field, const std::string& message) {
    out_.issues.push_back({path_, line, column, field, message, Severity::Error});
  }
  void warning(int line, int column, const std::string& field, const std::string& message) {
    out_.issues.push_back({path_, line, column, field, message, Severity::Warning});
  }
  void error_at(const YAML::Node& node, const std::string& field, const std::string& message) {
    const auto mark = node.Mark();
    error(mark.line + kFrontMatterFirstLine, mark.column + 1, field, message);
  }

  bool scalar(const YAML::Node& node, const std::string& field, std::string& out,
              std::size_t max_len = 0) {
    if (!node.IsScalar()) {
      error_at(node, field, "must be a text value");
      return false;
    }
    out = node.Scalar();
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

  bool list(const YAML::Node& node, const std::string& field, std::vector<std::string>& out) {
    out.clear();
    if (node.IsNull()) return true;
    if (node.IsScalar()) {  // `tags: billing` is a list of one
      std::string v;
      if (!scalar(node, field, v)) return false;
      if (!v.empty()) out.push_back(v);
      return true;
    }
    if (!node.IsSequence()) {
      error_at(node, field, "must be a list");
      return false;
    }
    bool ok = true;
    for (const auto& item : node) {
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

}  // namespace

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

  // Split into lines, keeping the numbering of the file.
  std::vector<std::string> lines;
  {
    std::size_t start = 0;
    while (start <= text.size()) {
      const auto nl = text.find('\n', start);
      if (nl == std::string::npos) {
        if (start < text.size()) lines.push_back(text.substr(start));
        break;
      }
      lines.push_back(text.substr(start, nl - start));
      start = nl + 1;
    }
  }
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

  Article a;
  a.source_path = display_path;
  a.source_format = "markdown";
  std::map<std::string, YAML::Node> fields;
  for (const auto& kv : root) {
    std::string key;
    if (!kv.first.IsScalar()) {
      p.error_at(kv.first, "", "field names must be text");
      continue;
    }
    key = kv.first.Scalar();
    if (!known_fields().count(key)) {
      const auto m = kv.first.Mark();
      p.warning(m.line + kFrontMatterFirstLine, m.column + 1, key, "unknown field (ignored)");
      continue;
    }
    fields[key] = kv.second;
    const auto m = kv.first.Mark();
    a.field_positions[key] = {m.line + kFrontMatterFirstLine, m.column + 1};
  }

  auto required = [&](const char* name) -> const YAML::Node* {
    auto it = fields.find(name);
    if (it == fields.end() || it->second.IsNull()) {
      p.error(kFrontMatterFirstLine, 1, name, "required field is missing");
      return nullptr;
    }
    return &it->second;
  };
  auto optional = [&](const char* name) -> const YAML::Node* {
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
