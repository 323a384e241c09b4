// Query construction. Each content word becomes a clause that matches its stem in any field;
// synonyms join the clause as OP_SYNONYM alternatives so a group counts like one word. The
// same words in the title, questions and summary, and words near each other, make the boost
// the searcher adds to its best candidates.
#include "query_builder.h"

#include <algorithm>
#include <cctype>
#include <tuple>

#include "schema.h"
#include "utf8.h"

namespace kb::search {
namespace {

constexpr double kPrefixWeight = 0.8;
constexpr Xapian::termcount kPrefixExpansion = 30;
constexpr std::size_t kMaxWords = 32;  // bounded work for very long queries
constexpr std::size_t kMaxStemCut = 4;  // stemmers strip at most this many characters, mostly

bool is_position_token(const Token& t) {
  return t.kind == TokenKind::Word || t.kind == TokenKind::Bigram || t.kind == TokenKind::Unigram;
}

bool in_dictionary(const Xapian::Database& spelling, const std::string& word) {
  Xapian::TermIterator it = spelling.spellings_begin();
  it.skip_to(word);
  return it != spelling.spellings_end() && *it == word;
}

}  // namespace

Xapian::doccount TermCounts::operator()(const std::string& term) const {
  if (const auto it = counts_.find(term); it != counts_.end()) return it->second;
  if (counts_.size() >= kKept) counts_.clear();
  const Xapian::doccount n = db_.get_termfreq(term);
  counts_.emplace(term, n);
  return n;
}

QueryBuilder::QueryBuilder(Analyzer& analyzer, const Lexicon& lexicon, const Xapian::Database& db,
                           const TermCounts& counts, const Xapian::Database* spelling, std::string lang)
    : analyzer_(analyzer), db_(db), counts_(counts), spelling_(spelling), lang_(std::move(lang)) {
  common_threshold_ = kCommonWordShare * counts_(schema::term(schema::kLang, lang_));
  stopwords_ = analyzer_.query_word_forms(lexicon.stopwords);
  for (const auto& group : lexicon.synonym_groups) {
    std::vector<Alternative> alternatives;
    for (const auto& phrase : group) {
      Alternative alt;
      for (const auto& t : analyzer_.tokenize(phrase, AnalysisMode::Query)) {
        if (!is_position_token(t)) continue;
        alt.stems.push_back(analyzer_.stem(t));
      }
      if (!alt.stems.empty()) alternatives.push_back(std::move(alt));
    }
    if (alternatives.size() < 2) continue;
    const std::size_t id = groups_.size();
    for (const auto& alt : alternatives) {
      synonyms_by_first_stem_.emplace(alt.stems.front(), SynonymEntry{alt.stems, id});
    }
    groups_.push_back(std::move(alternatives));
  }
}

QueryBuilder::Clause QueryBuilder::clause(const std::vector<Alternative>& alternatives) const {
  auto field = [&](const std::string& prefix) {
    std::vector<Xapian::Query> alts;
    for (const auto& alt : alternatives) {
      if (alt.stems.size() == 1) {
        alts.emplace_back(std::string(schema::kStemmed) + prefix + alt.stems[0]);
      } else if (prefix.empty()) {
        // A phrase of stems: positions are on the stemmed terms (schema.h).
        std::vector<std::string> terms;
        for (const auto& st : alt.stems) terms.push_back(std::string(schema::kStemmed) + st);
        alts.emplace_back(Xapian::Query::OP_PHRASE, terms.begin(), terms.end(),
                          static_cast<Xapian::termcount>(terms.size()));
      } else {
        std::vector<Xapian::Query> all;
        for (const auto& s : alt.stems) all.emplace_back(std::string(schema::kStemmed) + prefix + s);
        alts.emplace_back(Xapian::Query::OP_AND, all.begin(), all.end());
      }
    }
    if (alts.size() == 1) return alts[0];
    return Xapian::Query(Xapian::Query::OP_SYNONYM, alts.begin(), alts.end());
  };
  const std::vector<Xapian::Query> fields = {
      Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, field(std::string(schema::kTitle)), kTitleWeight),
      Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, field(std::string(schema::kQuestions)), kQuestionsWeight),
      Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, field(std::string(schema::kSummary)), kSummaryWeight),
  };
  return {field(""), Xapian::Query(Xapian::Query::OP_OR, fields.begin(), fields.end())};
}

