// Redaction of e-mail addresses, card numbers and phone numbers before events are stored.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "redaction.h"

using kb::events::luhn_valid;
using kb::events::redact;
using kb::events::redact_in_place;

TEST_CASE("redact: personal data is replaced, everything else stays") {
  struct Case {
    const char* name;
    std::string in;
    std::string out;
  };
  const std::vector<Case> cases = {
      {"plain question", "how do I reset my password", "how do I reset my password"},
      {"empty", "", ""},
      {"e-mail", "change email to jane.doe+kb@example.co.uk please", "change email to [email] please"},
      {"e-mail at the end of a sentence", "write to bob@mail.example.", "write to [email]."},
      {"two e-mails", "a@b.io and c_d@e-f.org", "[email] and [email]"},
      {"at sign without a domain", "meet @ 5pm", "meet @ 5pm"},
      {"handle without a dot", "ping @support or me@localhost", "ping @support or me@localhost"},
      {"numeric top-level label", "user@10.0.0.1", "user@10.0.0.1"},
      {"visa card with spaces", "card 4111 1111 1111 1111 was charged", "card [card] was charged"},
      {"card with dashes", "5500-0000-0000-0004", "[card]"},
      {"card without separators", "my card is 4012888888881881", "my card is [card]"},
      {"amex (15 digits)", "378282246310005", "[card]"},
      {"16 digits failing Luhn", "4111 1111 1111 1112", "[number]"},
      {"uk phone", "call me on +44 20 7946 0958", "call me on [phone]"},
      {"phone with brackets", "(020) 7946-0958 anytime", "[phone] anytime"},
      {"phone glued to Japanese text", "電話09012345678です", "電話[phone]です"},
      {"us phone with dots", "555.123.4567", "[phone]"},
      {"seven digits", "account 1234567", "account [phone]"},
      {"six digits stay", "code 123456", "code 123456"},
      {"ISO date stays", "bill of 2024-05-01", "bill of 2024-05-01"},
      {"European date stays", "since 01/05/2024", "since 01/05/2024"},
      {"IPv4 address stays", "router at 192.168.100.254", "router at 192.168.100.254"},
      {"digits glued to letters stay", "error 0x80070005 on win10", "error 0x80070005 on win10"},
      {"model numbers stay", "hub 5G-1234", "hub 5G-1234"},
      {"number glued to a word after it stays", "12345678abc", "12345678abc"},
      {"e-mail and phone together", "x@y.com 07700900123", "[email] [phone]"},
      {"trailing separator kept", "ring 07700 900123.", "ring [phone]."},
      {"invalid UTF-8 passes through", std::string("\xff\xfe 1234567"), std::string("\xff\xfe [phone]")},
  };
  for (const auto& c : cases) {
    CAPTURE(std::string(c.name));
    CHECK(redact(c.in) == c.out);
  }
}

TEST_CASE("redact_in_place agrees with redact, with and without its fast path") {
  for (std::string s : {"reset password", "call 0770 090 0123", "a@b.co", "123456", "x 1 2 3 4 5 6 7", ""}) {
    const std::string expected = redact(s);
    redact_in_place(s);
    CHECK(s == expected);
  }
}

TEST_CASE("luhn_valid") {
  CHECK(luhn_valid("4111111111111111"));
  CHECK(luhn_valid("79927398713"));
  CHECK_FALSE(luhn_valid("79927398710"));
  CHECK_FALSE(luhn_valid(""));
  CHECK_FALSE(luhn_valid("4111-1111"));
}

TEST_CASE("redact never grows without bound and survives hostile input") {
  std::string digits(100000, '7');
  CHECK(redact(digits) == "[number]");
  std::string ats(10000, '@');
  CHECK(redact(ats) == ats);
  std::string mixed;
  for (int i = 0; i < 5000; ++i) mixed += "a@b.c 1-";
  CHECK_NOTHROW(redact(mixed));
}
