// Macros and snippets: yaml-cpp with its marks for file:line:column.
#include "macro_importer.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "import_support.h"
#include "language.h"
#include "markdown_text.h"
#include "utf8.h"

namespace kb::plugins {
namespace {

const std::set<std::string>& known_fields() {
  static const std::set<std::string> fields = {"id", "title", "text", "lang", "tags", "category",
                                               "audience", "updated", "questions"};
  return fields;
}

}  // namespace

bool MacroImporter::accepts(std::string_view relative_path) const {
  return ends_with_ci(relative_path, ".yaml") || ends_with_ci(relative_path, ".yml");
}

ImportResult MacroImporter::import(const std::string& path, std::string_view bytes) const {
  ImportResult result;
  auto error = [&](const YAML::Mark& m, const std::string& field, const std::string& message) {
    result.issues.push_back({path, m.line + 1, m.column + 1, field, message, Severity::Error});
  };
  if (auto bad = find_invalid_utf8(bytes)) {
    const auto lc = line_column_at(bytes, *bad);
    result.issues.push_back({path, lc.line, lc.column, "", "invalid UTF-8 (byte offset " + std::to_string(*bad) + ")"});
    return result;
  }
  YAML::Node root;
  try {
    root = YAML::Load(normalise_line_ends(bytes));
  } catch (const YAML::Exception& e) {
    error(e.mark, "", "invalid YAML: " + e.msg);
    return result;
  }
  // Lists of macros: `macros:`, `snippets:`, or the whole file.
  std::vector<std::pair<std::string, YAML::Node>> lists;
  if (root.IsSequence()) {
    lists.emplace_back("macro", root);
  } else if (root.IsMap()) {
    for (const auto& kv : root) {
      const std::string key = kv.first.IsScalar() ? kv.first.Scalar() : "";
      if ((key == "macros" || key == "snippets") && (kv.second.IsSequence() || kv.second.IsNull())) {
        if (kv.second.IsSequence()) lists.emplace_back(key == "macros" ? "macro" : "snippet", kv.second);
      } else {
        error(kv.first.Mark(), key, "expected 'macros:' or 'snippets:' with a list of entries");
      }
    }
  } else {
    result.issues.push_back({path, 1, 1, "", "expected a list of macros (or 'macros:' / 'snippets:' lists)"});
    return result;
  }

  const PathInfo where = path_info(path);
  const std::string path_lang = !where.folder_lang.empty() ? where.folder_lang : where.suffix_lang;
  std::set<std::pair<std::string, std::string>> seen;
  for (const auto& [kind, list] : lists) {
    for (const auto& entry : list) {
      if (!entry.IsMap()) {
        error(entry.Mark(), "", "each " + kind + " must be a mapping with title and text");
        continue;
      }
      const std::size_t issues_before = result.issues.size();
      Article a;
      a.source_path = path;
      a.source_format = std::string(name());
      a.audience = Audience::Internal;
      a.channels = {"agent"};
      a.category = kind == "macro" ? "macros" : "snippets";
      a.field_positions["id"] = {entry.Mark().line + 1, entry.Mark().column + 1};
      std::string text, raw_lang;
      auto scalar = [&](const YAML::Node& n, const std::string& field, std::string& out) {
        if (!n.IsScalar()) {
          error(n.Mark(), field, "must be a text value");
          return false;
        }
        out = n.Scalar();
        return true;
      };
      auto list_of = [&](const YAML::Node& n, const std::string& field, std::vector<std::string>& out) {
        if (n.IsScalar()) {
          if (!n.Scalar().empty()) out.push_back(n.Scalar());
          return;
        }
        if (!n.IsSequence()) {
          error(n.Mark(), field, "must be a list");
          return;
        }
        for (const auto& item : n) {
          std::string v;
          if (scalar(item, field, v) && !v.empty()) out.push_back(v);
        }
      };
      for (const auto& kv : entry) {
        const std::string key = kv.first.IsScalar() ? kv.first.Scalar() : "";
        const YAML::Node& v = kv.second;
        if (!known_fields().count(key)) {
          result.issues.push_back({path, kv.first.Mark().line + 1, kv.first.Mark().column + 1, key,
                                   "unknown field (ignored)", Severity::Warning});
          continue;
        }
        if (key == "id") {
          if (scalar(v, key, a.id) && !valid_id(a.id)) {
            error(v.Mark(), key, "'" + a.id + "' is not a valid id (lowercase letters, digits, '-', '_', '.')");
          }
          a.field_positions["id"] = {v.Mark().line + 1, v.Mark().column + 1};
        } else if (key == "title") {
          scalar(v, key, a.title);
          a.field_positions["title"] = {v.Mark().line + 1, v.Mark().column + 1};
        } else if (key == "text") {
          scalar(v, key, text);
        } else if (key == "lang") {
          if (scalar(v, key, raw_lang)) {
            if (auto norm = normalise_language_tag(raw_lang)) a.lang = *norm;
            else error(v.Mark(), key, "'" + raw_lang + "' is not a known BCP 47 language tag");
          }
        } else if (key == "tags") {
          list_of(v, key, a.tags);
        } else if (key == "questions") {
          list_of(v, key, a.questions);
        } else if (key == "category") {
          scalar(v, key, a.category);
        } else if (key == "audience") {
          std::string aud;
          if (scalar(v, key, aud)) {
            if (aud == "internal") a.audience = Audience::Internal;
            else if (aud == "public") a.audience = Audience::Public;
            else error(v.Mark(), key, "must be 'public' or 'internal', not '" + aud + "'");
          }
        } else if (key == "updated") {
          std::string d;
          if (scalar(v, key, d)) {
            if (valid_date(d)) a.updated = d;
            else error(v.Mark(), key, "must be a date YYYY-MM-DD, not '" + d + "'");
          }
        }
      }
      a.title = collapse_spaces(a.title);
      if (a.title.empty()) error(entry.Mark(), "title", "required field is missing");
      if (collapse_spaces(text).empty()) error(entry.Mark(), "text", "required field is missing");
      if (a.lang.empty() && raw_lang.empty()) {
        if (path_lang.empty()) {
          error(entry.Mark(), "lang",
                "no language: set lang, put the file in a language folder (de/) or name it macros.de.yaml");
        }
        a.lang = path_lang;
      }
      if (result.issues.size() > issues_before && has_errors({result.issues.begin() + static_cast<long>(issues_before), result.issues.end()})) {
        continue;
      }
      if (a.id.empty()) {
        const std::string slug = slugify(a.title, 90);
        a.id = kind + "." + (slug.empty() ? text_hash_id(a.title) : slug);
      }
      a.body_markdown = text;
      if (a.body_markdown.back() != '\n') a.body_markdown += "\n";
      a.summary = summary_from_text(markdown_to_plain_text(a.body_markdown), 300);
      if (!seen.insert({a.id, a.lang}).second) {
        const auto [line, column] = a.field_positions["id"];
        result.issues.push_back({path, line, column, "id", "duplicate id '" + a.id + "' in the file"});
        continue;
      }
      result.articles.push_back(std::move(a));
    }
  }
  return result;
}

}  // namespace kb::plugins
