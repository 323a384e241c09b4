// The channel importers: fixtures of each format import with exact values; bad files give
// exact issues and never throw.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "help_center_importer.h"
#include "import_support.h"
#include "macro_importer.h"
#include "qna_importer.h"
#include "temp_dir.h"
#include "zendesk_importer.h"

namespace {

const std::string kImport = std::string(KB_FIXTURES) + "/import/";

std::string issues_text(const kb::ImportResult& r) {
  std::string out;
  for (const auto& i : r.issues) out += i.format() + "\n";
  return out;
}

kb::ImportResult import_fixture(const kb::Importer& importer, const std::string& rel) {
  return importer.import(rel, kb::test::read_file(kImport + rel));
}

}  // namespace

TEST_CASE("import support: slugs, path languages, summaries, dates") {
  struct SlugCase {
    const char* text;
    const char* slug;
  };
  for (const auto& c : std::vector<SlugCase>{{"What is Debian?", "what-is-debian"},
                                             {"  --Late_fee!! ", "late_fee"},
                                             {"basic-defs", "basic-defs"},
                                             {"Öffnungszeiten", "ffnungszeiten"},
                                             {"パスワード", ""}}) {
    CAPTURE(c.text);
    CHECK(kb::plugins::slugify(c.text) == c.slug);
  }
  CHECK(kb::plugins::text_hash_id("パスワード").size() == 13);
  struct PathCase {
    const char* path;
    const char* page;
    const char* folder;
    const char* suffix;
  };
  for (const auto& c : std::vector<PathCase>{{"en/basic-defs.en.html", "basic-defs", "en", "en"},
                                             {"zh-cn/index.html", "index", "zh-cn", ""},
                                             {"faq/billing.fr.html", "billing", "", "fr"},
                                             {"help/pt_BR/a.html", "a", "pt-br", ""},
                                             {"docs/page.html", "page", "", ""},
                                             {"chatbot/qna.xx.tsv", "qna.xx", "", ""}}) {
    CAPTURE(c.path);
    const auto info = kb::plugins::path_info(c.path);
    CHECK(info.page == c.page);
    CHECK(info.folder_lang == c.folder);
    CHECK(info.suffix_lang == c.suffix);
  }
  CHECK(kb::plugins::summary_from_text("One.  Two.\n Three.", 300) == "One. Two. Three.");
  CHECK(kb::plugins::summary_from_text("First sentence here. Second sentence is long.", 30) == "First sentence here.");
  CHECK(kb::plugins::date_prefix("2026-07-30T09:12:00Z") == "2026-07-30");
  CHECK_FALSE(kb::plugins::date_prefix("2026-02-30"));
}

TEST_CASE("CSV parsing: quotes, doubled quotes, line ends inside quotes, exact error positions") {
  std::optional<kb::plugins::DelimitedError> error;
  auto records = kb::plugins::parse_delimited("a,\"b,\"\"c\"\"\nd\"\n\ne,f\n", ',', error);
  REQUIRE_FALSE(error);
  REQUIRE(records.size() == 2);
  CHECK(records[0].fields[1].text == "b,\"c\"\nd");
  CHECK(records[0].fields[1].column == 3);
  CHECK(records[1].line == 4);
  records = kb::plugins::parse_delimited("a,b\nc,\"open\n", ',', error);
  REQUIRE(error);
  CHECK(error->line == 2);
  CHECK(error->column == 3);
  CHECK(error->message == "quoted field is not closed");
}

