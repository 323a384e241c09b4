// Unit tests of indexer/language.h: tag normalisation, primary subtags, fallback chains.
#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

#include "language.h"

namespace {

// normalise_language_tag as a printable string: the tag, or "<rejected>".
std::string normalised(const std::string& tag) {
  const std::optional<std::string> r = kb::normalise_language_tag(tag);
  return r ? *r : "<rejected>";
}

// A chain as "a > b > c", so a failing check shows both chains.
std::string join(const std::vector<std::string>& chain) {
  std::string out;
  for (const auto& lang : chain) out += (out.empty() ? "" : " > ") + lang;
  return out;
}

}  // namespace

TEST_CASE("normalise_language_tag lowercases and uses '-' separators") {
  struct Case {
    std::string in;
    std::string out;
  };
  const Case cases[] = {
      {"en", "en"},
      {"EN", "en"},
      {"de_CH", "de-ch"},
      {"de-CH", "de-ch"},
      {"zh-Hans", "zh-hans"},
      {"EN-us", "en-us"},
      {"zh-Hant-TW", "zh-hant-tw"},
      {"zh_Hant_TW", "zh-hant-tw"},
      {"ja", "ja"},
      {"th", "th"},
      {"fil", "fil"},       // three-letter primary subtag
      {"es-419", "es-419"},  // numeric region
      {"de-ch-1901", "de-ch-1901"},
      {"en-abcdefgh", "en-abcdefgh"},  // a subtag may have 8 characters
  };
  for (const auto& c : cases) {
    CAPTURE(c.in);
    CHECK(normalised(c.in) == c.out);
  }
}

TEST_CASE("normalise_language_tag rejects malformed tags and unknown languages") {
  const std::string rejected[] = {
      "",
      "xx",        // well-formed but not a language ICU knows
      "qq",
      "english",   // a name, not a tag
      "e",         // primary subtag too short
      "engl",      // primary subtag too long
      "de--ch",    // empty subtag
      "de-",       // empty last subtag
      "-de",       // empty first subtag
      "123",       // primary subtag must be letters
      "d1",
      "de ch",     // space
      "de.ch",
      "de-ch\n",
      "de-abcdefghi",  // subtag longer than 8
      "en-" + std::string(200, 'a'),
      "en-abcdefgh-abcdefgh-abcdefgh-abcdefgh-abcdefgh-abcdefgh",  // 56 characters
      "\xC3\xA9n",  // non-ASCII
  };
  for (const auto& tag : rejected) {
    CAPTURE(tag);
    CHECK(normalised(tag) == "<rejected>");
  }
}

TEST_CASE("normalise_language_tag accepts tags up to 35 characters (RFC 5646 4.4.1)") {
  const std::string longest = "en-abcdefgh-abcdefgh-abcdefgh-abcde";
  REQUIRE(longest.size() == 35);
  CHECK(normalised(longest) == longest);
  const std::string too_long = longest + "f";
  CHECK(normalised(too_long) == "<rejected>");
}

TEST_CASE("primary_language is the first subtag") {
  CHECK(kb::primary_language("de-ch") == "de");
  CHECK(kb::primary_language("en") == "en");
  CHECK(kb::primary_language("zh-hant-tw") == "zh");
  CHECK(kb::primary_language("fil-ph") == "fil");
  CHECK(kb::primary_language("") == "");
}

TEST_CASE("fallback_chain goes from the most specific tag to the defaults without duplicates") {
  using Chain = std::vector<std::string>;
  struct Case {
    const char* name;
    std::string tag;
    Chain defaults;
    Chain expected;
  };
  const Case cases[] = {
      {"region falls back to language, then default", "de-ch", {"en"}, {"de-ch", "de", "en"}},
      {"default equal to the tag", "en", {"en"}, {"en"}},
      {"default equal to the primary language", "en-us", {"en"}, {"en-us", "en"}},
      {"script and region", "zh-hant-tw", {"en"}, {"zh-hant-tw", "zh-hant", "zh", "en"}},
      {"several defaults, one already in the chain", "de", {"en", "de", "fr"}, {"de", "en", "fr"}},
      {"duplicate defaults", "fr", {"en", "en"}, {"fr", "en"}},
      {"no defaults", "pt-br", {}, {"pt-br", "pt"}},
      {"no tag: defaults only", "", {"en", "de"}, {"en", "de"}},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    CHECK(join(kb::fallback_chain(c.tag, c.defaults)) == join(c.expected));
  }
}
