// kb-bench-search: in-process query latency of the search library (Google Benchmark).
// Every iteration runs the next query of a query file; unique queries run with the result
// cache off so each one does the full work.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "knowledge_base.h"

namespace {

struct Query {
  std::string kind, lang, text, category;
};

std::vector<Query> load(const std::string& path, const std::string& kind_filter) {
  std::vector<Query> out;
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::istringstream cols(line);
    Query q;
    std::getline(cols, q.kind, '\t');
    std::getline(cols, q.lang, '\t');
    std::getline(cols, q.text, '\t');
    std::getline(cols, q.category, '\t');
    if (kind_filter.empty() || q.kind == kind_filter) out.push_back(std::move(q));
  }
  return out;
}

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

// The knowledge base of the runs, with its result cache or without. KB_BENCH_TIME_LIMIT_MS=0
// for runs under callgrind, where every query is ~50 times slower and the server's time
// limit would cut the slow ones short.
kb::search::KnowledgeBase& knowledge_base(bool cache) {
  static std::unique_ptr<kb::search::KnowledgeBase> kb_cached, kb_plain;
  auto& kb = cache ? kb_cached : kb_plain;
  if (!kb) {
    kb::search::SearchSettings settings;
    settings.cache_entries = cache ? 10000 : 0;
    if (const std::string limit = env("KB_BENCH_TIME_LIMIT_MS"); !limit.empty()) settings.time_limit_ms = std::atoi(limit.c_str());
    // search_common_words_limit of the server's configuration.
    if (const std::string limit = env("KB_BENCH_COMMON_WORDS_LIMIT"); !limit.empty()) {
      settings.common_words_limit = static_cast<unsigned>(std::strtoul(limit.c_str(), nullptr, 10));
    }
    kb = std::make_unique<kb::search::KnowledgeBase>(env("KB_BENCH_KB"), settings);
  }
  return *kb;
}

// Each iteration calls `call` with the next of `queries`; its p50 and p99 become counters.
template <class Call>
void time_queries(benchmark::State& state, const std::vector<Query>& queries, Call&& call) {
  if (queries.empty()) {
    state.SkipWithError("no queries");
    return;
  }
  std::vector<double> ms;
  std::vector<std::pair<double, const Query*>> timed;  // for KB_BENCH_SLOWEST
  std::size_t i = 0;
  for (auto _ : state) {
    const Query& q = queries[i++ % queries.size()];
    const auto t0 = std::chrono::steady_clock::now();
    auto resp = call(q);
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    timed.emplace_back(ms.back(), &q);
    benchmark::DoNotOptimize(resp);
  }
  // KB_BENCH_SLOWEST=N prints the N slowest queries of the run (to stderr): what the tail is.
  if (const long n = std::atol(env("KB_BENCH_SLOWEST").c_str()); n > 0) {
    std::sort(timed.begin(), timed.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    for (std::size_t k = 0; k < std::min(static_cast<std::size_t>(n), timed.size()); ++k) {
      const Query& q = *timed[k].second;
      std::fprintf(stderr, "%8.3f ms  %-8s %s  %s%s%s\n", timed[k].first, q.kind.c_str(), q.lang.c_str(), q.text.c_str(),
                   q.category.empty() ? "" : "  category=", q.category.c_str());
    }
  }
  std::sort(ms.begin(), ms.end());
  state.counters["p50_ms"] = ms[ms.size() / 2];
  state.counters["p99_ms"] = ms[std::min(ms.size() - 1, ms.size() * 99 / 100)];
}

void run_queries(benchmark::State& state, const std::string& file, const std::string& kind,
                 bool cache) {
  auto& kb = knowledge_base(cache);
  time_queries(state, load(file, kind), [&kb](const Query& q) {
    kb::search::SearchRequest r;
    r.query = q.text;
    r.lang = q.lang;
    r.category = q.category;
    r.prefix = q.kind == "prefix";
    r.facets = false;  // as the HTTP benchmark asks (facets=false)
    return kb.search(r);
  });
}

// As-you-type suggestions (GET /v1/suggest) for the prefix queries: what a customer has
// typed so far, the last word unfinished.
void run_suggest(benchmark::State& state, const std::string& file) {
  auto& kb = knowledge_base(false);
  time_queries(state, load(file, "prefix"), [&kb](const Query& q) {
    kb::search::SuggestRequest r;
    r.query = q.text;
    r.lang = q.lang;
    return kb.suggest(r);
  });
}

}  // namespace

int main(int argc, char** argv) {
  const std::string unique = env("KB_BENCH_QUERIES") + "/unique.tsv";
  const std::string zipf = env("KB_BENCH_QUERIES") + "/zipf.tsv";
  // KB_BENCH_ITERATIONS: a fixed number of queries per benchmark (the same queries every
  // run), for instruction counts under callgrind, which repeat where timings do not.
  const long iterations = std::atol(env("KB_BENCH_ITERATIONS").c_str());
  auto fixed = [iterations](benchmark::internal::Benchmark* b) {
    b->Unit(benchmark::kMillisecond);
    if (iterations > 0) b->Iterations(iterations);
  };
  for (const char* kind : {"keyword", "phrase", "prefix", "filtered", "cjk"}) {
    fixed(benchmark::RegisterBenchmark((std::string("unique/") + kind).c_str(),
                                       [=](benchmark::State& s) { run_queries(s, unique, kind, false); }));
  }
  fixed(benchmark::RegisterBenchmark("unique/all", [=](benchmark::State& s) { run_queries(s, unique, "", false); }));
  fixed(benchmark::RegisterBenchmark("zipf/cached", [=](benchmark::State& s) { run_queries(s, zipf, "", true); }));
  fixed(benchmark::RegisterBenchmark("suggest/prefix", [=](benchmark::State& s) { run_suggest(s, unique); }));
  benchmark::Initialize(&argc, argv);
  if (env("KB_BENCH_KB").empty() || env("KB_BENCH_QUERIES").empty()) {
    std::fprintf(stderr, "set KB_BENCH_KB (knowledge base) and KB_BENCH_QUERIES (query folder)\n");
    return 2;
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
