// SMS encodings, segment counts at the exact GSM-7 and UCS-2 boundaries, and cutting.
#include <doctest/doctest.h>

#include <string>

#include "sms_text.h"
#include "text.h"

using kb::plugins::count_sms;
using kb::plugins::fit_sms;
using kb::plugins::SmsEncoding;

namespace {

std::string repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

}  // namespace

TEST_CASE("GSM-7 and UCS-2 segment boundaries are exact") {
  struct Row {
    const char* what;
    std::string text;
    SmsEncoding encoding;
    std::size_t units;
    int segments;
  };
  const Row rows[] = {
      {"empty", "", SmsEncoding::Gsm7, 0, 0},
      {"160 GSM-7", repeat("a", 160), SmsEncoding::Gsm7, 160, 1},
      {"161 GSM-7", repeat("a", 161), SmsEncoding::Gsm7, 161, 2},
      {"306 GSM-7", repeat("a", 306), SmsEncoding::Gsm7, 306, 2},
      {"307 GSM-7", repeat("a", 307), SmsEncoding::Gsm7, 307, 3},
      {"GSM-7 accents are one septet", repeat("é", 80) + repeat("Ä", 80), SmsEncoding::Gsm7, 160, 1},
      {"Greek capitals of the default alphabet", repeat("Ω", 160), SmsEncoding::Gsm7, 160, 1},
      {"euro counts two septets", repeat("a", 158) + "€", SmsEncoding::Gsm7, 160, 1},
      {"euro over the edge", repeat("a", 159) + "€", SmsEncoding::Gsm7, 161, 2},
      {"extension chars count two", repeat("{", 80), SmsEncoding::Gsm7, 160, 1},
      {"extension chars over the edge", repeat("[", 80) + "a", SmsEncoding::Gsm7, 161, 2},
      // 152 + (escape, €) cannot share the first part: the pair moves to the second one.
      {"an escape pair is never split", repeat("a", 152) + "€" + repeat("a", 152), SmsEncoding::Gsm7, 306, 3},
      {"escape pair that fits", repeat("a", 151) + "€" + repeat("a", 153), SmsEncoding::Gsm7, 306, 2},
      {"lowercase c-cedilla is not GSM-7", repeat("a", 69) + "ç", SmsEncoding::Ucs2, 70, 1},
      {"backtick is not GSM-7", repeat("a", 70) + "`", SmsEncoding::Ucs2, 71, 2},
      {"70 Cyrillic", repeat("ж", 70), SmsEncoding::Ucs2, 70, 1},
      {"71 Cyrillic", repeat("ж", 71), SmsEncoding::Ucs2, 71, 2},
      {"134 Cyrillic", repeat("ж", 134), SmsEncoding::Ucs2, 134, 2},
      {"135 Cyrillic", repeat("ж", 135), SmsEncoding::Ucs2, 135, 3},
      {"one char outside GSM-7 switches all", repeat("a", 69) + "ж", SmsEncoding::Ucs2, 70, 1},
      {"70 CJK", repeat("日", 70), SmsEncoding::Ucs2, 70, 1},
      {"71 CJK", repeat("日", 71), SmsEncoding::Ucs2, 71, 2},
      {"35 emoji are 70 code units", repeat("😀", 35), SmsEncoding::Ucs2, 70, 1},
      {"36 emoji are 72 code units", repeat("😀", 36), SmsEncoding::Ucs2, 72, 2},
      {"67 emoji", repeat("😀", 67), SmsEncoding::Ucs2, 134, 3},  // 33 per part: 67 units never hold 34 pairs
      // A surrogate pair never straddles two parts.
      {"a surrogate pair is never split", repeat("ж", 66) + "😀" + repeat("ж", 66), SmsEncoding::Ucs2, 134, 3},
      {"surrogate pair that fits", repeat("ж", 65) + "😀" + repeat("ж", 67), SmsEncoding::Ucs2, 134, 2},
  };
  for (const auto& r : rows) {
    CAPTURE(r.what);
    const auto c = count_sms(r.text);
    CHECK(c.encoding == r.encoding);
    CHECK(c.units == r.units);
    CHECK(c.segments == r.segments);
  }
}

