// QnA Maker exports: RFC 4180 records (import_support.h), grouped by answer.
#include "qna_importer.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "import_support.h"
#include "markdown_text.h"
#include "utf8.h"

namespace kb::plugins {
namespace {

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// QnA Maker's TSV writes line ends inside answers as the two characters "\n".
std::string unescape_tsv(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size() && s[i + 1] == 'n') {
      out.push_back('\n');
      ++i;
    } else if (s[i] == '\\' && i + 1 < s.size() && s[i + 1] == 't') {
      out.push_back('\t');
      ++i;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\n");
  if (b == std::string::npos) return "";
  const auto e = s.find_last_not_of(" \t\n");
  return s.substr(b, e - b + 1);
}

struct Group {
  std::string key;
  std::vector<std::string> questions;
  std::string answer;
  int line = 0;
  int column = 0;
  std::string id;
  int id_line = 0, id_column = 0;
  std::string category;
  std::vector<std::string> tags;
  std::vector<std::string> products;
  std::string updated;
};

void add_unique(std::vector<std::string>& list, const std::string& value) {
  const std::string l = lower(value);
  for (const auto& v : list) {
    if (lower(v) == l) return;
  }
  list.push_back(value);
}

}  // namespace

bool QnaImporter::accepts(std::string_view relative_path) const {
  return ends_with_ci(relative_path, ".tsv") || ends_with_ci(relative_path, ".csv");
}

ImportResult QnaImporter::import(const std::string& path, std::string_view bytes) const {
  ImportResult result;
  auto error = [&](int line, int column, const std::string& field, const std::string& message) {
    result.issues.push_back({path, line, column, field, message, Severity::Error});
  };
  auto warning = [&](int line, int column, const std::string& field, const std::string& message) {
    result.issues.push_back({path, line, column, field, message, Severity::Warning});
  };
  if (auto bad = find_invalid_utf8(bytes)) {
    const auto lc = line_column_at(bytes, *bad);
    error(lc.line, lc.column, "", "invalid UTF-8 (byte offset " + std::to_string(*bad) + ")");
    return result;
  }
  if (bytes.find('\0') != std::string_view::npos) {
    const auto lc = line_column_at(bytes, bytes.find('\0'));
    error(lc.line, lc.column, "", "binary content (NUL byte)");
    return result;
  }
  const bool tsv = ends_with_ci(path, ".tsv");
  const std::string text = normalise_line_ends(bytes);
  std::optional<DelimitedError> parse_error;
  const auto records = parse_delimited(text, tsv ? '\t' : ',', parse_error);
  if (parse_error) {
    error(parse_error->line, parse_error->column, "", parse_error->message);
    return result;
  }
  if (records.empty()) {
    error(1, 1, "", "file is empty (expected a header row: Question, Answer, Source, Metadata)");
    return result;
  }

  const PathInfo where = path_info(path);
  const std::string lang = !where.folder_lang.empty() ? where.folder_lang : where.suffix_lang;
  if (lang.empty()) {
    error(1, 1, "lang", "no language: put the file in a language folder (de/) or name it qna.de." +
                            std::string(tsv ? "tsv" : "csv"));
    return result;
  }

  std::map<std::string, std::size_t> column;
  const auto& header = records[0];
  for (std::size_t i = 0; i < header.fields.size(); ++i) {
    const std::string name = lower(trim(header.fields[i].text));
    if (!name.empty() && !column.count(name)) column[name] = i;
  }
  for (const char* required : {"question", "answer"}) {
    if (!column.count(required)) {
      error(1, 1, "", std::string("the header row has no '") + (required[0] == 'q' ? "Question" : "Answer") +
                          "' column (QnA Maker layout: Question, Answer, Source, Metadata)");
    }
  }
  if (has_errors(result.issues)) return result;

  std::vector<Group> groups;
  std::map<std::string, std::size_t> by_key;
  auto field = [&](const DelimitedRecord& r, const char* name) -> const DelimitedField* {
    auto it = column.find(name);
    if (it == column.end() || it->second >= r.fields.size()) return nullptr;
    return &r.fields[it->second];
  };
  for (std::size_t ri = 1; ri < records.size(); ++ri) {
    const auto& r = records[ri];
    if (r.fields.size() != header.fields.size()) {
      error(r.line, 1, "",
            "row has " + std::to_string(r.fields.size()) + " fields, the header has " +
                std::to_string(header.fields.size()));
      continue;
    }
    const DelimitedField* q = field(r, "question");
    const DelimitedField* a = field(r, "answer");
    const std::string question = trim(collapse_spaces(q->text));
    const std::string answer = trim(tsv ? unescape_tsv(a->text) : a->text);
    if (question.empty()) error(q->line, q->column, "question", "empty question");
    if (answer.empty()) error(a->line, a->column, "answer", "empty answer");
    if (question.empty() || answer.empty()) continue;
    if (question.size() > 300) {
      error(q->line, q->column, "question", "is longer than 300 characters");
      continue;
    }

    // Metadata: "key:value|key:value" (QnA Maker), also accepted with ';' or ','.
    std::string explicit_id, category, updated;
    int id_line = 0, id_column = 0;
    std::vector<std::string> tags, products;
    if (const DelimitedField* m = field(r, "metadata"); m && !trim(m->text).empty()) {
      std::string item;
      auto take = [&](const std::string& raw) {
        const std::string pair = trim(raw);
        if (pair.empty()) return;
        const auto colon = pair.find(':');
        if (colon == std::string::npos || colon == 0 || colon + 1 == pair.size()) {
          warning(m->line, m->column, "metadata", "'" + pair + "' is not key:value (ignored)");
          return;
        }
        const std::string key = lower(trim(pair.substr(0, colon)));
        const std::string value = trim(pair.substr(colon + 1));
        if (key == "id" || key == "kb_id" || key == "kb-id") {
          explicit_id = lower(value);
          id_line = m->line;
          id_column = m->column;
        } else if (key == "category") {
          category = value;
        } else if (key == "product" || key == "products") {
          products.push_back(value);
        } else if (key == "updated") {
          if (valid_date(value)) updated = value;
          else warning(m->line, m->column, "metadata", "updated:" + value + " is not a date YYYY-MM-DD (ignored)");
        } else {
          tags.push_back(value);
        }
      };
      for (char c : m->text) {
        if (c == '|' || c == ';' || c == ',') {
          take(item);
          item.clear();
        } else {
          item.push_back(c);
        }
      }
      take(item);
    }
    std::string key;
    if (!explicit_id.empty()) {
      key = "id:" + explicit_id;
    } else if (const DelimitedField* qid = field(r, "qnaid"); qid && !trim(qid->text).empty()) {
      key = "qnaid:" + trim(qid->text);
    } else {
      key = "answer:" + collapse_spaces(answer);
    }
    auto [it, inserted] = by_key.emplace(key, groups.size());
    if (inserted) {
      Group g;
      g.key = key;
      g.answer = answer;
      g.line = q->line;
      g.column = q->column;
      groups.push_back(std::move(g));
    }
    Group& g = groups[it->second];
    if (!inserted && collapse_spaces(g.answer) != collapse_spaces(answer)) {
      error(a->line, a->column, "answer",
            "a different answer for the same item (line " + std::to_string(g.line) + " has another)");
      continue;
    }
    add_unique(g.questions, question);
    if (!explicit_id.empty() && g.id.empty()) {
      g.id = explicit_id;
      g.id_line = id_line;
      g.id_column = id_column;
    }
    if (!category.empty()) {
      if (!g.category.empty() && g.category != category) {
        warning(r.line, 1, "metadata", "category '" + category + "' differs from '" + g.category +
                                           "' given for the same answer (kept '" + g.category + "')");
      } else {
        g.category = category;
      }
    }
    for (const auto& t : tags) add_unique(g.tags, t);
    for (const auto& p : products) add_unique(g.products, p);
    if (!updated.empty() && updated > g.updated) g.updated = updated;
  }

  std::set<std::string> ids;
  for (auto& g : groups) {
    Article a;
    a.source_path = path;
    a.source_format = std::string(name());
    a.lang = lang;
    a.title = g.questions.front();
    a.questions.assign(g.questions.begin() + 1, g.questions.end());
    a.body_markdown = g.answer + "\n";
    a.summary = summary_from_text(markdown_to_plain_text(a.body_markdown), 300);
    a.category = g.category.empty() ? "chat" : g.category;
    a.tags = g.tags;
    a.products = g.products;
    a.updated = g.updated;
    a.channels = {"botframework", "dialogflow", "slack"};
    if (!g.id.empty()) {
      if (!valid_id(g.id)) {
        error(g.id_line, g.id_column, "metadata",
              "id '" + g.id + "' is not a valid id (lowercase letters, digits, '-', '_', '.')");
        continue;
      }
      a.id = g.id;
      a.field_positions["id"] = {g.id_line, g.id_column};
    } else {
      std::string slug = slugify(a.title, 90);
      a.id = "qna." + (slug.empty() ? text_hash_id(a.title) : slug);
      a.field_positions["id"] = {g.line, g.column};
    }
    if (!ids.insert(a.id).second) {
      const auto [line, column] = a.field_positions["id"];
      error(line, column, "id", "two answers give the id '" + a.id + "': set id:<name> in their Metadata");
      continue;
    }
    result.articles.push_back(std::move(a));
  }
  if (groups.empty() && !has_errors(result.issues)) {
    warning(1, 1, "", "no questions in the file");
  }
  return result;
}

}  // namespace kb::plugins
