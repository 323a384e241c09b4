// kb-bench-fts5: the SQLite FTS5 peer for benchmarks. Loads the same corpus into FTS5
// (bm25; unicode61 for space-separated languages, trigram for Japanese) and serves
// GET /search?q=&lang=&mode=and|or&cat=&prefix=true|false behind the same cpp-httplib set-up
// as kb-server: `cat` filters on the category as kb-server's category= does, and
// prefix=true makes the last word a prefix (FTS5's "word"*), as kb-server expands an
// unfinished last word.
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sqlite3.h>

#include <httplib.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace fs = std::filesystem;

namespace {

struct Doc {
  std::string id, lang, title, summary, category, body;
};

std::string field(const std::string& front, const std::string& name) {
  const auto p = front.find("\n" + name + ": ");
  if (p == std::string::npos) return "";
  auto s = front.substr(p + name.size() + 3);
  s = s.substr(0, s.find('\n'));
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
  return s;
}

bool parse(const fs::path& p, Doc& d) {
  std::ifstream in(p);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto end = text.find("\n---\n", 3);
  if (text.rfind("---\n", 0) != 0 || end == std::string::npos) return false;
  const std::string front = "\n" + text.substr(4, end - 3);
  d.id = field(front, "id");
  d.lang = field(front, "lang");
  d.title = field(front, "title");
  d.summary = field(front, "summary");
  d.category = field(front, "category");
  d.body = text.substr(end + 5);
  return !d.id.empty();
}

void check(int rc, sqlite3* db, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    std::fprintf(stderr, "kb-bench-fts5: %s: %s\n", what, sqlite3_errmsg(db));
    std::exit(1);
  }
}

