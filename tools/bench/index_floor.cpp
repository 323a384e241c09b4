// kb-bench-index-floor: how much of a complete build is Xapian's own work.
//
// A complete build (kb_writer.cpp) runs one writer per core, each analysing every Nth batch
// of 256 articles and adding it to its own shard, then merges the shards by compaction. Here
// the same steps run one after the other, each timed alone, on the same cores:
//   1. analysis: build_document for every article (what kb-index adds to Xapian's work);
//   2. Xapian: add_document and a commit per batch, of the documents built in step 1;
//   3. the compaction that merges the shards.
// Steps 2 and 3 are the floor that no change in kb-index's own code can go below with
// Xapian's writers; step 2 holds every built document in memory (about 31 KB an article),
// so use --limit on large corpora. --strip takes parts out of the built documents before
// step 2, to see what each costs Xapian (the base is then not a complete one: a measurement,
// nothing to serve). docs/performance.md has the figures.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

#include <xapian.h>

#include "analyzer.h"
#include "builtin_importers.h"
#include "content_loader.h"
#include "document_builder.h"
#include "schema.h"
#include "utf8.h"

namespace fs = std::filesystem;

namespace {


double ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

// Runs body(j) on `n` threads (j = 0..n-1) and returns the wall time in ms.
// An exception on any thread is rethrown here once all have finished.
template <class F>
double on_threads(unsigned n, F body) {
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<std::exception_ptr> failures(n);
  auto guarded = [&](unsigned j) {
    try {
      body(j);
    } catch (...) {
      failures[j] = std::current_exception();
    }
  };
  std::vector<std::thread> threads;
  for (unsigned j = 1; j < n; ++j) threads.emplace_back(guarded, j);
  guarded(0);
  for (auto& t : threads) t.join();
  for (const auto& f : failures) {
    if (f) std::rethrow_exception(f);
  }
  return ms_since(t0);
}

bool has(const std::string& list, const char* part) {
  return list.find(std::string(",") + part + ",") != std::string::npos;
}

// A CJK unigram: the stem prefix and one character of three or more UTF-8 bytes.
bool is_unigram(std::string_view term) {
  const std::string_view prefix = kb::schema::kStemmed;
  if (term.substr(0, prefix.size()) != prefix) return false;
  const std::string_view stem = term.substr(prefix.size());
  return !stem.empty() && static_cast<unsigned char>(stem[0]) >= 0xE0 && kb::code_points(stem) == 1;
}

// A stem of the title, the questions or the summary (document_builder.cpp).
bool is_field_stem(std::string_view term) {
  for (const std::string_view field : {kb::schema::kTitle, kb::schema::kQuestions, kb::schema::kSummary}) {
    const std::string prefix = kb::schema::term(kb::schema::kStemmed, field);
    if (term.substr(0, prefix.size()) == prefix) return true;
  }
  return false;
}

// Leaves the parts named in `list` out of `doc` (the analysis is untimed by then).
void strip_parts(Xapian::Document& doc, const std::string& list) {
  if (has(list, "data")) {
    doc.set_data("");
    doc.remove_value(kb::schema::kSlotData);
  }
  struct Term {
    std::string name;
    Xapian::termcount wdf;
    std::vector<Xapian::termpos> positions;
  };
  std::vector<Term> terms;
  for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
    Term term{*t, t.get_wdf(), {}};
    for (auto p = t.positionlist_begin(); p != t.positionlist_end(); ++p) term.positions.push_back(*p);
    terms.push_back(std::move(term));
  }
  doc.clear_terms();
  for (const auto& t : terms) {
    if (is_field_stem(t.name) && has(list, "fields")) continue;
    if (t.positions.empty() && is_unigram(t.name) && has(list, "unigrams")) continue;
    if (t.positions.empty() || has(list, "positions")) {
      if (t.wdf == 0) doc.add_boolean_term(t.name);
      else doc.add_term(t.name, t.wdf);
    } else {
      for (auto pos : t.positions) doc.add_posting(t.name, pos);
    }
  }
}

int usage() {
  std::fprintf(stderr,
               "usage: kb-bench-index-floor --content DIR --work DIR [--limit N] [--batch N] [--writers N]\n"
               "                            [--block-size BYTES] [--strip LIST]\n"
               "  --work DIR   folder for the shards (in a subfolder of its own, removed after)\n"
               "  --limit N    the first N articles, grouped by language (default: all)\n"
               "  --batch N    articles a batch, a commit each (default 256, as kb-index)\n"
               "  --writers N  writers (default: one per core, at most 4, as kb-index)\n"
               "  --block-size BYTES  Xapian's B-tree blocks (2048-65536, a power of two; default 8192)\n"
               "  --strip LIST comma-separated parts left out of step 2: data (the stored fields),\n"
               "               positions, fields (the title/questions/summary stems), unigrams (CJK);\n"
               "               none rebuilds the documents term by term as the others do: their baseline\n");
  return 2;
}

}  // namespace

