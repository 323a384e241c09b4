// Text shaping for channels: escaping, cuts, spoken length, steps and safe HTML from Markdown.
#include <doctest/doctest.h>

#include <string>

#include "markdown.h"
#include "speech.h"
#include "text.h"

using namespace kb::plugins;

TEST_CASE("xml_escape escapes the five markup characters") {
  CHECK(xml_escape("a<b>&\"c'") == "a&lt;b&gt;&amp;&quot;c&#39;");
  CHECK(xml_escape("plain ü 日本") == "plain ü 日本");
}

TEST_CASE("collapse_whitespace and strip_urls") {
  CHECK(collapse_whitespace("  a \n\t b\u3000c  ") == "a b c");
  CHECK(collapse_whitespace(std::string("a\xFF", 2)) == "a\xEF\xBF\xBD");
  CHECK(strip_urls("See https://kb.example/x?y=1 for more.") == "See for more.");
  CHECK(strip_urls("Visit www.example.com now") == "Visit now");
  CHECK(strip_urls("Open the page (https://kb.example/a) and sign in.") == "Open the page and sign in.");
  CHECK(strip_urls("HTTP://SHOUT.EXAMPLE done") == "done");
}

TEST_CASE("sentence and word ends") {
  CHECK(sentence_ends("One. Two! Three? Four") == std::vector<std::size_t>{4, 9, 16});
  CHECK(sentence_ends("Version 3.5 is out. Yes") == std::vector<std::size_t>{19});
  CHECK(sentence_ends("He said \"stop.\" Then") == std::vector<std::size_t>{15});
  CHECK(sentence_ends("一つ。二つ。三つ") == std::vector<std::size_t>{9, 18});
  CHECK(word_ends("ab cd  ef") == std::vector<std::size_t>{2, 5});
  CHECK(word_ends("日本語") == std::vector<std::size_t>{3, 6});
}

TEST_CASE("spoken_words counts spaced words and unspaced characters") {
  CHECK(spoken_words("Restart the hub now.") == 4);
  CHECK(spoken_words("") == 0);
  CHECK(spoken_words("パスワード") == 2.5);
  CHECK(spoken_words("Wi-Fiが遅い") == 2.5);
}

TEST_CASE("confidence text and value") {
  CHECK(confidence_text(0.9) == "0.90");
  CHECK(confidence_text(1.5) == "1.00");
  CHECK(confidence_text(-1) == "0.00");
  CHECK(confidence_value(0.856) == 0.86);
}

TEST_CASE("truncate_chars cuts at a word and counts the ellipsis") {
  CHECK(truncate_chars("short", 10) == "short");
  CHECK(truncate_chars("one two three four", 10) == "one two…");
  CHECK(truncate_chars("abcdefghijklmnop", 10) == "abcdefghi…");
  CHECK(truncate_chars("日本語のテキスト", 5) == "日本語の…");
}

TEST_CASE("speakable_text: no URLs, no markup, at most the word budget") {
  CHECK(speakable_text("Open **My Account** and see [the guide](https://kb.example/g).") ==
        "Open My Account and see the guide.");
  CHECK(speakable_text("Call us at https://kb.example/call today.") == "Call us at today.");
  // 3 sentences of 5 words: with a budget of 12 the first two are kept.
  CHECK(speakable_text("One two three four five. Six seven eight nine ten. Eleven twelve thirteen fourteen fifteen.",
                       12) == "One two three four five. Six seven eight nine ten.");
  // No sentence end in reach: cut at a word, with a full stop.
  CHECK(speakable_text("one two three four five six", 4) == "one two three four.");
  const std::string ja = speakable_text("パスワードを再設定してください。メールのリンクは二十四時間有効です。その後は新しいリンクが必要です。", 20);
  CHECK(ja == "パスワードを再設定してください。メールのリンクは二十四時間有効です。");
  CHECK(spoken_words(ja) <= 20);
}

TEST_CASE("ssml_document escapes text and language") {
  CHECK(ssml_document("Fish & chips <now>", "en") ==
        "<speak version=\"1.0\" xmlns=\"http://www.w3.org/2001/10/synthesis\" xml:lang=\"en\">"
        "Fish &amp; chips &lt;now&gt;</speak>");
}

TEST_CASE("markdown_steps: ordered list items, nested lists inside their item") {
  const std::string md =
      "Intro paragraph.\n\n"
      "1. Open the **sign-in** page.\n"
      "2. Enter your e-mail:\n"
      "   - work address\n"
      "   - or private one\n"
      "3. Follow [the link](https://kb.example/l).\n\n"
      "- an unordered item is not a step\n";
  CHECK(markdown_steps(md) == std::vector<std::string>{"Open the sign-in page.",
                                                       "Enter your e-mail: work address or private one",
                                                       "Follow the link."});
  CHECK(markdown_steps("1. Codes expire <em>soon</em> .\n2. Raw <b>HTML</b> , gone\n") ==
        std::vector<std::string>{"Codes expire soon.", "Raw HTML, gone"});
  CHECK(markdown_steps("1. Links expire <quickly>.\n") == std::vector<std::string>{"Links expire."});
  CHECK(markdown_steps("No list here.").empty());
  CHECK(markdown_steps("").empty());
}

TEST_CASE("markdown_to_safe_html drops raw HTML and javascript: links") {
  const std::string html = markdown_to_safe_html(
      "Hi <script>alert(1)</script> [x](javascript:alert(2)) [y](https://ok.example) "
      "![img](data:text/html;base64,AAAA)\n\n<div onclick=\"evil()\">block</div>\n");
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("javascript:") == std::string::npos);
  CHECK(html.find("onclick") == std::string::npos);
  CHECK(html.find("data:text/html") == std::string::npos);
  CHECK(html.find("<a href=\"\">x</a>") != std::string::npos);
  CHECK(html.find("<a href=\"https://ok.example\">y</a>") != std::string::npos);
  CHECK(html.find("<!-- raw HTML omitted -->") != std::string::npos);
}
