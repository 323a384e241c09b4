// The editors' consistency report over a consolidated content set (docs/editors.md).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "content_loader.h"

namespace kb {

struct ReportOptions {
  double duplicate_threshold = 0.6;  // Jaccard similarity of word 3-shingles, 0..1
  std::string source_lang = "en";    // the language translations are made from
};

struct ItemRef {
  std::string id;
  std::string lang;
  std::string source;   // file
  std::string format;   // importer
};

// Two items with different ids whose answers say nearly the same thing.
struct NearDuplicate {
  ItemRef a;
  ItemRef b;
  double similarity = 0;
};

// A fact (price, duration, percentage, date, number) normalised for comparison.
struct Fact {
  std::string kind;   // "price", "duration", "percent", "date", "number"
  std::string value;  // normalised: "EUR 7.5", "P2880M" (minutes), "2026-09-14", "24"
  std::string text;   // as written
};

// A variant (another channel's source, or a translation) stating facts of a kind that the
// canonical text states otherwise.
struct FactConflict {
  ItemRef canonical;
  ItemRef variant;
  std::string kind;
  std::vector<std::string> canonical_facts;  // as written
  std::vector<std::string> variant_facts;    // the variant's facts of the kind not in canonical
};

struct StaleTranslation {
  ItemRef translation;
  std::string updated;
  ItemRef source;
  std::string source_updated;
};

struct MissingTranslation {
  std::string id;
  std::vector<std::string> present;
  std::vector<std::string> missing;
};

struct ItemVariants {
  std::string id;
  std::string lang;
  std::vector<ItemRef> sources;  // canonical first
};

struct ContentReport {
  std::size_t items = 0;                 // knowledge items (distinct ids), drafts excluded
  std::vector<std::string> languages;    // languages of the published base
  std::vector<ItemVariants> variants;
  std::vector<NearDuplicate> near_duplicates;
  std::vector<FactConflict> fact_conflicts;
  std::vector<StaleTranslation> stale_translations;
  std::vector<MissingTranslation> missing_translations;
};

// Builds the report; drafts are left out. Deterministic (sorted) output. Thread-compatible.
ContentReport make_report(const ContentSet& content, const ReportOptions& options = {});

// The facts of a text, in order of appearance. Exposed for tests.
std::vector<Fact> extract_facts(const std::string& plain_text);

nlohmann::json report_json(const ContentReport& report);
std::string report_text(const ContentReport& report);

}  // namespace kb
