// Field weighting happens at query time (per-field stems); here every field is indexed once
// into its own prefix plus the shared positional stems.
#include "document_builder.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>

#include <nlohmann/json.hpp>

#include "body_spans.h"
#include "document_data.h"
#include "hash.h"
#include "markdown_text.h"
#include "schema.h"

namespace kb {
namespace {

class TermWriter {
 public:
  // `wdf_inc`: what each occurrence adds to its term's wdf (the article's length
  // normalisation, schema.h; 1 for natural wdfs).
  TermWriter(Xapian::Document& doc, Analyzer& analyzer, std::vector<std::string>* spelling,
             Xapian::termcount wdf_inc)
      : doc_(doc), analyzer_(analyzer), spelling_(spelling), inc_(wdf_inc) {}

  // Indexes one field's tokens.
  void field(const std::vector<Token>& tokens, std::string_view field_prefix) {
    for (const auto& t : tokens) {
      const std::string stem = analyzer_.stem(t);
      if (t.kind == TokenKind::Unigram || t.kind == TokenKind::Compound) {
        // Unigrams serve one-character queries, compounds the joined spelling of hyphenated
        // words: neither takes part in phrases, so neither has a position.
        doc_.add_term(schema::term(schema::kStemmed, stem), inc_);
        if (!field_prefix.empty()) {
          doc_.add_term(schema::term(schema::kStemmed, schema::term(field_prefix, stem)), inc_);
        }
        continue;
      }
      // Positions live on the stems: phrases and proximity match "restarting the router"
      // for "restart router" too, and each word is one term less to write than with an
      // unstemmed positional copy beside it (schema 1).
      doc_.add_posting(schema::term(schema::kStemmed, stem), ++pos_, inc_);
      if (spelling_ && t.kind == TokenKind::Word && t.text.size() >= 3 &&
          !std::isdigit(static_cast<unsigned char>(t.text[0]))) {
        spelling_->push_back(t.text);
      }
      if (!field_prefix.empty()) {
        doc_.add_term(schema::term(schema::kStemmed, schema::term(field_prefix, stem)), inc_);
      }
    }
    pos_ += schema::kFieldGap;
  }

  // The position the next field's first word gets.
  Xapian::termpos next_position() const { return pos_ + 1; }

 private:
  Xapian::Document& doc_;
  Analyzer& analyzer_;
  std::vector<std::string>* spelling_;
  Xapian::termcount inc_;
  Xapian::termpos pos_ = 0;
};

// FNV-1a over the content that customers and agents see: the answer's version changes
// exactly when what it says changes.
std::string content_version(const Article& a, const std::string& body_text) {
  std::uint64_t h = kFnvSeed;
  auto mix = [&h](std::string_view s) { h = fnv1a64_end_field(fnv1a64(s, h)); };
  mix(a.id);
  mix(a.lang);
  mix(a.title);
  mix(a.summary);
  for (const auto& q : a.questions) mix(q);
  mix(body_text);
  mix(a.body_markdown);
  for (const auto& n : a.internal_notes) mix(n);
  for (const auto& r : a.related) mix(r);
  mix(a.updated);
  return hex64(h);
}

}  // namespace

Xapian::termcount natural_length(const Xapian::Document& doc) {
  Xapian::termcount length = 0;
  for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) length += t.get_wdf();
  return length;
}

double estimate_norm_length(const std::vector<Article>& articles, const std::vector<std::size_t>& order,
                            std::size_t sample) {
  std::map<std::string, std::unique_ptr<Analyzer>> analyzers;
  double total = 0;
  std::size_t counted = 0;
  const std::size_t step = std::max<std::size_t>(1, order.size() / std::max<std::size_t>(1, sample));
  // Evenly spread; then, if those were all drafts, the first articles that are not.
  for (const std::size_t stride : {step, std::size_t{1}}) {
    for (std::size_t i = 0; i < order.size() && counted < sample; i += stride) {
      const Article& a = articles[order[i]];
      if (a.status == Status::Draft) continue;
      auto& analyzer = analyzers[a.lang];
      if (!analyzer) analyzer = std::make_unique<Analyzer>(a.lang);
      total += natural_length(build_document(a, *analyzer));
      ++counted;
    }
    if (counted > 0) break;
  }
  return counted > 0 && total > 0 ? total / static_cast<double>(counted) : 0.0;
}