TEST_CASE("help-center HTML: one article per anchored question, safe Markdown bodies") {
  const kb::plugins::HelpCenterImporter importer;
  CHECK(importer.accepts("en/billing.html"));
  CHECK(importer.accepts("x/Y.HTM"));
  CHECK_FALSE(importer.accepts("en/billing.md"));

  const auto r = import_fixture(importer, "help-center/en/billing.html");
  INFO(issues_text(r));
  CHECK(r.issues.empty());
  REQUIRE(r.articles.size() == 3);
  struct Expected {
    const char* id;
    const char* title;
    const char* body;
    int line;
  };
  const std::vector<Expected> expected = {
      {"billing.late-fee", "What happens if I pay late?",
       "If we receive your payment after the due date we charge a late payment fee of €5.\n\n"
       "See [all fees](https://example.com/fees) or this.\n",
       14},
      {"billing.payment-methods", "Which payment methods do you accept?",
       "- Direct debit\n- Credit card (*Visa* and **Mastercard**)\n\n### Bank transfer\n\n"
       "Use the reference `BW-123` on every transfer \\<important\\>.\n",
       17},
      {"restart-router", "How do I restart my router?",
       "Unplug the router, wait 30 seconds, then plug it back in and wait until the light turns solid green.\n",
       25},
  };
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const auto& a = r.articles[i];
    CAPTURE(i);
    CHECK(a.id == expected[i].id);
    CHECK(a.lang == "en");
    CHECK(a.title == expected[i].title);
    CHECK(a.body_markdown == expected[i].body);
    CHECK(a.category == "billing");
    CHECK(a.updated == "2026-08-01");
    CHECK(a.source_format == "html");
    CHECK(a.channels.empty());
    CHECK(a.field_positions.at("id") == std::make_pair(expected[i].line, 1));
    CHECK(a.body_markdown.find("alert") == std::string::npos);
    CHECK(a.body_markdown.find("<script") == std::string::npos);
  }
  CHECK(r.articles[0].summary ==
        "If we receive your payment after the due date we charge a late payment fee of €5. See all fees or this.");

  // Language from the folder (no lang attribute), then from the file-name suffix; DocBook's
  // <h2><a id=..></a>1.1. Title</h2> with its numbering removed.
  const auto de = import_fixture(importer, "help-center/de/billing.html");
  REQUIRE(de.articles.size() == 2);
  CHECK(de.articles[0].id == "billing.late-fee");
  CHECK(de.articles[0].lang == "de");
  const auto fr = import_fixture(importer, "help-center/billing.fr.html");
  REQUIRE(fr.articles.size() == 1);
  CHECK(fr.articles[0].id == "billing.late-fee");
  CHECK(fr.articles[0].lang == "fr");
  CHECK(fr.articles[0].title == "Que se passe-t-il si je paie en retard ?");
}

TEST_CASE("help-center HTML: bad pages give exact issues") {
  const kb::plugins::HelpCenterImporter importer;
  struct Case {
    const char* path;
    std::string bytes;
    const char* issues;
  };
  const std::vector<Case> cases = {
      {"page.html", "<html><body><h2 id='a'>Q</h2><p>A</p></body></html>",
       "page.html:1:1: error: lang: no language: add <html lang=\"..\">, put the page in a language folder (de/) or name it page.de.html\n"},
      {"en/p.html", "<html lang='english'><body></body></html>",
       "en/p.html:1:1: error: lang: <html lang=\"english\"> is not a known BCP 47 language tag\n"},
      {"en/p.html", "<html><body>\n<h2 id='a'>Q1</h2><p>A</p>\n<h2 id='a'>Q2</h2><p>B</p></body></html>",
       "en/p.html:3:1: error: id: duplicate anchor 'a' in the page\n"},
      {"en/p.html", "<html><body><h1>Title</h1><p>No anchors.</p></body></html>",
       "en/p.html:1:1: warning: no question found (no heading with an id or anchor): page skipped\n"},
      {"en/p.html", "<html><body>\n  <h2 id='q'>Empty?</h2>\n  <h2 id='r'>Full</h2><p>Yes.</p></body></html>",
       "en/p.html:2:3: warning: body: question 'Empty?' has no answer text: skipped\n"},
      {"en/p.html", "<h2 id='x' data-kb-id='Bad Id'>Q</h2><p>A</p>",
       "en/p.html:1:1: error: id: data-kb-id 'Bad Id' is not a valid id (lowercase letters, digits, '-', '_', '.')\n"},
      {"en/p.html", std::string("<p>\xff\xfe</p>"),
       "en/p.html:1:4: error: invalid UTF-8 (byte offset 3) and no charset declared in the page\n"},
      {"en/p.html", "", "en/p.html:1:1: error: not an HTML page (no element found)\n"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.bytes);
    CHECK(issues_text(importer.import(c.path, c.bytes)) == c.issues);
  }
}

