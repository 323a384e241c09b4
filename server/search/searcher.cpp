// Query building (per-field weights, phrase boost, filters), locale fallback and results.
#include "searcher.h"

#include <cstdio>  // cld2's header needs FILE

#include <cld2/public/compact_lang_det.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <iterator>

#include <nlohmann/json.hpp>

#include "champions.h"
#include "document_data.h"
#include "errors.h"
#include "language.h"
#include "normalised_bm25.h"
#include "schema.h"
#include "query_builder.h"
#include "snippet.h"

namespace kb::search {
namespace {

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  std::size_t pos = 0;
  while ((pos = s.find(from, pos)) != std::string::npos) {
    s.replace(pos, from.size(), to);
    pos += to.size();
  }
  return s;
}

// The dominant script's language for scripts that name one language well enough.
std::string language_of_script(std::string_view text, const std::set<std::string>& available) {
  int kana = 0, han = 0, hangul = 0, thai = 0;
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  for (int32_t i = 0; i < static_cast<int32_t>(text.size());) {
    UChar32 c;
    U8_NEXT(s, i, static_cast<int32_t>(text.size()), c);
    UErrorCode status = U_ZERO_ERROR;
    switch (uscript_getScript(c, &status)) {
      case USCRIPT_HIRAGANA:
      case USCRIPT_KATAKANA: ++kana; break;
      case USCRIPT_HAN: ++han; break;
      case USCRIPT_HANGUL: ++hangul; break;
      case USCRIPT_THAI: ++thai; break;
      default: break;
    }
  }
  auto first_available = [&](std::initializer_list<const char*> langs) -> std::string {
    for (const char* l : langs) {
      for (const auto& a : available) {
        if (primary_language(a) == l) return a;
      }
    }
    return "";
  };
  if (kana) return first_available({"ja"});
  if (hangul) return first_available({"ko"});
  if (thai) return first_available({"th"});
  if (han) return first_available({"zh", "ja"});
  return "";
}

// CLD2 on the query text: only a reliable answer naming a language the base has counts.
// Short queries ("wifi lent") are usually unreliable; they are then searched in every
// language, which finds them anyway.
std::string detect_with_cld2(const std::string& text, const std::set<std::string>& available) {
  if (text.size() < 8) return "";
  bool reliable = false;
  CLD2::Language top3[3];
  int percent3[3];
  int text_bytes = 0;
  const CLD2::Language lang = CLD2::DetectLanguageSummary(
      text.data(), static_cast<int>(text.size()), true, top3, percent3, &text_bytes, &reliable);
  if (!reliable || lang == CLD2::UNKNOWN_LANGUAGE) return "";
  const auto norm = normalise_language_tag(CLD2::LanguageCode(lang));
  if (!norm) return "";
  if (available.count(*norm)) return *norm;
  const std::string primary = primary_language(*norm);
  return available.count(primary) ? primary : "";
}

constexpr int kFacetDepth = 500;

// Counts facet values of the documents the match looks at.
class FacetSpy : public Xapian::MatchSpy {
 public:
  void operator()(const Xapian::Document& doc, double) override {
    const std::string joined = doc.get_value(schema::kSlotFacets);
    std::size_t start = 0;
    while (start < joined.size()) {
      auto end = joined.find(schema::kFacetSeparator, start);
      if (end == std::string::npos) end = joined.size();
      if (end > start + 1) {
        const char* facet = nullptr;
        switch (joined[start]) {
          case 'c': facet = "category"; break;
          case 't': facet = "tag"; break;
          case 'p': facet = "product"; break;
          case 'h': facet = "channel"; break;
          default: break;
        }
        if (facet) ++counts_[facet][joined.substr(start + 1, end - start - 1)];
      }
      start = end + 1;
    }
  }
  std::map<std::string, std::map<std::string, std::uint64_t>> counts() const { return counts_; }

 private:
  std::map<std::string, std::map<std::string, std::uint64_t>> counts_;
};

// The documents of a language, as the runs of consecutive document ids it has: a filter
// that never leads the match and, when a candidate is of another language, moves the match
// on to the language's next run at once. Xapian leads an AND with the sub-query of the
// fewest estimated documents and checks the others for each candidate, decoding their
// posting lists up to it. A language on a fifth of the base looked smaller than an OR with
// a common word in it, so it led, and the whole query was checked for each of its articles;
// as a plain filter it would be decoded between candidates. Complete builds write each
// language's articles together (kb_writer.cpp), so a language is a few runs and the query's
// posting lists skip the other languages' chunks (docs/performance.md).
class DocRangesSource : public Xapian::PostingSource {
 public:
  using Ranges = std::vector<std::pair<Xapian::docid, Xapian::docid>>;  // [first, last], sorted
  explicit DocRangesSource(std::shared_ptr<const Ranges> ranges) : ranges_(std::move(ranges)) {}
  Xapian::doccount get_termfreq_min() const override { return 0; }
  // One less than the base: checked before a DeadlineSource (whose candidate count then
  // counts only this language's candidates, as with a plain filter).
  Xapian::doccount get_termfreq_est() const override { return doccount_ > 0 ? doccount_ - 1 : 0; }
  Xapian::doccount get_termfreq_max() const override { return doccount_; }
  void init(const Xapian::Database& db) override {
    doccount_ = db.get_doccount();
    run_ = 0;
    current_ = 0;
  }
  void next(double) override { skip_to(current_ + 1, 0); }
  void skip_to(Xapian::docid did, double) override {
    if (did <= current_) return;
    const Ranges& r = *ranges_;
    // Runs only move forward: look from the current one on.
    if (run_ < r.size() && did > r[run_].second) {
      run_ = static_cast<std::size_t>(
          std::lower_bound(r.begin() + static_cast<std::ptrdiff_t>(run_), r.end(), did,
                           [](const std::pair<Xapian::docid, Xapian::docid>& x, Xapian::docid d) { return x.second < d; }) -
          r.begin());
    }
    current_ = run_ < r.size() ? std::max(did, r[run_].first) : did;
  }
  bool at_end() const override { return run_ >= ranges_->size(); }
  Xapian::docid get_docid() const override { return current_; }
  std::string get_description() const override { return "DocRangesSource"; }