int run(int argc, char** argv) {
  fs::path content, work;
  std::size_t limit = 0;
  std::size_t batch = 256;  // as kb_writer.cpp
  unsigned block_size = 0;  // Xapian's default (8 KB)
  std::string strip;
  unsigned writers = std::min(std::max(1u, std::thread::hardware_concurrency()), 4u);
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (i + 1 >= argc) return usage();
    if (arg == "--content") content = argv[++i];
    else if (arg == "--work") work = argv[++i];
    else if (arg == "--limit") limit = std::strtoul(argv[++i], nullptr, 10);
    else if (arg == "--batch") batch = std::max(1ul, std::strtoul(argv[++i], nullptr, 10));
    else if (arg == "--block-size") block_size = static_cast<unsigned>(std::strtoul(argv[++i], nullptr, 10));
    else if (arg == "--writers") writers = static_cast<unsigned>(std::max(1ul, std::strtoul(argv[++i], nullptr, 10)));
    else if (arg == "--strip") strip = std::string(",") + argv[++i] + ",";
    else return usage();
  }
  if (content.empty() || work.empty()) return usage();
  for (std::size_t at = 1; at < strip.size();) {
    const std::size_t comma = strip.find(',', at);
    const std::string part = strip.substr(at, comma - at);
    if (part != "data" && part != "positions" && part != "fields" && part != "unigrams" && part != "none") {
      std::fprintf(stderr, "--strip: unknown part \"%s\"\n", part.c_str());
      return usage();
    }
    at = comma + 1;
  }

  auto t0 = std::chrono::steady_clock::now();
  const kb::plugins::ImporterRegistry registry;
  kb::ContentSet set = kb::load_content(content, registry.importers());
  const double read_ms = ms_since(t0);
  // The articles (indexes into set.articles, drafts left out), grouped by language as a
  // complete build writes them.
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < set.articles.size(); ++i) {
    if (set.articles[i].status != kb::Status::Draft) order.push_back(i);
  }
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t x, std::size_t y) { return set.articles[x].lang < set.articles[y].lang; });
  if (limit > 0 && order.size() > limit) order.resize(limit);
  std::vector<const kb::Article*> articles;
  for (const std::size_t i : order) articles.push_back(&set.articles[i]);
  if (articles.empty()) {
    std::fprintf(stderr, "no articles under %s\n", content.c_str());
    return 1;
  }
  if (!set.ok()) std::fprintf(stderr, "note: the content has errors that kb-index would refuse\n");

  // A subfolder of its own: nothing else under --work is touched.
  work /= "kb-bench-index-floor-" + std::to_string(::getpid());
  std::error_code ec;
  fs::remove_all(work, ec);
  fs::create_directories(work);
  struct Cleanup {
    fs::path dir;
    ~Cleanup() {
      std::error_code ignored;
      fs::remove_all(dir, ignored);
    }
  } cleanup{work};
  // Length-normalised wdfs as kb-index stores them, against the same sample's average.
  const double norm_length = kb::estimate_norm_length(set.articles, order);
  // Writer j takes batches j, j + writers, ... (kb_writer.cpp's shards).
  std::vector<std::vector<Xapian::Document>> built(writers);
  const double analyse_ms = on_threads(writers, [&](unsigned j) {
    std::map<std::string, std::unique_ptr<kb::Analyzer>> analyzers;
    std::vector<std::string> words;
    for (std::size_t start = j * batch; start < articles.size(); start += writers * batch) {
      for (std::size_t i = start; i < std::min(articles.size(), start + batch); ++i) {
        const kb::Article& a = *articles[i];
        auto& analyzer = analyzers[a.lang];
        if (!analyzer) analyzer = std::make_unique<kb::Analyzer>(a.lang);
        words.clear();
        built[j].push_back(kb::build_document(a, *analyzer, &words, norm_length));
        if (!strip.empty()) strip_parts(built[j].back(), strip);
      }
    }
  });
  const double xapian_ms = on_threads(writers, [&](unsigned j) {
    Xapian::WritableDatabase db((work / ("shard-" + std::to_string(j))).string(),
                                Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_BACKEND_GLASS | Xapian::DB_NO_SYNC,
                                static_cast<int>(block_size));
    std::size_t in_batch = 0;
    for (const auto& doc : built[j]) {
      db.add_document(doc);
      if (++in_batch == batch) {
        db.commit();
        in_batch = 0;
      }
    }
    db.commit();
    db.close();
  });
  built.clear();
  t0 = std::chrono::steady_clock::now();
  Xapian::Database all;
  for (unsigned j = 0; j < writers; ++j) all.add_database(Xapian::Database((work / ("shard-" + std::to_string(j))).string()));
  all.compact((work / "merged").string(), 0, static_cast<int>(block_size));
  const double merge_ms = ms_since(t0);

  const double n = static_cast<double>(articles.size());
  const double floor_s = (xapian_ms + merge_ms) / 1000.0;
  std::printf("records            %zu (%u writers, batches of %zu)\n", articles.size(), writers, batch);
  std::printf("read and import    %.0f ms (not in the floor)\n", read_ms);
  std::printf("analysis           %.0f ms  (build_document; kb-index's own work)\n", analyse_ms);
  std::printf("xapian add+commit  %.0f ms\n", xapian_ms);
  std::printf("xapian compaction  %.0f ms\n", merge_ms);
  std::printf("xapian floor       %.2f s = at most %.0f records/s with these writers\n", floor_s, n / floor_s);
  std::printf("all three steps    %.2f s = %.0f records/s\n", (analyse_ms + xapian_ms + merge_ms) / 1000.0,
              n / ((analyse_ms + xapian_ms + merge_ms) / 1000.0));
  return 0;
}

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "kb-bench-index-floor: %s\n", e.what());
  } catch (const Xapian::Error& e) {
    std::fprintf(stderr, "kb-bench-index-floor: %s\n", e.get_description().c_str());
  }
  return 1;
}
