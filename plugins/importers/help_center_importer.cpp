// Help-center pages to articles: libxml2 does the parsing (html_page.h), this file the
// knowledge-base rules (ids, languages, summaries, issues).
#include "help_center_importer.h"

#include <cctype>
#include <regex>

#include "html_page.h"
#include "import_support.h"
#include "language.h"
#include "markdown_text.h"
#include "utf8.h"

namespace kb::plugins {
namespace {

// "1.2. What is Debian?" -> "What is Debian?": DocBook and many CMSs number questions.
std::string strip_numbering(const std::string& title) {
  static const std::regex numbering(R"(^(?:[0-9]+\.)*[0-9]+\.?\s+)");
  std::string out = std::regex_replace(title, numbering, "", std::regex_constants::format_first_only);
  return out.empty() ? title : out;
}

}  // namespace

bool HelpCenterImporter::accepts(std::string_view relative_path) const {
  return ends_with_ci(relative_path, ".html") || ends_with_ci(relative_path, ".htm");
}

ImportResult HelpCenterImporter::import(const std::string& path, std::string_view bytes) const {
  ImportResult result;
  auto error = [&](int line, int column, const std::string& field, const std::string& message) {
    result.issues.push_back({path, line, column, field, message, Severity::Error});
  };
  auto warning = [&](int line, int column, const std::string& field, const std::string& message) {
    result.issues.push_back({path, line, column, field, message, Severity::Warning});
  };

  if (auto bad = find_invalid_utf8(bytes)) {
    // Pages in another charset are converted by libxml2 when they say which one it is.
    const std::string head = std::string(bytes.substr(0, 2048));
    std::string lowered;
    for (char c : head) lowered.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    if (lowered.find("charset") == std::string::npos) {
      const auto lc = line_column_at(bytes, *bad);
      error(lc.line, lc.column, "", "invalid UTF-8 (byte offset " + std::to_string(*bad) +
                                        ") and no charset declared in the page");
      return result;
    }
  }
  if (bytes.find('\0') != std::string_view::npos) {
    const auto lc = line_column_at(bytes, bytes.find('\0'));
    error(lc.line, lc.column, "", "binary content (NUL byte)");
    return result;
  }
  const HtmlPage page = read_html_page(bytes);
  if (!page.parsed) {
    error(1, 1, "", "not an HTML page (no element found)");
    return result;
  }

  const PathInfo where = path_info(path);
  std::string lang;
  if (!page.lang.empty()) {
    auto norm = normalise_language_tag(page.lang);
    if (!norm) {
      error(page.lang_line > 0 ? page.lang_line : 1, 1, "lang",
            "<html lang=\"" + page.lang + "\"> is not a known BCP 47 language tag");
      return result;
    }
    lang = *norm;
  } else if (!where.folder_lang.empty()) {
    lang = where.folder_lang;
  } else {
    lang = where.suffix_lang;
  }
  if (lang.empty()) {
    error(1, 1, "lang",
          "no language: add <html lang=\"..\">, put the page in a language folder (de/) or name "
          "it page.de.html");
    return result;
  }
  const std::string page_id = slugify(where.page, 60);
  if (page_id.empty()) {
    error(1, 1, "id", "the file name '" + where.page + "' gives no id (use ASCII letters or digits)");
    return result;
  }

  for (const auto& [line, anchor] : page.duplicate_anchors) {
    error(line, 1, "id", "duplicate anchor '" + anchor + "' in the page");
  }
  if (page.questions.empty()) {
    warning(1, 1, "", "no question found (no heading with an id or anchor): page skipped");
    return result;
  }

  std::string updated;
  for (const char* key : {"kb-updated", "dcterms.modified", "last-modified", "article:modified_time"}) {
    auto it = page.meta.find(key);
    if (it != page.meta.end()) {
      if (auto d = date_prefix(it->second)) {
        updated = *d;
        break;
      }
    }
  }
  std::string category = page_id;
  if (auto it = page.meta.find("kb-category"); it != page.meta.end() && !it->second.empty()) {
    category = it->second;
  }

  for (const auto& q : page.questions) {
    Article a;
    a.source_path = path;
    a.source_format = std::string(name());
    a.lang = lang;
    a.category = category;
    a.updated = updated;
    a.field_positions["id"] = {q.line, q.column};
    a.field_positions["title"] = {q.line, q.column};
    if (!q.kb_id.empty()) {
      if (!valid_id(q.kb_id)) {
        error(q.line, q.column, "id",
              "data-kb-id '" + q.kb_id + "' is not a valid id (lowercase letters, digits, '-', '_', '.')");
        continue;
      }
      a.id = q.kb_id;
    } else {
      std::string anchor = slugify(q.anchor, 100 - page_id.size() - 1);
      if (anchor.empty()) anchor = text_hash_id(q.anchor);
      a.id = page_id + "." + anchor;
    }
    a.title = strip_numbering(q.title);
    if (a.title.empty()) {
      error(q.line, q.column, "title", "question heading '" + q.anchor + "' has no text");
      continue;
    }
    if (a.title.size() > 300) a.title = summary_from_text(a.title, 300);
    a.body_markdown = q.body_markdown.empty() ? "" : q.body_markdown + "\n";
    const std::string text = markdown_to_plain_text(a.body_markdown);
    if (collapse_spaces(text).empty()) {
      warning(q.line, q.column, "body", "question '" + a.title + "' has no answer text: skipped");
      continue;
    }
    a.summary = summary_from_text(text, 300);
    // libxml2 can pass undecodable bytes through (found by fuzzing: "charset<h2 id=l>h<li>&"
    // and a stray byte), and everything downstream needs valid UTF-8.
    if (find_invalid_utf8(a.title) || find_invalid_utf8(a.summary) || find_invalid_utf8(a.body_markdown) ||
        find_invalid_utf8(a.category)) {
      error(q.line, q.column, "",
            "the text is not valid UTF-8 after decoding the page: declare its charset (<meta charset=\"...\">)");
      continue;
    }
    result.articles.push_back(std::move(a));
  }
  return result;
}

}  // namespace kb::plugins
