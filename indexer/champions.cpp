// Champion lists (champions.h): computed from the finished database of a build, so they
// agree with its document ids, and stored in its metadata.
#include "champions.h"

#include <algorithm>
#include <cstdint>
#include <utility>

#include "schema.h"
#include "varint.h"

namespace kb {

ChampionLists compute_champion_lists(const Xapian::Database& db, std::size_t per_word) {
  ChampionLists out;
  const Xapian::docid last = db.get_lastdocid();
  if (db.get_doccount() == 0 || per_word == 0) return out;
  // Each document's language (an index into `langs`), read once.
  const std::string lang_prefix(schema::kLang);
  std::vector<std::string> langs;
  std::vector<Xapian::doccount> lang_docs;
  constexpr std::uint16_t kNone = 0xFFFF;
  std::vector<std::uint16_t> lang_of(static_cast<std::size_t>(last) + 1, kNone);
  for (auto t = db.allterms_begin(lang_prefix); t != db.allterms_end(lang_prefix) && langs.size() < kNone; ++t) {
    const auto index = static_cast<std::uint16_t>(langs.size());
    langs.push_back((*t).substr(lang_prefix.size()));
    lang_docs.push_back(t.get_termfreq());
    for (auto p = db.postlist_begin(*t); p != db.postlist_end(*t); ++p) lang_of[*p] = index;
  }
  if (langs.empty()) return out;
  // A language of at most `per_word` documents gets no lists: each would hold all of the
  // language's documents that have the word, which the bounded match ranks anyway. Nor does
  // it lower the bar for the others (a pilot translation of five articles made every stem
  // of the base a candidate, and every posting list was read).
  std::vector<bool> eligible(langs.size());
  Xapian::doccount fewest = 0;
  for (std::size_t l = 0; l < langs.size(); ++l) {
    eligible[l] = lang_docs[l] > per_word;
    if (eligible[l] && (fewest == 0 || lang_docs[l] < fewest)) fewest = lang_docs[l];
  }
  if (fewest == 0) return out;

  std::vector<std::vector<std::pair<double, Xapian::docid>>> scored(langs.size());
  const std::string stem_prefix(schema::kStemmed);
  for (auto t = db.allterms_begin(stem_prefix); t != db.allterms_end(stem_prefix); ++t) {
    const std::string& term = *t;
    // Field stems (ZS..., ZXQ...) carry an upper-case prefix; stems are case-folded.
    if (term.size() <= stem_prefix.size() || (term[stem_prefix.size()] >= 'A' && term[stem_prefix.size()] <= 'Z')) continue;
    const Xapian::doccount tf = t.get_termfreq();
    if (tf < kCommonWordShare * fewest) continue;
    // The languages the stem is common in: only their postings are scored.
    std::vector<bool> common(langs.size());
    for (std::size_t l = 0; l < langs.size(); ++l) common[l] = eligible[l] && tf >= kCommonWordShare * lang_docs[l];
    for (auto& s : scored) s.clear();
    for (auto p = db.postlist_begin(term); p != db.postlist_end(term); ++p) {
      const Xapian::docid did = *p;
      const std::uint16_t l = lang_of[did];
      if (l == kNone || !common[l]) continue;
      // BM25's term weight less its idf grows with the wdf, stored length-normalised
      // (schema.h): the search's (k1 + 1) wdf / (k1 + wdf) ranks as the wdf does.
      scored[l].emplace_back(static_cast<double>(p.get_wdf()), did);
    }
    const std::string stem = term.substr(stem_prefix.size());
    for (std::size_t l = 0; l < langs.size(); ++l) {
      auto& s = scored[l];
      if (s.empty()) continue;
      const std::size_t keep = std::min(per_word, s.size());
      const auto better = [](const std::pair<double, Xapian::docid>& x, const std::pair<double, Xapian::docid>& y) {
        return x.first > y.first || (x.first == y.first && x.second < y.second);
      };
      std::nth_element(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(keep - 1), s.end(), better);
      std::vector<Xapian::docid> ids;
      ids.reserve(keep);
      for (std::size_t i = 0; i < keep; ++i) ids.push_back(s[i].second);
      std::sort(ids.begin(), ids.end());
      out[langs[l]][stem] = std::move(ids);
    }
  }
  return out;
}

std::string encode_champion_lists(const std::map<std::string, std::vector<Xapian::docid>>& lists) {
  // The number of stems, then per stem: its length and bytes, the number of documents, and
  // the ids as deltas. The count makes a value cut short after a whole stem fail to decode.
  std::string out;
  put_varint(out, lists.size());
  for (const auto& [stem, ids] : lists) {
    put_varint(out, stem.size());
    out += stem;
    put_varint(out, ids.size());
    Xapian::docid previous = 0;
    for (const auto id : ids) {
      put_varint(out, id - previous);
      previous = id;
    }
  }
  return out;
}

bool decode_champion_lists(const std::string& value, std::map<std::string, std::vector<Xapian::docid>>& out) {
  out.clear();
  std::size_t pos = 0;
  std::uint64_t stems = 0;
  if (!get_varint(value, pos, stems)) return false;
  for (std::uint64_t n = 0; n < stems; ++n) {
    std::uint64_t size = 0, count = 0;
    if (!get_varint(value, pos, size) || size > value.size() - pos) break;
    std::string stem = value.substr(pos, size);
    pos += size;
    if (!get_varint(value, pos, count) || count > value.size() - pos) break;
    std::vector<Xapian::docid> ids;
    ids.reserve(count);
    std::uint64_t id = 0;
    for (std::uint64_t i = 0; i < count; ++i) {
      std::uint64_t delta = 0;
      if (!get_varint(value, pos, delta) || delta == 0 || id + delta > 0xFFFFFFFFu) {
        out.clear();
        return false;
      }
      id += delta;
      ids.push_back(static_cast<Xapian::docid>(id));
    }
    out.emplace(std::move(stem), std::move(ids));
  }
  if (pos != value.size() || out.size() != stems) {
    out.clear();
    return false;
  }
  return true;
}

StoredChampions read_champion_lists(const Xapian::Database& db) {
  StoredChampions out;
  const std::string prefix(schema::kMetaChampionsPrefix);
  for (auto k = db.metadata_keys_begin(prefix); k != db.metadata_keys_end(prefix); ++k) {
    std::map<std::string, std::vector<Xapian::docid>> one;
    if (decode_champion_lists(db.get_metadata(*k), one)) {
      out.lists[(*k).substr(prefix.size())] = std::move(one);
    } else {
      out.damaged.push_back((*k).substr(prefix.size()));
    }
  }
  return out;
}

void write_champion_lists(Xapian::WritableDatabase& db, std::size_t per_word) {
  const std::string prefix(schema::kMetaChampionsPrefix);
  std::vector<std::string> old;
  for (auto k = db.metadata_keys_begin(prefix); k != db.metadata_keys_end(prefix); ++k) old.push_back(*k);
  for (const auto& key : old) db.set_metadata(key, "");
  for (const auto& [lang, lists] : compute_champion_lists(db, per_word)) {
    db.set_metadata(prefix + lang, encode_champion_lists(lists));
  }
}

}  // namespace kb
