// kb-index: validates content and publishes it as a new generation of a knowledge base.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "build_pipeline.h"
#include "builtin_importers.h"
#include "content_loader.h"
#include "content_report.h"
#include "errors.h"
#include "kb_writer.h"
#include "lexicon.h"

namespace {

constexpr int kExitOk = 0;
constexpr int kExitContent = 1;
constexpr int kExitUsage = 2;
constexpr int kExitRuntime = 3;

void usage(std::FILE* out) {
  std::fputs(
      "usage: kb-index build --content DIR --out KB [--quiet] [--full] [--keep N]\n"
      "       kb-index validate --content DIR [--json]\n"
      "       kb-index report --content DIR [--json] [--threshold 0.6] [--source-lang en]\n"
      "\n"
      "build     validates every file under DIR, then publishes the articles as a new\n"
      "          generation of the knowledge base KB and makes it live atomically.\n"
      "          Nothing is written when any file has an error.\n"
      "          Incremental: only files whose content changed since the live generation\n"
      "          are parsed and analysed again (--full analyses everything). --keep N\n"
      "          keeps N retired generations besides the live one (default 2); the next\n"
      "          incremental build brings the newest of them up to date instead of copying.\n"
      "validate  checks every file and reports all problems; writes nothing.\n"
      "report    lists channel variants, near-duplicates, facts that differ between\n"
      "          variants or translations, stale and missing translations.\n"
      "\n"
      "exit status: 0 ok, 1 content errors, 2 usage, 3 other failure (I/O, lock)\n",
      out);
}

struct Args {
  std::string command;
  std::string content;
  std::string out;
  bool quiet = false;
  bool json = false;
  bool full = false;
  int keep = 2;
  double threshold = 0.6;
  std::string source_lang = "en";
};

bool parse_args(int argc, char** argv, Args& args) {
  if (argc < 2) return false;
  args.command = argv[1];
  for (int i = 2; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&](std::string& target) {
      if (i + 1 >= argc) return false;
      target = argv[++i];
      return true;
    };
    if (a == "--content") {
      if (!value(args.content)) return false;
    } else if (a == "--out" || a == "--kb") {
      if (!value(args.out)) return false;
    } else if (a == "--quiet" || a == "-q") {
      args.quiet = true;
    } else if (a == "--json") {
      args.json = true;
    } else if (a == "--full") {
      args.full = true;
    } else if (a == "--keep") {
      std::string v;
      if (!value(v)) return false;
      char* end = nullptr;
      const long n = std::strtol(v.c_str(), &end, 10);
      if (end == v.c_str() || *end != '\0' || n < 0 || n > 100) {
        std::fprintf(stderr, "kb-index: --keep must be a whole number from 0 to 100\n");
        return false;
      }
      args.keep = static_cast<int>(n);
    } else if (a == "--source-lang") {
      if (!value(args.source_lang)) return false;
    } else if (a == "--threshold") {
      std::string v;
      if (!value(v)) return false;
      char* end = nullptr;
      args.threshold = std::strtod(v.c_str(), &end);
      if (end == v.c_str() || *end != '\0' || !(args.threshold > 0 && args.threshold <= 1)) {
        std::fprintf(stderr, "kb-index: --threshold must be a number in (0, 1]\n");
        return false;
      }
    } else {
      std::fprintf(stderr, "kb-index: unknown option %s\n", a.c_str());
      return false;
    }
  }
  if (args.content.empty()) return false;
  if (args.command == "build") return !args.out.empty();
  return args.command == "validate" || args.command == "report";
}

void print_issues(const std::vector<kb::ContentIssue>& issues) {
  for (const auto& issue : issues) std::fprintf(stderr, "%s\n", issue.format().c_str());
}

nlohmann::json issues_json(const std::vector<kb::ContentIssue>& issues) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& i : issues) {
    out.push_back({{"file", i.path},
                   {"line", i.line},
                   {"column", i.column},
                   {"field", i.field},
                   {"severity", i.severity == kb::Severity::Error ? "error" : "warning"},
                   {"message", i.message}});
  }
  return out;
}

std::size_t count_errors(const std::vector<kb::ContentIssue>& issues) {
  std::size_t n = 0;
  for (const auto& i : issues) n += i.severity == kb::Severity::Error;
  return n;
}

