// Publishes articles as a new generation of a knowledge base, atomically.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "article.h"
#include "champions.h"
#include "lexicon.h"

namespace kb {

struct PublishOptions {
  // Generations kept besides the live one, so servers still reading them finish their work.
  int keep_old_generations = 2;
  // Called after each article is analysed: (done, total). May be empty.
  std::function<void(std::size_t, std::size_t)> progress;
  // Stopwords and synonyms per language, stored in the generation for the server.
  Lexicons lexicons;
  // Incremental publication (build_pipeline.h): the new generation starts as a copy of the
  // generation named here, which must still be the live one (else kb::IndexUnavailable with
  // code "index_changed"); the documents of `replace_keys` ("id@lang") are removed from the
  // copy, with their words in the spelling dictionaries, before `articles` are added.
  std::string base_generation;
  // With recycle_base, base_generation names a retired (not live) generation instead, which
  // is moved into place and updated rather than copied.
  bool recycle_base = false;
  std::vector<std::string> replace_keys;
  // A complete build is compacted before it is published (Xapian's compaction: full B-tree
  // blocks, a smaller and faster index). Incremental builds never are.
  bool compact = true;
  // Champion lists (champions.h): documents kept per common word and language.
  std::size_t champions_per_word = kChampionsPerWord;
  // Files written into the new generation's folder, name -> content (the build manifest).
  std::map<std::string, std::string> extra_files;
};

struct PublishResult {
  std::string generation;                       // name of the new live generation
  std::size_t documents = 0;                    // article-language records published
  std::size_t drafts_skipped = 0;
  std::map<std::string, std::size_t> per_language;
  // Where the time went (kb-index build prints them): analysis and the writers, the merge of
  // shards or compaction, the spelling dictionaries, syncing the files before publication.
  double write_ms = 0, merge_ms = 0, spelling_ms = 0, sync_ms = 0;
};

// The one writer of a knowledge base folder. publish() builds a complete new generation
// beside the live one, then switches the live stub by rename: readers see either the old or
// the new generation, never a half-built one. A failed or interrupted build leaves the live
// generation untouched (the next build clears its leftovers).
class KnowledgeBaseWriter {
 public:
  explicit KnowledgeBaseWriter(std::filesystem::path kb_dir);

  // Throws kb::IndexUnavailable (code "index_locked") when another build holds the lock,
  // kb::IoError when the disk is full or a folder is not writable.
  PublishResult publish(const std::vector<Article>& articles, const PublishOptions& options = {});

 private:
  std::filesystem::path kb_dir_;
};

// Now, in UTC, as 2026-11-22T13:30:00Z (built_at, job times, the access log).
std::string utc_now_iso8601();

}  // namespace kb