 private:
  std::shared_ptr<const Ranges> ranges_;
  Xapian::doccount doccount_ = 0;
  std::size_t run_ = 0;
  Xapian::docid current_ = 0;
};

// The documents of a fixed, sorted list of ids, weightless: restricts a query to a few
// known candidates so that positional checks run on those alone.
class DocidSource : public Xapian::PostingSource {
 public:
  explicit DocidSource(std::vector<Xapian::docid> ids) : ids_(std::move(ids)) {}
  Xapian::doccount get_termfreq_min() const override { return static_cast<Xapian::doccount>(ids_.size()); }
  Xapian::doccount get_termfreq_est() const override { return static_cast<Xapian::doccount>(ids_.size()); }
  Xapian::doccount get_termfreq_max() const override { return static_cast<Xapian::doccount>(ids_.size()); }
  void init(const Xapian::Database&) override { pos_ = 0; started_ = false; }
  void next(double) override {
    if (started_) ++pos_;
    started_ = true;
  }
  void skip_to(Xapian::docid did, double) override {
    started_ = true;
    while (pos_ < ids_.size() && ids_[pos_] < did) ++pos_;
  }
  bool at_end() const override { return started_ && pos_ >= ids_.size(); }
  Xapian::docid get_docid() const override { return ids_[pos_]; }
  std::string get_description() const override { return "DocidSource"; }

 private:
  std::vector<Xapian::docid> ids_;
  std::size_t pos_ = 0;
  bool started_ = false;
};

// Every document until a deadline, then none: filtered with it, a match stops at the
// deadline and returns the best matches found so far. This is the time limit per query. It
// takes effect only after `min_candidates` (enough to fill the page asked for), so a search
// that was slow to start is cut short, not emptied.
// (Xapian 1.4's own Enquire::set_time_limit arms a SIGEV_THREAD timer whose callback writes a
// flag on get_mset's stack; timer_delete does not wait for a callback already dispatched, so
// under load the write lands in whatever frame reuses that stack: "stack smashing detected"
// and segfaults, seen here with a 1 ms limit within seconds.)
class DeadlineSource : public Xapian::PostingSource {
 public:
  // `max_candidates` (0: none) ends the match after that many candidates, deadline or not.
  DeadlineSource(std::chrono::steady_clock::time_point deadline, unsigned min_candidates,
                 unsigned max_candidates)
      : deadline_(deadline), min_candidates_(min_candidates), max_candidates_(max_candidates) {}
  Xapian::doccount get_termfreq_min() const override { return 0; }
  Xapian::doccount get_termfreq_est() const override { return doccount_; }
  Xapian::doccount get_termfreq_max() const override { return doccount_; }
  void init(const Xapian::Database& db) override {
    doccount_ = db.get_doccount();
    last_ = db.get_lastdocid();
    current_ = 0;
    calls_ = 0;
    expired_ = false;
  }
  void next(double) override {
    ++current_;
    tick();
  }
  void skip_to(Xapian::docid did, double) override {
    if (did > current_) current_ = did;
    tick();
  }
  bool at_end() const override { return expired_ || current_ > last_; }
  Xapian::docid get_docid() const override { return current_; }
  std::string get_description() const override { return "DeadlineSource"; }

 private:
  // The call that ends the match drops its candidate: end at call n + 1 to keep n.
  void tick() {
    ++calls_;
    if (calls_ <= min_candidates_) return;
    if (max_candidates_ != 0 && calls_ > max_candidates_) {
      expired_ = true;
    } else if ((calls_ & 63u) == 0 && std::chrono::steady_clock::now() >= deadline_) {
      expired_ = true;
    }
  }
  std::chrono::steady_clock::time_point deadline_;
  unsigned min_candidates_;
  unsigned max_candidates_;
  Xapian::doccount doccount_ = 0;
  Xapian::docid last_ = 0, current_ = 0;
  unsigned calls_ = 0;
  bool expired_ = false;
};

// Candidates reranked with the field and proximity boost (BuiltQuery::boost); deeper
// results keep their first-phase order, so every page of one query agrees with the others.
constexpr int kRerankWindow = 20;

}  // namespace

namespace {

Xapian::Database open_generation(const GenerationRef& generation) {
  try {
    return Xapian::Database(generation.path.string());
  } catch (const Xapian::Error& e) {
    throw IndexUnavailable("cannot open generation " + generation.name + ": " +
                           e.get_description());
  }
}

}  // namespace

Searcher::Searcher(const GenerationRef& generation, const SearchSettings& settings)
    : generation_(generation.name),
      generation_path_(generation.path),
      settings_(settings),
      db_(open_generation(generation)),
      enquire_(db_) {
  try {
    // A generation of a later schema may keep what this server reads elsewhere (schema 4
    // moved the stored data): refused loudly rather than served with empty results.
    const std::string recorded = db_.get_metadata(schema::kMetaSchema);
    if (const std::string why = schema::unreadable_schema(recorded); !why.empty()) {
      throw IndexUnavailable("generation " + generation.name + " was " + why);
    }
    schema_ = recorded;
    const int generation_schema = std::atoi(recorded.c_str());
    // Schema 3 stores length-normalised wdfs (schema.h): BM25 without length normalisation
    // then ranks as BM25 (k1 = 1, b = 0.5) did on natural wdfs, and no search reads a
    // document length (normalised_bm25.h, which also bounds terms whose 32-bit collection
    // frequency wrapped). Older generations keep Xapian's default, BM25 (1, 0, 1, 0.5, 0.5).
    if (generation_schema >= 3) {
      const double scale = schema::recorded_wdf_scale(db_.get_metadata(schema::kMetaWdfScale));
      enquire_.set_weighting_scheme(NormalisedBM25Weight(scale, schema::kNormMinLength));
      weight_scale_ = (scale + 1) / 2;
    }
    const std::string prefix(schema::kLang);
    for (auto t = db_.allterms_begin(prefix); t != db_.allterms_end(prefix); ++t) {
      languages_.insert((*t).substr(prefix.size()));
    }
  } catch (const Xapian::Error& e) {
    throw IndexUnavailable("cannot open generation " + generation.name + ": " +
                           e.get_description());
  }
}

