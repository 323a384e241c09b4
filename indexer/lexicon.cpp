// Loading and (de)serialising stopword and synonym lists.
#include "lexicon.h"

#include <yaml-cpp/yaml.h>

#include <sstream>

#include <nlohmann/json.hpp>

#include "content_loader.h"
#include "language.h"
#include "utf8.h"

namespace kb {
namespace fs = std::filesystem;

namespace {

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

// The language of `<lang>.<ext>`, or "" (with an issue) when the name is not a language tag.
std::string language_of(const fs::path& file, const std::string& display,
                        std::vector<ContentIssue>& issues) {
  auto lang = normalise_language_tag(file.stem().string());
  if (!lang) {
    issues.push_back({display, 0, 0, "",
                      "file name must be a language tag such as en.txt or de-ch.yaml"});
    return "";
  }
  return *lang;
}

// Text files hold UTF-8 and no NUL: yaml-cpp turns "\0N" into a lone 0x85 byte (found by
// fuzzing), which then broke the generation's metadata.
bool readable_text(const std::string& display, const std::string& text, std::vector<ContentIssue>& issues) {
  if (auto bad = find_invalid_utf8(text)) {
    const auto lc = line_column_at(text, *bad);
    issues.push_back({display, lc.line, lc.column, "", "invalid UTF-8"});
    return false;
  }
  if (const auto nul = text.find('\0'); nul != std::string::npos) {
    const auto lc = line_column_at(text, nul);
    issues.push_back({display, lc.line, lc.column, "", "binary content (NUL byte)"});
    return false;
  }
  return true;
}

// One word per line; '#' starts a comment.
void add_stopwords(std::string_view text, std::set<std::string>& out) {
  std::istringstream lines(normalise_line_ends(text));
  std::string line;
  while (std::getline(lines, line)) {
    line = trim(line.substr(0, line.find('#')));
    if (!line.empty()) out.insert(line);
  }
}

}  // namespace

Lexicons load_lexicons(const fs::path& dir, std::vector<ContentIssue>& issues) {
  Lexicons out;
  std::error_code ec;
  const std::string base = dir.filename().string();
  std::set<std::string> given;  // languages with a stopwords file of their own

  if (fs::is_directory(dir / "stopwords", ec)) {
    for (const auto& entry : fs::directory_iterator(dir / "stopwords", ec)) {
      if (entry.path().extension() != ".txt") continue;
      const std::string display = base + "/stopwords/" + entry.path().filename().string();
      const std::string lang = language_of(entry.path(), display, issues);
      if (lang.empty()) continue;
      // The language's own file replaces the built-in list, even one in error: an error
      // stops the build.
      given.insert(lang);
      // A file that cannot be read (a folder, a dangling link) is an error, not an empty list.
      const auto text = read_content_file({display, entry.path()}, LoadOptions{}, issues);
      if (!text || !readable_text(display, *text, issues)) continue;
      // Even when it lists nothing: the generation then records that the language has no
      // stopwords, rather than nothing that a regional tag would read past (Searcher::lexicon).
      add_stopwords(*text, out[lang].stopwords);
    }
  }
  for (const auto& [name, text] : default_stopword_lists()) {
    const auto lang = normalise_language_tag(name);
    if (lang && !given.count(*lang)) add_stopwords(text, out[*lang].stopwords);
  }

  if (fs::is_directory(dir / "synonyms", ec)) {
    for (const auto& entry : fs::directory_iterator(dir / "synonyms", ec)) {
      if (entry.path().extension() != ".yaml" && entry.path().extension() != ".yml") continue;
      const std::string display = base + "/synonyms/" + entry.path().filename().string();
      const std::string lang = language_of(entry.path(), display, issues);
      if (lang.empty()) continue;
      const auto text = read_content_file({display, entry.path()}, LoadOptions{}, issues);
      if (!text || !readable_text(display, *text, issues)) continue;
      YAML::Node root;
      try {
        root = YAML::Load(*text);
      } catch (const YAML::Exception& e) {
        issues.push_back({display, e.mark.line + 1, e.mark.column + 1, "", "invalid YAML: " + e.msg});
        continue;
      }
      if (root.IsNull()) continue;
      if (!root.IsSequence()) {
        issues.push_back({display, 1, 1, "", "must be a list of synonym groups, e.g. - [wifi, wireless, wlan]"});
        continue;
      }
      for (const auto& group : root) {
        const auto mark = group.Mark();
        if (!group.IsSequence() || group.size() < 2) {
          issues.push_back({display, mark.line + 1, mark.column + 1, "",
                            "a synonym group is a list of at least two phrases"});
          continue;
        }
        std::vector<std::string> phrases;
        bool ok = true;
        for (const auto& p : group) {
          if (!p.IsScalar() || trim(p.Scalar()).empty() || find_invalid_utf8(p.Scalar())) {
            const auto m = p.Mark();
            issues.push_back({display, m.line + 1, m.column + 1, "", "a synonym must be a non-empty phrase"});
            ok = false;
            break;
          }
          phrases.push_back(trim(p.Scalar()));
        }
        if (ok) out[lang].synonym_groups.push_back(std::move(phrases));
      }
    }
  }
  return out;
}

std::string serialise_lexicon(const Lexicon& lexicon) {
  nlohmann::json j = {{"stopwords", lexicon.stopwords}, {"synonyms", lexicon.synonym_groups}};
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Lexicon parse_lexicon(const std::string& serialised) {
  Lexicon out;
  const auto j = nlohmann::json::parse(serialised, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return out;
  try {
    if (j.contains("stopwords")) out.stopwords = j["stopwords"].get<std::set<std::string>>();
    if (j.contains("synonyms")) out.synonym_groups = j["synonyms"].get<std::vector<std::vector<std::string>>>();
  } catch (const nlohmann::json::exception&) {
    return {};
  }
  return out;
}

}  // namespace kb
