// kb-bench-corpus: a deterministic multilingual corpus and query sets for benchmarks.
// Vocabulary comes from the bundled help center (content/articles), so words, lengths and
// scripts are those of real help-center text; word choice follows a Zipf law.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

// splitmix64: the same corpus on every machine and library version.
struct Rng {
  std::uint64_t s;
  std::uint64_t next() {
    std::uint64_t z = (s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  double uniform() { return (next() >> 11) * (1.0 / 9007199254740992.0); }
  std::size_t below(std::size_t n) { return n ? next() % n : 0; }
  int between(int lo, int hi) { return lo + static_cast<int>(below(static_cast<std::size_t>(hi - lo + 1))); }
};

// Zipf sampling over ranks 0..n-1 by inverse CDF on precomputed weights.
struct Zipf {
  std::vector<double> cdf;
  Zipf(std::size_t n, double s) {
    double sum = 0;
    for (std::size_t i = 1; i <= n; ++i) sum += 1.0 / std::pow(static_cast<double>(i), s);
    double acc = 0;
    for (std::size_t i = 1; i <= n; ++i) {
      acc += 1.0 / std::pow(static_cast<double>(i), s) / sum;
      cdf.push_back(acc);
    }
  }
  std::size_t sample(Rng& rng) const {
    return static_cast<std::size_t>(std::lower_bound(cdf.begin(), cdf.end(), rng.uniform()) - cdf.begin()) %
           cdf.size();
  }
};

struct Vocabulary {
  bool cjk = false;
  std::vector<std::string> words;  // by descending frequency
  std::unique_ptr<Zipf> zipf;
  std::string word(Rng& rng) const { return words[zipf->sample(rng)]; }
};

bool is_cjk_lead(unsigned char c) { return c >= 0xE3 && c <= 0xE9; }

// Words of a language's articles: Latin text split on non-letters; Japanese cut into
// 2-4 character chunks of its kana/kanji runs.
Vocabulary load_vocabulary(const fs::path& dir, bool cjk) {
  std::map<std::string, int> freq;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.path().extension() != ".md") continue;
    std::ifstream in(e.path());
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto end = text.find("\n---", 3);
    if (end != std::string::npos) text = text.substr(end + 4);  // body only
    if (!cjk) {
      std::string w;
      for (char ch : text) {
        const unsigned char c = static_cast<unsigned char>(ch);
        if (std::isalpha(c) || c >= 0x80 || ch == '-') {
          w.push_back(static_cast<char>(std::tolower(c)));
        } else {
          if (w.size() >= 2 && w.size() <= 24 && w.front() != '-') ++freq[w];
          w.clear();
        }
      }
    } else {
      std::vector<std::string> run;
      auto flush = [&] {
        for (std::size_t i = 0; i + 2 <= run.size(); i += 2) {
          std::string w;
          for (std::size_t k = i; k < run.size() && k < i + 2 + (i % 3); ++k) w += run[k];
          ++freq[w];
        }
        run.clear();
      };
      for (std::size_t i = 0; i < text.size();) {
        const unsigned char c = static_cast<unsigned char>(text[i]);
        if (is_cjk_lead(c) && i + 3 <= text.size()) {
          const std::string ch = text.substr(i, 3);
          if (ch == "\xE3\x80\x82" || ch == "\xE3\x80\x81") flush();  // 。、
          else run.push_back(ch);
          i += 3;
        } else {
          flush();
          i += (c < 0x80) ? 1 : (c < 0xE0 ? 2 : (c < 0xF0 ? 3 : 4));
        }
      }
      flush();
    }
  }
  std::vector<std::pair<int, std::string>> by_freq;
  for (auto& [w, n] : freq) by_freq.emplace_back(-n, w);
  std::sort(by_freq.begin(), by_freq.end());
  Vocabulary v;
  v.cjk = cjk;
  for (auto& [n, w] : by_freq) v.words.push_back(w);
  v.zipf = std::make_unique<Zipf>(v.words.size(), 1.0);
  return v;
}