bool QueryBuilder::common(const std::string& stem) const {
  return counts_(std::string(schema::kStemmed) + stem) >= common_threshold_;
}

std::string QueryBuilder::correction(const Token& token) {
  auto cached = corrections_.find(token.text);
  if (cached != corrections_.end()) return cached->second;
  std::string result;
  const std::size_t length = code_points(token.text);
  // Unknown in this language: not a word of its public articles (the spelling dictionary
  // holds exactly those). Stems would not do: "adress" is the stem of French "adresse".
  if (spelling_ && length >= 4 && !std::isdigit(static_cast<unsigned char>(token.text[0])) &&
      !in_dictionary(*spelling_, token.text)) {
    const unsigned max_edits = length >= 8 ? 2 : 1;
    const std::string suggestion = spelling_->get_spelling_suggestion(token.text, max_edits);
    if (!suggestion.empty() && !stopwords_.count(suggestion)) result = suggestion;
  }
  if (corrections_.size() > 10000) corrections_.clear();
  corrections_.emplace(token.text, result);
  return result;
}

std::string QueryBuilder::completion_prefix(const std::string& typed) const {
  // Stems are indexed, so what is typed is looked for among stems: "passw" finds
  // Zpassword. A word typed further than its stem ("configura", whose stem is "configur")
  // starts no stem; its shorter prefixes do, down to kMaxStemCut code points less.
  // The cut never leaves fewer than three bytes typed.
  std::string prefix = std::string(schema::kStemmed) + typed;
  const std::size_t shortest = std::string(schema::kStemmed).size() + 3;
  for (std::size_t cut = 0;; ++cut) {
    if (db_.allterms_begin(prefix) != db_.allterms_end(prefix)) return prefix;
    if (cut == kMaxStemCut) return "";
    // One code point less: its continuation bytes, then its first byte.
    while (is_continuation_byte(static_cast<unsigned char>(prefix.back()))) prefix.pop_back();
    prefix.pop_back();
    if (prefix.size() < shortest) return "";
  }
}

