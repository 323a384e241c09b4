// Bad content, as editors and broken exports produce it, built by the real kb-index into a
// knowledge base that a real kb-server is serving. Each input gets its exact file:line
// message and exit status 1; files that are merely unusual (BOM, CRLF) are accepted; and in
// every case the live knowledge base keeps answering the same results.
#include <doctest/doctest.h>

#include <sys/stat.h>

#include <httplib.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "process.h"
#include "temp_dir.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// A valid article with `extra` front matter lines and `body`, for cases to break one part.
std::string article(const std::string& id, const std::string& extra = "", const std::string& body = "Body text.\n") {
  return "---\nid: " + id + "\nlang: en\ntitle: Zebracorn " + id + "\nsummary: About " + id +
         ".\ncategory: test\n" + extra + "---\n" + body;
}

void write(const fs::path& path, const std::string& bytes) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << bytes;
}

struct ContentCase {
  const char* name;
  // Adds the bad input to a copy of tests/fixtures/content (`outside` is a folder beside it).
  std::function<void(const fs::path& content, const fs::path& outside)> make;
  int exit_code;
  std::vector<std::string> messages;  // lines kb-index must print on stderr
  std::string found_id;               // for accepted input: the article "zebracorn" then finds
};

const std::vector<ContentCase>& cases() {
  static const std::vector<ContentCase> all = {
      {"invalid UTF-8 in the body (Latin-1 export)",
       [](const fs::path& c, const fs::path&) { write(c / "en/latin1.md", article("latin1", "", "Caf\xe9 menu.\n")); },
       1, {"en/latin1.md:8:4: error: invalid UTF-8 (byte offset 93)"}, ""},
      {"invalid UTF-8 in the front matter (a cut multi-byte character)",
       [](const fs::path& c, const fs::path&) {
         write(c / "en/cut.md", "---\nid: cut\nlang: en\ntitle: Caf\xc3\nsummary: S\ncategory: c\n---\nBody\n");
       },
       1, {"en/cut.md:4:11: error: invalid UTF-8 (byte offset 31)"}, ""},
      {"a UTF-16 surrogate encoded as UTF-8",
       [](const fs::path& c, const fs::path&) { write(c / "en/surrogate.md", article("surrogate", "", "\xed\xa0\x80\n")); },
       1, {"en/surrogate.md:8:1: error: invalid UTF-8 (byte offset 99)"}, ""},
      {"a byte-order mark is accepted",
       [](const fs::path& c, const fs::path&) { write(c / "en/bom.md", "\xef\xbb\xbf" + article("bom")); },
       0, {}, "bom"},
      {"CRLF line ends are accepted",
       [](const fs::path& c, const fs::path&) {
         std::string crlf;
         for (char ch : article("crlf", "tags: [windows]\n", "Line one.\nLine two.\n")) {
           if (ch == '\n') crlf += '\r';
           crlf += ch;
         }
         write(c / "en/crlf.md", crlf);
       },
       0, {}, "crlf"},
      {"an empty file",
       [](const fs::path& c, const fs::path&) { write(c / "en/empty.md", ""); },
       1, {"en/empty.md:1:1: error: file is empty"}, ""},
      {"a file of blank lines",
       [](const fs::path& c, const fs::path&) { write(c / "en/blank.md", "\n  \n\t\n"); },
       1, {"en/blank.md:1:1: error: file is empty"}, ""},
      {"a huge file (over 8 MiB) is refused, not truncated",
       [](const fs::path& c, const fs::path&) {
         write(c / "en/huge.md", article("huge", "", std::string((8u << 20) + 1 - article("huge", "", "").size(), 'a')));
       },
       1, {"en/huge.md: error: file is 8388609 bytes, more than the limit of 8388608"}, ""},
      {"binary content with NUL bytes",
       [](const fs::path& c, const fs::path&) { write(c / "en/nul.md", article("nul", "", std::string("x\0y\n", 4))); },
       1, {"en/nul.md:8:2: error: binary content (NUL byte)"}, ""},
      {"a PNG saved as .md",
       [](const fs::path& c, const fs::path&) { write(c / "en/image.md", std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16)); },
       1, {"en/image.md:1:1: error: invalid UTF-8 (byte offset 0)"}, ""},
      {"broken YAML: an unclosed list",
       [](const fs::path& c, const fs::path&) { write(c / "en/yaml.md", "---\nid: yaml\nlang: en\ntitle: [oops\nsummary: S\n---\nBody\n"); },
       1, {"en/yaml.md:5:8: error: invalid YAML: end of sequence flow not found"}, ""},
      {"broken YAML: a tab for indentation",
       [](const fs::path& c, const fs::path&) {
         write(c / "en/tab.md", "---\nid: tab\nlang: en\nquestions:\n\t- one\ntitle: T\n---\nBody\n");
       },
       1, {"en/tab.md:5:2: error: invalid YAML: illegal block entry"}, ""},
      {"front matter that is never closed",
       [](const fs::path& c, const fs::path&) { write(c / "en/open.md", "---\nid: open\nlang: en\ntitle: T\n\nBody\n"); },
       1, {"en/open.md:1:1: error: front matter is not closed: add a line '---' after it"}, ""},
      {"no front matter at all",
       [](const fs::path& c, const fs::path&) { write(c / "en/plain.md", "# Just Markdown\n\nText.\n"); },
       1, {"en/plain.md:1:1: error: missing front matter: the file must start with a line '---'"}, ""},
      {"front matter that is a list, not fields",
       [](const fs::path& c, const fs::path&) { write(c / "en/list.md", "---\n- id\n- lang\n---\nBody\n"); },
       1, {"en/list.md:2:1: error: front matter must be a mapping of fields"}, ""},
      {"wrong types and values, all reported at once",
       [](const fs::path& c, const fs::path&) {
         write(c / "en/types.md",
               "---\nid: Types!\nlang: en\ntitle: [a, b]\nsummary: S\ncategory: c\ntags: {a: b}\n"
               "updated: 2026-02-30\naudience: secret\nstatus: maybe\nchannels: [web, fax]\n---\nBody\n");
       },
       1,
       {"en/types.md:2:5: error: id: 'Types!' is not a valid id (lowercase letters, digits, '-', '_', '.'; at most 100 characters)",
        "en/types.md:4:8: error: title: must be a text value",
        "en/types.md:7:7: error: tags: must be a list",
        "en/types.md:8:10: error: updated: must be a date YYYY-MM-DD, not '2026-02-30'",
        "en/types.md:9:11: error: audience: must be 'public' or 'internal', not 'secret'",
        "en/types.md:10:9: error: status: must be 'published' or 'draft', not 'maybe'",
        "en/types.md:11:11: error: channels: unknown channel 'fax' (known: web, botframework, dialogflow, slack, voice, sms, agent, json, chat)"},
       ""},
      {"required fields missing",
       [](const fs::path& c, const fs::path&) { write(c / "en/missing.md", "---\nid: missing\nlang: en\n---\nBody\n"); },
       1,
       {"en/missing.md:2:1: error: title: required field is missing",
        "en/missing.md:2:1: error: summary: required field is missing",
        "en/missing.md:2:1: error: category: required field is missing"},
       ""},
      {"a duplicate id in the same language",
       [](const fs::path& c, const fs::path&) { write(c / "en/copy-of-wifi.md", article("wifi-slow")); },
       1, {"en/wifi-slow.md:2:1: error: id: duplicate id 'wifi-slow' for language 'en' (also in en/copy-of-wifi.md)"}, ""},
      {"an unknown language",
       [](const fs::path& c, const fs::path&) {
         write(c / "xx/klingon.md", "---\nid: klingon\nlang: xx-yy\ntitle: T\nsummary: S\ncategory: c\n---\nBody\n");
       },
       1, {"xx/klingon.md:3:7: error: lang: 'xx-yy' is not a known BCP 47 language tag"}, ""},
      {"a language name instead of a tag",
       [](const fs::path& c, const fs::path&) {
         write(c / "en/english.md", "---\nid: english\nlang: English\ntitle: T\nsummary: S\ncategory: c\n---\nBody\n");
       },
       1, {"en/english.md:3:7: error: lang: 'English' is not a known BCP 47 language tag"}, ""},
      {"a tag too long to be a filter term",
       [](const fs::path& c, const fs::path&) { write(c / "en/long-tag.md", article("long-tag", "tags: [" + std::string(250, 't') + "]\n")); },
       1, {"en/long-tag.md:7:1: error: tags: 'tttttttttttttttttttttttttttttttttttttttt...' is 250 bytes, more than the limit of 200"}, ""},
      {"an unclosed internal block (the notes would become public)",
       [](const fs::path& c, const fs::path&) { write(c / "en/notes.md", article("notes", "", "Public.\n\n::: internal\nSecret.\n")); },
       1, {"en/notes.md:10:1: error: body: '::: internal' block is not closed: add a line ':::' after the notes"}, ""},
      {"a symbolic link to a file outside the content folder",
       [](const fs::path& c, const fs::path& outside) {
         write(outside / "secret.md", article("secret"));
         fs::create_symlink(outside / "secret.md", c / "en/secret.md");
       },
       1, {"en/secret.md: error: symbolic link leads outside the content folder"}, ""},
      {"a symbolic link to a folder outside the content folder",
       [](const fs::path& c, const fs::path& outside) {
         write(outside / "more/secret.md", article("secret"));
         fs::create_directory_symlink(outside / "more", c / "more");
       },
       1, {"more: error: symbolic link leads outside the content folder"}, ""},
      {"a dangling symbolic link",
       [](const fs::path& c, const fs::path&) { fs::create_symlink(c / "en/nowhere.md", c / "en/dangling.md"); },
       1, {"en/dangling.md: error: not a regular file"}, ""},
      {"a named pipe does not hang the build",
       [](const fs::path& c, const fs::path&) { REQUIRE(::mkfifo((c / "en/pipe.md").c_str(), 0644) == 0); },
       1, {"en/pipe.md: error: not a regular file"}, ""},
      {"broken synonyms YAML",
       [](const fs::path& c, const fs::path&) { write(c / "analysis/synonyms/en.yaml", "- [router, hub]\n- [sign in, log in\n"); },
       1, {"analysis/synonyms/en.yaml:3:1: error: invalid YAML: end of sequence flow not found"}, ""},
      {"a stopword list not named after a language",
       [](const fs::path& c, const fs::path&) { write(c / "analysis/stopwords/english.txt", "the\n"); },
       1, {"analysis/stopwords/english.txt: error: file name must be a language tag such as en.txt or de-ch.yaml"}, ""},
      {"an HTML page in Latin-1 without a charset",
       [](const fs::path& c, const fs::path&) {
         write(c / "en/page.html", "<html lang=\"en\"><body><h2 id=\"q\">Caf\xe9?</h2><p>Yes.</p></body></html>\n");
       },
       1, {"en/page.html:1:37: error: invalid UTF-8 (byte offset 36) and no charset declared in the page"}, ""},
  };
  return all;
}