std::string sentence(const Vocabulary& v, Rng& rng, int words) {
  std::string out;
  for (int i = 0; i < words; ++i) {
    if (!v.cjk && i) out += ' ';
    out += v.word(rng);
  }
  return out;
}

std::string yaml_quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

struct Record {
  std::string id, lang, title, body, category;
};

}  // namespace

int main(int argc, char** argv) {
  std::size_t records = 10000;
  std::size_t unique_queries = 5000;
  std::string vocab_dir = "content/articles";
  std::string out_dir, query_dir;
  std::uint64_t seed = 42;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() { return i + 1 < argc ? std::string(argv[++i]) : std::string(); };
    if (a == "--records") records = std::stoul(next());
    else if (a == "--queries") unique_queries = std::stoul(next());
    else if (a == "--vocabulary") vocab_dir = next();
    else if (a == "--out") out_dir = next();
    else if (a == "--query-out") query_dir = next();
    else if (a == "--seed") seed = std::stoull(next());
    else {
      std::fprintf(stderr,
                   "usage: kb-bench-corpus --records N --out DIR --query-out DIR "
                   "[--queries N] [--vocabulary content/articles] [--seed S]\n");
      return 2;
    }
  }
  if (out_dir.empty() || query_dir.empty()) {
    std::fprintf(stderr, "kb-bench-corpus: --out and --query-out are required\n");
    return 2;
  }
  // Language mix of a multinational help center.
  const std::vector<std::pair<std::string, double>> mix = {
      {"en", 0.40}, {"de", 0.20}, {"fr", 0.15}, {"es", 0.10}, {"ja", 0.15}};
  std::map<std::string, Vocabulary> vocab;
  for (const auto& [lang, share] : mix) {
    vocab.emplace(lang, load_vocabulary(fs::path(vocab_dir) / lang, lang == "ja"));
    if (vocab[lang].words.size() < 50) {
      std::fprintf(stderr, "kb-bench-corpus: too few words for %s in %s\n", lang.c_str(), vocab_dir.c_str());
      return 1;
    }
  }
  const std::vector<std::string> categories = {"account", "billing", "internet", "mobile",
                                               "tv", "orders", "privacy", "business"};
  Rng rng{seed};
  std::vector<Record> sample;  // kept for query generation
  fs::create_directories(out_dir);
  for (std::size_t n = 0; n < records; ++n) {
    double r = rng.uniform();
    std::string lang = mix.back().first;
    for (const auto& [l, share] : mix) {
      if (r < share) {
        lang = l;
        break;
      }
      r -= share;
    }
    const Vocabulary& v = vocab.at(lang);
    Record rec;
    rec.id = "item-" + std::to_string(n);
    rec.lang = lang;
    rec.title = sentence(v, rng, v.cjk ? rng.between(3, 6) : rng.between(4, 9));
    const std::string summary = sentence(v, rng, v.cjk ? rng.between(8, 16) : rng.between(14, 30));
    rec.category = categories[rng.below(categories.size())];
    std::ostringstream body;
    const int paragraphs = rng.between(2, 5);
    for (int p = 0; p < paragraphs; ++p) {
      body << sentence(v, rng, v.cjk ? rng.between(15, 60) : rng.between(25, 90)) << (v.cjk ? "\xE3\x80\x82" : ".") << "\n\n";
    }
    rec.body = body.str();
    const fs::path dir = fs::path(out_dir) / lang / std::to_string(n / 1000);
    if (n % 1000 == 0 || !fs::exists(dir)) fs::create_directories(dir);
    std::ofstream out(dir / (rec.id + ".md"));
    out << "---\nid: " << rec.id << "\nlang: " << lang << "\ntitle: " << yaml_quote(rec.title)
        << "\nsummary: " << yaml_quote(summary) << "\nquestions:\n  - "
        << yaml_quote(sentence(v, rng, v.cjk ? 3 : rng.between(3, 7))) << "\n  - "
        << yaml_quote(sentence(v, rng, v.cjk ? 3 : rng.between(3, 7))) << "\ncategory: " << rec.category
        << "\ntags: [t" << rng.below(30) << ", t" << rng.below(30) << "]\nupdated: 2026-0"
        << rng.between(1, 9) << "-1" << rng.below(10) << "\n---\n"
        << rec.body;
    if (sample.size() < 200000 && (n % 5 == 0 || records <= 200000)) sample.push_back(rec);
  }

  // Unique queries: no query repeats, so no cache can help.
  fs::create_directories(query_dir);
  std::ofstream unique(fs::path(query_dir) / "unique.tsv");
  unique << "kind\tlang\tquery\tcategory\n";
  std::set<std::string> seen;
  const std::vector<std::string> kinds = {"keyword", "keyword", "phrase", "prefix", "filtered", "cjk"};
  std::vector<std::string> lines;
  for (std::size_t attempts = 0; lines.size() < unique_queries && attempts < unique_queries * 20; ++attempts) {
    const std::string kind = kinds[rng.below(kinds.size())];
    const Record* rec = nullptr;
    for (int t = 0; t < 50; ++t) {
      const Record& c = sample[rng.below(sample.size())];
      if ((kind == "cjk") == (c.lang == "ja")) {
        rec = &c;
        break;
      }
    }
    if (!rec) continue;
    std::string q;
    if (kind == "cjk") {
      // 4-8 characters of the body, no spaces.
      const std::string& b = rec->body;
      std::size_t pos = rng.below(b.size() / 3) * 3;
      std::string s;
      for (std::size_t i = pos; i + 3 <= b.size() && s.size() < 3u * rng.between(4, 8); i += 3) {
        if (!is_cjk_lead(static_cast<unsigned char>(b[i])) || b.compare(i, 3, "\xE3\x80\x82") == 0) break;
        s += b.substr(i, 3);
      }
      if (s.size() < 12) continue;
      q = s;
    } else {
      std::istringstream words(rec->title + " " + rec->body);
      std::vector<std::string> w;
      std::string x;
      while (words >> x) {
        while (!x.empty() && (x.back() == '.')) x.pop_back();
        if (!x.empty()) w.push_back(x);
      }
      if (w.size() < 4) continue;
      const std::size_t at = rng.below(w.size() - 3);
      if (kind == "phrase") {
        q = w[at] + " " + w[at + 1] + " " + w[at + 2];
      } else if (kind == "prefix") {
        const std::string& last = w[at + 1];
        if (last.size() < 5) continue;
        // Drop the last two characters, not bytes: a cut inside a UTF-8 sequence is a query
        // the server rightly rejects (400), which measured nothing.
        std::size_t cut = last.size();
        for (int chars = 0; chars < 2 && cut > 0;) {
          --cut;
          if ((static_cast<unsigned char>(last[cut]) & 0xC0) != 0x80) ++chars;
        }
        if (cut == 0) continue;
        q = w[at] + " " + last.substr(0, cut);
      } else {
        q = w[rng.below(w.size())] + " " + w[rng.below(w.size())];
        if (rng.below(2)) q += " " + w[rng.below(w.size())];
      }
    }
    if (!seen.insert(rec->lang + "|" + q).second) continue;
    lines.push_back(kind + "\t" + rec->lang + "\t" + q + "\t" + (kind == "filtered" ? rec->category : ""));
  }
  for (const auto& l : lines) unique << l << "\n";

  // A Zipf mix like real help-center traffic: a few questions asked again and again.
  std::ofstream zipf(fs::path(query_dir) / "zipf.tsv");
  zipf << "kind\tlang\tquery\tcategory\n";
  const std::size_t distinct = std::min<std::size_t>(500, lines.size());
  Zipf popularity(distinct, 1.1);
  for (std::size_t i = 0; i < lines.size(); ++i) zipf << lines[popularity.sample(rng)] << "\n";

  std::printf("kb-bench-corpus: %zu records in %s, %zu unique queries in %s\n", records,
              out_dir.c_str(), lines.size(), query_dir.c_str());
  return 0;
}
