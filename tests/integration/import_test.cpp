// Every channel's exports into one knowledge base, end to end: the Debian FAQ (DocBook HTML
// from the debian-faq packages) laid out one folder per language, and incremental builds.
#include <doctest/doctest.h>

#include <httplib.h>

#include <filesystem>
#include <regex>

#include <nlohmann/json.hpp>

#include "process.h"
#include "temp_dir.h"

using nlohmann::json;
using kb::test::run_command;
namespace fs = std::filesystem;

namespace {

const fs::path kFaq = "/usr/share/doc/debian/FAQ";

// Copies the installed FAQ into content/<lang>/, keeping its symbolic links
// (basic-defs.html -> basic-defs.en.html) so duplicates are seen as the loader sees them.
std::vector<std::string> lay_out_faq(const fs::path& content) {
  std::vector<std::string> langs;
  auto copy_html = [&](const fs::path& from, const std::string& lang) {
    fs::create_directories(content / lang);
    for (const auto& e : fs::directory_iterator(from)) {
      if (e.path().extension() != ".html") continue;
      fs::copy(e.path(), content / lang / e.path().filename(), fs::copy_options::copy_symlinks);
    }
    langs.push_back(lang);
  };
  copy_html(kFaq, "en");
  for (const char* lang : {"de", "fr", "it", "zh-cn"}) {
    if (fs::is_directory(kFaq / lang)) copy_html(kFaq / lang, lang);
  }
  return langs;
}

json get_json(httplib::Client& client, const std::string& path) {
  auto res = client.Get(path);
  REQUIRE(res);
  INFO(path << " -> " << res->status << " " << res->body);
  REQUIRE(res->status == 200);
  return json::parse(res->body);
}

// The import fixture in dir/content, with its symlinked duplicate a link again (copy_tree
// follows links).
void copy_import_fixture(const kb::test::TempDir& dir) {
  kb::test::copy_tree(std::string(KB_FIXTURES) + "/import", dir / "content");
  std::filesystem::remove(dir / "content/help-center/en/billing-copy.html");
  std::filesystem::create_symlink("billing.html", dir / "content/help-center/en/billing-copy.html");
}

std::string incremental_line(const std::string& out) {
  std::smatch m;
  static const std::regex line("incremental: ([0-9]+) of ([0-9]+) files parsed, ([0-9]+) documents written");
  return std::regex_search(out, m, line) ? m[1].str() + "/" + m[2].str() + "/" + m[3].str() : "";
}

// The phases of "time: T ms (read R, import I, analyse and write W, merge M, spelling S, sync Y)",
// checked to be there and to add up to no more than the total; empty when the line is missing.
std::vector<double> time_line(const std::string& out) {
  std::smatch m;
  static const std::regex line(
      "time: ([0-9]+) ms \\(read ([0-9]+), import ([0-9]+), analyse and write ([0-9]+), merge ([0-9]+), "
      "spelling ([0-9]+), sync ([0-9]+)\\)");
  if (!std::regex_search(out, m, line)) return {};
  std::vector<double> v;
  for (std::size_t i = 1; i < m.size(); ++i) v.push_back(std::stod(m[i].str()));
  return v;
}

}  // namespace

TEST_CASE("the Debian FAQ, one folder per language, imports with its translations linked") {
  REQUIRE_MESSAGE(fs::is_directory(kFaq / "de"), "install debian-faq and debian-faq-de (tools/setup.sh)");
  kb::test::TempDir dir;
  const auto langs = lay_out_faq(dir / "content");
  CHECK(langs.size() >= 2);
  CHECK(fs::is_symlink(dir / "content/en/basic-defs.html"));

  const auto v = run_command({kb::test::kb_index_path(), "validate", "--json", "--content", (dir / "content").string()});
  INFO(v.err);
  CHECK(v.exit_code == 0);
  const auto validation = json::parse(v.out);
  CHECK(validation["errors"] == 0);
  CHECK(validation["articles"].get<int>() > 100 * static_cast<int>(langs.size()));

  const auto b = run_command({kb::test::kb_index_path(), "build", "--content", (dir / "content").string(), "--out",
                              (dir / "kb").string()});
  INFO(b.err);
  REQUIRE(b.exit_code == 0);
  kb::test::ServerProcess server(dir / "kb");
  httplib::Client client("127.0.0.1", server.port());

  // The FAQ's first question, in English and German: one knowledge item.
  auto en = get_json(client, "/v1/articles/basic-defs.whatisfaq?lang=en&channel=json");
  CHECK(en["title"] == "What is this FAQ?");
  CHECK(en["lang"] == "en");
  auto de = get_json(client, "/v1/articles/basic-defs.whatisfaq?lang=de&channel=json");
  CHECK(de["title"] == "Was ist diese FAQ?");
  CHECK(de["lang"] == "de");
  for (const auto& lang : langs) {
    auto a = get_json(client, "/v1/articles/basic-defs.whatisdebian?lang=" + lang + "&channel=json");
    CHECK(a["lang"] == lang);
    CHECK(a["id"] == "basic-defs.whatisdebian");
  }
  // Bodies are Markdown without the page's navigation.
  const std::string body = en["body_markdown"].get<std::string>();
  CHECK(body.find("This document gives frequently asked questions") != std::string::npos);
  CHECK(body.find("Prev") == std::string::npos);

  // A search finds a known question, and its translations collapse into one result.
  auto s = get_json(client, "/v1/search?q=how+does+one+pronounce+Debian&lang=en");
  REQUIRE(s["results"].size() > 0);
  CHECK(s["results"][0]["id"] == "basic-defs.pronunciation");
  auto sde = get_json(client, "/v1/search?q=Debian+aussprechen&lang=de");
  REQUIRE(sde["results"].size() > 0);
  CHECK(sde["results"][0]["id"] == "basic-defs.pronunciation");

  // The whole FAQ is translated: no translation is reported missing for German.
  const auto r = run_command({kb::test::kb_index_path(), "report", "--json", "--content", (dir / "content").string()});
  REQUIRE(r.exit_code == 0);
  const auto report = json::parse(r.out);
  CHECK(report["languages"].size() == langs.size());
  CHECK(report["items"].get<int>() > 100);
}