BuiltQuery QueryBuilder::build(std::string_view text, const QueryOptions& options) {
  BuiltQuery out;
  const auto all = analyzer_.tokenize(text, AnalysisMode::Query);
  std::vector<Token> seq;          // positional tokens, in order
  std::vector<std::pair<std::size_t, Token>> compounds;  // compound, index of its last part
  for (const auto& t : all) {
    if (is_position_token(t)) {
      if (seq.size() < kMaxWords) seq.push_back(t);
    } else if (t.kind == TokenKind::Compound && !seq.empty()) {
      compounds.emplace_back(seq.size() - 1, t);
    }
  }
  if (seq.empty()) return out;

  // Stopwords go, unless the query is nothing but stopwords ("to be or not to be").
  std::vector<bool> content(seq.size(), true);
  bool any_content = false;
  for (std::size_t i = 0; i < seq.size(); ++i) {
    content[i] = !(seq[i].kind == TokenKind::Word && is_stopword(seq[i]));
    any_content = any_content || content[i];
  }
  if (!any_content) std::fill(content.begin(), content.end(), true);

  // The last word is unfinished when the text does not end with a space or punctuation.
  const bool open_end = options.prefix_last && !text.empty() &&
                        !std::isspace(static_cast<unsigned char>(text.back())) &&
                        seq.back().end == text.size();
  const std::size_t last = seq.size() - 1;

  std::vector<Xapian::Query> clauses;  // what must match (any field)
  bool all_common = true;
  std::vector<Xapian::Query> boosts;   // per-field weight of the same words
  std::vector<bool> covered(seq.size(), false);
  std::set<std::size_t> used_groups;
  std::string corrected(text);
  std::vector<std::tuple<std::size_t, std::size_t, std::string>> replacements;

  for (std::size_t i = 0; i < seq.size(); ++i) {
    if (!content[i]) continue;
    // The longest synonym entry starting here.
    const std::string first = analyzer_.stem(seq[i]);
    const SynonymEntry* best = nullptr;
    auto range = synonyms_by_first_stem_.equal_range(first);
    for (auto it = range.first; it != range.second; ++it) {
      const auto& entry = it->second;
      if (i + entry.stems.size() > seq.size()) continue;
      bool match = true;
      for (std::size_t k = 1; k < entry.stems.size() && match; ++k) {
        match = analyzer_.stem(seq[i + k]) == entry.stems[k];
      }
      if (match && (!best || entry.stems.size() > best->stems.size())) best = &entry;
    }
    if (best) {
      const std::size_t span = best->stems.size();
      for (std::size_t k = 0; k < span; ++k) covered[i + k] = true;
      if (used_groups.insert(best->group).second) {
        all_common = all_common && common(best->stems.front());
        Clause c = clause(groups_[best->group]);
        clauses.push_back(c.any_field);
        boosts.push_back(c.fields);
        for (const auto& alt : groups_[best->group]) {
          for (const auto& s : alt.stems) out.stems.insert(s);
        }
      }
      i += span - 1;
      continue;
    }

    Alternative self{{first}};
    out.stems.insert(first);
    std::vector<Alternative> alternatives = {self};
    // Unfinished only if some indexed stem starts with it; else it is a typo to correct.
    const std::string completion = open_end && i == last && seq[i].kind == TokenKind::Word &&
                                           code_points(seq[i].text) >= 2
                                       ? completion_prefix(seq[i].text)
                                       : std::string();
    const bool unfinished = !completion.empty();
    if (!unfinished && options.correct_typos && seq[i].kind == TokenKind::Word) {
      const std::string fixed = correction(seq[i]);
      if (!fixed.empty()) {
        Token fixed_token = seq[i];
        fixed_token.text = fixed;
        fixed_token.form = fixed;
        const std::string fixed_stem = analyzer_.stem(fixed_token);
        alternatives.push_back({{fixed_stem}});
        out.stems.insert(fixed_stem);
        replacements.emplace_back(seq[i].begin, seq[i].end, fixed);
      }
    }
    // An unfinished word counts as common: it stands for its most frequent completions.
    all_common = all_common && (unfinished || common(first));
    Clause c = clause(alternatives);
    boosts.push_back(c.fields);
    Xapian::Query q = c.any_field;
    if (unfinished) {
      // Search-as-you-type: "passw" also matches every word it begins.
      Xapian::Query prefix(Xapian::Query::OP_WILDCARD, completion, kPrefixExpansion,
                           Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT, Xapian::Query::OP_SYNONYM);
      q = Xapian::Query(Xapian::Query::OP_OR, q,
                        Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, prefix, kPrefixWeight));
      out.prefixes.push_back(seq[i].text);
    }
    clauses.push_back(q);
  }

  // Joined hyphenated words ("wi-fi" -> "wifi") add their own clause unless a synonym
  // already covers them.
  for (const auto& [after, compound] : compounds) {
    if (covered[after]) continue;
    const std::string s = analyzer_.stem(compound);
    all_common = all_common && common(s);
    out.stems.insert(s);
    Clause c = clause({{{s}}});
    clauses.push_back(c.any_field);
    boosts.push_back(c.fields);
  }
  if (clauses.empty()) return out;
  out.common_words = all_common;
  Xapian::Query query(Xapian::Query::OP_OR, clauses.begin(), clauses.end());

  std::vector<std::string> near;
  for (std::size_t i = 0; i < seq.size(); ++i) {
    if (content[i] && seq[i].kind != TokenKind::Unigram) {
      near.push_back(std::string(schema::kStemmed) + analyzer_.stem(seq[i]));
    }
  }
  if (near.size() >= 2 && near.size() <= 12) {
    Xapian::Query proximity(Xapian::Query::OP_NEAR, near.begin(), near.end(),
                            static_cast<Xapian::termcount>(near.size() + 2));
    boosts.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, proximity, kPhraseWeight);
  }
  out.query = query;
  out.boost = Xapian::Query(Xapian::Query::OP_OR, boosts.begin(), boosts.end());

  if (!replacements.empty()) {
    for (auto it = replacements.rbegin(); it != replacements.rend(); ++it) {
      corrected.replace(std::get<0>(*it), std::get<1>(*it) - std::get<0>(*it), std::get<2>(*it));
    }
    out.corrected_text = corrected;
  }
  return out;
}

}  // namespace kb::search
