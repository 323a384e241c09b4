// kb-relevance: measures search quality on a golden set of customer queries
// (success@1, success@3, MRR@10 per language) and checks it against a baseline.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "errors.h"
#include "knowledge_base.h"
#include "language.h"

namespace {

struct GoldenQuery {
  int line = 0;
  std::string lang;
  std::string mode;  // lang | detect | accept
  std::string query;
  std::vector<std::string> expected;
};

struct Score {
  int queries = 0;
  int at1 = 0;
  int at3 = 0;
  double reciprocal_ranks = 0;
  double success1() const { return queries ? double(at1) / queries : 0; }
  double success3() const { return queries ? double(at3) / queries : 0; }
  double mrr() const { return queries ? reciprocal_ranks / queries : 0; }
};

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string item;
  std::istringstream in(s);
  while (std::getline(in, item, sep)) out.push_back(item);
  return out;
}

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

bool load_golden(const std::string& path, std::vector<GoldenQuery>& out) {
  std::ifstream in(path);
  if (!in) {
    std::fprintf(stderr, "kb-relevance: cannot read %s\n", path.c_str());
    return false;
  }
  std::string line;
  int n = 0;
  bool header = true;
  bool ok = true;
  while (std::getline(in, line)) {
    ++n;
    if (trim(line).empty() || line[0] == '#') continue;
    if (header) {
      header = false;
      continue;
    }
    const auto cols = split(line, '\t');
    if (cols.size() < 4) {
      std::fprintf(stderr, "%s:%d: expected 4 tab-separated columns\n", path.c_str(), n);
      ok = false;
      continue;
    }
    GoldenQuery g;
    g.line = n;
    g.lang = trim(cols[0]);
    g.mode = trim(cols[1]);
    g.query = cols[2];
    for (const auto& id : split(cols[3], ',')) {
      if (!trim(id).empty()) g.expected.push_back(trim(id));
    }
    if (g.mode != "lang" && g.mode != "detect" && g.mode != "accept") {
      std::fprintf(stderr, "%s:%d: mode must be lang, detect or accept\n", path.c_str(), n);
      ok = false;
      continue;
    }
    out.push_back(std::move(g));
  }
  return ok;
}

// Baseline lines: "<lang|all> <success@1|success@3|mrr@10> <minimum>".
bool check_baseline(const std::string& path, const std::map<std::string, Score>& scores) {
  std::ifstream in(path);
  if (!in) {
    std::fprintf(stderr, "kb-relevance: cannot read baseline %s\n", path.c_str());
    return false;
  }
  std::string line;
  bool ok = true;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (trim(line).empty() || line[0] == '#') continue;
    std::istringstream words(line);
    std::string lang, metric;
    double minimum = 0;
    if (!(words >> lang >> metric >> minimum)) {
      std::fprintf(stderr, "%s:%d: expected '<lang> <metric> <minimum>'\n", path.c_str(), n);
      ok = false;
      continue;
    }
    auto it = scores.find(lang);
    if (it == scores.end()) {
      std::fprintf(stderr, "%s:%d: no golden queries for '%s'\n", path.c_str(), n, lang.c_str());
      ok = false;
      continue;
    }
    const double value = metric == "success@1"   ? it->second.success1()
                         : metric == "success@3" ? it->second.success3()
                         : metric == "mrr@10"    ? it->second.mrr()
                                                 : -1;
    if (value < 0) {
      std::fprintf(stderr, "%s:%d: unknown metric '%s'\n", path.c_str(), n, metric.c_str());
      ok = false;
    } else if (value + 1e-9 < minimum) {
      std::fprintf(stderr, "REGRESSION: %s %s = %.3f, below the baseline %.3f\n", lang.c_str(),
                   metric.c_str(), value, minimum);
      ok = false;
    }
  }
  return ok;
}

}  // namespace

int main(int argc, char** argv) {
  std::string kb_dir, golden, baseline;
  bool verbose = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--kb" && i + 1 < argc) kb_dir = argv[++i];
    else if (a == "--golden" && i + 1 < argc) golden = argv[++i];
    else if (a == "--baseline" && i + 1 < argc) baseline = argv[++i];
    else if (a == "--verbose" || a == "-v") verbose = true;
    else {
      std::fprintf(stderr,
                   "usage: kb-relevance --kb KB --golden FILE [--baseline FILE] [--verbose]\n"
                   "Prints success@1, success@3 and MRR@10 per language; with --baseline,\n"
                   "exits 1 when a figure is below its minimum.\n");
      return 2;
    }
  }
  if (kb_dir.empty() || golden.empty()) {
    std::fprintf(stderr, "kb-relevance: --kb and --golden are required\n");
    return 2;
  }
  std::vector<GoldenQuery> queries;
  if (!load_golden(golden, queries)) return 2;

  try {
    kb::search::KnowledgeBase kb(kb_dir, kb::search::SearchSettings{});
    std::map<std::string, Score> scores;
    for (const auto& g : queries) {
      kb::search::SearchRequest r;
      r.query = g.query;
      r.per_page = 10;
      r.facets = false;
      r.prefix = false;  // golden queries are finished queries
      if (g.mode == "lang") r.lang = kb::normalise_language_tag(g.lang).value_or("");
      if (g.mode == "accept") r.preferred = {kb::normalise_language_tag(g.lang).value_or("")};
      const auto resp = kb.search(r);
      int rank = 0;
      for (std::size_t i = 0; i < resp.hits.size(); ++i) {
        if (std::find(g.expected.begin(), g.expected.end(), resp.hits[i].id) != g.expected.end()) {
          rank = static_cast<int>(i) + 1;
          break;
        }
      }
      for (const std::string& key : {g.lang, std::string("all")}) {
        Score& s = scores[key];
        ++s.queries;
        s.at1 += rank == 1;
        s.at3 += rank >= 1 && rank <= 3;
        s.reciprocal_ranks += rank ? 1.0 / rank : 0;
      }
      if (verbose && rank != 1) {
        std::string got;
        for (std::size_t i = 0; i < resp.hits.size() && i < 3; ++i) {
          got += (i ? ", " : "") + resp.hits[i].id + "@" + resp.hits[i].lang;
        }
        std::fprintf(stderr, "%s:%d: [%s/%s] %s -> rank %d (want %s; got %s)\n", golden.c_str(),
                     g.line, g.lang.c_str(), g.mode.c_str(), g.query.c_str(), rank,
                     g.expected.front().c_str(), got.c_str());
      }
    }
    std::printf("%-6s %8s %10s %10s %8s\n", "lang", "queries", "success@1", "success@3", "MRR@10");
    for (const auto& [lang, s] : scores) {
      if (lang == "all") continue;
      std::printf("%-6s %8d %10.3f %10.3f %8.3f\n", lang.c_str(), s.queries, s.success1(),
                  s.success3(), s.mrr());
    }
    const Score& all = scores["all"];
    std::printf("%-6s %8d %10.3f %10.3f %8.3f\n", "all", all.queries, all.success1(),
                all.success3(), all.mrr());
    if (!baseline.empty() && !check_baseline(baseline, scores)) return 1;
    return 0;
  } catch (const kb::Error& e) {
    std::fprintf(stderr, "kb-relevance: %s: %s\n", e.code().c_str(), e.what());
    return 3;
  }
}
