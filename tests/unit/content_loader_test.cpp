// Loading a content folder: which files are read, and the checks across files.
#include <doctest/doctest.h>

#include <filesystem>

#include "builtin_importers.h"
#include "content_loader.h"
#include "errors.h"
#include "temp_dir.h"

namespace {

std::string article(const std::string& id, const std::string& lang, const std::string& extra = "") {
  return "---\nid: " + id + "\nlang: " + lang + "\ntitle: T " + id + "\nsummary: S\ncategory: c\n" +
         extra + "---\nBody of " + id + ".\n";
}

std::string all_issues(const kb::ContentSet& set) {
  std::string out;
  for (const auto& i : set.issues) out += i.format() + "\n";
  return out;
}

}  // namespace

TEST_CASE("every .md file under the folder is read, in a stable order; others are skipped") {
  kb::test::TempDir dir;
  dir.write("en/b.md", article("b", "en"));
  dir.write("en/a.md", article("a", "en"));
  dir.write("de/a.md", article("a", "de"));
  dir.write("notes.txt", "not content");
  dir.write(".git/config.md", "not content either");
  const kb::plugins::ImporterRegistry registry;
  const auto set = kb::load_content(dir.path(), registry.importers());
  INFO(all_issues(set));
  CHECK(set.ok());
  CHECK(set.files_read == 3);
  REQUIRE(set.articles.size() == 3);
  CHECK(set.articles[0].source_path == "de/a.md");
  CHECK(set.articles[1].source_path == "en/a.md");
  CHECK(set.articles[2].source_path == "en/b.md");
}

TEST_CASE("a duplicate (id, lang) is an error naming both files; a missing related id warns") {
  kb::test::TempDir dir;
  dir.write("one.md", article("a", "en", "related: [nowhere]\n"));
  dir.write("two.md", article("a", "en"));
  dir.write("three.md", article("a", "de"));
  const kb::plugins::ImporterRegistry registry;
  const auto set = kb::load_content(dir.path(), registry.importers());
  CHECK_FALSE(set.ok());
  CHECK(all_issues(set) ==
        "one.md:7:1: warning: related: related id 'nowhere' does not exist\n"
        "two.md:2:1: error: id: duplicate id 'a' for language 'en' (also in one.md)\n");
}

TEST_CASE("errors in several files are all reported at once") {
  kb::test::TempDir dir;
  dir.write("a.md", "no front matter\n");
  dir.write("b.md", article("b", "english"));
  dir.write("c.md", article("c", "en"));
  const kb::plugins::ImporterRegistry registry;
  const auto set = kb::load_content(dir.path(), registry.importers());
  CHECK(all_issues(set) ==
        "a.md:1:1: error: missing front matter: the file must start with a line '---'\n"
        "b.md:3:7: error: lang: 'english' is not a known BCP 47 language tag\n");
  CHECK(set.articles.size() == 1);
}

TEST_CASE("symbolic links: a duplicate inside is read once, one leading outside is an error") {
  kb::test::TempDir outside;
  outside.write("secret.md", article("secret", "en"));
  kb::test::TempDir dir;
  dir.write("en/a.md", article("a", "en"));
  std::filesystem::create_symlink(dir / "en/a.md", dir / "en/a-copy.md");
  std::filesystem::create_symlink(outside / "secret.md", dir / "en/secret.md");
  const kb::plugins::ImporterRegistry registry;
  const auto set = kb::load_content(dir.path(), registry.importers());
  CHECK(all_issues(set) == "en/secret.md: error: symbolic link leads outside the content folder\n");
  REQUIRE(set.articles.size() == 1);
  CHECK(set.articles[0].id == "a");
}

TEST_CASE("hidden entries, the analysis folder and linked folders are not read; files in deep folders are") {
  kb::test::TempDir outside;
  outside.write("elsewhere/x.md", article("x", "en"));
  kb::test::TempDir dir;
  dir.write("en/a/b/c/deep.md", article("deep", "en"));
  dir.write("en/.drafts/hidden.md", article("hidden", "en"));
  dir.write("en/.hidden.md", article("hidden2", "en"));
  dir.write("analysis/stopwords.md", article("not-an-article", "en"));
  dir.write("fr/analysis/ok.md", article("ok", "fr"));  // only the top-level folder is skipped
  std::filesystem::create_directory_symlink(dir / "en/a", dir / "linked-inside");
  std::filesystem::create_directory_symlink(outside / "elsewhere", dir / "linked-outside");
  const kb::plugins::ImporterRegistry registry;
  const auto set = kb::load_content(dir.path(), registry.importers());
  CHECK(all_issues(set) == "linked-outside: error: symbolic link leads outside the content folder\n");
  REQUIRE(set.articles.size() == 2);
  CHECK(set.articles[0].source_path == "en/a/b/c/deep.md");
  CHECK(set.articles[1].source_path == "fr/analysis/ok.md");
  CHECK(set.files_read == 2);

  // The listing gives each file's size and modification time, as stat does.
  std::vector<kb::ContentIssue> issues;
  const auto files = kb::list_content_files(dir.path(), registry.importers(), {}, issues);
  REQUIRE(files.size() == 2);
  CHECK(files[0].size == static_cast<std::int64_t>(std::filesystem::file_size(dir / "en/a/b/c/deep.md")));
  CHECK(files[0].mtime_ns > 0);
}

TEST_CASE("oversized files are rejected, not truncated") {
  kb::test::TempDir dir;
  dir.write("big.md", article("big", "en") + std::string(2000, 'x'));
  const kb::plugins::ImporterRegistry registry;
  kb::LoadOptions options;
  options.max_file_bytes = 1000;
  const auto set = kb::load_content(dir.path(), registry.importers(), options);
  REQUIRE(set.issues.size() == 1);
  CHECK(set.issues[0].message.find("more than the limit of 1000") != std::string::npos);
  CHECK(set.articles.empty());
}

TEST_CASE("a missing content folder is an I/O error") {
  kb::test::TempDir dir;
  const kb::plugins::ImporterRegistry registry;
  CHECK_THROWS_AS(kb::load_content(dir / "missing", registry.importers()), kb::IoError);
}
