// Champion lists: for each common word of a language, the documents where it weighs most.
// A query made only of common words matches a large part of its language; instead of ranking
// every match (or the first few thousand in document order), the search ranks the union of
// its words' champion lists, which holds the best matches nearly always (docs/schema.md,
// docs/performance.md). Written by every build, read by kb-server.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include <xapian.h>

namespace kb {

// A word is common in a language when its stem's documents (in every language) number at
// least this share of the language's documents (the query builder's test, the same numbers).
inline constexpr double kCommonWordShare = 0.1;
// Documents kept per common word and language.
inline constexpr std::size_t kChampionsPerWord = 500;

// Per language, per stem (Z term without the Z): the champion documents, in docid order.
using ChampionLists = std::map<std::string, std::map<std::string, std::vector<Xapian::docid>>>;

// The champion lists of `db`: for each language (L terms) of more than `per_word` documents
// and each stem whose Z term is in at least kCommonWordShare of the language's documents,
// the `per_word` documents of that language with the highest BM25 term weight for it (Xapian's defaults k1 = 1, b = 0.5,
// min_normlen = 0.5; the idf is the same for all of them), ties to the lower docid.
ChampionLists compute_champion_lists(const Xapian::Database& db, std::size_t per_word = kChampionsPerWord);

// One language's lists as stored in the metadata key kb.champions.<lang> (schema.h), and back.
// decode returns false (and `out` empty) for a malformed value.
std::string encode_champion_lists(const std::map<std::string, std::vector<Xapian::docid>>& lists);
bool decode_champion_lists(const std::string& value, std::map<std::string, std::vector<Xapian::docid>>& out);

// The lists stored in a database, and the languages whose stored value does not decode:
// those get none (their common-word queries are then bounded as without lists).
struct StoredChampions {
  ChampionLists lists;
  std::vector<std::string> damaged;
};

// The lists stored in `db` (every kb.champions.<lang> key).
StoredChampions read_champion_lists(const Xapian::Database& db);

// Computes `db`'s lists and stores them as its metadata, replacing those of an earlier build
// (a language without common words gets none). Uncommitted changes of `db` count.
void write_champion_lists(Xapian::WritableDatabase& db, std::size_t per_word = kChampionsPerWord);

// compute, read and write throw what Xapian throws (Xapian::Error) for an unreadable database.

}  // namespace kb