TEST_CASE("incremental builds parse only changed files and give the same base as a full build") {
  kb::test::TempDir dir;
  copy_import_fixture(dir);
  const std::string content = (dir / "content").string();
  // --keep 0: every incremental build starts from a copy of the live generation, so the
  // counts are exactly this build's changes (recycling is the next test's subject).
  auto build = [&](const std::string& kb, bool full = false) {
    std::vector<std::string> argv = {kb::test::kb_index_path(), "build", "--content", content, "--out", kb,
                                     "--keep", "0"};
    if (full) argv.push_back("--full");
    auto r = run_command(argv);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    return r.out;
  };
  const std::string kb = (dir / "kb").string();
  const std::string first = build(kb);
  CHECK(incremental_line(first).empty());  // no live generation yet: a full build
  CHECK(fs::exists(dir / "kb/gen-000001/kb-manifest.tsv"));

  // Nothing changed: nothing parsed, nothing analysed.
  CHECK(incremental_line(build(kb)) == "0/10/0");

  // One page changed: that file only; its two items are analysed again.
  {
    std::string page = kb::test::read_file(dir / "content/help-center/de/billing.html");
    page.replace(page.find("Lastschrift"), 11, "Zebrakarte");
    dir.write("content/help-center/de/billing.html", page);
  }
  const std::string changed = build(kb);
  CHECK(incremental_line(changed) == "1/10/2");
  // A change to an item with variants in other files parses those files too.
  {
    std::string md = kb::test::read_file(dir / "content/articles/en/reset-password.md");
    md.replace(md.find("within 24 hours"), 15, "within one day");
    dir.write("content/articles/en/reset-password.md", md);
  }
  CHECK(incremental_line(build(kb)) == "3/10/1");
  // A removed file's items leave the base.
  fs::remove(dir / "content/chatbot/de/faq.csv");
  const std::string removed = build(kb);
  CHECK(incremental_line(removed) == "0/9/0");

  // The same counts as a full build of the same content.
  const std::string full = build((dir / "kb-full").string(), true);
  auto counts = [](const std::string& out) { return out.substr(out.find(':'), out.find('\n') - out.find(':')); };
  CHECK(counts(removed) == counts(full));

  kb::test::ServerProcess server(dir / "kb");
  httplib::Client client("127.0.0.1", server.port());
  auto s = get_json(client, "/v1/search?q=Zebrakarte&lang=de");
  REQUIRE(s["results"].size() == 1);
  CHECK(s["results"][0]["id"] == "billing.payment-methods");
  auto gone = get_json(client, "/v1/search?q=Wochenende&lang=de&prefix=false");
  CHECK(gone["results"].size() == 0);
  auto reset = get_json(client, "/v1/search?q=within+one+day&lang=en&prefix=false");
  REQUIRE(reset["results"].size() > 0);
  CHECK(reset["results"][0]["id"] == "reset-password");
}