Analyzer& Searcher::analyzer(const std::string& lang) {
  auto& a = analyzers_[lang];
  if (!a) a = std::make_unique<Analyzer>(lang);
  return *a;
}

const Lexicon& Searcher::lexicon(const std::string& lang) {
  auto it = lexicons_.find(lang);
  if (it == lexicons_.end()) {
    // A regional tag without lists of its own ("en-gb") has its language's ("en"): the
    // built-in stopwords are under the language alone.
    std::string stored = db_.get_metadata(std::string(schema::kMetaLexiconPrefix) + lang);
    if (stored.empty() && primary_language(lang) != lang) {
      stored = db_.get_metadata(std::string(schema::kMetaLexiconPrefix) + primary_language(lang));
    }
    it = lexicons_.emplace(lang, parse_lexicon(stored)).first;
  }
  return it->second;
}

const Xapian::Database* Searcher::spelling(const std::string& lang) {
  auto it = spelling_.find(lang);
  if (it == spelling_.end()) {
    std::unique_ptr<Xapian::Database> db;
    const auto path = generation_path_ / (std::string(schema::kSpellingDirPrefix) + lang);
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
      try {
        db = std::make_unique<Xapian::Database>(path.string());
      } catch (const Xapian::Error&) {
        db.reset();  // no suggestions rather than no search
      }
    }
    it = spelling_.emplace(lang, std::move(db)).first;
  }
  return it->second.get();
}

QueryBuilder& Searcher::builder(const std::string& lang) {
  auto& b = builders_[lang];
  if (!b) b = std::make_unique<QueryBuilder>(analyzer(lang), lexicon(lang), db_, term_counts_, spelling(lang), lang);
  return *b;
}

Xapian::Query Searcher::text_query(const SearchRequest& request, const std::string& lang,
                                   Attempt& attempt, bool one_language) {
  QueryOptions options;
  options.prefix_last = request.prefix;
  BuiltQuery built = builder(lang).build(request.query, options);
  if (!built.boost.empty()) {
    // Searching several languages, each language's boost applies to its own articles only.
    // Searching one, every candidate is of that language already: no filter to open.
    Xapian::Query b = one_language ? built.boost
                                   : Xapian::Query(Xapian::Query::OP_FILTER, built.boost,
                                                   Xapian::Query(schema::term(schema::kLang, lang)));
    attempt.boost = attempt.boost.empty() ? b : Xapian::Query(Xapian::Query::OP_OR, attempt.boost, b);
  }
  if (!built.query.empty()) {
    attempt.common_words = built.common_words && (attempt.texts == 0 || attempt.common_words);
    ++attempt.texts;
  }
  attempt.stems.insert(built.stems.begin(), built.stems.end());
  attempt.prefixes.insert(attempt.prefixes.end(), built.prefixes.begin(), built.prefixes.end());
  if (attempt.corrected.empty()) attempt.corrected = built.corrected_text;
  return built.query;
}

std::shared_ptr<const std::vector<std::pair<Xapian::docid, Xapian::docid>>> Searcher::language_runs(
    const std::string& lang) {
  auto [it, inserted] = language_runs_.try_emplace(lang);
  if (!inserted) return it->second;
  // Worth it for a language on a tenth of the base or more (a smaller one leads the match
  // well as a plain filter) that is in few runs; none when every document is of it.
  const std::string term = schema::term(schema::kLang, lang);
  const Xapian::doccount n = db_.get_doccount();
  const Xapian::doccount tf = db_.get_termfreq(term);
  if (tf == 0 || tf == n || tf < n / 10) return nullptr;
  constexpr std::size_t kMaxRuns = 256;
  auto runs = std::make_shared<std::vector<std::pair<Xapian::docid, Xapian::docid>>>();
  for (auto p = db_.postlist_begin(term); p != db_.postlist_end(term); ++p) {
    const Xapian::docid did = *p;
    if (!runs->empty() && runs->back().second + 1 == did) {
      runs->back().second = did;
    } else {
      if (runs->size() == kMaxRuns) return nullptr;
      runs->emplace_back(did, did);
    }
  }
  it->second = std::move(runs);
  return it->second;
}

Xapian::Query Searcher::language_filter(const std::string& lang) {
  if (auto ranges = language_runs(lang)) return Xapian::Query((new DocRangesSource(std::move(ranges)))->release());
  return Xapian::Query(schema::term(schema::kLang, lang));
}

bool Searcher::filters_nothing(const std::string& term) const {
  const Xapian::doccount n = db_.get_doccount();
  return n > 0 && term_counts_(term) == n;
}

Xapian::Query Searcher::restricted(const Xapian::Query& query, const Xapian::Query& filter) {
  return filter.empty() ? query : Xapian::Query(Xapian::Query::OP_FILTER, query, filter);
}

Xapian::Query Searcher::filters(const SearchRequest& request, const std::string& lang) {
  // A filter term that every document has filters nothing, yet the match would check it for
  // every candidate, decoding its posting list all along (in a base whose articles all show
  // on every channel, the channel's list holds every document): such terms are left out,
  // and an exclusion of a term no document has too. The results are the same.
  std::vector<Xapian::Query> must;
  auto require = [&](std::string term) {
    if (!filters_nothing(term)) must.emplace_back(std::move(term));
  };
  require(schema::term(schema::kChannel, request.channel));
  Analyzer& folder = analyzer(settings_.default_languages.empty() ? "en"
                                                                  : settings_.default_languages[0]);
  if (!request.category.empty()) require(schema::term(schema::kCategory, folder.fold(request.category)));
  if (!request.tag.empty()) require(schema::term(schema::kTag, folder.fold(request.tag)));
  if (!request.product.empty()) require(schema::term(schema::kProduct, folder.fold(request.product)));
  // (language_filter() has no runs for a language of every document: the term is left out.)
  if (!lang.empty() && !filters_nothing(schema::term(schema::kLang, lang))) must.push_back(language_filter(lang));
  const std::string internal = schema::term(schema::kAudience, "internal");
  const bool exclude = !request.include_internal && term_counts_(internal) > 0;
  if (must.empty() && !exclude) return Xapian::Query();
  Xapian::Query f = must.empty() ? Xapian::Query::MatchAll : Xapian::Query(Xapian::Query::OP_AND, must.begin(), must.end());
  if (exclude) f = Xapian::Query(Xapian::Query::OP_AND_NOT, f, Xapian::Query(internal));
  return f;
}

