// The native Markdown importer: good files parse completely, bad files get exact issues.
#include <doctest/doctest.h>

#include <string>

#include "markdown_importer.h"

using kb::plugins::MarkdownImporter;

namespace {

const char* const kGood = R"(---
id: reset-password
lang: de_CH
title: "Passwort: zurücksetzen"
summary: Wählen Sie „Passwort vergessen".
questions:
  - Passwort vergessen
  - Anmeldung geht nicht
category: account
tags: [password, sign-in]
products: my-account
channels: [web, chat]
audience: public
status: draft
updated: 2026-02-28
related: [account-locked]
---
1. Öffnen Sie die **Anmeldeseite**.

::: internal
Identität prüfen.
:::

```
::: internal
code, not a note
:::
```
)";

std::string issues_text(const kb::ImportResult& r) {
  std::string out;
  for (const auto& i : r.issues) out += i.format() + "\n";
  return out;
}

}  // namespace

TEST_CASE("a complete file gives one article with every field") {
  const MarkdownImporter importer;
  const auto r = importer.import("de/reset-password.md", kGood);
  INFO(issues_text(r));
  REQUIRE(r.issues.empty());
  REQUIRE(r.articles.size() == 1);
  const auto& a = r.articles[0];
  CHECK(a.id == "reset-password");
  CHECK(a.lang == "de-ch");
  CHECK(a.title == "Passwort: zurücksetzen");
  CHECK(a.summary == "Wählen Sie „Passwort vergessen\".");
  CHECK(a.questions == std::vector<std::string>{"Passwort vergessen", "Anmeldung geht nicht"});
  CHECK(a.category == "account");
  CHECK(a.tags == std::vector<std::string>{"password", "sign-in"});
  CHECK(a.products == std::vector<std::string>{"my-account"});
  CHECK(a.channels == std::vector<std::string>{"botframework", "dialogflow", "slack", "web"});
  CHECK(a.audience == kb::Audience::Public);
  CHECK(a.status == kb::Status::Draft);
  CHECK(a.updated == "2026-02-28");
  CHECK(a.related == std::vector<std::string>{"account-locked"});
  REQUIRE(a.internal_notes.size() == 1);
  CHECK(a.internal_notes[0] == "Identität prüfen.\n");
  CHECK(a.body_markdown.find("Identität") == std::string::npos);
  // A `::: internal` line inside a code fence is code, not a note.
  CHECK(a.body_markdown.find("code, not a note") != std::string::npos);
  CHECK(a.source_path == "de/reset-password.md");
}

TEST_CASE("CRLF line ends and a byte-order mark are accepted") {
  std::string crlf;
  for (const char* p = kGood; *p; ++p) {
    if (*p == '\n') crlf += "\r\n";
    else crlf += *p;
  }
  const auto r = MarkdownImporter().import("x.md", "\xEF\xBB\xBF" + crlf);
  INFO(issues_text(r));
  CHECK(r.issues.empty());
  REQUIRE(r.articles.size() == 1);
  CHECK(r.articles[0].title == "Passwort: zurücksetzen");
}

TEST_CASE("only .md files are accepted") {
  const MarkdownImporter importer;
  CHECK(importer.accepts("en/a.md"));
  CHECK_FALSE(importer.accepts("en/a.md.bak"));
  CHECK_FALSE(importer.accepts("en/a.html"));
  CHECK_FALSE(importer.accepts(".md"));
}

TEST_CASE("bad files: every problem is reported with file, line, column and field") {
  struct Case {
    std::string name;
    std::string text;
    std::string expected;  // the formatted issues, one per line
  };
  const std::string head = "---\nid: a\nlang: en\ntitle: T\nsummary: S\ncategory: c\n";
  const Case cases[] = {
      {"empty file", "", "f.md:1:1: error: file is empty\n"},
      {"blank file", "\n  \n", "f.md:1:1: error: file is empty\n"},
      {"no front matter", "# Title\n\nBody\n",
       "f.md:1:1: error: missing front matter: the file must start with a line '---'\n"},
      {"unclosed front matter", "---\nid: a\n",
       "f.md:1:1: error: front matter is not closed: add a line '---' after it\n"},
      {"broken YAML", "---\nid: a\ntitle: [unclosed\n---\nbody\n",
       "f.md:4:1: error: invalid YAML: end of sequence flow not found\n"},
      {"front matter not a mapping", "---\n- a\n- b\n---\nbody\n",
       "f.md:2:1: error: front matter must be a mapping of fields\n"},
      {"invalid UTF-8", "---\nid: a\ntitle: caf\xC3\x28\n---\n",
       "f.md:3:11: error: invalid UTF-8 (byte offset 20)\n"},
      {"binary", std::string("---\nid: \0a\n---\n", 15), "f.md:2:5: error: binary content (NUL byte)\n"},
      {"missing fields", "---\nid: a\n---\nbody\n",
       "f.md:2:1: error: lang: required field is missing\n"
       "f.md:2:1: error: title: required field is missing\n"
       "f.md:2:1: error: summary: required field is missing\n"
       "f.md:2:1: error: category: required field is missing\n"},
      {"wrong types", head + "tags: {a: 1}\nquestions: [[x]]\n---\nbody\n",
       "f.md:8:13: error: questions: must be a text value\n"
       "f.md:7:7: error: tags: must be a list\n"},
      {"bad values",
       "---\nid: Bad Id\nlang: xx\ntitle: T\nsummary: S\ncategory: c\naudience: everyone\n"
       "status: live\nupdated: 2026-02-30\nchannels: [web, fax]\n---\nbody\n",
       "f.md:2:5: error: id: 'Bad Id' is not a valid id (lowercase letters, digits, '-', '_', "
       "'.'; at most 100 characters)\n"
       "f.md:3:7: error: lang: 'xx' is not a known BCP 47 language tag\n"
       "f.md:10:11: error: channels: unknown channel 'fax' (known: web, botframework, "
       "dialogflow, slack, voice, sms, agent, json, chat)\n"
       "f.md:7:11: error: audience: must be 'public' or 'internal', not 'everyone'\n"
       "f.md:8:9: error: status: must be 'published' or 'draft', not 'live'\n"
       "f.md:9:10: error: updated: must be a date YYYY-MM-DD, not '2026-02-30'\n"},
      {"unknown field is a warning", head + "titel: typo\n---\nbody\n",
       "f.md:7:1: warning: titel: unknown field (ignored)\n"},
      {"unclosed internal block", head + "---\nbody\n::: internal\nsecret\n",
       "f.md:9:1: error: body: '::: internal' block is not closed: add a line ':::' after the "
       "notes\n"},
      {"no public body", head + "---\n\n::: internal\nonly notes\n:::\n",
       "f.md:8:1: error: body: the article has no public body\n"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    const auto r = MarkdownImporter().import("f.md", c.text);
    CHECK(issues_text(r) == c.expected);
    if (c.expected.find("error") != std::string::npos) CHECK(r.articles.empty());
  }
}