TEST_CASE("QnA Maker TSV and CSV: rows with one answer merge, metadata, quoting") {
  const kb::plugins::QnaImporter importer;
  CHECK(importer.accepts("chatbot/qna.en.tsv"));
  CHECK(importer.accepts("chatbot/de/faq.CSV"));
  const auto r = import_fixture(importer, "chatbot/qna.en.tsv");
  INFO(issues_text(r));
  CHECK(r.issues.empty());
  REQUIRE(r.articles.size() == 3);
  const auto& reset = r.articles[0];
  CHECK(reset.id == "reset-password");
  CHECK(reset.lang == "en");
  CHECK(reset.title == "I forgot my password");
  CHECK(reset.questions == std::vector<std::string>{"password reset"});
  CHECK(reset.category == "account");
  CHECK(reset.channels == std::vector<std::string>{"botframework", "dialogflow", "slack"});
  CHECK(reset.source_format == "qna");
  CHECK(reset.field_positions.at("id") == std::make_pair(2, 111));
  const auto& router = r.articles[1];
  CHECK(router.id == "qna.how-do-i-reboot-the-router");
  CHECK(router.questions == std::vector<std::string>{"router keeps dropping"});
  CHECK(router.tags == std::vector<std::string>{"router"});
  CHECK(router.category == "chat");
  CHECK(r.articles[2].body_markdown ==
        "Our team answers chats every day from 8:00 to 20:00.\nOutside these hours leave a message.\n");
  CHECK(r.articles[2].tags == std::vector<std::string>{"hours"});

  const auto csv = import_fixture(importer, "chatbot/de/faq.csv");
  INFO(issues_text(csv));
  REQUIRE(csv.articles.size() == 1);
  CHECK(csv.articles[0].lang == "de");
  CHECK(csv.articles[0].title == "Wann haben Sie geöffnet?");
  CHECK(csv.articles[0].questions == std::vector<std::string>{"Öffnungszeiten"});
  CHECK(csv.articles[0].body_markdown == "Unser Team antwortet täglich von 8:00 bis 20:00 Uhr, auch \"am Wochenende\".\n");
}

TEST_CASE("QnA exports: bad files give exact issues") {
  const kb::plugins::QnaImporter importer;
  struct Case {
    const char* path;
    const char* bytes;
    const char* issues;
  };
  const std::vector<Case> cases = {
      {"qna.csv", "Question,Answer\nq,a\n",
       "qna.csv:1:1: error: lang: no language: put the file in a language folder (de/) or name it qna.de.csv\n"},
      {"en/qna.csv", "Q,Answer\nq,a\n",
       "en/qna.csv:1:1: error: the header row has no 'Question' column (QnA Maker layout: Question, Answer, Source, Metadata)\n"},
      {"en/qna.csv", "Question,Answer\nq,\"a\n",
       "en/qna.csv:2:3: error: quoted field is not closed\n"},
      {"en/qna.csv", "Question,Answer\nq\n,a\n",
       "en/qna.csv:2:1: error: row has 1 fields, the header has 2\n"
       "en/qna.csv:3:1: error: question: empty question\n"},
      {"en/qna.csv", "Question,Answer,Metadata\nq1,a,id:bad id\n",
       "en/qna.csv:2:6: error: metadata: id 'bad id' is not a valid id (lowercase letters, digits, '-', '_', '.')\n"},
      {"en/qna.csv", "Question,Answer,Metadata\nq1,a,id:x\nq2,b,id:x\n",
       "en/qna.csv:3:4: error: answer: a different answer for the same item (line 2 has another)\n"},
      {"en/qna.csv", "Question,Answer,Metadata\nq1,a,oops\n",
       "en/qna.csv:2:6: warning: metadata: 'oops' is not key:value (ignored)\n"},
      {"en/qna.csv", "", "en/qna.csv:1:1: error: file is empty (expected a header row: Question, Answer, Source, Metadata)\n"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.bytes);
    CHECK(issues_text(importer.import(c.path, c.bytes)) == c.issues);
  }
}

TEST_CASE("Zendesk Help Center JSON: locales, labels, sections, drafts, translations share ids") {
  const kb::plugins::ZendeskImporter importer;
  CHECK(importer.accepts("zendesk/articles.json"));
  const auto r = import_fixture(importer, "zendesk/articles.json");
  INFO(issues_text(r));
  CHECK(r.issues.empty());
  REQUIRE(r.articles.size() == 4);
  const auto& fee = r.articles[0];
  CHECK(fee.id == "billing.late-fee");
  CHECK(fee.lang == "en");
  CHECK(fee.title == "Late payment fee");
  CHECK(fee.body_markdown == "A late payment fee of **€7.50** is added to your next bill.\n");
  CHECK(fee.tags == std::vector<std::string>{"fees"});
  CHECK(fee.category == "Billing");
  CHECK(fee.updated == "2026-07-30");
  CHECK(fee.field_positions.at("id") == std::make_pair(3, 5));
  CHECK(r.articles[1].id == "zendesk.360009999999");
  CHECK(r.articles[1].body_markdown ==
        "Tell us your new address at least *14 days* before you move.\n\n1. Sign in\n2. Choose **Move**\n");
  CHECK(r.articles[2].id == "zendesk.360009999999");
  CHECK(r.articles[2].lang == "de");
  CHECK(r.articles[3].status == kb::Status::Draft);
}