TEST_CASE("incremental builds recycle a retired generation, catch up on its changes, and match a full build") {
  kb::test::TempDir dir;
  copy_import_fixture(dir);
  const std::string content = (dir / "content").string();
  const std::string kb = (dir / "kb").string();
  auto build = [&](std::vector<std::string> extra = {}) {
    std::vector<std::string> argv = {kb::test::kb_index_path(), "build", "--content", content, "--out", kb};
    argv.insert(argv.end(), extra.begin(), extra.end());
    auto r = run_command(argv);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    return r.out;
  };
  auto edit = [&](const std::string& path, const std::string& from, const std::string& to) {
    std::string text = kb::test::read_file(dir / "content" / path);
    REQUIRE(text.find(from) != std::string::npos);
    text.replace(text.find(from), from.size(), to);
    dir.write("content/" + path, text);
  };
  // Every build says where its time went; the phases (each rounded) add up to the total at most.
  const auto phases_add_up = [](const std::string& out) {
    const auto t = time_line(out);
    INFO(out);
    REQUIRE(t.size() == 7);
    CHECK(t[1] + t[2] + t[3] + t[4] + t[5] + t[6] <= t[0] + 6);
  };
  phases_add_up(build());                         // gen-000001, full
  const std::string second = build();
  CHECK(second.find("(copied)") != std::string::npos);  // gen-000002: no retired generation yet
  phases_add_up(second);
  edit("help-center/de/billing.html", "Lastschrift", "Zebrakarte");
  const std::string third = build();              // gen-000003 from gen-000001, recycled
  CHECK(third.find("from gen-000001 (recycled)") != std::string::npos);
  CHECK(incremental_line(third) == "1/10/2");     // gen-000001 had the same content as gen-000002
  CHECK_FALSE(fs::exists(dir / "kb/gen-000001"));
  CHECK(fs::exists(dir / "kb/gen-000002"));
  edit("articles/en/reset-password.md", "within 24 hours", "within one day");
  const std::string fourth = build();             // from gen-000002: catches up on billing too
  CHECK(fourth.find("from gen-000002 (recycled)") != std::string::npos);
  CHECK(incremental_line(fourth) == "4/10/3");
  fs::remove(dir / "content/chatbot/de/faq.csv");
  const std::string fifth = build();              // from gen-000003: reset-password, faq.csv
  CHECK(incremental_line(fifth) == "3/9/1");

  // Every generation on disk is complete; the live one has the same counts as a full build.
  auto counts = [](const std::string& out) { return out.substr(out.find(':'), out.find('\n') - out.find(':')); };
  const std::string full = run_command({kb::test::kb_index_path(), "build", "--content", content, "--out",
                                        (dir / "kb-full").string(), "--full"}).out;
  CHECK(counts(fifth) == counts(full));
  kb::test::ServerProcess server(dir / "kb");
  httplib::Client client("127.0.0.1", server.port());
  auto s = get_json(client, "/v1/search?q=Zebrakarte&lang=de");
  REQUIRE(s["results"].size() == 1);
  CHECK(s["results"][0]["id"] == "billing.payment-methods");
  CHECK(get_json(client, "/v1/search?q=Wochenende&lang=de&prefix=false")["results"].size() == 0);
  auto reset = get_json(client, "/v1/search?q=within+one+day&lang=en&prefix=false");
  REQUIRE(reset["results"].size() > 0);
  CHECK(reset["results"][0]["id"] == "reset-password");
  const auto page = client.Get("/v1/articles/reset-password?lang=en&channel=web");
  REQUIRE(page);
  REQUIRE(page->status == 200);
  const std::string& article = page->body;
  CHECK(article.find("within one day") != std::string::npos);
  CHECK(article.find("within 24 hours") == std::string::npos);
}

TEST_CASE("incremental builds report the issues of unchanged files and survive a damaged manifest line") {
  kb::test::TempDir dir;
  copy_import_fixture(dir);
  // Warnings an unchanged file must keep giving: one from its importer (recorded in the
  // manifest) and one from the checks across files (made again on what was recorded).
  dir.write("content/articles/en/extra.md",
            "---\nid: extra\nlang: en\ntitle: Extra \"quoted\" title\nsummary: S\ncategory: c\n"
            "related: [nowhere]\ncolour: blue\n---\nBody.\n");
  const std::string content = (dir / "content").string();
  const std::string kb = (dir / "kb").string();
  auto build = [&](bool full = false) {
    std::vector<std::string> argv = {kb::test::kb_index_path(), "build", "--content", content, "--out", kb,
                                     "--keep", "0"};
    if (full) argv.push_back("--full");
    auto r = run_command(argv);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    return r;
  };
  const auto first = build(true);
  CHECK(first.err.find("articles/en/extra.md:7:1: warning: related: related id 'nowhere' does not exist") !=
        std::string::npos);
  CHECK(first.err.find("articles/en/extra.md:8:1: warning: colour: unknown field (ignored)") != std::string::npos);
  const auto again = build();
  CHECK(incremental_line(again.out) == "0/11/0");
  CHECK(again.err == first.err);

  // A damaged line of the live manifest: that file is imported again, the others are not.
  const fs::path manifest = dir / "kb/gen-000002/kb-manifest.tsv";
  std::string text = kb::test::read_file(manifest);
  const auto line = text.find("\"articles/en/extra.md\"");
  REQUIRE(line != std::string::npos);
  const auto tail = text.find("{\"articles\"", line);
  REQUIRE(tail != std::string::npos);
  text.replace(tail, 11, "{\"artic");
  dir.write("kb/gen-000002/kb-manifest.tsv", text);
  const auto repaired = build();
  CHECK(incremental_line(repaired.out) == "1/11/1");
  CHECK(repaired.err == first.err);
  auto counts = [](const std::string& out) { return out.substr(out.find(':'), out.find('\n') - out.find(':')); };
  CHECK(counts(repaired.out) == counts(first.out));
  // The repaired line is whole again: the next build parses nothing.
  CHECK(incremental_line(build().out) == "0/11/0");
}
