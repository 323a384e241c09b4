// kb-bench-events: what recording an event costs the search path, in-process. Rounds of
// "search" and "search + record" alternate over the same queries (the way GET /v1/search
// records: redaction, the top ids, a queue push; the writer thread runs meanwhile), with the
// result cache off (every search does the full work) and on (the cheapest searches, so the
// largest relative cost); then over HTTP, GET /v1/search on two in-process servers sharing
// one knowledge base, one recording and one not, over keep-alive loopback connections.
// Prints the medians of the rounds and the overhead (docs/performance.md#recording-events).
//   kb-bench-events --kb DIR [--rounds 15] [--repeat 20] [--queries FILE.tsv]
#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <thread>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include <httplib.h>

#include "event_store.h"
#include "http_server.h"
#include "knowledge_base.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Query {
  std::string lang, text;
};

// Questions customers ask of the bundled content (content/), in its languages.
const std::vector<Query> kDefaultQueries = {
    {"en", "reset password"},          {"en", "my wifi is slow"},        {"en", "cancel my contract"},
    {"en", "how do I pay my bill"},    {"en", "roaming abroad charges"}, {"en", "port my number"},
    {"en", "hub lights meaning"},      {"en", "lost or stolen phone"},   {"en", "set up voicemail"},
    {"en", "upgrade plan"},            {"en", "esim"},                   {"en", "my email is jo@example.com"},
    {"de", "Passwort zurücksetzen"},   {"de", "WLAN langsam"},           {"de", "Vertrag kündigen"},
    {"fr", "réinitialiser mot de passe"}, {"fr", "wifi lent"},           {"fr", "résilier contrat"},
    {"ja", "パスワード リセット"},      {"ja", "wifi 遅い"},               {"", "router restart"},
    {"", "data allowance"},            {"en", "xyzzy plugh"},            {"en", "track order"},
};

std::vector<Query> load(const std::string& path) {
  std::vector<Query> out;
  std::ifstream in(path);
  std::string line, kind;
  std::getline(in, line);  // header: kind lang text ...
  while (std::getline(in, line)) {
    std::istringstream cols(line);
    Query q;
    std::getline(cols, kind, '\t');
    std::getline(cols, q.lang, '\t');
    std::getline(cols, q.text, '\t');
    if (!q.text.empty()) out.push_back(std::move(q));
  }
  return out;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

// Nanoseconds per query of one round: every query `repeat` times.
double round_ns(kb::search::KnowledgeBase& kb, kb::events::EventStore* store, const std::vector<Query>& queries,
                int repeat) {
  std::size_t sink = 0;
  const auto t0 = Clock::now();
  for (int r = 0; r < repeat; ++r) {
    for (const Query& q : queries) {
      kb::search::SearchRequest req;
      req.query = q.text;
      req.lang = q.lang;
      const kb::search::SearchResponse res = kb.search(req);
      sink += res.hits.size();
      if (store) {
        // What handle_search records.
        kb::events::Event e;
        e.type = kb::events::EventType::Search;
        e.session = "bench-session";
        e.channel = req.channel;
        e.lang = !res.served_lang.empty() ? res.served_lang : req.lang;
        e.query = req.query;
        e.results = static_cast<std::int64_t>(res.total);
        for (std::size_t i = 0; i < res.hits.size() && i < 5; ++i) e.top.push_back(res.hits[i].id);
        store->record(std::move(e));
      }
    }
  }
  const double ns = std::chrono::duration<double, std::nano>(Clock::now() - t0).count();
  if (sink == 42424242) std::puts("");  // keeps the searches from being optimised away
  return ns / static_cast<double>(repeat * queries.size());
}

std::string encode(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c)) {
      out.push_back(static_cast<char>(c));
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

double get_us(httplib::Client& client, const std::string& target) {
  const auto t0 = Clock::now();
  auto res = client.Get(target.c_str(), {{"X-Session-Id", "bench-session"}});
  if (!res || res->status != 200) {
    std::fprintf(stderr, "kb-bench-events: %s failed\n", target.c_str());
    std::exit(1);
  }
  return std::chrono::duration<double, std::micro>(Clock::now() - t0).count();
}

// Microseconds per GET /v1/search of one round on each server, over keep-alive connections.
// The two servers take turns request by request (which one goes first alternates), so a
// burst of load on the shared machine hits both alike.
std::pair<double, double> http_round_us(httplib::Client& a, httplib::Client& b, const std::vector<std::string>& targets,
                                        int repeat) {
  double ta = 0, tb = 0;
  bool a_first = true;
  for (int r = 0; r < repeat; ++r) {
    for (const auto& t : targets) {
      if (a_first) {
        ta += get_us(a, t);
        tb += get_us(b, t);
      } else {
        tb += get_us(b, t);
        ta += get_us(a, t);
      }
      a_first = !a_first;
    }
  }
  const double n = static_cast<double>(repeat * targets.size());
  return {ta / n, tb / n};
}

// A kb-server HttpServer on 127.0.0.1 and a free port, serving on its own thread.
struct LocalServer {
  kb::server::ServerConfig config;
  std::unique_ptr<kb::server::HttpServer> server;
  std::thread thread;
  int port = 0;
  LocalServer(kb::search::KnowledgeBase& kb, kb::events::EventStore* store) {
    config.kb_dir = "unused";
    config.port = 0;
    config.threads = 4;
    config.access_log = false;
    server = std::make_unique<kb::server::HttpServer>(config, kb, store);
    port = server->bind();
    thread = std::thread([this] { server->serve(); });
  }
  ~LocalServer() {
    server->stop();
    thread.join();
  }
};

}  // namespace