Xapian::Query Searcher::bounded(const Xapian::Query& query, Xapian::doccount min_candidates,
                                Xapian::doccount max_candidates) const {
  if (settings_.time_limit_ms <= 0 && max_candidates == 0) return query;
  const auto deadline = settings_.time_limit_ms <= 0
                            ? std::chrono::steady_clock::time_point::max()
                            : std::chrono::steady_clock::now() + std::chrono::milliseconds(settings_.time_limit_ms);
  return Xapian::Query(Xapian::Query::OP_FILTER, query,
                       Xapian::Query((new DeadlineSource(deadline, min_candidates, max_candidates))->release()));
}

std::vector<Xapian::docid> Searcher::champion_candidates(const std::string& lang, const std::set<std::string>& stems) const {
  std::vector<Xapian::docid> ids;
  const auto per_lang = champions_ ? champions_->lists.find(lang) : ChampionLists::const_iterator();
  if (!champions_ || per_lang == champions_->lists.end()) return ids;
  for (const auto& stem : stems) {
    const auto list = per_lang->second.find(stem);
    if (list == per_lang->second.end()) return {};  // a stem that is not common: no lists
    std::vector<Xapian::docid> merged;
    merged.reserve(ids.size() + list->second.size());
    std::set_union(ids.begin(), ids.end(), list->second.begin(), list->second.end(), std::back_inserter(merged));
    ids.swap(merged);
  }
  return ids;
}

void Searcher::run(const Xapian::Query& query, bool collapse, int first, int count, bool facets,
                   Attempt& a) {
  enquire_.set_collapse_key(collapse ? schema::kSlotItem : Xapian::BAD_VALUENO);
  enquire_.clear_matchspies();
  FacetSpy spy;
  if (facets) enquire_.add_matchspy(&spy);
  // The rerank window: the query's second phase (field and proximity boost) and the
  // customers' feedback factor apply to the best kRerankWindow candidates, on every page alike.
  const auto feedback = feedback_ ? feedback_->snapshot() : nullptr;
  const bool rerank = !a.boost.empty() || (feedback && !feedback->empty());
  const int wanted = rerank ? std::max(first + count, kRerankWindow) : first + count;
  // Facet counts look at up to kFacetDepth matches; plain searches only at what they need.
  const auto check_at_least = static_cast<Xapian::doccount>(facets ? std::max(kFacetDepth, wanted) : wanted);
  // A query of common words only matches most of the base and its words say little: it
  // ranks the first common_words_limit candidates (facet counts need at least their depth).
  const auto cap = a.common_words && settings_.common_words_limit > 0
                       ? std::max<Xapian::doccount>(settings_.common_words_limit, check_at_least)
                       : 0;
  const auto first_rank = static_cast<Xapian::doccount>(rerank ? 0 : first);
  const auto ranks = static_cast<Xapian::doccount>(rerank ? wanted : count);
  // A query of common words ranks the union of its words' champion lists (champions.h)
  // first: nearly always the best matches, where the first `cap` candidates in document
  // order are an arbitrary few thousand of them. Ranks past the champions that match come
  // from the bounded match of the other documents, so every page and page size of a query
  // agree. Not for facets (they count over many matches), unfinished words or several
  // languages (no lists), nor when fewer champions than the rerank window match (filters):
  // the bounded match alone then, for every page alike.
  std::vector<Xapian::docid> champions;
  if (cap > 0 && rerank && !facets && a.prefixes.empty() && !a.lang.empty()) {
    champions = champion_candidates(a.lang, a.stems);
  }
  Xapian::MSet mset, rest;
  bool champions_ranked = false;
  if (!champions.empty()) {
    const Xapian::Query among(
        (new DocidSource(std::vector<Xapian::docid>(champions)))->release());
    enquire_.set_query(bounded(Xapian::Query(Xapian::Query::OP_FILTER, query, among), check_at_least));
    mset = enquire_.get_mset(0, ranks, check_at_least);
    champions_ranked = mset.size() >= static_cast<Xapian::doccount>(kRerankWindow);
    if (champions_ranked && mset.size() < ranks) {
      // Fewer matching champions than this page reaches: the rest follow them.
      const Xapian::Query others((new DocidSource(std::move(champions)))->release());
      enquire_.set_query(bounded(Xapian::Query(Xapian::Query::OP_AND_NOT, query, others), check_at_least, cap));
      rest = enquire_.get_mset(0, ranks - mset.size(), check_at_least);
    }
  }
  if (!champions_ranked) {
    enquire_.set_query(bounded(query, check_at_least, cap));
    mset = enquire_.get_mset(first_rank, ranks, check_at_least);
  }
  enquire_.clear_matchspies();
  if (facets) a.facets = spy.counts();
  a.estimated = mset.get_matches_estimated();
  Xapian::doccount lower = mset.get_matches_lower_bound(), upper = mset.get_matches_upper_bound();
  if (champions_ranked) {
    // The champions' match knows only its candidates: the total is Xapian's estimate of the
    // whole query, which a match of no documents computes from the posting lists'
    // frequencies, never less than what the matches found (the estimate multiplies the
    // filters' shares as if they were independent, and can round a filtered query to 0).
    enquire_.set_query(query);
    const Xapian::MSet whole = enquire_.get_mset(0, 0);
    lower = std::max(whole.get_matches_lower_bound(), mset.get_matches_lower_bound() + rest.get_matches_lower_bound());
    upper = std::max(whole.get_matches_upper_bound(), lower);
    a.estimated = std::clamp(whole.get_matches_estimated(), lower, upper);
  }
  if (a.filtered > 0 && lower != upper) {
    // Xapian estimated the language filter at the whole base: scale back by its share, as a
    // plain filter term would have been estimated, within the bounds the match knows.
    // Rounded to few significant digits, as Xapian rounds its own estimates.
    const Xapian::doccount n = db_.get_doccount();
    const double scaled = n > 1 ? a.estimated * (static_cast<double>(a.filtered) / (n - 1)) : a.estimated;
    const Xapian::doccount cap = std::max(lower, std::min(upper, a.filtered));
    auto estimate = std::clamp(static_cast<Xapian::doccount>(std::llround(scaled)), lower, cap);
    for (int digits = 1; digits <= 3; ++digits) {
      const double unit = std::pow(10.0, std::max(0.0, std::floor(std::log10(std::max(scaled, 1.0))) - digits + 1));
      const auto rounded = static_cast<Xapian::doccount>(std::llround(scaled / unit) * unit);
      if (rounded >= lower && rounded <= cap && std::abs(rounded - scaled) <= 0.1 * scaled) {
        estimate = rounded;
        break;
      }
    }
    a.estimated = estimate;
  }
  std::vector<Ranked> ranked;
  ranked.reserve(mset.size() + rest.size());
  for (const Xapian::MSet* part : {&mset, &rest}) {
    for (auto it = part->begin(); it != part->end(); ++it) {
      ranked.push_back({*it, it.get_weight(), it.get_weight(), 1.0, it.get_percent()});
    }
  }
  const std::size_t window = std::min<std::size_t>(ranked.size(), kRerankWindow);
  if (rerank && window > 0) {
    if (!a.boost.empty()) {
      std::vector<Xapian::docid> ids;
      for (std::size_t i = 0; i < window; ++i) ids.push_back(ranked[i].did);
      std::sort(ids.begin(), ids.end());
      const auto n = static_cast<Xapian::doccount>(ids.size());
      Xapian::Query only((new DocidSource(std::move(ids)))->release());
      enquire_.set_query(Xapian::Query(Xapian::Query::OP_AND, a.boost, only));
      enquire_.set_collapse_key(Xapian::BAD_VALUENO);
      const Xapian::MSet near = enquire_.get_mset(0, n);
      std::map<Xapian::docid, double> bonus;
      for (auto it = near.begin(); it != near.end(); ++it) bonus[*it] = it.get_weight();
      for (std::size_t i = 0; i < window; ++i) {
        if (auto b = bonus.find(ranked[i].did); b != bonus.end()) ranked[i].relevance += b->second;
      }
    }
    for (std::size_t i = 0; i < window; ++i) {
      Ranked& r = ranked[i];
      if (feedback && !feedback->empty()) {
        const Xapian::Document doc = db_.get_document(r.did);
        r.feedback = feedback->factor(doc.get_value(schema::kSlotItem), doc.get_value(schema::kSlotLang));
      }
      r.weight = r.relevance * r.feedback;
    }
    std::stable_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(window),
                     [](const Ranked& x, const Ranked& y) { return x.weight > y.weight; });
    const auto from = std::min<std::size_t>(ranked.size(), static_cast<std::size_t>(first));
    const auto to = std::min<std::size_t>(ranked.size(), from + static_cast<std::size_t>(count));
    a.ranked.assign(ranked.begin() + static_cast<std::ptrdiff_t>(from),
                    ranked.begin() + static_cast<std::ptrdiff_t>(to));
  } else {
    a.ranked = std::move(ranked);
  }
}