int build(const Args& args, const kb::plugins::ImporterRegistry& registry) {
  kb::BuildOptions options;
  options.incremental = !args.full;
  options.keep_old_generations = args.keep;
  const bool show_progress = !args.quiet && ::isatty(STDERR_FILENO);
  if (show_progress) {
    options.progress = [](std::size_t done, std::size_t total) {
      if (done != total && done % 64 != 0) return;
      const int width = 40;
      const int filled = total ? static_cast<int>(width * done / total) : width;
      std::fprintf(stderr, "\r[%.*s%*s] %zu/%zu", filled,
                   "########################################", width - filled, "", done, total);
      if (done == total) std::fputc('\n', stderr);
    };
  }
  const kb::BuildResult built =
      kb::build_knowledge_base(args.content, args.out, registry.importers(), options);
  print_issues(built.issues);
  if (!built.published) {
    std::fprintf(stderr,
                 "kb-index: %zu error(s) in %s; nothing was written, the live knowledge base "
                 "is unchanged\n",
                 count_errors(built.issues), args.content.c_str());
    return kExitContent;
  }
  if (!args.quiet) {
    const kb::PublishResult& result = built.publish;
    std::printf("published %s: %zu records from %zu files (%zu drafts skipped)", result.generation.c_str(),
                result.documents, built.files, result.drafts_skipped);
    for (const auto& [lang, n] : result.per_language) std::printf(" %s=%zu", lang.c_str(), n);
    std::printf("\n");
    if (built.incremental) {
      std::printf("incremental: %zu of %zu files parsed, %zu documents written; from %s (%s)\n",
                  built.files_imported, built.files, built.documents_written,
                  built.base_generation.c_str(), built.recycled ? "recycled" : "copied");
    }
    std::printf("time: %.0f ms (read %.0f, import %.0f, analyse and write %.0f, merge %.0f, spelling %.0f, "
                "sync %.0f)\n",
                built.timings.total_ms, built.timings.read_ms, built.timings.import_ms, result.write_ms,
                result.merge_ms, result.spelling_ms, result.sync_ms);
  }
  return kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 2 && (std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0)) {
    usage(stdout);
    return kExitOk;
  }
  Args args;
  if (!parse_args(argc, argv, args)) {
    usage(stderr);
    return kExitUsage;
  }
  try {
    const kb::plugins::ImporterRegistry registry;
    if (args.command == "build") return build(args, registry);
    kb::ContentSet content = kb::load_content(args.content, registry.importers());
    // Stopwords and synonyms live beside the articles, in <content>/analysis.
    kb::load_lexicons(std::filesystem::path(args.content) / "analysis", content.issues);
    const std::size_t errors = count_errors(content.issues);
    const std::size_t warnings = content.issues.size() - errors;

    if (args.command == "report") {
      print_issues(content.issues);
      if (errors) {
        std::fprintf(stderr, "kb-index: %zu error(s) in %s; fix them for a report\n", errors, args.content.c_str());
        return kExitContent;
      }
      kb::ReportOptions options;
      options.duplicate_threshold = args.threshold;
      options.source_lang = args.source_lang;
      const kb::ContentReport report = kb::make_report(content, options);
      if (args.json) {
        std::cout << kb::report_json(report).dump(2) << "\n";
      } else {
        std::cout << kb::report_text(report);
      }
      return kExitOk;
    }

    if (args.json) {
      nlohmann::json report = {{"files", content.files_read},
                               {"articles", content.articles.size()},
                               {"errors", errors},
                               {"warnings", warnings},
                               {"issues", issues_json(content.issues)}};
      std::cout << report.dump(2) << "\n";
    } else {
      print_issues(content.issues);
      std::printf("%zu files, %zu articles, %zu errors, %zu warnings\n", content.files_read,
                  content.articles.size(), errors, warnings);
    }
    return errors ? kExitContent : kExitOk;
  } catch (const kb::Error& e) {
    std::fprintf(stderr, "kb-index: %s: %s\n", e.code().c_str(), e.what());
    return kExitRuntime;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "kb-index: unexpected error: %s\n", e.what());
    return kExitRuntime;
  }
}