TEST_CASE("fit_sms keeps what fits and never exceeds two segments") {
  const std::string link = "https://kb.example/a/en/x";  // 25 characters
  // 280 + newline + 25 = 306 septets: exactly two segments, sent whole.
  const std::string exact = repeat("abcd ", 55) + "abcde";
  REQUIRE(exact.size() == 280);
  CHECK(fit_sms(exact, link) == exact + "\n" + link);
  // One more character and it is cut at the last word, with "...".
  const std::string over = exact + "f";
  const std::string cut = fit_sms(over, link);
  CHECK(cut == repeat("abcd ", 54) + "abcd...\n" + link);
  CHECK(count_sms(cut).segments == 2);

  SUBCASE("a sentence end is preferred over a word end") {
    const std::string text = "Restart the hub. " + repeat("Then wait for the lights to turn green ", 10);
    CHECK(fit_sms(text, link) == "Restart the hub.\n" + link);
  }
  SUBCASE("a short message stays one segment and whole") {
    CHECK(fit_sms("Restart the hub.", link) == "Restart the hub.\n" + link);
    CHECK(fit_sms("Restart the hub.", "") == "Restart the hub.");
    CHECK(fit_sms("", "") == "");
  }
  SUBCASE("cutting away the only UCS-2 character makes room for GSM-7 text") {
    const std::string text = repeat("word ", 50) + "done 😀";
    const std::string m = fit_sms(text, link);
    CHECK(m.find("😀") == std::string::npos);
    CHECK(count_sms(m).encoding == SmsEncoding::Gsm7);
    CHECK(m == repeat("word ", 49) + "word done...\n" + link);
    CHECK(count_sms(m).segments == 2);
  }
  SUBCASE("a link too long to send with any text is dropped") {
    const std::string long_link = "https://kb.example/" + repeat("x", 400);
    const std::string m = fit_sms("Restart the hub.", long_link);
    CHECK(m == "Restart the hub.");
  }
}

TEST_CASE("answers with emoji, CJK, Thai and accents never exceed two segments") {
  const std::string link = "https://kb.example/a/ja/reset-password";
  const std::string texts[] = {
      repeat("サインインページで「パスワードをお忘れの方」を選択してください。", 12),
      repeat("パスワード", 100),  // no sentence end, no spaces
      repeat("Restart your hub 😀 and wait. ", 20),
      repeat("😀", 200),
      repeat("เปิดหน้าลงชื่อเข้าใช้แล้วเลือกลืมรหัสผ่าน ", 10),
      repeat("Wählen Sie „Passwort vergessen\" – wir senden Ihnen einen Link. ", 10),
      repeat("{braces} and [brackets] cost two septets each. ", 15),
      repeat("x", 2000),
  };
  for (const auto& t : texts) {
    for (const std::string& l : {link, std::string()}) {
      const std::string m = fit_sms(t, l);
      CAPTURE(m);
      CHECK(count_sms(m).segments >= 1);
      CHECK(count_sms(m).segments <= 2);
      if (!l.empty()) CHECK(m.size() > l.size());
      if (!l.empty()) CHECK(m.substr(m.size() - l.size()) == l);
    }
  }
  // Japanese is cut after a full stop, not in the middle of a sentence.
  const std::string ja = fit_sms(texts[0], link);
  CHECK(ja.substr(0, ja.size() - link.size() - 1).rfind("。") ==
        ja.size() - link.size() - 1 - std::string("。").size());
  CHECK(count_sms(ja).encoding == SmsEncoding::Ucs2);
  CHECK(count_sms(ja).units > 70);  // it did use the second segment
}

TEST_CASE("GSM-7 tables") {
  for (char32_t c : std::u32string(U"@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./:;<=>?¡ÄÖÑÜ§¿äöñüà")) {
    CAPTURE(static_cast<std::uint32_t>(c));
    CHECK(kb::plugins::in_gsm7_basic(c));
  }
  for (char32_t c : std::u32string(U"\f^{}\\[~]|€")) {
    CAPTURE(static_cast<std::uint32_t>(c));
    CHECK(kb::plugins::in_gsm7_extension(c));
    CHECK_FALSE(kb::plugins::in_gsm7_basic(c));
  }
  for (char32_t c : std::u32string(U"`çÁáíóúâêô–—…“”‘’ж日😀\t")) {
    CAPTURE(static_cast<std::uint32_t>(c));
    CHECK_FALSE(kb::plugins::in_gsm7_basic(c));
    CHECK_FALSE(kb::plugins::in_gsm7_extension(c));
  }
}

TEST_CASE("invalid UTF-8 never throws and counts as replacement characters") {
  const auto c = count_sms(std::string("ab\xFF\xFE", 4));
  CHECK(c.encoding == SmsEncoding::Ucs2);
  CHECK(c.units == 4);
  CHECK(c.segments == 1);
  CHECK(count_sms(fit_sms(std::string(500, '\xC3'), "https://x.example/a")).segments <= 2);
}