std::string Searcher::detect_language(const SearchRequest& request) {
  for (const auto& pref : request.preferred) {
    for (const auto& cand : fallback_chain(pref, {})) {
      if (languages_.count(cand)) return cand;
    }
  }
  const std::string by_script = language_of_script(request.query, languages_);
  if (!by_script.empty()) return by_script;
  return detect_with_cld2(request.query, languages_);
}

std::vector<std::optional<BodyMatches>> Searcher::body_matches(const Attempt& attempt,
                                                               const std::vector<HitData>& hits) const {
  std::vector<std::optional<BodyMatches>> out(hits.size());
  std::vector<std::size_t> known;  // hits stored with a body_position
  std::vector<BodyDocument> docs;
  for (std::size_t i = 0; i < hits.size(); ++i) {
    if (hits[i].ok && hits[i].body_position) {
      known.push_back(i);
      docs.push_back({attempt.ranked[i].did, static_cast<Xapian::termpos>(*hits[i].body_position), hits[i].body_spans});
    }
  }
  auto found = find_body_matches(db_, docs, attempt.stems);
  for (std::size_t k = 0; k < known.size(); ++k) out[known[k]] = std::move(found[k]);
  return out;
}

SearchResponse Searcher::search(const SearchRequest& request) {
  if (request.query.size() > settings_.max_query_bytes) {
    throw InvalidArgument("q is longer than " + std::to_string(settings_.max_query_bytes) +
                              " bytes",
                          "query_too_long");
  }
  if (request.page < 1) throw InvalidArgument("page must be 1 or more", "invalid_parameter");
  if (request.per_page < 1 || request.per_page > settings_.max_per_page) {
    throw InvalidArgument(
        "per_page must be between 1 and " + std::to_string(settings_.max_per_page),
        "invalid_parameter");
  }
  const long long first_ll = static_cast<long long>(request.page - 1) * request.per_page;
  if (first_ll > 10000) throw InvalidArgument("page is too deep (at most 10000 results)", "invalid_parameter");
  const int first = static_cast<int>(first_ll);

  SearchResponse response;
  response.index_version = generation_;
  response.requested_lang = request.lang;
  const Xapian::Query filter = filters(request, "");
  const bool browse = request.query.find_first_not_of(" \t\r\n") == std::string::npos;

  auto finish = [&](Attempt& attempt, const std::string& lang) {
    response.total = attempt.estimated;
    response.facets = std::move(attempt.facets);
    response.did_you_mean = attempt.corrected;
    response.served_lang = attempt.ranked.empty() ? "" : lang;
    // The stored data of every hit first (the decoded views point into it), then the query
    // stems each body has, then the hits with their snippets.
    std::vector<std::string> stored;
    stored.reserve(attempt.ranked.size());
    // The ids come from this database's match: no check that they exist.
    for (const auto& r : attempt.ranked) {
      stored.push_back(schema::stored_data(db_.get_document(r.did, Xapian::DOC_ASSUME_VALID)));
    }
    std::vector<HitData> decoded;
    decoded.reserve(stored.size());
    // Only the fields a hit shows (and where its body starts and its tokens are), viewed in
    // place: the stored header also holds questions, tags, internal notes and more that a
    // result list never reads.
    for (const auto& s : stored) decoded.push_back(decode_hit_data(s));
    const auto in_body = body_matches(attempt, decoded);
    for (std::size_t i = 0; i < attempt.ranked.size(); ++i) {
      const auto& r = attempt.ranked[i];
      const HitData& data = decoded[i];
      if (!data.ok) continue;
      SearchHit hit;
      hit.id = data.id;
      hit.lang = data.lang;
      hit.title = data.title;
      hit.summary = data.summary;
      // In the units of BM25 (k1 = 1, b = 0.5), whatever the generation's schema.
      hit.score = r.weight / weight_scale_;
      hit.bm25 = r.relevance / weight_scale_;
      hit.feedback = r.feedback;
      hit.percent = r.percent;
      hit.url = url_for(hit.id, hit.lang);
      Analyzer& an = analyzer(hit.lang);
      const std::string_view body = decoded[i].body_text;
      bool consistent = in_body[i].has_value();
      if (consistent) hit.snippet = make_body_snippet(body, an, *in_body[i], 220, attempt.prefixes, &consistent);
      if (!consistent) hit.snippet = make_snippet(body, an, attempt.stems, 220, attempt.prefixes);
      if (hit.snippet.empty()) hit.snippet = make_snippet(hit.summary, an, attempt.stems, 220, attempt.prefixes);
      if (hit.snippet.empty()) hit.snippet = leading_text(body.empty() ? hit.summary : body);
      if (response.served_lang.empty()) response.served_lang = hit.lang;
      response.hits.push_back(std::move(hit));
    }
  };

  try {
    std::string lang = request.lang;
    if (lang.empty()) lang = detect_language(request);

    if (lang.empty()) {
      // Unknown language: search every language with its own analysis; the best-matching
      // language of each item wins (collapse on the item id).
      std::vector<Xapian::Query> per_lang;
      Attempt attempt;
      for (const auto& l : languages_) {
        Xapian::Query q = browse ? Xapian::Query::MatchAll : text_query(request, l, attempt, false);
        if (q.empty()) continue;
        // The term, not language_filter(): its estimate keeps the total right.
        per_lang.emplace_back(Xapian::Query::OP_FILTER, q, Xapian::Query(schema::term(schema::kLang, l)));
      }
      // Corrections from one language's dictionary may not be words of another: report none.
      attempt.corrected.clear();
      Xapian::Query q(Xapian::Query::OP_OR, per_lang.begin(), per_lang.end());
      run(restricted(q, filter), true, first, request.per_page,
          request.facets, attempt);
      finish(attempt, "");
      response.all_languages = true;
      return response;
    }

    const auto chain = fallback_chain(lang, settings_.default_languages);
    for (const auto& l : chain) {
      if (!languages_.count(l)) continue;
      Attempt attempt;
      Xapian::Query q = browse ? Xapian::Query::MatchAll : text_query(request, l, attempt, true);
      if (q.empty()) break;  // nothing searchable in the query (only punctuation)
      q = restricted(q, filters(request, l));
      if (language_runs(l)) attempt.filtered = term_counts_(schema::term(schema::kLang, l));
      attempt.lang = l;
      // One language: the unique (item, language) term makes collapsing needless.
      run(q, false, first, request.per_page, request.facets, attempt);
      if (attempt.estimated == 0) continue;
      finish(attempt, l);
      response.served_lang = l;
      response.fallback = l != chain.front();
      return response;
    }
    response.served_lang = "";
    return response;
  } catch (const Xapian::DatabaseModifiedError& e) {
    throw IndexUnavailable("generation " + generation_ + " changed underneath: " + e.get_msg(), "index_reopen");
  } catch (const Xapian::DatabaseError& e) {
    throw IndexUnavailable("generation " + generation_ + ": " + e.get_description(), "index_reopen");
  } catch (const Xapian::Error& e) {
    throw RuntimeError("search_failed", e.get_description());
  }
}

