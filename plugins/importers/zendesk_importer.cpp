// Zendesk articles to Articles. nlohmann::json parses; a small scanner of the (already valid)
// text finds where each value starts, so issues carry line and column.
#include "zendesk_importer.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "html_page.h"
#include "import_support.h"
#include "language.h"
#include "markdown_text.h"
#include "utf8.h"

namespace kb::plugins {
namespace {

using json = nlohmann::json;

// Byte offsets of values in valid JSON, by JSON pointer ("/articles/3/title"), down to
// `max_depth` levels.
class Positions {
 public:
  Positions(std::string_view text, int max_depth) : text_(text), max_depth_(max_depth) {
    skip_ws();
    value("", 0);
  }
  std::size_t at(const std::string& pointer) const {
    auto it = offsets_.find(pointer);
    return it == offsets_.end() ? 0 : it->second;
  }

 private:
  void skip_ws() {
    while (i_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[i_]))) ++i_;
  }
  std::string string_value() {
    std::string out;
    ++i_;  // opening quote
    while (i_ < text_.size() && text_[i_] != '"') {
      if (text_[i_] == '\\' && i_ + 1 < text_.size()) {
        out.push_back(text_[i_ + 1]);
        i_ += 2;
        continue;
      }
      out.push_back(text_[i_++]);
    }
    ++i_;
    return out;
  }
  void value(const std::string& pointer, int depth) {
    skip_ws();
    if (depth <= max_depth_) offsets_[pointer] = i_;
    if (i_ >= text_.size()) return;
    const char c = text_[i_];
    if (c == '{') {
      ++i_;
      skip_ws();
      while (i_ < text_.size() && text_[i_] != '}') {
        const std::string key = string_value();
        skip_ws();
        ++i_;  // ':'
        value(pointer + "/" + key, depth + 1);
        skip_ws();
        if (i_ < text_.size() && text_[i_] == ',') ++i_;
        skip_ws();
      }
      ++i_;
    } else if (c == '[') {
      ++i_;
      skip_ws();
      for (int index = 0; i_ < text_.size() && text_[i_] != ']'; ++index) {
        value(pointer + "/" + std::to_string(index), depth + 1);
        skip_ws();
        if (i_ < text_.size() && text_[i_] == ',') ++i_;
        skip_ws();
      }
      ++i_;
    } else if (c == '"') {
      string_value();
    } else {
      while (i_ < text_.size() && text_[i_] != ',' && text_[i_] != '}' && text_[i_] != ']' &&
             !std::isspace(static_cast<unsigned char>(text_[i_]))) {
        ++i_;
      }
    }
  }

  std::string_view text_;
  int max_depth_;
  std::size_t i_ = 0;
  std::map<std::string, std::size_t> offsets_;
};

std::string scalar_text(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_integer()) return std::to_string(v.get<long long>());
  if (v.is_number_unsigned()) return std::to_string(v.get<unsigned long long>());
  return "";
}

// Zendesk locales name regions ("en-us", "de-de"); the knowledge base keeps the language,
// except where the variant is another written language (zh-cn/zh-tw, pt-br/pt).
std::string language_of_locale(const std::string& normalised) {
  const std::string primary = primary_language(normalised);
  if (primary == "zh" || normalised == "pt-br") return normalised;
  return primary;
}

}  // namespace

bool ZendeskImporter::accepts(std::string_view relative_path) const {
  return ends_with_ci(relative_path, ".json");
}

