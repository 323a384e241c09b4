// Loads a content folder through the importers and checks the set as a whole.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "article.h"
#include "content_issue.h"
#include "importer.h"

namespace kb {

struct ContentSet {
  // One article per (id, lang), drafts included: where several sources give the same
  // (id, lang), their consolidation (see consolidate_variants).
  std::vector<Article> articles;
  std::vector<ContentIssue> issues;
  std::size_t files_read = 0;
  // The sources of every (id, lang) that more than one file gave, canonical first.
  std::map<std::pair<std::string, std::string>, std::vector<Article>> variants;
  bool ok() const { return !has_errors(issues); }
};

struct LoadOptions {
  std::size_t max_file_bytes = 8u << 20;  // larger files are rejected, not truncated
  // Top-level folders that hold no articles (language resources, see lexicon.h).
  std::vector<std::string> skipped_folders = {"analysis"};
};

// Reads every regular file under `root` that an importer accepts (hidden files and folders are
// skipped), then checks the whole set: duplicate (id, lang) pairs are errors, `related` ids
// that do not exist are warnings. Symbolic links that lead outside `root` are errors.
// Never throws for bad content; throws kb::IoError if `root` is not a readable folder.
// Thread-safe if the importers are.
ContentSet load_content(const std::filesystem::path& root,
                        const std::vector<const Importer*>& importers,
                        const LoadOptions& options = {});

// The steps of load_content, for builds that reuse earlier results (incremental builds).

// A file of the content folder that an importer accepts.
struct ContentFile {
  std::string path;                 // relative to the content root, '/' separated
  std::filesystem::path full;       // resolved (symbolic links followed)
  const Importer* importer = nullptr;
  // Size and modification time (ns since the epoch) when listed; size -1 when unknown.
  std::int64_t size = -1;
  std::int64_t mtime_ns = 0;
};

// The files load_content reads, in its order; problems (links leading outside) go to
// `issues`. Throws kb::IoError if `root` is not a readable folder.
std::vector<ContentFile> list_content_files(const std::filesystem::path& root,
                                            const std::vector<const Importer*>& importers,
                                            const LoadOptions& options,
                                            std::vector<ContentIssue>& issues);

// The bytes of `file`, or nullopt with an issue (too large, unreadable).
std::optional<std::string> read_content_file(const ContentFile& file, const LoadOptions& options,
                                             std::vector<ContentIssue>& issues);

// Checks across files: an (id, lang) given twice by sources of the same format is an error,
// unknown `related` ids are warnings. Sorts set.issues by file and position.
void check_content(ContentSet& set);

// What the checks across files need to know of an article: incremental builds keep this much
// of an unchanged file in their manifest instead of importing it again.
struct ArticleFacts {
  std::string id, lang, format;
  bool draft = false;
  std::vector<std::string> related;
  std::pair<int, int> id_pos{1, 1}, related_pos{1, 1};  // (line, column) of the fields
  std::string_view path;                                // the source file
};
ArticleFacts facts_of(const Article& article);
// The checks of check_content on facts (the duplicate and related rules), and the size limits
// of terms on the articles that were imported; appends to `issues` without sorting them.
void check_facts(const std::vector<ArticleFacts>& facts, std::vector<ContentIssue>& issues);
void check_term_sizes(const Article& article, std::vector<ContentIssue>& issues);
// Sorts issues by file, then position, as an editor reads them.
void sort_issues(std::vector<ContentIssue>& issues);

// Merges the articles that share (id, lang) into one, in place (docs/importers.md,
// "Consolidation"): the canonical variant is the published, public one of the most
// authoritative format (markdown, then html, zendesk, qna, macro); the others add their
// titles and questions as questions, their tags, products and channels, and internal
// variants (macros) become agent notes. Groups of several sources are kept in set.variants.
void consolidate_variants(ContentSet& set);

// Rank of a source format in consolidation: lower is more authoritative.
int source_format_rank(const std::string& format);
}  // namespace kb