std::string Searcher::url_for(const std::string& id, const std::string& lang) const {
  return replace_all(replace_all(settings_.url_template, "{id}", id), "{lang}", lang);
}

namespace {

std::vector<std::string> string_list(const nlohmann::json& data, const char* key) {
  std::vector<std::string> out;
  if (auto it = data.find(key); it != data.end() && it->is_array()) {
    for (const auto& v : *it) {
      if (v.is_string()) out.push_back(v.get<std::string>());
    }
  }
  return out;
}

}  // namespace

std::optional<StoredArticle> Searcher::fetch(const std::string& id, const std::string& lang,
                                             const std::string& channel, bool include_internal) {
  Xapian::Query q(Xapian::Query::OP_FILTER,
                  Xapian::Query(schema::term(schema::kUniqueId, id + "@" + lang)),
                  Xapian::Query(schema::term(schema::kChannel, channel)));
  if (!include_internal) {
    q = Xapian::Query(Xapian::Query::OP_AND_NOT, q,
                      Xapian::Query(schema::term(schema::kAudience, "internal")));
  }
  enquire_.set_query(q);
  enquire_.set_collapse_key(Xapian::BAD_VALUENO);
  const Xapian::MSet mset = enquire_.get_mset(0, 1);
  if (mset.empty()) return std::nullopt;
  const std::string stored = schema::stored_data(mset.begin().get_document());
  const DocumentData decoded = decode_document_data(stored);
  const auto& data = decoded.fields;
  if (data.is_discarded()) return std::nullopt;
  StoredArticle a;
  a.id = data.value("id", "");
  a.lang = data.value("lang", "");
  a.version = data.value("version", "");
  a.title = data.value("title", "");
  a.summary = data.value("summary", "");
  a.questions = string_list(data, "questions");
  a.category = data.value("category", "");
  a.tags = string_list(data, "tags");
  a.products = string_list(data, "products");
  a.channels = string_list(data, "channels");
  a.audience = data.value("audience", "public");
  a.updated = data.value("updated", "");
  a.related = string_list(data, "related");
  a.body_markdown = std::string(decoded.body_markdown);
  a.body_text = std::string(decoded.body_text);
  a.internal_notes = string_list(data, "internal_notes");
  a.source = data.value("source", "");
  a.url = url_for(a.id, a.lang);
  return a;
}