// The knowledge base being served, and what it answered before any bad input was built.
struct LiveBase {
  kb::test::TempDir dir;
  std::unique_ptr<kb::test::ServerProcess> server;
  std::unique_ptr<httplib::Client> client;
  std::vector<std::pair<std::string, std::vector<std::string>>> baseline;

  LiveBase() {
    const auto r = build(fs::path(KB_FIXTURES) / "content");
    REQUIRE(r.exit_code == 0);
    server = std::make_unique<kb::test::ServerProcess>(dir / "kb");
    client = std::make_unique<httplib::Client>("127.0.0.1", server->port());
    client->set_read_timeout(10, 0);
    for (const char* q : {"/v1/search?q=password&lang=en", "/v1/search?q=WLAN+langsam",
                          "/v1/search?q=%E3%83%91%E3%82%B9%E3%83%AF%E3%83%BC%E3%83%89",
                          "/v1/search?q=wifi&category=internet", "/v1/suggest?q=forgot+pa&lang=en"}) {
      baseline.emplace_back(q, ids(q));
      REQUIRE_FALSE(baseline.back().second.empty());
    }
  }

  kb::test::CommandResult build(const fs::path& content) {
    return kb::test::run_command({kb::test::kb_index_path(), "build", "--content", content.string(), "--out",
                                  (dir / "kb").string(), "--quiet"});
  }