int main(int argc, char** argv) {
  std::string kb_dir, queries_file;
  int rounds = 15, repeat = 20;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--kb") kb_dir = argv[i + 1];
    else if (a == "--rounds") rounds = std::max(1, std::atoi(argv[i + 1]));
    else if (a == "--repeat") repeat = std::max(1, std::atoi(argv[i + 1]));
    else if (a == "--queries") queries_file = argv[i + 1];
  }
  if (kb_dir.empty()) {
    std::fprintf(stderr, "usage: kb-bench-events --kb DIR [--rounds N] [--repeat N] [--queries FILE.tsv]\n");
    return 2;
  }
  const std::vector<Query> queries = queries_file.empty() ? kDefaultQueries : load(queries_file);
  const auto db_dir = std::filesystem::temp_directory_path() / ("kb-bench-events-" + std::to_string(::getpid()));
  std::filesystem::create_directories(db_dir);
  std::printf("%zu queries x %d per round, %d rounds of each kind, alternating\n\n", queries.size(), repeat, rounds);
  std::printf("%-10s %16s %20s %10s %12s\n", "cache", "search (us)", "search+record (us)", "overhead", "record (us)");
  for (const bool cache : {false, true}) {
    kb::search::SearchSettings settings;
    settings.cache_entries = cache ? 10000 : 0;
    kb::search::KnowledgeBase kb(kb_dir, settings);
    kb::events::StoreSettings ss;
    ss.path = db_dir / (cache ? "cached.db" : "plain.db");
    ss.queue_capacity = 1000000;  // measure the queue push, not the drop path
    auto store = std::make_unique<kb::events::EventStore>(ss);
    round_ns(kb, nullptr, queries, 2);  // warm the searchers and the cache
    round_ns(kb, store.get(), queries, 1);
    std::vector<double> plain, recorded, diffs;
    for (int r = 0; r < rounds; ++r) {
      const double a = round_ns(kb, nullptr, queries, repeat);
      const double b = round_ns(kb, store.get(), queries, repeat);
      plain.push_back(a);
      recorded.push_back(b);
      diffs.push_back((b - a) / a);
    }
    // The cost of record() alone, for scale.
    std::vector<double> rec;
    for (int r = 0; r < rounds; ++r) {
      const auto t0 = Clock::now();
      for (int i = 0; i < 1000; ++i) {
        kb::events::Event e;
        e.type = kb::events::EventType::Search;
        e.session = "bench-session";
        e.channel = "web";
        e.lang = "en";
        e.query = queries[static_cast<std::size_t>(i) % queries.size()].text;
        e.results = 3;
        e.top = {"reset-password", "account-locked", "wifi-slow"};
        store->record(std::move(e));
      }
      rec.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count() / 1000);
    }
    store->flush();
    std::printf("%-10s %16.2f %20.2f %9.2f%% %12.3f\n", cache ? "on" : "off", median(plain) / 1000,
                median(recorded) / 1000, median(diffs) * 100, median(rec));
    std::printf("%-10s written %llu events, dropped %llu\n", "", static_cast<unsigned long long>(store->written()),
                static_cast<unsigned long long>(store->dropped()));
  }

  // The whole search path as a client sees it (result cache on, as served).
  {
    kb::search::KnowledgeBase kb(kb_dir, kb::search::SearchSettings{});
    kb::events::StoreSettings ss;
    ss.path = db_dir / "http.db";
    ss.queue_capacity = 1000000;
    kb::events::EventStore store(ss);
    LocalServer plain_server(kb, nullptr), recording_server(kb, &store);
    httplib::Client plain("127.0.0.1", plain_server.port), recording("127.0.0.1", recording_server.port);
    plain.set_keep_alive(true);
    recording.set_keep_alive(true);
    std::vector<std::string> targets;
    for (const auto& q : queries) {
      targets.push_back("/v1/search?q=" + encode(q.text) + (q.lang.empty() ? "" : "&lang=" + q.lang));
    }
    http_round_us(plain, recording, targets, 2);
    std::vector<double> a, b, diffs;
    for (int r = 0; r < rounds; ++r) {
      const auto [x, y] = http_round_us(plain, recording, targets, repeat);
      a.push_back(x);
      b.push_back(y);
      diffs.push_back((y - x) / x);
    }
    store.flush();
    std::printf("\n%-10s %16s %20s %10s\n", "HTTP", "GET /v1/search", "... recording (us)", "overhead");
    std::printf("%-10s %16.2f %20.2f %9.2f%%\n", "cache on", median(a), median(b), median(diffs) * 100);
    std::printf("%-10s written %llu events, dropped %llu\n", "", static_cast<unsigned long long>(store.written()),
                static_cast<unsigned long long>(store.dropped()));
  }
  std::error_code ec;
  std::filesystem::remove_all(db_dir, ec);
  std::printf("\noverhead: median over rounds of (search+record - search) / search\n");
  return 0;
}