TEST_CASE("Zendesk JSON: bad files give exact issues") {
  const kb::plugins::ZendeskImporter importer;
  struct Case {
    const char* bytes;
    const char* issues;
  };
  const std::vector<Case> cases = {
      {"{\"articles\": [", "z.json:1:15: error: invalid JSON: syntax error while parsing value - unexpected end of input; expected '[', '{', or a literal\n"},
      {"{\"items\": []}", "z.json:1:1: error: articles: not a Zendesk Help Center export: expected {\"articles\": [...]}\n"},
      {"{\"articles\": [\n  {\"id\": 1, \"locale\": \"xx\", \"title\": \"T\", \"body\": \"<p>b</p>\"}]}",
       "z.json:2:23: error: locale: 'xx' is not a known language tag\n"},
      {"{\"articles\": [\n  {\"id\": 1, \"locale\": \"en\", \"body\": \"<p>b</p>\"}]}",
       "z.json:2:3: error: title: required field is missing\n"},
      {"{\"articles\": [\n  {\"id\": 1, \"locale\": \"en\", \"title\": \"T\", \"body\": \"<script>x</script>\"}]}",
       "z.json:2:51: error: body: article 1 has no text\n"},
      {"{\"articles\": [\n  {\"id\": 1, \"locale\": \"en\", \"title\": \"T\", \"body\": \"b\"},\n  {\"id\": 1, \"locale\": \"en-gb\", \"title\": \"T\", \"body\": \"b\"}]}",
       "z.json:3:3: error: id: article 1 appears twice for locale 'en-gb'\n"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.bytes);
    CHECK(issues_text(importer.import("z.json", c.bytes)) == c.issues);
  }
}

TEST_CASE("agent macros and snippets: internal by default, agent channel, ids") {
  const kb::plugins::MacroImporter importer;
  CHECK(importer.accepts("macros/agent-macros.en.yaml"));
  CHECK(importer.accepts("macros/x.yml"));
  const auto r = import_fixture(importer, "macros/agent-macros.en.yaml");
  INFO(issues_text(r));
  CHECK(r.issues.empty());
  REQUIRE(r.articles.size() == 3);
  CHECK(r.articles[0].id == "reset-password");
  CHECK(r.articles[0].audience == kb::Audience::Internal);
  CHECK(r.articles[0].channels == std::vector<std::string>{"agent"});
  CHECK(r.articles[1].id == "macro.goodwill-credit-for-an-outage");
  CHECK(r.articles[1].tags == std::vector<std::string>{"outage", "credit"});
  CHECK(r.articles[1].category == "retention");
  CHECK(r.articles[1].lang == "en");
  CHECK(r.articles[2].id == "snippet.closing-line");
  CHECK(r.articles[2].category == "snippets");
  CHECK(r.articles[2].body_markdown == "Is there anything else I can help you with today?\n");

  struct Case {
    const char* path;
    const char* bytes;
    const char* issues;
  };
  const std::vector<Case> cases = {
      {"m.yaml", "macros:\n  - title: T\n    text: x\n",
       "m.yaml:2:5: error: lang: no language: set lang, put the file in a language folder (de/) or name it macros.de.yaml\n"},
      {"en/m.yaml", "macros:\n  - title: T\n", "en/m.yaml:2:5: error: text: required field is missing\n"},
      {"en/m.yaml", "macros:\n  - title: T\n    text: x\n    audience: everyone\n    colour: red\n",
       "en/m.yaml:4:15: error: audience: must be 'public' or 'internal', not 'everyone'\n"
       "en/m.yaml:5:5: warning: colour: unknown field (ignored)\n"},
      {"en/m.yaml", "macros: [oops", "en/m.yaml:1:1: error: invalid YAML: end of sequence flow not found\n"},
      {"en/m.yaml", "answers:\n  - x\n", "en/m.yaml:1:1: error: answers: expected 'macros:' or 'snippets:' with a list of entries\n"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.bytes);
    CHECK(issues_text(importer.import(c.path, c.bytes)) == c.issues);
  }
}
