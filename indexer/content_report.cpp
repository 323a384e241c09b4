// Near-duplicates by shingled Jaccard similarity (with the project's own analysis), facts by
// a small multilingual scanner of numbers and units, translation dates and coverage.
#include "content_report.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <set>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "analyzer.h"
#include "hash.h"
#include "markdown_text.h"

namespace kb {
namespace {

using json = nlohmann::json;

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_ascii_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_word_byte(char c) { return is_ascii_letter(c) || is_digit(c) || (static_cast<unsigned char>(c) & 0x80); }

struct Unit {
  const char* text;
  const char* kind;     // "price", "duration", "percent"
  const char* unit;     // normalised unit: currency code, "s", "month", "year", "%"
  double factor;        // to the normalised unit
};

// Longest first within a family, so "hours" wins over "h" and "Stunden" over "Stunde".
const std::vector<Unit>& units_after() {
  static const std::vector<Unit> units = [] {
    std::vector<Unit> u = {
        {"€", "price", "EUR", 1}, {"eur", "price", "EUR", 1}, {"euros", "price", "EUR", 1},
        {"euro", "price", "EUR", 1}, {"$", "price", "USD", 1}, {"usd", "price", "USD", 1},
        {"dollars", "price", "USD", 1}, {"dollar", "price", "USD", 1}, {"£", "price", "GBP", 1},
        {"gbp", "price", "GBP", 1}, {"pounds", "price", "GBP", 1}, {"chf", "price", "CHF", 1},
        {"円", "price", "JPY", 1}, {"yen", "price", "JPY", 1}, {"jpy", "price", "JPY", 1},
        {"%", "percent", "%", 1}, {"percent", "percent", "%", 1}, {"prozent", "percent", "%", 1},
        {"seconds", "duration", "s", 1}, {"second", "duration", "s", 1}, {"secs", "duration", "s", 1},
        {"sec", "duration", "s", 1}, {"sekunden", "duration", "s", 1}, {"sekunde", "duration", "s", 1},
        {"secondes", "duration", "s", 1}, {"seconde", "duration", "s", 1}, {"segundos", "duration", "s", 1},
        {"secondi", "duration", "s", 1}, {"秒", "duration", "s", 1},
        {"minutes", "duration", "s", 60}, {"minute", "duration", "s", 60}, {"minuten", "duration", "s", 60},
        {"minutos", "duration", "s", 60}, {"minuti", "duration", "s", 60}, {"mins", "duration", "s", 60},
        {"min", "duration", "s", 60}, {"分", "duration", "s", 60},
        {"hours", "duration", "s", 3600}, {"hour", "duration", "s", 3600}, {"hrs", "duration", "s", 3600},
        {"hr", "duration", "s", 3600}, {"stunden", "duration", "s", 3600}, {"stunde", "duration", "s", 3600},
        {"std", "duration", "s", 3600}, {"heures", "duration", "s", 3600}, {"heure", "duration", "s", 3600},
        {"horas", "duration", "s", 3600}, {"hora", "duration", "s", 3600}, {"ore", "duration", "s", 3600},
        {"ora", "duration", "s", 3600}, {"h", "duration", "s", 3600}, {"時間", "duration", "s", 3600},
        {"小时", "duration", "s", 3600},
        {"days", "duration", "s", 86400}, {"day", "duration", "s", 86400}, {"tagen", "duration", "s", 86400},
        {"tage", "duration", "s", 86400}, {"tag", "duration", "s", 86400}, {"jours", "duration", "s", 86400},
        {"jour", "duration", "s", 86400}, {"días", "duration", "s", 86400}, {"día", "duration", "s", 86400},
        {"dias", "duration", "s", 86400}, {"giorni", "duration", "s", 86400}, {"giorno", "duration", "s", 86400},
        {"日", "duration", "s", 86400}, {"天", "duration", "s", 86400},
        {"weeks", "duration", "s", 604800}, {"week", "duration", "s", 604800}, {"wochen", "duration", "s", 604800},
        {"woche", "duration", "s", 604800}, {"semaines", "duration", "s", 604800},
        {"semaine", "duration", "s", 604800}, {"semanas", "duration", "s", 604800},
        {"semana", "duration", "s", 604800}, {"settimane", "duration", "s", 604800},
        {"settimana", "duration", "s", 604800}, {"週間", "duration", "s", 604800},
        {"months", "duration", "month", 1}, {"month", "duration", "month", 1}, {"monaten", "duration", "month", 1},
        {"monate", "duration", "month", 1}, {"monat", "duration", "month", 1}, {"mois", "duration", "month", 1},
        {"meses", "duration", "month", 1}, {"mes", "duration", "month", 1}, {"mesi", "duration", "month", 1},
        {"mese", "duration", "month", 1}, {"か月", "duration", "month", 1}, {"ヶ月", "duration", "month", 1},
        {"个月", "duration", "month", 1},
        {"years", "duration", "year", 1}, {"year", "duration", "year", 1}, {"jahren", "duration", "year", 1},
        {"jahre", "duration", "year", 1}, {"jahr", "duration", "year", 1}, {"ans", "duration", "year", 1},
        {"années", "duration", "year", 1}, {"an", "duration", "year", 1}, {"años", "duration", "year", 1},
        {"anni", "duration", "year", 1}, {"年", "duration", "year", 1},
    };
    std::stable_sort(u.begin(), u.end(), [](const Unit& a, const Unit& b) {
      return std::string_view(a.text).size() > std::string_view(b.text).size();
    });
    return u;
  }();
  return units;
}

const std::vector<Unit>& currencies_before() {
  static const std::vector<Unit> units = {
      {"EUR", "price", "EUR", 1}, {"USD", "price", "USD", 1}, {"GBP", "price", "GBP", 1},
      {"CHF", "price", "CHF", 1}, {"€", "price", "EUR", 1},   {"$", "price", "USD", 1},
      {"£", "price", "GBP", 1},   {"¥", "price", "JPY", 1}};
  return units;
}

std::string format_number(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

// "1,000.50", "1.000,50", "9,99", "2.5", "1 000" are read as numbers: with both separators
// the last is the decimal one; a lone separator followed by exactly three digits groups
// thousands, otherwise it is decimal.
double parse_number(const std::string& raw) {
  const auto last_dot = raw.rfind('.');
  const auto last_comma = raw.rfind(',');
  std::string digits;
  std::size_t decimal = std::string::npos;
  if (last_dot != std::string::npos && last_comma != std::string::npos) {
    decimal = std::max(last_dot, last_comma);
  } else {
    const auto sep = last_dot != std::string::npos ? last_dot : last_comma;
    if (sep != std::string::npos) {
      const char c = raw[sep];
      const bool single = raw.find(c) == sep;
      if (!(single && raw.size() - sep - 1 == 3)) decimal = single ? sep : std::string::npos;
    }
  }
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (is_digit(raw[i])) digits.push_back(raw[i]);
    else if (i == decimal) digits.push_back('.');
  }
  try {
    return std::stod(digits);
  } catch (...) {
    return 0;
  }
}

std::size_t skip_spaces(const std::string& t, std::size_t i) {
  while (i < t.size()) {
    if (t[i] == ' ' || t[i] == '\t' || t[i] == '\n') {
      ++i;
    } else if (static_cast<unsigned char>(t[i]) == 0xC2 && i + 1 < t.size() &&
               static_cast<unsigned char>(t[i + 1]) == 0xA0) {
      i += 2;
    } else {
      break;
    }
  }
  return i;
}

bool matches_at(const std::string& t, std::size_t i, const char* word, bool case_insensitive) {
  const std::string_view w(word);
  if (i + w.size() > t.size()) return false;
  for (std::size_t k = 0; k < w.size(); ++k) {
    char a = t[i + k];
    if (case_insensitive) a = static_cast<char>(std::tolower(static_cast<unsigned char>(a)));
    if (a != w[k]) return false;
  }
  // Latin words end at a word boundary; symbols and CJK units need none.
  const bool latin = is_ascii_letter(w.back());
  const bool accented_end = static_cast<unsigned char>(w.back()) >= 0x80 && is_ascii_letter(w.front());
  if ((latin || accented_end) && i + w.size() < t.size() && is_word_byte(t[i + w.size()])) return false;
  return true;
}

}  // namespace

std::vector<Fact> extract_facts(const std::string& t) {
  std::vector<Fact> facts;
  std::size_t i = 0;
  while (i < t.size()) {
    if (!is_digit(t[i]) || (i > 0 && (is_word_byte(t[i - 1]) && !(static_cast<unsigned char>(t[i - 1]) & 0x80)))) {
      ++i;
      continue;
    }
    // Dates: 2026-09-14 and 14.09.2026.
    auto digits_at = [&](std::size_t p, std::size_t n) {
      if (p + n > t.size()) return false;
      for (std::size_t k = 0; k < n; ++k) {
        if (!is_digit(t[p + k])) return false;
      }
      return true;
    };
    if (digits_at(i, 4) && i + 10 <= t.size() && t[i + 4] == '-' && digits_at(i + 5, 2) && t[i + 7] == '-' &&
        digits_at(i + 8, 2)) {
      facts.push_back({"date", t.substr(i, 10), t.substr(i, 10)});
      i += 10;
      continue;
    }
    {
      std::size_t d1 = 0;
      while (d1 < 2 && i + d1 < t.size() && is_digit(t[i + d1])) ++d1;
      const std::size_t p = i + d1;
      if (d1 >= 1 && p < t.size() && t[p] == '.') {
        std::size_t d2 = 0;
        while (d2 < 2 && p + 1 + d2 < t.size() && is_digit(t[p + 1 + d2])) ++d2;
        const std::size_t q = p + 1 + d2;
        if (d2 >= 1 && q < t.size() && t[q] == '.' && digits_at(q + 1, 4) &&
            !(q + 5 < t.size() && is_digit(t[q + 5]))) {
          const int day = std::stoi(t.substr(i, d1));
          const int month = std::stoi(t.substr(p + 1, d2));
          if (day >= 1 && day <= 31 && month >= 1 && month <= 12) {
            char buf[16];
            std::snprintf(buf, sizeof buf, "%s-%02d-%02d", t.substr(q + 1, 4).c_str(), month, day);
            facts.push_back({"date", buf, t.substr(i, q + 5 - i)});
            i = q + 5;
            continue;
          }
        }
      }
    }
    // A number: digits with separators between digits.
    std::size_t end = i;
    while (end < t.size() && (is_digit(t[end]) || ((t[end] == '.' || t[end] == ',') && end + 1 < t.size() &&
                                                   is_digit(t[end + 1])))) {
      ++end;
    }
    const std::string raw = t.substr(i, end - i);
    const double value = parse_number(raw);
    std::size_t text_begin = i;
    const Unit* unit = nullptr;
    // A currency before the number: "€5", "EUR 5", "$ 5".
    for (const auto& c : currencies_before()) {
      const std::size_t len = std::string_view(c.text).size();
      for (std::size_t gap : {std::size_t{0}, std::size_t{1}}) {
        if (i >= len + gap && t.compare(i - len - gap, len, c.text) == 0 && (gap == 0 || t[i - 1] == ' ')) {
          unit = &c;
          text_begin = i - len - gap;
          break;
        }
      }
      if (unit) break;
    }
    std::size_t text_end = end;
    if (!unit) {
      std::size_t after = skip_spaces(t, end);
      if (after == end && after < t.size() && t[after] == '-') ++after;  // "24-hour"
      for (const auto& u : units_after()) {
        if (matches_at(t, after, u.text, true)) {
          unit = &u;
          text_end = after + std::string_view(u.text).size();
          break;
        }
      }
    }
    if (unit) {
      const std::string kind = unit->kind;
      std::string normalised;
      if (kind == "price") normalised = std::string(unit->unit) + " " + format_number(value);
      else if (kind == "percent") normalised = format_number(value) + "%";
      else normalised = format_number(value * unit->factor) + " " + unit->unit;
      facts.push_back({kind, normalised, t.substr(text_begin, text_end - text_begin)});
      i = text_end;
      continue;
    }
    i = end;
  }
  return facts;
}

namespace {

std::string plain_answer(const Article& a) {
  return a.summary + "\n" + markdown_to_plain_text(a.body_markdown);
}

ItemRef ref(const Article& a) { return {a.id, a.lang, a.source_path, a.source_format}; }

void compare_facts(const Article& canonical, const Article& variant, std::vector<FactConflict>& out) {
  const auto cf = extract_facts(plain_answer(canonical));
  const auto vf = extract_facts(plain_answer(variant));
  std::map<std::string, std::set<std::string>> cvalues;
  std::map<std::string, std::vector<std::string>> ctexts;
  for (const auto& f : cf) {
    if (cvalues[f.kind].insert(f.value).second) ctexts[f.kind].push_back(f.text);
  }
  std::map<std::string, std::vector<std::string>> extra;
  std::map<std::string, std::set<std::string>> extra_seen;
  for (const auto& f : vf) {
    auto it = cvalues.find(f.kind);
    if (it == cvalues.end() || it->second.count(f.value)) continue;
    if (extra_seen[f.kind].insert(f.value).second) extra[f.kind].push_back(f.text);
  }
  for (const auto& [kind, texts] : extra) {
    out.push_back({ref(canonical), ref(variant), kind, ctexts[kind], texts});
  }
}

std::vector<std::uint64_t> shingles(const std::string& text, Analyzer& analyzer) {
  std::vector<std::string> words;
  for (const auto& t : analyzer.tokenize(text, AnalysisMode::Query)) {
    if (t.kind == TokenKind::Word || t.kind == TokenKind::Bigram) words.push_back(t.text);
  }
  auto hash = [](std::string_view s, std::uint64_t h) { return fnv1a64_end_field(fnv1a64(s, h)); };
  std::vector<std::uint64_t> out;
  if (words.size() < 3) {
    for (const auto& w : words) out.push_back(hash(w, kFnvSeed));
  } else {
    for (std::size_t i = 0; i + 2 < words.size(); ++i) {
      out.push_back(hash(words[i + 2], hash(words[i + 1], hash(words[i], kFnvSeed))));
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace

ContentReport make_report(const ContentSet& content, const ReportOptions& options) {
  ContentReport report;
  std::vector<const Article*> published;
  for (const auto& a : content.articles) {
    if (a.status == Status::Published) published.push_back(&a);
  }
  std::set<std::string> langs, ids;
  std::map<std::string, std::map<std::string, const Article*>> by_id;  // id -> lang -> article
  for (const auto* a : published) {
    langs.insert(a->lang);
    ids.insert(a->id);
    by_id[a->id][a->lang] = a;
  }
  report.items = ids.size();
  report.languages.assign(langs.begin(), langs.end());

  // Variants and their facts.
  for (const auto& [key, variants] : content.variants) {
    ItemVariants iv{key.first, key.second, {}};
    for (const auto& v : variants) iv.sources.push_back(ref(v));
    report.variants.push_back(std::move(iv));
    const Article& canonical = variants.front();
    if (canonical.status == Status::Draft) continue;
    for (std::size_t i = 1; i < variants.size(); ++i) {
      if (variants[i].status == Status::Draft) continue;
      compare_facts(canonical, variants[i], report.fact_conflicts);
    }
  }
  // Translations: facts and dates against the source language.
  for (const auto& [id, per_lang] : by_id) {
    auto src = per_lang.find(options.source_lang);
    if (src == per_lang.end()) continue;
    for (const auto& [lang, a] : per_lang) {
      if (lang == options.source_lang) continue;
      compare_facts(*src->second, *a, report.fact_conflicts);
      if (!src->second->updated.empty() && !a->updated.empty() && a->updated < src->second->updated) {
        report.stale_translations.push_back({ref(*a), a->updated, ref(*src->second), src->second->updated});
      }
    }
  }
  // Missing translations.
  for (const auto& [id, per_lang] : by_id) {
    MissingTranslation m{id, {}, {}};
    for (const auto& l : report.languages) {
      (per_lang.count(l) ? m.present : m.missing).push_back(l);
    }
    if (!m.missing.empty()) report.missing_translations.push_back(std::move(m));
  }

  // Near-duplicates, per language: candidates share a shingle; boilerplate shingles (in more
  // than 100 items) are not used to find candidates.
  std::map<std::string, std::vector<const Article*>> per_lang;
  for (const auto* a : published) per_lang[a->lang].push_back(a);
  for (const auto& [lang, articles] : per_lang) {
    Analyzer analyzer(lang);
    std::vector<std::vector<std::uint64_t>> sets;
    std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> postings;
    for (std::uint32_t i = 0; i < articles.size(); ++i) {
      sets.push_back(shingles(plain_answer(*articles[i]), analyzer));
      for (auto s : sets.back()) postings[s].push_back(i);
    }
    for (std::uint32_t i = 0; i < articles.size(); ++i) {
      std::unordered_map<std::uint32_t, std::uint32_t> shared;
      for (auto s : sets[i]) {
        const auto& p = postings[s];
        if (p.size() > 100) continue;
        for (auto j : p) {
          if (j > i) ++shared[j];
        }
      }
      for (const auto& [j, n] : shared) {
        if (articles[i]->id == articles[j]->id) continue;
        const double jaccard = static_cast<double>(n) / static_cast<double>(sets[i].size() + sets[j].size() - n);
        if (jaccard >= options.duplicate_threshold) {
          NearDuplicate d{ref(*articles[i]), ref(*articles[j]), std::round(jaccard * 1000) / 1000};
          if (d.b.id < d.a.id) std::swap(d.a, d.b);
          report.near_duplicates.push_back(std::move(d));
        }
      }
    }
  }
  std::sort(report.near_duplicates.begin(), report.near_duplicates.end(), [](const auto& x, const auto& y) {
    return std::tie(x.a.lang, x.a.id, x.b.id) < std::tie(y.a.lang, y.a.id, y.b.id);
  });
  std::sort(report.fact_conflicts.begin(), report.fact_conflicts.end(), [](const auto& x, const auto& y) {
    return std::tie(x.canonical.id, x.variant.lang, x.variant.source, x.kind) <
           std::tie(y.canonical.id, y.variant.lang, y.variant.source, y.kind);
  });
  return report;
}

namespace {

json ref_json(const ItemRef& r) {
  return {{"id", r.id}, {"lang", r.lang}, {"source", r.source}, {"format", r.format}};
}

std::string join(const std::vector<std::string>& v, const char* sep = ", ") {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

}  // namespace

json report_json(const ContentReport& r) {
  json out = {{"items", r.items}, {"languages", r.languages}};
  json variants = json::array();
  for (const auto& v : r.variants) {
    json sources = json::array();
    for (const auto& s : v.sources) sources.push_back({{"source", s.source}, {"format", s.format}});
    variants.push_back({{"id", v.id}, {"lang", v.lang}, {"sources", sources}});
  }
  json dups = json::array();
  for (const auto& d : r.near_duplicates) {
    dups.push_back({{"a", ref_json(d.a)}, {"b", ref_json(d.b)}, {"similarity", d.similarity}});
  }
  json facts = json::array();
  for (const auto& f : r.fact_conflicts) {
    facts.push_back({{"id", f.canonical.id},
                     {"kind", f.kind},
                     {"canonical", ref_json(f.canonical)},
                     {"canonical_facts", f.canonical_facts},
                     {"variant", ref_json(f.variant)},
                     {"variant_facts", f.variant_facts}});
  }
  json stale = json::array();
  for (const auto& s : r.stale_translations) {
    stale.push_back({{"id", s.translation.id},
                     {"lang", s.translation.lang},
                     {"source", s.translation.source},
                     {"updated", s.updated},
                     {"source_lang", s.source.lang},
                     {"source_updated", s.source_updated}});
  }
  json missing = json::array();
  for (const auto& m : r.missing_translations) {
    missing.push_back({{"id", m.id}, {"present", m.present}, {"missing", m.missing}});
  }
  out["variants"] = variants;
  out["near_duplicates"] = dups;
  out["fact_conflicts"] = facts;
  out["stale_translations"] = stale;
  out["missing_translations"] = missing;
  return out;
}

std::string report_text(const ContentReport& r) {
  std::string out = std::to_string(r.items) + " knowledge items in " + join(r.languages) + "\n";
  auto section = [&out](const std::string& title, std::size_t n) {
    out += "\n" + title + " (" + std::to_string(n) + ")\n";
  };
  section("items with channel variants", r.variants.size());
  for (const auto& v : r.variants) {
    std::vector<std::string> sources;
    for (std::size_t i = 0; i < v.sources.size(); ++i) {
      sources.push_back(v.sources[i].source + " (" + v.sources[i].format + (i == 0 ? ", canonical)" : ")"));
    }
    out += "  " + v.id + " [" + v.lang + "]: " + join(sources) + "\n";
  }
  section("near-duplicates", r.near_duplicates.size());
  for (const auto& d : r.near_duplicates) {
    char sim[16];
    std::snprintf(sim, sizeof sim, "%.2f", d.similarity);
    out += "  [" + d.a.lang + "] " + d.a.id + " (" + d.a.source + ") ~ " + d.b.id + " (" + d.b.source +
           "): similarity " + sim + "\n";
  }
  section("facts that differ", r.fact_conflicts.size());
  for (const auto& f : r.fact_conflicts) {
    out += "  " + f.canonical.id + ": " + f.kind + ": " + f.variant.source + " [" + f.variant.lang + ", " +
           f.variant.format + "] says " + join(f.variant_facts) + "; " + f.canonical.source + " [" +
           f.canonical.lang + ", " + f.canonical.format + "] says " + join(f.canonical_facts) + "\n";
  }
  section("translations older than their source", r.stale_translations.size());
  for (const auto& s : r.stale_translations) {
    out += "  " + s.translation.id + " [" + s.translation.lang + "] " + s.translation.source + " updated " +
           s.updated + ", source [" + s.source.lang + "] updated " + s.source_updated + "\n";
  }
  section("items missing a translation", r.missing_translations.size());
  for (const auto& m : r.missing_translations) {
    out += "  " + m.id + ": missing " + join(m.missing) + " (has " + join(m.present) + ")\n";
  }
  return out;
}

}  // namespace kb