// An FTS5 MATCH expression: every word quoted (no syntax injection), joined by AND or OR;
// with `prefix`, the last word matches every word it begins ("passw"*).
std::string match_expression(const std::string& q, bool any, bool prefix) {
  std::istringstream words(q);
  std::string w, out;
  while (words >> w) {
    std::string quoted = "\"";
    for (char c : w) {
      if (c == '"') quoted += "\"\"";
      else quoted += c;
    }
    quoted += "\"";
    if (!out.empty()) out += any ? " OR " : " AND ";
    out += quoted;
  }
  if (prefix && !out.empty()) out += "*";
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::string corpus, db_path, groonga_json;
  bool serve = false;
  int threads = 64;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--corpus" && i + 1 < argc) corpus = argv[++i];
    else if (a == "--db" && i + 1 < argc) db_path = argv[++i];
    else if (a == "--groonga-json" && i + 1 < argc) groonga_json = argv[++i];
    else if (a == "--threads" && i + 1 < argc) threads = std::stoi(argv[++i]);
    else if (a == "--serve") serve = true;
  }
  if (!groonga_json.empty() && !corpus.empty()) {
    // The same records as Groonga load data.
    std::ofstream out(groonga_json);
    out << "[\n";
    bool first = true;
    for (const auto& e : fs::recursive_directory_iterator(corpus)) {
      if (e.path().extension() != ".md") continue;
      Doc d;
      if (!parse(e.path(), d)) continue;
      out << (first ? "" : ",\n")
          << nlohmann::json{{"_key", d.id + "@" + d.lang}, {"lang", d.lang}, {"category", d.category},
                            {"title", d.title}, {"body", d.summary + "\n" + d.body}}
                 .dump();
      first = false;
    }
    out << "\n]\n";
    return 0;
  }
  if (db_path.empty()) {
    std::fprintf(stderr,
                 "usage: kb-bench-fts5 --db FILE [--corpus DIR] [--serve] | --corpus DIR --groonga-json FILE\n");
    return 2;
  }
  if (!corpus.empty()) {
    fs::remove(db_path);
    sqlite3* db = nullptr;
    check(sqlite3_open(db_path.c_str(), &db), db, "open");
    check(sqlite3_exec(db,
                       "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
                       "CREATE TABLE docs(rowid INTEGER PRIMARY KEY, id TEXT, lang TEXT, title TEXT, summary TEXT, category TEXT);"
                       "CREATE VIRTUAL TABLE words USING fts5(title, body, tokenize='unicode61 remove_diacritics 2');"
                       "CREATE VIRTUAL TABLE grams USING fts5(title, body, tokenize='trigram');",
                       nullptr, nullptr, nullptr),
          db, "schema");
    const auto t0 = std::chrono::steady_clock::now();
    check(sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr), db, "begin");
    sqlite3_stmt *ins_doc, *ins_words, *ins_grams;
    sqlite3_prepare_v2(db, "INSERT INTO docs VALUES(?,?,?,?,?,?)", -1, &ins_doc, nullptr);
    sqlite3_prepare_v2(db, "INSERT INTO words(rowid,title,body) VALUES(?,?,?)", -1, &ins_words, nullptr);
    sqlite3_prepare_v2(db, "INSERT INTO grams(rowid,title,body) VALUES(?,?,?)", -1, &ins_grams, nullptr);
    long long rowid = 0;
    for (const auto& e : fs::recursive_directory_iterator(corpus)) {
      if (e.path().extension() != ".md") continue;
      Doc d;
      if (!parse(e.path(), d)) continue;
      ++rowid;
      sqlite3_bind_int64(ins_doc, 1, rowid);
      sqlite3_bind_text(ins_doc, 2, d.id.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(ins_doc, 3, d.lang.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(ins_doc, 4, d.title.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(ins_doc, 5, d.summary.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(ins_doc, 6, d.category.c_str(), -1, SQLITE_TRANSIENT);
      check(sqlite3_step(ins_doc), db, "insert doc");
      sqlite3_reset(ins_doc);
      sqlite3_stmt* ins = d.lang == "ja" ? ins_grams : ins_words;
      sqlite3_bind_int64(ins, 1, rowid);
      sqlite3_bind_text(ins, 2, d.title.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(ins, 3, (d.summary + "\n" + d.body).c_str(), -1, SQLITE_TRANSIENT);
      check(sqlite3_step(ins), db, "insert text");
      sqlite3_reset(ins);
    }
    sqlite3_finalize(ins_doc);
    sqlite3_finalize(ins_words);
    sqlite3_finalize(ins_grams);
    check(sqlite3_exec(db, "COMMIT; INSERT INTO words(words) VALUES('optimize'); INSERT INTO grams(grams) VALUES('optimize');",
                       nullptr, nullptr, nullptr),
          db, "commit");
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("kb-bench-fts5: loaded %lld records in %.2f s (%.0f records/s)\n", rowid, s, rowid / s);
    sqlite3_close(db);
  }
  if (!serve) return 0;

  httplib::Server http;
  http.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<std::size_t>(threads)); };
  http.set_tcp_nodelay(true);
  // One read-only connection per worker thread, like kb-server's per-thread handles.
  http.Get("/search", [&](const httplib::Request& req, httplib::Response& res) {
    thread_local sqlite3* db = nullptr;
    thread_local sqlite3_stmt* by_words = nullptr;
    thread_local sqlite3_stmt* by_grams = nullptr;
    if (!db) {
      sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr);
      sqlite3_prepare_v2(db,
                         "SELECT d.id, d.title, d.summary, snippet(words, 1, '<mark>', '</mark>', '…', 12), bm25(words, 3.0, 1.0) AS s "
                         "FROM words JOIN docs d ON d.rowid = words.rowid WHERE words MATCH ?1 AND d.lang = ?2 "
                         "AND (?3 = '' OR d.category = ?3) ORDER BY s LIMIT 10",
                         -1, &by_words, nullptr);
      sqlite3_prepare_v2(db,
                         "SELECT d.id, d.title, d.summary, snippet(grams, 1, '<mark>', '</mark>', '…', 12), bm25(grams, 3.0, 1.0) AS s "
                         "FROM grams JOIN docs d ON d.rowid = grams.rowid WHERE grams MATCH ?1 "
                         "AND (?3 = '' OR d.category = ?3) ORDER BY s LIMIT 10",
                         -1, &by_grams, nullptr);
    }
    const std::string q = req.get_param_value("q");
    const std::string lang = req.get_param_value("lang");
    const bool any = req.get_param_value("mode") == "or";
    sqlite3_stmt* st = lang == "ja" ? by_grams : by_words;
    const std::string category = req.get_param_value("cat");
    const std::string expr = match_expression(q, any, req.get_param_value("prefix") == "true");
    sqlite3_bind_text(st, 1, expr.c_str(), -1, SQLITE_TRANSIENT);
    if (st == by_words) sqlite3_bind_text(st, 2, lang.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, category.c_str(), -1, SQLITE_TRANSIENT);
    nlohmann::json results = nlohmann::json::array();
    while (sqlite3_step(st) == SQLITE_ROW) {
      auto col = [&](int i) {
        const auto* t = sqlite3_column_text(st, i);
        return t ? std::string(reinterpret_cast<const char*>(t)) : std::string();
      };
      results.push_back({{"id", col(0)}, {"title", col(1)}, {"summary", col(2)}, {"snippet", col(3)}});
    }
    sqlite3_reset(st);
    res.set_content(nlohmann::json{{"results", results}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                    "application/json");
  });
  http.Get("/health", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("{\"status\":\"ok\"}", "application/json");
  });
  const int bound = http.bind_to_any_port("127.0.0.1");
  std::printf("kb-bench-fts5: listening on http://127.0.0.1:%d\n", bound);
  std::fflush(stdout);
  http.listen_after_bind();
  return 0;
}