  json get(const std::string& path) {
    auto res = client->Get(path.c_str());
    REQUIRE(res);
    REQUIRE(res->status == 200);
    return json::parse(res->body);
  }

  std::vector<std::string> ids(const std::string& path) {
    const json body = get(path);
    std::vector<std::string> out;
    for (const auto& r : body.contains("results") ? body["results"] : body["suggestions"]) out.push_back(r["id"]);
    return out;
  }

  // Nothing already indexed was lost: every baseline query answers as before.
  void check_unchanged() {
    for (const auto& query : baseline) {
      CAPTURE(query.first);
      CHECK(ids(query.first) == query.second);
    }
  }
};

}  // namespace

TEST_CASE("bad content files: exact file:line errors, exit 1, the live knowledge base keeps answering") {
  LiveBase live;
  int n = 0;
  for (const auto& c : cases()) {
    INFO("case: " << std::string(c.name));
    const fs::path root = live.dir / ("case-" + std::to_string(n++));
    kb::test::copy_tree(fs::path(KB_FIXTURES) / "content", root / "content");
    c.make(root / "content", root / "outside");
    const std::string stub_before = kb::test::read_file(live.dir / "kb/live.stub");

    const auto r = live.build(root / "content");
    INFO("stderr:\n" << r.err);
    CHECK(r.exit_code == c.exit_code);
    for (const auto& line : c.messages) CHECK(r.err.find(line + "\n") != std::string::npos);

    if (c.exit_code != 0) {
      CHECK(r.err.find("nothing was written, the live knowledge base is unchanged") != std::string::npos);
      CHECK(kb::test::read_file(live.dir / "kb/live.stub") == stub_before);
      live.check_unchanged();
      continue;
    }
    // Accepted: the new generation goes live (bounded wait) with the new article and
    // everything that was there before.
    bool found = false;
    for (int i = 0; i < 500 && !found; ++i) {
      const json body = live.get("/v1/search?q=zebracorn+" + c.found_id + "&lang=en&prefix=false");
      found = !body["results"].empty() && body["results"][0]["id"] == c.found_id;
      if (!found) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    CHECK(found);
    live.check_unchanged();
  }
  CHECK(live.server->stop() == 0);
}
