// The article model: one knowledge item in one language, as every importer produces it.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace kb {

enum class Audience { Public, Internal };
enum class Status { Published, Draft };

// One knowledge item in one language. Translations and channel variants share `id`.
// Plain value type; thread-compatible.
struct Article {
  std::string id;        // knowledge item id, e.g. "reset-password"
  std::string lang;      // lowercased BCP 47 tag, e.g. "de-ch"
  std::string title;
  std::string summary;   // the short, standalone answer
  std::vector<std::string> questions;  // alternate phrasings
  std::string category;
  std::vector<std::string> tags;
  std::vector<std::string> products;
  std::vector<std::string> channels;   // expanded channel names; empty means every channel
  Audience audience = Audience::Public;
  Status status = Status::Published;
  std::string updated;   // YYYY-MM-DD or empty
  std::vector<std::string> related;
  std::string body_markdown;                 // public body, CommonMark
  std::vector<std::string> internal_notes;   // agent-only Markdown blocks
  std::string source_path;                   // file it came from, relative to the content root
  std::string source_format;                 // importer name, e.g. "markdown"
  // Where each front-matter field starts in the source file: (line, column), 1-based.
  // Used by checks across files (duplicate ids, unknown related ids).
  std::map<std::string, std::pair<int, int>> field_positions;
};

// Channel names known to the product, in display order.
const std::vector<std::string>& known_channels();

// True if `name` is a known channel name.
bool is_known_channel(const std::string& name);

// True if `article` may be shown on `channel`. Internal articles are shown to `agent` only;
// the agent channel sees every article.
bool visible_on_channel(const Article& article, const std::string& channel);

}  // namespace kb
