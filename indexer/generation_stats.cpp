// Term frequencies of the boolean filter terms are the counts editors ask for.
#include "generation_stats.h"

#include <xapian.h>

#include "errors.h"
#include "schema.h"

namespace kb {

GenerationStats read_generation_stats(const GenerationRef& generation) {
  GenerationStats stats;
  stats.generation = generation.name;
  try {
    Xapian::Database db(generation.path.string());
    stats.documents = db.get_doccount();
    stats.built_at = db.get_metadata(schema::kMetaBuiltAt);
    auto count = [&db](std::string_view prefix, std::map<std::string, std::uint64_t>& out) {
      const std::string p(prefix);
      for (auto t = db.allterms_begin(p); t != db.allterms_end(p); ++t) {
        out[(*t).substr(p.size())] = t.get_termfreq();
      }
    };
    count(schema::kLang, stats.languages);
    count(schema::kChannel, stats.channels);
    count(schema::kAudience, stats.audiences);
  } catch (const Xapian::Error& e) {
    throw IndexUnavailable("cannot read generation " + generation.name + ": " + e.get_description());
  }
  return stats;
}

}  // namespace kb
