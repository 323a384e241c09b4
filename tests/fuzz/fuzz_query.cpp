// libFuzzer target: the query path. A small knowledge base is built once, at start-up, from
// tests/fixtures/content with the real kb-index code (build_knowledge_base) into a temporary
// folder; every input is then a request to GET /v1/search: its query string goes through
// httplib's parser and the HTTP layer's parameter checks, then KnowledgeBase::search,
// suggest, answer and article (QueryBuilder, typo correction, prefixes, facets, snippets,
// language detection, filters, paging).
//
// Input: byte 0 says whether the agent token was sent (bit 0); then "query string" and,
// after a newline, the raw Accept-Language header. Only kb::InvalidArgument may be thrown
// (a bad request); public requests never see internal content.
#include <stdlib.h>

#include <array>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include <httplib.h>

#include "article.h"
#include "build_pipeline.h"
#include "builtin_importers.h"
#include "errors.h"
#include "fuzz_check.h"
#include "http_support.h"
#include "knowledge_base.h"
#include "language.h"
#include "utf8.h"

namespace {

namespace fs = std::filesystem;

fs::path kb_dir;
std::unique_ptr<kb::search::KnowledgeBase> knowledge_base;

std::string_view next_part(std::string_view& rest) {
  const auto nl = rest.find('\n');
  const std::string_view part = rest.substr(0, nl);
  rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
  return part;
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Whether `text` carries a marker of the fixtures' internal content that the query itself
// does not (did_you_mean echoes the query's words).
bool leaks_internal(const std::string& text, const std::string& query) {
  const std::string t = lower(text), q = lower(query);
  for (const char* marker : {"fixture-canary", "internal-retention"}) {
    if (t.find(marker) != std::string::npos && q.find(marker) == std::string::npos) return true;
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  std::string pattern = (fs::temp_directory_path() / "kb-fuzz-query-XXXXXX").string();
  if (!::mkdtemp(pattern.data())) std::abort();
  kb_dir = fs::path(pattern) / "kb";
  const kb::plugins::ImporterRegistry registry;
  kb::BuildOptions options;
  options.incremental = false;
  const kb::BuildResult built =
      kb::build_knowledge_base(fs::path(KB_FIXTURES) / "content", kb_dir, registry.importers(), options);
  FUZZ_CHECK(built.published);
  knowledge_base = std::make_unique<kb::search::KnowledgeBase>(kb_dir, kb::search::SearchSettings{});
  std::atexit([] {
    knowledge_base.reset();
    std::error_code ec;
    fs::remove_all(kb_dir.parent_path(), ec);
  });
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const bool agent_token = data[0] & 1;
  std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  const std::string query_string(next_part(rest));
  const std::string accept_language(next_part(rest));

  // What GET /v1/search does with its query string, without the socket: httplib's parser,
  // then the HTTP layer's checks (a kb::InvalidArgument here is a 400 there).
  httplib::Request req;
  httplib::detail::parse_query_text(query_string, req.params);
  kb::search::SearchRequest sr;
  try {
    kb::server::check_params(req, {"q", "lang", "channel", "category", "tag", "product", "page", "per_page",
                                   "prefix", "facets"});
    sr.query = req.get_param_value("q");
    sr.category = req.get_param_value("category");
    sr.tag = req.get_param_value("tag");
    sr.product = req.get_param_value("product");
    if (!req.get_param_value("lang").empty()) {
      const auto lang = kb::normalise_language_tag(req.get_param_value("lang"));
      if (!lang) return 0;  // 400 invalid_parameter
      sr.lang = *lang;
    }
    if (req.has_param("channel")) {
      sr.channel = req.get_param_value("channel");
      if (!kb::is_known_channel(sr.channel)) return 0;  // 400 invalid_parameter
    }
    if (sr.channel == "agent") {
      if (!agent_token) return 0;  // 401
      sr.include_internal = true;
    }
    sr.page = kb::server::int_param(req, "page", 1);
    sr.per_page = kb::server::int_param(req, "per_page", 10);
    sr.prefix = kb::server::bool_param(req, "prefix", true);
    sr.facets = kb::server::bool_param(req, "facets", true);
  } catch (const kb::InvalidArgument&) {
    return 0;
  }
  sr.preferred = kb::server::parse_accept_language(accept_language);
  for (const auto& tag : sr.preferred) FUZZ_CHECK(kb::normalise_language_tag(tag).has_value());
  const std::string& query = sr.query;

  try {
    const kb::search::SearchResponse r = knowledge_base->search(sr);
    for (const auto& hit : r.hits) {
      FUZZ_CHECK(!kb::find_invalid_utf8(hit.snippet) && !kb::find_invalid_utf8(hit.title));
      if (!sr.include_internal) FUZZ_CHECK(!leaks_internal(hit.id, "") && !leaks_internal(hit.snippet, ""));
    }
    if (!sr.include_internal) FUZZ_CHECK(!leaks_internal(r.did_you_mean, query));
  } catch (const kb::InvalidArgument&) {
    // A bad request (query too long, ...): the HTTP layer answers 400.
  }

  try {
    kb::search::SuggestRequest su;
    su.query = query;
    su.lang = sr.lang;
    su.preferred = sr.preferred;
    su.channel = sr.channel;
    su.include_internal = sr.include_internal;
    const kb::search::SuggestResponse r = knowledge_base->suggest(su);
    for (const auto& s : r.suggestions) {
      FUZZ_CHECK(!kb::find_invalid_utf8(s.highlighted));
      if (!sr.include_internal) FUZZ_CHECK(!leaks_internal(s.id, "") && !leaks_internal(s.text, ""));
    }
  } catch (const kb::InvalidArgument&) {
  }

  try {
    const kb::search::AnswerLookup a = knowledge_base->answer(sr);
    if (a.best && !sr.include_internal) FUZZ_CHECK(a.best->article.audience != "internal");
  } catch (const kb::InvalidArgument&) {
  }

  try {
    kb::search::ArticleRequest ar;
    ar.id = query;
    ar.lang = sr.lang;
    ar.preferred = sr.preferred;
    ar.channel = sr.channel;
    ar.include_internal = sr.include_internal;
    if (const auto found = knowledge_base->article(ar); found && !sr.include_internal) {
      FUZZ_CHECK(found->article.audience != "internal");
    }
  } catch (const kb::InvalidArgument&) {
  }
  return 0;
}