std::optional<ArticleLookup> Searcher::article(const ArticleRequest& request) {
  try {
    std::string lang = request.lang;
    if (lang.empty()) {
      SearchRequest probe;
      probe.preferred = request.preferred;
      lang = detect_language(probe);
    }
    const auto chain = fallback_chain(lang, settings_.default_languages);
    for (const auto& l : chain) {
      auto found = fetch(request.id, l, request.channel, request.include_internal);
      if (!found) continue;
      ArticleLookup lookup;
      lookup.served_lang = l;
      lookup.fallback = !request.lang.empty() && l != chain.front();
      lookup.index_version = generation_;
      for (const auto& rel : found->related) {
        // The related item in the same language, else along the same fallback chain.
        for (const auto& rl : fallback_chain(l, settings_.default_languages)) {
          if (auto r = fetch(rel, rl, request.channel, request.include_internal)) {
            lookup.related.push_back({r->id, r->lang, r->title, r->url});
            break;
          }
        }
      }
      lookup.article = std::move(*found);
      return lookup;
    }
    return std::nullopt;
  } catch (const Xapian::DatabaseError& e) {
    throw IndexUnavailable("generation " + generation_ + ": " + e.get_description(), "index_reopen");
  } catch (const Xapian::Error& e) {
    throw RuntimeError("search_failed", e.get_description());
  }
}

AnswerLookup Searcher::answer(const SearchRequest& request) {
  AnswerLookup out;
  // Bots and voice send whole sentences: no prefix expansion, no facet counting.
  SearchRequest whole = request;
  whole.prefix = false;
  whole.facets = false;
  out.search = search(whole);
  if (out.search.all_languages && !out.search.hits.empty()) {
    // Relevance percentages of a query over every language are diluted by the languages
    // that did not match: ask again in the language of the best match, so the confidence
    // means the same as with an explicit lang.
    whole.lang = out.search.hits.front().lang;
    SearchResponse focused = search(whole);
    if (!focused.hits.empty()) {
      focused.requested_lang.clear();
      focused.fallback = false;
      out.search = std::move(focused);
    }
  }
  const auto chosen = std::find_if(out.search.hits.begin(), out.search.hits.end(),
                                   [&](const SearchHit& h) { return !request.skip_items.count(h.id); });
  if (chosen == out.search.hits.end()) return out;
  const SearchHit& top = *chosen;
  ArticleRequest ar;
  ar.id = top.id;
  ar.lang = top.lang;
  ar.channel = request.channel;
  ar.include_internal = request.include_internal;
  out.best = article(ar);
  if (out.best) {
    out.best->fallback = out.search.fallback;
    out.confidence = confidence(whole.query, top);
  }
  return out;
}

double Searcher::confidence(const std::string& query, const SearchHit& top) {
  // How much of the question the best article answers: the share of the query's content
  // words (weighted by rarity) it contains anywhere, squared so a half-matched question
  // ("what is the meaning of life" -> an article that only says "meaning") stays well below
  // every bot threshold, times how many of them are in its title or alternate questions.
  Analyzer& an = analyzer(top.lang);
  QueryBuilder& qb = builder(top.lang);
  const Xapian::docid did = [&]() -> Xapian::docid {
    const std::string q = schema::term(schema::kUniqueId, top.id + "@" + top.lang);
    auto p = db_.postlist_begin(q);
    return p == db_.postlist_end(q) ? 0 : *p;
  }();
  if (did == 0) return 0;
  // Whether the article has `term`: one posting-list lookup per query term, rather than
  // reading (and inflating) the article's whole term list.
  auto has = [&](const std::string& term) {
    Xapian::PostingIterator p = db_.postlist_begin(term);
    if (p == db_.postlist_end(term)) return false;
    p.skip_to(did);
    return p != db_.postlist_end(term) && *p == did;
  };
  const std::string z(schema::kStemmed);
  const double docs = std::max<double>(1, db_.get_doccount());
  double total = 0, present = 0, strong = 0;
  std::set<std::string> seen;
  for (const auto& t : an.tokenize(query, AnalysisMode::Query)) {
    if (t.kind == TokenKind::Compound || (t.kind == TokenKind::Word && qb.is_stopword(t))) continue;
    const std::string stem = an.stem(t);
    if (!seen.insert(stem).second) continue;
    const double idf = std::log(1.0 + docs / (1.0 + term_counts_(z + stem)));
    total += idf;
    if (has(z + stem)) present += idf;
    if (has(z + std::string(schema::kTitle) + stem) || has(z + std::string(schema::kQuestions) + stem)) {
      strong += idf;
    }
  }
  if (total <= 0) return 0;
  const double coverage = present / total;
  return coverage * coverage * (0.6 + 0.4 * (strong / total));
}

