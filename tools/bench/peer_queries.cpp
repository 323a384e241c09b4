// kb-bench-peer-queries: the unique queries as the peers get them, with the words that
// kb-server leaves out of a query left out for them too.
//
// kb-server drops a query's stopwords (the content's analysis/stopwords/<lang>.txt, else
// the built-in list of the language) unless the query holds nothing else; the peers have no
// stopwords and would otherwise search "the", "de" or "sie" in every article. Like the
// category filter and the prefix of an as-you-type query, the peers get kb-server's work:
// each line of QUERIES/unique.tsv is written to QUERIES/unique-peers.tsv with the words
// removed that kb-server's own analysis finds to be stopwords.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "analyzer.h"
#include "lexicon.h"

namespace fs = std::filesystem;

namespace {

// `query` without its stopwords (as QueryBuilder::build decides), words separated by one
// space; `last_dropped`: its last word was one of them.
std::string without_stopwords(const std::string& query, kb::Analyzer& analyzer, const std::set<std::string>& stopwords,
                              bool& last_dropped) {
  const auto tokens = analyzer.tokenize(query, kb::AnalysisMode::Query);
  struct Drop {
    std::size_t begin, end;
    bool space;  // leaves a space between the words around it
  };
  std::vector<Drop> drop;
  bool content = false;
  for (const auto& t : tokens) {
    const bool positional = t.kind == kb::TokenKind::Word || t.kind == kb::TokenKind::Bigram ||
                            t.kind == kb::TokenKind::Unigram;
    if (!positional) continue;
    last_dropped = t.kind == kb::TokenKind::Word && stopwords.count(t.text);
    if (!last_dropped) {
      content = true;
      continue;
    }
    // With the hyphen or apostrophe that joins it to a word ("sign-in", "l'adresse"): a
    // dangling "sign-" is no word, and Groonga's query syntax refuses some.
    // Inside a word ("net-out-p"), the rest stays one word ("net-p"). An elided word before
    // it goes with it ("c'est": the analysis drops "c'", and a lone "c" is no word either).
    std::size_t b = t.begin, e = t.end;
    auto joiner = [](char c) { return c == '-' || c == '\''; };
    const bool joined = (e < query.size() && joiner(query[e])) || (b > 0 && joiner(query[b - 1]));
    if (e < query.size() && joiner(query[e])) {
      ++e;
    } else if (b > 0 && query[b - 1] == '\'') {
      while (b > 0 && query[b - 1] != ' ') --b;
    } else if (b > 0 && joiner(query[b - 1])) {
      --b;
    }
    // Two stopwords joined ("how-to", "est-ce") make one drop.
    if (!drop.empty() && b <= drop.back().end) {
      drop.back().end = std::max(drop.back().end, e);
      drop.back().space = drop.back().space || !joined;
      continue;
    }
    drop.push_back({b, e, !joined});
  }
  if (!content || drop.empty()) {
    last_dropped = false;
    return query;  // nothing but stopwords: kb-server keeps them all
  }
  std::string kept;
  std::size_t at = 0;
  for (const auto& d : drop) {
    kept += query.substr(at, d.begin - at) + (d.space ? " " : "");
    at = d.end;
  }
  kept += query.substr(at);
  std::string out;
  for (const char c : kept) {
    if (c == ' ' && (out.empty() || out.back() == ' ')) continue;
    out += c;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::string content, queries;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--content") content = argv[i + 1];
    else if (a == "--queries") queries = argv[i + 1];
  }
  if (content.empty() || queries.empty()) {
    std::fprintf(stderr, "usage: kb-bench-peer-queries --content CORPUS_DIR --queries QUERY_DIR\n");
    return 2;
  }
  std::vector<kb::ContentIssue> issues;
  const kb::Lexicons lexicons = kb::load_lexicons(fs::path(content) / "analysis", issues);
  // The stopwords as QueryBuilder holds them (Analyzer::query_word_forms).
  std::map<std::string, std::unique_ptr<kb::Analyzer>> analyzers;
  std::map<std::string, std::set<std::string>> stopwords;
  auto analyzer = [&](const std::string& lang) -> kb::Analyzer& {
    auto& a = analyzers[lang];
    if (!a) {
      a = std::make_unique<kb::Analyzer>(lang);
      if (auto it = lexicons.find(lang); it != lexicons.end()) stopwords[lang] = a->query_word_forms(it->second.stopwords);
    }
    return *a;
  };
  std::ifstream in(fs::path(queries) / "unique.tsv");
  std::ofstream out(fs::path(queries) / "unique-peers.tsv");
  if (!in || !out) {
    std::fprintf(stderr, "kb-bench-peer-queries: cannot read %s/unique.tsv or write unique-peers.tsv\n", queries.c_str());
    return 1;
  }
  std::string line;
  std::size_t lines = 0, changed = 0;
  bool header = true;
  while (std::getline(in, line)) {
    if (header) {
      out << line << "\n";
      header = false;
      continue;
    }
    // kind, lang, query, category
    std::vector<std::string> f;
    std::size_t at = 0;
    for (std::size_t tab; (tab = line.find('\t', at)) != std::string::npos; at = tab + 1) f.push_back(line.substr(at, tab - at));
    f.push_back(line.substr(at));
    if (f.size() >= 3) {
      bool last_dropped = false;
      const std::string q = without_stopwords(f[2], analyzer(f[1]), stopwords[f[1]], last_dropped);
      // An as-you-type query whose unfinished last word was a stopword: kb-server expands
      // no prefix then (the last word it searches is a finished one), so neither do the peers.
      if (f[0] == "prefix" && last_dropped) f[0] = "keyword";
      changed += q != f[2];
      f[2] = q;
    }
    for (std::size_t i = 0; i < f.size(); ++i) out << (i ? "\t" : "") << f[i];
    out << "\n";
    ++lines;
  }
  std::printf("kb-bench-peer-queries: %zu queries, %zu without their stopwords, in %s/unique-peers.tsv\n", lines,
              changed, queries.c_str());
  return 0;
}