Xapian::Document build_document(const Article& a, Analyzer& analyzer,
                                std::vector<std::string>* spelling_words, double norm_length, double wdf_scale) {
  Xapian::Document doc;
  const std::string body_text = markdown_to_plain_text(a.body_markdown);
  const auto tokens = [&analyzer](std::string_view text) { return analyzer.tokenize(text, AnalysisMode::Index); };
  const std::vector<Token> title = tokens(a.title);
  std::vector<std::vector<Token>> questions;
  for (const auto& q : a.questions) questions.push_back(tokens(q));
  const std::vector<Token> summary = tokens(a.summary);
  const std::vector<Token> body = tokens(body_text);
  // Length normalisation (schema.h): every occurrence adds round(wdf_scale / norm) to its
  // term's wdf, norm from the article's natural length (each token of the title, questions
  // and summary counts twice, for its stem and its field stem; the body's once).
  Xapian::termcount wdf_inc = 1;
  if (norm_length > 0) {
    std::size_t fielded = title.size() + summary.size();
    for (const auto& q : questions) fielded += q.size();
    const double length = 2.0 * static_cast<double>(fielded) + static_cast<double>(body.size());
    const double norm =
        (1.0 - schema::kNormB) + schema::kNormB * std::max(length / norm_length, schema::kNormMinLength);
    wdf_inc = static_cast<Xapian::termcount>(std::max(1.0, std::round(wdf_scale / norm)));
  }
  // Only public content feeds the spelling dictionary ("did you mean" must not leak).
  TermWriter writer(doc, analyzer, a.audience == Audience::Public ? spelling_words : nullptr, wdf_inc);
  writer.field(title, schema::kTitle);
  for (const auto& q : questions) writer.field(q, schema::kQuestions);
  writer.field(summary, schema::kSummary);
  const Xapian::termpos body_position = writer.next_position();
  writer.field(body, "");
  // Where the body's tokens are, so a snippet needs no analysis of the body (docs/schema.md).
  const std::string body_spans = encode_body_spans(body_text, body);

  doc.add_boolean_term(schema::term(schema::kUniqueId, a.id + "@" + a.lang));
  doc.add_boolean_term(schema::term(schema::kItem, a.id));
  doc.add_boolean_term(schema::term(schema::kLang, a.lang));
  if (!a.category.empty()) {
    doc.add_boolean_term(schema::term(schema::kCategory, analyzer.fold(a.category)));
  }
  for (const auto& t : a.tags) doc.add_boolean_term(schema::term(schema::kTag, analyzer.fold(t)));
  for (const auto& p : a.products) {
    doc.add_boolean_term(schema::term(schema::kProduct, analyzer.fold(p)));
  }
  for (const auto& channel : known_channels()) {
    if (visible_on_channel(a, channel)) {
      doc.add_boolean_term(schema::term(schema::kChannel, channel));
    }
  }
  doc.add_boolean_term(schema::term(
      schema::kAudience, a.audience == Audience::Internal ? "internal" : "public"));

  doc.add_value(schema::kSlotItem, a.id);
  doc.add_value(schema::kSlotLang, a.lang);
  doc.add_value(schema::kSlotUpdated, a.updated);
  std::string facets;
  auto facet = [&facets](char kind, const std::string& value) {
    if (value.empty()) return;
    if (!facets.empty()) facets.push_back(schema::kFacetSeparator);
    facets.push_back(kind);
    facets += value;
  };
  facet('c', analyzer.fold(a.category));
  for (const auto& t : a.tags) facet('t', analyzer.fold(t));
  for (const auto& p : a.products) facet('p', analyzer.fold(p));
  for (const auto& channel : known_channels()) {
    if (visible_on_channel(a, channel)) facet('h', channel);
  }
  doc.add_value(schema::kSlotFacets, facets);

  nlohmann::json data = {
      {"id", a.id},
      {"lang", a.lang},
      {"version", content_version(a, body_text)},
      {"title", a.title},
      {"summary", a.summary},
      {"questions", a.questions},
      {"category", a.category},
      {"tags", a.tags},
      {"products", a.products},
      {"channels", a.channels},
      {"audience", a.audience == Audience::Internal ? "internal" : "public"},
      {"updated", a.updated},
      {"related", a.related},
      {"internal_notes", a.internal_notes},
      {"source", a.source_path},
      {"source_format", a.source_format},
      // Positions from here on are the body's: a snippet looks in the body only for the
      // query's words that the body has (docs/schema.md).
      {"body_position", body_position},
  };
  // Where the body's tokens are (docs/schema.md): a field that readers without use for it skip.
  if (!body_spans.empty()) data["body_spans"] = body_spans;
  doc.add_value(schema::kSlotData, encode_document_data(data, body_text, a.body_markdown));
  return doc;
}

}  // namespace kb