SuggestResponse Searcher::suggest(const SuggestRequest& request) {
  if (request.query.size() > settings_.max_query_bytes) {
    throw InvalidArgument("q is longer than " + std::to_string(settings_.max_query_bytes) + " bytes",
                          "query_too_long");
  }
  if (request.limit < 1 || request.limit > 20) {
    throw InvalidArgument("limit must be between 1 and 20", "invalid_parameter");
  }
  SuggestResponse out;
  out.index_version = generation_;
  try {
    std::string lang = request.lang;
    if (lang.empty()) {
      SearchRequest probe;
      probe.query = request.query;
      probe.preferred = request.preferred;
      lang = detect_language(probe);
    }
    // With a language: the first of its fallback chain that the base has. Without one:
    // every language, each with its own analysis.
    std::vector<std::string> langs;
    if (!lang.empty()) {
      for (const auto& l : fallback_chain(lang, settings_.default_languages)) {
        if (languages_.count(l)) {
          langs.push_back(l);
          break;
        }
      }
    } else {
      langs.assign(languages_.begin(), languages_.end());
    }
    const bool open_end = !request.query.empty() &&
                          !std::isspace(static_cast<unsigned char>(request.query.back()));
    const std::string zs = std::string(schema::kStemmed) + std::string(schema::kTitle);
    const std::string zq = std::string(schema::kStemmed) + std::string(schema::kQuestions);
    struct Typed {
      std::set<std::string> stems;
      std::vector<std::string> prefixes;
    };
    std::map<std::string, Typed> typed;  // per language, for highlighting
    std::vector<Xapian::Query> per_lang;
    for (const auto& l : langs) {
      Analyzer& an = analyzer(l);
      QueryBuilder& qb = builder(l);
      const auto tokens = an.tokenize(request.query, AnalysisMode::Query);
      // Every typed word must appear in the title or a question; the last may be unfinished.
      std::vector<Token> content;
      for (std::size_t i = 0; i < tokens.size(); ++i) {
        const Token& t = tokens[i];
        if (t.kind == TokenKind::Compound || (t.kind == TokenKind::Unigram && tokens.size() > 1)) continue;
        if (t.kind == TokenKind::Word && qb.is_stopword(t) && !(open_end && i + 1 == tokens.size())) continue;
        content.push_back(t);
      }
      std::vector<Xapian::Query> words;
      Typed& ty = typed[l];
      for (std::size_t i = 0; i < content.size() && i < 16; ++i) {
        const Token& t = content[i];
        const std::string stem = an.stem(t);
        ty.stems.insert(stem);
        std::vector<Xapian::Query> alts = {Xapian::Query(zs + stem), Xapian::Query(zq + stem)};
        if (i + 1 == content.size() && open_end && t.kind == TokenKind::Word) {
          ty.prefixes.push_back(t.text);
          alts.emplace_back(Xapian::Query::OP_WILDCARD, zs + t.text, 50,
                            Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT, Xapian::Query::OP_SYNONYM);
          alts.emplace_back(Xapian::Query::OP_WILDCARD, zq + t.text, 50,
                            Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT, Xapian::Query::OP_SYNONYM);
        }
        words.emplace_back(Xapian::Query::OP_OR, alts.begin(), alts.end());
      }
      if (words.empty()) continue;
      // Suggestions report no total: the language's runs may be estimated at the whole base.
      per_lang.emplace_back(Xapian::Query::OP_FILTER,
                            Xapian::Query(Xapian::Query::OP_AND, words.begin(), words.end()),
                            language_filter(l));
    }
    if (per_lang.empty()) return out;
    SearchRequest visibility;
    visibility.channel = request.channel;
    visibility.include_internal = request.include_internal;
    Xapian::Query q(Xapian::Query::OP_OR, per_lang.begin(), per_lang.end());
    q = restricted(q, filters(visibility, ""));
    enquire_.set_query(bounded(q, static_cast<Xapian::doccount>(request.limit)));
    enquire_.set_collapse_key(schema::kSlotItem);
    enquire_.clear_matchspies();
    const Xapian::MSet mset = enquire_.get_mset(0, static_cast<Xapian::doccount>(request.limit));
    const std::string served = langs.size() == 1 ? langs[0] : "";
    out.served_lang = served;
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      const std::string stored = schema::stored_data(it.get_document());
      const DocumentData decoded = decode_document_data(stored);
      const auto& data = decoded.fields;
      if (data.is_discarded()) continue;
      const std::string doc_lang = data.value("lang", "");
      if (out.served_lang.empty()) out.served_lang = doc_lang;
      Analyzer& an = analyzer(doc_lang);
      const auto& stems = typed[doc_lang].stems;
      const auto& prefixes = typed[doc_lang].prefixes;
      // Show the title, or the question that matches more of what was typed.
      std::vector<std::pair<std::string, std::string>> candidates = {{data.value("title", ""), "title"}};
      for (const auto& q2 : string_list(data, "questions")) candidates.emplace_back(q2, "question");
      std::size_t best = 0, best_hits = 0;
      for (std::size_t c = 0; c < candidates.size(); ++c) {
        std::size_t hits = 0;
        for (const auto& t : an.tokenize(candidates[c].first, AnalysisMode::Query)) {
          bool hit = stems.count(an.stem(t)) > 0;
          for (const auto& p : prefixes) hit = hit || t.text.compare(0, p.size(), p) == 0;
          hits += hit;
        }
        if (hits > best_hits) {
          best_hits = hits;
          best = c;
        }
      }
      Suggestion sug;
      sug.text = candidates[best].first;
      sug.kind = candidates[best].second;
      sug.highlighted = make_snippet(sug.text, an, stems, 400, prefixes);
      if (sug.highlighted.empty()) sug.highlighted = leading_text(sug.text, 400);
      sug.id = data.value("id", "");
      sug.lang = data.value("lang", "");
      sug.url = url_for(sug.id, sug.lang);
      out.suggestions.push_back(std::move(sug));
    }
    return out;
  } catch (const Xapian::DatabaseError& e) {
    throw IndexUnavailable("generation " + generation_ + ": " + e.get_description(), "index_reopen");
  } catch (const Xapian::Error& e) {
    throw RuntimeError("search_failed", e.get_description());
  }
}

IndexStatus Searcher::status() {
  IndexStatus s;
  s.index_version = generation_;
  try {
    s.built_at = db_.get_metadata(schema::kMetaBuiltAt);
    s.schema = schema_;
    s.documents = db_.get_doccount();
    for (const auto& l : languages_) s.languages[l] = db_.get_termfreq(schema::term(schema::kLang, l));
    // As read when the generation was opened (/health is probed often: no metadata read).
    if (champions_) {
      for (const auto& [lang, lists] : champions_->lists) s.champion_lists[lang] = lists.size();
      s.champion_lists_damaged = champions_->damaged;
    }
  } catch (const Xapian::Error& e) {
    throw IndexUnavailable("generation " + generation_ + ": " + e.get_description(), "index_reopen");
  }
  return s;
}

}  // namespace kb::search