ImportResult ZendeskImporter::import(const std::string& path, std::string_view bytes) const {
  ImportResult result;
  auto error_at = [&](std::size_t offset, const std::string& field, const std::string& message) {
    const auto lc = line_column_at(bytes, std::min(offset, bytes.size()));
    result.issues.push_back({path, lc.line, lc.column, field, message, Severity::Error});
  };
  auto warning_at = [&](std::size_t offset, const std::string& field, const std::string& message) {
    const auto lc = line_column_at(bytes, std::min(offset, bytes.size()));
    result.issues.push_back({path, lc.line, lc.column, field, message, Severity::Warning});
  };
  if (auto bad = find_invalid_utf8(bytes)) {
    error_at(*bad, "", "invalid UTF-8 (byte offset " + std::to_string(*bad) + ")");
    return result;
  }
  json root;
  try {
    root = json::parse(bytes);
  } catch (const json::parse_error& e) {
    std::string message = e.what();
    // "[json.exception.parse_error.101] parse error at line 3, column 5: syntax error ..."
    if (const auto colon = message.find(": "); colon != std::string::npos) message = message.substr(colon + 2);
    error_at(e.byte > 0 ? e.byte - 1 : 0, "", "invalid JSON: " + message);
    return result;
  } catch (const json::out_of_range& e) {
    // A number beyond a double ("3E555") is not a parse_error (found by fuzzing).
    std::string message = e.what();
    if (const auto bracket = message.find("] "); bracket != std::string::npos) message = message.substr(bracket + 2);
    error_at(0, "", "invalid JSON: " + message);
    return result;
  }
  const Positions pos(bytes, 3);
  if (!root.is_object() || !root.contains("articles") || !root["articles"].is_array()) {
    error_at(0, "articles", "not a Zendesk Help Center export: expected {\"articles\": [...]}");
    return result;
  }

  std::map<std::string, std::string> section_names;
  if (root.contains("sections") && root["sections"].is_array()) {
    for (const auto& s : root["sections"]) {
      if (s.is_object() && s.contains("id") && s.contains("name") && s["name"].is_string()) {
        section_names[scalar_text(s["id"])] = s["name"].get<std::string>();
      }
    }
  }

  std::set<std::pair<std::string, std::string>> seen;
  const auto& articles = root["articles"];
  for (std::size_t i = 0; i < articles.size(); ++i) {
    const std::string base = "/articles/" + std::to_string(i);
    const auto& z = articles[i];
    const std::size_t at = pos.at(base);
    if (!z.is_object()) {
      error_at(at, "", "article " + std::to_string(i) + " is not an object");
      continue;
    }
    auto where = [&](const char* key) {
      const std::size_t p = pos.at(base + "/" + key);
      return p ? p : at;
    };
    bool ok = true;
    auto text = [&](const char* key, bool required) -> std::string {
      if (!z.contains(key) || z[key].is_null()) {
        if (required) {
          error_at(at, key, "required field is missing");
          ok = false;
        }
        return "";
      }
      const std::string v = scalar_text(z[key]);
      if (v.empty() && !z[key].is_string()) {
        error_at(where(key), key, "must be a text value");
        ok = false;
      }
      return v;
    };
    const std::string zid = text("id", true);
    const std::string locale = text("locale", true);
    const std::string title = collapse_spaces(text("title", true));
    const std::string body_html = text("body", false);
    if (!ok) continue;

    Article a;
    a.source_path = path;
    a.source_format = std::string(name());
    const auto lc = line_column_at(bytes, at);
    a.field_positions["id"] = {lc.line, lc.column};
    if (auto norm = normalise_language_tag(locale)) {
      a.lang = language_of_locale(*norm);
    } else {
      error_at(where("locale"), "locale", "'" + locale + "' is not a known language tag");
      continue;
    }
    if (title.empty() || title.size() > 300) {
      error_at(where("title"), "title", title.empty() ? "must not be empty" : "is longer than 300 characters");
      continue;
    }
    a.title = title;
    a.id = "zendesk." + slugify(zid, 80);
    if (z.contains("label_names")) {
      if (!z["label_names"].is_array()) {
        error_at(where("label_names"), "label_names", "must be a list of labels");
        continue;
      }
      for (const auto& l : z["label_names"]) {
        if (!l.is_string() || l.get<std::string>().empty()) continue;
        const std::string label = l.get<std::string>();
        if (label.rfind("kb:", 0) == 0) {
          const std::string explicit_id = label.substr(3);
          if (!valid_id(explicit_id)) {
            error_at(where("label_names"), "label_names",
                     "label '" + label + "': '" + explicit_id + "' is not a valid id");
            ok = false;
          }
          a.id = explicit_id;
        } else {
          a.tags.push_back(label);
        }
      }
      if (!ok) continue;
    }
    if (z.contains("section_id") && !z["section_id"].is_null()) {
      const std::string section = scalar_text(z["section_id"]);
      auto it = section_names.find(section);
      a.category = it != section_names.end() ? it->second : "section-" + section;
    } else {
      a.category = "help-center";
    }
    if (z.contains("draft") && z["draft"].is_boolean() && z["draft"].get<bool>()) a.status = Status::Draft;
    if (z.contains("updated_at") && z["updated_at"].is_string()) {
      if (auto d = date_prefix(z["updated_at"].get<std::string>())) {
        a.updated = *d;
      } else {
        warning_at(where("updated_at"), "updated_at", "is not a date-time (ignored)");
      }
    }
    a.body_markdown = html_to_markdown(body_html);
    if (!a.body_markdown.empty()) a.body_markdown += "\n";
    const std::string plain = markdown_to_plain_text(a.body_markdown);
    if (collapse_spaces(plain).empty()) {
      if (a.status == Status::Draft) {
        warning_at(where("body"), "body", "draft article " + zid + " has no text");
        continue;
      }
      error_at(where("body"), "body", "article " + zid + " has no text");
      continue;
    }
    a.summary = summary_from_text(plain, 300);
    if (!seen.insert({a.id, a.lang}).second) {
      error_at(at, "id", "article " + zid + " appears twice for locale '" + locale + "'");
      continue;
    }
    result.articles.push_back(std::move(a));
  }
  return result;
}

}  // namespace kb::plugins
